#!/usr/bin/env bash
# Race test at scale (PostgreSQL): two homevisitd replicas on one database; tests/race/race.cc
# sends every intake twice at once (same request id, one copy to each replica) and then
# thousands of booking attempts on a few slots through both. Afterwards SQL on the database
# itself must find no technician with overlapping appointments, no intake stored twice, and as
# many booked orders as the clients were told.
#
#   scripts/with-postgres.sh tests/race/race_test.sh     (needs $HOMEVISIT_TEST_DATABASE_URL)
#
# Binaries: $HOMEVISITD and $RACE, else build/server/homevisitd and build/tests/race.
# Size: ORDERS (default 1000) orders x up to 4 attempts each, on 3 technicians x 2 days x 8 starts.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HOMEVISITD="${HOMEVISITD:-$ROOT/build/server/homevisitd}"
RACE="${RACE:-$ROOT/build/tests/race}"
ORDERS="${ORDERS:-1000}"

log() { echo "race_test: $*" >&2; }
die() { log "FAIL: $*"; exit 1; }
[[ -n "${HOMEVISIT_TEST_DATABASE_URL:-}" ]] || die "HOMEVISIT_TEST_DATABASE_URL is not set (run under scripts/with-postgres.sh)"

WORK="$(mktemp -d)"
pids=() pg_db="hv_race_$$"
# shellcheck disable=SC2317  # invoked via trap
cleanup() {
  set +e
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  dropdb --if-exists --force "$pg_db" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT; trap 'exit 143' TERM

createdb "$pg_db"
URL="${HOMEVISIT_TEST_DATABASE_URL%/*}/$pg_db"
start=$SECONDS

# Two replicas on one database; --workers 8 each, so up to 16 transactions at once.
targets=()
for r in a b; do
  "$HOMEVISITD" --listen 127.0.0.1:0 --db "$URL" --workers 8 --admin_token_file "$WORK/admin.token" \
    >"$WORK/$r.out" 2>"$WORK/$r.err" &
  pids+=($!)
  for _ in $(seq 300); do grep -q "listening on" "$WORK/$r.out" && break; sleep 0.05; done
  address=$(sed -n 's/^homevisitd listening on //p' "$WORK/$r.out")
  [[ -n "$address" ]] || { cat "$WORK/$r.err" >&2; die "replica $r did not start"; }
  targets+=("$address")
done
log "replicas at ${targets[*]}"

"$RACE" --targets "${targets[0]},${targets[1]}" --orders "$ORDERS" --run_id "race-$$" \
  --admin_token_file "$WORK/admin.token" | tee "$WORK/race.out" || {
  # What the replicas said beyond their per-call info lines, to tell a server fault from a client one.
  for r in a b; do log "replica $r, last warnings and errors:"; grep -v '"level":"info"' "$WORK/$r.err" | tail -n 20 >&2; done
  die "the race client saw wrong answers (above)"
}
booked=$(sed -n 's/^booked=//p' "$WORK/race.out")

# Occupation of a visit: its arrival window plus the visit and travel buffer (60 + 30 min, the
# defaults). States 9 = cancelled; states 1 = requested (not booked).
CHECKS="
SELECT 'overlapping appointments', COUNT(*) FROM service_orders a JOIN service_orders b
  ON a.technician_id = b.technician_id AND a.id < b.id
  WHERE a.state NOT IN (1, 9) AND b.state NOT IN (1, 9)
    AND a.window_start < b.window_end + 5400000000 AND b.window_start < a.window_end + 5400000000;
SELECT 'orders stored twice for one intake', COUNT(*) FROM
  (SELECT file_number FROM service_orders GROUP BY file_number HAVING COUNT(*) > 1) d;
SELECT 'slot granules claimed twice', COUNT(*) FROM
  (SELECT technician_id, granule FROM slot_claims GROUP BY technician_id, granule HAVING COUNT(*) > 1) d;
SELECT 'booked orders minus bookings acknowledged', COUNT(*) - $booked FROM service_orders WHERE state = 2;
"
counts=$(psql -X -q -A -t -F ': ' -v ON_ERROR_STOP=1 -d "$pg_db" <<<"$CHECKS")
echo "$counts"
grep -v '^$' <<<"$counts" | grep -qv ': 0$' && die "the database shows a race was lost (above)"

for pid in "${pids[@]}"; do
  kill -TERM "$pid"
  wait "$pid" || die "a replica exited $? on SIGTERM"
done
pids=()
log "OK: $ORDERS intakes sent twice through two replicas, $booked booked, no overlap, no duplicate, $((SECONDS - start)) s"
