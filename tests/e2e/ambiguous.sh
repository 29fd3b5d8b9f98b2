#!/bin/sh
# ambiguous.sh: terminals that draw ambiguous-width characters (─ — ≥ …) two
# columns wide.  jxzp asks the terminal at start (a cursor position request)
# and draws so that every rule stays where it belongs.
#
# Proved in a real terminal: xterm under Xvfb, once as a Western terminal
# and once with -cjk_width.  Each screen is shot in both; the vertical rules
# of the narrow shot (tests/e2e/rulecols) must all be in the wide shot at the
# same pixel column and as long.  The same check on what jxzp drew before
# (told "narrow" in a wide xterm) must fail: the check can fail.  xterm's
# log of what jxzp sent shows which way it went.  Then, in tmux, the help
# screen says which mode is in force and why.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/screen_lib.sh"
DB=$T/j.db
RULECOLS=${RULECOLS:-$(dirname "$JXZP")/tests/e2e/rulecols}

for tool in Xvfb xterm xdotool convert; do
	command -v "$tool" >/dev/null || {
		not_ok "$tool is installed (quickstart test installs xvfb xterm xdotool imagemagick)"
		done_testing; exit 1; }
done
[ -x "$RULECOLS" ] || { not_ok "tests/e2e/rulecols is built ($RULECOLS)"; done_testing; exit 1; }

"$JXZP" --db "$DB" import "$JXZP_SRCDIR/data/fengtai-2023.txt" >/dev/null 2>&1
for i in $(seq 1 20); do "$JXZP" --db "$DB" submit "$i" >/dev/null 2>&1; done

# A private X server on a free display.
Xvfb -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp 3>"$T/display" >/dev/null 2>&1 &
xvfb=$!
i=0; while [ ! -s "$T/display" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
DISPLAY=:$(cat "$T/display"); export DISPLAY
trap 'kill $xvfb 2>/dev/null; _cleanup' EXIT

# shoot NAME XTERM-FLAG ENV ARGS...: jxzp in a 120×40 xterm; NAME.png is the
# window, NAME.log what jxzp sent to it.
shoot() {
	_name=$T/$1 _flag=$2 _env=$3; shift 3
	rm -f "$_name.log" "$_name.png"
	xterm -u8 $_flag -geometry 120x40+0+0 -fa 'DejaVu Sans Mono' -fd 'Noto Sans Mono CJK SC' \
		-fs 10 -l -lf "$_name.log" -e env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm \
		JXZP_FIXED_TIME=1 $_env "$JXZP" --db "$DB" "$@" &
	_pid=$!
	# until jxzp has drawn and stopped sending (at most 40 s: a loaded
	# machine starts an xterm slowly; an idle one takes a second)
	_i=0 _last=-1
	while [ $_i -lt 200 ]; do
		sleep 0.2
		_s=$(wc -c <"$_name.log" 2>/dev/null || echo 0)
		[ "$_s" -gt 500 ] && [ "$_s" = "$_last" ] && break
		_last=$_s; _i=$((_i + 1))
	done
	_i=0 _wid=
	while [ -z "$_wid" ] && [ $_i -lt 50 ]; do	# the window may be mapped later still
		_wid=$(xdotool search --pid $_pid 2>/dev/null | tail -n 1)
		[ -n "$_wid" ] || sleep 0.1
		_i=$((_i + 1))
	done
	[ -n "$_wid" ] && import -window "$_wid" "$_name.png" 2>/dev/null
	kill $_pid 2>/dev/null; wait $_pid 2>/dev/null
}
# rules NAME GAP: "x length" of each vertical rule of NAME.png, 8 text rows
# tall at least: unbroken (GAP 1) for Unicode box drawing, with gaps of
# half a row for the "|" of ASCII rules
rules() { convert "$T/$1.png" pgm:- | "$RULECOLS" 140 "$2"; }
# same_rules REF GOT: every rule of REF (drawn in a narrow terminal) is in
# GOT, within 2 pixels, at least 90 % as long
same_rules() {
	[ -s "$T/$2.png" ] || { echo "no screenshot $2.png"; return 1; }
	rules "$1" 1 >"$T/ref.r"; rules "$2" 9 >"$T/got.r"
	[ -s "$T/ref.r" ] || return 1
	awk 'NR == FNR { gx[NR] = $1; gl[NR] = $2; n = NR; next }
	     { found = 0
	       for (i = 1; i <= n; i++)
	         if (gx[i] - $1 <= 2 && $1 - gx[i] <= 2 && gl[i] * 10 >= $2 * 9) found = 1
	       if (!found) { print "rule at x=" $1 " (" $2 " px) missing or broken"; bad = 1 } }
	     END { exit bad }' "$T/got.r" "$T/ref.r"
}
# sent NAME: what jxzp sent after it took the screen, as text
sent() { sed -n 's/^.*\x1b\[?1049h//p; /\x1b\[?1049h/,$p' "$T/$1.log"; }

for scr in form list pager; do
	case $scr in
	form) args="open 1" ;;
	list) args="" ;;
	pager) args="review" ;;
	esac
	shoot "$scr-n" "" "" $args
	shoot "$scr-w" -cjk_width "" $args
	shoot "$scr-old" -cjk_width JXZP_AMBIGUOUS=narrow $args
	if [ ! -s "$T/$scr-n.png" ] || [ ! -s "$T/$scr-w.png" ]; then
		not_ok "$scr: screenshots taken"; continue
	fi
	# the answer to the cursor position request chose the mode
	log_n=$(sent "$scr-n") log_w=$(sent "$scr-w")
	grep -q "$(printf '\033')\[6n" "$T/$scr-w.log" && ok "$scr: jxzp asked the terminal where the cursor is" ||
		not_ok "$scr: jxzp asked the terminal where the cursor is"
	contains "$log_n" "─" "$scr: a narrow xterm gets Unicode box drawing"
	lacks "$log_w" "─" "$scr: a wide xterm gets no ambiguous box drawing"
	lacks "$log_w" "—" "$scr: a wide xterm gets no ambiguous dash"
	if same_rules "$scr-n" "$scr-w" >"$T/why" 2>&1; then
		ok "$scr: with -cjk_width every rule is where it is without ($(wc -l <"$T/ref.r") rules)"
	else
		not_ok "$scr: with -cjk_width every rule is where it is without"; diag "$(cat "$T/why")"
		cp "$T/$scr-n.png" "$T/$scr-w.png" "${TMPDIR:-/tmp}/" 2>/dev/null
	fi
	if [ ! -s "$T/$scr-old.png" ]; then
		not_ok "$scr: screenshot of the old drawing taken"
	elif same_rules "$scr-n" "$scr-old" >/dev/null 2>&1; then
		not_ok "$scr: the check fails on the old drawing (narrow forced in a wide xterm)"
	else
		ok "$scr: the check fails on the old drawing (narrow forced in a wide xterm)"
	fi
done

# In tmux (which counts ambiguous characters narrow and answers the request)
# the help screen names the mode and where it came from.
tm_start 100 30 "'$JXZP' --db '$DB'"
tm_wait "jxzp" >/dev/null
tm_keys F1
settle
contains "$(tm_capture | head -n 1)" "narrow" "help: tmux's answer gives narrow"
tm_keys C-q; quit_wait
tm kill-server 2>/dev/null; sleep 0.5
tm_start 100 30 "'$JXZP' --ambiguous=wide --db '$DB'"
tm_wait "jxzp" >/dev/null
tm_keys F1
settle
top=$(tm_capture | head -n 1)
contains "$top" "wide" "help: --ambiguous=wide is in force"
contains "$top" "--ambiguous" "help: and says it was set"
lacks "$(tm_capture)" "…" "wide: no ambiguous ellipsis on screen"
tm_keys C-q; quit_wait
out=$("$JXZP" --ambiguous=sideways list 2>&1); rc=$?
is "$rc" 2 "--ambiguous=sideways: usage error"
contains "$out" "narrow, wide or auto" "and says what it takes"
done_testing
