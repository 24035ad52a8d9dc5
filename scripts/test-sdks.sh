#!/usr/bin/env bash
# Tests the client SDKs: the generated code is up to date (generate-sdks.sh --check), then per
# language the unit and live tests (each suite starts its own homevisitd and issues its own
# credentials) and the example, run against a homevisitd this script starts, as a DOT operator
# ($HOMEVISIT_TOKEN, issued with grpcurl from .deps/bin).
#
#   scripts/test-sdks.sh            every SDK
#   scripts/test-sdks.sh go         only some (python, go, typescript, cpp)
#
# The server binary: $HOMEVISITD when set, else build/server/homevisitd after scripts/build.sh
# (a no-op when the build is current).
#
# One section per language: a function `test_<lang>` (the server's address is in $ADDRESS),
# plus its name in SDK_ORDER.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEPS="$ROOT/.deps"
SDK_ORDER=(python go typescript cpp)

log() { echo "test-sdks: $*" >&2; }
die() { log "$*"; exit 1; }

WORK="$(mktemp -d)"
server_pid=""
# shellcheck disable=SC2317  # invoked via trap
cleanup() {
  if [[ -n "$server_pid" ]]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT; trap 'exit 143' TERM

# Starts homevisitd on a free port with a throwaway database and the demo data; sets ADDRESS.
# The server requires a bearer token on every call: it writes its first admin token to
# $WORK/admin.token, and the admin issues (CreateCredential, through grpcurl and reflection) the
# DOT operator credential the examples use: HOMEVISIT_TOKEN.
start_server() {
  local grpcurl="$DEPS/bin/grpcurl"
  [[ -x "$grpcurl" ]] || die "$grpcurl missing (it issues the examples' credential); run scripts/install-deps.sh"
  "$HOMEVISITD" --listen 127.0.0.1:0 --db "sqlite:$WORK/examples.db" --demo \
    --admin_token_file "$WORK/admin.token" >"$WORK/server.out" 2>"$WORK/server.err" &
  server_pid=$!
  for _ in $(seq 300); do
    grep -q "listening on" "$WORK/server.out" && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  ADDRESS=$(sed -n 's/^homevisitd listening on //p' "$WORK/server.out")
  [[ -n "$ADDRESS" ]] || { cat "$WORK/server.err" >&2; die "homevisitd did not start"; }
  export ADDRESS
  HOMEVISIT_TOKEN=$("$grpcurl" -plaintext -H "authorization: Bearer $(cat "$WORK/admin.token")" \
    -d '{"credential": {"principal": "sdk-examples", "role": "ROLE_DOT_OPERATOR"}}' \
    "$ADDRESS" homevisit.v1.CredentialService/CreateCredential | sed -n 's/^  "token": "\(.*\)",\{0,1\}$/\1/p')
  [[ -n "$HOMEVISIT_TOKEN" ]] || die "could not issue the examples' DOT operator credential"
  export HOMEVISIT_TOKEN
}

# ----------------------------------------------------------------------------------------------
# Python: install the package (from a copy, so the source tree gets no build/ or egg-info) into
# .deps/venv, run pytest (unit + live), then the example.
test_python() {
  local python="$DEPS/venv/bin/python"
  [[ -x "$python" ]] || die "$python missing; run scripts/install-deps.sh"
  echo "== python SDK: install"
  cp -r "$ROOT/sdk/python" "$WORK/python-src"
  rm -rf "$WORK/python-src/build" "$WORK/python-src/src/"*.egg-info
  "$python" -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation \
    --force-reinstall "$WORK/python-src" >&2
  echo "== python SDK: pytest"
  (cd "$ROOT/sdk/python" && PYTHONDONTWRITEBYTECODE=1 "$python" -m pytest -p no:cacheprovider -q tests)
  echo "== python SDK: example (token: \$HOMEVISIT_TOKEN)"
  (cd "$WORK" && PYTHONDONTWRITEBYTECODE=1 "$python" "$ROOT/sdk/python/examples/walkthrough.py" --target "$ADDRESS")
  echo "== python SDK: the wheel in a fresh virtual environment outside the repository, a whole visit"
  "$python" -m pip wheel --quiet --disable-pip-version-check --no-deps --no-build-isolation \
    -w "$WORK/wheels" "$WORK/python-src" >&2
  python3 -m venv "$WORK/py-outside"
  "$WORK/py-outside/bin/pip" install --quiet --disable-pip-version-check "$WORK"/wheels/homevisit-*.whl >&2
  (cd "$WORK" && PYTHONDONTWRITEBYTECODE=1 "$WORK/py-outside/bin/python" "$ROOT/sdk/testing/outside/visit.py" \
    "$ADDRESS" "$(cat "$WORK/admin.token")")
}

# ----------------------------------------------------------------------------------------------
# Go: formatting, a tidy go.mod, vet, tests (unit + live), then the example.
test_go() {
  command -v go >/dev/null || die "go not found"
  cd "$ROOT/sdk/go"
  echo "== go SDK: gofmt, go mod tidy -diff, go vet"
  local unformatted
  unformatted=$(gofmt -l .)
  [[ -z "$unformatted" ]] || die "gofmt would change: $unformatted"
  go mod tidy -diff || die "go.mod/go.sum are not tidy: run 'go mod tidy' in sdk/go"
  go vet ./...
  echo "== go SDK: go test"
  go test -count=1 ./...
  echo "== go SDK: example (token: \$HOMEVISIT_TOKEN)"
  go run ./examples/walkthrough -target "$ADDRESS"
  echo "== go SDK: a module outside the repository (replace directive), a whole visit"
  mkdir "$WORK/go-outside"
  cp "$ROOT/sdk/testing/outside/go/main.go" "$WORK/go-outside/"
  cd "$WORK/go-outside"
  go mod init example.com/homevisit-outside >/dev/null 2>&1
  go mod edit -require=github.com/izzi-drwifi/homevisit/sdk/go@v0.0.0 \
    -replace=github.com/izzi-drwifi/homevisit/sdk/go="$ROOT/sdk/go"
  go mod tidy >&2
  go run . "$ADDRESS" "$(cat "$WORK/admin.token")"
  cd "$ROOT"
}

# ----------------------------------------------------------------------------------------------
# TypeScript: `npm ci` (pinned, into sdk/typescript/node_modules), tsc, node's test runner
# (fake-server and live tests; the live ones start their own $HOMEVISITD), then the example.
test_typescript() {
  command -v node >/dev/null || die "node not found"
  cd "$ROOT/sdk/typescript"
  echo "== typescript SDK: npm ci"
  if ! cmp -s package-lock.json node_modules/.installed-package-lock.json; then
    npm ci --no-audit --no-fund >&2
    cp package-lock.json node_modules/.installed-package-lock.json
  fi
  echo "== typescript SDK: tsc + node --test"
  rm -rf dist
  npm test
  echo "== typescript SDK: example (token: \$HOMEVISIT_TOKEN)"
  node dist/examples/walkthrough.js "$ADDRESS"
  echo "== typescript SDK: packed (npm pack), installed outside the repository, a whole visit"
  npm pack --pack-destination "$WORK" >/dev/null
  mkdir "$WORK/ts-outside"
  cd "$WORK/ts-outside"
  npm init -y >/dev/null
  npm install --no-audit --no-fund "$WORK"/izzi-homevisit-*.tgz >&2
  cp "$ROOT/sdk/testing/outside/visit.js" .
  node visit.js "$ADDRESS" "$(cat "$WORK/admin.token")"
  cd "$ROOT"
}

# ----------------------------------------------------------------------------------------------
# C++: the client as installed (cmake --install of the build folder), used from a project outside
# the repository through find_package(homevisit), walking a whole visit. (Its unit and live tests
# are client_tests, run by ctest.)
test_cpp() {
  local build
  build="$(dirname "$(dirname "$HOMEVISITD")")"   # the build folder of $HOMEVISITD
  echo "== c++ client: installed (cmake --install), a project outside the repository, a whole visit"
  cmake --install "$build" --prefix "$WORK/cpp-prefix" >/dev/null
  cmake -S "$ROOT/sdk/testing/outside/cpp" -B "$WORK/cpp-outside" -G Ninja \
    -DCMAKE_PREFIX_PATH="$WORK/cpp-prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$WORK/cpp-outside" >/dev/null
  "$WORK/cpp-outside/visit" "$ADDRESS" "$(cat "$WORK/admin.token")"
}

# ----------------------------------------------------------------------------------------------
main() {
  local -a langs=()
  local lang
  for lang in "$@"; do
    [[ " ${SDK_ORDER[*]} " == *" $lang "* ]] || die "unknown SDK '$lang' (known: ${SDK_ORDER[*]})"
    langs+=("$lang")
  done
  ((${#langs[@]})) || langs=("${SDK_ORDER[@]}")

  cd "$ROOT"
  if [[ -z "${HOMEVISITD:-}" ]]; then
    bash scripts/build.sh
    HOMEVISITD="$ROOT/build/server/homevisitd"
  else
    bash scripts/install-deps.sh
  fi
  [[ -x "$HOMEVISITD" ]] || die "no homevisitd at $HOMEVISITD"
  HOMEVISITD="$(cd "$(dirname "$HOMEVISITD")" && pwd)/$(basename "$HOMEVISITD")"
  export HOMEVISITD

  echo "== generated SDK code is up to date"
  local -a generated=()   # the languages with generated code in sdk/ (not cpp: CMake generates it)
  for lang in "${langs[@]}"; do [[ "$lang" == cpp ]] || generated+=("$lang"); done
  ((${#generated[@]} == 0)) || bash scripts/generate-sdks.sh --check "${generated[@]}"
  start_server
  for lang in "${langs[@]}"; do
    "test_$lang"
  done
  log "all passed (${langs[*]})"
}

main "$@"
