#!/bin/sh
# summary: counts the test cases of a "make check" run from its .trs files,
# shows every failure with its log, and ends with "N passed, N failed".
dir=${1:-.}
pass=0 fail=0 skip=0
for trs in $(find "$dir/tests" -name '*.trs' | sort); do
	log=${trs%.trs}.log
	p=$(grep -c '^:test-result: PASS' "$trs")
	f=$(grep -c -E '^:test-result: (FAIL|XPASS|ERROR)' "$trs")
	s=$(grep -c '^:test-result: SKIP' "$trs")
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
	if [ "$f" -gt 0 ]; then
		echo "---- ${log#$dir/} ----"
		grep -E '^(not ok|Bail out|#|ERROR: )' "$log" | head -n 40
	fi
	printf '%-32s %3d passed %3d failed %3d skipped\n' "$(basename "${trs%.trs}")" "$p" "$f" "$s"
done
ntrs=$(find "$dir/tests" -name '*.trs' | wc -l)
if [ "$ntrs" -eq 0 ]; then
	echo "no test results under $dir/tests: the build or 'make check' failed"
	fail=$((fail + 1))
fi
[ "$skip" -gt 0 ] && echo "$skip skipped"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
