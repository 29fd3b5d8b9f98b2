#!/bin/sh
# tests/fuzz/run_pathline.sh [SECONDS [libFuzzer options...]]: builds the
# fuzz target of the import prompt's line (ui/pathline.c) with
# libFuzzer+ASan+UBSan into build-fuzz/ and runs it for SECONDS (default 600).
# Needs clang and its fuzzer runtime.  Run it under nice: the machine is shared.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-600}
[ $# -gt 0 ] && shift
out=$top/build-fuzz
mkdir -p "$out/corpus-pathline"
cfg=$top/build
[ -f "$cfg/config.h" ] || { echo "run_pathline.sh: configure first (./quickstart test)" >&2; exit 2; }
CC=${CC:-clang}
flags="-g -O1 -std=c11 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I$cfg -I$top/ui"
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
$CC $flags "$top/tests/fuzz/fuzz_pathline.c" "$top/ui/pathline.c" -o "$out/fuzz_pathline"
printf '~/"a b.xlsx" *.xls '"'"'x y'"'"' a\\ b' > "$out/corpus-pathline/quotes"
printf '"中文 表' > "$out/corpus-pathline/open"
exec "$out/fuzz_pathline" -max_total_time="$secs" -max_len=256 -print_final_stats=1 "$@" "$out/corpus-pathline"
