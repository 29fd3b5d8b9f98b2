#!/bin/sh
# store.sh: benchmark of src/store (not part of make check).
#   tests/bench/store.sh [N]      N forms of 8 indicators, default 10000
# Builds build/ if needed, compiles tests/bench/bench_store.c against it,
# runs it in a temp directory, then times the sqlite3 shell inserting the
# same rows (one transaction, WAL, synchronous=NORMAL) for comparison.
set -eu
n=${1:-10000}
top=$(cd "$(dirname "$0")/../.." && pwd)
b=$top/build
if [ ! -f "$b/Makefile" ]; then
	(cd "$top" && ./quickstart test >/dev/null) || true
fi
make -C "$b" -s libjxzp.a
t=$(mktemp -d "${TMPDIR:-/tmp}/jxzp-bench-XXXXXX")
trap 'rm -rf "$t"' EXIT
${CC:-cc} -std=c11 -O2 -DSQLITE_ENABLE_SESSION -DSQLITE_ENABLE_PREUPDATE_HOOK \
	-I"$b" -I"$b/src" -I"$top/src" \
	-o "$t/bench_store" "$top/tests/bench/bench_store.c" "$b/libjxzp.a" -lsqlite3 -lm
"$t/bench_store" "$t/jxzp.db" "$n" "$t/rows.sql"

# the sqlite3 shell on the same rows
cat "$top"/schema/[0-9][0-9][0-9]-*.sql | sqlite3 "$t/shell.db"
start=$(date +%s.%N)
sqlite3 -bail "$t/shell.db" < "$t/rows.sql" >/dev/null
end=$(date +%s.%N)
echo "$start $end $n $(wc -c < "$t/rows.sql")" | awk '{ s = $2 - $1;
	printf "sqlite3 shell, same rows, one transaction: %9.0f forms/s  (%d forms in %.3f s, %.1f MB of SQL)\n",
	$3 / s, $3, s, $4 / 1048576 }'
ls -l "$t/jxzp.db" "$t/shell.db" | awk '{ printf "  %s: %.1f MB\n", $NF, $5 / 1048576 }'
