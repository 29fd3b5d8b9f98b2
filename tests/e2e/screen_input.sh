#!/bin/sh
# screen_input: what the terminal sends that is not plain text (issue 15).
# One invalid byte (0xff, an overlong c0 af, a stray GBK byte) shows
# nothing and loses nothing typed after it.
. "$(dirname "$0")/lib.sh"
DB=$T/j.db
. "$(dirname "$0")/screen_lib.sh"

JXZP_DB=$DB "$JXZP" new --unit U --year 2024 --project P > "$T/id" 2> "$T/err"
id=$(cat "$T/id")
check "a form to type into" test -n "$id"

tm_start 120 40 "JXZP_DB=$DB JXZP_FIXED_TIME=1 $JXZP open $id"
check "the form opens" tm_wait "项目支出绩效自评表"
# the focus starts on 项目名称, the cursor at its end
tm_text q
tm_keys -H ff
tm_text abcdefgh
tm_keys Left
tm_text K
tm_keys Tab
wait_db "select project from form" "PqabcdefgKh" ||
	diag "saved: $(q "select project from form")" "$(screen | head -n 6)"
check "after 0xff every letter typed arrives: the field saves PqabcdefgKh" \
	wait_db "select project from form" "PqabcdefgKh"
tm_keys BTab
tm_keys -H c0 af
tm_text "中"
tm_keys -H d6 d0
tm_text "文"
tm_keys Tab
check "an overlong / and GBK bytes show nothing; 中文 typed around them arrives" \
	wait_db "select project from form" "PqabcdefgKh中文"
lacks "$(screen)" "�" "... and no replacement character is shown"

# ---- a save compared field by field with what the screen started from ----
# 主管部门 (the next field) typed on screen while `jxzp set` changes it
set_elsewhere() { JXZP_DB=$DB "$JXZP" set "$id" "department=$1" > /dev/null 2> "$T/set.err"; }
# (the focus is on 主管部门 now, after 项目名称 above; each Tab below that
# saves moves it on to 实施单位, and BTab comes back)
tm_text "本屏甲"
set_elsewhere 别处甲
tm_keys Tab
check "leaving the field: a dialog shows both values" tm_wait "本屏甲"
s=$(screen)
contains "$s" "was changed elsewhere" "... says the field was changed elsewhere"
contains "$s" "别处甲" "... with the value saved elsewhere"
contains "$s" "Keep mine" "... and lets the user keep one"
is "$(q "select department from form")" "别处甲" "... nothing is overwritten before the choice"
tm_keys Down Enter
check "keep theirs: the value saved elsewhere stays" wait_db "select department from form" "别处甲"
check "... and the screen shows it" tm_wait "别处甲"
tm_keys BTab
tm_keys C-u
tm_text "本屏乙"
set_elsewhere 别处乙
tm_keys Tab
check "again, the dialog" tm_wait "Keep mine"
tm_keys Enter
check "keep mine: the typed value is saved" wait_db "select department from form" "本屏乙"
is "$(q "select group_concat(new_value, ',') from (select new_value from history where path = 'department' order by at, rowid)")" \
	"别处甲,别处乙,本屏乙" "... and the value saved elsewhere is in the history before it"
# a different field changed elsewhere merges, no question asked
tm_keys BTab
tm_text "丙"
JXZP_DB=$DB "$JXZP" set "$id" "lead=负责人丙" > /dev/null
tm_keys Tab
check "another field changed elsewhere: the typed one is saved on top" \
	wait_db "select department || '|' || lead from form" "本屏乙丙|负责人丙"
lacks "$(screen)" "Keep mine" "... without a dialog"
# the idle autosave never overwrites a clash either
tm_keys BTab
tm_text "丁"
set_elsewhere 别处丁
sleep 2.5
is "$(q "select department from form")" "别处丁" "the autosave a second later does not overwrite it"
check "... and says so" tm_wait "was changed elsewhere meanwhile"
tm_keys Tab
check "leaving the field then asks" tm_wait "Keep mine"
tm_keys Escape
tm_keys C-q C-q
tm_wait_exit
done_testing
