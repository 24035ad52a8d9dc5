#!/usr/bin/env bash
# Installs everything homevisit needs on a fresh Debian 12 machine.
# Idempotent and fast on re-runs: every step checks first and skips what is there,
# so CI (.ci/run) can call it unconditionally.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEPS="$ROOT/.deps"

BUF_VERSION=1.75.0                  # npm @bufbuild/buf; bump deliberately (lint rules change between releases)
GRPCURL_VERSION=v1.9.4              # optional, only for README examples
GOOGLEAPIS_PROTOS_VERSION=1.76.0    # PyPI googleapis-common-protos: ships google/{rpc,api}/*.proto
GRPC_HEALTH_CHECK_VERSION=2.1.0     # npm grpc-health-check: ships grpc.health.v1's health.proto
PROTOC_GEN_GO_VERSION=v1.36.12     # SDK generators (scripts/generate-sdks.sh): their versions are
PROTOC_GEN_GO_GRPC_VERSION=v1.6.2   # written into the committed sdk/go code; Python's: sdk/python/requirements-dev.txt
PROTOC_GEN_OPENAPIV2_VERSION=v2.34.0  # grpc-gateway's: the gateway's OpenAPI document (gateway/generate-openapi.sh)

# Run privileged commands through sudo only when we are not already root.
SUDO=()
if [[ $EUID -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo" >&2; exit 1; }
  SUDO=(sudo)
fi

log() { echo "install-deps: $*" >&2; }

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libsoci-dev libboost-dev libpq-dev libsqlite3-dev libgtest-dev libgmock-dev nlohmann-json3-dev libssl-dev libpng-dev
  postgresql postgresql-contrib openssl
  clang libclang-rt-14-dev sqlite3   # scripts/fuzz.sh (libFuzzer, sanitizers); the crash test's integrity_check
  jq                                 # the README walk (scripts/walkthrough.sh)
  curl                               # scripts/test-metrics.sh and bench/run.sh read /metrics
  libspdlog-dev prometheus-cpp-dev   # the server's access log and its /metrics endpoint
  prometheus                         # scripts/test-metrics.sh scrapes the server with a real Prometheus
  lintian                            # scripts/test-package.sh checks the .deb
  dpkg-dev file systemd              # scripts/test-package.sh: cpack's dpkg-shlibdeps and file, systemd-analyze
  libcairo2-dev libpango1.0-dev fonts-dejavu-core poppler-utils  # the visit report's PDF (cairo, pango, DejaVu); tests read it with pdftotext/pdftoppm
  chromium                           # web/test.sh: the console's browser tests (Playwright drives the system browser)
)
# Tools the later steps use; a fresh Debian has none of them, this dev image has its own.
command -v npm >/dev/null || APT_PACKAGES+=(nodejs npm)
python3 -m pip --version >/dev/null 2>&1 || APT_PACKAGES+=(python3-pip)
python3 -c 'import ensurepip' >/dev/null 2>&1 || APT_PACKAGES+=(python3-venv)   # .deps/venv for the Python SDK

# --- apt: skip apt-get entirely when everything is installed, so re-runs take ~1 s.
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
if ((${#missing[@]})); then
  log "apt: installing ${missing[*]}"
  # Update lists only if the install fails on stale/absent lists (fresh images ship none).
  # `env` because sudo would drop an exported DEBIAN_FRONTEND.
  if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"; then
    "${SUDO[@]}" apt-get update -q
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  fi
else
  log "apt: all ${#APT_PACKAGES[@]} packages present"
fi

# --- buf (npm): project-local so no global state and the version is pinned.
BUF="$DEPS/node/node_modules/.bin/buf"
if [[ "$("$BUF" --version 2>/dev/null || true)" != "$BUF_VERSION" ]]; then
  log "npm: installing @bufbuild/buf@$BUF_VERSION"
  mkdir -p "$DEPS/node"
  # --ignore-scripts: the postinstall only swaps the JS launcher for the native binary
  # (an optimisation); npm 11 skips it anyway with a warning, npm 9 would run it.
  npm install --prefix "$DEPS/node" --no-audit --no-fund --save-exact --ignore-scripts \
    "@bufbuild/buf@$BUF_VERSION" >&2
fi
"$BUF" --version >/dev/null || { log "buf does not run: $BUF"; exit 1; }
log "buf $("$BUF" --version) at $BUF"

# --- grpc.health.v1's health.proto (npm grpc-health-check): compiled into homevisitd so that
# reflection describes the health service, and used by the benchmarks' ghz.
HEALTH_PKG="$DEPS/node/node_modules/grpc-health-check"
if [[ "$(node -p "require('$HEALTH_PKG/package.json').version" 2>/dev/null || true)" != "$GRPC_HEALTH_CHECK_VERSION" ]]; then
  log "npm: installing grpc-health-check@$GRPC_HEALTH_CHECK_VERSION"
  mkdir -p "$DEPS/node"
  npm install --prefix "$DEPS/node" --no-audit --no-fund --save-exact --ignore-scripts \
    "grpc-health-check@$GRPC_HEALTH_CHECK_VERSION" >&2
fi
[[ -f "$HEALTH_PKG/proto/health/v1/health.proto" ]] || { log "health.proto missing in $HEALTH_PKG"; exit 1; }
log "health.proto at $HEALTH_PKG/proto/health/v1/health.proto"

# --- googleapis protos (PyPI): the wheel carries the .proto sources protoc/buf need.
# --target keeps it out of every site-packages, so PEP 668's "externally managed" guard
# does not apply (pip skips it for --target; the env var covers any pip that doesn't).
# --no-deps because we only want the .proto files, not protobuf's python runtime.
if [[ ! -f "$DEPS/googleapis/google/rpc/status.proto" ]]; then
  log "pip: installing googleapis-common-protos==$GOOGLEAPIS_PROTOS_VERSION into $DEPS/googleapis"
  # Install beside, then rename: an interrupted run never leaves a half-filled folder.
  rm -rf "$DEPS/googleapis" "$DEPS/googleapis.tmp"
  PIP_ROOT_USER_ACTION=ignore PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --quiet --disable-pip-version-check \
    --no-deps --no-compile --target "$DEPS/googleapis.tmp" \
    "googleapis-common-protos==$GOOGLEAPIS_PROTOS_VERSION" >&2
  mv "$DEPS/googleapis.tmp" "$DEPS/googleapis"
fi
log "googleapis protos at $DEPS/googleapis"

# --- grpcurl (Go, optional): only handy for manual calls; never fail the install over it.
GRPCURL="$DEPS/bin/grpcurl"
# `grpcurl -version` says "dev build" when built by go install, so read the module version instead.
if [[ -x "$GRPCURL" ]] && go version -m "$GRPCURL" 2>/dev/null | grep -q "grpcurl[[:space:]]*${GRPCURL_VERSION}[[:space:]]"; then
  log "grpcurl $GRPCURL_VERSION present"
elif ! command -v go >/dev/null; then
  log "WARNING: go not found; skipping optional grpcurl"
elif GOBIN="$DEPS/bin" go install "github.com/fullstorydev/grpcurl/cmd/grpcurl@$GRPCURL_VERSION" >&2; then
  log "grpcurl installed at $GRPCURL"
else
  log "WARNING: grpcurl install failed; continuing (it is optional)"
fi

# --- SDK tools: the generators of scripts/generate-sdks.sh and the Python SDK's test tools.
# Python: a venv in .deps/venv with sdk/python/requirements-dev.txt (pinned); a copy of that
# file in the venv marks it installed, so a changed pin reinstalls and a re-run takes ~0 s.
VENV="$DEPS/venv"
PY_REQS="$ROOT/sdk/python/requirements-dev.txt"
if [[ -f "$PY_REQS" ]]; then
  if ! cmp -s "$PY_REQS" "$VENV/requirements-dev.txt" || ! "$VENV/bin/python" -c '' 2>/dev/null; then
    log "pip: installing $(grep -c '==' "$PY_REQS") pinned packages into $VENV"
    [[ -x "$VENV/bin/python" ]] || python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$PY_REQS" >&2
    cp "$PY_REQS" "$VENV/requirements-dev.txt"
  fi
  log "python SDK tools in $VENV"
fi
# Go: protoc-gen-go and protoc-gen-go-grpc into .deps/bin, checked by their module versions.
go_tool() {  # NAME PACKAGE VERSION
  local bin="$DEPS/bin/$1"
  if [[ -x "$bin" ]] && go version -m "$bin" 2>/dev/null | grep -q "^[[:space:]]*mod[[:space:]].*[[:space:]]$3[[:space:]]"; then
    return 0
  fi
  log "go: installing $2@$3"
  GOBIN="$DEPS/bin" go install "$2@$3" >&2
}
if command -v go >/dev/null; then
  go_tool protoc-gen-go google.golang.org/protobuf/cmd/protoc-gen-go "$PROTOC_GEN_GO_VERSION"
  go_tool protoc-gen-go-grpc google.golang.org/grpc/cmd/protoc-gen-go-grpc "$PROTOC_GEN_GO_GRPC_VERSION"
  go_tool protoc-gen-openapiv2 github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-openapiv2 "$PROTOC_GEN_OPENAPIV2_VERSION"
  log "go SDK generators in $DEPS/bin"
else
  log "WARNING: go not found; the Go SDK cannot be generated or tested (scripts/test-sdks.sh fails)"
fi
# TypeScript: `npm ci` of sdk/typescript/package-lock.json (ts-proto, typescript, @grpc/grpc-js,
# all pinned) into sdk/typescript/node_modules (git-ignored). A copy of the lock file there marks
# it installed, so a changed lock reinstalls and a re-run takes ~0 s.
TS_SDK="$ROOT/sdk/typescript"
if [[ -f "$TS_SDK/package-lock.json" ]]; then
  if ! cmp -s "$TS_SDK/package-lock.json" "$TS_SDK/node_modules/.installed-package-lock.json"; then
    log "npm: npm ci in sdk/typescript"
    (cd "$TS_SDK" && npm ci --no-audit --no-fund >&2)
    cp "$TS_SDK/package-lock.json" "$TS_SDK/node_modules/.installed-package-lock.json"
  fi
  log "typescript SDK tools in $TS_SDK/node_modules"
fi
# Web console (web/): `npm ci` of web/package-lock.json (protobuf-es, connect-web, esbuild,
# typescript, playwright-core, all pinned) into web/node_modules (git-ignored), marked like the
# TypeScript SDK's. Playwright never downloads a browser: web/test.sh points it at chromium.
WEB="$ROOT/web"
if [[ -f "$WEB/package-lock.json" ]]; then
  if ! cmp -s "$WEB/package-lock.json" "$WEB/node_modules/.installed-package-lock.json"; then
    log "npm: npm ci in web"
    (cd "$WEB" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >&2)
    cp "$WEB/package-lock.json" "$WEB/node_modules/.installed-package-lock.json"
  fi
  log "web console tools in $WEB/node_modules"
fi
# Gateway (gateway/): its Go modules (vanguard, connect; versions in gateway/go.sum) from the
# module proxy, so the test run does not fetch them.
if command -v go >/dev/null && [[ -f "$ROOT/gateway/go.mod" ]]; then
  (cd "$ROOT/gateway" && go mod download) >&2
  log "gateway modules downloaded"
fi
