#!/bin/sh
# keystroke.sh: what one typed character costs on the form screen, and how
# long the first screen takes with 10,000 forms.  Not part of make check.
#
#   sh tests/bench/keystroke.sh [BUILD_DIR]      (default: build)
#
# Prints three figures:
#   1. instructions per keystroke: typing one character into the 三级指标 of
#      a 20-indicator form, live check and redraw included (callgrind, the
#      difference between typing B+N and B characters, divided by N: both
#      runs save the field once when it is left, so the save is not counted
#      as keystrokes; B defaults to 10), beside
#      its floor: ncurses changing one cell of a full screen of Chinese
#      text, the same way (tests/bench/cell_floor.c, on the same pty), and
#      ncurses typing an ASCII character into a highlighted field of that
#      screen, as the keys above do (cell_floor N field);
#   2. bytes written to the terminal per keystroke (same difference);
#   3. seconds to the first screen of the forms list with 10,000 forms.
# Keys come from JXZP_KEYS (see ui/app.c); the program runs on a pty made by
# script(1), whose output (what the terminal would receive) is counted.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
JXZP=$build/jxzp
N=${N:-200}
T=$(mktemp -d "${TMPDIR:-/tmp}/jxzp-bench.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
export JXZP_DB="$T/bench.db" LC_ALL=C.UTF-8 TERM=xterm-256color
unset COLUMNS LINES
command -v valgrind >/dev/null || { echo "valgrind is missing (apt-get install valgrind)" >&2; exit 2; }

# A form with 20 indicator rows, in the JSON interchange format.
form_json() {	# form_json PROJECT
	printf '{"layout":"district-2024","year":2024,"project":"%s","department":"北京市朝阳区数据局","unit":"北京市朝阳区数据局",' "$1"
	printf '"funds":{"total":{"initial":"0","budget":"738.62892","spent":"738.62892","weight":"10","rate":"100%%","score":"10"}},'
	printf '"goals":{"expected":"朝阳区党政机关、事业单位等部门提供互联网访问服务。","achieved":"本年度互联网接入稳定，网络带宽均满足用户使用。"},"indicators":['
	i=1
	while [ $i -le 20 ]; do
		[ $i -gt 1 ] && printf ','
		printf '{"level1":"产出指标","level2":"数量指标","name":"指标%d：总带宽数量","nature":"≥","target":"6000","unit_of_measure":"Mbps","actual":"5900","weight":"4.5","score":"4.5","deviation":""}' $i
		i=$((i + 1))
	done
	printf '],"total":{"weight":"100","score":"100","grade":"优"}}'
}
{ printf '['; form_json "基准表"; printf ']'; } > "$T/one.json"
"$JXZP" import "$T/one.json" > "$T/import.out"
id=$(awk '{print $1; exit}' "$T/import.out")

# Tab from the project name to the first indicator's 三级指标: 3 header
# fields, 17 fund cells (执行率 included), 2 goals, 总分's two cells, 一级,
# 二级 (checked below: the field typed into must be that one).
tabs=$(printf '~t%.0s' $(seq 25))
run() {	# run NCHARS -> instructions and bytes
	keys=$tabs
	i=0
	while [ $i -lt "$1" ]; do keys="${keys}a"; i=$((i + 1)); done
	# a pty from script(1), 140×50: the program insists on a terminal
	JXZP_KEYS="$keys~e~q" JXZP_FIXED_TIME=1 script -q -e -c \
		"stty cols 140 rows 50; valgrind --tool=callgrind --log-file=$T/vg.$1 --callgrind-out-file=$T/cg.$1 $JXZP open $id" \
		/dev/null > "$T/out.$1" < /dev/null
	ir=$(sed -n 's/^summary: //p' "$T/cg.$1")
	bytes=$(wc -c < "$T/out.$1")
	# the rules: rules_run and rules_rerun (src/rules_memo.c), inclusive
	rules=$(callgrind_annotate --inclusive=yes --threshold=100 "$T/cg.$1" 2>/dev/null |
		awk '$0 !~ /=>/ && /src\/rules_memo.c:rules_(re)?run / { gsub(",", "", $1); n += $1 } END { print n + 0 }')
	echo "$ir $bytes ${rules:-0}"
}
B=${B:-10}
set -- $(run "$B")
ir0=$1 b0=$2 r0=$3
set -- $(run $((B + N)))
irn=$1 bn=$2 rn=$3
# history names a row by its identity (indicators[@UUID].name): the row at 0
typed=$(sqlite3 "$JXZP_DB" "SELECT coalesce((SELECT 'indicators[' || i.pos || '].name' FROM indicator i
	WHERE h.path = 'indicators[@' || i.uuid || '].name'), h.path) FROM history h ORDER BY h.rowid DESC LIMIT 1")
[ "$typed" = "indicators[0].name" ] || {
	echo "keystroke.sh: the keys typed into $typed, not the first 三级指标 (the Tab order changed?)" >&2
	exit 1
}
echo "instructions per keystroke: $(( (irn - ir0) / N ))  (callgrind, $N characters into a 20-row form)"
echo "  of which the rules (rules_run and rules_rerun, src/rules_memo.c): $(( (rn - r0) / N )); the screen: $(( (irn - ir0 - rn + r0) / N ))"
echo "bytes to the terminal per keystroke: $(( (bn - b0) / N ))"
# the floor: ncurses alone, one cell of a full CJK screen changed N times
cc -std=c11 -O2 -o "$T/cell_floor" "$top/tests/bench/cell_floor.c" $(pkg-config --cflags --libs ncursesw)
floor() {	# floor N [field]
	script -q -e -c "stty cols 140 rows 50; valgrind --tool=callgrind --log-file=$T/vgf.$1 --callgrind-out-file=$T/cgf.$1${2:-} $T/cell_floor $1 ${2:-}" \
		/dev/null > /dev/null < /dev/null
	sed -n 's/^summary: //p' "$T/cgf.$1${2:-}"
}
f0=$(floor 0)
fn=$(floor "$N")
fk=$(( (fn - f0) / N ))
echo "floor: ncurses changing one cell of a full CJK screen: $fk instructions; jxzp's keystroke is $(echo "scale=2; ($irn - $ir0) / $N / $fk" | bc -l)x it"
# beside it, ncurses alone doing what the typing above asks of it: an ASCII
# character into a highlighted field (cell_floor's "field")
g0=$(floor 0 field)
gn=$(floor "$N" field)
gk=$(( (gn - g0) / N ))
echo "  ncurses typing one ASCII character into a highlighted field of that screen: $gk; jxzp's keystroke is $(echo "scale=2; ($irn - $ir0) / $N / $gk" | bc -l)x it"

# 10,000 forms, then the time to the first screen of the list.
{
	printf '['
	i=1
	while [ $i -le 10000 ]; do
		[ $i -gt 1 ] && printf ','
		printf '{"layout":"district-2024","year":%d,"project":"项目%05d","department":"主管部门%d","unit":"单位%03d","indicators":[]}' \
			$((2020 + i % 5)) $i $((i % 37)) $((i % 211))
		i=$((i + 1))
	done
	printf ']'
} > "$T/many.json"
rm -f "$JXZP_DB"
"$JXZP" import "$T/many.json" > /dev/null
start=$(date +%s.%N)
JXZP_KEYS='~q' script -q -e -c "stty cols 140 rows 50; $JXZP" /dev/null > "$T/list.out" < /dev/null
end=$(date +%s.%N)
echo "seconds to the first screen with 10,000 forms: $(echo "$end - $start" | bc -l | cut -c1-5)"
