// The retry and request-id policy every homevisit SDK follows (sdk/README.md):
//
// - an empty `requestId` is filled with a random UUID before the first attempt, so that every
//   write that has the field can be repeated safely (the server answers a repeat with the first
//   response);
// - only calls safe to repeat are retried: reads (Get*, List*, CheckAvailability, RenderScript)
//   and requests carrying a non-empty request id (every write but CreateCredential);
// - only on UNAVAILABLE, ABORTED (unless ETAG_MISMATCH or SLOT_TAKEN) and RESOURCE_EXHAUSTED with
//   reason SERVER_BUSY;
// - 4 attempts in all, full-jitter backoff, one deadline for all attempts and pauses.
import { randomUUID } from "node:crypto";
import { status as Code } from "@grpc/grpc-js";

export interface RetryPolicy {
  /** Attempts in all; 1 disables retries. Default 4. */
  maxAttempts: number;
  /** The cap of the first pause. Default 100 ms. */
  initialBackoffMs: number;
  /** No pause is longer. Default 2000 ms. */
  maxBackoffMs: number;
  /** The cap grows by this factor per retry. Default 2. */
  multiplier: number;
  /** Full jitter: wait a uniformly random time in [0, cap]. Default true; false waits the cap. */
  jitter: boolean;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  initialBackoffMs: 100,
  maxBackoffMs: 2000,
  multiplier: 2,
  jitter: true,
};

const READ_METHODS = new Set(["CheckAvailability", "RenderScript"]);

/** Whether the RPC `method` (its proto name, such as "GetServiceOrder") only reads. */
export function isRead(method: string): boolean {
  return method.startsWith("Get") || method.startsWith("List") || READ_METHODS.has(method);
}

/** The request id a request carries, or "" (also when its message has no such field). */
export function requestIdOf(request: unknown): string {
  const id = typeof request === "object" && request !== null ? (request as { requestId?: unknown }).requestId : undefined;
  return typeof id === "string" ? id : "";
}

/**
 * The request to send for `request`: a copy with a fresh random UUID as `requestId` when its
 * message has the field (`hasField`, or the request has the property) and it is empty; otherwise
 * `request` itself. The caller's object is never changed.
 */
export function withRequestId<Req>(request: Req, hasField = false): Req {
  if (typeof request !== "object" || request === null) return request;
  const id = (request as { requestId?: unknown }).requestId;
  const present = hasField || typeof id === "string";
  if (!present || (id !== undefined && id !== "")) return request;
  return { ...request, requestId: randomUUID() };
}

/** Whether repeating `request` to `method` is safe: a read, or a request with a request id. */
export function isRetrySafe(method: string, request: unknown): boolean {
  return isRead(method) || requestIdOf(request) !== "";
}

/** Whether an error of `code` with ErrorInfo `reason` says the call may be repeated as is. */
export function isRetryableError(code: Code, reason = ""): boolean {
  switch (code) {
    case Code.UNAVAILABLE:
      return true;
    case Code.ABORTED:
      return reason !== "ETAG_MISMATCH" && reason !== "SLOT_TAKEN";
    case Code.RESOURCE_EXHAUSTED:
      return reason === "SERVER_BUSY";
    default:
      return false;
  }
}

/**
 * Whether another attempt may follow attempt `attempt` (1-based) that failed with `code` and
 * ErrorInfo `reason`, for a call that is `idempotent` (safe to repeat). The deadline is the
 * caller's to check.
 */
export function shouldRetry(policy: RetryPolicy, idempotent: boolean, code: Code, attempt: number, reason = ""): boolean {
  return idempotent && attempt < policy.maxAttempts && isRetryableError(code, reason);
}

/** The longest pause before retry `retry` (1-based): min(max, initial × multiplier^(retry−1)). */
export function backoffCapMs(policy: RetryPolicy, retry: number): number {
  return Math.min(policy.initialBackoffMs * policy.multiplier ** (retry - 1), policy.maxBackoffMs);
}

/** The pause before retry `retry` (1-based, so after attempt `retry`): uniform in [0, cap]. */
export function backoffMs(policy: RetryPolicy, retry: number): number {
  const cap = backoffCapMs(policy, retry);
  return policy.jitter ? Math.random() * cap : cap;
}
