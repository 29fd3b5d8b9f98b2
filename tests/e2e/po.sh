#!/bin/sh
# po: the Chinese catalogue is complete and is what a Chinese locale shows.
#
# Every message of the sources (po/POTFILES.in, the same xgettext keywords as
# po/Makevars) must have a zh_CN translation that msgfmt accepts with its
# format strings checked; the built program must speak Chinese on the
# command line and on the screen.
. "${JXZP_SRCDIR:-$(dirname "$0")/../..}/tests/e2e/lib.sh"

require xgettext gettext
cd "$JXZP_SRCDIR" || exit 1
missing=
for f in src/*.c ui/*.c; do
	grep -q '\b_(\|N_(' "$f" || continue
	grep -qx "$f" po/POTFILES.in || missing="$missing $f"
done
is "$missing" "" "every source file with messages is in po/POTFILES.in"
xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ -D . -f po/POTFILES.in \
	-o "$T/jxzp.pot" 2>"$T/xgettext.err"
check "xgettext reads every file of POTFILES.in" [ -s "$T/jxzp.pot" ]
if msgcmp po/zh_CN.po "$T/jxzp.pot" 2>"$T/msgcmp.err"; then
	ok "every message has a zh_CN translation"
else
	not_ok "every message has a zh_CN translation"; diag "$(head -n 20 "$T/msgcmp.err")"
fi
check "msgfmt -c accepts zh_CN.po (format strings match)" \
	msgfmt -c --check-format -o "$T/zh_CN.mo" po/zh_CN.po
untr=$(msgattrib --untranslated --no-obsolete po/zh_CN.po | grep -c '^msgid "[^"]')
is "$untr" 0 "no untranslated or empty entries"
fuzzy=$(msgattrib --only-fuzzy --no-obsolete po/zh_CN.po | grep -c '^msgid "[^"]')
is "$fuzzy" 0 "no fuzzy entries"

# The command line: LANGUAGE picks the catalogue even in C.UTF-8.
zh=$(LANGUAGE=zh_CN LC_ALL=C.UTF-8 "$JXZP" --help 2>&1)
contains "$zh" "用法" "--help in Chinese under LANGUAGE=zh_CN"
err=$(LANGUAGE=zh_CN LC_ALL=C.UTF-8 "$JXZP" --db "$T/db" show 999 2>&1)
lacks "$err" "no form" "an error in Chinese too, not English"

# The screen under a real Chinese locale, where the machine has one.
if locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
	"$JXZP" --db "$T/db" new --unit 测试单位 --year 2024 --project 项目 >/dev/null
	tm_start 100 30 "LC_ALL=zh_CN.UTF-8 '$JXZP' --db '$T/db'"
	# tm_start sets LC_ALL=C.UTF-8 before the command: override it
	check "the forms list's key bar is Chinese" tm_wait "F1 帮助"
	check "... and so is the header" tm_wait "新建"
else
	not_ok "the zh_CN.UTF-8 locale is not generated: ./quickstart generates it (run as root)"
fi
done_testing
