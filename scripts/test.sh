#!/usr/bin/env bash
# The README's test command: installs what is missing, lints the protos, builds, and runs the
# whole suite on SQLite, then the service suites again on a throwaway PostgreSQL cluster.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/build.sh
echo "== buf lint"
bash scripts/lint-protos.sh
echo "== one version in every package (CHANGELOG.md too)"
bash scripts/release.sh --check
echo "== all tests on SQLite"
ctest --test-dir build --output-on-failure -j2
bash scripts/test-package.sh            # the .deb: lintian, its systemd unit, the packaged server run
echo "== service tests on PostgreSQL"
bash scripts/with-postgres.sh ctest --test-dir build --output-on-failure -j2 -L service
echo "== readiness on PostgreSQL: the cluster stopped and restarted under a running server"
bash scripts/with-postgres.sh --allow-restart build/tests/service_tests --gtest_filter='OperationsTest.HealthIsNotServing*'
echo "== reflection smoke test, then the README walk"
bash scripts/smoke-reflection.sh
bash scripts/test-metrics.sh            # /metrics through promtool and a real Prometheus
bash scripts/walkthrough.sh            # the README grpcurl walk runs as written
HOMEVISITD="$ROOT/build/server/homevisitd" bash scripts/test-sdks.sh   # SDKs: generated code current, tests, examples
HOMEVISITD="$ROOT/build/server/homevisitd" bash web/test.sh   # gateway (go test) and the console in headless chromium (Playwright)
echo "== crash test: kill -9 under intake load, SQLite then PostgreSQL (~20 s + ~45 s)"
bash tests/crash/crash_test.sh sqlite; bash scripts/with-postgres.sh tests/crash/crash_test.sh postgres
echo "== race test: two replicas on PostgreSQL (~30 s)"
bash scripts/with-postgres.sh tests/race/race_test.sh
echo "== sanitizers: domain + service suites under ASan+UBSan (build-asan/)"
bash scripts/test-sanitizers.sh
echo "== fuzzing: intake_fuzzer for 60 s (build-fuzz/, clang + libFuzzer + ASan+UBSan)"
bash scripts/fuzz.sh
echo "test.sh: all passed"
