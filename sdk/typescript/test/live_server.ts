// Starts a real homevisitd on a free port with a throwaway SQLite database and demo data.
//
// The server requires a bearer token on every call: it writes its first admin token to
// --admin_token_file (in the throwaway directory), which `adminToken` holds; `issueToken` has
// the admin create a credential of a role and returns its token.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { credentials } from "@grpc/grpc-js";
import { HomevisitClient, Role } from "../src";
import { CreateCredentialRequest, CredentialServiceClient } from "../src/gen/homevisit/v1/credential";

export interface LiveServer {
  address: string;
  /** The admin's token: it may only call CredentialService. */
  adminToken: string;
  /** A new credential's token (shown only when issued). */
  issueToken(role: Role, technician?: string): Promise<string>;
  stop(): Promise<void>;
}

/** `HOMEVISITD` names the binary; by default the repo's build/server/homevisitd. */
export function homevisitdPath(): string {
  return process.env.HOMEVISITD ?? resolve(__dirname, "../../../../build/server/homevisitd");
}

export async function startServer(extraArgs: string[] = []): Promise<LiveServer> {
  const dir = mkdtempSync(join(tmpdir(), "homevisit-ts-"));
  const child: ChildProcess = spawn(
    homevisitdPath(),
    ["--listen", "127.0.0.1:0", "--db", `sqlite:${join(dir, "test.db")}`, "--demo",
      "--admin_token_file", join(dir, "admin.token"), ...extraArgs],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const address = await new Promise<string>((resolveAddress, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`homevisitd did not start; stdout: ${out}`)), 20_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolveAddress(match[1]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`homevisitd exited with ${code} before listening; stdout: ${out}`));
    });
    child.once("error", reject);
  });
  child.stdout!.resume();
  // A crashed test run must not leave the server behind.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const adminToken = readFileSync(join(dir, "admin.token"), "utf8").trim();
  return {
    address,
    adminToken,
    issueToken: async (role: Role, technician = "") => {
      const admin = new HomevisitClient({ address, token: adminToken });
      try {
        const stub = new CredentialServiceClient(address, credentials.createInsecure(), { channelOverride: admin.orders.getChannel() });
        const request = CreateCredentialRequest.fromPartial({
          credential: { principal: `ts-sdk-${Role[role].toLowerCase()}`, role, technician },
        });
        const issued = await admin.unary(stub, "createCredential", request); // never retried: no request id
        if (!issued.token) throw new Error("CreateCredential returned no token");
        return issued.token;
      } finally {
        admin.close();
      }
    },
    stop: async () => {
      process.removeListener("exit", killOnExit);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
