# lib.sh: what every end-to-end test shares.  Sourced by tests/e2e/*.sh.
#
# Tests speak TAP (one "ok N - what" line per check, "1..N" at the end), so
# automake's tap-driver counts them.  Each test gets a private temporary
# directory $T, removed at exit, and a private tmux server, killed at exit.
# $JXZP is the binary under test; $JXZP_SRCDIR the source tree.

set -u
: "${JXZP:?JXZP must name the jxzp binary (make check sets it)}"
: "${JXZP_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
T=$(mktemp -d "${TMPDIR:-/tmp}/jxzp-e2e.XXXXXX")
export HOME="$T/home" XDG_DATA_HOME="$T/home/.local/share"
mkdir -p "$HOME"
unset JXZP_DB NO_COLOR
TMUX_SOCK="jxzp-e2e-$$"
_n=0 _failed=0

_cleanup() {
	tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
	rm -rf "$T"
}
trap _cleanup EXIT
trap 'exit 1' INT TERM

ok()     { _n=$((_n + 1)); echo "ok $_n - $*"; }
# A "# TODO" check is expected to fail (TAP): it does not fail the script.
not_ok() {
	_n=$((_n + 1))
	case $* in *"# TODO"*) ;; *) _failed=$((_failed + 1)) ;; esac
	echo "not ok $_n - $*"
}
diag()   { printf '%s\n' "$@" | sed 's/^/# /'; }

# check DESC CMD...: passes when CMD succeeds.
check() {
	_d=$1; shift
	if "$@"; then ok "$_d"; else not_ok "$_d"; diag "command failed: $*"; fi
}
# is GOT EXPECTED DESC
is() {
	if [ "$1" = "$2" ]; then ok "$3"; else
		not_ok "$3"; diag "expected: $2" "     got: $1"; fi
}
# contains HAYSTACK NEEDLE DESC
contains() {
	case $1 in
	*"$2"*) ok "$3" ;;
	*) not_ok "$3"; diag "missing: $2" "in:" "$1" ;;
	esac
}
# lacks HAYSTACK NEEDLE DESC
lacks() {
	case $1 in
	*"$2"*) not_ok "$3"; diag "unexpected: $2" "in:" "$1" ;;
	*) ok "$3" ;;
	esac
}
# Ends the test: the plan line, and the exit status.
done_testing() { echo "1..$_n"; [ "$_failed" -eq 0 ]; }
# skip DESC WHY: a check not made here, for a reason ./quickstart cannot
# change (not root, no CAP_SYS_ADMIN); TAP counts it as a skip.
skip() { _n=$((_n + 1)); echo "ok $_n - $1 # SKIP $2"; }
# The tools ./quickstart installs are not optional: a test that finds one
# missing fails and names it, rather than skip what a reader of README has.
# need TOOL PACKAGE: true when TOOL is there; else a failed check naming it.
need() {
	command -v "$1" >/dev/null && return 0
	not_ok "$1 is missing: ./quickstart installs it (apt-get install $2)"
	return 1
}
# require TOOL PACKAGE: need, and the test ends there when TOOL is missing.
require() { need "$@" || { done_testing; exit 1; }; }

# hold_write_lock DB SECONDS: another program (the sqlite3 shell) holds DB's
# write lock for SECONDS, in the background, as a long import would; returns
# once the lock is held (or after 5 s), $T/let-go appears when it is let go.
hold_write_lock() {
	rm -f "$T/let-go"
	({ echo "BEGIN IMMEDIATE; UPDATE meta SET value = value WHERE 0;"; sleep "$2"; echo "ROLLBACK;"; } |
		sqlite3 -cmd ".timeout 5000" "$1"; touch "$T/let-go") &
	_i=0
	while [ "$_i" -lt 50 ] &&
		sqlite3 -cmd ".timeout 0" "$1" "BEGIN IMMEDIATE; ROLLBACK;" >/dev/null 2>&1; do
		sleep 0.1; _i=$((_i + 1))
	done
}

# ---- tmux: the real binary in a real terminal --------------------------------
tm() { tmux -L "$TMUX_SOCK" -f /dev/null "$@"; }
# tm_start COLS ROWS CMD...: a detached session "t" running CMD in UTF-8.
tm_start() {
	_c=$1 _r=$2; shift 2
	require tmux tmux
	# A server whose last session was just killed is still exiting: a new
	# client can reach it and get "server exited unexpectedly". Try again
	# until the session is there (5 s), then say so if it never came.
	_i=0
	until tm new-session -d -s t -x "$_c" -y "$_r" \
		"env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color HOME='$HOME' XDG_DATA_HOME='$XDG_DATA_HOME' $*; sleep 600" 2>/dev/null &&
		tm has-session -t t 2>/dev/null; do
		_i=$((_i + 1))
		if [ "$_i" -ge 50 ]; then
			echo "# tmux: no session after 50 tries" >&2
			return 1
		fi
		tm kill-server 2>/dev/null
		sleep 0.1
	done
	tm set-option -t t status off >/dev/null
}
tm_keys()    { tm send-keys -t t "$@"; }
tm_text()    { tm send-keys -t t -l "$1"; }	# literal text, UTF-8 as is
tm_capture() { tm capture-pane -t t -p; }
tm_resize()  { tm resize-window -t t -x "$1" -y "$2"; }
# tm_wait TEXT [TENTHS]: wait until TEXT is on screen (default 5 s); 1 if not.
tm_wait() {
	_i=0
	while [ "$_i" -lt "${2:-50}" ]; do
		tm_capture | grep -qF -- "$1" && return 0
		sleep 0.1; _i=$((_i + 1))
	done
	return 1
}
# tm_wait_gone TEXT [TENTHS]: wait until TEXT has left the screen.
tm_wait_gone() {
	_i=0
	while [ "$_i" -lt "${2:-50}" ]; do
		tm_capture | grep -qF -- "$1" || return 0
		sleep 0.1; _i=$((_i + 1))
	done
	return 1
}
# The pid of the program in the pane (for kill -9 tests).
tm_pid() { pgrep -P "$(tm display-message -t t -p '#{pane_pid}')" | head -n 1; }
# tm_wait_exit [TENTHS]: wait until the program in the pane has exited (its
# database closed), e.g. after a quit key, before the test reads the database.
tm_wait_exit() {
	_i=0
	while [ "$_i" -lt "${1:-50}" ]; do
		_p=$(tm_pid)
		[ -z "$_p" ] || [ "$(ps -o comm= -p "$_p" 2>/dev/null)" = sleep ] && return 0
		sleep 0.1; _i=$((_i + 1))
	done
	return 1
}
# exchange_keys OFFICE_DB UNIT CLERK_DB...: the key exchange of the README:
# the office trusts each clerk's key for UNIT, each clerk the office's key.
exchange_keys() {
	_o=$1 _u=$2
	shift 2
	"$JXZP" --db "$_o" key show >"$T/office.key" || return 1
	for _c in "$@"; do
		"$JXZP" --db "$_c" key show >"$T/clerk.key" || return 1
		"$JXZP" --db "$_o" key trust --unit "$_u" "$T/clerk.key" >/dev/null || return 1
		"$JXZP" --db "$_c" key trust --office "$T/office.key" >/dev/null || return 1
	done
}
