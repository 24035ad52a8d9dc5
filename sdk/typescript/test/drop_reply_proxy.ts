// Starts sdk/testing/drop_reply_proxy.py in front of a server: every write runs once on the
// server and its answer is replaced by UNAVAILABLE; an identical repeat passes (sdk/README.md).
//
// The interpreter is $HOMEVISIT_PYTHON, by default the repo's .deps/venv/bin/python (it has grpcio).
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export interface DropReplyProxy {
  /** `127.0.0.1:PORT` to point a client at. */
  address: string;
  stop(): Promise<void>;
}

/** The repository root: this file runs from sdk/typescript/dist/test/. */
const repoRoot = resolve(__dirname, "../../../..");

export function pythonPath(): string {
  return process.env.HOMEVISIT_PYTHON ?? join(repoRoot, ".deps/venv/bin/python");
}

export async function startDropReplyProxy(upstream: string): Promise<DropReplyProxy> {
  const dir = mkdtempSync(join(tmpdir(), "homevisit-ts-proxy-"));
  const portFile = join(dir, "address");
  const child: ChildProcess = spawn(
    pythonPath(),
    [join(repoRoot, "sdk/testing/drop_reply_proxy.py"), upstream, "--port-file", portFile],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  const stop = async () => {
    process.removeListener("exit", killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  // The proxy writes "127.0.0.1:PORT\n" once it listens.
  const startedBy = Date.now() + 20_000;
  let spawnError: Error | undefined;
  child.once("error", (error) => (spawnError = error));
  for (;;) {
    const text = existsSync(portFile) ? readFileSync(portFile, "utf8") : "";
    const match = /^(\S+:\d+)\n/.exec(text);
    if (match) return { address: match[1], stop };
    if (spawnError || child.exitCode !== null || child.signalCode !== null || Date.now() > startedBy) {
      await stop();
      const why = spawnError ? `could not run ${pythonPath()}: ${spawnError.message}` : child.exitCode !== null ? `exited with ${child.exitCode}` : "did not start in 20 s";
      throw new Error(`drop_reply_proxy.py ${why}; output: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
