#!/bin/sh
# ttyout: the output rule (issue 15).  A project and unit name holding
# ESC ] 0 ; title BEL ESC [ 2 J (as an old database or a received bundle may
# hold them) reach a terminal as visible placeholders from every command
# that prints them; a file written with -o keeps them exact.
. "$(dirname "$0")/lib.sh"
require script bsdutils
require sqlite3 sqlite3
DB=$T/j.db
j() { JXZP_DB=$DB "$JXZP" "$@"; }
# tty CMD...: the command's standard output on a terminal (script(1))
tty() {
	_c=
	for _a in "$@"; do _c="$_c '$_a'"; done
	JXZP_DB=$DB script -qec "$_c" /dev/null < /dev/null
}
id=$(j import "$JXZP_SRCDIR/data/fengtai-2023.txt" | head -n 1 | cut -f 1)
check "a form" test -n "$id"
esc=$(printf '\033')
bel=$(printf '\007')
# the bytes go straight into the database: the input rule refuses them
sqlite3 "$DB" "update form set project = project || char(27) || ']0;title' || char(7) || char(27) || '[2J',
	unit = unit || char(27) || '[31m' where rowid = (select min(rowid) from form)"
check "the escapes are stored" test "$(sqlite3 "$DB" "select count(*) from form where instr(project, char(27)) > 0")" = 1

for cmd in "check $id" "check --all" "check --all -v" "show $id" "list" "summary" \
	"summary --format csv" "export $id --format csv" "export $id --format txt" "comments $id" \
	"bundle create --all -o $T/b.jxzb" "bundle verify $T/b.jxzb"; do
	out=$(tty "$JXZP" $cmd 2>&1)
	case $out in
	*"$esc"*|*"$bel"*) not_ok "$cmd on a terminal: no raw escape"; diag "$(printf '%s' "$out" | od -c | grep -m 3 '033')" ;;
	*) ok "$cmd on a terminal: no raw escape" ;;
	esac
done
out=$(tty "$JXZP" check "$id")
contains "$out" "␛]0;title␇␛[2J" "check shows the escapes as ␛ … ␇"
j export "$id" --format csv -o "$T/out.csv" 2>/dev/null
check "export -o FILE keeps the data exact" grep -q "$esc\]0;title$bel" "$T/out.csv"
j export "$id" --format csv > "$T/pipe.csv"
check "... and so does standard output that is not a terminal" grep -q "$esc\[2J" "$T/pipe.csv"
done_testing
