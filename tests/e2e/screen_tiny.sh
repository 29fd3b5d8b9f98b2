#!/bin/sh
# screen_tiny: every screen (list, form, pager, help, summary, the bundle,
# new-form and import dialogs, the import's panel) opened and then resized
# through a sweep of sizes from 1×1 up, and opened at those sizes too.
# Below 80×24 the "terminal too small" screen and nothing else; the
# program never dies (under the ASan build, make check in build-asan/, a
# read or write past a layout buffer aborts it: issue 15, heap overflow in
# fg_build at 20×5).
. "$(dirname "$0")/lib.sh"
DB=$T/j.db
. "$(dirname "$0")/screen_lib.sh"

JXZP_DB=$DB "$JXZP" import "$JXZP_SRCDIR/data/fengtai-2023.txt" > "$T/ids" 2> "$T/err"
id=$(head -n 1 "$T/ids" | cut -f 1)
check "the sample imports" test -n "$id"

# alive: the program in the pane is still jxzp (ASan ends it on an overflow)
# (asked three times: a dead program stays dead, a busy tmux may not answer)
alive() {
	for _t in 1 2 3; do
		_p=$(tm_pid 2>/dev/null)
		[ -n "$_p" ] && [ "$(ps -o comm= -p "$_p" 2>/dev/null)" = jxzp ] && return 0
		sleep 0.3
	done
	return 1
}
# wait_drawn: until the pane shows something (at most 4 s; a loaded machine
# and an ASan build start slowly), then a little more
wait_drawn() {
	_i=0
	while [ "$_i" -lt 40 ] && [ -z "$(tm_capture | tr -d ' \n')" ]; do
		sleep 0.1; _i=$((_i + 1))
	done
	sleep 0.3
}
SIZES="1x1 2x2 10x3 20x5 1x80 80x1 79x23 80x23 79x24 40x12 80x24 81x25 3x200 200x3 116x30 115x24"

# sweep WHAT: through every size and back to 120×36, alive after each
sweep() {
	_bad=
	for _s in $SIZES; do
		tm_resize "${_s%x*}" "${_s#*x}"
		sleep 0.15
		alive || { _bad="$_bad $_s"; diag "$(ps -o pid,comm,args --ppid "$(tm display-message -t t -p "#{pane_pid}")")"; break; }
		if [ "${_s%x*}" -ge 60 ] && [ "${_s#*x}" -ge 3 ] &&
			{ [ "${_s%x*}" -lt 80 ] || [ "${_s#*x}" -lt 24 ]; }; then
			tm_wait "terminal too small" 20 || _bad="$_bad $_s(no-message)"
		fi
	done
	tm_resize 120 36
	sleep 0.2
	alive || _bad="$_bad 120x36"
	is "$_bad" "" "$1: alive through every size, the too-small message below 80×24"
}

# a session kept for the whole test, so the server does not end (and a new
# session race its ending) each time one ends
require tmux tmux
tm new-session -d -s keep "sleep 600"
tm_start 120 36 "JXZP_DB=$DB JXZP_FIXED_TIME=1 $JXZP 2>>$T/asan"
check "the list opens" tm_wait "q quit"
sweep "the list"
check "... and it is back at 120×36" tm_wait "q quit"

tm_keys '?'
check "help opens" tm_wait "any other key returns"
sweep "help"
tm_keys x
tm_wait "q quit" >/dev/null

tm_keys t
sleep 0.5
sweep "the summary"
tm_keys Escape
sleep 0.3

tm_keys r
sleep 0.5
sweep "the reviewer's pager"
tm_keys Escape
sleep 0.3
tm_keys q 2>/dev/null
tm_wait_exit
tm kill-session -t t 2>/dev/null

tm_start 120 36 "JXZP_DB=$DB JXZP_FIXED_TIME=1 $JXZP 2>>$T/asan"
tm_wait "q quit" >/dev/null
tm_keys b
sleep 0.5
sweep "the bundle dialog"
tm_keys Escape
sleep 0.3
tm_keys n
sleep 0.5
sweep "the new-form dialog"
tm_keys Escape
sleep 0.3
tm_keys i
sleep 0.5
tm_keys C-u
tm_text "$JXZP_SRCDIR/data/"
tm_keys Tab
sleep 0.3
sweep "the import prompt, listing names"
check "... and it is back whole" tm_wait "fengtai-2023.txt"
tm_keys C-u
tm_text "$JXZP_SRCDIR/data/fengtai-2023.txt $T/missing.xlsx"
tm_keys Enter
check "the import panel" tm_wait "Enter or Esc closes"
sweep "the import panel"
check "... and it is back whole" tm_wait "Enter or Esc closes"
tm_keys Escape
sleep 0.3
tm_keys Enter
check "the form opens" tm_wait "项目支出绩效自评表"
sweep "the form"
check "... and it is back whole" tm_wait "项目支出绩效自评表"
tm_keys Tab Tab
tm_text "x"
sweep "the form while editing"
tm_keys C-q
tm_wait_exit
tm kill-session -t t 2>/dev/null
lacks "$(cat "$T/asan" 2>/dev/null)" "Sanitizer" "no sanitizer report"

# opened at each size, straight onto the form and the list
bad=
for s in $SIZES; do
	for what in "open $id" ""; do
		tm_start "${s%x*}" "${s#*x}" "JXZP_DB=$DB JXZP_FIXED_TIME=1 $JXZP $what 2>$T/asan.$s"
		wait_drawn
		alive || bad="$bad ${what:-list}@$s"
		tm_keys C-q
		tm_wait_exit
		tm kill-session -t t 2>/dev/null
		grep -q Sanitizer "$T/asan.$s" 2>/dev/null && bad="$bad ${what:-list}@$s(asan)"
	done
done
is "$bad" "" "opened at every size (1×1 … 200×3) straight onto the form and the list: alive"
done_testing
