#!/bin/sh
# run_text.sh [SECONDS]: fuzz io_text_read with libFuzzer under ASan+UBSan.
# Needs clang and its runtime (Debian: apt-get install clang libclang-rt-14-dev).
# Seeds: the sample forms in tests/fixtures.  Work dir: $FUZZ_DIR (default
# /tmp/jxzp-fuzz-text), which keeps the corpus between runs.  Run it under
# nice: it takes a whole core.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-600}
dir=${FUZZ_DIR:-/tmp/jxzp-fuzz-text}
mkdir -p "$dir/corpus" "$dir/inc"
cp "$top"/tests/fixtures/*.txt "$dir/corpus/"
# the sources need only _GNU_SOURCE from config.h
printf '#define _GNU_SOURCE 1\n' > "$dir/inc/config.h"
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-I"$dir/inc" -I"$top/src" \
	"$top/tests/fuzz/fuzz_text.c" "$top/src/io_text.c" "$top/src/io_table_form.c" "$top/src/io_table_text.c" "$top/src/io_table_ind.c" "$top/src/io_table_funds.c" "$top/src/table.c" "$top/src/io_result.c" "$top/src/io_src.c" "$top/src/ustr.c" \
	"$top/src/form.c" -lunistring -o "$dir/fuzz_text"
cd "$dir"
./fuzz_text -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 corpus 2>&1 | tee "$dir/last.log" | grep -E 'stat::|ERROR|SUMMARY|Done' || true
grep -q 'ERROR' "$dir/last.log" && { echo "run_text.sh: a crash, see $dir/last.log" >&2; exit 1; }
exit 0
