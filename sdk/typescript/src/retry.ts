// When and how long to wait before retrying. Only calls safe to repeat (reads, and writes that
// carry a request_id) are retried, and only on UNAVAILABLE: the server either never saw the call
// or recognises the repeat by its request_id.
import { status as Code } from "@grpc/grpc-js";

export interface RetryPolicy {
  /** Attempts in all; 1 disables retries. Default 4. */
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  multiplier: number;
  /** Wait a random time in [backoff/2, backoff]. Default true. */
  jitter: boolean;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  initialBackoffMs: 100,
  maxBackoffMs: 2000,
  multiplier: 2,
  jitter: true,
};

/** Whether another attempt may follow `attempt` (1-based) that failed with `code`. */
export function shouldRetry(policy: RetryPolicy, idempotent: boolean, code: Code, attempt: number): boolean {
  return idempotent && code === Code.UNAVAILABLE && attempt < policy.maxAttempts;
}

/** The wait before attempt `attempt + 1`. */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
  const ms = Math.min(policy.initialBackoffMs * policy.multiplier ** (attempt - 1), policy.maxBackoffMs);
  return policy.jitter ? ms / 2 + Math.random() * (ms / 2) : ms;
}
