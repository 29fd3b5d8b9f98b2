#!/bin/sh
# summary.sh: `jxzp summary` (txt, csv, json) on forms made with `jxzp new`
# and `jxzp set`, every figure worked out by hand below; and the comment
# commands (comment, comments, comment-resolve).
. "${JXZP_SRCDIR:-$(dirname "$0")/../..}/tests/e2e/lib.sh"

DB="$T/s.db"
j() { "$JXZP" --db "$DB" "$@"; }
run() { out=$(j "$@" 2>"$T/err"); rc=$?; err=$(cat "$T/err"); }

# Four forms, no indicator rows, so 总分 is the 预算执行得分 as filled:
#   甲乙单位 2024  一: budget 0.1      spent 0.1     score 10  -> 10.00 差
#   甲乙单位 2024  二: budget 0.2      spent 0.1     score 5   ->  5.00 差
#   甲乙单位 2023  三: budget 1,000    spent 999.99  score 10  -> 10.00 差
#   ABCDEFGHIJ 2024 四: budget 10万元 (not a number: the form is left out of
#                      both sums, so the rate compares like with like) spent 5  score 5 -> 5.00 差
# Each lacks goals and indicators, which the rules require: every form has errors.
new() { j new --unit "$1" --year "$2" --project "$3"; }
a=$(new 甲乙单位 2024 一) && j set "$a" funds.total.budget=0.1 funds.total.spent=0.1 funds.total.score=10 >/dev/null
b=$(new 甲乙单位 2024 二) && j set "$b" funds.total.budget=0.2 funds.total.spent=0.1 funds.total.score=5 >/dev/null
c=$(new 甲乙单位 2023 三) && j set "$c" funds.total.budget=1,000 funds.total.spent=999.99 funds.total.score=10 >/dev/null
d=$(new ABCDEFGHIJ 2024 四) && j set "$d" funds.total.budget=10万元 funds.total.spent=5 funds.total.score=5 >/dev/null
is "$a $b $c $d" "1 2 3 4" "four forms made"

# By unit (bytes: ASCII first), then year.  Sums are exact: 0.1 + 0.2 = 0.3;
# 1,000 reads as 1000.  Rates: 0.2 / 0.3 = 66.67 %, 999.99 / 1000 = 100.00 %
# (99.999 rounded), none where the budget sum is 0.  Averages: (10 + 5) / 2 = 7.50.
# Columns are as wide as their widest cell (CJK counts two): UNIT 10,
# BUDGET 6, SPENT 6, RATE % 6, AVG SCORE 9, the grades 2, WITH ERRORS 11.
run summary
is "$rc" 0 "summary exits 0"
want=$(printf '%s\n' \
'UNIT        YEAR  FORMS  BUDGET   SPENT  RATE %  AVG SCORE  优  良  中  差  WITH ERRORS' \
'ABCDEFGHIJ  2024      1       0       0               5.00   0   0   0   1            1' \
'甲乙单位    2023      1    1000  999.99  100.00      10.00   0   0   0   1            1' \
'甲乙单位    2024      2     0.3     0.2   66.67       7.50   0   0   0   2            2' \
'note: 1 form has a budget or spent figure that is not a number; it is left out of the sums')
is "$out" "$want" "summary txt: every figure, aligned in terminal columns"

run summary --unit 甲乙单位 --year 2024
want=$(printf '%s\n' \
'UNIT      YEAR  FORMS  BUDGET  SPENT  RATE %  AVG SCORE  优  良  中  差  WITH ERRORS' \
'甲乙单位  2024      2     0.3    0.2   66.67       7.50   0   0   0   2            2')
is "$out" "$want" "summary --unit --year: one row"

run summary --format csv --year 2023
bom=$(printf '%s' "$out" | head -c 3 | od -An -tx1 | tr -d ' ')
is "$bom" "efbbbf" "csv starts with a UTF-8 byte-order mark"
crlf=$(printf '%s\n' "$out" | grep -c "$(printf '\r')\$")
is "$crlf" 2 "csv lines end in CRLF (header and one row)"
row=$(printf '%s\n' "$out" | tail -n 1 | tr -d '\r')
is "$row" "甲乙单位,2023,1,1000,999.99,100.00,10.00,0,0,0,1,1" "csv row: the same figures"

run summary --format json --unit ABCDEFGHIJ
contains "$out" '"budget": "0", "spent": "0", "rate": null' "json: a form with an unreadable budget is left out of both sums, no rate"
contains "$out" '"grades": {"优": 0, "良": 0, "中": 0, "差": 1}, "with_errors": 1, "unreadable": 1' "json: grades, errors, unreadable"
run summary --format json --unit nobody
is "$out" "[]" "json: nothing matches, an empty array"
run summary --format xml
is "$rc" 2 "summary --format xml: usage error"
run summary --year 20x4
is "$rc" 2 "summary --year 20x4: usage error"

# ---- comments ----------------------------------------------------------------
run comment "$a" funds.total.spent "执行数请与决算一致"
is "$rc" 0 "comment on a field exits 0"
u1=$out
case $u1 in
????????-????-????-????-????????????) ok "comment prints its uuid" ;;
*) not_ok "comment prints its uuid"; diag "got: $u1" ;;
esac
run comment "$a" - "整体可以"
u2=$out
is "$rc" 0 "comment on the whole form (-)"
run comment "$a" indicators[3].actual "x"
is "$rc" 2 "comment on a row the form lacks: refused"
contains "$err" "no field indicators[3].actual" "... saying which"
run comment "$a" funds.total.spent "   "
is "$rc" 2 "a blank comment is refused"
run comment 99 project "x"
is "$rc" 2 "comment on an unknown form: exit 2"
me=$(id -un)	# as the store names the author (the user database)
run comments "$a"
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 2 "comments: two open"
first=$(printf '%s\n' "$out" | head -n 1 | cut -f 1-4,6)
is "$first" "$(printf '%s\topen\tfunds.total.spent\t%s\t执行数请与决算一致' "$u1" "$me")" \
	"comments: uuid, state, field, author (the OS user), text"
run comment-resolve "$u1"
is "$rc" 0 "comment-resolve exits 0"
run comments "$a"
is "$(printf '%s\n' "$out" | cut -f 1)" "$u2" "a resolved comment is no longer listed"
run comments "$a" --all
contains "$out" "$(printf '%s\tresolved\t' "$u1")" "comments --all lists it, resolved"
run comment-resolve 00000000-0000-4000-8000-000000000000
is "$rc" 1 "comment-resolve of an unknown uuid: exit 1"

# ---- figures typed with an IME (issue 14 point 5, issue 22) -----------------
# A figure field is saved in its plain spelling when it reads as a number by
# the one grammar: full-width digits and point, a thousands comma between
# groups of three.  "1,00" (a decimal comma) is kept as typed and marked.
DB="$T/ime.db"
e=$(new 单位 2024 输入法)
j set "$e" 'funds.total.budget=１６０．３４９' 'funds.total.spent=160,329' 'funds.total.score=－１' >/dev/null
is "$(sqlite3 "$DB" "SELECT budget || ' ' || spent || ' ' || score FROM fund WHERE row = 'total'")" "160.349 160329 -1" \
	"full-width digits, a thousands comma and a full-width minus are saved plain"
run show "$e"
contains "$out" "160.349" "show gives the saved spelling"
run summary --format json
contains "$out" '"budget": "160.349", "spent": "160329"' "the sums take the typed figures"
contains "$out" '"unreadable": 0' "... none is 'not a number'"
run export "$e"
contains "$out" '"budget": "160.349"' "the export has the saved spelling"
f=$(new 单位 2024 小数逗号)
j set "$f" 'funds.total.budget=1,00' 'funds.total.spent=1' >/dev/null
is "$(sqlite3 "$DB" "SELECT budget FROM fund f JOIN form o ON o.uuid = f.form_uuid WHERE o.project = '小数逗号' AND row = 'total'")" "1,00" \
	"a decimal comma is kept as typed"
run check -v "$f"
contains "$out" "NOT_A_NUMBER" "... and check -v marks it with its code"
contains "$out" "1,5" "... saying a comma is not the decimal point"
run summary --format json --unit 单位
contains "$out" '"unreadable": 1' "... and the sums leave it out, saying so"

done_testing
