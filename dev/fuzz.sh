#!/usr/bin/env bash
# Runs one libFuzzer target for SECONDS (default 60) with AddressSanitizer and leak detection, starting from the
# committed seeds (dev/fuzz/corpus/TARGET; the corpus it grows is kept in .build-fuzz/corpus/TARGET).
# A crash, a leak, or an input that takes over 1 s fails the run; the reproducer is left in .build-fuzz/.
# Targets: fuzz-frames fuzz-messages fuzz-parser fuzz-search. Usage: [MAX_LEN=BYTES] dev/fuzz.sh TARGET [SECONDS]
# MAX_LEN (default 65536) bounds the inputs libFuzzer makes up; the parser's 10^6-run proof uses 16384.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
target=${1:?usage: dev/fuzz.sh TARGET [SECONDS]}
seconds=${2:-60}
[ -d "dev/fuzz/corpus/$target" ] || { echo "unknown target $target (see dev/fuzz/corpus)" >&2; exit 2; }
# The targets have a main of their own (SwiftPM aliases main to it), so they take libFuzzer's no-main runtime and
# the coverage instrumentation that -sanitize=fuzzer would add.
runtime=$(dirname "$(readlink -f "$(command -v swiftc)")")/../lib/swift/clang/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a
swift build --package-path dev/fuzz --scratch-path "$PWD/.build-fuzz" -c release \
    -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,indirect-calls,trace-cmp,inline-8bit-counters,pc-table \
    -Xlinker "$runtime" -Xlinker -lstdc++ --product "$target" 2>&1 | grep -v '^\[' || true
binary=".build-fuzz/release/$target"
[ -x "$binary" ] || { echo "build of $target failed" >&2; exit 1; }
grown=".build-fuzz/corpus/$target"
mkdir -p "$grown"
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
"$binary" -max_total_time="$seconds" -timeout=1 -rss_limit_mb=2048 -max_len="${MAX_LEN:-65536}" -print_final_stats=1 \
    -artifact_prefix=".build-fuzz/$target-" "$grown" "dev/fuzz/corpus/$target" 2>&1 | tail -n 25
