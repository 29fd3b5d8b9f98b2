#!/bin/sh
# suite_lists: every test in the tree is in the suite.
#
# make check runs only what Makefile.am lists; a test file left out of it (a
# merge once put a SOURCES line in place of two) passes silently by never
# running.  Each tests/unit/test_*.c must be a UNIT_TESTS entry and each
# tests/e2e/*.sh an E2E_TESTS entry, except the libraries they source.
. "${JXZP_SRCDIR:-$(dirname "$0")/../..}/tests/e2e/lib.sh"

cd "$JXZP_SRCDIR" || exit 1
m=Makefile.am
check "Makefile.am is in the source tree" [ -f "$m" ]
missing=
for f in tests/unit/test_*.c; do
	t=${f%.c}
	grep -qx "UNIT_TESTS += $t" "$m" || missing="$missing $f"
done
is "$missing" "" "every tests/unit/test_*.c is in UNIT_TESTS"
missing=
for f in tests/e2e/*.sh; do
	case ${f##*/} in lib.sh | screen_lib.sh) continue ;; esac
	grep -qx "E2E_TESTS += $f" "$m" || missing="$missing $f"
done
is "$missing" "" "every tests/e2e/*.sh is in E2E_TESTS (lib.sh, screen_lib.sh are sourced)"
# and the other way: a listed test that is not there would fail to build
gone=
for t in $(sed -n 's/^\(UNIT\|E2E\)_TESTS += //p' "$m"); do
	case $t in *.sh) [ -f "$t" ] ;; *) [ -f "$t.c" ] ;; esac || gone="$gone $t"
done
is "$gone" "" "every listed test has its file"
done_testing
