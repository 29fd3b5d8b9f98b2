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
tm_keys C-q
tm_wait_exit
done_testing
