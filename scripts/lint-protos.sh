#!/usr/bin/env bash
# Lints proto/ with buf (rules in buf.yaml). Exits non-zero on any lint failure.
# Extra arguments go to `buf lint`, e.g. --error-format=json or --path proto/x.proto.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUF="$ROOT/.deps/node/node_modules/.bin/buf"

[[ -x "$BUF" && -f "$ROOT/.deps/googleapis/google/rpc/status.proto" ]] ||
  { echo "lint-protos: buf or googleapis protos missing; run scripts/install-deps.sh" >&2; exit 1; }
# buf's own message for this case ("had no .proto files") is cryptic.
[[ -n "$(find "$ROOT/proto" -name '*.proto' -print -quit 2>/dev/null)" ]] ||
  { echo "lint-protos: no .proto files under proto/" >&2; exit 1; }

# Run from the root so buf picks up buf.yaml, which lints proto/ and only uses
# .deps/googleapis to resolve imports.
cd "$ROOT"
"$BUF" lint "$@"
echo "lint-protos: OK" >&2
