#!/bin/sh
# bench_import.sh [N [SEED]]: how fast `jxzp import` takes forms as published.
#
# Generates N forms (default 10000) as text with gen_forms.awk (three
# layouts, varied content), imports them into a fresh database with
# `jxzp import` (reading, checking, storing with history and summaries, one
# transaction per file), and prints forms per second, CPU time and peak
# memory; then the same forms as JSON (exported from that database) into
# another fresh database.  Beside them: the time the sqlite3 shell takes to
# insert the very same rows (dumped from the first database: forms, fund
# rows, indicator rows, history, summaries) into the same schema in one
# transaction -- the floor any importer on SQLite stands on.
#
#   tests/bench/bench_import.sh            # uses build/jxzp
#   JXZP=/path/to/jxzp tests/bench/bench_import.sh 10000 42
#   RUNS=5 tests/bench/bench_import.sh     # medians of 5 runs each (default 3)
#   CALLGRIND=1 tests/bench/bench_import.sh 2000   # and instructions, by callgrind
# Needs: awk, sqlite3 (the shell).  Not part of make check (timed).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
JXZP=${JXZP:-$top/build/jxzp}
n=${1:-10000}
seed=${2:-42}
runs=${RUNS:-3}
T=$(mktemp -d "${TMPDIR:-/tmp}/jxzp-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM

now() { date +%s.%N; }
# CPU seconds (user + system) of a command, where /usr/bin/time exists: on
# a shared machine the wall clock says more about the neighbours.
# cpu OUT CMD...: runs CMD with its output in OUT, prints its CPU seconds.
cpu() {
	_out=$1; shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%U %S %M' -o "$T/cpu" "$@" > "$_out"
		tail -n 1 "$T/cpu" | awk '{ printf "%.3f", $1 + $2 }'
	else
		"$@" > "$_out"
		printf '?'
	fi
}
# peak memory (MB) of the last cpu run
rss() { [ -x /usr/bin/time ] && tail -n 1 "$T/cpu" | awk '{ printf "%.1f", $3 / 1024 }' || printf '?'; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

awk -v n="$n" -v seed="$seed" -f "$top/tests/bench/gen_forms.awk" > "$T/forms.txt"
size=$(wc -c < "$T/forms.txt")
rows=$(grep -c '项目支出绩效自评表' "$T/forms.txt")
echo "generated $rows forms, $size bytes (seed $seed)"

# once, to make what the others read: the JSON and the rows
"$JXZP" --db "$T/jxzp.db" import "$T/forms.txt" > "$T/imported.txt"
got=$(wc -l < "$T/imported.txt")
[ "$got" -eq "$rows" ] || { echo "bench_import: imported $got of $rows forms" >&2; exit 1; }
"$JXZP" --db "$T/jxzp.db" export --all > "$T/forms.json"
# tables and indexes, not triggers: the rows come as they are, all of them
sqlite3 "$T/jxzp.db" "SELECT sql || ';' FROM sqlite_master WHERE type IN ('table', 'index') AND sql IS NOT NULL AND name NOT LIKE 'sqlite_%'" > "$T/schema.sql"
sqlite3 "$T/jxzp.db" .dump | grep '^INSERT INTO' > "$T/rows.sql"
nrows=$(wc -l < "$T/rows.sql")
sqlite3 "$T/empty.db" < "$T/schema.sql"
{ echo 'BEGIN;'; cat "$T/rows.sql"; echo 'COMMIT;'; } > "$T/tx.sql"

# RUNS times each, in turn (text, JSON, sqlite3), so that what the
# neighbours do on a shared machine falls on all three; medians reported
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
: > "$T/ti"; : > "$T/ci"; : > "$T/mi"; : > "$T/tj"; : > "$T/cj"; : > "$T/mj"; : > "$T/ts"; : > "$T/cs"
r=0
while [ "$r" -lt "$runs" ]; do
	r=$((r + 1))
	rm -f "$T/t.db" "$T/j.db"
	t0=$(now)
	cpu "$T/imported.txt" "$JXZP" --db "$T/t.db" import "$T/forms.txt" >> "$T/ci"; echo >> "$T/ci"
	t1=$(now)
	secs "$t0" "$t1" >> "$T/ti"; echo >> "$T/ti"
	rss >> "$T/mi"; echo >> "$T/mi"
	got=$(wc -l < "$T/imported.txt")
	[ "$got" -eq "$rows" ] || { echo "bench_import: imported $got of $rows forms" >&2; exit 1; }

	t0=$(now)
	cpu "$T/imported.json" "$JXZP" --db "$T/j.db" import "$T/forms.json" >> "$T/cj"; echo >> "$T/cj"
	t1=$(now)
	secs "$t0" "$t1" >> "$T/tj"; echo >> "$T/tj"
	rss >> "$T/mj"; echo >> "$T/mj"
	gj=$(wc -l < "$T/imported.json")
	[ "$gj" -eq "$rows" ] || { echo "bench_import: imported $gj of $rows JSON forms" >&2; exit 1; }

	cp "$T/empty.db" "$T/plain.db"
	t0=$(now)
	cpu "$T/sqlite.out" sqlite3 -bail "$T/plain.db" ".read $T/tx.sql" >> "$T/cs"; echo >> "$T/cs"
	t1=$(now)
	secs "$t0" "$t1" >> "$T/ts"; echo >> "$T/ts"
done
ti=$(median < "$T/ti"); ci=$(median < "$T/ci"); mi=$(median < "$T/mi")
tj=$(median < "$T/tj"); cj=$(median < "$T/cj"); mj=$(median < "$T/mj")
ts=$(median < "$T/ts"); cs=$(median < "$T/cs")
echo "(medians of $runs runs; CPU per run: text $(tr '\n' ' ' < "$T/ci")| JSON $(tr '\n' ' ' < "$T/cj")| sqlite3 $(tr '\n' ' ' < "$T/cs"))"
echo "jxzp import:    $got forms in $ti s = $(awk -v n="$got" -v t="$ti" 'BEGIN { printf "%.0f", n / t }') forms/s (CPU $ci s, peak $mi MB)"
echo "jxzp import:    $gj JSON forms ($(wc -c < "$T/forms.json") bytes) in $tj s (CPU $cj s, peak $mj MB)"
# every row went in
for tb in form fund indicator; do
	a=$(sqlite3 "$T/jxzp.db" "SELECT count(*) FROM $tb")
	b=$(sqlite3 "$T/plain.db" "SELECT count(*) FROM $tb")
	[ "$a" = "$b" ] || { echo "bench_import: $tb: $b rows of $a by sqlite3" >&2; exit 1; }
done
echo "sqlite3 shell:  the same $nrows rows in $ts s = $(awk -v n="$got" -v t="$ts" 'BEGIN { printf "%.0f", n / t }') forms/s (CPU $cs s)"
echo "ratio:          jxzp import takes $(awk -v a="$ti" -v b="$ts" 'BEGIN { printf "%.2f", a / b }')x the wall time of bare inserts, $(awk -v a="$ci" -v b="$cs" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else printf "?" }')x their CPU time (JSON: $(awk -v a="$cj" -v b="$cs" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else printf "?" }')x)"
echo "per CPU second: jxzp import $(awk -v n="$got" -v t="$ci" 'BEGIN { if (t + 0 > 0) printf "%.0f", n / t; else printf "?" }') forms/s, sqlite3 shell $(awk -v n="$got" -v t="$cs" 'BEGIN { if (t + 0 > 0) printf "%.0f", n / t; else printf "?" }') forms/s"

# instructions (the same three, once each, under callgrind): what a shared
# machine does not blur
if [ "${CALLGRIND:-0}" = 1 ]; then
	ir() { valgrind --tool=callgrind --callgrind-out-file="$T/cg.out" "$@" 2>&1 > /dev/null |
		sed -n 's/.*Collected : *//p'; }
	rm -f "$T/t.db" "$T/j.db"
	it=$(ir "$JXZP" --db "$T/t.db" import "$T/forms.txt")
	ij=$(ir "$JXZP" --db "$T/j.db" import "$T/forms.json")
	cp "$T/empty.db" "$T/plain.db"
	is=$(ir sqlite3 -bail "$T/plain.db" ".read $T/tx.sql")
	echo "instructions:   text $it, JSON $ij, sqlite3 shell $is: $(awk -v a="$it" -v b="$is" 'BEGIN { printf "%.3f", a / b }')x (JSON $(awk -v a="$ij" -v b="$is" 'BEGIN { printf "%.3f", a / b }')x)"
fi
