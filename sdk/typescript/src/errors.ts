// A failed call as callers want to see it: the gRPC code and message, plus the structured details
// the server attaches in the `grpc-status-details-bin` trailer (a google.rpc.Status whose details
// carry google.rpc.BadRequest field violations and google.rpc.ErrorInfo).
import { Metadata, status as Code, type ServiceError } from "@grpc/grpc-js";
import { BadRequest, ErrorInfo } from "./gen/google/rpc/error_details";
import { Status } from "./gen/google/rpc/status";

export { Code };

export interface FieldViolation {
  /** A path such as `service_order.address.postal_code`. */
  field: string;
  description: string;
}

const BAD_REQUEST = "type.googleapis.com/google.rpc.BadRequest";
const ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo";

export class HomevisitError extends Error {
  /** The gRPC status code (`Code.INVALID_ARGUMENT`, ...). */
  readonly code: Code;
  /** Its name: "INVALID_ARGUMENT", "UNIMPLEMENTED", ... */
  readonly codeName: string;
  /** The server's message, without the code prefix grpc-js adds. */
  readonly details: string;
  /** ErrorInfo.reason: a stable UPPER_SNAKE word such as SLOT_TAKEN, or "". */
  readonly reason: string;
  readonly domain: string;
  readonly errorMetadata: Record<string, string>;
  readonly fieldViolations: FieldViolation[];
  /** The response trailers, when the error came from the server. */
  readonly trailers?: Metadata;

  constructor(init: {
    code: Code;
    details: string;
    reason?: string;
    domain?: string;
    errorMetadata?: Record<string, string>;
    fieldViolations?: FieldViolation[];
    trailers?: Metadata;
    cause?: unknown;
  }) {
    const codeName = Code[init.code] ?? `CODE_${init.code}`;
    const reason = init.reason ?? "";
    const violations = init.fieldViolations ?? [];
    let text = `${codeName}: ${init.details}${reason ? ` [${reason}]` : ""}`;
    for (const v of violations) text += `\n  ${v.field}: ${v.description}`;
    super(text, { cause: init.cause });
    this.name = "HomevisitError";
    this.code = init.code;
    this.codeName = codeName;
    this.details = init.details;
    this.reason = reason;
    this.domain = init.domain ?? "";
    this.errorMetadata = init.errorMetadata ?? {};
    this.fieldViolations = violations;
    this.trailers = init.trailers;
  }

  /** True when the server does not serve this method (yet). */
  get unimplemented(): boolean {
    return this.code === Code.UNIMPLEMENTED;
  }

  /** The violation of one field path, if any. */
  violation(field: string): FieldViolation | undefined {
    return this.fieldViolations.find((v) => v.field === field);
  }

  /** Decodes a grpc-js error; details that do not parse are ignored. */
  static fromServiceError(error: ServiceError): HomevisitError {
    const trailers = error.metadata;
    const init = {
      code: error.code,
      details: error.details ?? error.message,
      trailers,
      cause: error,
      reason: "",
      domain: "",
      errorMetadata: {} as Record<string, string>,
      fieldViolations: [] as FieldViolation[],
    };
    const raw = trailers?.get("grpc-status-details-bin")[0];
    if (raw instanceof Buffer) {
      try {
        for (const any of Status.decode(raw).details) {
          if (any.typeUrl === BAD_REQUEST) {
            for (const v of BadRequest.decode(any.value).fieldViolations) {
              init.fieldViolations.push({ field: v.field, description: v.description });
            }
          } else if (any.typeUrl === ERROR_INFO) {
            const info = ErrorInfo.decode(any.value);
            init.reason = info.reason;
            init.domain = info.domain;
            init.errorMetadata = { ...info.metadata };
          }
        }
      } catch {
        // A malformed trailer still leaves the code and message.
      }
    }
    return new HomevisitError(init);
  }
}

/** Whether `value` looks like a grpc-js ServiceError (a status code plus metadata). */
export function isServiceError(value: unknown): value is ServiceError {
  return value instanceof Error && typeof (value as Partial<ServiceError>).code === "number";
}
