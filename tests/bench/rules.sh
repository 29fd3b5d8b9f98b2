#!/bin/sh
# tests/bench/rules.sh [RUNS]: instructions of rules_run over a 20-indicator
# form (bench_rules.c), measured by callgrind on rules_run alone
# (--toggle-collect=rules_run, so building and editing the form is not
# counted).  Three figures:
#   first run       a new check (what `jxzp check` pays per form);
#   reused, same    the same check run again on the same form;
#   reused, typing  the same check after one cell was edited before each
#                   run (the screen on every keystroke): the goal, at most
#                   50,000 instructions per run.
# The reused figures are (callgrind of 1 + RUNS runs − callgrind of 1 run)
# ÷ RUNS (default 160: each of 20 rows has 8 of its cells edited), so the
# first run is not spread over them.
# Needs valgrind and a configured build/ (./quickstart test).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-160}
b=$top/build
[ -f "$b/libjxzp.a" ] || { echo "rules.sh: build first (./quickstart test)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
${CC:-cc} -std=c11 -O2 -g -I"$b" -I"$top/src" "$top/tests/bench/bench_rules.c" "$b/libjxzp.a" \
	$(pkg-config --libs jansson sqlite3) -lunistring -o "$tmp/bench_rules"
"$tmp/bench_rules" 1
# instructions inside rules_run for: bench_rules ARGS...
ir() {
	valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" --toggle-collect=rules_run \
		"$tmp/bench_rules" "$@" >/dev/null 2>"$tmp/vg.log" || { cat "$tmp/vg.log" >&2; exit 1; }
	callgrind_annotate "$tmp/cg.out" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1; exit }'
}
first=$(ir 1)
same=$(ir $((runs + 1)))
typing=$(ir $((runs + 1)) edit)
echo "rules_run, 20 indicators, callgrind instructions:"
echo "  first run (new check):                    $first"
echo "  reused check, form unchanged:             $(((same - first) / runs)) per run (over $runs runs)"
echo "  reused check, one cell edited per run:    $(((typing - first) / runs)) per run (over $runs runs; goal <= 50000)"
