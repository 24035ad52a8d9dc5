// The all* page iterators against a fake server that answers every List RPC with scripted pages:
// every item of every page in order, the request's other fields on every page, the caller's
// object untouched, a failed page as a HomevisitError, a lost page retried, breaking out early.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { type sendUnaryData, Server, type ServerUnaryCall, ServerCredentials, status } from "@grpc/grpc-js";
import {
  allPages,
  Code,
  CredentialServiceService,
  EventServiceService,
  HomevisitClient,
  HomevisitError,
  ListCredentialsResponse,
  ListEventsResponse,
  ListHoldsResponse,
  ListServiceOrdersResponse,
  ListTechniciansResponse,
  ListVisitReportsResponse,
  SchedulingServiceService,
  ServiceOrderServiceService,
  TechnicianServiceService,
  VisitReportServiceService,
} from "../src";

// Page i of the script holds these item names; its token is String(i), and the last page has none.
let pages: string[][] = [];
let failingPage = -1; // this page answers PERMISSION_DENIED
let lostOnce = -1; // this page answers UNAVAILABLE the first time it is asked
const asked: { method: string; request: Record<string, unknown> }[] = [];

/** A List handler answering `pages`, each item `{ name }` in the response field `field`;
 * `message` makes the full response (grpc-js serializes it with the generated encoder). */
function lister(method: string, field: string, message: { fromPartial(partial: any): unknown }) {
  return (call: ServerUnaryCall<Record<string, unknown>, unknown>, callback: sendUnaryData<unknown>) => {
    asked.push({ method, request: call.request });
    const token = call.request.pageToken as string;
    const index = token === "" ? 0 : Number(token);
    if (index === failingPage) return callback({ code: status.PERMISSION_DENIED, details: "not yours" });
    if (index === lostOnce) {
      lostOnce = -1;
      return callback({ code: status.UNAVAILABLE, details: "lost" });
    }
    const names = pages[index] ?? [];
    callback(null, message.fromPartial({
      [field]: names.map((name) => ({ name })),
      nextPageToken: index + 1 < pages.length ? String(index + 1) : "",
    }));
  };
}

let server: Server;
let client: HomevisitClient;

before(async () => {
  server = new Server();
  // Only the List methods: grpc-js answers the others UNIMPLEMENTED.
  server.addService(ServiceOrderServiceService, { listServiceOrders: lister("ListServiceOrders", "serviceOrders", ListServiceOrdersResponse) });
  server.addService(TechnicianServiceService, { listTechnicians: lister("ListTechnicians", "technicians", ListTechniciansResponse) });
  server.addService(EventServiceService, { listEvents: lister("ListEvents", "events", ListEventsResponse) });
  server.addService(CredentialServiceService, { listCredentials: lister("ListCredentials", "credentials", ListCredentialsResponse) });
  server.addService(VisitReportServiceService, { listVisitReports: lister("ListVisitReports", "visitReports", ListVisitReportsResponse) });
  server.addService(SchedulingServiceService, { listHolds: lister("ListHolds", "holds", ListHoldsResponse) });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, p) => (error ? reject(error) : resolve(p))),
  );
  client = new HomevisitClient({ address: `127.0.0.1:${port}`, timeoutMs: 5000, retry: { initialBackoffMs: 5, maxBackoffMs: 20 } });
});

after(() => {
  client.close();
  server.forceShutdown();
});

beforeEach(() => {
  pages = [];
  failingPage = -1;
  lostOnce = -1;
  asked.length = 0;
});

// Every List RPC, its iterator, and a request with a filter of its own (kept on every page).
const lists: {
  method: string;
  walk: (request: Record<string, unknown>) => AsyncGenerator<{ name: string }>;
  filter: Record<string, unknown>;
}[] = [
  { method: "ListServiceOrders", walk: (r) => client.allServiceOrders(r), filter: { fileNumber: "EXP-1" } },
  { method: "ListTechnicians", walk: (r) => client.allTechnicians(r), filter: { postalCode: "06700" } },
  { method: "ListEvents", walk: (r) => client.allEvents(r), filter: { serviceOrder: "serviceOrders/o1" } },
  { method: "ListCredentials", walk: (r) => client.allCredentials(r), filter: {} },
  { method: "ListVisitReports", walk: (r) => client.allVisitReports(r), filter: { fileNumber: "EXP-1" } },
  { method: "ListHolds", walk: (r) => client.allHolds(r), filter: { technician: "technicians/t1", liveOnly: true } },
];

async function names(items: AsyncIterable<{ name: string }>): Promise<string[]> {
  const out: string[] = [];
  for await (const item of items) out.push(item.name);
  return out;
}

for (const { method, walk, filter } of lists) {
  describe(method, () => {
    test("yields every item of every page, the filters on each page, the caller's request untouched", async () => {
      pages = [["a", "b"], [], ["c"], ["d"]];
      const request = Object.freeze({ ...filter, pageSize: 2 });
      assert.deepEqual(await names(walk(request)), ["a", "b", "c", "d"]); // an empty page does not end the walk
      assert.deepEqual(asked.map((a) => a.method), [method, method, method, method]);
      assert.deepEqual(asked.map((a) => a.request.pageToken), ["", "1", "2", "3"]);
      for (const { request: sent } of asked) {
        assert.equal(sent.pageSize, 2);
        for (const [key, value] of Object.entries(filter)) assert.equal(sent[key], value, key);
      }
      assert.equal("pageToken" in request, false);
    });

    test("starts from the request's pageToken", async () => {
      pages = [["a"], ["b"], ["c"]];
      assert.deepEqual(await names(walk({ ...filter, pageToken: "1" })), ["b", "c"]);
      assert.deepEqual(asked.map((a) => a.request.pageToken), ["1", "2"]);
    });

    test("over nothing: one call, no item", async () => {
      assert.deepEqual(await names(walk({ ...filter })), []);
      assert.equal(asked.length, 1);
    });

    test("a failed page throws its HomevisitError after the items before it", async () => {
      pages = [["a"], ["b"], ["c"]];
      failingPage = 1;
      const seen: string[] = [];
      await assert.rejects(
        (async () => {
          for await (const item of walk({ ...filter })) seen.push(item.name);
        })(),
        (error: unknown) => error instanceof HomevisitError && error.code === Code.PERMISSION_DENIED,
      );
      assert.deepEqual(seen, ["a"]);
      assert.deepEqual(asked.map((a) => a.request.pageToken), ["", "1"]);
    });

    test("a page whose answer is lost is retried, and the walk goes on", async () => {
      pages = [["a"], ["b"]];
      lostOnce = 1;
      assert.deepEqual(await names(walk({ ...filter })), ["a", "b"]);
      assert.deepEqual(asked.map((a) => a.request.pageToken), ["", "1", "1"]);
    });

    test("breaking out of the loop reads no further page", async () => {
      pages = [["a", "b"], ["c"]];
      for await (const item of walk({ ...filter })) {
        assert.equal(item.name, "a");
        break;
      }
      assert.equal(asked.length, 1);
    });
  });
}

describe("allPages", () => {
  test("follows any List method's pages", async () => {
    const served = [{ items: [1, 2], nextPageToken: "x" }, { items: [3], nextPageToken: "" }];
    const tokens: (string | undefined)[] = [];
    const list = async (request: { pageToken?: string; pageSize: number }) => {
      tokens.push(request.pageToken);
      assert.equal(request.pageSize, 7);
      return served[request.pageToken ? 1 : 0];
    };
    const out: number[] = [];
    for await (const n of allPages(list, { pageSize: 7 }, (page) => page.items)) out.push(n);
    assert.deepEqual(out, [1, 2, 3]);
    assert.deepEqual(tokens, ["", "x"]);
  });
});
