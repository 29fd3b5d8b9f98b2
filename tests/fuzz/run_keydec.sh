#!/bin/sh
# tests/fuzz/run_keydec.sh [SECONDS [libFuzzer options...]]: builds the
# fuzz target of the screen's input decoder (ui/keydec.c) with
# libFuzzer+ASan+UBSan into build-fuzz/ and runs it for SECONDS (default 600).
# Needs clang and its fuzzer runtime.  Run it under nice: the machine is shared.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-600}
[ $# -gt 0 ] && shift
out=$top/build-fuzz
mkdir -p "$out/corpus-keydec"
cfg=$top/build
[ -f "$cfg/config.h" ] || { echo "run_keydec.sh: configure first (./quickstart test)" >&2; exit 2; }
CC=${CC:-clang}
flags="-g -O1 -std=c11 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I$cfg -I$top/ui"
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
$CC $flags "$top/tests/fuzz/fuzz_keydec.c" "$top/ui/keydec.c" -lunistring -o "$out/fuzz_keydec"
printf 'q\377abcdefgh' > "$out/corpus-keydec/ff"
printf '\300\257\344\270\255' > "$out/corpus-keydec/overlong"
exec "$out/fuzz_keydec" -max_total_time="$secs" -max_len=256 -print_final_stats=1 "$@" "$out/corpus-keydec"
