#!/bin/sh
# screen_wrap: typing text that wraps a cell many times (issue 18).  Each
# time the 三级指标 needs more lines the rows below it move down (the
# terminal scrolls them; the cell keeps one line of slack while typed
# into): after every few lines typed they must show just what they showed
# before, moved down, and once the field is left the table is the paper
# form's again, the cell as tall as its text, and the text is saved.
. "$(dirname "$0")/lib.sh"
DB=$T/j.db
. "$(dirname "$0")/screen_lib.sh"

# 20 indicator rows: the body is full, rows are pushed off its bottom
{
	printf '[{"layout":"district-2024","year":2024,"project":"换行表","department":"北京市朝阳区数据局","unit":"北京市朝阳区数据局",'
	printf '"goals":{"expected":"目标","achieved":"完成"},"indicators":['
	i=1
	while [ $i -le 20 ]; do
		[ $i -gt 1 ] && printf ','
		# the first row's 偏差原因 takes four lines: the name's first
		# lines fit beside it (nothing moves), the later ones do not
		dev=""
		[ $i -eq 1 ] && dev="网络带宽受运营商线路改造影响，部分时段未达标，已协调运营商完成扩容改造工程，下年度持续监测。"
		printf '{"level1":"产出指标","level2":"数量指标","name":"指标%d：总带宽数量","nature":"≥","target":"6000","unit_of_measure":"Mbps","actual":"5900","weight":"4.5","score":"4.5","deviation":"%s"}' $i "$dev"
		i=$((i + 1))
	done
	printf ']}]'
} > "$T/form.json"
JXZP_DB=$DB "$JXZP" import "$T/form.json" > "$T/import.out" 2> "$T/err"
id=$(awk '{print $1; exit}' "$T/import.out")
check "a form with 20 rows" test -n "$id" || diag "$(cat "$T/err")"

tm_start 140 50 "JXZP_DB=$DB JXZP_FIXED_TIME=1 $JXZP open $id"
check "the form opens" tm_wait "指标2：总带宽数量"
# 25 Tabs: from 项目名称 to the first row's 三级指标 (as tests/bench/keystroke.sh)
i=0
while [ $i -lt 25 ]; do tm_keys Tab; i=$((i + 1)); done
settle

# below FILE: the body's lines from the rule under the 指标1 row down (the
# status lines and the key line excluded)
below() { awk '/指标1：/ { row = 1 } row && /├/ { on = 1 } on && NR <= 47' "$1"; }
# cell: what the 三级指标 column of the 指标1 row shows, lines joined
cell() {
	awk '/指标1：/ { on = 1 } /├/ && on { exit } on' "$1" |
		awk -F'│' '{ t = $4; gsub(/^ +| +$/, "", t); printf "%s", t }'
}
tm_capture > "$T/before"
below "$T/before" > "$T/below0"
check "the rows below the typed cell are on screen" test -s "$T/below0"

# the name's second line fits beside the 偏差原因: nothing below moves, the
# line typed onto shows at once
tm_text "甲乙"
settle
tm_capture > "$T/now"
is "$(cell "$T/now")" "指标1：总带宽数量甲乙" "a line more beside a taller cell shows what was typed"
below "$T/now" > "$T/below"
check "... and the rows below stay where they were" cmp -s "$T/below0" "$T/below"
tm_keys BSpace BSpace
settle
tm_capture > "$T/now"
is "$(cell "$T/now")" "指标1：总带宽数量" "... and deleting it leaves the name as it was"

typed=""
n=0
while [ $n -lt 7 ]; do
	# 30 characters a time: a line and a half of the cell (20 columns)
	chunk="第${n}段abcdefghijklmnopqrstuvwxy"
	tm_text "$chunk"
	typed="$typed$chunk"
	settle
	tm_capture > "$T/now"
	below "$T/now" > "$T/below"
	# the rows below show what they did, moved down (the last pushed off)
	m=$(wc -l < "$T/below")
	head -n "$m" "$T/below0" > "$T/expect"
	if [ "$m" -gt 10 ] && cmp -s "$T/expect" "$T/below"; then
		ok "after $((30 * (n + 1))) characters the rows below are drawn as before, moved down"
	else
		not_ok "after $((30 * (n + 1))) characters the rows below are drawn as before, moved down"
		diag "$(diff "$T/expect" "$T/below" | head -n 20)"
	fi
	is "$(cell "$T/now")" "指标1：总带宽数量$typed" "... and the cell shows every character typed"
	n=$((n + 1))
done
# deleting gives the lines back: 45 characters (two lines and a quarter)
i=0
while [ $i -lt 45 ]; do tm_keys BSpace; i=$((i + 1)); done
# (the last chunk, 28 characters, and 17 letters of the one before)
typed="" n=0
while [ $n -lt 5 ]; do typed="${typed}第${n}段abcdefghijklmnopqrstuvwxy"; n=$((n + 1)); done
typed="${typed}第5段abcdefgh"
settle
tm_capture > "$T/now"
below "$T/now" > "$T/below"
m=$(wc -l < "$T/below")
head -n "$m" "$T/below0" > "$T/expect"
if [ "$m" -gt 10 ] && cmp -s "$T/expect" "$T/below"; then
	ok "after deleting, the rows below are drawn as before, moved back up"
else
	not_ok "after deleting, the rows below are drawn as before, moved back up"
	diag "$(diff "$T/expect" "$T/below" | head -n 20)"
fi
is "$(cell "$T/now")" "指标1：总带宽数量$typed" "... and the cell shows the text left"
# every line of the cell keeps the table's borders (nothing drawn across them)
cols() { awk '{ s = ""; for (i = 1; i <= length($0); i++) if (substr($0, i, 1) == "│") s = s " " i; print s }'; }
want=$(grep '指标2：' "$T/now" | cols)
bad=$(awk '/指标1：/ { on = 1 } /├/ && on { exit } on' "$T/now" | cols | grep -vxF "$want" | wc -l)
is "$bad" 0 "each line of the grown row has its borders where the rows below have theirs"

tm_keys Tab
check "leaving the field saves the text" \
	wait_db "select name from indicator where pos = 0" "指标1：总带宽数量$typed"
settle
tm_capture > "$T/after"
is "$(cell "$T/after")" "指标1：总带宽数量$typed" "the cell shows the text once the field is left"
# the cell is as tall as its text: its last line is not blank
last=$(awk '/指标1：/ { on = 1 } /├/ && on { exit } on' "$T/after" | tail -n 1 |
	awk -F'│' '{ t = $4; gsub(/ /, "", t); print t }')
check "... as tall as its text (no blank line left under it)" test -n "$last"
# the same screen as a fresh start shows for the saved text
tm_keys Escape
check "back to the list" tm_wait "换行表"
tm_keys Enter
check "the form opens again" tm_wait "指标2：总带宽数量"
i=0
while [ $i -lt 26 ]; do tm_keys Tab; i=$((i + 1)); done
settle
tm_capture > "$T/fresh"
below "$T/after" > "$T/b1"
below "$T/fresh" > "$T/b2"
m=$(wc -l < "$T/b1"); [ "$(wc -l < "$T/b2")" -lt "$m" ] && m=$(wc -l < "$T/b2")
check "... (rows below are on screen)" test "$m" -gt 10
head -n "$m" "$T/b1" > "$T/b1h"; mv "$T/b1h" "$T/b1"
head -n "$m" "$T/b2" > "$T/b2h"; mv "$T/b2h" "$T/b2"
if cmp -s "$T/b1" "$T/b2"; then ok "the rows below are where a fresh screen puts them"; else
	not_ok "the rows below are where a fresh screen puts them"; diag "$(diff "$T/b1" "$T/b2" | head -n 20)"; fi
done_testing
