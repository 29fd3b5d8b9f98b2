#!/bin/sh
# run_files.sh FORMAT [SECONDS]: fuzz one file reader (FORMAT xlsx, docx
# xls or csv: the seeds are the sample and probe files of that format) through
# io_read_any, with libFuzzer under ASan+UBSan.  Needs clang and its runtime
# (Debian: clang libclang-rt-14-dev), libzip-dev, libexpat1-dev,
# libfreexl-dev.  Work dir: $FUZZ_DIR (default /tmp/jxzp-fuzz-FORMAT), which
# keeps the corpus between runs.  Run it under nice: it takes a whole core.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
fmt=${1:?usage: run_files.sh xlsx|docx|xls|csv [SECONDS]}
secs=${2:-600}
dir=${FUZZ_DIR:-/tmp/jxzp-fuzz-$fmt}
mkdir -p "$dir/corpus" "$dir/inc"
for f in "$top"/tests/fixtures/files/*/*."$fmt" "$top"/tests/fixtures/files-probe/*."$fmt"; do
	[ -f "$f" ] && cp "$f" "$dir/corpus/$(basename "$(dirname "$f")")-$(basename "$f")"
done
[ "$fmt" = csv ] && cp "$top"/tests/fixtures/files-probe/*.txt "$dir/corpus/" 2>/dev/null || true
printf '#define _GNU_SOURCE 1\n#define HAVE_XLSX_READ 1\n#define HAVE_DOCX_READ 1\n#define HAVE_FREEXL 1\n' > "$dir/inc/config.h"
s=$top/src
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-I"$dir/inc" -I"$s" \
	"$top/tests/fuzz/fuzz_files.c" "$s/io_read.c" "$s/io_csv_read.c" "$s/io_zip.c" "$s/io_xlsx_read.c" "$s/io_docx_read.c" "$s/io_xls_read.c" "$s/io_child.c" "$s/numfmt.c" \
	"$s/io_text.c" "$s/io_table_form.c" "$s/io_table_text.c" "$s/io_table_ind.c" "$s/io_table_funds.c" "$s/table.c" "$s/io_result.c" "$s/io_src.c" "$s/io_json.c" "$s/io_json_fast.c" \
	"$s/ustr.c" "$s/form.c" -lzip -lexpat -lfreexl -ljansson -lunistring -lm -o "$dir/fuzz_files"
cd "$dir"
./fuzz_files -max_total_time="$secs" -max_len=200000 -timeout=20 -rss_limit_mb=2048 \
	-print_final_stats=1 corpus 2>&1 | tee "$dir/last.log" | grep -E 'stat::|ERROR|SUMMARY|Done' || true
grep -q 'ERROR' "$dir/last.log" && { echo "run_files.sh: a crash, see $dir/last.log" >&2; exit 1; }
exit 0
