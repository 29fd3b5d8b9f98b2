#!/bin/sh
# keys.sh [N [ROUNDS]]: the cost of signing and sealing a bundle, beside the
# same bundle unsigned (tests/bench/bench_keys.c).  N generated forms
# (default 10000, gen_forms.awk), imported into a clerk's database; the
# office's and the clerk's keys exchanged as the README shows; then ROUNDS
# (default 3) of create and apply each way, the best kept.  CPU time is the
# figure (the machine is shared); wall time is printed beside it.
#   tests/bench/keys.sh 10000 3
set -eu
n=${1:-10000}
rounds=${2:-3}
top=$(cd "$(dirname "$0")/../.." && pwd)
b=$top/build
make -C "$b" -s libjxzp.a jxzp
t=$(mktemp -d "${TMPDIR:-/tmp}/jxzp-bench-keys-XXXXXX")
trap 'rm -rf "$t"' EXIT INT TERM
${CC:-cc} -std=c11 -O2 -I"$b" -I"$b/src" -I"$top/src" -o "$t/bench_keys" "$top/tests/bench/bench_keys.c" \
	"$b/libjxzp.a" $(pkg-config --libs sqlite3 jansson nettle hogweed) \
	$(pkg-config --libs xlsxwriter 2>/dev/null) -lunistring -lm
J="$b/jxzp"
awk -v n="$n" -v seed=42 -f "$top/tests/bench/gen_forms.awk" > "$t/forms.txt"
"$J" --db "$t/a.db" import "$t/forms.txt" > /dev/null
"$J" --db "$t/office.db" key show > "$t/o.key"
"$J" --db "$t/a.db" key show > "$t/a.key"
"$J" --db "$t/a.db" key trust --office "$t/o.key" > /dev/null
sqlite3 "$t/a.db" "select distinct unit from form" | while IFS= read -r u; do
	"$J" --db "$t/office.db" key trust --unit "$u" "$t/a.key" > /dev/null
done
echo "clerk's database: $(sqlite3 "$t/a.db" "select count(*) from form") forms," \
	"$(sqlite3 "$t/a.db" "select count(*) from indicator") indicator rows, $(wc -c < "$t/a.db") bytes"
"$t/bench_keys" "$t/a.db" "$t/office.db" "$t" "$rounds"
echo "bundle file: $(wc -c < "$t/sealed.jxzb") bytes sealed, $(wc -c < "$t/unsigned.jxzb") unsigned"
