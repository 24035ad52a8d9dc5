// homevisit's TypeScript SDK: the client, its errors, and the generated message types.
export {
  type CallOptions,
  type DeepPartial,
  HomevisitClient,
  type HomevisitClientOptions,
  type Pem,
  type RequestOf,
  type ResponseOf,
  type TlsOptions,
  type UnaryMethodName,
} from "./client";
export { Code, type FieldViolation, HomevisitError } from "./errors";
export { allPages } from "./pages";
export {
  backoffCapMs,
  backoffMs,
  DEFAULT_RETRY_POLICY,
  isRead,
  isRetryableError,
  isRetrySafe,
  requestIdOf,
  type RetryPolicy,
  shouldRetry,
  withRequestId,
} from "./retry";
export * from "./gen/homevisit/v1/common";
export * from "./gen/homevisit/v1/credential";
export * from "./gen/homevisit/v1/event";
export * from "./gen/homevisit/v1/reporting_service";
export * from "./gen/homevisit/v1/scheduling_service";
export * from "./gen/homevisit/v1/service_order";
export * from "./gen/homevisit/v1/service_order_service";
export * from "./gen/homevisit/v1/technician";
export * from "./gen/homevisit/v1/visit";
export * from "./gen/homevisit/v1/visit_report";
export * from "./gen/homevisit/v1/visit_service";
