#!/bin/sh
# screen_kill: nothing typed is lost — kill -9 while typing keeps every field
# that was left and the text typed more than a second before; pastes
# (bracketed) go in filtered, a huge one is cut, not a hang; control
# characters never reach the terminal; NO_COLOR and a non-UTF-8 locale.
. "$(dirname "$0")/lib.sh"
require sqlite3 sqlite3
DB=$T/j.db
. "$(dirname "$0")/screen_lib.sh"
run() { echo "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color JXZP_DB=$DB JXZP_FIXED_TIME=1 $*; sleep 600"; }

id=$(JXZP_DB=$DB "$JXZP" new --unit 朝阳区数据局 --year 2024 --project 机房维护)
tm_start 100 30 "JXZP_DB=$DB JXZP_FIXED_TIME=1 $JXZP open $id"
check "the form opens" tm_wait "项目支出绩效自评表（2024年度）"
tm_text "（一期）"
tm_keys Tab
tm_text "数据局办公室"
check "typing stops: a second later the field is saved, still being edited" \
	wait_db "select department from form" "数据局办公室"
tm_text "丙"
pid=$(tm_pid)
kill -9 "$pid"
is "$(q "select project from form")" "机房维护（一期）" "after kill -9: the field that was left is there"
is "$(q "select substr(department, 1, 6) from form")" "数据局办公室" "... and the text typed a second before the kill"

tm respawn-pane -k -t t "$(run "$JXZP" open "$id")"
check "reopened, the form shows what was saved" tm_wait "机房维护（一期）"
contains "$(screen)" "数据局办公室" "... the department too"

# A bracketed paste with escape codes and a tab: filtered on the way in
# (into 预期目标: past 实施单位 and the 18 fund cells, 执行率 and 得分 among them).
i=0
while [ $i -lt 21 ]; do tm_keys Tab; i=$((i + 1)); done
tm set-buffer -- "$(printf '甲\033[31m乙\t丙\a')"
tm paste-buffer -p -t t
check "the paste shows, filtered" tm_wait "甲[31m乙 丙"
tm_keys Tab
check "... and is saved without its control characters" wait_db "select goals_expected from form" "甲[31m乙 丙"

# A paste of 300 KB: cut to the 64 KiB a field holds, the screen still answers.
awk 'BEGIN { s = "中中中中中中中中中中"; for (i = 0; i < 10000; i++) printf "%s", s }' > "$T/big.txt"
tm load-buffer "$T/big.txt"
tm paste-buffer -p -t t
check "a huge paste is cut, and says so" tm_wait "The paste was cut"
tm_text "Z"
check "the screen still answers after it" tm_wait "中Z"
tm_keys Tab
check "the field holds 64 KiB of it: 21845 characters + Z" \
	wait_db "select length(goals_achieved) || ' ' || (length(cast(goals_achieved as blob)) <= 65536) from form" "21846 1"

# Control characters in stored text are shown as placeholders.
# (written by hand: the input rule keeps set from storing them)
sqlite3 "$DB" "update form set unit = '数据局' || char(27) || '[2J' || char(7)"
tm respawn-pane -k -t t "$(run "$JXZP" open "$id")"
check "an escape in stored text shows as ␛" tm_wait "数据局␛[2J␇"

# Colour: marks in red and yellow; none with NO_COLOR (the marks stay).
tm respawn-pane -k -t t "$(run "$JXZP" open "$id")"
tm_wait "项目支出绩效自评表" > /dev/null
tm_wait "Esc list" > /dev/null
red=$(printf '\033[31m')
contains "$(tm capture-pane -t t -p -e)" "$red" "errors are red where colour is allowed"
tm respawn-pane -k -t t "$(run NO_COLOR=1 "$JXZP" open "$id")"
tm_wait "项目支出绩效自评表" > /dev/null
tm_wait "Esc list" > /dev/null
settle; s=$(tm capture-pane -t t -p -e)
lacks "$s" "$red" "NO_COLOR: no colour"
contains "$s" "✗" "... the ✗ marks are still there"

# A terminal without colours (vt100): the same, from has_colors().
tm respawn-pane -k -t t "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=vt100 JXZP_DB=$DB JXZP_FIXED_TIME=1 $JXZP open $id; sleep 600"
tm_wait "项目支出绩效自评表" > /dev/null
tm_wait "Esc list" > /dev/null
settle; s=$(tm capture-pane -t t -p -e)
lacks "$s" "$red" "a monochrome terminal: no colour"
contains "$s" "✗" "... the ✗ marks are still there"

# A locale that is not UTF-8 gets a clear message and exit status 2, in a
# real terminal, before the screen is touched.
tm respawn-pane -k -t t "env LANG=C LC_ALL=C TERM=xterm-256color JXZP_DB=$DB $JXZP open $id; echo \"exit status \$?\"; sleep 600"
check "a non-UTF-8 locale: exit status 2" tm_wait "exit status 2"
contains "$(screen)" "UTF-8" "... naming a UTF-8 locale to use"
contains "$(screen)" "LANG=" "... and how to set it"
done_testing
