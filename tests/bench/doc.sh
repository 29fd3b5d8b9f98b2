#!/bin/sh
# doc.sh: the cost of one keystroke through doc_set (save + history + rules +
# cached summary).  Not part of make check.
#   tests/bench/doc.sh [BUILD_DIR] [CALLS] [ROWS]      (default build, 2000, 30)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
b=${1:-$top/build}
out=$(mktemp "${TMPDIR:-/tmp}/bench_doc.XXXXXX")
trap 'rm -f "$out"' EXIT
cc -std=c11 -O2 -I"$top/src" -I"$b" -o "$out" "$top/tests/bench/bench_doc.c" "$b/libjxzp.a" \
	$(pkg-config --cflags --libs sqlite3 jansson) $(pkg-config --libs xlsxwriter 2>/dev/null || :) \
	-lunistring -lm
"$out" "${2:-2000}" "${3:-30}"
