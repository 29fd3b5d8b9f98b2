#!/bin/sh
# screen_resize: the form at 200×50, 140×40 and 80×24 (condensed table and
# detail panel), below 80×24 a clear message, and back; golden captures of
# key states in tests/fixtures/screens/ compared exactly (JXZP_FIXED_TIME
# keeps the clock and the database path off the screen).
# After a deliberate change of the look: JXZP_UPDATE_GOLDEN=1 rewrites them,
# and the diff is reviewed by eye before it is committed.
. "$(dirname "$0")/lib.sh"
DB=$T/j.db
. "$(dirname "$0")/screen_lib.sh"
GOLD=$JXZP_SRCDIR/tests/fixtures/screens

# golden NAME: the screen now equals tests/fixtures/screens/NAME.txt
golden() {
	settle
	tm_capture > "$T/$1.txt"
	if [ -n "${JXZP_UPDATE_GOLDEN:-}" ]; then
		cp "$T/$1.txt" "$GOLD/$1.txt"
	fi
	if cmp -s "$T/$1.txt" "$GOLD/$1.txt"; then
		ok "the screen matches $1.txt"
	else
		not_ok "the screen matches $1.txt"
		diag "$(diff "$GOLD/$1.txt" "$T/$1.txt" 2>&1 | head -n 40)"
	fi
}
# widest: the widest line on screen, in columns
widest() { screen | while IFS= read -r l; do printf '%s\n' "$l" | wc -L; done | sort -n | tail -n 1; }

JXZP_DB=$DB "$JXZP" import "$JXZP_SRCDIR/data/chaoyang-2024-part.txt" > "$T/ids" 2> "$T/err"
id=$(awk -F'\t' '/互联网接入服务/ { print $1; exit }' "$T/ids")
check "the 2024 sample imports" test -n "$id"

tm_start 100 30 "JXZP_DB=$DB JXZP_FIXED_TIME=1 $JXZP"
check "the list shows the imported forms" tm_wait "2022-2023年朝阳区互联网接入服务"
tm_wait "q quit" >/dev/null
golden list-100x30

tm_resize 140 40
check "the list follows the terminal's size" tm_wait "q quit"
tm_keys Enter
check "Enter opens the first form at 140×40" tm_wait "项目支出绩效自评表（2024年度）"
tm_wait "Esc list" >/dev/null
golden form-140x40
s=$(screen)
contains "$s" "│ 产出指标   │ 数量指标     │" "一级 and 二级 side by side at 140 columns"
contains "$s" "预期目标" "the goals are there"
# the funds table's border under 实施单位 is one column from the one above:
# it moves onto it, so the rule line crosses as ┼, never "┬┴"
lacks "$s" "┬┴" "column borders side by side meet (no ┬┴)"
contains "$s" "┬─────────────────┼────────────┴──┬" "... the funds table's border meets 实施单位's"

# wait_widest N: until the widest line is N columns (at most 5 s)
wait_widest() {
	_i=0
	while [ "$_i" -lt 50 ]; do
		[ "$(widest)" = "$1" ] && return 0
		sleep 0.1; _i=$((_i + 1))
	done
	return 1
}
tm_resize 200 50
check "200×50 reflows at once: the table fills 200 columns" wait_widest 200
contains "$(screen)" "偏差原因分析及改进措施" "... with every column"
contains "$(screen)" "│ 性质 │" "... with the 2024 layout's 性质 column"

tm_resize 80 24
check "80×24 reflows: nothing is wider than 80 columns" wait_widest 80
contains "$(screen)" "项目资金（万元）" "... the funds table gets its own title"
# Down to the indicator table: the panel shows the focused row whole.
i=0
while [ $i -lt 19 ]; do tm_keys Tab; i=$((i + 1)); done
check "the detail panel shows the focused row" tm_wait "产出指标 › 数量指标 › 总带宽数量"
contains "$(screen)" "│ 一级·二级  │" "一级·二级 condensed into one column"
contains "$(screen)" "│ 产出·数量  │ 总带宽数量" "... as 产出·数量"
golden form-80x24
# every 一级·二级 condensed to one line, the 二级 without its 一级's name
tm_resize 100 50
check "100×50: still condensed" wait_widest 100
s=$(screen)
contains "$s" "│ 成本·经济  │ 24年支出金额" "经济成本指标 under 成本指标 reads 成本·经济"
contains "$s" "│ 效益·社会  │ 保障区内" "社会效益指标 under 效益指标 reads 效益·社会"
contains "$s" "│ 满意度     │ 用户满意度" "满意度指标's only 二级 adds nothing: 满意度"
lacks "$s" "│ 成本       │" "... no leftover line of the 二级"

tm_resize 79 24
check "below 80×24 a clear message" tm_wait "terminal too small (need 80×24, have 79×24)"
tm_keys x
tm_resize 120 30
check "larger again, the form is back" tm_wait "二级指标"
lacks "$(screen)" "terminal too small" "... and the message is gone"
is "$(JXZP_DB=$DB "$JXZP" show "$id" --format json | grep -c '"project": "2022-2023年朝阳区互联网接入服务x')" 0 \
	"a key pressed while too small changed nothing"
done_testing
