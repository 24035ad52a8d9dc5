// GetProgramMetrics through the SDK against a real homevisitd (with its demo orders, taken in at
// its start): a dispatcher gets the figures of the days around today and the technicians' groups
// add up to the total; a DOT operator may not ask.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Code, HomevisitClient, HomevisitError, MetricsGrouping, Role } from "../src";
import { type LiveServer, startServer } from "./live_server";

let server: LiveServer;

before(async () => {
  server = await startServer();
});

after(async () => {
  await server?.stop();
});

function day(offsetDays: number) {
  const d = new Date(Date.now() + offsetDays * 86_400_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

test("program metrics: groups add up to the total, DOT operators are refused", async () => {
  const request = { startDate: day(-1), endDate: day(1), grouping: MetricsGrouping.METRICS_GROUPING_TECHNICIAN };
  const dispatcher = new HomevisitClient({ address: server.address, token: await server.issueToken(Role.ROLE_DISPATCHER) });
  const operator = new HomevisitClient({ address: server.address, token: await server.issueToken(Role.ROLE_DOT_OPERATOR) });
  try {
    const metrics = await dispatcher.getProgramMetrics(request);
    const total = metrics.total!;
    assert.ok(total.ordersRequested > 0, "the demo orders are in the period");
    assert.equal(metrics.firstVisitWindowDays, 30);
    const sum = metrics.groups.reduce((n, g) => n + g.figures!.ordersRequested, 0);
    assert.equal(sum, total.ordersRequested);
    await assert.rejects(operator.getProgramMetrics(request), (error: unknown) => {
      assert.ok(error instanceof HomevisitError);
      assert.equal(error.code, Code.PERMISSION_DENIED);
      return true;
    });
  } finally {
    dispatcher.close();
    operator.close();
  }
});
