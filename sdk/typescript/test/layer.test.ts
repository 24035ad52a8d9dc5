// The thin layer against a fake server: token metadata, deadlines, which calls are retried, and
// error decoding from the grpc-status-details-bin trailer.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { Metadata, type sendUnaryData, Server, type ServerUnaryCall, ServerCredentials, status } from "@grpc/grpc-js";
import { backoffMs, Code, DEFAULT_RETRY_POLICY, HomevisitClient, HomevisitError, ServiceOrder, ServiceOrderServiceService, shouldRetry } from "../src";
import { BadRequest, ErrorInfo } from "../src/gen/google/rpc/error_details";
import { Status } from "../src/gen/google/rpc/status";

// What the fake answers: `failures` UNAVAILABLE answers first, then `finalError` or an order.
const script = { failures: 0, hang: false, finalError: null as null | { code: status; details: string; metadata?: Metadata } };
const seen: { method: string; authorization: string[]; requestIds: string[] } = { method: "", authorization: [], requestIds: [] };
let calls = 0;

function handler(method: string) {
  return (call: ServerUnaryCall<any, ServiceOrder>, callback: sendUnaryData<ServiceOrder>) => {
    calls++;
    seen.method = method;
    seen.authorization.push(...(call.metadata.get("authorization") as string[]));
    if (call.request.requestId !== undefined) seen.requestIds.push(call.request.requestId);
    if (script.hang) return; // never answers: the deadline must end the call
    if (calls <= script.failures) return callback({ code: status.UNAVAILABLE, details: "try later" });
    if (script.finalError) return callback(script.finalError);
    callback(null, ServiceOrder.fromPartial({ name: "serviceOrders/fake" }));
  };
}

let server: Server;
let address: string;
const fast = { initialBackoffMs: 5, maxBackoffMs: 20 };

before(async () => {
  server = new Server();
  server.addService(ServiceOrderServiceService, {
    createServiceOrder: handler("create"),
    getServiceOrder: handler("get"),
    listServiceOrders: handler("list"),
    updateServiceOrder: handler("update"),
    cancelServiceOrder: handler("cancel"),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, p) => (error ? reject(error) : resolve(p))),
  );
  address = `127.0.0.1:${port}`;
});

after(() => server.forceShutdown());

beforeEach(() => {
  calls = 0;
  script.failures = 0;
  script.hang = false;
  script.finalError = null;
  seen.authorization = [];
  seen.requestIds = [];
});

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
    script.failures = 1;
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

describe("retries", () => {
  test("a read is retried on UNAVAILABLE until it succeeds", async () => {
    const client = new HomevisitClient({ address, retry: fast });
    script.failures = 2;
    const order = await client.getServiceOrder("serviceOrders/fake");
    assert.equal(order.name, "serviceOrders/fake");
    assert.equal(calls, 3);
    client.close();
  });

  test("gives up after maxAttempts with the last error", async () => {
    const client = new HomevisitClient({ address, retry: { ...fast, maxAttempts: 3 } });
    script.failures = 10;
    await assert.rejects(client.getServiceOrder("serviceOrders/fake"), (e: HomevisitError) => e.code === Code.UNAVAILABLE);
    assert.equal(calls, 3);
    client.close();
  });

  test("an intake is retried with the same request id", async () => {
    const client = new HomevisitClient({ address, retry: fast });
    script.failures = 2;
    await client.createServiceOrder({ fileNumber: "EXP-1" });
    assert.equal(calls, 3);
    assert.equal(new Set(seen.requestIds).size, 1);
    assert.match(seen.requestIds[0], /^[0-9a-f-]{36}$/);
    client.close();
  });

  test("a cancel is never retried", async () => {
    const client = new HomevisitClient({ address, retry: fast });
    script.failures = 1;
    await assert.rejects(client.cancelServiceOrder("serviceOrders/fake", "r"), (e: HomevisitError) => e.code === Code.UNAVAILABLE);
    assert.equal(calls, 1);
    client.close();
  });

  test("other codes are not retried", async () => {
    const client = new HomevisitClient({ address, retry: fast });
    script.finalError = { code: status.ABORTED, details: "etag mismatch" };
    await assert.rejects(client.getServiceOrder("serviceOrders/fake"), (e: HomevisitError) => e.code === Code.ABORTED);
    assert.equal(calls, 1);
    client.close();
  });

  test("policy: backoff grows, is capped, and only UNAVAILABLE of idempotent calls retries", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, jitter: false };
    assert.deepEqual([1, 2, 3, 4, 10].map((a) => backoffMs(policy, a)), [100, 200, 400, 800, 2000]);
    assert.equal(shouldRetry(policy, true, Code.UNAVAILABLE, 1), true);
    assert.equal(shouldRetry(policy, true, Code.UNAVAILABLE, 4), false);
    assert.equal(shouldRetry(policy, false, Code.UNAVAILABLE, 1), false);
    assert.equal(shouldRetry(policy, true, Code.DEADLINE_EXCEEDED, 1), false);
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
