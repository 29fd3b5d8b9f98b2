#!/bin/sh
# tests/fuzz/run_json.sh [SECONDS]: builds the libFuzzer target for
# io_json_read with ASan+UBSan and runs it for SECONDS (default 300) on a
# corpus seeded from tests/fixtures/*.json.  Needs clang and its fuzzer
# runtime.  Run it under nice: the machine is shared.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-300}
dir=${FUZZ_DIR:-/tmp/jxzp-fuzz-json}
mkdir -p "$dir/corpus" "$dir/inc"
cp "$top"/tests/fixtures/*.json "$dir/corpus/"
printf '#define _GNU_SOURCE 1\n' > "$dir/inc/config.h"
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-I"$dir/inc" -I"$top/src" \
	"$top/tests/fuzz/fuzz_json.c" "$top/src/io_json.c" "$top/src/io_json_fast.c" "$top/src/io_result.c" "$top/src/io_src.c" \
	"$top/src/form.c" "$top/src/ustr.c" \
	$(pkg-config --cflags --libs jansson) -lunistring -o "$dir/fuzz_json"
cd "$dir"
./fuzz_json -max_total_time="$secs" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 corpus 2>&1 | tee "$dir/last.log" |
	grep -E 'stat::|ERROR|SUMMARY|Done' || true
grep -q 'ERROR' "$dir/last.log" && { echo "run_json.sh: a crash, see $dir/last.log" >&2; exit 1; }
exit 0
