#!/usr/bin/env bash
# Regenerates gateway/openapi/homevisit.swagger.json, the REST surface's OpenAPI (v2) document,
# which the gateway embeds and serves at /openapi.json: protoc-gen-openapiv2 (grpc-gateway,
# installed by scripts/install-deps.sh) run by buf on proto/homevisit/v1 with http_rules.yaml as
# its gRPC API configuration. Methods without a REST rule are listed at their Connect path
# (POST /homevisit.v1.<Service>/<Method>).
#   gateway/generate-openapi.sh           regenerate (commit the result)
#   gateway/generate-openapi.sh --check   fail when the committed document is stale
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUF="$ROOT/.deps/node/node_modules/.bin/buf"
PLUGIN="$ROOT/.deps/bin/protoc-gen-openapiv2"
DOC=gateway/openapi/homevisit.swagger.json
[[ -x "$PLUGIN" ]] || { echo "generate-openapi: $PLUGIN missing; run scripts/install-deps.sh" >&2; exit 1; }
cd "$ROOT"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The protos set no go_package, which the plugin insists on: map each file to the Go SDK's package.
{
  echo "version: v2"
  echo "plugins:"
  echo "  - local: $PLUGIN"
  echo "    out: $work/out"
  echo "    opt:"
  for opt in grpc_api_configuration=gateway/http_rules.yaml allow_merge=true merge_file_name=homevisit \
             generate_unbound_methods=true openapi_naming_strategy=simple; do
    echo "      - $opt"
  done
  for f in proto/homevisit/v1/*.proto; do
    echo "      - M${f#proto/}=github.com/izzi-drwifi/homevisit/sdk/go/homevisitv1"
  done
} >"$work/buf.gen.yaml"
"$BUF" generate --template "$work/buf.gen.yaml" --path proto/homevisit/v1

if [[ "${1:-}" == "--check" ]]; then
  if ! cmp -s "$work/out/homevisit.swagger.json" "$DOC"; then
    echo "generate-openapi: $DOC is stale; run gateway/generate-openapi.sh and commit it" >&2
    exit 1
  fi
  echo "generate-openapi: $DOC is current" >&2
else
  mkdir -p "$(dirname "$DOC")"
  cp "$work/out/homevisit.swagger.json" "$DOC"
  echo "generate-openapi: wrote $DOC" >&2
fi
