#!/usr/bin/env bash
# Usage: scripts/with-postgres.sh [--allow-restart] CMD [ARGS...]
# Runs CMD against a throwaway PostgreSQL cluster and always removes the cluster after.
# CMD sees HOMEVISIT_TEST_DATABASE_URL (plus PGHOST/PGPORT/PGUSER/PGDATABASE).
# Each run gets its own temp dir and port, so several can run at once.
# --allow-restart: CMD also sees HOMEVISIT_TEST_POSTGRES_CTL, a command taking `stop` or `start`
# that stops the cluster (fast shutdown: sessions are cut) or starts it again on the same port,
# for outage tests. Only for a CMD that runs nothing else against the cluster meanwhile.
set -euo pipefail

allow_restart=""
if [[ "${1:-}" == "--allow-restart" ]]; then allow_restart=1; shift; fi
(($#)) || { echo "usage: $0 [--allow-restart] CMD [ARGS...]" >&2; exit 2; }

# Newest installed server (Debian keeps binaries per major version, not on PATH).
PGBIN="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
[[ -x "$PGBIN/initdb" ]] || { echo "with-postgres: no PostgreSQL server found; run scripts/install-deps.sh" >&2; exit 1; }

# initdb/postgres refuse to run as root, so as root we run them as the `postgres` user.
AS=()
if [[ $EUID -eq 0 ]]; then
  getent passwd postgres >/dev/null || { echo "with-postgres: no 'postgres' user" >&2; exit 1; }
  AS=(runuser -u postgres --)
fi

# Fixed /tmp rather than $TMPDIR: the postgres user must be able to reach it, and the
# unix socket path inside it must stay under the ~107-byte limit.
TMP="$(mktemp -d /tmp/homevisit-pg.XXXXXX)"
DATA="$TMP/data"
LOG="$TMP/server.log"   # written by the server itself (as postgres)
OUT="$TMP/tools.log"    # our own capture of initdb/pg_ctl output
child=""

# shellcheck disable=SC2317  # invoked via trap
cleanup() {
  set +e
  [[ -n "$child" ]] && kill -TERM "$child" 2>/dev/null && wait "$child" 2>/dev/null
  # immediate: the data is thrown away anyway, so skip the shutdown checkpoint.
  [[ -f "$DATA/postmaster.pid" ]] && (cd "$TMP" && "${AS[@]}" "$PGBIN/pg_ctl" stop -D "$DATA" -m immediate -w -t 30 >/dev/null 2>&1)
  rm -rf "$TMP"
}
trap cleanup EXIT
# Without these traps bash dies on a signal without running the EXIT trap.
trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM

((${#AS[@]})) && chown postgres: "$TMP"
run_pg() { (cd "$TMP" && "${AS[@]}" "$@"); }   # cd: postgres may not read the caller's cwd

if ! run_pg "$PGBIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$OUT" 2>&1; then
  echo "with-postgres: initdb failed:" >&2; cat "$OUT" >&2; exit 1
fi
# initdb's pg_hba.conf only has local-socket and loopback (127.0.0.1, ::1) lines; -A trust
# makes those passwordless. listen_addresses keeps TCP on loopback. Durability is off: tests only.
cat >>"$DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$TMP'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
CONF

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# A port found free can be taken by someone else before postgres binds it: retry then.
started=""
for _ in 1 2 3 4 5; do
  PORT="$(free_port)"
  if run_pg "$PGBIN/pg_ctl" start -D "$DATA" -l "$LOG" -o "-p $PORT" -w -t 60 >"$OUT" 2>&1; then
    started=1; break
  fi
  grep -q "could not bind\|Address already in use" "$LOG" 2>/dev/null || break
done
if [[ -z "$started" ]]; then
  echo "with-postgres: PostgreSQL failed to start; pg_ctl output and server log:" >&2
  cat "$OUT" "$LOG" >&2 2>/dev/null; exit 1
fi

for _ in $(seq 100); do
  "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" && break
  sleep 0.1
done
"$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" || { echo "with-postgres: server not ready; log:" >&2; cat "$LOG" >&2; exit 1; }
"$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres homevisit_test

export HOMEVISIT_TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:$PORT/homevisit_test"
export PGHOST=127.0.0.1 PGPORT="$PORT" PGUSER=postgres PGDATABASE=homevisit_test
export HOMEVISIT_TEST_POSTGRES_LOG="$LOG"   # the server's log (bench/run.sh counts statements in it)
if [[ -n "$allow_restart" ]]; then
  cat >"$TMP/pgctl" <<CTL
#!/usr/bin/env bash
set -euo pipefail
cd "$TMP"
case "\${1:-}" in
  stop)  ${AS[*]} "$PGBIN/pg_ctl" stop -D "$DATA" -m fast -w -t 30 >/dev/null ;;
  start) ${AS[*]} "$PGBIN/pg_ctl" start -D "$DATA" -l "$LOG" -o "-p $PORT" -w -t 60 >/dev/null ;;
  *) echo "usage: \$0 stop|start" >&2; exit 2 ;;
esac
CTL
  chmod 755 "$TMP/pgctl"
  export HOMEVISIT_TEST_POSTGRES_CTL="$TMP/pgctl"
fi

# Run CMD in the background and `wait`, so a signal to this script is handled at once
# (bash defers traps while a foreground child runs). fd 3 keeps CMD's stdin the real one,
# since bash would otherwise give a background job /dev/null (CI may have no stdin at all).
{ exec 3<&0; } 2>/dev/null || exec 3</dev/null
"$@" <&3 3<&- &
child=$!
status=0
wait "$child" || status=$?
child=""
exit "$status"
