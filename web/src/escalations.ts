// The escalation queue [B6.a-f]: visits whose technician asked DOT for a conference with izzi
// support. The supervisor records the conference (agent, and the time when it was earlier)
// from here; the queue follows WatchEvents.
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { api, errorText, type Role } from "./api.js";
import { h, replace } from "./dom.js";
import { Event_Type } from "./gen/homevisit/v1/event_pb.js";
import { ServiceOrder_State, type ServiceOrder } from "./gen/homevisit/v1/service_order_pb.js";
import { awaitsConference, dateTime, orderId, subscriberName, time, windowText } from "./format.js";
import { watchEvents } from "./live.js";

export function renderEscalations(main: HTMLElement, role: Role, signal: AbortSignal): void {
  const list = h("ul", { class: "cola", id: "cola-escalamientos" });
  const error = h("p", { class: "error", role: "alert" });
  const count = h("p", { class: "ayuda", role: "status" });
  // Outside the list: the queue reloads as events arrive, and the confirmation must outlive it.
  const confirmation = h("p", { class: "confirmacion", role: "status", id: "confirmacion" });
  replace(
    main,
    h("header", { class: "encabezado" }, h("h1", {}, "Escalamientos"), count),
    h("p", { class: "ayuda" }, "Visitas cuyo técnico pidió la conferencia con soporte izzi. El supervisor registra el agente que atendió."),
    confirmation,
    error,
    list,
  );

  // Items are kept by order while they wait, so a reload never wipes a form being filled in.
  const items = new Map<string, HTMLLIElement>();
  const done = (text: string) => {
    confirmation.textContent = text;
    void load();
  };
  const load = async () => {
    try {
      const res = await api.orders.listServiceOrders({ states: [ServiceOrder_State.ESCALATING], pageSize: 200 }, { signal });
      const waiting = res.serviceOrders.filter(awaitsConference);
      count.textContent = waiting.length === 1 ? "1 visita espera conferencia" : `${waiting.length} visitas esperan conferencia`;
      for (const name of [...items.keys()]) if (!waiting.some((o) => o.name === name)) items.delete(name);
      for (const o of waiting) if (!items.has(o.name)) items.set(o.name, item(o, role, done));
      replace(list, ...(waiting.length ? waiting.map((o) => items.get(o.name)) : [h("li", { class: "vacio" }, "No hay escalamientos pendientes.")]));
      error.textContent = "";
    } catch (e) {
      if (!signal.aborted) error.textContent = errorText(e);
    }
  };
  watchEvents(
    (e) => {
      if (e.type === Event_Type.ESCALATION_REQUESTED || e.type === Event_Type.CONFERENCE_SET_UP || e.type === Event_Type.CANCELLED) void load();
    },
    () => {},
    signal,
  );
  void load();
}

function item(o: ServiceOrder, role: Role, done: (confirmation: string) => void): HTMLLIElement {
  const id = orderId(o.name);
  const esc = o.visit?.escalation;
  const li = h(
    "li",
    { class: "escalamiento", "data-orden": o.name },
    h("h2", {}, h("a", { href: `#/orden/${id}` }, `${o.fileNumber} · ${subscriberName(o)}`)),
    h(
      "dl",
      {},
      h("dt", {}, "Técnico"),
      h("dd", {}, o.appointment?.technicianDisplayName ?? "—"),
      h("dt", {}, "Ventana"),
      h("dd", {}, windowText(o)),
      h("dt", {}, "Solicitado"),
      h("dd", {}, dateTime(esc?.requestTime)),
      h("dt", {}, "Teléfono"),
      h("dd", {}, esc?.phoneUsed === 2 ? "Móvil del técnico" : "Línea del suscriptor"),
    ),
  );
  if (role !== "supervisor") return li;

  const agentId = `agente-${id}`;
  const timeId = `hora-${id}`;
  const agent = h("input", { id: agentId, name: "agente", required: true, autocomplete: "off" });
  const when = h("input", { id: timeId, name: "hora", type: "time" });
  const error = h("p", { class: "error", role: "alert" });
  const button = h("button", { type: "submit" }, "Registrar conferencia");
  const form = h(
    "form",
    { class: "conferencia", "aria-label": `Conferencia de ${o.fileNumber}` },
    h("label", { for: agentId }, "Agente de soporte izzi"),
    agent,
    h("label", { for: timeId }, "Hora de la conferencia (si fue antes; vacío: ahora)"),
    when,
    button,
    error,
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    button.disabled = true;
    error.textContent = "";
    try {
      let observeTime;
      if (when.value) {
        // The time typed is the supervisor's wall clock today.
        const [hh, mm] = when.value.split(":").map(Number);
        const d = new Date();
        d.setHours(hh, mm, 0, 0);
        observeTime = timestampFromDate(d);
      }
      const updated = await api.visits.recordConference({
        serviceOrder: o.name,
        supportAgent: agent.value.trim(),
        requestId: crypto.randomUUID(),
        etag: o.etag,
        observeTime,
      });
      done(`Conferencia de ${o.fileNumber} registrada con ${updated.visit?.escalation?.supportAgent} a las ${time(updated.visit?.escalation?.conferenceTime)}.`);
    } catch (e) {
      error.textContent = errorText(e);
      button.disabled = false;
    }
  });
  li.append(form);
  return li;
}
