#!/bin/sh
# manual: jxzp(1) and jxzp --help say the same things.
#
# Every subcommand and every long option that --help lists must appear in
# the manual page, and the page must format without warnings.
. "${JXZP_SRCDIR:-$(dirname "$0")/../..}/tests/e2e/lib.sh"

man="$JXZP_SRCDIR/doc/jxzp.1"
help=$(LC_ALL=C.UTF-8 LANGUAGE= "$JXZP" --help)
# the text of the page as it reads, without font escapes
page=$(sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/\\(aq/'"'"'/g' "$man")

cmds=$(printf '%s\n' "$help" | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p; s/^  \([a-z][a-z-]*\)$/\1/p' | sort -u)
[ -n "$cmds" ] || not_ok "--help lists commands"
for c in $cmds; do
	case $page in
	*"$c "*|*"$c
"*) ok "the manual has the command $c" ;;
	*) not_ok "the manual has the command $c" ;;
	esac
done
opts=$(printf '%s\n' "$help" | grep -o -- '--[a-z][a-z-]*' | sort -u)
for o in $opts; do
	contains "$page" "$o" "the manual has the option $o"
done
# A .TP entry's tag is one line: a synopsis spread over more runs into the
# description that follows ("list [--unit" / "U] ... Lists forms.").
spread=$(awk 'tp == 2 && /^\.(B|I|R|BR|BI|IR|RB|IB|RI)( |$)/ { print NR": "$0 } { tp = /^\.TP/ ? 1 : tp ? tp + 1 : 0; if (tp > 2) tp = 0 }' "$man")
is "$spread" "" "every .TP synopsis is one line (none runs into its description)"
if need groff groff-base; then
	w=$(groff -k -ww -man -Tutf8 "$man" 2>&1 >/dev/null)
	is "$w" "" "groff -ww formats the page without a warning"
fi
done_testing
