#!/bin/sh
# review.sh: the review on screen, in a real terminal (tmux) — the reviewer's
# pager lists, sorts, flips, filters; PgDn / PgUp go from form to form;
# editing keys on a read-only form say why; a reviewer's comment shows on
# the field (※) for the lead and in `jxzp comments`; return asks for a
# reason the lead then reads on the form; the lead submits with F8 (refused
# while errors remain, listing them); approve.
. "${JXZP_SRCDIR:-$(dirname "$0")/../..}/tests/e2e/lib.sh"

DB="$T/r.db"
j() { "$JXZP" --db "$DB" "$@"; }
screen_of() { tm_start 120 30 "JXZP_FIXED_TIME=1 '$JXZP' --db '$DB' $*"; }
stop() { tm kill-server 2>/dev/null; sleep 0.2; }
# The data line (5th line on) holding TEXT: its line number on screen.
line_of() { tm_capture | grep -nF -- "$1" | head -n 1 | cut -d: -f1; }
# wait for TEXT, or fail the check DESC and show the screen
see() {
	if tm_wait "$1"; then ok "$2"; else not_ok "$2"; diag "missing: $1"; tm_capture | diag "$(cat)"; fi
}

# Nine forms of 北京市朝阳区数据局 2024 without errors (the sample), three
# of them submitted; three drafts of 乙测试单位 2024 with no indicator rows,
# whose 执行率 is spent ÷ budget: A项目 50 %, B项目 80 %, C项目 20 %, and
# whose 总分 is the 预算执行得分 as filled: 5, 8 and 2.
j import "$JXZP_SRCDIR/tests/fixtures/chaoyang-2024-part.txt" >/dev/null
for i in 1 2 3; do j submit "$i"; done
mk() {
	id=$(j new --unit 乙测试单位 --year 2024 --project "$1")
	j set "$id" funds.total.budget=100 funds.total.spent="$2" funds.total.score="$3" >/dev/null
	echo "$id"
}
A=$(mk A项目 50 5); B=$(mk B项目 80 8); C=$(mk C项目 20 2)
is "$A $B $C" "10 11 12" "twelve forms in two units"

# ---- the pager ----------------------------------------------------------------
screen_of review
see "submitted forms: 3" "review: the pager opens on the submitted forms"
tm_keys f
see "forms: 12" "f: every form of every unit and year"
see "sorted by risk ↓" "... sorted by triage risk first (the default)"
tm_keys s
see "sorted by unit ↑" "... sorted by unit, shown in the top line"
# bytes order 乙 (E4 B9 99) before 北 (E5 8C 97); then by project A, B, C
is "$(line_of A项目)" 6 "by unit: 乙测试单位's A项目 is the first row"
is "$(line_of C项目)" 8 "... C项目 the third"
tm_keys s
see "sorted by score ↑" "s: sorted by score"
is "$(line_of C项目) $(line_of A项目) $(line_of B项目)" "6 7 8" "by score: 2, 5, 8 first"
tm_keys s s
see "sorted by execution rate ↑" "s s: by grade, then by execution rate"
is "$(line_of C项目)" 6 "by rate: C项目 (20 %) first"
contains "$(tm_capture | sed -n 6p)" "20.00%" "... with its rate shown"
tm_keys o
see "sorted by execution rate ↓" "o flips the order"
is "$(line_of B项目)" 15 "descending: B项目 (80 %) after the nine 100 % forms"
lacks "$(tm_capture | sed -n 6p)" "项目 " "... and a 100 % form first"

# filter as you type
tm_keys /
tm_text "乙测试"
see "forms: 3" "typing 乙测试 filters to three forms"
lacks "$(tm_capture)" "朝阳区数据局" "... the other unit's forms are gone"
tm_keys Enter

# the summary of what is listed: 3 forms, budget 3 × 100 = 300, spent
# 50 + 80 + 20 = 150, rate 150 ÷ 300 = 50.00 %, average (5 + 8 + 2) ÷ 3 = 5.00,
# all three 差 (below 60) and with errors (no goals, no indicator rows)
tm_keys t
see "jxzp summary" "t: the summary of the listed forms"
row=$(tm_capture | grep -F 乙测试单位 | tr -s ' ')
is "$row" " 乙测试单位 2024 3 300 150 50.00% 5.00 0 0 0 3 3" "... its figures, worked out by hand"
tm_keys Escape
see "forms: 3" "Esc: back in the pager"

# open read-only; PgDn / PgUp through the pager's order (rate ↓: B, A, C)
tm_keys Enter
see "jxzp │ 1/3 │" "Enter opens the first form, its place in the top line"
contains "$(tm_capture | head -n 1)" "B项目" "... it is B项目"
tm_keys NPage
see "jxzp │ 2/3 │" "PgDn: the next form without going back"
contains "$(tm_capture | head -n 1)" "A项目" "... A项目"
tm_keys NPage
see "jxzp │ 3/3 │" "PgDn again: C项目"
tm_keys NPage
see "This is the last form." "PgDn on the last form says so"
tm_keys PPage
see "jxzp │ 2/3 │" "PgUp: back to A项目"
tm_keys z
see "Read-only: reviewing (the unit edits its own forms)." "typing on the reviewer's form says it is read-only"

# comment on the focused field
tm_keys c
see "Comment on" "c asks for the comment"
tm_text "请核对这一栏"
tm_keys Enter
see "Comment saved." "the comment is saved"
see "※" "... the field carries ※"
me=$(id -un)	# as the store names the author (the user database)
see "※ $me" "... and the status area shows who commented"
comments=$(j comments "$A")
contains "$comments" "$(printf 'open\t')" "jxzp comments lists it, open"
contains "$comments" "请核对这一栏" "... with its text"
cpath=$(printf '%s\n' "$comments" | cut -f 3)

# n jumps to the next field with a finding: after 项目名称 comes 主管部门,
# empty on these forms, so required
tm_keys n
see "✗ 主管部门: " "n goes to the next finding (主管部门, empty) and shows it"

# back to the pager, only the submitted forms; return one, approve the next
tm_keys Escape
see "forms: 3" "Esc: back in the pager, filter kept"
tm_keys Escape
see "forms: 12" "Esc clears the filter"
tm_keys f f f f
see "submitted forms: 3" "f four more times: back to the submitted forms"
is "$(tm_capture | head -n 1 | awk '{ print $NF }')" "submitted" "... shown in the top line, in English"
tm_keys Enter
see "jxzp │ 1/3 │" "open the first submitted form"
ret=$(j list --status submitted --format json | grep -c '"id"')
is "$ret" 3 "(three submitted before)"
tm_keys r
see "Return the form to its unit" "r asks for the reason"
tm_text "请补充偏差原因分析"
tm_keys Enter
see "Returned to the unit" "the form is returned"
returned=$(j list --status returned --format json | sed -n 's/.*"id": \([0-9]*\),.*/\1/p')
is "$(printf '%s\n' "$returned" | wc -l | tr -d ' ')" 1 "one form is returned"
tm_keys NPage
see "jxzp │ 1/2 │" "PgDn after the return: the next submitted form (the returned one left the list)"
tm_keys a
see "Approve “" "a asks first, naming the form"
tm_keys y
see "Approved." "the form is approved"
approved=$(j list --status approved --format json | sed -n 's/.*"id": \([0-9]*\),.*/\1/p')
is "$(printf '%s\n' "$approved" | wc -l | tr -d ' ')" 1 "one form is approved"
lacks " $approved " " $returned " "... not the returned one"
stop

# jxzp review --unit U --year Y: the pager over one unit and year
screen_of review --unit 乙测试单位 --year 2024
see "submitted forms: 0" "review --unit --year: none of 乙测试单位 2024 is submitted"
tm_keys f
see "forms: 3" "f: its three forms"
see "乙测试单位 │ 2024年度" "... the unit and year in the top line"
stop
screen_of review --year 2023
see "submitted forms: 0" "review --year 2023: nothing"
tm_keys f
see "forms: 0" "... at all"
stop

# ---- the lead -------------------------------------------------------------------
screen_of open "$returned"
see "Returned because: 请补充偏差原因分析" "the lead reads the reason under the title"
see "returned │ 总分" "... and the status"
tm_keys F8
see "Submit “" "F8 asks before submitting, naming the form"
tm_keys y
see "Submitted." "the lead submits again"
tm_keys z
see "Read-only: this form is submitted" "typing on a submitted form says why nothing changes"
tm_keys F3
see "Read-only: this form is submitted" "so does F3 (add a row)"
stop
contains "$(j list --status submitted --format json)" "\"id\": $returned," "it is submitted"
run_set=$(j set "$returned" project=改 2>&1); rc=$?
is "$rc" 1 "jxzp set on the submitted form is refused"

# the lead of A项目 sees the reviewer's comment beside the field it names
screen_of open "$A"
see "※" "the lead sees ※ on the commented field"
see "请核对这一栏" "... and the comment in the status area (the field is focused)"
is "$cpath" "project" "(the comment names the field focused first: 项目名称)"
tm_keys F8
see "submitted once they are fixed" "F8 on a form with errors: refused, saying so"
see "Findings" "... and the findings are listed"
tm_keys Escape
stop
contains "$(j list --status draft --format json)" "\"id\": $A," "A项目 is still a draft"

# ---- while another program writes --------------------------------------------
# An import holds the write lock for as long as its file takes: the pager
# opens at once with the risks as last worked out, and says why.
require sqlite3 sqlite3
j set "$B" funds.total.spent=81 >/dev/null	# its risk is stale now
hold_write_lock "$DB" 8
screen_of review
see "submitted forms: 2" "another program writing: the pager opens"
see "another program is writing" "... saying the risks are as last worked out"
check "... before the other program lets go" test ! -e "$T/let-go"
stop
wait

done_testing
