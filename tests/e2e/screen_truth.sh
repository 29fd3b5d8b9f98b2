#!/bin/sh
# screen_truth: the screen says what `jxzp check` says of the saved form
# (issue 14's two reproductions), and the computed cells show what is
# stored, with its mark: they take the focus, F2 takes the computed value,
# a printed value can be typed, F5 → Enter reaches a funds finding.
. "$(dirname "$0")/lib.sh"
DB=$T/j.db
. "$(dirname "$0")/screen_lib.sh"
# fund COL / ind_score NAME: what the store holds
fund() { q "select $1 from fund where row = 'total' and form_uuid = (select form_uuid from form_local where id = $id)"; }
ind_score() { q "select score from indicator where name like '$1%' and form_uuid = (select form_uuid from form_local where id = $id)"; }
total() { q "select total_score from form where uuid = (select form_uuid from form_local where id = $id)"; }

# cell_at TEXT FIELD: "X Y" of the FIELD-th cell (counted between │) on
# the first screen line holding TEXT, for click.  Columns as a terminal
# counts them: CJK and full-width characters two, box drawing and ≥ one.
cell_at() {
	screen > "$T/cap"
	LC_ALL=C awk -v want="$1" -v field="$2" '
	index($0, want) && !done {
		col = 0; bars = 0; n = length($0)
		for (i = 1; i <= n; i++) {
			c = substr($0, i, 1)
			if (c == "\342" && substr($0, i, 3) == "\342\224\202") {
				bars++; col++; i += 2
				if (bars == field) { print col + 2, NR; done = 1; exit }
				continue
			}
			if (c >= "\343" && c <= "\357") { col += 2; i += 2 }
			else if (c >= "\340" && c <= "\342") { col += 1; i += 2 }
			else if (c >= "\300" && c < "\340") { col += 1; i += 1 }
			else if (c >= "\360") { col += 2; i += 3 }
			else col++
		}
	}' "$T/cap"
}
click_cell() {
	set -- $(cell_at "$1" "$2")
	[ -n "${1:-}" ] || return 1
	click "$1" "$2"
}
# errors ID: the error count `jxzp check` gives the stored form
errors() { JXZP_DB=$DB "$JXZP" check --format json "$1" | grep -o '"severity": *"error"' | wc -l; }
findings() { JXZP_DB=$DB "$JXZP" check --format json "$1" | grep -o '"severity": *"\(error\|warning\)"' | wc -l; }

JXZP_DB=$DB "$JXZP" import "$JXZP_SRCDIR/data/chaoyang-2024-part.txt" > "$T/ids" 2> "$T/err"
id=$(awk -F'\t' '/互联网接入服务/ { print $1; exit }' "$T/ids")
check "the 2024 sample imports" test -n "$id"
is "$(errors "$id")" 0 "check finds no error in it"

# ---- 1. 得分 10 → 5 and Tab: the total moves, no stale 总分 error -----------
tm_start 140 40 "JXZP_DB=$DB $JXZP open $id"
check "the form opens at 140×40" tm_wait "故障到达现场"
click_cell "故障到达现场" 9
tm_keys C-u
tm_text "5"
tm_keys Tab
check "the score is saved" wait_db "select score from indicator where name like '故障到达现场%'" 5
contains "$(screen | head -n 1)" "总分 95.00" "the top line says 95.00"
# 5 below the weight 10 wants a 偏差 text: one error, on that row only
is "$(errors "$id")" 1 "check finds one error (the 偏差 text)"
is "$(screen | grep '^│' | grep -c '✗')" 1 "one ✗ in the table"
contains "$(screen | grep '✗')" "故障到达现场" "... on that row"
tm_keys F5
sleep 0.3
lacks "$(screen)" "总分·得分" "F5 does not list a 总分 error"
tm_keys Escape
sleep 2
tm_keys F5
sleep 0.3
lacks "$(screen)" "总分·得分" "... two seconds later neither"
tm_keys Escape
n=$(findings "$id")
contains "$(screen | tail -n 1)" "($n)" "the key line counts check's $n findings"
tm_keys C-z
check "Ctrl-Z takes the score back" wait_db "select score from indicator where name like '故障到达现场%'" 10
is "$(total)" 100 "... and the total as it was printed"
check "the top line follows" tm_wait "总分 100.00"
n=$(findings "$id")
contains "$(screen | tail -n 1)" "($n)" "the key line counts check's $n findings after the undo"
tm_keys C-q
tm_wait_exit
tm kill-session -t t

# ---- 2. an imported form printing 99.98 % and 9.99 --------------------------
JXZP_DB=$DB "$JXZP" set "$id" funds.total.budget=160.349 funds.total.spent=160.329 \
	funds.appropriation.initial= funds.appropriation.budget= funds.appropriation.spent= \
	funds.total.rate=99.98% funds.total.score=9.99 \
	total.score=99.99 > /dev/null 2>&1
tm_start 140 40 "JXZP_DB=$DB $JXZP open $id"
check "the printed form opens" tm_wait "故障到达现场"
scr=$(screen)
contains "$scr" "99.98%" "the 执行率 cell shows what is stored (99.98%)"
contains "$scr" "9.99 │" "the 得分 cell shows what is stored (9.99)"
lacks "$scr" "99.99%" "... not the computed 99.99%"
# F5 → Enter on a funds finding goes to its cell, not to 项目名称
n=$(findings "$id")
contains "$(screen | tail -n 1)" "($n)" "the key line counts check's $n findings"
if [ "$(errors "$id")" -gt 0 ]; then
	tm_keys F5
	check "F5 lists the 执行率 finding" tm_wait "执行率"
	tm_keys Enter
	sleep 0.3
	contains "$(screen | sed -n '/^ [✗▲]/p')" "执行率" "Enter goes to the 执行率 cell: its finding under the form"
fi
# retype 全年执行数 as printed: the rate is recomputed where check finds it wrong
click_cell "年度资金总额" 5
tm_keys C-u
tm_text "160.349"
tm_keys Tab
check "全年执行数 is saved" wait_db "select spent from fund where row = 'total' and spent = '160.349'" 160.349
sleep 0.5
e=$(errors "$id"); n=$(findings "$id")
is "$e" 0 "check: no error once 全年执行数 is 全年预算数"
scr=$(screen)
lacks "$(printf '%s\n' "$scr" | grep 年度资金总额)" "✗" "no ✗ left on the funds row"
contains "$(printf '%s\n' "$scr" | tail -n 1)" "($n)" "the key line counts check's $n findings"
# a printed rate can be typed; F2 takes the computed one
click_cell "年度资金总额" 7
tm_keys C-u
tm_text "50%"
tm_keys Tab
check "a typed 执行率 is kept as typed" wait_db "select count(*) from fund where row = 'total' and rate = '50%'" 1
sleep 0.3
contains "$(screen | grep 年度资金总额)" "✗" "... and marked ✗"
click_cell "年度资金总额" 7
tm_keys F2
check "F2 takes the computed 执行率" tm_wait "100.00%"
is "$(errors "$id")" 0 "check agrees: no error"
tm_keys C-q
tm_wait_exit
done_testing
