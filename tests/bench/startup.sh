#!/bin/sh
# startup: how fast jxzp starts, as a command and to its first screen.
#
#   sh tests/bench/startup.sh [JXZP] [RUNS]
#
# JXZP defaults to the portable binary (make portable, then unpack), RUNS to
# 20.  Prints the mean wall time of "jxzp --version" (hyperfine when it is
# installed, else a timed loop), and of opening the screen on a demo
# database until the forms list is drawn in a tmux pane (polled every 10 ms,
# so figures are good to about 10 ms).  Not part of "make check": timings
# depend on the machine.
set -eu
J=${1:?usage: startup.sh JXZP [RUNS]}
N=${2:-20}
J=$(cd "$(dirname "$J")" && pwd)/$(basename "$J")
W=$(mktemp -d "${TMPDIR:-/tmp}/jxzp-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT
export HOME="$W" LC_ALL=C.UTF-8 JXZP_DB="$W/bench.db"
unset XDG_DATA_HOME

now() { date +%s%N; }

echo "binary: $J ($(stat -c %s "$J") bytes)"
if command -v hyperfine >/dev/null; then
	hyperfine -N --warmup 3 --runs "$N" "$J --version" 2>/dev/null | sed -n '1,3p'
else
	t0=$(now); i=0
	while [ "$i" -lt "$N" ]; do "$J" --version >/dev/null; i=$((i + 1)); done
	t1=$(now)
	echo "--version: mean $(( (t1 - t0) / N / 1000 )) us over $N runs (timed loop)"
fi

# A database with the demo forms, so the first screen has rows to draw:
# those beside the binary (the portable folder), else the source tree's.
data=$(dirname "$J")/data
[ -d "$data" ] || data=$(cd "$(dirname "$0")/../.." && pwd)/data
for f in "$data"/*.txt; do
	[ -f "$f" ] && "$J" import "$f" >/dev/null 2>&1 || :
done
first=$("$J" list --format json 2>/dev/null | sed -n 's/.*"project": *"\([^"]*\)".*/\1/p' | head -n 1)
[ -n "$first" ] || { echo "no forms in the demo database: first-screen timing skipped"; exit 0; }

total=0 i=0
while [ "$i" -lt "$N" ]; do
	S=jxzp-bench-$$-$i	# a fresh server each run: no race with the last one's exit
	tmux -L "$S" -f /dev/null new-session -d -s t -x 120 -y 40 "sleep 600"
	t0=$(now)
	tmux -L "$S" respawn-pane -k -t t "env TERM=xterm-256color LC_ALL=C.UTF-8 HOME='$HOME' JXZP_DB='$JXZP_DB' '$J'; sleep 600"
	k=0
	until tmux -L "$S" capture-pane -t t -p | grep -qF -- "$first"; do
		k=$((k + 1))
		[ "$k" -lt 1000 ] || { echo "the first screen did not show \"$first\" within 10 s" >&2
			tmux -L "$S" capture-pane -t t -p >&2; tmux -L "$S" kill-server; exit 1; }
		sleep 0.01
	done
	t1=$(now)
	tmux -L "$S" kill-server 2>/dev/null || :
	total=$((total + t1 - t0)); i=$((i + 1))
done
echo "first screen (forms list drawn, under tmux): mean $(( total / N / 1000000 )) ms over $N runs"
