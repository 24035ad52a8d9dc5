#!/usr/bin/env bash
# Crash test: intakes from a few concurrent clients (crash_writer) while homevisitd is killed
# with SIGKILL at random moments and restarted, KILLS times (default 20). Afterwards every
# intake the server acknowledged must be there and retry to the same order, and the database
# must check clean.
#
#   tests/crash/crash_test.sh sqlite      a SQLite file in a temp folder
#   tests/crash/crash_test.sh postgres    a new database in the cluster of
#                                         $HOMEVISIT_TEST_DATABASE_URL (scripts/with-postgres.sh)
#
# Binaries: $HOMEVISITD and $CRASH_WRITER, else build/server/homevisitd and build/tests/crash_writer.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KIND="${1:-sqlite}"
KILLS="${KILLS:-20}"
HOMEVISITD="${HOMEVISITD:-$ROOT/build/server/homevisitd}"
CRASH_WRITER="${CRASH_WRITER:-$ROOT/build/tests/crash_writer}"

log() { echo "crash_test[$KIND]: $*" >&2; }
die() { log "FAIL: $*"; exit 1; }

WORK="$(mktemp -d)"
server_pid="" writer_pid="" pg_db=""
# shellcheck disable=SC2317  # invoked via trap
cleanup() {
  set +e
  [[ -n "$writer_pid" ]] && kill -KILL "$writer_pid" 2>/dev/null && wait "$writer_pid" 2>/dev/null
  [[ -n "$server_pid" ]] && kill -KILL "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [[ -n "$pg_db" ]] && dropdb --if-exists --force "$pg_db" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT; trap 'exit 143' TERM

case "$KIND" in
  sqlite) DB_FILE="$WORK/crash.db"; URL="sqlite:$DB_FILE" ;;
  postgres)
    [[ -n "${HOMEVISIT_TEST_DATABASE_URL:-}" ]] || die "HOMEVISIT_TEST_DATABASE_URL is not set (run under scripts/with-postgres.sh)"
    pg_db="hv_crash_$$"
    createdb "$pg_db"
    URL="${HOMEVISIT_TEST_DATABASE_URL%/*}/$pg_db" ;;
  *) die "usage: $0 sqlite|postgres" ;;
esac

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
start_server() {
  : >"$WORK/server.out"
  "$HOMEVISITD" --listen "127.0.0.1:$PORT" --db "$URL" --admin_token_file "$WORK/admin.token" \
    >"$WORK/server.out" 2>>"$WORK/server.err" &
  server_pid=$!
  for _ in $(seq 300); do
    grep -q "listening on" "$WORK/server.out" && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.05
  done
  cat "$WORK/server.err" >&2
  die "homevisitd did not start"
}

start=$SECONDS
start_server
# The writer issues itself a DOT operator's token with the admin's (first start) into writer.token.
TOKENS=(--admin_token_file "$WORK/admin.token" --token_file "$WORK/writer.token")
"$CRASH_WRITER" --target "127.0.0.1:$PORT" --clients 4 --log "$WORK/acknowledged.log" --run_id "crash-$KIND-$$" \
  "${TOKENS[@]}" >"$WORK/writer.out" 2>&1 &
writer_pid=$!
for i in $(seq "$KILLS"); do
  sleep "0.$((RANDOM % 9 + 1))$((RANDOM % 10))"   # 0.10 .. 0.99 s of load
  kill -KILL "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  acknowledged=$(wc -l <"$WORK/acknowledged.log" 2>/dev/null || echo 0)
  log "kill $i/$KILLS: $acknowledged intakes acknowledged so far"
  start_server
done
sleep 0.5
kill -TERM "$writer_pid"
wait "$writer_pid" || { cat "$WORK/writer.out" >&2; die "crash_writer failed"; }
writer_pid=""
cat "$WORK/writer.out"

# Every acknowledged intake is there, and a retry of it returns the same order.
"$CRASH_WRITER" --verify --target "127.0.0.1:$PORT" --log "$WORK/acknowledged.log" "${TOKENS[@]}" ||
  die "acknowledged intakes are missing (see above)"
kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=""
[[ "$status" == 0 ]] || die "homevisitd exited $status on SIGTERM after the crashes"

# The database itself: structurally sound, and no intake stored twice or without its event.
CHECKS="
SELECT 'duplicate file numbers', COUNT(*) FROM (SELECT file_number FROM service_orders GROUP BY file_number HAVING COUNT(*) > 1) d;
SELECT 'orders without exactly one creation event', COUNT(*) FROM service_orders o
  WHERE (SELECT COUNT(*) FROM events e WHERE e.order_id = o.id AND e.type = 1) <> 1;
"
if [[ "$KIND" == sqlite ]]; then
  integrity=$(sqlite3 "$DB_FILE" 'PRAGMA integrity_check;')
  [[ "$integrity" == ok ]] || die "PRAGMA integrity_check: $integrity"
  fk=$(sqlite3 "$DB_FILE" 'PRAGMA foreign_key_check;')
  [[ -z "$fk" ]] || die "PRAGMA foreign_key_check: $fk"
  counts=$(sqlite3 -separator ': ' "$DB_FILE" "$CHECKS")
  orders=$(sqlite3 "$DB_FILE" 'SELECT COUNT(*) FROM service_orders;')
else
  counts=$(psql -X -q -A -t -F ': ' -v ON_ERROR_STOP=1 -d "$pg_db" <<<"$CHECKS")
  orders=$(psql -X -q -A -t -d "$pg_db" -c 'SELECT COUNT(*) FROM service_orders;')
fi
echo "$counts"
grep -v '^$' <<<"$counts" | grep -qv ': 0$' && die "database checks found problems (above)"
acknowledged=$(wc -l <"$WORK/acknowledged.log")
log "OK: $KILLS kills, $acknowledged acknowledged intakes all present ($orders orders stored), database clean, $((SECONDS - start)) s"
