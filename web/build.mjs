// Builds the console into dist/: generates the typed clients from proto/homevisit/v1 (buf with
// protoc-gen-es, into src/gen), type-checks, bundles src/main.ts with esbuild, copies static/.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const web = dirname(fileURLToPath(import.meta.url));
const root = join(web, "..");
const buf = process.env.BUF ?? join(root, ".deps/node/node_modules/.bin/buf");

rmSync(join(web, "src/gen"), { recursive: true, force: true });
execFileSync(buf, ["generate", "--template", "web/buf.gen.yaml", "--path", "proto/homevisit/v1"], { cwd: root, stdio: "inherit" });
execFileSync(join(web, "node_modules/.bin/tsc"), ["--noEmit", "-p", join(web, "tsconfig.json")], { stdio: "inherit" });

rmSync(join(web, "dist"), { recursive: true, force: true });
mkdirSync(join(web, "dist"));
cpSync(join(web, "static"), join(web, "dist"), { recursive: true });
await build({
  entryPoints: [join(web, "src/main.ts")],
  outfile: join(web, "dist/console.js"),
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  sourcemap: true,
  logLevel: "warning",
});
console.log("web: built dist/");
