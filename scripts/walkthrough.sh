#!/usr/bin/env bash
# Runs the README's grpcurl walk against a fresh demo server: every ```sh block that follows a
# "<!-- walk -->" line of README.md, in order, as one bash script (set -euo pipefail), from the
# repository root, as a reader pasting them would. Then checks that the walked order ended
# COMPLETED with its report filed. CI runs it, so the README cannot drift from the service.
#
# The server binary: $HOMEVISITD when set, else build/server/homevisitd (scripts/build.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOMEVISITD="${HOMEVISITD:-$ROOT/build/server/homevisitd}"
[[ -x "$ROOT/.deps/bin/grpcurl" ]] || { echo "walkthrough: grpcurl missing; run scripts/install-deps.sh" >&2; exit 1; }
command -v jq >/dev/null || { echo "walkthrough: jq missing; run scripts/install-deps.sh" >&2; exit 1; }
[[ -x "$HOMEVISITD" ]] || { echo "walkthrough: no homevisitd at $HOMEVISITD" >&2; exit 1; }

work=$(mktemp -d)
pid=""
trap '[[ -z "$pid" ]] || { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }; rm -rf "$work"' EXIT
"$HOMEVISITD" --listen 127.0.0.1:0 --db "sqlite:$work/walk.db" --demo --admin_token_file "$work/admin.token" \
  >"$work/server.out" 2>"$work/server.err" &
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/server.out" && break; sleep 0.1; done
address=$(sed -n 's/.*listening on //p' "$work/server.out")
[[ -n "$address" ]] || { cat "$work/server.err" >&2; echo "walkthrough: server did not start" >&2; exit 1; }

# The walk: the marked blocks, then the checks.
{
  echo 'set -euo pipefail'
  awk '/^<!-- walk -->$/ { marked = 1; next }
       marked && /^```sh$/ { inside = 1; marked = 0; next }
       inside && /^```$/ { inside = 0; print ""; next }
       inside { print }
       { marked = 0 }' "$ROOT/README.md"
  cat <<'CHECKS'
state=$(G -d "{\"name\": \"$ORDER\"}" $HV homevisit.v1.ServiceOrderService/GetServiceOrder | jq -r .state)
[[ "$state" == STATE_COMPLETED ]] || { echo "walkthrough: the walked order ended $state" >&2; exit 1; }
steps=$(G -d "{\"name\": \"$ORDER/visitReport\"}" $HV homevisit.v1.VisitReportService/GetVisitReport | jq '.steps | length')
[[ "$steps" -ge 9 ]] || { echo "walkthrough: the report lists $steps steps" >&2; exit 1; }
CHECKS
} >"$work/walk.sh"
blocks=$(grep -c '^<!-- walk -->$' "$ROOT/README.md")
echo "walkthrough: running $blocks README blocks ($(wc -l <"$work/walk.sh") lines) against $address" >&2
if ! (cd "$ROOT" && HV="$address" ADMIN_TOKEN_FILE="$work/admin.token" bash "$work/walk.sh" >"$work/walk.out" 2>&1); then
  tail -40 "$work/walk.out" >&2
  echo "walkthrough: FAILED (the README walk does not run as written)" >&2
  exit 1
fi
echo "walkthrough: OK" >&2
