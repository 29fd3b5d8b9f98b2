#!/bin/sh
# screen_indicator: fill an indicator row on screen and watch the live check:
# the suggested score appears (85 against ≥ 90 with weight 10 is
# 85 ÷ 90 × 10 = 9.44), F2 takes it, the deviation finding appears once the
# score is below the weight and goes when the deviation is typed; rows are
# added, moved and deleted, and Ctrl-Z brings a deleted row back.
. "$(dirname "$0")/lib.sh"
require sqlite3 sqlite3
DB=$T/j.db
. "$(dirname "$0")/screen_lib.sh"
status() { screen | tail -n 3 | head -n 2; }
names="select group_concat(name, '/') from (select name from indicator order by pos)"

id=$(JXZP_DB=$DB "$JXZP" new --unit 朝阳区数据局 --year 2024 --project 互联网接入服务 --department 数据局)
is "$id" 1 "jxzp new made form 1"
JXZP_DB=$DB "$JXZP" set "$id" funds.total.budget=100 funds.total.spent=90 funds.total.weight=10 > /dev/null
tm_start 140 40 "JXZP_DB=$DB JXZP_FIXED_TIME=1 $JXZP open $id"
check "the form opens" tm_wait "项目支出绩效自评表（2024年度）"
contains "$(screen)" "F3 adds one" "a form without rows says how to add one"

tm_keys F3
check "F3 adds an indicator row" wait_db "select count(*) from indicator" 1
# 一级 and 二级 from the taxonomy: the pickers, by number.
tm_keys Enter
check "Enter on 一级指标 opens the picker" tm_wait "满意度指标"
tm_keys 4
tm_keys Tab Enter
check "the 二级 picker offers the 一级's own" tm_wait "服务对象满意度指标"
tm_keys 1
check "both levels are saved" wait_db "select level1||'/'||level2 from indicator" "满意度指标/服务对象满意度指标"
tm_keys Tab
tm_text "用户满意度"
tm_keys Tab Enter 1
check "性质 is picked" wait_db "select nature from indicator" "≥"
tm_keys Tab
tm_text "90"
tm_keys Tab
tm_text "%"
tm_keys Tab
tm_text "85"
tm_keys Tab
tm_text "10"
tm_keys Tab
tm_text "10"
check "a score off the rule gets a warning at once" tm_wait "above suggested"
contains "$(status)" "9.44" "... naming the suggested score 85 ÷ 90 × 10 = 9.44"
contains "$(status)" "▲" "... marked ▲"

tm_keys F2
check "F2 takes the suggested score" wait_db "select score from indicator" "9.44"
check "the warning goes" tm_wait_gone "above suggested"
# 执行率 90 ÷ 100 = 90.00 %, budget score 9.00; 总分 9.00 + 9.44 = 18.44, 差
is "$(q "select rate||' '||score from fund where row = 'total'")" "90.00% 9.00" \
	"the computed 执行率 and budget score are written into the form"
is "$(q "select total_score||' '||total_grade from form")" "18.44 差" "... and 总分 with its grade"
contains "$(screen | head -n 1)" "总分 18.44" "the top line shows the total at once"
tm_keys Tab
check "below the weight, the deviation must be explained" tm_wait "must say why"
lacks "$(status)" "[DEVIATION_MISSING]" "... in words, without the rule's code"
contains "$(status)" "✗" "... an error, marked ✗"
tm_text "调查样本偏少，下年扩大调查范围"
check "typing the deviation clears the finding before it is saved" tm_wait_gone "must say why"
tm_keys Tab
check "the deviation is saved on leaving" wait_db "select deviation from indicator" "调查样本偏少，下年扩大调查范围"
is "$(q "select name||'|'||target||'|'||unit_of_measure||'|'||actual||'|'||weight from indicator")" \
	"用户满意度|90|%|85|10" "every field of the row is in the database"

# A second row below the first, then moved up and down, then deleted.
tm_keys BTab
tm_keys F3
check "a second row" wait_db "select count(*) from indicator" 2
tm_keys Tab Tab
tm_text "第二个指标"
tm_keys Tab
check "its name is saved" wait_db "$names" "用户满意度/第二个指标"
tm_keys BTab M-Up
check "Alt-Up moves it up" wait_db "$names" "第二个指标/用户满意度"
tm_keys C-Down
check "Ctrl-Down moves it back" wait_db "$names" "用户满意度/第二个指标"
tm_keys F4
check "F4 asks before deleting a row" tm_wait "Delete indicator row 2?"
tm_keys y
check "the row is deleted" wait_db "$names" "用户满意度"
tm_keys C-z
check "Ctrl-Z brings it back, name and all" wait_db "$names" "用户满意度/第二个指标"
done_testing
