#!/bin/sh
# screen_more: the mouse focuses; a save that finds the form changed
# elsewhere reloads it and keeps both changes; F1 shows every key; F8
# submits; the reviewer's pager (jxzp review) is read-only and pages with
# PgDn/PgUp; a save the store refuses keeps the typed text on screen.
. "$(dirname "$0")/lib.sh"
require sqlite3 sqlite3
DB=$T/j.db
. "$(dirname "$0")/screen_lib.sh"
sql_id() { q "select l.id from form f join form_local l on l.form_uuid = f.uuid where f.project = '$1'"; }

JXZP_DB=$DB "$JXZP" import "$JXZP_SRCDIR/data/chaoyang-2024-part.txt" > /dev/null 2>&1
tm_start 100 30 "JXZP_DB=$DB JXZP_FIXED_TIME=1 $JXZP"
check "the list" tm_wait "q quit"
third=$(screen | sed -n 8p | awk -F'│' '{ print $4 }' | sed 's/^ *//; s/ *$//')
check "the third row has a project" test -n "$third"
click 30 8
settle
click 30 8
check "a click selects a row, a second click opens it" tm_wait "› 2024年度 › $third"

# 主管部门's value is on line 7 at 100 columns.
settle
click 30 7
settle
tm_text "（外）"
id=$(sql_id "$third")
JXZP_DB=$DB "$JXZP" set "$id" "goals.achieved=改在别处" > /dev/null
tm_keys Tab
check "a click focused 主管部门; the save lands on a form changed elsewhere" \
	wait_db "select substr(department, -3) from form where project = '$third'" "（外）"
is "$(q "select goals_achieved from form where project = '$third'")" "改在别处" \
	"... and the other change is kept"
check "the screen says so" tm_wait "changed elsewhere"
check "... and shows the other change" tm_wait "改在别处"

tm_keys F1
check "F1 shows every key" tm_wait "Ctrl-Z, Ctrl-Y"
contains "$(screen)" "Alt-↑ Alt-↓" "... the row moves too"
tm_keys x
check "any key returns to the form" tm_wait "项目支出绩效自评表"
tm_keys F8
check "F8 asks before submitting, naming the form" tm_wait "Submit “"
tm_keys y
check "... and submits" wait_db "select status from form where project = '$third'" "submitted"
check "the screen says so" tm_wait "Submitted."
tm_text "z"
check "a submitted form cannot be changed" tm_wait "cannot be changed"
tm_keys Escape q
_i=0
while [ -n "$(tm_pid)" ] && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i + 1)); done

# The reviewer's pager over submitted forms.
a=$(sql_id "2022-2023年朝阳区互联网接入服务")
b=$(sql_id "朝阳区5G建设及应用项目")
JXZP_DB=$DB "$JXZP" submit "$a" && JXZP_DB=$DB "$JXZP" submit "$b"
is "$?" 0 "two forms submitted"
tm respawn-pane -k -t t "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color JXZP_DB=$DB JXZP_FIXED_TIME=1 $JXZP review; sleep 600"
check "jxzp review lists the submitted forms" tm_wait "submitted forms: 3"
tm_keys Enter
check "Enter opens the first, read-only" tm_wait "Read-only: reviewing."
contains "$(screen | head -n 1)" "1/3" "the top line says which of how many"
tm_text "x"
check "typing changes nothing" tm_wait "cannot be changed"
tm_keys NPage
check "PgDn goes to the next form" tm_wait "2/3"
tm_keys NPage
check "... and the next" tm_wait "3/3"
tm_keys NPage
check "... and says when it is the last" tm_wait "This is the last form."
tm_keys PPage
check "PgUp goes back" tm_wait "2/3"
is "$(q "select count(*) from form where status = 'submitted' and project like '%x'")" 0 "nothing was changed"
# A save the store refuses: the form was submitted (elsewhere) while it was
# open here.  The typed text stays on screen; nothing reaches the database.
c=$(sql_id "朝阳区办公软件场地授权服务")
tm respawn-pane -k -t t "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color JXZP_DB=$DB JXZP_FIXED_TIME=1 $JXZP open $c; sleep 600"
check "a draft opens" tm_wait "朝阳区办公软件场地授权服务"
JXZP_DB=$DB "$JXZP" submit "$c"
tm_text "（改）"
tm_keys Tab
check "the refused save is shown" tm_wait "Not saved"
contains "$(screen)" "朝阳区办公软件场地授权服务（改）" "... and the typed text is still there"
is "$(q "select project from form where project like '朝阳区办公软件场地授权服务%'")" "朝阳区办公软件场地授权服务" \
	"the database is unchanged"
tm_keys Escape
check "Esc says a second Esc leaves without it" tm_wait "Esc again leaves without it"
tm_keys Escape
check "... and a second one does" tm_wait "q quit"
done_testing
