// The dispatcher's day: technicians × hours with their appointments, live holds (options DOT is
// confirming with a subscriber, taken until they lapse or are booked), working hours and time
// off, and an availability search for a requested order, from which an option is held and booked.
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { api, errorText } from "./api.js";
import { h, replace } from "./dom.js";
import { ServiceOrder_State, type ServiceOrder } from "./gen/homevisit/v1/service_order_pb.js";
import type { Hold, SlotOption } from "./gen/homevisit/v1/scheduling_service_pb.js";
import type { Technician } from "./gen/homevisit/v1/technician_pb.js";
import { dateTime, dayStart, nextDay, orderId, subscriberName, time, TIME_ZONE, today, windowText } from "./format.js";

const HOURS = Array.from({ length: 14 }, (_, i) => i + 7); // 07:00-20:59

const hourFmt = new Intl.DateTimeFormat("en-US", { timeZone: TIME_ZONE, hour: "numeric", hourCycle: "h23" });
const hourOf = (d: Date) => Number(hourFmt.format(d));

export function renderDispatch(main: HTMLElement, params: URLSearchParams, signal: AbortSignal): void {
  const day = params.get("dia") || today();
  const dayInput = h("input", { type: "date", id: "dia-despacho", value: day });
  dayInput.addEventListener("change", () => (location.hash = `#/despacho?dia=${dayInput.value}`));
  const error = h("p", { class: "error", role: "alert" });
  const grid = h("div", { class: "rejilla", id: "rejilla" });
  const search = h("section", { class: "busqueda", "aria-labelledby": "titulo-busqueda" });
  replace(
    main,
    h("header", { class: "encabezado" }, h("h1", {}, "Día del despachador"), h("div", { class: "controles" }, h("label", { for: "dia-despacho" }, "Día"), dayInput)),
    error,
    grid,
    search,
  );

  const loadGrid = async () => {
    try {
      const [techs, orders, holds] = await Promise.all([
        api.technicians.listTechnicians({ pageSize: 500 }, { signal }),
        api.orders.listServiceOrders({ windowStartAfter: dayStart(day), windowStartBefore: dayStart(nextDay(day)), pageSize: 500 }, { signal }),
        api.scheduling.listHolds({ windowStartTime: dayStart(day), windowEndTime: dayStart(nextDay(day)), liveOnly: true, pageSize: 500 }, { signal }),
      ]);
      replace(grid, dayTable(day, techs.technicians, orders.serviceOrders, holds.holds));
    } catch (e) {
      if (!signal.aborted) error.textContent = errorText(e);
    }
  };
  void loadGrid();
  void renderSearch(search, loadGrid, signal);
}

// Whether the window [start, end) covers the hour `hr` of the day.
const covers = (start: Date, end: Date, hr: number) => hourOf(start) <= hr && hr < hourOf(end);

function dayTable(day: string, technicians: Technician[], orders: ServiceOrder[], holds: Hold[]): HTMLTableElement {
  const weekday = ((new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7) + 1; // google.type.DayOfWeek: MONDAY = 1
  const start = timestampDate(dayStart(day)).getTime();
  const end = timestampDate(dayStart(nextDay(day))).getTime();
  return h(
    "table",
    { class: "dia" },
    h("caption", {}, `Técnicos, citas y apartados del ${day}`),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Técnico"), ...HOURS.map((hr) => h("th", { scope: "col" }, `${hr}:00`)))),
    h(
      "tbody",
      {},
      ...technicians.map((t) => {
        const mine = orders.filter((o) => o.appointment?.technician === t.name && o.state !== ServiceOrder_State.CANCELLED);
        const held = holds.filter((x) => x.option?.technician === t.name);
        const off = t.timeOff.filter((x) => x.startTime && x.endTime && timestampDate(x.startTime).getTime() < end && timestampDate(x.endTime).getTime() > start);
        const works = (hr: number) =>
          t.workingHours.some((w) => w.dayOfWeek === weekday && (w.startTime?.hours ?? 0) <= hr && hr < (w.endTime?.hours ?? 0) + ((w.endTime?.minutes ?? 0) > 0 ? 1 : 0));
        return h(
          "tr",
          { "data-tecnico": t.name },
          h("th", { scope: "row" }, t.displayName),
          ...HOURS.map((hr) => {
            const visit = mine.find((o) => {
              const w = o.appointment?.window;
              return w?.startTime && w.endTime && covers(timestampDate(w.startTime), timestampDate(w.endTime), hr);
            });
            const hold = held.find((x) => {
              const w = x.option?.window;
              return w?.startTime && w.endTime && covers(timestampDate(w.startTime), timestampDate(w.endTime), hr);
            });
            const away = off.find((x) => hourOf(timestampDate(x.startTime!)) <= hr || timestampDate(x.startTime!).getTime() < start);
            if (visit) {
              return h("td", { class: "celda-cita" }, h("a", { href: `#/orden/${orderId(visit.name)}`, title: `${visit.fileNumber} ${windowText(visit)}` }, visit.fileNumber));
            }
            if (hold) return holdCell(hold);
            if (away) return h("td", { class: "celda-descanso" }, h("span", { class: "visualmente-oculto" }, "Ausente: "), away.reason || "Ausente");
            return works(hr) ? h("td", { class: "celda-libre" }, h("span", { class: "visualmente-oculto" }, "Libre")) : h("td", { class: "celda-fuera" }, h("span", { class: "visualmente-oculto" }, "Fuera de horario"));
          }),
        );
      }),
    ),
  );
}

// A live hold: not an appointment yet, so it looks different (hatched, "Apartado") and says so
// to a screen reader, with the window, the order and when it lapses.
function holdCell(hold: Hold): HTMLTableCellElement {
  const w = hold.option?.window;
  const label = `Apartado ${time(w?.startTime)}–${time(w?.endTime)} para la orden ${orderId(hold.serviceOrder)}, vence a las ${time(hold.expireTime)}`;
  return h(
    "td",
    { class: "celda-apartado", "data-apartado": hold.name },
    h("a", { href: `#/orden/${orderId(hold.serviceOrder)}`, title: label, "aria-label": label }, "Apartado"),
  );
}

async function renderSearch(section: HTMLElement, reloadGrid: () => Promise<void>, signal: AbortSignal): Promise<void> {
  const error = h("p", { class: "error", role: "alert" });
  const results = h("div", { id: "opciones", "aria-live": "polite" });
  const select = h("select", { id: "orden-a-agendar", name: "orden" });
  const form = h(
    "form",
    {},
    h("label", { for: "orden-a-agendar" }, "Orden por agendar"),
    select,
    h("button", { type: "submit" }, "Buscar disponibilidad"),
  );
  replace(section, h("h2", { id: "titulo-busqueda" }, "Agendar una orden"), form, error, results);
  try {
    const res = await api.orders.listServiceOrders({ states: [ServiceOrder_State.REQUESTED], pageSize: 200 }, { signal });
    replace(
      select,
      ...res.serviceOrders.map((o) => h("option", { value: o.name }, `${o.fileNumber} · ${subscriberName(o)} · pide ${dateTime(o.requestedWindow?.startTime)}`)),
    );
    if (!res.serviceOrders.length) select.append(h("option", { value: "" }, "No hay órdenes por agendar"));
  } catch (e) {
    error.textContent = errorText(e);
  }
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    error.textContent = "";
    if (!select.value) return;
    try {
      const offer = await api.scheduling.checkAvailability({ serviceOrder: select.value });
      const options: SlotOption[] = [...(offer.requested ? [offer.requested] : []), ...offer.sameDay, ...offer.otherDays];
      replace(results, options.length ? optionList(select.value, options, error, reloadGrid) : h("p", {}, "No hay horarios disponibles."));
    } catch (e) {
      error.textContent = errorText(e);
    }
  });
}

function optionList(order: string, options: SlotOption[], error: HTMLElement, reloadGrid: () => Promise<void>): HTMLElement {
  const status = h("p", { role: "status", id: "estado-agenda" });
  const choices = options.map((opt, i) =>
    h(
      "li",
      {},
      h("input", { type: "radio", name: "opcion", id: `opcion-${i}`, value: String(i), checked: i === 0 }),
      h("label", { for: `opcion-${i}` }, `${dateTime(opt.window?.startTime)}–${time(opt.window?.endTime)} · ${opt.technicianDisplayName}`),
    ),
  );
  let hold = "";
  const chosen = () => options[Number((document.querySelector('input[name="opcion"]:checked') as HTMLInputElement | null)?.value ?? 0)];
  const holdButton = h("button", { type: "button" }, "Apartar");
  const bookButton = h("button", { type: "button" }, "Agendar");
  holdButton.addEventListener("click", async () => {
    try {
      const made = await api.scheduling.createHold({ serviceOrder: order, option: chosen(), requestId: crypto.randomUUID() });
      hold = made.name;
      status.textContent = `Apartado hasta las ${time(made.expireTime)}.`;
      void reloadGrid();
    } catch (e) {
      error.textContent = errorText(e);
    }
  });
  bookButton.addEventListener("click", async () => {
    try {
      const booked = await api.scheduling.bookAppointment({
        serviceOrder: order,
        requestId: crypto.randomUUID(),
        source: hold ? { case: "hold", value: hold } : { case: "option", value: chosen() },
      });
      status.textContent = `Agendada con ${booked.appointment?.technicianDisplayName}, ${windowText(booked)}.`;
      void reloadGrid();
    } catch (e) {
      error.textContent = errorText(e);
    }
  });
  return h("fieldset", {}, h("legend", {}, "Horarios disponibles"), h("ul", { class: "opciones" }, ...choices), holdButton, bookButton, status);
}
