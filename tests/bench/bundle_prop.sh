#!/bin/sh
# bundle_prop.sh [SEEDS]: the four-machine merge property (issue 21) over
# many seeds (default 1000), beside its floor.
#
# Runs build/tests/unit/test_bundle_prop with JXZP_PROP_SEEDS=SEEDS: each
# seed, two clerks, an office and a second office make 40 random steps
# (edits, rows, form deletes, 实施单位 changes, decisions, bundles in random
# order, some lost and resent), then exchange until quiet, and the three
# properties are checked (see the test's comment).  The floor is the same
# seeds with no random steps (JXZP_PROP_STEPS=0): four databases made, the
# forms shared and the final exchange.  Reported: seeds passed, conflicts
# left for people, wall and CPU seconds for each, and CPU per seed above
# the floor.  Not part of make check (timed); make check runs 150 seeds.
#
#   tests/bench/bundle_prop.sh           # 1000 seeds
#   tests/bench/bundle_prop.sh 5000
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${PROP:-$top/build/tests/unit/test_bundle_prop}
seeds=${1:-1000}
[ -x "$bin" ] || { echo "bundle_prop.sh: $bin not built (make -C build check first)" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/jxzp-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM

run() {	# run NAME STEPS: sets wall, cpu, line
	t0=$(date +%s.%N)
	if ! JXZP_PROP_SEEDS=$seeds JXZP_PROP_STEPS=$2 /usr/bin/time -f '%U %S' -o "$T/time" \
		"$bin" > "$T/out" 2>&1; then
		grep -E 'ERROR|seed' "$T/out" | head -5 >&2
		echo "bundle_prop.sh: $1 failed" >&2
		exit 1
	fi
	t1=$(date +%s.%N)
	wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
	cpu=$(awk '{ printf "%.2f", $1 + $2 }' "$T/time")
	line=$(grep -o 'property.*' "$T/out" | head -1)
}
run floor 0
fwall=$wall fcpu=$cpu
printf '%-30s %8s s wall %8s s cpu   %s\n' "floor (no random steps)" "$fwall" "$fcpu" "$line"
run property 40
printf '%-30s %8s s wall %8s s cpu   %s\n' "property (40 steps/seed)" "$wall" "$cpu" "$line"
awk -v c="$cpu" -v f="$fcpu" -v n="$seeds" 'BEGIN {
	printf "cpu per seed: %.1f ms (floor %.1f ms, %.2fx the floor)\n", 1000 * c / n, 1000 * f / n, (f > 0 ? c / f : 0) }'
