// TLS and mutual TLS against a fake server, with a throwaway CA made by openssl.
import assert from "node:assert/strict";
import { execSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type sendUnaryData, Server, type ServerUnaryCall, ServerCredentials } from "@grpc/grpc-js";
import { HomevisitClient, HomevisitError, ServiceOrder, ServiceOrderServiceService } from "../src";

let dir: string;
const pem = (name: string) => join(dir, name);

before(() => {
  dir = mkdtempSync(join(tmpdir(), "homevisit-ts-tls-"));
  const key = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  execSync(
    `openssl req -x509 ${key} -keyout ca.key -out ca.pem -days 1 -subj /CN=homevisit-test-ca && ` +
      `for who in server client; do ` +
      `openssl req ${key} -keyout $who.key -out $who.csr -subj /CN=homevisit.test && ` +
      `printf 'subjectAltName=DNS:homevisit.test' > $who.ext && ` +
      `openssl x509 -req -in $who.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out $who.pem -days 1 -extfile $who.ext; done`,
    { cwd: dir, stdio: "ignore", shell: "/bin/bash" },
  );
});

after(() => rmSync(dir, { recursive: true, force: true }));

async function startTlsServer(requireClientCert: boolean): Promise<{ address: string; server: Server; tokens: string[] }> {
  const tokens: string[] = [];
  const server = new Server();
  const answer = (call: ServerUnaryCall<unknown, ServiceOrder>, callback: sendUnaryData<ServiceOrder>) => {
    tokens.push(...(call.metadata.get("authorization") as string[]));
    callback(null, ServiceOrder.fromPartial({ name: "serviceOrders/tls" }));
  };
  server.addService(ServiceOrderServiceService, {
    createServiceOrder: answer, getServiceOrder: answer, listServiceOrders: answer, updateServiceOrder: answer, cancelServiceOrder: answer,
  });
  const credentials = ServerCredentials.createSsl(
    readFileSync(pem("ca.pem")),
    [{ private_key: readFileSync(pem("server.key")), cert_chain: readFileSync(pem("server.pem")) }],
    requireClientCert,
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", credentials, (error, p) => (error ? reject(error) : resolve(p))),
  );
  return { address: `127.0.0.1:${port}`, server, tokens };
}

describe("tls", () => {
  test("trusts the given roots (a file path) and sends the token", async () => {
    const { address, server, tokens } = await startTlsServer(false);
    const client = new HomevisitClient({
      address, token: "over-tls", retry: { maxAttempts: 1 },
      tls: { rootCerts: pem("ca.pem"), serverNameOverride: "homevisit.test" },
    });
    assert.equal((await client.getServiceOrder("serviceOrders/tls")).name, "serviceOrders/tls");
    assert.deepEqual(tokens, ["Bearer over-tls"]);
    client.close();

    const untrusting = new HomevisitClient({
      address, retry: { maxAttempts: 1 }, timeoutMs: 3000,
      tls: { rootCerts: readFileSync(pem("client.pem")), serverNameOverride: "homevisit.test" },
    });
    await assert.rejects(untrusting.getServiceOrder("serviceOrders/tls"), (e: HomevisitError) => e.codeName === "UNAVAILABLE");
    untrusting.close();
    server.forceShutdown();
  });

  test("mutual TLS presents the client certificate", async () => {
    const { address, server } = await startTlsServer(true);
    const tls = { rootCerts: pem("ca.pem"), serverNameOverride: "homevisit.test" };
    const anonymous = new HomevisitClient({ address, tls, retry: { maxAttempts: 1 }, timeoutMs: 3000 });
    await assert.rejects(anonymous.getServiceOrder("serviceOrders/tls"), HomevisitError);
    anonymous.close();

    const client = new HomevisitClient({
      address, retry: { maxAttempts: 1 },
      tls: { ...tls, certChain: pem("client.pem"), privateKey: pem("client.key") },
    });
    assert.equal((await client.getServiceOrder("serviceOrders/tls")).name, "serviceOrders/tls");
    client.close();
    assert.throws(() => new HomevisitClient({ address, tls: { ...tls, certChain: pem("client.pem") } }), /both certChain and privateKey/);
    server.forceShutdown();
  });
});
