#!/bin/sh
# save_frames.sh: pages (WAL frames) one store_save_field commit writes, on
# a fresh database of 2,000 imported forms, for an indicator cell, a header
# field and a fund cell.  Not part of make check.
#   tests/bench/save_frames.sh [BUILD_DIR]      (default build)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
b=${1:-$top/build}
T=$(mktemp -d "${TMPDIR:-/tmp}/save_frames.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
cc -std=c11 -O2 -I"$top/src" -I"$b" -o "$T/save_frames" "$top/tests/bench/save_frames.c" "$b/libjxzp.a" \
	$(pkg-config --cflags --libs sqlite3 jansson) $(pkg-config --libs xlsxwriter 2>/dev/null || :) \
	-lunistring -lm
awk -v n=2000 -v seed=3 -f "$top/tests/bench/gen_forms.awk" > "$T/forms.txt"
for c in "indicators[0].actual 77" "indicators[0].actual" "lead 77" "funds.total.spent"; do
	rm -f "$T"/m.db*
	"$b/jxzp" --db "$T/m.db" import "$T/forms.txt" > /dev/null
	# shellcheck disable=SC2086
	"$T/save_frames" "$T/m.db" $c
done
