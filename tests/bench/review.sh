#!/bin/sh
# review.sh: the reviewer's pager on many forms (not part of make check).
#   tests/bench/review.sh [BUILD_DIR] [N]        (default build, 100000)
# Fills a database with N forms through the store API in one transaction
# (bench_review gen), then measures, on a pseudo-terminal (script) with the
# keys replayed from JXZP_KEYS:
#   - the time to the first screen of `jxzp review` and its peak memory
#     (/usr/bin/time -v: elapsed, maximum resident set size);
#   - the time per page: 500 pages down (space) minus the first screen, / 500,
#     in the unit order and in the score order, and a jump to the end (G);
#   - filtering as you type 7 characters and Enter (the pager queries once
#     typing pauses or the filter is left: one count and one page);
#   - store_page per page in every order, straight from the store;
# and the same rows as CSV opened by VisiData (apt-get install visidata):
#   - vd --batch loading the CSV and writing it out again (-o), and
#   - vd in a terminal (tmux) until its status line shows every row loaded.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
b=$(cd "${1:-$top/build}" && pwd)
n=${2:-100000}
dir=$(mktemp -d "${TMPDIR:-/tmp}/jxzp-bench-review.XXXXXX")
trap 'tmux -L jxzp-bench kill-server 2>/dev/null || :; rm -rf "$dir"' EXIT
cc -std=c11 -O2 -I"$top/src" -I"$b" -o "$dir/bench" "$top/tests/bench/bench_review.c" "$b/libjxzp.a" \
	$(pkg-config --cflags --libs sqlite3 jansson) $(pkg-config --libs xlsxwriter 2>/dev/null || :) \
	-lunistring -lm
db="$dir/b.db"
"$dir/bench" gen "$db" "$n"
"$dir/bench" csv "$db" "$dir/forms.csv"
echo "database: $(du -h "$db" | cut -f1), CSV: $(du -h "$dir/forms.csv" | cut -f1), $(($(wc -l <"$dir/forms.csv") - 1)) rows"

# One run of the pager on a pseudo-terminal: keys, then quit.  Prints
# "elapsed_s max_rss_kib" (the clock read around jxzp itself, inside the pty).
cat >"$dir/run.sh" <<EOF
#!/bin/sh
t0=\$(date +%s%N)
/usr/bin/time -v -o '$dir/time.txt' '$b/jxzp' --db '$db' review
t1=\$(date +%s%N)
echo \$(( (t1 - t0) / 1000 )) >'$dir/us.txt'
EOF
chmod +x "$dir/run.sh"
screen() {
	rm -f "$dir/time.txt" "$dir/us.txt"
	TERM=xterm-256color LC_ALL=C.UTF-8 LINES=30 COLUMNS=120 JXZP_FIXED_TIME=1 JXZP_KEYS="$1" \
		script -qec "$dir/run.sh" /dev/null >/dev/null
	m=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time.txt")
	echo "$(cat "$dir/us.txt") $m" | awk '{ printf "%.6f %d\n", $1 / 1e6, $2 }'
}
best() {	# best of 3 (the machine is shared)
	r1=$(screen "$1"); r2=$(screen "$1"); r3=$(screen "$1")
	printf '%s\n%s\n%s\n' "$r1" "$r2" "$r3" | sort -n | head -n 1
}
# The pager opens on the submitted forms (half of them); f shows every form.
spaces=$(printf '%500s' '')
first=$(best '')
all=$(best 'f')
p_unit=$(best "f$spaces")
p_score=$(best "fs$spaces")
end=$(best 'fG')
filt=$(best 'f/0012345~n')
echo "jxzp review, $n forms ($((n / 2)) submitted), 120x30 terminal (best of 3):"
echo "$first" | awk '{ printf "  first screen (submitted forms): %.3f s, peak memory %.1f MB\n", $1, $2 / 1024 }'
echo "$all" | awk '{ printf "  first screen of every form (f): %.3f s, peak memory %.1f MB\n", $1, $2 / 1024 }'
echo "$all $p_unit" | awk '{ printf "  per page (unit order): %.2f ms  (500 pages in %.3f s, peak %.1f MB)\n", ($3 - $1) * 1000 / 500, $3, $4 / 1024 }'
echo "$all $p_score" | awk '{ printf "  per page (score order): %.2f ms  (500 pages in %.3f s, peak %.1f MB)\n", ($3 - $1) * 1000 / 500, $3, $4 / 1024 }'
echo "$all $end" | awk '{ printf "  jump to the last page (G): %.1f ms\n", ($3 - $1) * 1000 }'
echo "$all $filt" | awk '{ printf "  filter: 7 keys typed, then Enter (one count and page once typing stops): %.1f ms (peak %.1f MB)\n", ($3 - $1) * 1000, $4 / 1024 }'
"$dir/bench" pages "$db" 100

if command -v vd >/dev/null; then
	echo "VisiData $(vd --version 2>/dev/null | head -n 1), the same $n rows as CSV:"
	t0=$(date +%s.%N)
	vd --batch "$dir/forms.csv" -o "$dir/out.csv" >/dev/null 2>&1
	t1=$(date +%s.%N)
	echo "$t0 $t1" | awk '{ printf "  vd --batch (load, write): %.3f s\n", $2 - $1 }'
	if command -v tmux >/dev/null; then
		tm() { tmux -L jxzp-bench -f /dev/null "$@"; }
		t0=$(date +%s.%N)
		tm new-session -d -s v -x 120 -y 30 "env TERM=xterm-256color LC_ALL=C.UTF-8 HOME='$dir' vd '$dir/forms.csv'"
		i=0
		until tm capture-pane -t v -p 2>/dev/null | grep -q "$n rows"; do
			sleep 0.02; i=$((i + 1)); [ "$i" -lt 3000 ] || break
		done
		t1=$(date +%s.%N)
		tm kill-server 2>/dev/null || :
		echo "$t0 $t1" | awk '{ printf "  vd on a terminal until \"%s rows\" shows: %.3f s\n", n, $2 - $1 }' n="$n"
	fi
	echo "$all" | awk -v t0="$t0" -v t1="$t1" '{ printf "  jxzp first screen of every form / vd on a terminal: %.4f\n", $1 / (t1 - t0) }'
else
	echo "VisiData is not installed (apt-get install -y visidata): no comparison"
fi
