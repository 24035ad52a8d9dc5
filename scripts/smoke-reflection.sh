#!/usr/bin/env bash
# Starts homevisitd on a free port and checks with grpcurl (no .proto files) that reflection
# lists the homevisit services and the demo data is served.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GRPCURL="$ROOT/.deps/bin/grpcurl"
[[ -x "$GRPCURL" ]] || { echo "smoke-reflection: grpcurl missing; run scripts/install-deps.sh" >&2; exit 1; }
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
"$ROOT/build/server/homevisitd" --listen 127.0.0.1:0 --db "sqlite:$work/smoke.db" --demo >"$work/out" &
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/out" && break; sleep 0.1; done
address=$(sed -n 's/.*listening on //p' "$work/out")
[[ -n "$address" ]] || { echo "smoke-reflection: server did not start" >&2; exit 1; }
services=$("$GRPCURL" -plaintext "$address" list)
echo "$services"
grep -qx homevisit.v1.ServiceOrderService <<<"$services"
grep -qx homevisit.v1.EventService <<<"$services"
count=$("$GRPCURL" -plaintext -d '{}' "$address" homevisit.v1.ServiceOrderService/ListServiceOrders | grep -c '"name": "serviceOrders/')
[[ "$count" == 3 ]] || { echo "smoke-reflection: expected 3 demo orders, got $count" >&2; exit 1; }
echo "smoke-reflection: OK" >&2
