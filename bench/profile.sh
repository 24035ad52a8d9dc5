#!/usr/bin/env bash
# Where one call's server time goes (not run by CI): starts homevisitd on SQLite (or on a
# throwaway PostgreSQL with --postgres), fills it with bench_prep, loads it with ghz for one call
# and records the server with `perf record` meanwhile; prints perf's top frames and libraries
# (self time), the server's threads, its context switches per call, and on PostgreSQL the
# cluster's own CPU per call.
#
#   bash bench/profile.sh [--postgres] [get|list|create|availability] [SECONDS]
#
# PROFILE_PERF_ARGS adds options to perf record (e.g. -g for call graphs); PROFILE_KEEP=FILE keeps
# the recording for perf report.
# Needs a build (scripts/build.sh), ghz (bench/run.sh installs it) and perf (linux-perf).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${BENCH_BUILD_DIR:-$ROOT/build}"
GHZ="$ROOT/.deps/bin/ghz"

if [[ "${1:-}" == --postgres ]]; then
  shift
  exec bash "$ROOT/scripts/with-postgres.sh" env PROFILE_DB=postgres bash "$0" "$@"
fi
CALL="${1:-get}"
SECONDS_TO_RUN="${2:-8}"
command -v perf >/dev/null || { echo "profile: perf not found (apt-get install linux-perf)" >&2; exit 1; }
[[ -x "$GHZ" ]] || { echo "profile: ghz not found: run bench/run.sh once" >&2; exit 1; }
case "$CALL" in
  get) METHOD=homevisit.v1.ServiceOrderService.GetServiceOrder ;;
  list) METHOD=homevisit.v1.ServiceOrderService.ListServiceOrders ;;
  create) METHOD=homevisit.v1.ServiceOrderService.CreateServiceOrder ;;
  availability) METHOD=homevisit.v1.SchedulingService.CheckAvailability ;;
  *) echo "profile: unknown call $CALL" >&2; exit 2 ;;
esac

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

DB="sqlite:$WORK/profile.db"
[[ "${PROFILE_DB:-}" == postgres ]] && DB="$HOMEVISIT_TEST_DATABASE_URL"
start_homevisitd profile "$DB" "$WORK/admin.token" --demo
"$BUILD/bench/bench_prep" --target "$address" --out "$WORK" --run_id profile --orders 500 \
  --admin_token_file "$WORK/admin.token" >/dev/null

switches() { awk '/ctxt_switches/ {n += $2} END {print n}' /proc/"$server_pid"/task/*/status; }
cpu_ticks() { awk '{print $14 + $15}' /proc/"$server_pid"/stat; }
postmaster=""
[[ "${PROFILE_DB:-}" == postgres ]] && postmaster=$(pg_postmaster)
before=$(switches)
ticks_before=$(cpu_ticks)
db_before=$(pg_ticks "$postmaster")
perf record -q ${PROFILE_PERF_ARGS:-} -p "$server_pid" -o "$WORK/perf.data" -- sleep "$SECONDS_TO_RUN" 2>/dev/null &
perf_pid=$!
/usr/bin/time -f "%U %S" -o "$WORK/ghz.time" "$GHZ" --insecure --call "$METHOD" --data-file "$WORK/$CALL.json" --metadata-file "$WORK/metadata.json" \
  -c 8 --connections 2 -z "${SECONDS_TO_RUN}s" --format json --output "$WORK/ghz.json" "$address" >/dev/null
wait "$perf_pid" || true
after=$(switches)
ticks_after=$(cpu_ticks)
db_ticks=$(( $(pg_ticks "$postmaster") - db_before ))
python3 - "$WORK/ghz.json" "$before" "$after" "$ticks_before" "$ticks_after" "$(getconf CLK_TCK)" "$WORK/ghz.time" \
  "$db_ticks" "$postmaster" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
calls = max(1, s["count"])
switches = (int(sys.argv[3]) - int(sys.argv[2])) / calls
cpu_us = (int(sys.argv[5]) - int(sys.argv[4])) / int(sys.argv[6]) * 1e6 / calls
ghz_us = sum(float(x) for x in open(sys.argv[7]).read().split()[-2:]) * 1e6 / calls
print(f"{s['count']} calls, {s['rps']:.0f} calls/s, {cpu_us:.0f} us of server CPU and {switches:.1f} server context "
      f"switches per call; ghz (the client) used {ghz_us:.0f} us of CPU per call")
if sys.argv[9]:
    print(f"PostgreSQL (the cluster's processes) used {int(sys.argv[8]) / int(sys.argv[6]) * 1e6 / calls:.0f} us of CPU per call")
PY
perf report -i "$WORK/perf.data" --no-children --sort symbol --stdio -g none 2>/dev/null | grep -E "^ +[0-9.]+%" | sed "s/ *-  *- *$//" | head -25 || true
[[ -n "${PROFILE_KEEP:-}" ]] && cp "$WORK/perf.data" "$PROFILE_KEEP"
echo "-- by thread"
perf report -i "$WORK/perf.data" --no-children --sort comm --stdio 2>/dev/null | grep -E "^ +[0-9.]+%" | head -8 || true
echo "-- by library (self time)"
perf report -i "$WORK/perf.data" --no-children --sort dso --stdio 2>/dev/null | grep -E "^ +[0-9.]+%" | head -12 || true
