#!/usr/bin/env bash
# Starts homevisitd on a free port and checks with grpcurl (no .proto files) that reflection
# lists the homevisit services (reflection needs no token), that a call without a token is
# refused, and that the demo data is served to a DOT operator whose credential the admin issues.
# The server binary: $HOMEVISITD when set, else build/server/homevisitd.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GRPCURL="$ROOT/.deps/bin/grpcurl"
HOMEVISITD="${HOMEVISITD:-$ROOT/build/server/homevisitd}"
[[ -x "$GRPCURL" ]] || { echo "smoke-reflection: grpcurl missing; run scripts/install-deps.sh" >&2; exit 1; }
[[ -x "$HOMEVISITD" ]] || { echo "smoke-reflection: no homevisitd at $HOMEVISITD; run scripts/build.sh or set HOMEVISITD" >&2; exit 1; }
work=$(mktemp -d)
pid=""
trap '[[ -z "$pid" ]] || { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }; rm -rf "$work"' EXIT
"$HOMEVISITD" --listen 127.0.0.1:0 --db "sqlite:$work/smoke.db" --demo --admin_token_file "$work/admin.token" >"$work/out" &
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/out" && break; sleep 0.1; done
address=$(sed -n 's/.*listening on //p' "$work/out")
[[ -n "$address" ]] || { echo "smoke-reflection: server did not start" >&2; exit 1; }
services=$("$GRPCURL" -plaintext "$address" list)
echo "$services"
grep -qx homevisit.v1.ServiceOrderService <<<"$services"
grep -qx homevisit.v1.EventService <<<"$services"
grep -qx homevisit.v1.CredentialService <<<"$services"
# Health: described by reflection, and answering for each service by name (no token needed).
"$GRPCURL" -plaintext "$address" describe grpc.health.v1.Health | grep -q "rpc Check"
for service in ServiceOrderService SchedulingService VisitService; do
  "$GRPCURL" -plaintext -d "{\"service\": \"homevisit.v1.$service\"}" "$address" grpc.health.v1.Health/Check |
    grep -q '"status": "SERVING"' || { echo "smoke-reflection: health of $service" >&2; exit 1; }
done
# Every homevisit call needs a bearer token.
if refused=$("$GRPCURL" -plaintext -d '{}' "$address" homevisit.v1.ServiceOrderService/ListServiceOrders 2>&1); then
  echo "smoke-reflection: a call without a token was served" >&2; exit 1
fi
grep -q "Code: Unauthenticated" <<<"$refused" || { echo "smoke-reflection: without a token: $refused" >&2; exit 1; }
# The admin (its token file is written at the first start) issues a DOT operator's credential.
token=$("$GRPCURL" -plaintext -H "authorization: Bearer $(cat "$work/admin.token")" \
  -d '{"credential": {"principal": "smoke", "role": "ROLE_DOT_OPERATOR"}}' \
  "$address" homevisit.v1.CredentialService/CreateCredential | sed -n 's/^  "token": "\(.*\)",\{0,1\}$/\1/p')
[[ -n "$token" ]] || { echo "smoke-reflection: CreateCredential gave no token" >&2; exit 1; }
count=$("$GRPCURL" -plaintext -H "authorization: Bearer $token" -d '{}' "$address" \
  homevisit.v1.ServiceOrderService/ListServiceOrders | grep -c '"name": "serviceOrders/')
[[ "$count" == 3 ]] || { echo "smoke-reflection: expected 3 demo orders, got $count" >&2; exit 1; }
echo "smoke-reflection: OK" >&2
