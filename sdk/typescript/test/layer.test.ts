// The thin layer against a fake server: token metadata, deadlines, the retry and request-id
// policy of sdk/README.md, and error decoding from the grpc-status-details-bin trailer.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, mock, test } from "node:test";
import { credentials, Metadata, type sendUnaryData, Server, type ServerUnaryCall, ServerCredentials, status } from "@grpc/grpc-js";
import {
  backoffCapMs,
  backoffMs,
  CancelServiceOrderRequest,
  Code,
  DEFAULT_RETRY_POLICY,
  HomevisitClient,
  HomevisitError,
  isRead,
  isRetryableError,
  isRetrySafe,
  ServiceOrder,
  ServiceOrderServiceService,
  shouldRetry,
  withRequestId,
} from "../src";
import { BadRequest, ErrorInfo } from "../src/gen/google/rpc/error_details";
import {
  CreateCredentialRequest,
  CreateCredentialResponse,
  Credential,
  CredentialServiceClient,
  CredentialServiceService,
  RevokeCredentialRequest,
} from "../src/gen/homevisit/v1/credential";
import { Status } from "../src/gen/google/rpc/status";

type Answer = { code: status; details: string; metadata?: Metadata } | "hang";
// What the fake answers: call n gets `answers[n - 1]` (an error, or "hang": no answer at all),
// later calls `finalError` or a success; `hang` makes every call hang.
const script = { answers: [] as Answer[], hang: false, finalError: null as null | { code: status; details: string; metadata?: Metadata } };
const seen: { method: string; authorization: string[]; requestIds: (string | undefined)[]; requests: unknown[] } = {
  method: "",
  authorization: [],
  requestIds: [],
  requests: [],
};
let calls = 0;

function handler<Res>(method: string, response: () => Res) {
  return (call: ServerUnaryCall<any, Res>, callback: sendUnaryData<Res>) => {
    calls++;
    seen.method = method;
    seen.authorization.push(...(call.metadata.get("authorization") as string[]));
    seen.requestIds.push(call.request.requestId);
    seen.requests.push(call.request);
    const answer = script.answers[calls - 1];
    if (script.hang || answer === "hang") return; // never answers: the deadline must end the call
    if (answer) return callback(answer);
    if (script.finalError) return callback(script.finalError);
    callback(null, response());
  };
}

const order = () => ServiceOrder.fromPartial({ name: "serviceOrders/fake" });
const unavailable = (): Answer => ({ code: status.UNAVAILABLE, details: "try later" });
/** An error whose status details carry ErrorInfo `reason` (when not empty). */
function failure(code: status, reason = ""): { code: status; details: string; metadata?: Metadata } {
  if (!reason) return { code, details: `fails with ${status[code]}` };
  const details = Status.encode({
    code,
    message: reason,
    details: [{ typeUrl: "type.googleapis.com/google.rpc.ErrorInfo", value: Buffer.from(ErrorInfo.encode({ reason, domain: "homevisit.izzi.mx", metadata: {} }).finish()) }],
  }).finish();
  const metadata = new Metadata();
  metadata.set("grpc-status-details-bin", Buffer.from(details));
  return { code, details: reason, metadata };
}

let server: Server;
let address: string;
const fast = { initialBackoffMs: 5, maxBackoffMs: 20 };

before(async () => {
  server = new Server();
  server.addService(ServiceOrderServiceService, {
    createServiceOrder: handler("create", order),
    getServiceOrder: handler("get", order),
    listServiceOrders: handler("list", () => ({ serviceOrders: [], nextPageToken: "" })),
    updateServiceOrder: handler("update", order),
    cancelServiceOrder: handler("cancel", order),
  });
  server.addService(CredentialServiceService, {
    createCredential: handler("createCredential", () => CreateCredentialResponse.fromPartial({ token: "t0ken" })),
    listCredentials: handler("listCredentials", () => ({ credentials: [], nextPageToken: "" })),
    revokeCredential: handler("revokeCredential", () => Credential.fromPartial({ name: "credentials/c1" })),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, p) => (error ? reject(error) : resolve(p))),
  );
  address = `127.0.0.1:${port}`;
});

after(() => server.forceShutdown());

beforeEach(() => {
  calls = 0;
  script.answers = [];
  script.hang = false;
  script.finalError = null;
  seen.authorization = [];
  seen.requestIds = [];
  seen.requests = [];
});

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("credentials", () => {
  test("sends the bearer token on every call", async () => {
    const client = new HomevisitClient({ address, token: "s3cret" });
    await client.getServiceOrder("serviceOrders/fake");
    assert.deepEqual(seen.authorization, ["Bearer s3cret"]);
    client.close();
  });

  test("asks the token source before every call", async () => {
    let n = 0;
    const client = new HomevisitClient({ address, tokenSource: async () => `t${++n}`, retry: fast });
    script.answers = [unavailable()];
    await client.getServiceOrder("serviceOrders/fake");
    assert.deepEqual(seen.authorization, ["Bearer t1", "Bearer t2"]);
    client.close();
  });

  test("sends no authorization header without a token", async () => {
    const client = new HomevisitClient({ address });
    await client.getServiceOrder("serviceOrders/fake");
    assert.deepEqual(seen.authorization, []);
    client.close();
  });
});

describe("which calls are retried", () => {
  test("reads are Get*, List*, CheckAvailability and RenderScript", () => {
    for (const read of ["GetServiceOrder", "ListServiceOrders", "ListEvents", "GetVisitReport", "CheckAvailability", "RenderScript"]) {
      assert.equal(isRead(read), true, read);
      assert.equal(isRetrySafe(read, {}), true, read);
    }
    for (const write of ["CreateServiceOrder", "CancelServiceOrder", "BookAppointment", "CreateHold", "CheckIn", "CreateCredential", "RevokeCredential"]) {
      assert.equal(isRead(write), false, write);
      assert.equal(isRetrySafe(write, { requestId: "" }), false, write);
      assert.equal(isRetrySafe(write, {}), false, write);
      assert.equal(isRetrySafe(write, { requestId: "r-1" }), true, write);
    }
  });

  test("a read is retried on UNAVAILABLE until it succeeds", async () => {
    const client = new HomevisitClient({ address, retry: fast });
    script.answers = [unavailable(), unavailable()];
    const order = await client.getServiceOrder("serviceOrders/fake");
    assert.equal(order.name, "serviceOrders/fake");
    assert.equal(calls, 3);
    client.close();
  });

  test("a list is retried", async () => {
    const client = new HomevisitClient({ address, retry: fast });
    script.answers = [unavailable()];
    await client.listServiceOrders({ fileNumber: "EXP-1" });
    assert.equal(calls, 2);
    client.close();
  });

  test("gives up after maxAttempts with the last error", async () => {
    const client = new HomevisitClient({ address, retry: { ...fast, maxAttempts: 3 } });
    script.answers = Array.from({ length: 10 }, unavailable);
    await assert.rejects(client.getServiceOrder("serviceOrders/fake"), (e: HomevisitError) => e.code === Code.UNAVAILABLE);
    assert.equal(calls, 3);
    client.close();
  });

  test("4 attempts by default; maxAttempts 1 turns retries off", async () => {
    let client = new HomevisitClient({ address, retry: { initialBackoffMs: 1, maxBackoffMs: 1 } });
    script.answers = Array.from({ length: 10 }, unavailable);
    await assert.rejects(client.getServiceOrder("serviceOrders/fake"), (e: HomevisitError) => e.code === Code.UNAVAILABLE);
    assert.equal(calls, 4);
    client.close();
    calls = 0;
    client = new HomevisitClient({ address, retry: { maxAttempts: 1 } });
    await assert.rejects(client.getServiceOrder("serviceOrders/fake"), (e: HomevisitError) => e.code === Code.UNAVAILABLE);
    assert.equal(calls, 1);
    client.close();
  });

  test("an intake without a request id gets a UUID v4, the same on every attempt", async () => {
    const client = new HomevisitClient({ address, retry: fast });
    script.answers = [unavailable(), unavailable()];
    await client.createServiceOrder({ fileNumber: "EXP-1" });
    assert.equal(calls, 3);
    assert.equal(new Set(seen.requestIds).size, 1);
    assert.match(seen.requestIds[0]!, UUID_V4);
    client.close();
  });

  test("a caller's own request id is sent as is", async () => {
    const client = new HomevisitClient({ address, retry: fast });
    script.answers = [unavailable()];
    await client.createServiceOrder({ fileNumber: "EXP-1" }, "dot-0001");
    assert.deepEqual(seen.requestIds, ["dot-0001", "dot-0001"]);
    client.close();
  });

  test("filling the request id does not change the caller's request", async () => {
    const client = new HomevisitClient({ address, retry: fast });
    script.answers = [unavailable()];
    const request = Object.freeze(CancelServiceOrderRequest.fromPartial({ name: "serviceOrders/fake", reason: "r" }));
    const before = structuredClone(request);
    await client.unary(client.orders, "cancelServiceOrder", request);
    assert.deepEqual(request, before);
    assert.equal(request.requestId, "");
    assert.equal(calls, 2);
    assert.equal(new Set(seen.requestIds).size, 1);
    assert.match(seen.requestIds[0]!, UUID_V4);
    client.close();
  });

  test("withRequestId copies only when it fills, and only messages with the field", () => {
    const empty = { name: "x", requestId: "" };
    const filled = withRequestId(empty);
    assert.notEqual(filled, empty);
    assert.equal(empty.requestId, "");
    assert.match(filled.requestId, UUID_V4);
    const own = { name: "x", requestId: "mine" };
    assert.equal(withRequestId(own), own);
    const noField = { name: "x" };
    assert.equal(withRequestId(noField), noField);
    assert.match((withRequestId(noField, true) as { requestId?: string }).requestId!, UUID_V4); // a plain object of a message with the field
    assert.notEqual(withRequestId(empty).requestId, withRequestId(empty).requestId);
  });

  test("writes with a request id are retried: cancel and update get one generated", async () => {
    const client = new HomevisitClient({ address, retry: fast });
    script.answers = [unavailable()];
    await client.cancelServiceOrder("serviceOrders/fake", "r");
    assert.equal(calls, 2);
    assert.match(seen.requestIds[0]!, UUID_V4);
    assert.equal(seen.requestIds[1], seen.requestIds[0]);
    calls = 0;
    seen.requestIds = [];
    script.answers = [failure(status.ABORTED)];
    await client.updateServiceOrder({ name: "serviceOrders/fake", problemDescription: "x" }, ["problem_description"]);
    assert.equal(calls, 2);
    assert.equal(seen.requestIds[1], seen.requestIds[0]);
    client.close();
  });

  test("CreateCredential has no request id and is never retried", async () => {
    const client = new HomevisitClient({ address, retry: fast });
    const stub = new CredentialServiceClient(address, credentials.createInsecure(), { channelOverride: client.orders.getChannel() });
    for (const answer of [unavailable(), failure(status.RESOURCE_EXHAUSTED, "SERVER_BUSY"), failure(status.ABORTED)]) {
      calls = 0;
      seen.requests = [];
      script.answers = [answer];
      await assert.rejects(client.unary(stub, "createCredential", CreateCredentialRequest.fromPartial({ credential: { principal: "p" } })));
      assert.equal(calls, 1);
      assert.ok(!("requestId" in (seen.requests[0] as object)));
    }
    // RevokeCredential, on the same service, has a request id: it is filled and retried.
    calls = 0;
    seen.requestIds = [];
    script.answers = [unavailable()];
    const revoked = await client.unary(stub, "revokeCredential", RevokeCredentialRequest.fromPartial({ name: "credentials/c1" }));
    assert.equal(revoked.name, "credentials/c1");
    assert.equal(calls, 2);
    assert.match(seen.requestIds[0]!, UUID_V4);
    stub.close();
    client.close();
  });
});

describe("on which errors", () => {
  // code, ErrorInfo reason, retried?
  const rows: [status, string, boolean][] = [
    [status.UNAVAILABLE, "", true],
    [status.UNAVAILABLE, "SERVER_BUSY", true],
    [status.ABORTED, "", true],
    [status.ABORTED, "CONCURRENT_TRANSACTION", true],
    [status.ABORTED, "ETAG_MISMATCH", false],
    [status.ABORTED, "SLOT_TAKEN", false],
    [status.RESOURCE_EXHAUSTED, "SERVER_BUSY", true],
    [status.RESOURCE_EXHAUSTED, "", false],
    [status.RESOURCE_EXHAUSTED, "QUOTA_EXCEEDED", false],
    [status.DEADLINE_EXCEEDED, "", false],
    [status.INTERNAL, "", false],
    [status.UNKNOWN, "", false],
    [status.INVALID_ARGUMENT, "INVALID_ORDER", false],
    [status.FAILED_PRECONDITION, "", false],
    [status.ALREADY_EXISTS, "REQUEST_ID_REUSED", false],
    [status.NOT_FOUND, "", false],
    [status.PERMISSION_DENIED, "ROLE_NOT_ALLOWED", false],
    [status.UNAUTHENTICATED, "INVALID_TOKEN", false],
  ];
  for (const [code, reason, retried] of rows) {
    test(`${status[code]}${reason ? ` ${reason}` : ""}: ${retried ? "retried" : "not retried"}`, async () => {
      assert.equal(isRetryableError(code, reason), retried);
      const client = new HomevisitClient({ address, retry: fast });
      script.answers = [failure(code, reason)];
      if (retried) {
        assert.equal((await client.getServiceOrder("serviceOrders/fake")).name, "serviceOrders/fake");
        assert.equal(calls, 2);
      } else {
        await assert.rejects(client.getServiceOrder("serviceOrders/fake"), (e: HomevisitError) => e.code === code && e.reason === reason);
        assert.equal(calls, 1);
      }
      client.close();
    });
  }

  test("shouldRetry: only safe calls, only retryable errors, only within maxAttempts", () => {
    const policy = DEFAULT_RETRY_POLICY;
    assert.equal(shouldRetry(policy, true, Code.UNAVAILABLE, 1), true);
    assert.equal(shouldRetry(policy, true, Code.UNAVAILABLE, 3), true);
    assert.equal(shouldRetry(policy, true, Code.UNAVAILABLE, 4), false);
    assert.equal(shouldRetry(policy, false, Code.UNAVAILABLE, 1), false);
    assert.equal(shouldRetry(policy, true, Code.ABORTED, 1, "SLOT_TAKEN"), false);
    assert.equal(shouldRetry(policy, true, Code.RESOURCE_EXHAUSTED, 1, "SERVER_BUSY"), true);
    assert.equal(shouldRetry(policy, true, Code.RESOURCE_EXHAUSTED, 1), false);
    assert.equal(shouldRetry(policy, true, Code.DEADLINE_EXCEEDED, 1), false);
  });
});

describe("backoff and the deadline", () => {
  test("the cap doubles from 100 ms to at most 2 s; no jitter waits the cap", () => {
    const capped = [1, 2, 3, 4, 5, 6, 10].map((n) => backoffCapMs(DEFAULT_RETRY_POLICY, n));
    assert.deepEqual(capped, [100, 200, 400, 800, 1600, 2000, 2000]);
    assert.deepEqual([1, 2, 3].map((n) => backoffMs({ ...DEFAULT_RETRY_POLICY, jitter: false }, n)), [100, 200, 400]);
  });

  test("full jitter: uniform in [0, cap]", () => {
    const random = mock.method(Math, "random", () => 0);
    try {
      assert.equal(backoffMs(DEFAULT_RETRY_POLICY, 3), 0);
      random.mock.mockImplementation(() => 0.999999);
      assert.ok(Math.abs(backoffMs(DEFAULT_RETRY_POLICY, 3) - 400) < 0.01);
      random.mock.mockImplementation(() => 0.5);
      assert.equal(backoffMs(DEFAULT_RETRY_POLICY, 2), 100);
    } finally {
      random.mock.restore();
    }
    for (const n of [1, 2, 3, 8]) {
      const cap = backoffCapMs(DEFAULT_RETRY_POLICY, n);
      const waits = Array.from({ length: 2000 }, () => backoffMs(DEFAULT_RETRY_POLICY, n));
      assert.ok(waits.every((w) => w >= 0 && w <= cap), `retry ${n}: outside [0, ${cap}]`);
      assert.ok(Math.min(...waits) < cap * 0.1 && Math.max(...waits) > cap * 0.9, `retry ${n}: not spread over [0, ${cap}]`);
    }
  });

  test("no retry starts when its pause would end past the deadline", async () => {
    const client = new HomevisitClient({ address, timeoutMs: 300, retry: { initialBackoffMs: 1000, maxBackoffMs: 1000, jitter: false } });
    script.answers = Array.from({ length: 4 }, unavailable);
    const started = Date.now();
    await assert.rejects(client.getServiceOrder("serviceOrders/fake"), (e: HomevisitError) => e.code === Code.UNAVAILABLE);
    assert.equal(calls, 1);
    assert.ok(Date.now() - started < 1000);
    // The caller's own deadline counts the same way.
    calls = 0;
    const generous = new HomevisitClient({ address, timeoutMs: 60_000, retry: { initialBackoffMs: 1000, maxBackoffMs: 1000, jitter: false } });
    await assert.rejects(generous.getServiceOrder("serviceOrders/fake", { timeoutMs: 300 }), (e: HomevisitError) => e.code === Code.UNAVAILABLE);
    assert.equal(calls, 1);
    client.close();
    generous.close();
  });

  test("one deadline covers all attempts and pauses", async () => {
    const client = new HomevisitClient({ address, timeoutMs: 400, retry: { initialBackoffMs: 150, maxBackoffMs: 150, jitter: false } });
    script.answers = [unavailable(), "hang"];
    const started = Date.now();
    await assert.rejects(client.getServiceOrder("serviceOrders/fake"), (e: HomevisitError) => e.code === Code.DEADLINE_EXCEEDED);
    const elapsed = Date.now() - started;
    assert.equal(calls, 2);
    assert.ok(elapsed >= 350 && elapsed < 1500, `took ${elapsed} ms`);
    client.close();
  });

  test("an AbortSignal during a pause stops the retries", async () => {
    const client = new HomevisitClient({ address, retry: { initialBackoffMs: 2000, maxBackoffMs: 2000, jitter: false } });
    script.answers = [unavailable(), unavailable()];
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    await assert.rejects(client.getServiceOrder("serviceOrders/fake", { signal: controller.signal }), (e: HomevisitError) => e.code === Code.CANCELLED);
    assert.equal(calls, 1);
    assert.ok(Date.now() - started < 1500);
    client.close();
  });
});

describe("deadlines and errors", () => {
  test("the default deadline ends a call the server never answers", async () => {
    const client = new HomevisitClient({ address, timeoutMs: 200 });
    script.hang = true;
    const started = Date.now();
    await assert.rejects(client.getServiceOrder("serviceOrders/fake"), (e: HomevisitError) => e.code === Code.DEADLINE_EXCEEDED);
    assert.ok(Date.now() - started < 5000);
    client.close();
  });

  test("an AbortSignal cancels a call and stops its retries", async () => {
    const client = new HomevisitClient({ address, timeoutMs: 5000 });
    script.hang = true;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(client.getServiceOrder("serviceOrders/fake", { signal: controller.signal }), (e: HomevisitError) => e.code === Code.CANCELLED);
    assert.equal(calls, 1);
    client.close();
  });

  test("decodes BadRequest and ErrorInfo from the status details", async () => {
    const details = Status.encode({
      code: status.INVALID_ARGUMENT,
      message: "invalid order",
      details: [
        { typeUrl: "type.googleapis.com/google.rpc.ErrorInfo", value: Buffer.from(ErrorInfo.encode({ reason: "INVALID_ORDER", domain: "homevisit.izzi.mx", metadata: { a: "b" } }).finish()) },
        { typeUrl: "type.googleapis.com/google.rpc.BadRequest", value: Buffer.from(BadRequest.encode({ fieldViolations: [{ field: "service_order.address.postal_code", description: "five digits", reason: "", localizedMessage: undefined }] }).finish()) },
      ],
    }).finish();
    const metadata = new Metadata();
    metadata.set("grpc-status-details-bin", Buffer.from(details));
    script.finalError = { code: status.INVALID_ARGUMENT, details: "invalid order", metadata };
    const client = new HomevisitClient({ address });
    const error = await client.createServiceOrder({}).catch((e) => e);
    assert.ok(error instanceof HomevisitError);
    assert.equal(error.code, Code.INVALID_ARGUMENT);
    assert.equal(error.details, "invalid order");
    assert.equal(error.reason, "INVALID_ORDER");
    assert.equal(error.domain, "homevisit.izzi.mx");
    assert.deepEqual(error.errorMetadata, { a: "b" });
    assert.deepEqual(error.fieldViolations, [{ field: "service_order.address.postal_code", description: "five digits" }]);
    assert.match(error.message, /^INVALID_ARGUMENT: invalid order \[INVALID_ORDER\]\n  service_order.address.postal_code: five digits$/);
    client.close();
  });
});
