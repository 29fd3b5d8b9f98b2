#!/bin/sh
# tests/fuzz/run_bundle.sh [SECONDS]: builds the libFuzzer target for the
# bundle readers (tests/fuzz/fuzz_bundle.c) with ASan+UBSan and runs it for
# SECONDS (default 300) on a corpus of real bundles made by the built jxzp
# (signed and sealed, signed and clear, one of changes), each as it is and without its last
# lines (the target's "repair" mode).  Needs clang and its fuzzer runtime and
# a configured build/ (./quickstart test).  Run it under nice.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-300}
cfg=$top/build
dir=${FUZZ_DIR:-/tmp/jxzp-fuzz-bundle}
[ -x "$cfg/jxzp" ] || { echo "run_bundle.sh: build first (./quickstart test)" >&2; exit 2; }
mkdir -p "$dir/corpus" "$dir/db"
if [ ! -e "$dir/corpus/.made" ]; then
	rm -f "$dir"/db/*
	"$cfg/jxzp" --db "$dir/db/o.db" key show >"$dir/o.key"
	"$cfg/jxzp" --db "$dir/db/a.db" key trust --office "$dir/o.key" >/dev/null
	"$cfg/jxzp" --db "$dir/db/a.db" new --unit 单位 --year 2024 --project 项目 >/dev/null
	"$cfg/jxzp" --db "$dir/db/a.db" bundle create -o "$dir/sealed.jxzb" >/dev/null
	"$cfg/jxzp" --db "$dir/db/a.db" bundle create --all --clear -o "$dir/clear.jxzb" >/dev/null
	# and a bundle of changes (format 3: the form's changed field only)
	"$cfg/jxzp" --db "$dir/db/a.db" set 1 lead=张三 >/dev/null
	"$cfg/jxzp" --db "$dir/db/a.db" bundle create --clear -o "$dir/changes.jxzb" >/dev/null
	for f in sealed clear changes; do
		{ printf '\0'; cat "$dir/$f.jxzb"; } >"$dir/corpus/$f-raw"
		sz=$(($(stat -c %s "$dir/$f.jxzb") - 72 - 137))
		{ printf '\1'; head -c "$sz" "$dir/$f.jxzb"; } >"$dir/corpus/$f-repair"
	done
	touch "$dir/corpus/.made"
fi
clang -g -O1 -std=c11 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-I"$cfg" -I"$top/src" -DLOCALEDIR=\"/nonexistent\" -DDEMODIR=\"/nonexistent\" -DSRCDATADIR=\"/nonexistent\" \
	"$top/tests/fuzz/fuzz_bundle.c" $(ls "$top"/src/*.c | grep -v '/cli.c$\|/cmd_') \
	"$cfg/src/schema_sql.c" \
	$(pkg-config --cflags --libs sqlite3 jansson nettle hogweed zlib libzip expat freexl) $(pkg-config --libs xlsxwriter 2>/dev/null) \
	$(sed -n 's/^MUPDF_CFLAGS = //p; s/^MUPDF_LIBS = //p' "$cfg/Makefile") \
	-lunistring -lm -o "$dir/fuzz_bundle"	# (MuPDF as configure found it: io_pdf_read.c)
cd "$dir"
./fuzz_bundle -max_total_time="$secs" -max_len=262144 -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 corpus 2>&1 | tee "$dir/last.log" |
	grep -E 'stat::|ERROR|SUMMARY|Done' || true
grep -q 'ERROR' "$dir/last.log" && { echo "run_bundle.sh: a crash, see $dir/last.log" >&2; exit 1; }
exit 0
