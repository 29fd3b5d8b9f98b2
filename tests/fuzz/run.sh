#!/bin/sh
# tests/fuzz/run.sh [SECONDS] [libFuzzer options...]: builds the libFuzzer
# target for target_read with ASan+UBSan into build-fuzz/ and runs it for
# SECONDS (default 600) on a corpus seeded from tests/fuzz/seeds.
# Needs clang and its fuzzer runtime (Debian: apt-get install clang libclang-rt-14-dev).
# Run it under nice: the machine is shared.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-600}
[ $# -gt 0 ] && shift
out=$top/build-fuzz
mkdir -p "$out/corpus"
# config.h comes from a configured build tree
cfg=$top/build
[ -f "$cfg/config.h" ] || { echo "run.sh: configure first (./quickstart test)" >&2; exit 2; }
CC=${CC:-clang}
$CC -g -O1 -std=c11 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-I"$cfg" -I"$top/src" \
	"$top/tests/fuzz/fuzz_target.c" "$top/src/target.c" "$top/src/num.c" "$top/src/ustr.c" \
	-lunistring -o "$out/fuzz_target"
cp -n "$top"/tests/fuzz/seeds/* "$out/corpus/" 2>/dev/null || true
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
exec "$out/fuzz_target" -max_total_time="$secs" -max_len=1024 -print_final_stats=1 "$@" "$out/corpus"
