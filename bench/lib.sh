# Shared by the bench scripts (sourced, not run): a work folder removed on exit, and homevisitd
# started on it. Needs BUILD (the build folder) set by the caller.

WORK="$(mktemp -d)"
server_pid=""
address=""
# shellcheck disable=SC2317  # invoked via trap
cleanup() {
  [[ -n "$server_pid" ]] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

# Starts homevisitd on URL with its output in $WORK/NAME.out and .err and the admin token in
# ADMIN_TOKEN_FILE; sets server_pid and address (exits if it does not start within 30 s).
start_homevisitd() {  # NAME URL ADMIN_TOKEN_FILE [homevisitd flags...]
  local name="$1" url="$2" token_file="$3"
  shift 3
  "$BUILD/server/homevisitd" --listen 127.0.0.1:0 --db "$url" --admin_token_file "$token_file" "$@" \
    >"$WORK/$name.out" 2>"$WORK/$name.err" &
  server_pid=$!
  for _ in $(seq 300); do grep -q "listening on" "$WORK/$name.out" && break; sleep 0.1; done
  address=$(sed -n 's/^homevisitd listening on //p' "$WORK/$name.out")
  [[ -n "$address" ]] || { cat "$WORK/$name.err" >&2; exit 1; }
}

# Stops it (SIGTERM: it logs its shutdown lines to .err).
stop_homevisitd() {
  kill -TERM "$server_pid"
  wait "$server_pid" || true
  server_pid=""
}

# The pid of the PostgreSQL cluster psql reaches (PGHOST, PGPORT: scripts/with-postgres.sh).
pg_postmaster() { head -1 "$(psql -X -Atq -c "SHOW data_directory")/postmaster.pid"; }

# PostgreSQL's CPU ticks so far, 0 without a POSTMASTER pid (SQLite runs inside homevisitd): the
# postmaster's own and those of the children it reaped, plus its live children's (backends, WAL
# writer, ...).
pg_ticks() {  # POSTMASTER
  [[ -n "${1:-}" ]] || { echo 0; return; }
  python3 - "$1" <<'PY'
import os, sys
postmaster, total = sys.argv[1], 0
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        continue  # ended meanwhile: its ticks are in the postmaster's cutime/cstime
    # After the name: state, ppid, ..., utime (12th), stime, cutime, cstime.
    if pid == postmaster:
        total += sum(int(x) for x in fields[11:15])
    elif fields[1] == postmaster:
        total += int(fields[11]) + int(fields[12])
print(total)
PY
}
