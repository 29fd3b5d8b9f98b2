#!/bin/sh
# run_xlsx.sh [SECONDS]: fuzz the .xlsx reader (io_read_any on zip bytes)
# with libFuzzer under ASan+UBSan.  Needs clang and its runtime (Debian:
# clang libclang-rt-14-dev), libzip-dev, libexpat1-dev.  Seeds: the sample
# .xlsx files.  Work dir: $FUZZ_DIR (default /tmp/jxzp-fuzz-xlsx).  Run it
# under nice: it takes a whole core.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-600}
dir=${FUZZ_DIR:-/tmp/jxzp-fuzz-xlsx}
mkdir -p "$dir/corpus" "$dir/inc"
samples=${JXZP_SAMPLES:-$top/../../shared/samples/files}
[ -d "$samples" ] || samples=/work/shared/samples/files
for f in "$samples"/*/*.xlsx; do cp "$f" "$dir/corpus/$(basename "$(dirname "$f")")-$(basename "$f")"; done
printf '#define _GNU_SOURCE 1\n#define HAVE_XLSX_READ 1\n' > "$dir/inc/config.h"
s=$top/src
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-I"$dir/inc" -I"$s" \
	"$top/tests/fuzz/fuzz_xlsx.c" "$s/io_read.c" "$s/io_zip.c" "$s/io_xlsx_read.c" "$s/numfmt.c" \
	"$s/io_text.c" "$s/io_table_form.c" "$s/table.c" "$s/io_result.c" "$s/io_json.c" \
	"$s/ustr.c" "$s/form.c" -lzip -lexpat -ljansson -lunistring -lm -o "$dir/fuzz_xlsx"
cd "$dir"
./fuzz_xlsx -max_total_time="$secs" -max_len=200000 -timeout=20 -rss_limit_mb=2048 \
	-print_final_stats=1 corpus 2>&1 | tee "$dir/last.log" | grep -E 'stat::|ERROR|SUMMARY|Done' || true
grep -q 'ERROR' "$dir/last.log" && { echo "run_xlsx.sh: a crash, see $dir/last.log" >&2; exit 1; }
exit 0
