#!/bin/sh
# row_numbers: one numbering of indicator rows, the screen's.  第3行 in a
# message is indicators[3] in every command and in every path jxzp prints
# (check, check --format json, set, submit, comments), so a row copied from
# any of them into any other is the same row.
. "$(dirname "$0")/lib.sh"
DB=$T/j.db
j() { JXZP_DB=$DB "$JXZP" "$@"; }
q() { sqlite3 -cmd ".timeout 5000" "$DB" "$1"; }
run() { out=$(j "$@" 2>"$T/err"); rc=$?; err=$(cat "$T/err"); }

j import "$JXZP_SRCDIR/data/chaoyang-2024-part.txt" > "$T/ids" 2>/dev/null
id=$(awk -F'\t' '/互联网接入服务/ { print $1; exit }' "$T/ids")
check "the 2024 sample imports" test -n "$id"
F="(select form_uuid from form_local where id = $id)"
# the third row on paper (and on screen) is 故障到达现场时间
is "$(q "select name from indicator where form_uuid = $F order by pos limit 1 offset 2")" \
	"故障到达现场时间" "the third row is 故障到达现场时间"

run set "$id" "indicators[3].score=5"
is "$rc" 0 "set indicators[3].score"
is "$(q "select score from indicator where form_uuid = $F and name = '故障到达现场时间'")" 5 \
	"... changed the third row, 第3行"
contains "$out" "indicators[3].deviation" "set names the finding it made on that row as indicators[3]"

run check "$id"
contains "$out" "第3行·偏差原因分析及改进措施" "check's text names it 第3行"
run check --format json "$id"
contains "$out" '"field": "indicators[3].deviation"' "check --format json names it indicators[3]"
run submit "$id"
is "$rc" 1 "submit is refused while the error stands"
contains "$out" "indicators[3].deviation" "... naming the row as indicators[3]"

# the path copied from submit's output into set fixes that row's finding
path=$(printf '%s\n' "$out" | grep -o 'indicators\[[0-9]*\]\.deviation' | head -n 1)
run set "$id" "$path=响应时间超出约定，已调整值班安排"
is "$rc" 0 "set with the path copied from submit"
is "$(q "select deviation from indicator where form_uuid = $F and name = '故障到达现场时间'")" \
	"响应时间超出约定，已调整值班安排" "... wrote the 偏差 text of 第3行"
run check --format json "$id"
lacks "$out" '"field": "indicators[3].deviation"' "... and check finds no 偏差 error left"

# row 0 does not exist in people's numbering: said so, nothing changed
run set "$id" "indicators[0].score=1"
is "$rc" 2 "indicators[0] is refused"
contains "$err" "numbered from 1" "... saying the rows are numbered from 1"
is "$(q "select score from indicator where form_uuid = $F order by pos limit 1")" 15 "... the first row unchanged"

# comments: given and listed with the screen's numbering
run comment "$id" "indicators[3].actual" "请核实"
is "$rc" 0 "a comment on indicators[3].actual"
run comments "$id"
contains "$out" "indicators[3].actual" "comments lists it as indicators[3]"
done_testing
