#!/usr/bin/env bash
# The gateway's and the console's tests. First `go test` in gateway/ (REST, gRPC-Web, Connect and
# WatchEvents through the gateway to a homevisitd it starts). Then the browser tests: a real
# homevisitd (throwaway SQLite, demo technicians) behind the gateway, which serves the built
# console; Playwright (playwright-core) drives Debian's chromium headless through
# web/e2e/console.test.mjs. Screenshots go to $WEB_SCREENSHOTS
# (default web/test-results/). Everything this script starts is stopped on exit.
#
# The server binary: $HOMEVISITD when set, else build/server/homevisitd (scripts/build.sh).
set -euo pipefail
WEB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$WEB/.." && pwd)"
HOMEVISITD="${HOMEVISITD:-$ROOT/build/server/homevisitd}"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

log() { echo "test-web: $*" >&2; }
die() { log "$*"; exit 1; }
[[ -x "$HOMEVISITD" ]] || die "no homevisitd at $HOMEVISITD"
[[ -x "$CHROMIUM" ]] || die "no chromium at $CHROMIUM; run scripts/install-deps.sh"
[[ -d "$WEB/node_modules/playwright-core" ]] || die "web/node_modules missing; run scripts/install-deps.sh"

WORK="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT; trap 'exit 143' TERM

# Waits for "<what> listening on ADDR" in FILE; prints ADDR.
address_in() {  # FILE PID
  for _ in $(seq 300); do
    grep -q "listening on" "$1" && { sed -n 's/.* listening on //p' "$1" | head -1; return 0; }
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

log "gateway: the OpenAPI document is current; go vet, go test against a real homevisitd"
bash "$ROOT/gateway/generate-openapi.sh" --check
(cd "$ROOT/gateway" && go vet ./... && HOMEVISITD="$HOMEVISITD" go test -count=1 ./...)

log "building the gateway and the console"
(cd "$ROOT/gateway" && go build -o "$WORK/homevisit-gateway" .)
(cd "$WEB" && node build.mjs >&2)

# --late_tolerance_minutes 0 (a production setting too: late from the window start): the late-alert
# scenario books a window starting 20 s ahead, and the sweep (every 5 s) raises its alert then.
"$HOMEVISITD" --listen 127.0.0.1:0 --db "sqlite:$WORK/web.db" --demo --admin_token_file "$WORK/admin.token" \
  --late_tolerance_minutes 0 --log_level warning >"$WORK/server.out" 2>"$WORK/server.err" &
pids+=($!)
backend=$(address_in "$WORK/server.out" "${pids[-1]}") || { cat "$WORK/server.err" >&2; die "homevisitd did not start"; }
"$WORK/homevisit-gateway" --listen 127.0.0.1:0 --backend "$backend" --web_dir "$WEB/dist" \
  >"$WORK/gateway.out" 2>"$WORK/gateway.err" &
pids+=($!)
gateway=$(address_in "$WORK/gateway.out" "${pids[-1]}") || { cat "$WORK/gateway.err" >&2; die "the gateway did not start"; }
log "homevisitd on $backend, gateway on $gateway"

status=0
GATEWAY_URL="http://$gateway" ADMIN_TOKEN="$(cat "$WORK/admin.token")" CHROMIUM="$CHROMIUM" \
  WEB_SCREENSHOTS="${WEB_SCREENSHOTS:-$WEB/test-results}" \
  timeout 200 node --test "$WEB/e2e/console.test.mjs" || status=$?
if ((status != 0)); then
  log "FAILED; the server's and the gateway's last lines:"
  tail -n 20 "$WORK/server.err" "$WORK/gateway.err" >&2 || true
  exit "$status"
fi
log "OK"
