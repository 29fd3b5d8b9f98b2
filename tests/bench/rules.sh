#!/bin/sh
# tests/bench/rules.sh [RUNS]: instructions of one rules_run over a
# 20-indicator form, measured by callgrind on rules_run alone
# (--toggle-collect=rules_run, so building the form is not counted),
# divided by RUNS (default 100).  Needs valgrind and a configured build/
# (./quickstart test).  Goal: at most 50,000 instructions per run.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-100}
b=$top/build
[ -f "$b/libjxzp.a" ] || { echo "rules.sh: build first (./quickstart test)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
${CC:-cc} -std=c11 -O2 -g -I"$b" -I"$top/src" "$top/tests/bench/bench_rules.c" "$b/libjxzp.a" \
	$(pkg-config --libs jansson sqlite3) -lunistring -o "$tmp/bench_rules"
"$tmp/bench_rules" 1
valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" --toggle-collect=rules_run \
	"$tmp/bench_rules" "$runs" >/dev/null 2>"$tmp/vg.log"
ir=$(callgrind_annotate "$tmp/cg.out" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1; exit }')
echo "rules_run: $ir instructions over $runs runs = $((ir / runs)) per run (callgrind, 20 indicators)"
