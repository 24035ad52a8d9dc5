#!/usr/bin/env bash
# The README's run command: builds, then serves on SQLite (./homevisit.db) with demo data.
# Extra arguments go to homevisitd (e.g. --listen 0.0.0.0:50051).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/build.sh"
exec "$ROOT/build/server/homevisitd" --listen 127.0.0.1:50051 --db "sqlite:$ROOT/homevisit.db" --demo \
  --admin_token_file "$ROOT/homevisit-admin.token" "$@"
