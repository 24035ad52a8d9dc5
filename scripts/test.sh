#!/usr/bin/env bash
# The README's test command: installs what is missing, lints the protos, builds, and runs the
# whole suite on SQLite, then the service suites again on a throwaway PostgreSQL cluster.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/build.sh
echo "== buf lint"
bash scripts/lint-protos.sh
echo "== all tests on SQLite"
ctest --test-dir build --output-on-failure -j2
echo "== service tests on PostgreSQL"
bash scripts/with-postgres.sh ctest --test-dir build --output-on-failure -j2 -L service
echo "== reflection smoke test"
bash scripts/smoke-reflection.sh
HOMEVISITD="$ROOT/build/server/homevisitd" bash scripts/test-sdks.sh   # SDKs: generated code current, tests, examples
echo "test.sh: all passed"
