#!/usr/bin/env bash
# Builds the server and the domain + service suites with AddressSanitizer and
# UndefinedBehaviorSanitizer into build-asan/ and runs them on SQLite. Any report fails the run:
# every sanitizer halts on its first error, LeakSanitizer checks at every process exit.
#
#   scripts/test-sanitizers.sh              build + run domain and service tests
#   scripts/test-sanitizers.sh -R Intake    extra arguments go to ctest
#
# Only our code is instrumented (HOMEVISIT_SANITIZE): Debian's gRPC, protobuf, SOCI and libpq
# are not, which ASan supports. Leak suppressions: scripts/sanitizers/lsan.supp (third-party
# only, each entry says why).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/install-deps.sh
BUILD="$ROOT/build-asan"
# -O1 -g1: fast enough to run the suites, line numbers in the reports, cheap to compile.
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DHOMEVISIT_SANITIZE=address,undefined >/dev/null
# Only what the two suites need (the service suite starts homevisitd itself).
cmake --build "$BUILD" -j"$(nproc)" --target homevisitd domain_tests service_tests

export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="suppressions=$ROOT/scripts/sanitizers/lsan.supp:print_suppressions=0"
# Excluded: tests that assert on RSS (ASan's quarantine and redzones inflate it by design).
ctest --test-dir "$BUILD" --output-on-failure -j2 -L 'domain|service' -E 'TwoHundredWatchersAllReceiveEverything' "$@"
echo "test-sanitizers: OK (ASan+UBSan, domain + service suites on SQLite)" >&2
