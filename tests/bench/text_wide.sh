#!/bin/sh
# text_wide.sh: the text reader is linear in the cells of one line (issue 22
# point 5: it was quadratic in the tabs of a line).
#
# For 10^4, 10^5 and 10^6 cells, a form whose line of that many cells sits
# in each part of the form (the header, a 项目资金 row, a 绩效指标 row, the
# 年度总体目标, and a line of words without tabs), read by `jxzp check FILE`.
# Beside it, the floor: awk counting the same file's cells.  Prints CPU
# seconds per size and the ratio of each step (linear: ~10 per 10x).
#
#   tests/bench/text_wide.sh        # uses build/jxzp
# Not part of make check (timed).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
JXZP=${JXZP:-$top/build/jxzp}
T=$(mktemp -d "${TMPDIR:-/tmp}/jxzp-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM

cpu() {	# cpu CMD...: CPU seconds (user + system) of CMD, output dropped
	/usr/bin/time -f '%U %S' -o "$T/cpu" "$@" > /dev/null 2>&1 || true
	tail -n 1 "$T/cpu" | awk '{ printf "%.3f", $1 + $2 }'
}

# gen N PLACE: a form with one line of N cells at PLACE
gen() {
	# printf piece by piece: awk's own string concatenation is quadratic
	awk -v n="$1" -v place="$2" 'function wide(lead, cell, sep,   i) {
		printf "%s", lead; for (i = 0; i < n; i++) printf "%s%s", sep, cell; print ""; }
	function line(p, lead, cell, sep) { if (place == p) wide(lead, cell, sep); else print lead }
	BEGIN {
		print "项目支出绩效自评表"
		print "（2023年度）"
		line("head", "项目名称\t项目", "x", "\t")
		print "主管部门\t部门\t实施单位\t单位"
		print "项目资金（万元）\t\t年初预算数\t全年预算数（A）\t全年执行数（B）\t分值\t执行率\t得分"
		line("funds", "\t年度资金总额\t1\t1\t1\t10\t100%\t10", "1", "\t")
		print "年度总体目标\t预期目标\t实际完成情况"
		line("goals", "\t目标\t完成", "文", "\t")
		print "绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值（A）\t实际完成值（B）\t分值\t得分\t偏差原因分析及改进措施"
		line("ind", "\t产出指标\t数量指标\t指标\t1\t1\t90\t90", "说明", "\t")
		if (place == "words") wide("词", "词", " ")
		print "总分\t100\t100\t优"
	}' > "$T/f.txt"
}

printf '%-6s %9s %10s %10s %8s\n' place cells jxzp_cpu awk_cpu ratio
for place in head funds goals ind words; do
	prev=
	for n in 10000 100000 1000000; do
		gen "$n" "$place"
		j=$(cpu "$JXZP" check "$T/f.txt")
		a=$(cpu awk -F'\t' '{ n += NF } END { print n }' "$T/f.txt")
		step=-
		[ -n "$prev" ] && step=$(awk -v a="$prev" -v b="$j" 'BEGIN { if (a > 0) printf "%.1fx", b / a; else printf "-" }')
		printf '%-6s %9d %10s %10s %8s\n' "$place" "$n" "$j" "$a" "$step"
		prev=$j
	done
done
