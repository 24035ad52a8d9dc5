// The board: the day's visits by state, kept current by WatchEvents (technicians, who may not
// watch, see their own visits refreshed every few seconds). Late alerts, escalation requests and
// completions stand out on their cards and in the notices as they arrive.
import { api, errorText, type Role } from "./api.js";
import { h, replace } from "./dom.js";
import { Event_Type, type Event } from "./gen/homevisit/v1/event_pb.js";
import { ServiceOrder_State as S, ServiceOrderView, type ServiceOrder } from "./gen/homevisit/v1/service_order_pb.js";
import { awaitsConference, dayOf, dayStart, EVENT_LABELS, nextDay, orderId, STATE_LABELS, subscriberName, time, today, visitWindow, windowText } from "./format.js";
import { watchEvents, type LiveStatus } from "./live.js";

const COLUMNS: { id: string; title: string; states: S[] }[] = [
  { id: "solicitadas", title: "Por agendar", states: [S.REQUESTED] },
  { id: "agendadas", title: "Agendadas", states: [S.SCHEDULED, S.CONFIRMED] },
  { id: "en-sitio", title: "En sitio", states: [S.ON_SITE] },
  { id: "escalando", title: "Escalando", states: [S.ESCALATING] },
  { id: "cerrando", title: "Cerrando", states: [S.OUTCOME_RECORDED, S.SIGNED] },
  { id: "completadas", title: "Completadas", states: [S.COMPLETED] },
  { id: "canceladas", title: "Canceladas", states: [S.CANCELLED] },
];

// Events that need someone's eyes: they stand out in the notices and on the card.
const STANDOUT: Partial<Record<Event_Type, string>> = {
  [Event_Type.TECHNICIAN_LATE]: "retraso",
  [Event_Type.ESCALATION_REQUESTED]: "escalamiento",
  [Event_Type.COMPLETED]: "completada",
};

export function renderBoard(main: HTMLElement, role: Role, params: URLSearchParams, signal: AbortSignal): void {
  const day = params.get("dia") || today();
  const orders = new Map<string, ServiceOrder>();
  const flagged = new Map<string, string>(); // order name -> standout kind, for arrivals seen live

  const status = h("span", { class: "en-vivo", id: "estado-en-vivo", role: "status" }, "conectando…");
  const dayInput = h("input", { type: "date", id: "dia", name: "dia", value: day });
  dayInput.addEventListener("change", () => {
    location.hash = `#/tablero?dia=${dayInput.value}`;
  });
  const error = h("p", { class: "error", role: "alert" });
  const columns = h("div", { class: "tablero", id: "tablero" });
  const notices = h("ol", { class: "avisos", id: "avisos", "aria-live": "polite", "aria-relevant": "additions" });

  replace(
    main,
    h(
      "header",
      { class: "encabezado" },
      h("h1", {}, role === "tecnico" ? "Mis visitas" : "Tablero de visitas"),
      h("div", { class: "controles" }, h("label", { for: "dia" }, "Día"), dayInput, status),
    ),
    error,
    h(
      "div",
      { class: "tablero-y-avisos" },
      columns,
      h("aside", { class: "panel-avisos", "aria-labelledby": "titulo-avisos" }, h("h2", { id: "titulo-avisos" }, "Avisos"), notices),
    ),
  );

  const draw = () => {
    const sorted = [...orders.values()].sort((a, b) => Number(visitWindow(a)?.startTime?.seconds ?? 0n) - Number(visitWindow(b)?.startTime?.seconds ?? 0n));
    replace(
      columns,
      ...COLUMNS.map((c) => {
        const mine = sorted.filter((o) => c.states.includes(o.state));
        return h(
          "section",
          { class: `columna columna-${c.id}`, "data-columna": c.id, "aria-labelledby": `col-${c.id}` },
          h("h2", { id: `col-${c.id}` }, c.title, " ", h("span", { class: "cuenta", "aria-label": `${mine.length} órdenes` }, String(mine.length))),
          h("ul", {}, ...mine.map((o) => card(o, flagged.get(o.name)))),
        );
      }),
    );
  };

  const inDay = (o: ServiceOrder) => {
    const start = visitWindow(o)?.startTime;
    return !!start && dayOf(start) === day;
  };

  const load = async () => {
    try {
      const seen = new Set<string>();
      let pageToken = "";
      do {
        const res = await api.orders.listServiceOrders(
          { windowStartAfter: dayStart(day), windowStartBefore: dayStart(nextDay(day)), pageSize: 200, pageToken, view: ServiceOrderView.BASIC },
          { signal },
        );
        for (const o of res.serviceOrders) {
          orders.set(o.name, o);
          seen.add(o.name);
        }
        pageToken = res.nextPageToken;
      } while (pageToken);
      for (const name of [...orders.keys()]) if (!seen.has(name)) orders.delete(name);
      error.textContent = "";
      draw();
    } catch (e) {
      if (!signal.aborted) error.textContent = errorText(e);
    }
  };

  const onEvent = async (e: Event) => {
    const kind = STANDOUT[e.type];
    try {
      const o = await api.orders.getServiceOrder({ name: e.serviceOrder, view: ServiceOrderView.BASIC }, { signal });
      if (inDay(o)) {
        orders.set(o.name, o);
        if (kind) flagged.set(o.name, kind);
      } else {
        orders.delete(o.name);
      }
      draw();
      notices.prepend(notice(e, o, kind));
      while (notices.children.length > 30) notices.lastElementChild?.remove();
    } catch (err) {
      if (!signal.aborted) error.textContent = errorText(err);
    }
  };

  if (role === "tecnico") {
    status.textContent = "se actualiza cada 3 s";
    void load();
    const timer = setInterval(load, 3000);
    signal.addEventListener("abort", () => clearInterval(timer));
    notices.append(h("li", { class: "aviso" }, "Los técnicos ven sólo sus propias visitas."));
  } else {
    watchEvents(
      (e) => void onEvent(e),
      (s: LiveStatus) => {
        status.textContent = s;
        status.dataset.estado = s;
      },
      signal,
      load,
    );
    void load();
  }
}

function card(o: ServiceOrder, flag: string | undefined): HTMLLIElement {
  const late = !!o.visit?.lateAlertTime;
  const escalation = awaitsConference(o);
  const classes = ["tarjeta", late && "tarjeta-retraso", escalation && "tarjeta-escalamiento", flag && `resaltada resaltada-${flag}`].filter(Boolean).join(" ");
  return h(
    "li",
    { class: classes, "data-orden": o.name, "data-estado": STATE_LABELS[o.state] },
    h(
      "a",
      { href: `#/orden/${orderId(o.name)}` },
      h("span", { class: "expediente" }, o.fileNumber),
      h("span", { class: "suscriptor" }, subscriberName(o)),
    ),
    h("span", { class: "ventana" }, h("span", { class: "visualmente-oculto" }, "Ventana: "), windowText(o)),
    h("span", { class: "tecnico" }, o.appointment?.technicianDisplayName || "Sin técnico"),
    h("span", { class: "colonia" }, o.address?.colonia ?? ""),
    late && h("strong", { class: "insignia insignia-retraso" }, `Retraso desde ${time(o.visit?.lateAlertTime)}`),
    escalation && h("strong", { class: "insignia insignia-escalamiento" }, "Espera conferencia"),
    o.state === S.COMPLETED && h("span", { class: "insignia insignia-completada" }, "Completada"),
  );
}

function notice(e: Event, o: ServiceOrder, kind: string | undefined): HTMLLIElement {
  return h(
    "li",
    { class: kind ? `aviso aviso-${kind}` : "aviso", "data-tipo": EVENT_LABELS[e.type] },
    h("time", {}, time(e.eventTime)),
    " ",
    kind ? h("strong", {}, EVENT_LABELS[e.type]) : EVENT_LABELS[e.type],
    " · ",
    h("a", { href: `#/orden/${orderId(o.name)}` }, `${o.fileNumber} ${subscriberName(o)}`),
    o.appointment?.technicianDisplayName ? ` · ${o.appointment.technicianDisplayName}` : "",
  );
}
