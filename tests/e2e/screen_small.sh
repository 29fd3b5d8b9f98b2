#!/bin/sh
# screen_small: the smaller screen points of issue 14 — resizing taller
# fills the screen again, q in the pager opened from the list goes back,
# unit names at 80 columns keep what tells them apart, the new-form dialog
# starts empty (N fills it from the selected form), 表样 reads as a name,
# the detail panel follows Ctrl-Z, text starting with a digit wraps from the
# left, F8 and approve name the form and the warnings left, and an unknown
# 二级 is marked.
. "$(dirname "$0")/lib.sh"
DB=$T/j.db
. "$(dirname "$0")/screen_lib.sh"
j() { JXZP_DB=$DB "$JXZP" "$@"; }

j import "$JXZP_SRCDIR/data/chaoyang-2024-part.txt" "$JXZP_SRCDIR/data/fengtai-2023.txt" > "$T/ids" 2>/dev/null
id=$(awk -F'\t' '/互联网接入服务/ { print $1; exit }' "$T/ids")
check "the samples import" test -n "$id"
# blank LINES: how many lines of the screen are empty
blank() { screen | grep -c '^ *$'; }

# ---- resizing taller: the form fills the screen again -------------------------
tm_start 80 24 "JXZP_DB=$DB $JXZP open $id"
check "the form opens at 80×24" tm_wait "项目资金（万元）"
i=0
while [ $i -lt 60 ]; do tm_keys Tab; i=$((i + 1)); done
settle
tm_resize 140 45
check "140×45: the wide table" tm_wait "偏差原因分析及改进措施 │"
n=$(blank)
check "... fills the screen, not scrolled to its bottom ($n empty lines)" test "$n" -le 3

# ---- the detail panel after Ctrl-Z ------------------------------------------
tm_resize 80 24
check "back at 80×24" tm_wait "F1 help"
tm_keys Escape
check "the list" tm_wait "n new"
tm_keys Enter
check "the form again" tm_wait "项目资金（万元）"
i=0
while [ $i -lt 33 ]; do tm_keys Tab; i=$((i + 1)); done
check "the panel shows row 2" tm_wait "产出指标 › 质量指标 › 区级互联网专线整体全年可用率"
tm_keys C-u
tm_text "带宽"
i=0
while [ $i -lt 30 ]; do tm_keys Tab; i=$((i + 1)); done
check "... then a later row" tm_wait_gone "产出指标 › 质量指标"
tm_keys C-z
check "Ctrl-Z: the panel shows the row it changed back" tm_wait "产出指标 › 质量指标 › 区级互联网专线整体全年可用率"
tm_keys Escape

# ---- the list at 80 columns: unit names that tell units apart ----------------
check "the list" tm_wait "n new"
scr=$(screen)
lacks "$scr" "北京市丰台…" "no 北京市丰台… for every unit"
contains "$scr" "朝阳区数据局" "朝阳区数据局 reads whole"
tm_keys r
check "r opens the pager" tm_wait "s sort"
lacks "$(screen)" "北京市丰台…" "... and the pager shows no 北京市丰台… either"

# ---- q in the pager goes back to the list ---------------------------------
tm_keys q
check "q in the pager goes back to the list" tm_wait "n new"
check "... and the program still runs" test -n "$(tm_pid)"

# ---- the new-form dialog ----------------------------------------------------
tm_keys n
check "n opens the dialog" tm_wait "实施单位"
scr=$(screen)
lacks "$(printf '%s\n' "$scr" | grep '实施单位')" "数据局" "the dialog's 实施单位 starts empty"
lacks "$(printf '%s\n' "$scr" | grep '表样')" "district-" "表样 reads as a name, not an id"
contains "$(printf '%s\n' "$scr" | grep '表样')" "2024" "... the 2024 layout"
tm_keys Escape
tm_keys N
check "N opens the dialog" tm_wait "实施单位"
contains "$(screen | grep '实施单位')" "数据局" "N fills in the selected form's unit"
tm_keys Escape
tm_keys C-q
tm_wait_exit
tm kill-session -t t

# ---- text that starts with a digit, wrapped -----------------------------------
j set "$id" "indicators[3].actual=4个月内完成全部故障处置并形成书面报告和整改台账" > /dev/null 2>&1
tm_start 140 40 "JXZP_DB=$DB $JXZP open $id"
check "the form opens at 140×40" tm_wait "故障到达现场"
scr=$(screen)
first=$(printf '%s\n' "$scr" | grep '故障到达现场' | awk -F'│' '{ print $8 }')
second=$(printf '%s\n' "$scr" | grep -A1 '故障到达现场' | tail -n 1 | awk -F'│' '{ print $8 }')
case $first in " 4个月"*|"▲4个月"*|"✗4个月"*) ok "wrapped text starting with a digit starts at the left" ;;
*) not_ok "wrapped text starting with a digit starts at the left"; diag "got: '$first'" ;; esac
case $second in " "[!\ ]*) ok "... its next line too" ;;
*) not_ok "... its next line too"; diag "got: '$second'" ;; esac

tm_keys C-q
tm_wait_exit
tm kill-session -t t

# ---- F8 names the form and the warnings left --------------------------------
j set "$id" "indicators[3].actual=4" "indicators[1].score=14" "indicators[1].deviation=带宽调整" \
	"indicators[4].score=9" "indicators[4].deviation=结余" total.score=98 > /dev/null 2>&1
tm_start 140 40 "JXZP_DB=$DB $JXZP open $id"
check "the form opens at 140×40" tm_wait "故障到达现场"
tm_keys F8
check "F8 asks" tm_wait "y yes"
scr=$(screen)
contains "$scr" "2022-2023年朝阳区互联网接入服务" "F8 names the project"
contains "$scr" "2 warnings" "... and the warnings left"
contains "$scr" "第1行·得分" "... naming them"
tm_keys n
tm_keys C-q
tm_wait_exit
tm kill-session -t t

# ---- approve names them too ---------------------------------------------------
j submit "$id" > /dev/null 2>&1
tm_start 140 40 "JXZP_DB=$DB $JXZP review"
check "the pager" tm_wait "s sort"
tm_keys Enter
check "the form opens for review" tm_wait "故障到达现场"
tm_keys a
check "a asks" tm_wait "y yes"
scr=$(screen)
contains "$scr" "2022-2023年朝阳区互联网接入服务" "approve names the project"
contains "$scr" "2 warnings" "... and the warnings left"
tm_keys n
tm_keys C-q
tm_wait_exit
tm kill-session -t t

# ---- read-only at 80×24: the detail panel follows the focus -------------------
tm_start 80 24 "JXZP_DB=$DB $JXZP open $id"
check "the submitted form opens read-only" tm_wait "Read-only"
check "the panel shows row 1" tm_wait "产出指标 › 数量指标 › 总带宽数量"
tm_keys F5
check "F5 lists the findings" tm_wait "第4行"
tm_keys Down
tm_keys Enter
check "Enter on 第4行's finding: the panel shows row 4" tm_wait "成本指标 › 经济成本指标 › 24年支出金额"
tm_keys C-q
tm_wait_exit
tm kill-session -t t

# ---- an unknown 二级 is marked -------------------------------------------------
id2=$(awk -F'\t' '!/互联网接入服务/ && /北京市朝阳区/ { print $1; exit }' "$T/ids")
n=$(j show "$id2" --format json | grep -c '"level1"')
j set "$id2" "indicators[$n].level1=满意度指标" "indicators[$n].level2=服务对象" > /dev/null 2>&1
out=$(j check "$id2")
contains "$out" "服务对象" "check names the unknown 二级指标 服务对象"
tm_start 140 45 "JXZP_DB=$DB $JXZP open $id2"
check "its form opens" tm_wait "项目资金"
i=0
while [ $i -lt 200 ]; do tm_keys Tab; i=$((i + 1)); done
check "the screen marks it" tm_wait "▲服务对象"
tm_keys C-q
tm_wait_exit
done_testing
