#!/bin/sh
# screen_create: the forms list and the new-form dialog; Chinese typed into
# the project name and a two-line goal; saving on leaving a field; undo and
# redo from the screen.  The database is read back with sqlite3.
. "$(dirname "$0")/lib.sh"
require sqlite3 sqlite3
DB=$T/j.db
. "$(dirname "$0")/screen_lib.sh"

tm_start 100 30 "JXZP_DB=$DB JXZP_FIXED_TIME=1 $JXZP"
check "an empty database shows an empty list" tm_wait "forms: 0"
contains "$(screen)" "n creates one" "... and says how to make one"

tm_keys n
check "n opens the new-form dialog" tm_wait "New form"
tm_text "朝阳区数据局"
tm_keys Tab C-u
tm_text "2024"
tm_keys Tab
tm_text "互联网接入服务"
tm_keys Tab
tm_text "数据局"
tm_keys Enter
check "the new form opens, titled with its year" tm_wait "项目支出绩效自评表（2024年度）"
is "$(q "select unit||'|'||year||'|'||project||'|'||department||'|'||layout||'|'||status from form")" \
	"朝阳区数据局|2024|互联网接入服务|数据局|district-2024|draft" "the dialog stored unit, year, project, department, layout"
contains "$(screen | head -n 1)" "朝阳区数据局 › 2024年度 › 互联网接入服务" "the top line says where we are"

# The focus starts on 项目名称, the cursor at the end of the text.
tm_text "（二期）"
check "typed Chinese shows in the cell" tm_wait "互联网接入服务（二期）"
tm_keys Tab
check "leaving the field saves it" wait_db "select project from form" "互联网接入服务（二期）"
contains "$(screen | head -n 1)" "saved" "the quiet saved mark shows"

# From 主管部门: 实施单位, 18 fund cells (执行率 and 得分 too), then 预期目标.
i=0
while [ $i -lt 20 ]; do tm_keys Tab; i=$((i + 1)); done
tm_text "第一行"
tm_keys Enter
tm_text "第二行"
check "a goal takes two lines" tm_wait "第二行"
screen=$(screen)
line1=$(printf '%s\n' "$screen" | grep -n "第一行" | head -n 1 | cut -d: -f1)
line2=$(printf '%s\n' "$screen" | grep -n "第二行" | head -n 1 | cut -d: -f1)
is "$((line2 - line1))" 1 "... on consecutive screen lines"
tm_keys Tab
check "the goal is saved with its newline" wait_db "select goals_expected = '第一行'||char(10)||'第二行' from form" 1

tm_keys C-z
check "Ctrl-Z undoes the goal (through the store)" \
	wait_db "select coalesce(goals_expected, '') from form" ""
check "... and the screen shows it gone" tm_wait_gone "第二行"
tm_keys C-y
check "Ctrl-Y redoes it" wait_db "select goals_expected = '第一行'||char(10)||'第二行' from form" 1
n=$(q "select count(*) from history h join form f on f.uuid = h.form_uuid where h.path = 'goals.expected'")
check "every change of the goal is in the history ($n rows)" test "$n" -ge 3

tm_keys Escape
check "Esc goes back to the list" tm_wait "forms: 1"
contains "$(screen)" "互联网接入服务（二期）" "the list shows the new project"
contains "$(screen)" "│ draft " "... as a draft"

# Filter as you type; Esc clears it.
tm_keys /
tm_text "没有这个"
check "a filter that matches nothing says so" tm_wait "No form matches the filter"
tm_keys Escape
check "Esc clears the filter" tm_wait "互联网接入服务（二期）"

# Delete, confirmed; the history keeps it.
tm_keys d
check "d asks first" tm_wait "Delete form"
tm_keys y
check "the form leaves the list" tm_wait "forms: 0"
is "$(q "select count(*) from form where deleted = 0")" 0 "no live form is left"
is "$(q "select count(*) from form where deleted = 1")" 1 "... the deleted one is kept"

tm_keys q
_i=0
while [ -n "$(tm_pid)" ] && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i + 1)); done
is "$(tm_pid)" "" "q quits without asking"
done_testing
