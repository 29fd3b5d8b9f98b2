#!/bin/sh
# bundle.sh [N [CHANGED]]: what a bundle costs, beside a plain copy of the file.
#
# A clerk's database of N generated forms (default 10000, gen_forms.awk,
# imported with jxzp import).  Measured: `jxzp bundle create` of all of them
# (a database's first bundle holds every form) and `jxzp bundle apply` of it
# into an empty office database; then one field changed in each of CHANGED
# forms (default 1000: funds.total.spent, with its history row and version,
# as store_save_field writes them, by the sqlite3 shell so the set-up is
# quick) and the bundle of just those, created and applied.  Beside them:
# `sqlite3 DB .backup`, the bytes and time of carrying the whole file, and
# the floor of the changes: SQLite's session changeset of the same changes
# (recorded by the shell while they are made: the rows of form, fund and
# history, not what the triggers write, which the apply's triggers write
# again), its bytes and its apply (tests/bench/changeset_apply.c) to a copy
# of the database as it was.
#
#   tests/bench/bundle.sh              # uses build/jxzp
#   JXZP=/path/to/jxzp tests/bench/bundle.sh 10000 1000
#   RUNS=9 IR=1 tests/bench/bundle.sh  # medians of 9 applies; instruction counts
# Needs: awk, sqlite3 (the shell), cc (valgrind for IR=1).  Not part of make check (timed).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
JXZP=${JXZP:-$top/build/jxzp}
n=${1:-10000}
changed=${2:-1000}
export LC_ALL=C.UTF-8
T=$(mktemp -d "${TMPDIR:-/tmp}/jxzp-bench.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT INT TERM	# KEEP=1: left for a look

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
bytes() { wc -c < "$1" | tr -d ' '; }
row() { printf '%-48s %12s bytes %8s s wall %8s s cpu\n' "$1" "$2" "$3" "$cpu"; }
# timed CMD...: runs it, sets $t0/$t1 and $cpu (user + system, when
# /usr/bin/time is there: on a shared machine wall time also counts waiting)
timed() {
	t0=$(now)
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%U %S' -o "$T/time" "$@" > "$T/last"
		cpu=$(awk '{ printf "%.3f", $1 + $2 }' "$T/time")
	else
		"$@" > "$T/last"
		cpu=-
	fi
	t1=$(now)
}

awk -v n="$n" -v seed=42 -f "$top/tests/bench/gen_forms.awk" > "$T/forms.txt"
"$JXZP" --db "$T/a.db" import "$T/forms.txt" > /dev/null 2>&1 || true	# what imports is the clerk's database
forms=$(sqlite3 "$T/a.db" "select count(*) from form")
inds=$(sqlite3 "$T/a.db" "select count(*) from indicator")
hist=$(sqlite3 "$T/a.db" "select count(*) from history")
echo "clerk's database: $forms forms, $inds indicator rows, $hist history rows, $(bytes "$T/a.db") bytes"
# the keys exchanged, as the README shows (the bundles are signed and sealed)
"$JXZP" --db "$T/o.db" key show > "$T/o.key"
"$JXZP" --db "$T/a.db" key show > "$T/a.key"
"$JXZP" --db "$T/a.db" key trust --office "$T/o.key" > /dev/null
sqlite3 "$T/a.db" "select distinct unit from form" | while IFS= read -r u; do
	"$JXZP" --db "$T/o.db" key trust --unit "$u" "$T/a.key" > /dev/null
done

timed "$JXZP" --db "$T/a.db" bundle create -o "$T/full.jxb"
row "bundle create, all $forms forms" "$(bytes "$T/full.jxb")" "$(secs "$t0" "$t1")"
timed "$JXZP" --db "$T/o.db" bundle apply "$T/full.jxb"
row "bundle apply of it (empty office)" "" "$(secs "$t0" "$t1")"
timed "$JXZP" bundle verify "$T/full.jxb"
row "bundle verify of it" "" "$(secs "$t0" "$t1")"
timed sqlite3 "$T/a.db" ".backup '$T/backup.db'"
row "sqlite3 .backup of the clerk's database" "$(bytes "$T/backup.db")" "$(secs "$t0" "$t1")"

cc -std=c11 -O2 -o "$T/changeset_apply" "$top/tests/bench/changeset_apply.c" $(pkg-config --cflags --libs sqlite3)
sqlite3 "$T/a.db" ".backup '$T/floor.db'"	# the state the changes are made to

# One field in each of $changed forms, as the store writes a save.
sqlite3 "$T/a.db" > /dev/null <<EOF
.session open main s
.session filter seen bundle_* triage* form_local form_tally
.session attach form
.session attach fund
.session attach history
BEGIN;
CREATE TEMP TABLE pick AS SELECT uuid FROM form ORDER BY uuid LIMIT $changed;
INSERT INTO history (uuid, form_uuid, path, old_value, new_value, at, user)
	SELECT lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||
	       substr(lower(hex(randomblob(2))), 2) || '-a' || substr(lower(hex(randomblob(2))), 2) ||
	       '-' || lower(hex(randomblob(6))), f.form_uuid, 'funds.total.spent', f.spent,
	       f.spent || '1', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'bench'
	FROM fund f WHERE f.row = 'total' AND f.form_uuid IN (SELECT uuid FROM pick);
UPDATE fund SET spent = spent || '1' WHERE row = 'total' AND form_uuid IN (SELECT uuid FROM pick);
UPDATE form SET version = version + 1, updated = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
	WHERE uuid IN (SELECT uuid FROM pick);
COMMIT;
.session changeset $T/changes.bin
EOF
timed "$JXZP" --db "$T/a.db" bundle create -o "$T/delta.jxb"
row "bundle create, 1 field in each of $changed forms" "$(bytes "$T/delta.jxb")" "$(secs "$t0" "$t1")"
# The apply of the changes and of the changeset, RUNS times each (default 5)
# on fresh copies of the databases: the medians.  IR=1: and callgrind's
# instruction counts of one run each (deterministic, where CPU time on a
# shared machine is not).
RUNS=${RUNS:-5}
sqlite3 "$T/o.db" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
sqlite3 "$T/floor.db" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
cp "$T/o.db" "$T/o.pre"
cp "$T/floor.db" "$T/floor.pre"
median() { sort -n | awk '{ v[NR] = $0 } END { print v[int((NR + 1) / 2)] }'; }
: > "$T/cpu.b"; : > "$T/cpu.f"; : > "$T/wall.b"; : > "$T/wall.f"
i=0
while [ $i -lt "$RUNS" ]; do
	cp "$T/o.pre" "$T/o.db"
	timed "$JXZP" --db "$T/o.db" bundle apply "$T/delta.jxb"
	echo "$cpu" >> "$T/cpu.b"; secs "$t0" "$t1" >> "$T/wall.b"; echo >> "$T/wall.b"
	out=$(cat "$T/last")
	cp "$T/floor.pre" "$T/floor.db"
	timed "$T/changeset_apply" "$T/floor.db" "$T/changes.bin"
	echo "$cpu" >> "$T/cpu.f"; secs "$t0" "$t1" >> "$T/wall.f"; echo >> "$T/wall.f"
	i=$((i + 1))
done
cpu=$(median < "$T/cpu.b")
row "bundle apply of it (median of $RUNS)" "" "$(grep . "$T/wall.b" | median)"
echo "  ($out)"
bundle_bytes=$(bytes "$T/delta.jxb") bundle_cpu=$cpu
cpu=$(median < "$T/cpu.f")
row "floor: session changeset of the same, applied" "$(bytes "$T/changes.bin")" "$(grep . "$T/wall.f" | median)"
awk -v a="$bundle_bytes" -v b="$(bytes "$T/changes.bin")" -v c="$bundle_cpu" -v d="$cpu" 'BEGIN {
	printf "  bundle / changeset: %.2fx the bytes, %s the apply CPU\n", a / b,
		(d + 0 > 0 && c != "-") ? sprintf("%.2fx", c / d) : "-" }'
if [ -n "${IR:-}" ]; then
	ir() { valgrind --tool=callgrind --callgrind-out-file="$T/cg" "$@" > /dev/null 2>&1
		awk '/^summary:/ { printf "%.1f", $2 / 1e6 }' "$T/cg"; }
	cp "$T/o.pre" "$T/o.ir"
	cp "$T/floor.pre" "$T/floor.ir"
	a=$(ir "$JXZP" --db "$T/o.ir" bundle apply "$T/delta.jxb")
	b=$(ir "$T/changeset_apply" "$T/floor.ir" "$T/changes.bin")
	awk -v a="$a" -v b="$b" 'BEGIN { printf "  instructions: apply %s M, changeset %s M: %.2fx\n", a, b, a / b }'
fi
got=$(sqlite3 "$T/o.db" "select count(*) from fund where row = 'total' and spent like '%1' and form_uuid in
	(select uuid from form order by uuid limit $changed)")
[ "$got" -ge "$changed" ] || { echo "bench: the office has $got of $changed changes" >&2; exit 1; }
rm -f "$T/backup.db"
timed sqlite3 "$T/a.db" ".backup '$T/backup.db'"
row "sqlite3 .backup after the change" "$(bytes "$T/backup.db")" "$(secs "$t0" "$t1")"
