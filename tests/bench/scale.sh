#!/bin/sh
# scale.sh [N...]: what jxzp costs as the database grows (issue 18), each
# figure beside its floor where there is one.  Default N: 1000 10000 100000.
#
# For each N, a fresh database of N generated forms (gen_forms.awk: three
# layouts, 4 to 9 indicator rows, long goals) and:
#   import      `jxzp import` of the forms as text, in files of at most
#               CHUNK forms (default 1000000: import streams, so one file
#               of all N), CPU summed (and per form: flat when import is
#               linear), peak memory the largest; floor: the sqlite3 shell
#               inserting the same rows (.dump) into the same tables and
#               indexes in one transaction
#   check       `jxzp check --all`, CPU and peak memory; floor: sqlite3
#               reading the rows it reads
#   list        start to the forms list's first screen and quit (JXZP_KEYS),
#               on a 120x40 pty: wall, CPU, peak memory, instructions
#               (callgrind); floor: `dialog --msgbox` (instructions) and
#               `dialog --infobox`, the same box without waiting for a key
#               (wall, CPU, memory)
#   pager       the same for `jxzp review`
#   filter      the list with "/99" typed and Enter, minus the list alone
#               (CPU); floor: sqlite3 running the count and the first page
#   bundle      one field changed in each of 1,000 forms after everything
#               was sent (by SQL, as bundle.sh changes them): `jxzp bundle
#               create` (bytes, CPU) and `bundle apply` into an office
#               database holding the same forms (a copy of the database
#               before the changes, with an identity and a key of its own)
#               (CPU); floor: the SQLite session changeset of the same
#               changes (the rows of form, fund and history), its bytes and
#               its apply to another such copy (tests/bench/changeset_apply.c)
#   db          the database's bytes after a checkpoint, and per form
# Wall times are medians of RUNS (default 3); CPU = user + system.
# PARTS (default "import check screens bundle") picks what is measured:
# PARTS=import for the import alone (the db size comes with it).
#
#   tests/bench/scale.sh 1000 10000 100000
#   JXZP=build/jxzp RUNS=5 nice tests/bench/scale.sh 1000000
#   PARTS=import nice tests/bench/scale.sh 1000 10000 100000 1000000
# Needs: awk, sqlite3, valgrind, dialog, script (util-linux), bash, cc
# (./quickstart bench-deps).  Not part of make check (timed).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
JXZP=${JXZP:-$top/build/jxzp}
JXZP=$(cd "$(dirname "$JXZP")" && pwd)/$(basename "$JXZP")
RUNS=${RUNS:-3}
CHUNK=${CHUNK:-1000000}
PARTS=${PARTS:-import check screens bundle}
want() { case " $PARTS " in *" $1 "*) return 0 ;; esac; return 1; }
[ $# -gt 0 ] || set -- 1000 10000 100000
# only what the parts asked for use (PARTS=import needs no dialog)
needs="sqlite3 awk"
want screens && needs="$needs valgrind dialog script bash"
want bundle && needs="$needs cc"
for c in $needs; do
	command -v $c >/dev/null || { echo "scale.sh: needs $c (./quickstart bench-deps)" >&2; exit 2; }
done
T=$(mktemp -d "${TMPDIR:-/tmp}/jxzp-scale.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT INT TERM
R=$T/results	# N key value, one a line
export LC_ALL=C.UTF-8 TERM=xterm-256color JXZP_FIXED_TIME=1
unset JXZP_DB COLUMNS LINES

put() { echo "$1 $2 $3" >> "$R"; }
get() { awk -v n="$1" -v k="$2" '$1 == n && $2 == k { v = $3 } END { print v == "" ? "-" : v }' "$R"; }
# measure OUT CMD...: runs CMD (stdout to OUT); prints "wall cpu maxrss_kb"
measure() {
	_o=$1; shift
	/usr/bin/time -f '%e %U %S %M' -o "$T/time" "$@" > "$_o" || [ $? -eq 1 ]	# check: 1 = errors found
	tail -n 1 "$T/time" | awk '{ printf "%.3f %.3f %d\n", $1, $2 + $3, $4 }'	# after "Command exited..."
}
# median "a b c" lines by the first field... of each field on its own
median() { sort -n | awk '{ v[NR] = $0 } END { print v[int((NR + 1) / 2)] }'; }

# screen NAME KEYS CMD...: CMD on a 120x40 pty with JXZP_KEYS, RUNS times;
# puts NAME.wall NAME.cpu (ms, medians), NAME.rss (MB)
screen() {
	_n=$1 _k=$2; shift 2
	printf '#!/bin/bash\nTIMEFORMAT="%%3R %%3U %%3S"\n{ time /usr/bin/time -f %%M -o %s/rss "$@" ; } 2>%s/bt\n' \
		"$T" "$T" > "$T/wrap"
	chmod +x "$T/wrap"
	: > "$T/w"; : > "$T/c"; : > "$T/m"
	_i=0
	while [ $_i -lt "$RUNS" ]; do
		JXZP_KEYS=$_k script -qec "stty cols 120 rows 40; $T/wrap $*" /dev/null < "${STDIN:-/dev/null}" > /dev/null
		awk '{ print $1 * 1000 >> w; print ($2 + $3) * 1000 >> c }' w="$T/w" c="$T/c" "$T/bt"
		cat "$T/rss" >> "$T/m"
		_i=$((_i + 1))
	done
	put "$N" "$_n.wall" "$(median < "$T/w")"
	put "$N" "$_n.cpu" "$(median < "$T/c")"
	put "$N" "$_n.rss" "$(median < "$T/m" | awk '{ printf "%.1f", $1 / 1024 }')"
}
# instructions NAME KEYS CMD...: callgrind's count of one run, in millions
instructions() {
	_n=$1 _k=$2; shift 2
	rm -f "$T/cg"
	JXZP_KEYS=$_k script -qec "stty cols 120 rows 40; valgrind --tool=callgrind --callgrind-out-file=$T/cg $* 2>/dev/null" \
		/dev/null < "${STDIN:-/dev/null}" > /dev/null
	put "$N" "$_n.ir" "$(awk '/^summary:/ { printf "%.1f", $2 / 1e6 }' "$T/cg")"
}

cc -std=c11 -O2 -o "$T/changeset_apply" "$top/tests/bench/changeset_apply.c" $(pkg-config --cflags --libs sqlite3)
printf '\n' > "$T/enter"
N=floor
if want screens; then
	STDIN=$T/enter instructions dialog '' dialog --msgbox "'项目支出绩效自评表 jxzp'" 6 40
	screen dialog '' dialog --infobox "'项目支出绩效自评表 jxzp'" 6 40
fi

for N in "$@"; do
	D=$T/$N
	mkdir -p "$D"
	db=$D/j.db
	echo "== $N forms ($(date -u +%H:%M:%S))" >&2
	# ---- import, in files of at most CHUNK forms --------------------------------
	done_=0 c=0 iw=0 ic=0 im=0
	while [ $done_ -lt "$N" ]; do
		k=$((N - done_ < CHUNK ? N - done_ : CHUNK))
		awk -v n=$k -v seed=$((42 + c)) -v first=$((done_ + 1)) -f "$top/tests/bench/gen_forms.awk" > "$D/forms.txt"
		set -- $(measure "$D/imported" "$JXZP" --db "$db" import "$D/forms.txt")
		got=$(wc -l < "$D/imported")
		[ "$got" -eq "$k" ] || { echo "scale.sh: imported $got of $k forms" >&2; exit 1; }
		iw=$(awk -v a=$iw -v b=$1 'BEGIN { print a + b }')
		ic=$(awk -v a=$ic -v b=$2 'BEGIN { print a + b }')
		im=$(( $3 > im ? $3 : im ))
		done_=$((done_ + k)) c=$((c + 1))
	done
	rm -f "$D/forms.txt"
	put "$N" import.wall "$iw"
	put "$N" import.cpu "$ic"
	put "$N" import.cpu.per "$(awk -v c=$ic -v n=$N 'BEGIN { printf "%.3f", c * 1000 / n }')"
	put "$N" import.rss "$(awk -v m=$im 'BEGIN { printf "%.0f", m / 1024 }')"
	sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
	put "$N" db.bytes "$(wc -c < "$db" | tr -d ' ')"

	# the same rows by the sqlite3 shell: tables and indexes, no triggers
	sqlite3 "$db" "SELECT sql || ';' FROM sqlite_master WHERE type IN ('table', 'index')
		AND sql IS NOT NULL AND name NOT LIKE 'sqlite_%'" > "$D/schema.sql"
	{ echo 'BEGIN;'; sqlite3 "$db" .dump | grep '^INSERT INTO'; echo 'COMMIT;'; } > "$D/rows.sql"
	sqlite3 "$D/plain.db" < "$D/schema.sql"
	set -- $(measure /dev/null sqlite3 -bail "$D/plain.db" ".read $D/rows.sql")
	put "$N" import.floor.cpu "$2"
	put "$N" import.floor.rss "$(awk -v m=$3 'BEGIN { printf "%.0f", m / 1024 }')"
	put "$N" import.floor.cpu.per "$(awk -v c=$2 -v n=$N 'BEGIN { printf "%.3f", c * 1000 / n }')"
	rm -f "$D/rows.sql" "$D/plain.db"
	want check || want screens || want bundle || { rm -rf "$D"; continue; }

	# ---- check --all ---------------------------------------------------------------
	if want check; then
	best= rss=0
	for _ in 1 2; do
		set -- $(measure /dev/null "$JXZP" --db "$db" check --all --format text)
		[ -z "$best" ] || awk -v a="$2" -v b="$best" 'BEGIN { exit !(a < b) }' && best=$2
		rss=$(( $3 > rss ? $3 : rss ))
	done
	put "$N" check.cpu "$best"
	put "$N" check.rss "$(awk -v m=$rss 'BEGIN { printf "%.1f", m / 1024 }')"
	cat > "$D/read.sql" <<-'EOF'
	SELECT l.id, f.* FROM form f JOIN form_local l ON l.form_uuid = f.uuid
	 WHERE f.deleted = 0 ORDER BY f.unit, f.year, f.project;
	SELECT d.* FROM form f JOIN fund d ON d.form_uuid = f.uuid
	 WHERE f.deleted = 0 ORDER BY f.unit, f.year, f.project, d.row;
	SELECT i.* FROM form f JOIN indicator i ON i.form_uuid = f.uuid
	 WHERE f.deleted = 0 ORDER BY f.unit, f.year, f.project, i.pos;
	EOF
	best= rss=0
	for _ in 1 2; do
		set -- $(measure /dev/null sqlite3 "$db" ".read $D/read.sql")
		[ -z "$best" ] || awk -v a="$2" -v b="$best" 'BEGIN { exit !(a < b) }' && best=$2
		rss=$(( $3 > rss ? $3 : rss ))
	done
	put "$N" check.floor.cpu "$best"
	put "$N" check.floor.rss "$(awk -v m=$rss 'BEGIN { printf "%.1f", m / 1024 }')"

	fi
	# ---- first screens, and a filter ------------------------------------------------
	if want screens; then
	screen list '~q' "$JXZP" --db "$db"
	instructions list '~q' "$JXZP" --db "$db"
	screen pager '~q' "$JXZP" --db "$db" review
	instructions pager '~q' "$JXZP" --db "$db" review
	screen filter '/99~n~q' "$JXZP" --db "$db"
	put "$N" filter.cpu "$(awk -v a="$(get "$N" filter.cpu)" -v b="$(get "$N" list.cpu)" 'BEGIN { print a - b }')"
	put "$N" filter.wall "$(awk -v a="$(get "$N" filter.wall)" -v b="$(get "$N" list.wall)" 'BEGIN { print a - b }')"
	where="f.deleted = 0 AND (instr(f.unit, '99') > 0 OR instr(f.project, '99') > 0 OR instr(coalesce(f.department, ''), '99') > 0)"
	set -- $(measure /dev/null sqlite3 "$db" "SELECT count(*) FROM form f WHERE $where;
		SELECT l.id, f.year, f.unit, f.project, f.status, l.score, l.grade FROM form f
		JOIN form_local l ON l.form_uuid = f.uuid WHERE $where ORDER BY f.unit, f.year, f.project LIMIT 31;")
	put "$N" filter.floor.cpu "$(awk -v c="$2" 'BEGIN { print c * 1000 }')"

	fi
	# ---- a bundle of 1,000 changes ----------------------------------------------------
	if want bundle; then
	# everything sent before (as bundle create leaves it); the office holds
	# the same forms: a copy, with its own identity and key, as if it had
	# applied everything; the floor's database another copy
	sqlite3 "$db" > /dev/null <<-EOF
	INSERT OR REPLACE INTO bundle_sent SELECT f.uuid, ifnull((SELECT max(h.rowid) FROM history h
		WHERE h.form_uuid = f.uuid), 0) FROM form f;
	INSERT OR REPLACE INTO bundle_sent_unit SELECT uuid, unit FROM form;
	DELETE FROM bundle_dirty;
	DELETE FROM bundle_dirty_col;
	PRAGMA wal_checkpoint(TRUNCATE);
	EOF
	cp "$db" "$D/o.db"
	cp "$db" "$D/floor.db"
	sqlite3 "$D/o.db" "UPDATE meta SET value = '$(cat /proc/sys/kernel/random/uuid)' WHERE key = 'db_uuid';
		DELETE FROM key_own; DELETE FROM key_trust; DELETE FROM bundle_sent; DELETE FROM bundle_sent_unit;
		DELETE FROM bundle_seq"
	"$JXZP" --db "$D/o.db" key show > "$D/o.key"
	"$JXZP" --db "$db" key show > "$D/a.key"
	"$JXZP" --db "$db" key trust --office "$D/o.key" > /dev/null
	sqlite3 "$db" "select distinct unit from form" | while IFS= read -r u; do
		"$JXZP" --db "$D/o.db" key trust --unit "$u" "$D/a.key" > /dev/null
	done
	# the changes, recorded by a session for the changeset (the rows of form,
	# fund and history: what the triggers write, the apply's triggers write)
	sqlite3 "$db" > /dev/null <<-EOF
	CREATE TEMP TABLE pick AS SELECT uuid FROM form ORDER BY uuid LIMIT 1000;
	.session open main s
	.session filter seen bundle_* triage* form_local form_tally
	.session attach form
	.session attach fund
	.session attach history
	BEGIN;
	INSERT INTO history (uuid, form_uuid, path, old_value, new_value, at, user)
		SELECT lower(hex(randomblob(16))), f.form_uuid, 'funds.total.spent', f.spent,
		       f.spent || '1', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'bench'
		FROM fund f WHERE f.row = 'total' AND f.form_uuid IN (SELECT uuid FROM temp.pick);
	UPDATE fund SET spent = spent || '1' WHERE row = 'total' AND form_uuid IN (SELECT uuid FROM temp.pick);
	UPDATE form SET version = version + 1, updated = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
		WHERE uuid IN (SELECT uuid FROM temp.pick);
	COMMIT;
	.session changeset $D/changes.bin
	EOF
	set -- $(measure /dev/null "$JXZP" --db "$db" bundle create -o "$D/delta.jxb")
	put "$N" bundle.create.cpu "$2"
	put "$N" bundle.bytes "$(wc -c < "$D/delta.jxb" | tr -d ' ')"
	put "$N" bundle.floor.bytes "$(wc -c < "$D/changes.bin" | tr -d ' ')"
	set -- $(measure "$D/applied" "$JXZP" --db "$D/o.db" bundle apply "$D/delta.jxb")
	put "$N" bundle.apply.cpu "$2"
	grep -q ' 1000 updated' "$D/applied" || { echo "scale.sh: the office took $(cat "$D/applied")" >&2; exit 1; }
	set -- $(measure /dev/null "$T/changeset_apply" "$D/floor.db" "$D/changes.bin")
	put "$N" bundle.floor.cpu "$2"
	fi
	rm -rf "$D"
done

# ---- the table ---------------------------------------------------------------------------
shift $#
for n in $(awk '$1 != "floor" { print $1 }' "$R" | awk '!s[$0]++'); do set -- "$@" "$n"; done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
line() {	# line LABEL VALUE-PER-N...
	printf '| %-50s |' "$1"; shift
	for v in "$@"; do printf ' %14s |' "$v"; done
	echo
}
row() {	# row LABEL KEY (left out when nothing was measured: PARTS)
	_l=$1 _k=$2; shift 2
	set -- $NS
	_v=
	for n in "$@"; do _v="$_v $(get "$n" "$_k")"; done
	[ -n "$(printf '%s' "$_v" | tr -d ' -')" ] && line "$_l" $_v
	return 0
}
rrow() {	# rrow LABEL KEY FLOORKEY
	_l=$1 _a=$2 _b=$3
	set -- $NS
	_v=
	for n in "$@"; do _v="$_v $(ratio "$(get "$n" "$_a")" "$(get "$n" "$_b")")x"; done
	[ -n "$(printf '%s' "$_v" | tr -d ' x-')" ] && line "$_l" $_v
	return 0
}
NS="$*"
echo "jxzp $("$JXZP" --version | head -n 1), $(nproc) cores, RUNS=$RUNS, CHUNK=$CHUNK, $(date -u +%Y-%m-%dT%H:%MZ)"
line "forms" "$@"
printf '|%s|' "$(printf '%52s' '' | tr ' ' -)"; for _ in "$@"; do printf '%s|' "$(printf '%16s' '' | tr ' ' -)"; done; echo
row "import, CPU s (files of <= $CHUNK forms)" import.cpu
row "  floor: sqlite3 inserting the same rows, CPU s" import.floor.cpu
rrow "  ratio" import.cpu import.floor.cpu
row "import, CPU ms per form" import.cpu.per
row "  floor, CPU ms per form" import.floor.cpu.per
row "import, wall s" import.wall
row "import, peak memory MB" import.rss
row "check --all, CPU s" check.cpu
row "  floor: sqlite3 reading the same rows, CPU s" check.floor.cpu
rrow "  ratio" check.cpu check.floor.cpu
row "check --all, peak memory MB" check.rss
row "  floor: sqlite3 reading the same rows, MB" check.floor.rss
row "forms list first screen, wall ms" list.wall
row "  CPU ms" list.cpu
row "  instructions M" list.ir
row "  peak memory MB" list.rss
row "pager (jxzp review) first screen, wall ms" pager.wall
row "  CPU ms" pager.cpu
row "  instructions M" pager.ir
row "  peak memory MB" pager.rss
row "filter /99 + Enter in the list, CPU ms (extra)" filter.cpu
row "  floor: sqlite3 count + first page, CPU ms" filter.floor.cpu
row "bundle of 1,000 changed fields, bytes" bundle.bytes
row "  floor: session changeset of them, bytes" bundle.floor.bytes
rrow "  ratio" bundle.bytes bundle.floor.bytes
row "  bundle create, CPU s" bundle.create.cpu
row "  bundle apply (office holding the forms), CPU s" bundle.apply.cpu
row "  floor: the changeset applied, CPU s" bundle.floor.cpu
rrow "  ratio" bundle.apply.cpu bundle.floor.cpu
row "database bytes" db.bytes
for n in "$@"; do put "$n" db.per "$(awk -v b="$(get "$n" db.bytes)" -v n="$n" 'BEGIN { printf "%.0f", b / n }')"; done
row "  per form" db.per
if want screens; then
	echo "start-up floor: dialog --msgbox $(get floor dialog.ir) M instructions; dialog --infobox (no key wait):" \
		"wall $(get floor dialog.wall) ms, CPU $(get floor dialog.cpu) ms, $(get floor dialog.rss) MB"
fi
