#!/usr/bin/env bash
# Builds fuzz/intake_fuzzer with clang, libFuzzer, ASan and UBSan into build-fuzz/ and runs it
# for FUZZ_SECONDS (default 60) from the committed seeds in fuzz/corpus/intake. Fails on any
# crash, leak, sanitizer report, timeout, or a broken invariant the harness checks (see the
# top of fuzz/intake_fuzzer.cc). A failing input is saved under build-fuzz/artifacts/; replay it
# with: build-fuzz/fuzz/intake_fuzzer build-fuzz/artifacts/crash-...
#
# The Debian gRPC/protobuf libraries are built with gcc against libstdc++, which clang also uses,
# so our clang-built code links with them as is; only our code is instrumented.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/install-deps.sh
BUILD="$ROOT/build-fuzz"
SECONDS_TO_RUN="${FUZZ_SECONDS:-60}"
CC=clang CXX=clang++ cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DHOMEVISIT_SANITIZE=address,undefined \
  -DHOMEVISIT_FUZZ=ON -DHOMEVISIT_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD" -j"$(nproc)" --target intake_fuzzer

# New inputs go to a scratch corpus; the committed seeds are only read.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$BUILD/artifacts"
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="suppressions=$ROOT/scripts/sanitizers/lsan.supp:print_suppressions=0"
"$BUILD/fuzz/intake_fuzzer" -max_total_time="$SECONDS_TO_RUN" -timeout=30 -max_len=4096 -rss_limit_mb=4096 \
  -print_final_stats=1 -artifact_prefix="$BUILD/artifacts/" "$work" "$ROOT/fuzz/corpus/intake" \
  2> >(grep -v -E '^#[0-9]|NEW_FUNC|^"|dictionary' >&2)   # keep the report, drop progress and dictionary lines
echo "fuzz: OK (intake_fuzzer, ${SECONDS_TO_RUN} s, no crash, leak or sanitizer report)" >&2
