#!/bin/sh
# run_pdf.sh [SECONDS]: fuzz the PDF reader (tests/fuzz/fuzz_pdf.c: MuPDF
# and our device in this process, then pdf_layout and the form reader) with
# libFuzzer under ASan+UBSan; the seeds are the 30 sample PDFs.  MuPDF is
# Debian's static library, not instrumented: its own bugs show as crashes
# (the product runs it in a child, src/io_child.c).  Needs clang and its
# runtime (Debian: clang libclang-rt-14-dev) and libmupdf-dev.  Work dir:
# $FUZZ_DIR (default /tmp/jxzp-fuzz-pdf), which keeps the corpus between
# runs.  Run it under nice: it takes a whole core.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-600}
dir=${FUZZ_DIR:-/tmp/jxzp-fuzz-pdf}
mkdir -p "$dir/corpus" "$dir/inc"
for f in "$top"/tests/fixtures/files/*/*.pdf "$top"/tests/fixtures/pdf-other/*.pdf "$top"/tests/fixtures/files-probe/*.pdf; do
	cp "$f" "$dir/corpus/$(basename "$(dirname "$f")")-$(basename "$f")"
done
printf '#define _GNU_SOURCE 1\n#define HAVE_MUPDF 1\n' > "$dir/inc/config.h"
s=$top/src
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-I"$dir/inc" -I"$s" \
	"$top/tests/fuzz/fuzz_pdf.c" "$s/io_read.c" "$s/io_csv_read.c" "$s/io_pdf_read.c" "$s/pdf_layout.c" "$s/io_child.c" \
	"$s/io_text.c" "$s/io_table_form.c" "$s/io_table_text.c" "$s/io_table_ind.c" "$s/io_table_funds.c" "$s/table.c" "$s/io_result.c" "$s/io_src.c" "$s/io_json.c" "$s/io_json_fast.c" \
	"$s/ustr.c" "$s/form.c" $(pkg-config --static --libs mupdf) -lharfbuzz \
	-ljansson -lunistring -lm -o "$dir/fuzz_pdf"
cd "$dir"
./fuzz_pdf -max_total_time="$secs" -max_len=200000 -timeout=20 -rss_limit_mb=2048 \
	-print_final_stats=1 corpus 2>&1 | tee "$dir/last.log" | grep -E 'stat::|ERROR|SUMMARY|Done' || true
grep -q 'ERROR' "$dir/last.log" && { echo "run_pdf.sh: a crash, see $dir/last.log" >&2; exit 1; }
exit 0
