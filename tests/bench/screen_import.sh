#!/bin/sh
# screen_import: what the screen's import (i in the forms list) costs beside
# its floor, `jxzp import` of the same file (the same import_file; the
# screen adds the prompt, the progress line and the panel).
#
#   sh tests/bench/screen_import.sh JXZP [COPIES] [RUNS]
#
# The file is data/fengtai-2023.txt COPIES times (default 150: 3,000
# forms), each copy's projects renamed so every form imports.  The screen
# runs under script(1) with JXZP_KEYS typing "i", the file's name, Enter,
# Esc and quit.  Prints wall and CPU seconds of each, RUNS times (default 3),
# and checks both databases hold every form.  Not part of "make check".
set -eu
J=${1:?usage: screen_import.sh JXZP [COPIES] [RUNS]}
C=${2:-150}
N=${3:-3}
J=$(cd "$(dirname "$J")" && pwd)/$(basename "$J")
SRC=$(cd "$(dirname "$0")/../.." && pwd)
W=$(mktemp -d "${TMPDIR:-/tmp}/jxzp-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT
export HOME="$W" LC_ALL=C.UTF-8 TERM=xterm-256color JXZP_FIXED_TIME=1
unset XDG_DATA_HOME JXZP_DB
command -v script >/dev/null || { echo "script(1) is missing (apt-get install bsdutils)"; exit 2; }
cd "$W"
i=1
while [ "$i" -le "$C" ]; do
	awk -F '\t' -v OFS='\t' -v n="$i" '$1 == "项目名称" { $3 = $3 " 第" n "批" } 1' "$SRC/data/fengtai-2023.txt"
	i=$((i + 1))
done > long.txt
forms=$(grep -c '^项目名称' long.txt)
echo "file: $forms forms, $(stat -c %s long.txt) bytes"
r=1
while [ "$r" -le "$N" ]; do
	rm -f cli.db* screen.db*
	/usr/bin/time -f "cli     %e s wall  %U + %S s CPU" "$J" --db cli.db import long.txt >/dev/null
	# the prompt starts in the current folder: the name alone completes the path
	JXZP_KEYS='ilong.txt~n~e~q' /usr/bin/time -o screen.time -f "screen  %e s wall  %U + %S s CPU" \
		script -qc "$J --db screen.db" /dev/null >/dev/null
	cat screen.time
	a=$(sqlite3 cli.db "select count(*) from form_local")
	b=$(sqlite3 screen.db "select count(*) from form_local")
	[ "$a" = "$forms" ] && [ "$b" = "$forms" ] || { echo "forms stored: cli $a, screen $b, want $forms"; exit 1; }
	r=$((r + 1))
done
