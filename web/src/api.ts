// The typed clients (generated from proto/homevisit/v1 by protoc-gen-es) over gRPC-Web through
// the gateway, which serves this page: same origin, so no CORS. The token lives in
// sessionStorage only (this tab), and every call carries it as a bearer token.
import { Code, ConnectError, createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { ServiceOrderService } from "./gen/homevisit/v1/service_order_service_pb.js";
import { EventService } from "./gen/homevisit/v1/event_pb.js";
import { VisitService } from "./gen/homevisit/v1/visit_service_pb.js";
import { SchedulingService } from "./gen/homevisit/v1/scheduling_service_pb.js";
import { TechnicianService } from "./gen/homevisit/v1/technician_pb.js";
import { VisitReportService } from "./gen/homevisit/v1/visit_report_pb.js";
import { ReportingService } from "./gen/homevisit/v1/reporting_service_pb.js";
import { CredentialService } from "./gen/homevisit/v1/credential_pb.js";

const TOKEN_KEY = "homevisit.token";
const ROLE_KEY = "homevisit.role";

export type Role = "supervisor" | "operador" | "despachador" | "tecnico" | "admin";

export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  role: (): Role | null => sessionStorage.getItem(ROLE_KEY) as Role | null,
  save(token: string, role: Role) {
    sessionStorage.setItem(TOKEN_KEY, token);
    sessionStorage.setItem(ROLE_KEY, role);
  },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(ROLE_KEY);
  },
};

function bearer(token: () => string | null): Interceptor {
  return (next) => async (req) => {
    const t = token();
    if (t) req.header.set("Authorization", `Bearer ${t}`);
    return next(req);
  };
}

export interface Api {
  orders: Client<typeof ServiceOrderService>;
  events: Client<typeof EventService>;
  visits: Client<typeof VisitService>;
  scheduling: Client<typeof SchedulingService>;
  technicians: Client<typeof TechnicianService>;
  reports: Client<typeof VisitReportService>;
  reporting: Client<typeof ReportingService>;
  credentials: Client<typeof CredentialService>;
}

export function makeApi(token: () => string | null): Api {
  const transport = createGrpcWebTransport({ baseUrl: location.origin, interceptors: [bearer(token)] });
  return {
    orders: createClient(ServiceOrderService, transport),
    events: createClient(EventService, transport),
    visits: createClient(VisitService, transport),
    scheduling: createClient(SchedulingService, transport),
    technicians: createClient(TechnicianService, transport),
    reports: createClient(VisitReportService, transport),
    reporting: createClient(ReportingService, transport),
    credentials: createClient(CredentialService, transport),
  };
}

export const api = makeApi(session.token);

// There is no "who am I" call: the role is what the server lets this token do. Each probe is a
// cheap read that only some roles may make (server/api/authorization.cc); a refusal is
// PERMISSION_DENIED, any other answer means allowed.
async function allowed(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (e) {
    const err = ConnectError.from(e);
    if (err.code === Code.PermissionDenied) return false;
    if (err.code === Code.Unauthenticated) throw err;
    return true;
  }
}

export async function probeRole(token: string): Promise<Role> {
  const probe = makeApi(() => token);
  if (!(await allowed(() => probe.orders.listServiceOrders({ pageSize: 1 })))) return "admin";
  if (!(await allowed(() => probe.events.listEvents({ pageSize: 1 })))) return "tecnico";
  if (await allowed(() => probe.technicians.listTechnicians({ pageSize: 1 }))) return "despachador";
  if (await allowed(() => probe.reporting.getProgramMetrics({}))) return "supervisor";
  return "operador";
}

export function errorText(e: unknown): string {
  const err = ConnectError.from(e);
  switch (err.code) {
    case Code.Unauthenticated:
      return "El token no es válido o fue revocado.";
    case Code.PermissionDenied:
      return "Tu rol no puede hacer esto.";
    case Code.FailedPrecondition:
      return `No es posible en el estado actual: ${err.rawMessage}`;
    case Code.Aborted:
      return `Alguien más cambió la orden o el horario: ${err.rawMessage}`;
    case Code.Unavailable:
      return "El servicio no responde; reintenta en un momento.";
    default:
      return err.rawMessage || String(e);
  }
}
