// Spanish labels and times in the service's time zone (homevisitd's --time-zone default).
import { timestampDate, timestampFromDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { ServiceOrder_State, type ServiceOrder } from "./gen/homevisit/v1/service_order_pb.js";
import { Event_Type } from "./gen/homevisit/v1/event_pb.js";

export const TIME_ZONE = "America/Mexico_City";

export const STATE_LABELS: Record<ServiceOrder_State, string> = {
  [ServiceOrder_State.UNSPECIFIED]: "Sin estado",
  [ServiceOrder_State.REQUESTED]: "Solicitada",
  [ServiceOrder_State.SCHEDULED]: "Agendada",
  [ServiceOrder_State.CONFIRMED]: "Confirmada",
  [ServiceOrder_State.ON_SITE]: "En sitio",
  [ServiceOrder_State.ESCALATING]: "Escalando",
  [ServiceOrder_State.OUTCOME_RECORDED]: "Resultado registrado",
  [ServiceOrder_State.SIGNED]: "Firmada",
  [ServiceOrder_State.COMPLETED]: "Completada",
  [ServiceOrder_State.CANCELLED]: "Cancelada",
};

export const EVENT_LABELS: Record<Event_Type, string> = {
  [Event_Type.UNSPECIFIED]: "Evento",
  [Event_Type.ORDER_CREATED]: "Orden creada",
  [Event_Type.ORDER_UPDATED]: "Orden modificada",
  [Event_Type.SLOT_HELD]: "Horario apartado",
  [Event_Type.HOLD_RELEASED]: "Apartado liberado",
  [Event_Type.BOOKED]: "Cita agendada",
  [Event_Type.TECHNICIAN_ASSIGNED]: "Técnico asignado",
  [Event_Type.RESCHEDULED]: "Cita reprogramada",
  [Event_Type.CALL_RECORDED]: "Llamada registrada",
  [Event_Type.TECHNICIAN_LATE]: "Técnico con retraso",
  [Event_Type.CHECKED_IN]: "Técnico en sitio",
  [Event_Type.DIAGNOSIS_RECORDED]: "Diagnóstico registrado",
  [Event_Type.ESCALATION_REQUESTED]: "Escalamiento solicitado",
  [Event_Type.CONFERENCE_SET_UP]: "Conferencia establecida",
  [Event_Type.HANDED_OVER]: "Suscriptor transferido a soporte",
  [Event_Type.OUTCOME_RECORDED]: "Resultado registrado",
  [Event_Type.SIGNED]: "Firma capturada",
  [Event_Type.COMPLETED]: "Visita completada",
  [Event_Type.CANCELLED]: "Orden cancelada",
};

const timeFmt = new Intl.DateTimeFormat("es-MX", { timeZone: TIME_ZONE, hour: "2-digit", minute: "2-digit", hour12: false });
const dateTimeFmt = new Intl.DateTimeFormat("es-MX", { timeZone: TIME_ZONE, day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const dayFmt = new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" });

export const time = (t?: Timestamp) => (t ? timeFmt.format(timestampDate(t)) : "—");
export const dateTime = (t?: Timestamp) => (t ? dateTimeFmt.format(timestampDate(t)) : "—");

/** Today (YYYY-MM-DD) in the service's time zone. */
export const today = () => dayFmt.format(new Date());
export const dayOf = (t: Timestamp) => dayFmt.format(timestampDate(t));

/** Midnight of a YYYY-MM-DD day in the service's time zone, as a Timestamp. */
export function dayStart(day: string): Timestamp {
  const [y, m, d] = day.split("-").map(Number);
  const guess = Date.UTC(y, m - 1, d);
  // The zone's offset at that instant: format it there, read the wall clock back as if UTC.
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone: TIME_ZONE, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" })
      .formatToParts(new Date(guess))
      .map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute);
  return timestampFromDate(new Date(guess - (wall - guess)));
}

export function nextDay(day: string): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** The window the visit happens in: the appointment's, else the requested one. */
export const visitWindow = (o: ServiceOrder) => o.appointment?.window ?? o.requestedWindow;

export const windowText = (o: ServiceOrder) => {
  const w = visitWindow(o);
  return w ? `${time(w.startTime)}–${time(w.endTime)}` : "—";
};

export const orderId = (name: string) => name.replace(/^serviceOrders\//, "");
export const subscriberName = (o: ServiceOrder) => `${o.subscriber?.givenName ?? ""} ${o.subscriber?.familyName ?? ""}`.trim();

/** Waiting for the supervisor: escalation requested, no conference yet. */
export const awaitsConference = (o: ServiceOrder) =>
  o.state === ServiceOrder_State.ESCALATING && !!o.visit?.escalation?.requestTime && !o.visit?.escalation?.conferenceTime;
