#!/usr/bin/env bash
# CheckAvailability on a full calendar (issue 13; not run by CI): for SQLite and then PostgreSQL,
# starts homevisitd, creates TECHNICIANS technicians and BOOKINGS orders through the API, books
# every order (bench_prep's distinct free slots), then loads CheckAvailability with ghz at 8
# concurrent calls, with the in-memory calendar index and without it (--calendar_index=false), and
# with the index while bookings keep arriving (the last MIXED_BOOKINGS_PER_S x BENCH_SECONDS orders
# are booked during that run, 2 at a time at that rate: each booking changes one technician).
# Prints a Markdown table, the index's own size (the server's shutdown line) and the server's RSS.
#
#   bash bench/availability.sh [TECHNICIANS] [BOOKINGS]      # defaults: 500 5000
#
# Environment: BENCH_SECONDS (10), BENCH_BUILD_DIR (build/), BENCH_DATABASES ("sqlite postgres"),
# MIXED_BOOKINGS_PER_S (20),
# AVAILABILITY_PERF=DIR (perf record -g of each index run into DIR/KIND.perf.data, for perf report).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${BENCH_BUILD_DIR:-$ROOT/build}"
GHZ="$ROOT/.deps/bin/ghz"
TECHNICIANS="${1:-500}"
BOOKINGS="${2:-5000}"
SECONDS_PER_RUN="${BENCH_SECONDS:-10}"
MIXED_RATE="${MIXED_BOOKINGS_PER_S:-20}"
MIXED_BOOKINGS=$((MIXED_RATE * SECONDS_PER_RUN))

if [[ "${INSIDE_POSTGRES:-}" != 1 ]]; then
  [[ -x "$GHZ" ]] || { echo "availability: ghz not found: run bench/run.sh once" >&2; exit 1; }
  exec env INSIDE_POSTGRES=1 bash "$ROOT/scripts/with-postgres.sh" bash "$0" "$@"
fi

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

measure() {  # KIND LABEL: one ghz run against $address; appends a table row
  local kind="$1" label="$2"
  local ticks_before; ticks_before=$(awk '{print $14 + $15}' "/proc/$server_pid/stat")
  "$GHZ" --insecure --call homevisit.v1.SchedulingService.CheckAvailability --data-file "$WORK/$kind/availability.json" \
    --metadata-file "$WORK/$kind/metadata.json" -c 8 --connections 2 -z "${SECONDS_PER_RUN}s" --format json \
    --output "$WORK/ghz.json" "$address" >/dev/null
  local ticks=$(( $(awk '{print $14 + $15}' "/proc/$server_pid/stat") - ticks_before ))
  local rss; rss=$(awk '$1 == "VmRSS:" {print $2}' "/proc/$server_pid/status")
  python3 - "$WORK/ghz.json" "$ticks" "$(getconf CLK_TCK)" "$rss" "$kind" "$label" >>"$WORK/table.md" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
lat = {d["percentage"]: d["latency"] / 1e6 for d in s.get("latencyDistribution") or []}
calls = max(1, s["count"])
cpu = int(sys.argv[2]) / int(sys.argv[3]) * 1e6 / calls
errors = sum(n for c, n in (s.get("statusCodeDistribution") or {}).items() if c != "OK")
print(f"| {sys.argv[5]} | {sys.argv[6]} | {s['rps']:.0f} | {lat.get(50, float('nan')):.2f} | {lat.get(99, float('nan')):.2f} "
      f"| {errors} | {cpu:.0f} | {int(sys.argv[4]) / 1024:.1f} |")
PY
}

echo "| database | calendars from | calls/s | p50 ms | p99 ms | non-OK | server CPU µs/call | server RSS MiB |" >"$WORK/table.md"
echo "|---|---|---:|---:|---:|---:|---:|---:|" >>"$WORK/table.md"
for kind in ${BENCH_DATABASES:-sqlite postgres}; do
  url="sqlite:$WORK/availability.db"
  [[ "$kind" == postgres ]] && url="$HOMEVISIT_TEST_DATABASE_URL"
  rm -f "$WORK/admin.token"
  start_homevisitd "$kind-fill" "$url" "$WORK/admin.token"
  mkdir -p "$WORK/$kind"
  echo "availability: $kind: $TECHNICIANS technicians, $BOOKINGS bookings" >&2
  "$BUILD/bench/bench_prep" --target "$address" --out "$WORK/$kind" --run_id "avail-$kind" \
    --technicians "$TECHNICIANS" --orders "$BOOKINGS" --intakes 0 --admin_token_file "$WORK/admin.token" >&2
  # All but the last MIXED_BOOKINGS now; those during the mixed run.
  python3 - "$WORK/$kind/book.json" "$MIXED_BOOKINGS" <<'PY'
import json, sys
path, mixed = sys.argv[1], int(sys.argv[2])
book = json.load(open(path))
json.dump(book[:len(book) - mixed], open(path.replace(".json", "-fill.json"), "w"))
json.dump(book[len(book) - mixed:], open(path.replace(".json", "-mixed.json"), "w"))
PY
  "$GHZ" --insecure --call homevisit.v1.SchedulingService.BookAppointment --data-file "$WORK/$kind/book-fill.json" \
    --metadata-file "$WORK/$kind/metadata.json" -c 8 --connections 2 -n "$((BOOKINGS - MIXED_BOOKINGS))" --format json \
    --output "$WORK/book.json" "$address" >/dev/null
  python3 -c "import json,sys; s=json.load(open('$WORK/book.json')); print('availability: booked', s['statusCodeDistribution'])" >&2
  stop_homevisitd
  # The same database, now full, served with and without the index.
  start_homevisitd "$kind-index" "$url" "$WORK/admin.token"
  # Until the index's first load is in place, calls read the database.
  for _ in $(seq 600); do grep -q calendar_index_loaded "$WORK/$kind-index.err" && break; sleep 0.1; done
  grep calendar_index_loaded "$WORK/$kind-index.err" | sed "s/^/$kind: /" >>"$WORK/index.txt" || true
  perf_pid=""
  if [[ -n "${AVAILABILITY_PERF:-}" ]]; then
    mkdir -p "$AVAILABILITY_PERF"
    perf record -q -g -p "$server_pid" -o "$AVAILABILITY_PERF/$kind.perf.data" -- sleep "$SECONDS_PER_RUN" 2>/dev/null &
    perf_pid=$!
  fi
  measure "$kind" "in-memory index"
  [[ -n "$perf_pid" ]] && wait "$perf_pid"
  "$GHZ" --insecure --call homevisit.v1.SchedulingService.BookAppointment --data-file "$WORK/$kind/book-mixed.json" \
    --metadata-file "$WORK/$kind/metadata.json" -c 2 --rps "$MIXED_RATE" -n "$MIXED_BOOKINGS" --format json \
    --output "$WORK/book-mixed.json" "$address" >/dev/null &
  booking_pid=$!
  measure "$kind" "in-memory index, $MIXED_RATE bookings/s alongside"
  wait "$booking_pid"
  python3 -c "import json,sys; s=json.load(open('$WORK/book-mixed.json')); print('availability: booked alongside', s['statusCodeDistribution'])" >&2
  stop_homevisitd
  grep calendar_index_stopped "$WORK/$kind-index.err" | sed "s/^/$kind: /" >>"$WORK/index.txt" || true
  start_homevisitd "$kind-database" "$url" "$WORK/admin.token" --calendar_index=false
  measure "$kind" "database (--calendar_index=false)"
  stop_homevisitd
done
echo
echo "CheckAvailability of one order covered by all $TECHNICIANS technicians, $BOOKINGS appointments booked, ghz -c 8, ${SECONDS_PER_RUN} s:"
echo
cat "$WORK/table.md"
echo
cat "$WORK/index.txt" 2>/dev/null || true
