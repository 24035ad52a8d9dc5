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
  libsoci-dev libboost-dev libpq-dev libsqlite3-dev libgtest-dev libgmock-dev nlohmann-json3-dev
  postgresql postgresql-contrib openssl
)
# Tools the later steps use; a fresh Debian has none of them, this dev image has its own.
command -v npm >/dev/null || APT_PACKAGES+=(nodejs npm)
python3 -m pip --version >/dev/null 2>&1 || APT_PACKAGES+=(python3-pip)

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
