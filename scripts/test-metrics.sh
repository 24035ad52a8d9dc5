#!/usr/bin/env bash
# The metrics endpoint through a real Prometheus: starts homevisitd with --metrics_listen on a
# temporary SQLite file, makes a few calls (answered and refused), checks the exposition with
# `promtool check metrics`, starts Debian's prometheus scraping it every second, and asks
# Prometheus's HTTP API for the series an operator would chart.
# The server binary: $HOMEVISITD when set, else build/server/homevisitd.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GRPCURL="$ROOT/.deps/bin/grpcurl"
HOMEVISITD="${HOMEVISITD:-$ROOT/build/server/homevisitd}"
for tool in "$GRPCURL" "$HOMEVISITD" /usr/bin/prometheus /usr/bin/promtool; do
  [[ -x "$tool" ]] || { echo "test-metrics: $tool missing; run scripts/install-deps.sh and scripts/build.sh" >&2; exit 1; }
done
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "test-metrics: $*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

"$HOMEVISITD" --listen 127.0.0.1:0 --metrics_listen 127.0.0.1:0 --db "sqlite:$work/metrics.db" --demo \
  --admin_token_file "$work/admin.token" >"$work/out" 2>"$work/log" &
pids+=($!)
for _ in $(seq 100); do grep -q "listening on" "$work/out" && break; sleep 0.1; done
address=$(sed -n 's/^homevisitd listening on //p' "$work/out")
metrics=$(sed -n 's/^homevisitd metrics at //p' "$work/out")
[[ -n "$address" && -n "$metrics" ]] || { cat "$work/out" "$work/log" >&2; fail "server did not start"; }

# Calls to count: three answered, one refused for want of a token.
admin=(-H "authorization: Bearer $(cat "$work/admin.token")")
for _ in 1 2 3; do
  "$GRPCURL" -plaintext "${admin[@]}" -d '{}' "$address" homevisit.v1.CredentialService/ListCredentials >/dev/null
done
"$GRPCURL" -plaintext -d '{}' "$address" homevisit.v1.CredentialService/ListCredentials >/dev/null 2>&1 &&
  fail "a call without a token was served"

# The exposition itself is valid Prometheus text.
curl -fsS "$metrics" >"$work/metrics.txt"
promtool check metrics <"$work/metrics.txt" || fail "promtool check metrics"

# A real Prometheus scrapes it.
prom_port=$(free_port)
target=${metrics#http://}
target=${target%/metrics}
cat >"$work/prometheus.yml" <<YML
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: homevisitd
    static_configs:
      - targets: ['$target']
YML
promtool check config "$work/prometheus.yml" >/dev/null || fail "promtool check config"
/usr/bin/prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port" >"$work/prometheus.log" 2>&1 &
pids+=($!)
api="http://127.0.0.1:$prom_port/api/v1"
query() { curl -fsS --get "$api/query" --data-urlencode "query=$1"; }
answered=""
for _ in $(seq 60); do
  answered=$(query 'grpc_server_handled_total{grpc_method="ListCredentials",grpc_code="OK"}' 2>/dev/null |
    jq -r '.data.result[0].value[1] // empty' 2>/dev/null || true)
  [[ "$answered" == 3 ]] && break
  sleep 0.5
done
[[ "$answered" == 3 ]] || { tail -20 "$work/prometheus.log" >&2; fail "Prometheus saw ListCredentials OK = '$answered', not 3"; }
echo "test-metrics: Prometheus: grpc_server_handled_total{grpc_method=\"ListCredentials\",grpc_code=\"OK\"} = $answered"
refused=$(query 'grpc_server_handled_total{grpc_method="ListCredentials",grpc_code="UNAUTHENTICATED"}' |
  jq -r '.data.result[0].value[1]')
[[ "$refused" == 1 ]] || fail "UNAUTHENTICATED count $refused, not 1"
up=$(query 'up{job="homevisitd"}' | jq -r '.data.result[0].value[1]')
[[ "$up" == 1 ]] || fail "target not up"
# The series an operator charts: latency quantiles, queues, the database's state.
p99=$(query 'histogram_quantile(0.99, sum by (le) (grpc_server_handling_seconds_bucket{grpc_method="ListCredentials"}))' |
  jq -r '.data.result[0].value[1]')
echo "test-metrics: Prometheus: p99 of ListCredentials = ${p99}s"
[[ "$p99" != null && "$p99" != NaN ]] || fail "no latency histogram"
for series in homevisit_worker_queue_depth homevisit_write_queue_depth homevisit_open_watches homevisit_database_up \
  homevisit_write_batch_units_count homevisit_rejected_calls_total homevisit_late_alerts_total \
  homevisit_db_session_wait_seconds_count homevisit_db_transaction_retries_total; do
  count=$(query "count($series) or vector(0)" | jq -r '.data.result[0].value[1]')
  # Counters with labels (rejections, retries) appear at their first event; the rest always.
  case "$series" in
    homevisit_rejected_calls_total | homevisit_db_transaction_retries_total) ;;
    *) [[ "$count" -ge 1 ]] || fail "Prometheus has no $series" ;;
  esac
done
[[ $(query 'homevisit_database_up' | jq -r '.data.result[0].value[1]') == 1 ]] || fail "database_up is not 1"
echo "test-metrics: OK (promtool check metrics; Prometheus scraped the endpoint and answers the queries)"
