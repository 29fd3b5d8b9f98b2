#!/bin/sh
# input_rule: one rule for what comes in (issue 15; src/input.c).  Valid
# UTF-8 only, no control characters (a newline only in the multi-line
# fields), one length limit per field; the same message whether the text
# comes from `set`, an importer or a bundle, and nothing changes.
. "$(dirname "$0")/lib.sh"
require sqlite3 sqlite3
DB=$T/j.db
j() { "$JXZP" --db "$DB" "$@"; }
q() { sqlite3 -cmd ".timeout 5000" "$DB" "$1"; }
id=$(j new --unit U --year 2024 --project P)
check "a form" test -n "$id"
before=$(q "select version from form")

# refused CMD... DESC EXPECT: exit 1, the message, and the form unchanged
refused() {
	_d=$1 _e=$2; shift 2
	"$@" > /dev/null 2> "$T/err"; _rc=$?
	if [ "$_rc" = 1 ] && grep -qF -- "$_e" "$T/err" && [ "$(q "select version from form")" = "$before" ]; then
		ok "$_d"
	else
		not_ok "$_d"; diag "exit $_rc, version $(q "select version from form") (was $before)" "$(cat "$T/err")"
	fi
}
refused "set: invalid UTF-8 is refused" "项目名称: not valid UTF-8 text" j set "$id" "project=$(printf 'a\377b')"
refused "set: an escape is refused" "项目名称: holds a control character (U+001B)" \
	j set "$id" "project=$(printf 'x\033]0;t\007')"
refused "set: a C1 control is refused" "主管部门: holds a control character (U+009B)" \
	j set "$id" "department=$(printf 'x\302\233y')"
refused "set: a newline in a one-line field is refused" "this field is one line" \
	j set "$id" "project=$(printf 'a\nb')"
refused "set: 5 KB in a one-line field is refused" "项目名称: too long (5000 bytes; a field holds at most 4096)" \
	j set "$id" "project=$(head -c 5000 /dev/zero | tr '\0' x)"
refused "set: 120 KB in 预期目标 is refused" "too long (120000 bytes; a field holds at most 65536)" \
	j set "$id" "goals.expected=$(head -c 120000 /dev/zero | tr '\0' x)"
refused "set: one bad field of two changes neither" "holds a control character" \
	j set "$id" "lead=ok" "phone=$(printf '1\0012')"
j set "$id" "goals.expected=$(printf 'line one\nline two')" > /dev/null 2> "$T/err"
is "$?" 0 "set: a newline in 预期目标 (multi-line) is fine"
before=$(q "select version from form")

# importers: JSON and text
# another form's uuid (the first uuid is the form's), so only the text differs
j export "$id" | sed '0,/"uuid": "[^"]*"/s//"uuid": "0b7e4c1a-3f2d-4e5b-9a6c-1d2e3f4a5b6c"/' > "$T/f.json"
sed 's/"project": "P"/"project": "Q\\u001b[2J"/' "$T/f.json" > "$T/bad.json"
j import "$T/bad.json" > /dev/null 2> "$T/err"; rc=$?
is "$rc" 1 "import of JSON with an escape in 项目名称: refused (exit 1)"
contains "$(cat "$T/err")" "项目名称: holds a control character (U+001B)" "... with the same message as set"
is "$(q "select count(*) from form")" 1 "... and nothing imported"
awk '{ i = index($0, "\"project\": \"P\"")
	if (!i) { print; next }
	printf "%s\"project\": \"", substr($0, 1, i - 1); fflush()
	system("head -c 10000000 /dev/zero | tr \"\\0\" y")
	printf "\"%s\n", substr($0, i + 14) }' "$T/f.json" > "$T/big.json"
j import "$T/big.json" > /dev/null 2> "$T/err"; rc=$?
is "$rc" 1 "import of a 10 MB project name: refused (exit 1)"
contains "$(cat "$T/err")" "项目名称: too long (10000000 bytes" "... saying it is too long"
sed '7s/维护\t/维护'"$(printf '\033')"'[31m\t/' "$JXZP_SRCDIR/tests/fixtures/fengtai-2023.txt" > "$T/esc.txt"
j import "$T/esc.txt" > /dev/null 2> "$T/err"; rc=$?
is "$rc" 1 "import of text with an escape in a project name: refused (exit 1)"
contains "$(cat "$T/err")" "holds a control character (U+001B)" "... with the same message"
is "$(q "select count(*) from form")" 1 "... and nothing imported"

# a bundle carrying a control character (written into its database by hand)
A=$T/a.db O=$T/o.db
"$JXZP" --db "$A" new --unit 单位 --year 2024 --project 项目 > /dev/null
"$JXZP" --db "$O" key show > /dev/null
exchange_keys "$O" 单位 "$A"	# a trusted sender: the text is what is refused
sqlite3 "$A" "update form set lead = 'x' || char(27) || '[2J'"
"$JXZP" --db "$A" bundle create --all -o "$T/b.jxzb" > /dev/null 2>&1
"$JXZP" --db "$O" bundle apply "$T/b.jxzb" > /dev/null 2> "$T/err"; rc=$?
check "bundle apply of a bundle with an escape in 负责人: refused" test "$rc" != 0
contains "$(cat "$T/err")" "holds a control character (U+001B)" "... with the same message"
is "$(sqlite3 "$O" "select count(*) from form" 2>/dev/null || echo 0)" 0 "... and nothing of it applied"
done_testing
