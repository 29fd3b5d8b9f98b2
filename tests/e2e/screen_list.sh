#!/bin/sh
# screen_list: the forms list holds only the rows on screen (issue 18) and
# still moves like a whole list: Down past the last row scrolls by one, End
# shows the last forms, PgUp scrolls back, a form opened deep in the list
# is still selected after Esc, a typed filter counts its matches, a delete
# counts one form fewer, a resized screen reads the rows that now fit.
. "$(dirname "$0")/lib.sh"
require sqlite3 sqlite3
DB=$T/j.db
. "$(dirname "$0")/screen_lib.sh"
# line N of the screen's project column
project_at() { screen | sed -n "${1}p" | awk -F'│' '{ print $4 }' | sed 's/^ *//; s/ *$//'; }

# 60 forms of one unit and year: the list's order is the project's
{
	printf '['
	i=1
	while [ $i -le 60 ]; do
		[ $i -gt 1 ] && printf ','
		printf '{"layout":"district-2024","year":2024,"project":"项目%02d","unit":"北京市测试单位","indicators":[]}' $i
		i=$((i + 1))
	done
	printf ']'
} > "$T/forms.json"
JXZP_DB=$DB "$JXZP" import "$T/forms.json" > /dev/null
tm_start 100 30 "JXZP_DB=$DB JXZP_FIXED_TIME=1 $JXZP"
check "the list counts every form" tm_wait "forms: 60"
is "$(project_at 6)" "项目01" "the first row is the first form"
is "$(project_at 26)" "项目21" "... 21 rows fit"

i=0
while [ $i -lt 21 ]; do tm_keys Down; i=$((i + 1)); done
check "Down past the last row scrolls by one" tm_wait "项目22"
is "$(project_at 26)" "项目22" "... the new form comes in at the bottom"
is "$(project_at 6)" "项目02" "... the first leaves at the top"

tm_text "$(printf '\033OF')"	# End, as xterm sends it
check "End shows the last form" tm_wait "项目60"
is "$(project_at 6)" "项目40" "... and the 20 before it"
tm_keys PageUp
settle
tm_keys PageUp
check "PgUp twice scrolls back a page" tm_wait "项目20"
is "$(project_at 6)" "项目20" "... to the form 40 before the last"

tm_keys Enter
check "Enter opens the selected form" tm_wait "› 项目20"
tm_keys Escape
check "Esc comes back to the list" tm_wait "forms: 60"
tm_keys Enter
check "... with the same form selected" tm_wait "› 项目20"
tm_keys Escape
check "back in the list" tm_wait "forms: 60"

tm_keys /
tm_text "项目5"
check "a typed filter counts what it matches" tm_wait "forms: 10"
is "$(project_at 6)" "项目50" "... and lists it from the first match"
tm_keys Escape
check "Esc clears the filter" tm_wait "forms: 60"

tm_keys d
check "d asks first" tm_wait "Delete form"
tm_keys y
check "a delete counts one form fewer" tm_wait "forms: 59"
is "$(q "select n from form_tally where status = 'draft'")" \
	"$(q "select count(*) from form where deleted = 0 and status = 'draft'")" \
	"the tally agrees with the forms"
is "$(q "select project from form where deleted = 1")" "项目01" "... the selected one was deleted"
# A taller terminal: the window reads the rows that now fit.
tm_keys -l "$(printf '\033OH')"	# Home, as xterm sends it
check "Home shows the first form (项目01 was deleted)" tm_wait "项目02"
tm_resize 100 40
check "a taller screen shows more forms" tm_wait "项目32"
is "$(project_at 36)" "项目32" "... down to the last line that fits"
tm_resize 100 24
check "a shorter one fewer" tm_wait_gone "项目32"
is "$(project_at 6)" "项目02" "... from the same first form"

# at 80 columns in Chinese the key bar still ends with its quit key (a bar
# without a right part has the whole line)
tm_keys q
tm_wait_exit
tm kill-server 2>/dev/null
tm_start 80 24 "LANGUAGE=zh_CN JXZP_DB=$DB JXZP_FIXED_TIME=1 $JXZP"
check "zh_CN, 80x24: the list is on screen" tm_wait "张自评表"
contains "$(tm_capture | tail -n 1)" "q 退出" "... its key bar ends with q 退出, not cut"

# the reviewer's pager at 80 columns: its table fits (the last column, 修改,
# gives way), every line closed at the right edge
tm_keys r
check "zh_CN, 80x24: the pager" tm_wait "风险"
tm_keys f
check "... every form" tm_wait "项目02"
s=$(tm_capture)
contains "$(printf '%s\n' "$s" | sed -n 4p)" "执行率" "... its head shows 执行率"
is "$(printf '%s\n' "$s" | sed -n 6p | sed 's/.*\(.\)$/\1/')" "│" "... and its rows end at the right edge, not cut"
tm_keys q
tm_wait_exit

# no forms yet: the whole hint across the table
tm kill-server 2>/dev/null
tm_start 80 24 "LANGUAGE=zh_CN JXZP_DB=$T/empty.db JXZP_FIXED_TIME=1 $JXZP"
check "zh_CN, 80x24, no forms: the list" tm_wait "0 张自评表"
contains "$(tm_capture)" "或运行 jxzp demo。" "... says the whole hint, not cut at the 项目名称 column"
tm_keys q
tm_wait_exit
done_testing
