// A thin, idiomatic layer over the generated @grpc/grpc-js clients: one channel with TLS and a
// bearer token, a default deadline on every call, the retry and request-id policy of
// sdk/README.md (see retry.ts), and HomevisitError for every failure. The generated clients stay
// reachable for the rest.
import { readFileSync } from "node:fs";
import {
  type CallOptions as GrpcCallOptions,
  type ChannelCredentials,
  type Client,
  type ClientUnaryCall,
  credentials,
  Metadata,
  type ServiceError,
  status,
} from "@grpc/grpc-js";
import { HomevisitError, isServiceError } from "./errors";
import { type Event, EventServiceClient, ListEventsRequest, type ListEventsResponse, WatchEventsRequest } from "./gen/homevisit/v1/event";
import {
  BookAppointmentRequest,
  type CheckAvailabilityResponse,
  CheckAvailabilityRequest,
  CreateHoldRequest,
  type Hold,
  ListHoldsRequest,
  type ListHoldsResponse,
  ReleaseHoldRequest,
  SchedulingServiceClient,
} from "./gen/homevisit/v1/scheduling_service";
import { ServiceOrder, ServiceOrderView } from "./gen/homevisit/v1/service_order";
import {
  CancelServiceOrderRequest,
  CreateServiceOrderRequest,
  GetServiceOrderRequest,
  ListServiceOrdersRequest,
  type ListServiceOrdersResponse,
  ServiceOrderServiceClient,
  UpdateServiceOrderRequest,
} from "./gen/homevisit/v1/service_order_service";
import {
  GetTechnicianRequest,
  ListTechniciansRequest,
  type ListTechniciansResponse,
  type Technician,
  TechnicianServiceClient,
} from "./gen/homevisit/v1/technician";
import {
  GetVisitReportDocumentRequest,
  GetVisitReportRequest,
  ListVisitReportsRequest,
  type ListVisitReportsResponse,
  type VisitReport,
  type VisitReportDocument,
  VisitReportServiceClient,
} from "./gen/homevisit/v1/visit_report";
import { type Credential, CredentialServiceClient, ListCredentialsRequest, type ListCredentialsResponse } from "./gen/homevisit/v1/credential";
import { VisitServiceClient } from "./gen/homevisit/v1/visit_service";
import { GetProgramMetricsRequest, type ProgramMetrics, ReportingServiceClient } from "./gen/homevisit/v1/reporting_service";
import { allPages } from "./pages";
import { backoffMs, DEFAULT_RETRY_POLICY, isRetrySafe, type RetryPolicy, shouldRetry, withRequestId } from "./retry";

type Builtin = Date | Function | Uint8Array | string | number | boolean | undefined;
/** Any part of a message: what the generated `fromPartial` accepts; the rest takes defaults. */
export type DeepPartial<T> = T extends Builtin ? T
  : T extends globalThis.Array<infer U> ? globalThis.Array<DeepPartial<U>>
  : T extends ReadonlyArray<infer U> ? ReadonlyArray<DeepPartial<U>>
  : T extends {} ? { [K in keyof T]?: DeepPartial<T[K]> }
  : Partial<T>;

/** PEM contents, or a path to a PEM file. */
export type Pem = Buffer | string;

export interface TlsOptions {
  /** Trusted roots; the system roots when absent. */
  rootCerts?: Pem;
  /** Client certificate chain and key, for mutual TLS (both or neither). */
  certChain?: Pem;
  privateKey?: Pem;
  /** The name to check in the server certificate (tests with a self-signed certificate). */
  serverNameOverride?: string;
}

export interface HomevisitClientOptions {
  /** `host:port`. Default `127.0.0.1:50051`. */
  address?: string;
  /** Sent as `authorization: Bearer <token>` on every call. */
  token?: string;
  /** Called before every call for a fresh token; wins over `token`. */
  tokenSource?: () => string | Promise<string>;
  /** `true` for TLS with the system roots, or the TLS settings; plaintext when absent. */
  tls?: boolean | TlsOptions;
  /** Deadline of a unary call (all attempts together). Default 10 000 ms. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Extra channel options for grpc-js. */
  channelOptions?: Record<string, string | number>;
}

export interface CallOptions {
  /** Overrides the client's timeoutMs; for watchEvents, none by default. */
  timeoutMs?: number;
  /** Extra request headers. */
  metadata?: Record<string, string>;
  /** Aborts the call (a watch, typically). */
  signal?: AbortSignal;
}

type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<GrpcCallOptions>,
  callback: (error: ServiceError | null, response: Res) => void,
) => ClientUnaryCall;

/** The names of a generated client's unary methods ("createServiceOrder", ...; not streams). */
export type UnaryMethodName<C> = {
  [K in keyof C]-?: C[K] extends (...args: infer A) => ClientUnaryCall
    ? A extends [unknown, Metadata, Partial<GrpcCallOptions>, (error: ServiceError | null, response: any) => void] ? K : never
    : never;
}[keyof C] & string;
/** The request and response messages of a generated unary method. */
export type RequestOf<M> = M extends UnaryMethod<infer Req, any> ? Req : never;
export type ResponseOf<M> = M extends UnaryMethod<any, infer Res> ? Res : never;

/** What grpc-js attaches to each generated method besides the function itself. */
interface MethodAttributes {
  /** "/homevisit.v1.ServiceOrderService/CreateServiceOrder" */
  path?: string;
  requestDeserialize?: (bytes: Buffer) => unknown;
}

/** Whether the method's request message has a `requestId` field (its default message has it). */
function requestHasIdField(method: MethodAttributes): boolean {
  try {
    const empty = method.requestDeserialize?.(Buffer.alloc(0));
    return typeof empty === "object" && empty !== null && "requestId" in empty;
  } catch {
    return false;
  }
}

function pem(value: Pem | undefined): Buffer | null {
  if (value === undefined) return null;
  if (Buffer.isBuffer(value)) return value;
  return value.includes("-----BEGIN") ? Buffer.from(value) : readFileSync(value);
}

function channelCredentials(tls: boolean | TlsOptions | undefined): ChannelCredentials {
  if (!tls) return credentials.createInsecure();
  const options: TlsOptions = tls === true ? {} : tls;
  const certChain = pem(options.certChain);
  const privateKey = pem(options.privateKey);
  if ((certChain === null) !== (privateKey === null)) {
    throw new Error("mutual TLS needs both certChain and privateKey");
  }
  return credentials.createSsl(pem(options.rootCerts), privateKey, certChain);
}

/** Waits `ms`, or less when `signal` aborts meanwhile. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

export class HomevisitClient {
  readonly orders: ServiceOrderServiceClient;
  readonly scheduling: SchedulingServiceClient;
  readonly events: EventServiceClient;
  readonly technicians: TechnicianServiceClient;
  readonly reports: VisitReportServiceClient;
  /** The visit steps (technicians, DOT's calls and conference). */
  readonly visits: VisitServiceClient;
  /** Credentials (admins). */
  readonly credentials: CredentialServiceClient;
  /** The contract figures (DOT supervisors, dispatchers). */
  readonly reporting: ReportingServiceClient;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;

  constructor(private readonly options: HomevisitClientOptions = {}) {
    const address = options.address ?? "127.0.0.1:50051";
    const creds = channelCredentials(options.tls);
    const channelOptions: Record<string, string | number> = { ...options.channelOptions };
    const override = typeof options.tls === "object" ? options.tls.serverNameOverride : undefined;
    if (override) {
      channelOptions["grpc.ssl_target_name_override"] = override;
      channelOptions["grpc.default_authority"] = override;
    }
    this.orders = new ServiceOrderServiceClient(address, creds, channelOptions);
    // The other clients share the first one's channel.
    const shared = { channelOverride: this.orders.getChannel() };
    this.scheduling = new SchedulingServiceClient(address, creds, shared);
    this.events = new EventServiceClient(address, creds, shared);
    this.technicians = new TechnicianServiceClient(address, creds, shared);
    this.reports = new VisitReportServiceClient(address, creds, shared);
    this.visits = new VisitServiceClient(address, creds, shared);
    this.credentials = new CredentialServiceClient(address, creds, shared);
    this.reporting = new ReportingServiceClient(address, creds, shared);
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  close(): void {
    this.orders.close();
  }

  /** The token and extra headers of one call. */
  async metadata(call: CallOptions = {}): Promise<Metadata> {
    const metadata = new Metadata();
    const token = this.options.tokenSource ? await this.options.tokenSource() : this.options.token;
    if (token) metadata.set("authorization", `Bearer ${token}`);
    for (const [key, value] of Object.entries(call.metadata ?? {})) metadata.set(key, value);
    return metadata;
  }

  /**
   * Runs the unary method `method` of the generated client `stub` (`client.orders`, ...) under
   * the policy of sdk/README.md: an empty `requestId` is filled with a random UUID (on a copy,
   * the same for every attempt); reads (Get*, List*, CheckAvailability, RenderScript) and
   * requests with a request id are retried on UNAVAILABLE, ABORTED (unless ETAG_MISMATCH or
   * SLOT_TAKEN) and RESOURCE_EXHAUSTED SERVER_BUSY; one deadline covers all attempts and pauses.
   * Public so that callers can run any generated method the same way:
   * `client.unary(client.orders, "updateServiceOrder", UpdateServiceOrderRequest.fromPartial({...}))`.
   */
  async unary<C extends Client, K extends UnaryMethodName<C>>(
    stub: C,
    method: K,
    request: RequestOf<C[K]>,
    call: CallOptions = {},
  ): Promise<ResponseOf<C[K]>> {
    type Res = ResponseOf<C[K]>;
    const fn = stub[method] as unknown as UnaryMethod<RequestOf<C[K]>, Res> & MethodAttributes;
    if (typeof fn !== "function") throw new TypeError(`${String(method)} is not a method of this client`);
    const name: string = method;
    const rpc = fn.path?.split("/").pop() || name.charAt(0).toUpperCase() + name.slice(1);
    const sent = withRequestId(request, requestHasIdField(fn));
    const idempotent = isRetrySafe(rpc, sent);
    const deadline = Date.now() + (call.timeoutMs ?? this.timeoutMs);
    for (let attempt = 1; ; attempt++) {
      const metadata = await this.metadata(call);
      try {
        return await new Promise<Res>((resolve, reject) => {
          const abort = () => pending.cancel();
          const pending = fn.call(stub, sent, metadata, { deadline: new Date(deadline) }, (error, response) => {
            call.signal?.removeEventListener("abort", abort);
            if (error) reject(error);
            else resolve(response);
          });
          if (call.signal?.aborted) abort();
          else call.signal?.addEventListener("abort", abort, { once: true });
        });
      } catch (error) {
        if (!isServiceError(error)) throw error;
        const failure = HomevisitError.fromServiceError(error);
        if (call.signal?.aborted || !shouldRetry(this.retry, idempotent, failure.code, attempt, failure.reason)) throw failure;
        const wait = backoffMs(this.retry, attempt);
        if (Date.now() + wait >= deadline) throw failure; // no retry would end in time
        await pause(wait, call.signal);
        if (call.signal?.aborted) {
          throw new HomevisitError({ code: status.CANCELLED, details: `cancelled by the caller after ${failure.message}`, cause: failure });
        }
      }
    }
  }

  // --- Orders [S1]

  /**
   * Intake. Without `requestId` a random UUID is used, which makes the call safe to retry: a
   * repeat returns the first order and creates nothing. Pass your own to repeat it yourself later.
   */
  createServiceOrder(order: DeepPartial<ServiceOrder>, requestId = "", call?: CallOptions): Promise<ServiceOrder> {
    const request = CreateServiceOrderRequest.fromPartial({ serviceOrder: order, requestId });
    return this.unary(this.orders, "createServiceOrder", request, call);
  }

  /** The whole order, signature image included (`view` BASIC leaves the image out). */
  getServiceOrder(name: string, call?: CallOptions, view: ServiceOrderView = ServiceOrderView.SERVICE_ORDER_VIEW_UNSPECIFIED): Promise<ServiceOrder> {
    const request = GetServiceOrderRequest.fromPartial({ name, view });
    return this.unary(this.orders, "getServiceOrder", request, call);
  }

  listServiceOrders(request: DeepPartial<ListServiceOrdersRequest> = {}, call?: CallOptions): Promise<ListServiceOrdersResponse> {
    const full = ListServiceOrdersRequest.fromPartial(request);
    return this.unary(this.orders, "listServiceOrders", full, call);
  }

  /**
   * Every order matching the filters (newest first), page after page from `request.pageToken`:
   * `for await (const order of client.allServiceOrders({ fileNumber }))`. Each page is one
   * listServiceOrders call with its own deadline and retries; a failed page throws its
   * HomevisitError where the loop stands. The same holds for every all* method.
   */
  allServiceOrders(request: DeepPartial<ListServiceOrdersRequest> = {}, call?: CallOptions): AsyncGenerator<ServiceOrder> {
    return allPages((r) => this.listServiceOrders(r, call), request, (page) => page.serviceOrders);
  }

  updateServiceOrder(order: DeepPartial<ServiceOrder>, paths: string[], call?: CallOptions): Promise<ServiceOrder> {
    const request = UpdateServiceOrderRequest.fromPartial({ serviceOrder: order, updateMask: paths });
    return this.unary(this.orders, "updateServiceOrder", request, call);
  }

  cancelServiceOrder(name: string, reason: string, etag = "", call?: CallOptions): Promise<ServiceOrder> {
    const request = CancelServiceOrderRequest.fromPartial({ name, reason, etag });
    return this.unary(this.orders, "cancelServiceOrder", request, call);
  }

  // --- Scheduling [S2-S4]

  checkAvailability(request: DeepPartial<CheckAvailabilityRequest>, call?: CallOptions): Promise<CheckAvailabilityResponse> {
    const full = CheckAvailabilityRequest.fromPartial(request);
    return this.unary(this.scheduling, "checkAvailability", full, call);
  }

  createHold(request: DeepPartial<CreateHoldRequest>, call?: CallOptions): Promise<Hold> {
    const full = CreateHoldRequest.fromPartial(request);
    return this.unary(this.scheduling, "createHold", full, call);
  }

  releaseHold(name: string, call?: CallOptions): Promise<Hold> {
    return this.unary(this.scheduling, "releaseHold", ReleaseHoldRequest.fromPartial({ name }), call);
  }

  listHolds(request: DeepPartial<ListHoldsRequest> = {}, call?: CallOptions): Promise<ListHoldsResponse> {
    const full = ListHoldsRequest.fromPartial(request);
    return this.unary(this.scheduling, "listHolds", full, call);
  }

  /** Every hold the request matches (earliest window first), page after page. */
  allHolds(request: DeepPartial<ListHoldsRequest> = {}, call?: CallOptions): AsyncGenerator<Hold> {
    return allPages((r) => this.listHolds(r, call), request, (page) => page.holds);
  }

  bookAppointment(request: DeepPartial<BookAppointmentRequest>, call?: CallOptions): Promise<ServiceOrder> {
    const full = BookAppointmentRequest.fromPartial(request);
    return this.unary(this.scheduling, "bookAppointment", full, call);
  }

  // --- Contract figures (issue 19)

  /** The figures of the orders requested from startDate to endDate (local dates, inclusive). */
  getProgramMetrics(request: DeepPartial<GetProgramMetricsRequest>, call?: CallOptions): Promise<ProgramMetrics> {
    const full = GetProgramMetricsRequest.fromPartial(request);
    return this.unary(this.reporting, "getProgramMetrics", full, call);
  }

  // --- Reports [G1, G5]

  /** `name` is `serviceOrders/{id}/visitReport`, or an order name (the suffix is added). */
  getVisitReport(name: string, call?: CallOptions): Promise<VisitReport> {
    const reportName = name.endsWith("/visitReport") ? name : `${name}/visitReport`;
    const request = GetVisitReportRequest.fromPartial({ name: reportName });
    return this.unary(this.reports, "getVisitReport", request, call);
  }

  /**
   * The report's document as issued at completion: the PDF (`pdf`) with its evidence hashes.
   * `name` is `serviceOrders/{id}/visitReport/document`, a report name or an order name.
   */
  getVisitReportDocument(name: string, call?: CallOptions): Promise<VisitReportDocument> {
    const base = name.endsWith("/visitReport/document") ? name.slice(0, -"/document".length) : name;
    const reportName = base.endsWith("/visitReport") ? base : `${base}/visitReport`;
    const request = GetVisitReportDocumentRequest.fromPartial({ name: `${reportName}/document` });
    return this.unary(this.reports, "getVisitReportDocument", request, call);
  }

  listVisitReports(request: DeepPartial<ListVisitReportsRequest>, call?: CallOptions): Promise<ListVisitReportsResponse> {
    const full = ListVisitReportsRequest.fromPartial(request);
    return this.unary(this.reports, "listVisitReports", full, call);
  }

  /** Every report of the request's file (newest first), page after page. */
  allVisitReports(request: DeepPartial<ListVisitReportsRequest>, call?: CallOptions): AsyncGenerator<VisitReport> {
    return allPages((r) => this.listVisitReports(r, call), request, (page) => page.visitReports);
  }

  // --- Technicians

  getTechnician(name: string, call?: CallOptions): Promise<Technician> {
    return this.unary(this.technicians, "getTechnician", GetTechnicianRequest.fromPartial({ name }), call);
  }

  listTechnicians(request: DeepPartial<ListTechniciansRequest> = {}, call?: CallOptions): Promise<ListTechniciansResponse> {
    const full = ListTechniciansRequest.fromPartial(request);
    return this.unary(this.technicians, "listTechnicians", full, call);
  }

  /** Every technician matching the filters (a dispatcher's call), page after page. */
  allTechnicians(request: DeepPartial<ListTechniciansRequest> = {}, call?: CallOptions): AsyncGenerator<Technician> {
    return allPages((r) => this.listTechnicians(r, call), request, (page) => page.technicians);
  }

  // --- Credentials (admins; issue and revoke with unary(client.credentials, ...))

  /** One page of credentials (never their tokens). */
  listCredentials(request: DeepPartial<ListCredentialsRequest> = {}, call?: CallOptions): Promise<ListCredentialsResponse> {
    const full = ListCredentialsRequest.fromPartial(request);
    return this.unary(this.credentials, "listCredentials", full, call);
  }

  /** Every credential, page after page. */
  allCredentials(request: DeepPartial<ListCredentialsRequest> = {}, call?: CallOptions): AsyncGenerator<Credential> {
    return allPages((r) => this.listCredentials(r, call), request, (page) => page.credentials);
  }

  // --- Events (SPEC §6)

  listEvents(request: DeepPartial<ListEventsRequest> = {}, call?: CallOptions): Promise<ListEventsResponse> {
    const full = ListEventsRequest.fromPartial(request);
    return this.unary(this.events, "listEvents", full, call);
  }

  /** Every event matching the filters (oldest first), page after page. */
  allEvents(request: DeepPartial<ListEventsRequest> = {}, call?: CallOptions): AsyncGenerator<Event> {
    return allPages((r) => this.listEvents(r, call), request, (page) => page.events);
  }

  /**
   * Streams events as they are appended: `for await (const event of client.watchEvents(...))`.
   * Breaking out of the loop, or `call.signal`, cancels the stream. Not retried: resume with
   * `afterCursor` set to the last event's cursor.
   */
  async *watchEvents(request: DeepPartial<WatchEventsRequest> = {}, call: CallOptions = {}): AsyncGenerator<Event> {
    const options: Partial<GrpcCallOptions> = call.timeoutMs ? { deadline: new Date(Date.now() + call.timeoutMs) } : {};
    const stream = this.events.watchEvents(WatchEventsRequest.fromPartial(request), await this.metadata(call), options);
    const abort = () => stream.cancel();
    call.signal?.addEventListener("abort", abort, { once: true });
    try {
      for await (const message of stream) {
        if (message.event) yield message.event;
      }
    } catch (error) {
      if (isServiceError(error)) {
        if (call.signal?.aborted && error.code === 1 /* CANCELLED */) return;
        throw HomevisitError.fromServiceError(error);
      }
      throw error;
    } finally {
      call.signal?.removeEventListener("abort", abort);
      stream.cancel();
    }
  }
}
