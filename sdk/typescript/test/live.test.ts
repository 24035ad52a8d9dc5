// The SDK against a real homevisitd started for this file.
import assert from "node:assert/strict";
import { createHash, randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { Code, CreateTechnicianRequest, Event_Type, HomevisitClient, HomevisitError, Role, ServiceOrder_State } from "../src";
import { type DropReplyProxy, startDropReplyProxy } from "./drop_reply_proxy";
import { type LiveServer, startServer } from "./live_server";
import { validOrder } from "./orders";
import { completeVisit } from "./visit";

let server: LiveServer;
let client: HomevisitClient; // a DOT operator
let dotToken: string;

before(async () => {
  server = await startServer();
  dotToken = await server.issueToken(Role.ROLE_DOT_OPERATOR);
  client = new HomevisitClient({ address: server.address, token: dotToken, timeoutMs: 5000 });
});

after(async () => {
  client?.close();
  await server?.stop();
});

async function rejection(promise: Promise<unknown>): Promise<HomevisitError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof HomevisitError, `expected a HomevisitError, got ${error}`);
    return error;
  }
  assert.fail("expected the call to fail");
}

describe("intake", () => {
  test("creates a requested order", async () => {
    const order = await client.createServiceOrder(validOrder());
    assert.match(order.name, /^serviceOrders\/.+/);
    assert.equal(order.state, ServiceOrder_State.STATE_REQUESTED);
    assert.equal(order.subscriber?.familyName, "Méndez");
    assert.ok(order.createTime instanceof Date);
    assert.notEqual(order.etag, "");
  });

  test("exposes every field violation of an invalid order", async () => {
    const bad = validOrder();
    bad.subscriber!.email = "laura@";
    bad.address!.postalCode = "6700";
    const error = await rejection(client.createServiceOrder(bad));
    assert.equal(error.code, Code.INVALID_ARGUMENT);
    assert.equal(error.codeName, "INVALID_ARGUMENT");
    assert.deepEqual(
      error.fieldViolations.map((v) => v.field).sort(),
      ["service_order.address.postal_code", "service_order.subscriber.email"],
    );
    assert.ok(error.violation("service_order.subscriber.email")!.description.length > 0);
    assert.notEqual(error.reason, "");
  });

  test("a repeat with the same request id returns the first order", async () => {
    const requestId = `ts-${randomUUID()}`;
    const order = validOrder();
    const first = await client.createServiceOrder(order, requestId);
    const again = await client.createServiceOrder(order, requestId);
    assert.equal(again.name, first.name);
    const listed = await client.listServiceOrders({ fileNumber: order.fileNumber });
    assert.equal(listed.serviceOrders.length, 1);
  });
});

describe("reading", () => {
  test("get returns the order; an unknown name is NOT_FOUND", async () => {
    const created = await client.createServiceOrder(validOrder());
    const got = await client.getServiceOrder(created.name);
    assert.equal(got.name, created.name);
    assert.equal(got.fileNumber, created.fileNumber);
    const error = await rejection(client.getServiceOrder("serviceOrders/does-not-exist"));
    assert.equal(error.code, Code.NOT_FOUND);
  });

  test("list paginates newest first", async () => {
    const fileNumber = `EXP-${randomUUID().slice(0, 8)}`;
    const names: string[] = [];
    for (let i = 0; i < 3; i++) names.push((await client.createServiceOrder(validOrder(2 + i, fileNumber))).name);
    const first = await client.listServiceOrders({ fileNumber, pageSize: 2 });
    assert.equal(first.serviceOrders.length, 2);
    assert.notEqual(first.nextPageToken, "");
    const second = await client.listServiceOrders({ fileNumber, pageSize: 2, pageToken: first.nextPageToken });
    assert.equal(second.serviceOrders.length, 1);
    assert.equal(second.nextPageToken, "");
    const listed = [...first.serviceOrders, ...second.serviceOrders].map((o) => o.name);
    assert.deepEqual(listed, [...names].reverse());
    const all: string[] = [];
    for await (const order of client.allServiceOrders({ fileNumber, pageSize: 1 })) all.push(order.name);
    assert.deepEqual(all, listed);
  });
});

// Every all* iterator over the real server, in pages of 1 or 2 so that each walk crosses pages.
describe("page iterators", () => {
  async function names(items: AsyncIterable<{ name: string }>): Promise<string[]> {
    const out: string[] = [];
    for await (const item of items) out.push(item.name);
    return out;
  }

  test("allServiceOrders: every order of the file, newest first; a failed page throws", async () => {
    const fileNumber = `EXP-${randomUUID().slice(0, 8)}`;
    const created: string[] = [];
    for (let i = 0; i < 5; i++) created.push((await client.createServiceOrder(validOrder(2, fileNumber))).name);
    const request = { fileNumber, pageSize: 2 };
    assert.deepEqual(await names(client.allServiceOrders(request)), [...created].reverse());
    assert.deepEqual(request, { fileNumber, pageSize: 2 });
    const first = await client.listServiceOrders(request);
    assert.deepEqual(await names(client.allServiceOrders({ ...request, pageToken: first.nextPageToken })), [...created].reverse().slice(2));
    assert.deepEqual(await names(client.allServiceOrders({ fileNumber: `NONE-${randomUUID()}` })), []);
    const anonymous = new HomevisitClient({ address: server.address, timeoutMs: 5000 });
    try {
      const error = await rejection(names(anonymous.allServiceOrders()));
      assert.equal(error.code, Code.UNAUTHENTICATED);
      assert.equal(error.reason, "NO_CREDENTIALS");
    } finally {
      anonymous.close();
    }
  });

  test("allTechnicians: the dispatcher's, every technician of the single large page", async () => {
    const dispatcher = new HomevisitClient({ address: server.address, token: await server.issueToken(Role.ROLE_DISPATCHER), timeoutMs: 5000 });
    try {
      const whole = await dispatcher.listTechnicians({ pageSize: 1000 });
      assert.ok(whole.technicians.length >= 2, "the demo data has several technicians");
      const listed = await names(dispatcher.allTechnicians({ pageSize: 1 }));
      assert.deepEqual(listed, whole.technicians.map((t) => t.name));
      assert.ok(listed.includes("technicians/demo-tech-1"));
    } finally {
      dispatcher.close();
    }
    const error = await rejection(names(client.allTechnicians()));
    assert.equal(error.code, Code.PERMISSION_DENIED);
    assert.equal(error.reason, "ROLE_NOT_ALLOWED");
  });

  test("allEvents: an order's events, oldest first", async () => {
    const created = await client.createServiceOrder(validOrder());
    await client.cancelServiceOrder(created.name, "Prueba de páginas", created.etag);
    const types: Event_Type[] = [];
    for await (const event of client.allEvents({ serviceOrder: created.name, pageSize: 1 })) {
      assert.equal(event.serviceOrder, created.name);
      types.push(event.type);
    }
    assert.deepEqual(types, [Event_Type.TYPE_ORDER_CREATED, Event_Type.TYPE_CANCELLED]);
  });

  test("allCredentials: the admin's, every credential; a DOT operator may not", async () => {
    const admin = new HomevisitClient({ address: server.address, token: server.adminToken, timeoutMs: 5000 });
    try {
      const whole = (await admin.listCredentials({ pageSize: 500 })).credentials.map((c) => c.name);
      assert.ok(whole.length >= 2, JSON.stringify(whole)); // the admin and the DOT operator at least
      const listed = await names(admin.allCredentials({ pageSize: 1 }));
      // Other tests may issue credentials meanwhile: those listed at first come in the same order.
      assert.deepEqual(listed.filter((name) => whole.includes(name)), whole);
    } finally {
      admin.close();
    }
    const error = await rejection(names(client.allCredentials()));
    assert.equal(error.code, Code.PERMISSION_DENIED);
  });

  test("allVisitReports: the reports of a file's completed visits, newest first", async () => {
    const fileNumber = `EXP-${randomUUID().slice(0, 8)}`;
    const first = await completeVisit(server, client, fileNumber);
    const second = await completeVisit(server, client, fileNumber);
    assert.deepEqual(await names(client.allVisitReports({ fileNumber, pageSize: 1 })), [`${second}/visitReport`, `${first}/visitReport`]);
    assert.deepEqual(await names(client.allVisitReports({ fileNumber: `NONE-${randomUUID()}` })), []);
  });
});

describe("holds", () => {
  test("listHolds and allHolds: live holds page after page; a technician may not list them", async () => {
    // Three orders each holding their first option (a hold takes its slot: the next is offered another).
    const held: string[] = [];
    for (let i = 0; i < 3; i++) {
      const order = await client.createServiceOrder(validOrder(2));
      const offer = await client.checkAvailability({ serviceOrder: order.name });
      const option = offer.requestedAvailable ? offer.requested : [...offer.sameDay, ...offer.otherDays][0];
      held.push((await client.createHold({ serviceOrder: order.name, option })).name);
    }
    // Other tests may hold too: the walk must equal one big page of the same filter.
    const whole = (await client.listHolds({ liveOnly: true, pageSize: 500 })).holds.map((h) => h.name);
    const listed: string[] = [];
    for await (const hold of client.allHolds({ liveOnly: true, pageSize: 2 })) listed.push(hold.name);
    assert.deepEqual(listed, whole);
    for (const name of held) assert.ok(listed.includes(name), `${name} not in ${JSON.stringify(listed)}`);
    const tech = new HomevisitClient({ address: server.address, token: await server.issueToken(Role.ROLE_TECHNICIAN, "technicians/demo-tech-1"), timeoutMs: 5000 });
    try {
      const error = await rejection(tech.listHolds());
      assert.equal(error.code, Code.PERMISSION_DENIED);
      assert.equal(error.reason, "ROLE_NOT_ALLOWED");
    } finally {
      tech.close();
    }
  });
});

describe("the report's document", () => {
  test("getVisitReportDocument: the PDF issued at completion and its evidence hashes", async () => {
    const order = await completeVisit(server, client, `EXP-${randomUUID().slice(0, 8)}`);
    const document = await client.getVisitReportDocument(order);
    assert.equal(document.name, `${order}/visitReport/document`);
    assert.equal(Buffer.from(document.pdf.subarray(0, 5)).toString(), "%PDF-");
    assert.equal(createHash("sha256").update(document.pdf).digest("hex"), document.documentSha256);
    assert.equal(document.currentReportSha256, document.reportSha256);
    assert.match(document.reportSha256, /^[0-9a-f]{64}$/);
    const again = await client.getVisitReportDocument(`${order}/visitReport/document`);
    assert.deepEqual(Buffer.from(again.pdf), Buffer.from(document.pdf));
  });
});

describe("cancel and events", () => {
  test("cancel records the reason; the events tell the story", async () => {
    const created = await client.createServiceOrder(validOrder());
    const cancelled = await client.cancelServiceOrder(created.name, "El suscriptor resolvió el problema", created.etag);
    assert.equal(cancelled.state, ServiceOrder_State.STATE_CANCELLED);
    assert.equal(cancelled.cancellation?.reason, "El suscriptor resolvió el problema");
    const again = await rejection(client.cancelServiceOrder(created.name, "otra vez"));
    assert.equal(again.code, Code.FAILED_PRECONDITION);

    const { events } = await client.listEvents({ serviceOrder: created.name });
    assert.deepEqual(events.map((e) => e.type), [Event_Type.TYPE_ORDER_CREATED, Event_Type.TYPE_CANCELLED]);
  });

  test("watch streams past and new events of one order", async () => {
    const created = await client.createServiceOrder(validOrder());
    const controller = new AbortController();
    const seen: Event_Type[] = [];
    const watching = (async () => {
      for await (const event of client.watchEvents({ serviceOrder: created.name, fromBeginning: true }, { signal: controller.signal })) {
        seen.push(event.type);
        if (event.type === Event_Type.TYPE_ORDER_CREATED) await client.cancelServiceOrder(created.name, "prueba");
        if (seen.length === 2) break;
      }
    })();
    const timer = setTimeout(() => controller.abort(), 10_000);
    await watching;
    clearTimeout(timer);
    assert.deepEqual(seen, [Event_Type.TYPE_ORDER_CREATED, Event_Type.TYPE_CANCELLED]);
  });
});

// sdk/README.md's shared test: the proxy lets the server run each write once and loses its
// answer. Writes sent with no request id of the caller's succeed with one effect only because the
// SDK filled a request id and retried with it.
describe("retries through a proxy that loses each write's first answer", () => {
  let proxy: DropReplyProxy;
  let proxied: HomevisitClient;

  before(async () => {
    proxy = await startDropReplyProxy(server.address);
    proxied = new HomevisitClient({ address: proxy.address, token: dotToken, timeoutMs: 10_000 });
  });

  after(async () => {
    proxied?.close();
    await proxy?.stop();
  });

  test("an intake without a request id succeeds and creates one order", async () => {
    const order = validOrder();
    const created = await proxied.createServiceOrder(order);
    assert.equal(created.state, ServiceOrder_State.STATE_REQUESTED);
    assert.equal(created.fileNumber, order.fileNumber);
    const listed = await client.listServiceOrders({ fileNumber: order.fileNumber }); // the server itself
    assert.deepEqual(listed.serviceOrders.map((o) => o.name), [created.name]);
  });

  test("a cancel without a request id succeeds and is recorded once", async () => {
    const created = await client.createServiceOrder(validOrder());
    const cancelled = await proxied.cancelServiceOrder(created.name, "El suscriptor ya no está", created.etag);
    assert.equal(cancelled.state, ServiceOrder_State.STATE_CANCELLED);
    assert.equal(cancelled.cancellation?.reason, "El suscriptor ya no está");
    const { events } = await client.listEvents({ serviceOrder: created.name });
    assert.equal(events.filter((e) => e.type === Event_Type.TYPE_CANCELLED).length, 1, JSON.stringify(events.map((e) => Event_Type[e.type])));
  });

  test("negative control: without retries a write through the proxy fails with UNAVAILABLE", async () => {
    const once = new HomevisitClient({ address: proxy.address, token: dotToken, timeoutMs: 10_000, retry: { maxAttempts: 1 } });
    try {
      const order = validOrder();
      const error = await rejection(once.createServiceOrder(order));
      assert.equal(error.code, Code.UNAVAILABLE, error.message);
      // The server ran it: only its answer was lost.
      const listed = await client.listServiceOrders({ fileNumber: order.fileNumber });
      assert.equal(listed.serviceOrders.length, 1);
      const cancel = await rejection(once.cancelServiceOrder(listed.serviceOrders[0].name, "prueba"));
      assert.equal(cancel.code, Code.UNAVAILABLE, cancel.message);
      // Reads pass the proxy untouched.
      const read = await once.getServiceOrder(listed.serviceOrders[0].name);
      assert.equal(read.state, ServiceOrder_State.STATE_CANCELLED);
    } finally {
      once.close();
    }
  });
});

describe("not yet served", () => {
  test("a call the server may not serve yet fails with a clear code", async () => {
    const created = await client.createServiceOrder(validOrder());
    const error = await rejection(client.getVisitReport(created.name));
    // UNIMPLEMENTED until reports are served, then NOT_FOUND (the visit is not completed).
    assert.ok([Code.UNIMPLEMENTED, Code.NOT_FOUND, Code.FAILED_PRECONDITION].includes(error.code), error.message);
  });
});

describe("authentication and roles", () => {
  test("a call without a token is UNAUTHENTICATED (NO_CREDENTIALS)", async () => {
    const anonymous = new HomevisitClient({ address: server.address, timeoutMs: 5000 });
    try {
      const error = await rejection(anonymous.listServiceOrders());
      assert.equal(error.code, Code.UNAUTHENTICATED);
      assert.equal(error.reason, "NO_CREDENTIALS");
      assert.equal(error.domain, "homevisit.izzi.mx");
    } finally {
      anonymous.close();
    }
    const stranger = new HomevisitClient({ address: server.address, token: "not-a-real-token", timeoutMs: 5000 });
    try {
      const error = await rejection(stranger.listServiceOrders());
      assert.equal(error.code, Code.UNAUTHENTICATED);
      assert.equal(error.reason, "INVALID_TOKEN");
    } finally {
      stranger.close();
    }
  });

  test("a DOT operator calling a dispatcher-only RPC is PERMISSION_DENIED (ROLE_NOT_ALLOWED)", async () => {
    // CreateTechnician is the dispatcher's; the role is checked before the request is read.
    const request = CreateTechnicianRequest.fromPartial({ technician: { displayName: "Nadie" }, requestId: randomUUID() });
    const error = await rejection(client.unary(client.technicians, "createTechnician", request));
    assert.equal(error.code, Code.PERMISSION_DENIED);
    assert.equal(error.reason, "ROLE_NOT_ALLOWED");

    const dispatcher = new HomevisitClient({ address: server.address, token: await server.issueToken(Role.ROLE_DISPATCHER), timeoutMs: 5000 });
    try {
      const { technicians } = await dispatcher.listTechnicians();
      assert.ok(technicians.some((t) => t.name === "technicians/demo-tech-1"), JSON.stringify(technicians.map((t) => t.name)));
    } finally {
      dispatcher.close();
    }
  });
});
