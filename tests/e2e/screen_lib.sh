# screen_lib.sh: what the screen_*.sh tests share, on top of lib.sh.
# Sourced after lib.sh; DB must be set.

# q SQL: one query on the test's database (waits for a lock, never fails on one)
q() { sqlite3 -cmd ".timeout 5000" "$DB" "$1"; }
# wait_db SQL EXPECTED: until the query gives EXPECTED (at most 5 s).
wait_db() {
	_i=0
	while [ "$_i" -lt 50 ]; do
		[ "$(q "$1" 2>/dev/null)" = "$2" ] && return 0
		sleep 0.1; _i=$((_i + 1))
	done
	return 1
}
# settle: until two captures a tenth of a second apart are the same (at
# most 5 s), so a check never reads a screen half redrawn.
settle() {
	_i=0
	_a=$(tm capture-pane -t t -p -e)
	while [ "$_i" -lt 50 ]; do
		sleep 0.1
		_b=$(tm capture-pane -t t -p -e)
		[ "$_a" = "$_b" ] && return 0
		_a=$_b; _i=$((_i + 1))
	done
	return 1
}
# click X Y: a left click at column X, line Y (1-based), as xterm sends it (SGR)
click() {
	tm_keys -l "$(printf '\033[<0;%d;%dM' "$1" "$2")"
	tm_keys -l "$(printf '\033[<0;%d;%dm' "$1" "$2")"
}
# quit_wait: until the program in the pane has ended (at most 5 s)
quit_wait() {
	_i=0
	while [ -n "$(tm_pid)" ] && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i + 1)); done
}
# screen: the screen once it has settled
screen() { settle; tm_capture; }
