#!/usr/bin/env bash
# Generates the client code of every SDK from proto/, with the pinned generators that
# scripts/install-deps.sh puts in .deps/. The generated code is committed.
#
#   scripts/generate-sdks.sh                 regenerate every language in place
#   scripts/generate-sdks.sh --check         regenerate into a temp dir and diff: exits 1 when
#                                            the committed code is stale (CI runs this)
#   scripts/generate-sdks.sh [--check] go    only some languages (python, go, ...)
#
# One section per language. A section is a function `generate_<lang> DEST` that writes the
# language's generated folders under DEST (DEST mirrors the repo root), plus one entry in
# GENERATED below naming those folders (relative to the root, generated files only: they are
# replaced whole, so nothing hand-written may live in them).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEPS="$ROOT/.deps"
GOOGLEAPIS="$DEPS/googleapis"

# Language -> its generated folders (space-separated).
declare -A GENERATED=(
  [python]="sdk/python/src/homevisit/v1"
  [go]="sdk/go/homevisitv1"
  [typescript]="sdk/typescript/src/gen"
)
LANGUAGE_ORDER=(python go typescript)

log() { echo "generate-sdks: $*" >&2; }
die() { log "$*"; exit 1; }
need() { [[ -e "$1" ]] || die "$1 missing; run scripts/install-deps.sh"; }

# The contracts, relative to proto/ (what protoc wants as file names), sorted for stable output.
proto_files() { (cd "$ROOT/proto" && find homevisit -name '*.proto' | LC_ALL=C sort); }

# ----------------------------------------------------------------------------------------------
# Python: grpcio-tools (pip, pinned in sdk/python/requirements-dev.txt) with its bundled protoc.
# Output: sdk/python/src/homevisit/v1/{*_pb2.py,*_pb2.pyi,*_pb2_grpc.py,__init__.py}; the
# google.{api,type,rpc} modules they import come from googleapis-common-protos at run time.
generate_python() {
  local dest="$1" python="$DEPS/venv/bin/python"
  need "$python"
  "$python" -c 'import grpc_tools.protoc' 2>/dev/null || die "grpcio-tools missing in .deps/venv; run scripts/install-deps.sh"
  need "$GOOGLEAPIS/google/api/field_behavior.proto"
  local out="$dest/sdk/python/src"
  mkdir -p "$out/homevisit/v1"
  local files
  mapfile -t files < <(proto_files)
  # `python -m grpc_tools.protoc` adds the bundled google/protobuf/*.proto to the include path.
  (cd "$ROOT/proto" && "$python" -m grpc_tools.protoc -I . -I "$GOOGLEAPIS" \
    --python_out="$out" --pyi_out="$out" --grpc_python_out="$out" "${files[@]}")
  printf '%s\n' '"""Generated code of homevisit.v1 (scripts/generate-sdks.sh). Do not edit."""' \
    >"$out/homevisit/v1/__init__.py"
}

# ----------------------------------------------------------------------------------------------
# Go: Debian's protoc (/usr/bin/protoc) + protoc-gen-go and protoc-gen-go-grpc (go install,
# pinned in install-deps.sh) into .deps/bin. Output: sdk/go/homevisitv1/*.pb.go. The protos set
# no go_package, so M options map each file to the package; google/{api,type} imports resolve
# to genproto's packages through the go_package options of their own files.
GO_MODULE="github.com/izzi-drwifi/homevisit/sdk/go"
generate_go() {
  local dest="$1"
  need /usr/bin/protoc
  need "$DEPS/bin/protoc-gen-go"
  need "$DEPS/bin/protoc-gen-go-grpc"
  need "$GOOGLEAPIS/google/api/field_behavior.proto"
  local out="$dest/sdk/go" files f m=()
  mkdir -p "$out"
  mapfile -t files < <(proto_files)
  for f in "${files[@]}"; do m+=("M$f=$GO_MODULE/homevisitv1;homevisitv1"); done
  local go_opts grpc_opts
  go_opts="module=$GO_MODULE$(printf ',%s' "${m[@]}")"
  grpc_opts="$go_opts"
  (cd "$ROOT/proto" && /usr/bin/protoc -I . -I "$GOOGLEAPIS" \
    --plugin=protoc-gen-go="$DEPS/bin/protoc-gen-go" \
    --plugin=protoc-gen-go-grpc="$DEPS/bin/protoc-gen-go-grpc" \
    --go_out="$out" --go_opt="$go_opts" \
    --go-grpc_out="$out" --go-grpc_opt="$grpc_opts" \
    "${files[@]}")
}

# ----------------------------------------------------------------------------------------------
# TypeScript: Debian's protoc (/usr/bin/protoc) + ts-proto (npm, pinned in
# sdk/typescript/package-lock.json; `npm ci` there installs it). Output: sdk/typescript/src/gen/,
# one .ts per proto: ours, google/rpc/{status,error_details} (to decode error details), and the
# google/{protobuf,api,type} files they import, which ts-proto generates itself. Services are
# @grpc/grpc-js clients; Timestamps become Dates; oneof members are optional properties.
TS_PROTO_OPTS="outputServices=grpc-js,env=node,esModuleInterop=true,exportCommonSymbols=false"
generate_typescript() {
  local dest="$1" plugin="$ROOT/sdk/typescript/node_modules/.bin/protoc-gen-ts_proto"
  need /usr/bin/protoc
  [[ -x "$plugin" ]] || die "ts-proto missing; run: (cd sdk/typescript && npm ci)"
  need "$GOOGLEAPIS/google/rpc/status.proto"
  local out="$dest/sdk/typescript/src/gen" files
  mkdir -p "$out"
  mapfile -t files < <(proto_files)
  (cd "$ROOT/proto" && /usr/bin/protoc -I . -I "$GOOGLEAPIS" \
    --plugin=protoc-gen-ts_proto="$plugin" \
    --ts_proto_out="$out" --ts_proto_opt="$TS_PROTO_OPTS" \
    "${files[@]}" google/rpc/status.proto google/rpc/error_details.proto)
}

# ----------------------------------------------------------------------------------------------
# Driver: generate into a temp tree, then compare (--check) or replace the committed folders.
main() {
  local check=""
  local -a langs=()
  for arg in "$@"; do
    case "$arg" in
      --check) check=1 ;;
      -h|--help) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
      *) [[ -n "${GENERATED[$arg]:-}" ]] || die "unknown language '$arg' (known: ${LANGUAGE_ORDER[*]})"
         langs+=("$arg") ;;
    esac
  done
  ((${#langs[@]})) || langs=("${LANGUAGE_ORDER[@]}")

  local tmp stale=0 lang dir
  tmp="$(mktemp -d)"
  # shellcheck disable=SC2064  # expand now: tmp is local
  trap "rm -rf '$tmp'" EXIT
  for lang in "${langs[@]}"; do
    "generate_$lang" "$tmp"
    for dir in ${GENERATED[$lang]}; do
      [[ -d "$tmp/$dir" ]] || die "$lang: generator wrote nothing to $dir"
      if [[ -n "$check" ]]; then
        if ! diff -r -u -x __pycache__ "$ROOT/$dir" "$tmp/$dir" >"$tmp/$lang.diff" 2>&1; then
          log "STALE: $dir differs from what proto/ generates:"
          head -n 40 "$tmp/$lang.diff" >&2
          stale=1
        fi
      else
        rm -rf "${ROOT:?}/$dir"
        mkdir -p "$(dirname "$ROOT/$dir")"
        cp -r "$tmp/$dir" "$ROOT/$dir"
        log "$lang: wrote $dir"
      fi
    done
  done
  if ((stale)); then
    die "generated code is stale: run scripts/generate-sdks.sh and commit the result"
  fi
  [[ -z "$check" ]] || log "OK: generated code is up to date (${langs[*]})"
}

main "$@"
