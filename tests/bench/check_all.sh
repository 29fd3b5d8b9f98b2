#!/bin/sh
# check_all.sh: `jxzp check --all` over 10,000 stored forms, beside what the
# sqlite3 shell takes to read the same rows (the goal, issue 18: at most 1.2x
# its CPU).
# Not part of make check.
#   tests/bench/check_all.sh [JXZP] [FORMS] [RUNS]   (default build/jxzp, 10000, 3)
#
# The forms are the 30 published sample forms of data/ (181 indicator rows),
# repeated with the copy number before the project name, written as one JSON
# file and stored with `jxzp import` (so they are stored exactly as jxzp
# stores forms).  Each timing is the best of RUNS, in seconds.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
JXZP=${1:-$top/build/jxzp}
N=${2:-10000}
RUNS=${3:-3}
command -v sqlite3 >/dev/null || { echo "check_all.sh: needs sqlite3" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/bench_check.XXXXXX")
trap 'rm -rf "$T"' EXIT
DB=$T/b.db

sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a - b }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# ---- the forms -------------------------------------------------------------------
for f in "$top"/data/*.txt; do
	"$JXZP" --db "$T/samples.db" import "$f" >/dev/null
done
"$JXZP" --db "$T/samples.db" export --all --format json >"$T/samples.json"
# one form is the lines from "  {" to "  }" of the exported array
awk -v n="$N" '
	/^  \{$/ { cur = ""; inform = 1 }
	inform { cur = cur $0 "\n" }
	/^  \},?$/ && inform { sub(/,\n$/, "\n", cur); form[m++] = cur; inform = 0 }
	END {
		print "["
		for (i = 0; i < n; i++) {
			t = form[i % m]
			gsub(/"uuid": "[0-9a-f-]*", /, "", t)
			gsub(/, "uuid": "[0-9a-f-]*"/, "", t)
			sub(/"project": "/, "\"project\": \"" int(i / m) + 1 "·", t)
			sub(/\n$/, "", t)
			printf "%s%s\n", t, i + 1 < n ? "," : ""
		}
		print "]"
	}' "$T/samples.json" >"$T/forms.json"
start=$(date +%s.%N)
"$JXZP" --db "$DB" import "$T/forms.json" >/dev/null
end=$(date +%s.%N)
stored=$(sqlite3 "$DB" "SELECT count(*) FROM form WHERE deleted = 0")
rows=$(sqlite3 "$DB" "SELECT count(*) FROM indicator")
echo "forms stored: $stored ($rows indicator rows), import took $(sub "$end" "$start") s"

# cpu FILE: user + system seconds of the children, from the output of the
# times builtin saved in FILE (times must run in the shell that ran them, not
# in a $(...) of its own)
cpu() { awk 'NR == 2 { gsub(/[ms]/, " "); print $1 * 60 + $2 + $3 * 60 + $4 }' "$1"; }

# best CMD...: the least wall time, the least CPU time (user + system) and
# the median CPU time of RUNS runs, standard output discarded.  CPU time is
# the steadier figure when other work shares the machine.
median() { tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{ v[NR] = $1 } END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
best() {
	bw= bc= all=
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		times >"$T/c0"
		s=$(date +%s.%N)
		"$@" >/dev/null || [ $? -eq 1 ]	# check exits 1 when it found errors
		e=$(date +%s.%N)
		times >"$T/c1"
		w=$(sub "$e" "$s")
		c=$(sub "$(cpu "$T/c1")" "$(cpu "$T/c0")")
		if [ -z "$bw" ] || lt "$w" "$bw"; then bw=$w; fi
		if [ -z "$bc" ] || lt "$c" "$bc"; then bc=$c; fi
		all="$all $c"
		i=$((i + 1))
	done
	echo "$bw $bc $(echo "$all" | median)"
}

# What check --all reads: every live form's header with its local id, its
# four fund rows, its indicator rows in order.
cat > "$T/read.sql" <<'EOF'
SELECT l.id, f.* FROM form f JOIN form_local l ON l.form_uuid = f.uuid
 WHERE f.deleted = 0 ORDER BY f.unit, f.year, f.project;
SELECT d.* FROM form f JOIN fund d ON d.form_uuid = f.uuid
 WHERE f.deleted = 0 ORDER BY f.unit, f.year, f.project, d.row;
SELECT i.* FROM form f JOIN indicator i ON i.form_uuid = f.uuid
 WHERE f.deleted = 0 ORDER BY f.unit, f.year, f.project, i.pos;
EOF
read_rows() {
	sqlite3 "$DB" < "$T/read.sql"
}

set -- $(best read_rows); sqw=$1 sqc=$2 sqm=$3
printf '%-34s %8s %8s %8s\n' "of $RUNS runs, seconds" "best wall" "best cpu" "median cpu"
printf '%-34s %8s %8s %8s\n' "sqlite3 reading the same rows" "$sqw" "$sqc" "$sqm"
rc=0
"$JXZP" --db "$DB" check --all --format text >/dev/null 2>"$T/err" || rc=$?
if [ "$rc" -le 1 ]; then
	for fmt in json text; do
		set -- $(best "$JXZP" --db "$DB" check --all --format $fmt)
		printf '%-34s %8s %8s %8s   (%sx, %sx, %sx of sqlite3)\n' "jxzp check --all --format $fmt" \
			"$1" "$2" "$3" "$(ratio "$1" "$sqw")" "$(ratio "$2" "$sqc")" "$(ratio "$3" "$sqm")"
	done
else
	echo "jxzp check --all: not in this build ($(cat "$T/err"))"
fi

# Instructions (callgrind), the figure a shared machine does not blur:
# IR=1 tests/bench/check_all.sh.  Each run under valgrind takes ~50x.
ir() {	# ir CMD...: instructions of one run, in millions
	valgrind --tool=callgrind --callgrind-out-file="$T/cg" "$@" >/dev/null 2>&1 || :
	awk '/^summary:/ { printf "%.0f", $2 / 1e6 }' "$T/cg"
}
if [ -n "${IR:-}" ] && command -v valgrind >/dev/null; then
	sqi=$(ir sqlite3 -init "$T/read.sql" "$DB" .quit)
	printf '%-34s %8s M\n' "instructions: sqlite3, same rows" "$sqi"
	for fmt in json text; do
		i=$(ir "$JXZP" --db "$DB" check --all --format $fmt)
		printf '%-34s %8s M   (%sx of sqlite3)\n' "instructions: check --format $fmt" "$i" "$(ratio "$i" "$sqi")"
	done
fi

# The same work without printing, a store_load per form against
# store_each_form (tests/bench/bench_check.c), when the build dir has the core.
b=$(dirname "$JXZP")
if [ -f "$b/libjxzp.a" ] && [ -f "$b/config.h" ]; then
	cc -std=c11 -O2 -I"$top/src" -I"$b" -o "$T/bench_check" "$top/tests/bench/bench_check.c" \
		"$b/libjxzp.a" $(pkg-config --cflags --libs sqlite3 jansson) \
		$(pkg-config --libs xlsxwriter 2>/dev/null || :) -lunistring -lm
	"$T/bench_check" "$DB" "$RUNS"
fi
