// One order: the intake, the appointment, every visit step, its events and its report (with the
// PDF when the report has one).
import { api, errorText, type Role } from "./api.js";
import { h, replace } from "./dom.js";
import { ServiceOrder_Charge, ServiceOrder_State, type ServiceOrder } from "./gen/homevisit/v1/service_order_pb.js";
import { dateTime, EVENT_LABELS, STATE_LABELS, subscriberName, windowText } from "./format.js";
import { watchEvents } from "./live.js";

const pairs = (...items: [string, string | undefined][]) =>
  h("dl", {}, ...items.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v || "—")]));

export function renderOrder(main: HTMLElement, name: string, role: Role, signal: AbortSignal): void {
  const error = h("p", { class: "error", role: "alert" });
  const body = h("div", { class: "orden" });
  replace(main, h("p", { class: "volver" }, h("a", { href: "#/tablero" }, "← Tablero")), error, body);

  const load = async () => {
    try {
      const o = await api.orders.getServiceOrder({ name }, { signal });
      replace(body, ...orderSections(o));
      if (role !== "tecnico") body.append(await eventsSection(name, signal));
      if (o.state === ServiceOrder_State.COMPLETED) body.append(await reportSection(name, signal));
    } catch (e) {
      if (!signal.aborted) error.textContent = errorText(e);
    }
  };
  if (role !== "tecnico") {
    watchEvents((e) => e.serviceOrder === name && void load(), () => {}, signal);
  }
  void load();
}

function orderSections(o: ServiceOrder): HTMLElement[] {
  const a = o.address;
  const v = o.visit;
  return [
    h("h1", {}, `Orden ${o.fileNumber} · `, h("span", { id: "estado-orden", class: "estado" }, STATE_LABELS[o.state])),
    h(
      "section",
      { "aria-labelledby": "sec-solicitud" },
      h("h2", { id: "sec-solicitud" }, "Solicitud"),
      pairs(
        ["Suscriptor", subscriberName(o)],
        ["Correo", o.subscriber?.email],
        ["Domicilio", a && `${a.street} ${a.exteriorNumber}${a.interiorNumber ? ` int. ${a.interiorNumber}` : ""}, col. ${a.colonia}, ${a.delegacion}, C.P. ${a.postalCode}`],
        ["Referencias", a?.references],
        ["Recibe", `${o.receiver?.name ?? ""} ${o.receiver?.phone ?? ""}`.trim()],
        ["Problema", o.problemDescription],
        ["Cobro", o.charge === ServiceOrder_Charge.CHARGED ? "Con cargo" : "Sin cargo"],
        ["Creada", dateTime(o.createTime)],
      ),
    ),
    h(
      "section",
      { "aria-labelledby": "sec-cita" },
      h("h2", { id: "sec-cita" }, "Cita"),
      pairs(
        ["Ventana", windowText(o)],
        ["Día", dateTime((o.appointment?.window ?? o.requestedWindow)?.startTime)],
        ["Técnico", o.appointment?.technicianDisplayName],
        ["Agendada", dateTime(o.appointment?.bookTime)],
      ),
    ),
    h(
      "section",
      { "aria-labelledby": "sec-visita" },
      h("h2", { id: "sec-visita" }, "Visita"),
      pairs(
        ["Llamada de confirmación", v?.confirmationCall ? dateTime(v.confirmationCall.callTime) : undefined],
        ["Alerta de retraso", v?.lateAlertTime ? dateTime(v.lateAlertTime) : undefined],
        ["Llegada", v?.checkIn ? dateTime(v.checkIn.arrivalTime) : undefined],
        ["Diagnóstico", v?.diagnosis?.summary],
        ["Escalamiento solicitado", v?.escalation?.requestTime ? dateTime(v.escalation.requestTime) : undefined],
        ["Conferencia", v?.escalation?.conferenceTime ? `${dateTime(v.escalation.conferenceTime)} con ${v.escalation.supportAgent}` : undefined],
        ["Resultado", v?.outcome ? `${v.outcome.problem} — ${v.outcome.actionsPerformed}` : undefined],
        ["Firma", v?.signature ? (v.signature.refused ? `Rechazada: ${v.signature.refusalReason}` : v.signature.signerName) : undefined],
        ["Completada", v?.completion ? dateTime(v.completion.completeTime) : undefined],
      ),
    ),
  ];
}

async function eventsSection(name: string, signal: AbortSignal): Promise<HTMLElement> {
  const section = h("section", { "aria-labelledby": "sec-eventos" }, h("h2", { id: "sec-eventos" }, "Eventos"));
  try {
    const res = await api.events.listEvents({ serviceOrder: name, pageSize: 200 }, { signal });
    section.append(
      h(
        "ol",
        { class: "eventos", id: "eventos" },
        ...res.events.map((e) => h("li", {}, h("time", {}, dateTime(e.eventTime)), ` ${EVENT_LABELS[e.type]} · ${e.actor}`)),
      ),
    );
  } catch (e) {
    section.append(h("p", { class: "error" }, errorText(e)));
  }
  return section;
}

async function reportSection(name: string, signal: AbortSignal): Promise<HTMLElement> {
  const section = h("section", { "aria-labelledby": "sec-reporte" }, h("h2", { id: "sec-reporte" }, "Reporte"));
  try {
    const report = await api.reports.getVisitReport({ name: `${name}/visitReport` }, { signal });
    section.append(
      pairs(["Archivado", dateTime(report.fileTime)], ["Pasos", String(report.steps.length)]),
      h("ol", { class: "pasos" }, ...report.steps.map((s) => h("li", {}, `${EVENT_LABELS[s.type]} · ${dateTime(s.observeTime)} · ${s.actor}`))),
    );
    const button = h("button", { type: "button" }, "Descargar PDF");
    button.addEventListener("click", async () => {
      try {
        const doc = await api.reports.getVisitReportDocument({ name: `${name}/visitReport/document` });
        const url = URL.createObjectURL(new Blob([doc.pdf as BlobPart], { type: "application/pdf" }));
        const link = h("a", { href: url, download: `${name.replace("/", "-")}.pdf` });
        link.click();
        setTimeout(() => URL.revokeObjectURL(url), 10000);
      } catch (e) {
        section.append(h("p", { class: "error", role: "alert" }, errorText(e)));
      }
    });
    section.append(button);
  } catch (e) {
    section.append(h("p", { class: "error" }, errorText(e)));
  }
  return section;
}
