#!/bin/sh
# cli.sh: the command line end to end (spec/cli.md): new, list, show, set
# with history, export → import → export, exit codes, where the database is,
# the review flow, and that no control character reaches a terminal raw.
. "$(dirname "$0")/lib.sh"

require sqlite3 sqlite3
DB="$T/a.db"
j() { "$JXZP" --db "$DB" "$@"; }
# run CMD...: sets $out, $err and $rc
run() {
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	out=$(cat "$T/out")
	err=$(cat "$T/err")
}
ESC=$(printf '\033')

# ---- usage and exit codes ------------------------------------------------------
run "$JXZP" --version
is "$rc" 0 "--version exits 0"
contains "$out" "jxzp 0." "--version names the program and version"
run "$JXZP" --help
is "$rc" 0 "--help exits 0"
for cmd in new list show set delete import export check submit return approve open review demo; do
	contains "$out" "  $cmd " "--help lists $cmd"
done
for cmd in "bundle create" "bundle verify" "bundle apply" conflicts resolve; do
	contains "$out" "  $cmd " "--help lists $cmd"
done
contains "$out" "--db FILE" "--help lists --db"
run "$JXZP" frobnicate
is "$rc" 2 "an unknown command exits 2"
is "$(wc -l <"$T/err")" 1 "... with one line on stderr"
contains "$err" "frobnicate" "... naming the command"
run "$JXZP" --db "$DB" list --colour
is "$rc" 2 "an unknown option exits 2"
contains "$err" "--colour" "... naming it"
run "$JXZP" --db "$DB" new --unit U --year 2024
is "$rc" 2 "new without --project exits 2"
run "$JXZP" --db "$DB" import "$T/no-such-file.json"
is "$rc" 2 "import of a missing file exits 2"
contains "$err" "no-such-file.json" "... naming the file"
check "... and creates no database" test ! -e "$DB"
run "$JXZP" --db "$DB" bundle
is "$rc" 2 "bundle without create, verify or apply: exit 2"
contains "$err" "create, verify or apply" "... and says what it wants"
run "$JXZP" --db "$DB" </dev/null
is "$rc" 2 "no command and no terminal: exit 2, not a hang"

# ---- new, list, show -------------------------------------------------------------------
run j new --unit 北京市朝阳区数据局 --year 2024 --project 互联网接入服务 --department 北京市朝阳区人民政府
is "$rc" 0 "new exits 0"
id1=$out
case $id1 in ''|*[!0-9]*) not_ok "new prints an id (got '$id1')" ;; *) ok "new prints an id" ;; esac
check "the database is created mode 0600" test "$(stat -c %a "$DB")" = 600
run j new --unit 北京市朝阳区数据局 --year 2024 --project 互联网接入服务
is "$rc" 2 "a second form with the same unit, year and project is refused"
contains "$err" "$id1" "... naming the form that has them"
run j new --unit 丰台区大数据管理中心 --year 2023 --project "机房维护" --layout district-2023
id2=$out
is "$rc" 0 "a second form"
run j new --unit X --year 2023 --project Y --layout district-2099
is "$rc" 2 "an unknown layout is refused"
run j new --unit X --year 20x3 --project Y
is "$rc" 2 "a bad year is refused"

run j show 999999
is "$rc" 2 "show of an unknown id exits 2"
contains "$err" "999999" "... naming the id"
contains "$err" "$DB" "... and the database"
run j show abc
is "$rc" 2 "show of a non-number exits 2"

run j list --format json
is "$rc" 0 "list --format json exits 0"
n=$(printf '%s\n' "$out" | grep -c '"id": ')
is "$n" 2 "list --format json has both forms"
contains "$out" "\"id\": $id1, \"year\": 2024, \"unit\": \"北京市朝阳区数据局\", \"project\": \"互联网接入服务\", \"status\": \"draft\"" \
	"list JSON has id, year, unit, project, status in that order"
contains "$out" '"score": ' "list JSON has score"
contains "$out" '"updated": "' "list JSON has updated"
run j list --year 2023 --format json
is "$(printf '%s\n' "$out" | grep -c '"id": ')" 1 "list --year filters"
run j list --unit 北京市朝阳区数据局 --format json
contains "$out" "\"id\": $id1," "list --unit keeps the unit's form"
lacks "$out" "\"id\": $id2," "list --unit leaves the others out"
run j list --status submitted --format json
is "$out" "[]" "list --status submitted: none yet"
run j list --status lost
is "$rc" 2 "list --status with an unknown status exits 2"

# The table: columns line up in terminal columns, CJK counting two.
run j list
is "$rc" 0 "list exits 0"
# the STATUS column starts at the same display column on every line:
# the text before it is ASCII and CJK (3 bytes, 2 columns), so its width
# is bytes - (bytes - characters) / 2
cols=$(printf '%s\n' "$out" | while IFS= read -r line; do
	pre=${line%%draft*}
	[ "$pre" = "$line" ] && pre=${line%%STATUS*}
	b=$(printf '%s' "$pre" | wc -c) m=$(printf '%s' "$pre" | wc -m)
	echo $((b - (b - m) / 2))
done | sort -u)
is "$cols" 48 "list table: the status column is aligned, CJK counted as two columns"

# ---- set, with history -------------------------------------------------------------------
run j set "$id1" funds.total.budget=738.62892 funds.total.spent=７３８．６２８９２ "goals.expected=保障全区互联网接入"
is "$rc" 0 "set exits 0"
uuid=$(sqlite3 "$DB" "SELECT form_uuid FROM form_local WHERE id = $id1")
is "$(sqlite3 "$DB" "SELECT count(*) FROM history WHERE form_uuid = '$uuid' AND path = 'funds.total.budget' AND new_value = '738.62892'")" 1 \
	"set wrote a history row for funds.total.budget"
is "$(sqlite3 "$DB" "SELECT count(*) FROM history WHERE form_uuid = '$uuid' AND path = 'funds.total.spent' AND new_value = '738.62892'")" 1 \
	"... and for funds.total.spent, full-width digits saved plain (README: one spelling)"
run j set "$id1" funds.total.budget=100
is "$(sqlite3 "$DB" "SELECT old_value FROM history WHERE form_uuid = '$uuid' AND path = 'funds.total.budget' AND new_value = '100'")" 738.62892 \
	"the history row keeps the old value"
run j set "$id1" funds.total.budget=738.62892
run j show "$id1" --format json
contains "$out" '"budget": "738.62892"' "show --format json: the figure as typed"
contains "$out" '"spent": "738.62892"' "show --format json: full-width digits saved plain"
contains "$out" "\"id\": $id1, \"status\": \"draft\"" "show --format json has id and status"
run j set "$id1" no.such.path=1
is "$rc" 2 "set of an unknown path exits 2"
contains "$err" "no.such.path" "... naming the path"
run j set "$id1" project=改过 nonsense
is "$rc" 2 "set with an argument that is not PATH=VALUE exits 2"
run j show "$id1" --format json
contains "$out" '"project": "互联网接入服务"' "... and changed nothing, not even the valid part"
run j set "$id1" "indicators[3].actual=95%"
is "$rc" 2 "set of an indicator row that does not exist exits 2"

# control and escape characters: refused by set (the input rule, issue
# 15); text that holds them anyway (an older database) is never printed raw
run j set "$id2" "project=机房${ESC}[31m维护$(printf '\007')" "unit=丰台${ESC}]0;owned$(printf '\007')"
is "$rc" 1 "set refuses control characters (exit 1)"
contains "$err" "holds a control character (U+001B)" "... saying so"
sqlite3 "$DB" "UPDATE form SET project = '机房' || char(27) || '[31m维护' || char(7),
	unit = '丰台' || char(27) || ']0;owned' || char(7) WHERE uuid = (SELECT form_uuid FROM form_local WHERE id = $id2)"
run j list
lacks "$out" "$ESC" "list never prints ESC raw"
contains "$out" "机房␛[31m维护␇" "list shows ESC and BEL as visible placeholders"
run j list --format json
lacks "$out" "$ESC" "list --format json never prints ESC raw"
contains "$out" '\u001B[31m' "... but escapes it"
run j show "$id2" --format json
lacks "$out" "$ESC" "show --format json never prints ESC raw"
run j show "$id2"
lacks "$out" "$ESC" "show never prints ESC raw"
lacks "$err" "$ESC" "... not on stderr either"
run j import "$T/nothing-$ESC.json"
lacks "$err" "$ESC" "an error about a file name with ESC does not print it raw"
# as it was: an export of it would be refused on import (the input rule)
run j set "$id2" "project=机房维护" "unit=丰台区大数据管理中心"
is "$rc" 0 "set replaces text that holds control characters"

# ---- export → import into a fresh database → export again ------------------------
run j export --all --format json -o "$T/one.json"
is "$rc" 0 "export --all exits 0"
check "export -o creates the file mode 0600" test "$(stat -c %a "$T/one.json")" = 600
run "$JXZP" --db "$T/b.db" import "$T/one.json"
is "$rc" 0 "import into a fresh database exits 0"
is "$(printf '%s\n' "$out" | wc -l)" 2 "import prints one line per form"
contains "$out" "	北京市朝阳区数据局	2024	互联网接入服务" "... with unit, year and project"
run "$JXZP" --db "$T/b.db" export --all --format json -o "$T/two.json"
sed 's/"id": [0-9]*, //' "$T/one.json" >"$T/one.noid"
sed 's/"id": [0-9]*, //' "$T/two.json" >"$T/two.noid"
check "export → import → export gives the same JSON, ids aside" cmp -s "$T/one.noid" "$T/two.noid"
run "$JXZP" --db "$T/b.db" import "$T/one.json"
is "$rc" 1 "importing the same forms again exits 1"
contains "$err" "already in the database" "... and says they are already there"
is "$("$JXZP" --db "$T/b.db" list --format json | grep -c '"id": ')" 2 "... and duplicates nothing"
# the same form renamed since: its uuid still says it is the same form
"$JXZP" --db "$T/b.db" set 1 project=改了名字 >/dev/null
run "$JXZP" --db "$T/b.db" import "$T/one.json"
is "$rc" 1 "importing a form whose uuid is already there (renamed since) exits 1"
contains "$err" "the same form" "... and says it is the same form"
is "$("$JXZP" --db "$T/b.db" list --format json | grep -c '"id": ')" 2 "... and duplicates nothing"
run "$JXZP" --db "$T/c.db" import - <"$T/one.json"
is "$rc" 0 "import - reads standard input"
is "$(printf '%s\n' "$out" | wc -l)" 2 "... both forms"
run j export "$id1" 999999 --format json
is "$rc" 2 "export with an unknown id exits 2"
is "$out" "" "... and writes nothing"

# a broken JSON file: nothing imported, the file and byte named
printf '[{"project": "好"},\n {"project": "坏", "colour": "red"}]\n' >"$T/bad.json"
run "$JXZP" --db "$T/d.db" import "$T/bad.json"
is "$rc" 1 "import of a bad JSON file exits 1"
contains "$err" "bad.json: line 2" "... naming the file and line"
contains "$err" "colour" "... and the key"
is "$("$JXZP" --db "$T/d.db" list --format json)" "[]" "... and imports nothing"
printf '{"project": "\377"}' >"$T/utf.json"
run "$JXZP" --db "$T/d.db" import "$T/utf.json"
contains "$err" "byte 13" "invalid UTF-8: the byte offset is named"

# text as published, the third form cut short: the two whole ones are
# imported, the third is reported with the file and the line it starts on
head -n 60 "$JXZP_SRCDIR/data/fengtai-2023.txt" >"$T/part.txt"
third=$(grep -n '项目支出绩效自评表' "$T/part.txt" | sed -n 3p | cut -d: -f1)
run "$JXZP" --db "$T/part.db" import "$T/part.txt"
is "$rc" 1 "import of a text file with a form cut short exits 1"
is "$(printf '%s\n' "$out" | wc -l)" 2 "... the two whole forms are imported"
contains "$out" "	北京市丰台区大数据管理中心	2023	2023 机房硬件维护及施工维修维护" "... the first as printed"
contains "$err" "part.txt:$third: " "... the cut one is named with file and line"
contains "$err" "not imported" "... and said not to be imported"
is "$(sqlite3 "$T/part.db" "SELECT count(*) FROM form")" 2 "... and not stored"

# many forms in one file: one transaction; no progress bar when stderr is
# not a terminal (it would be noise in logs)
{
	echo '['
	i=1
	while [ $i -le 350 ]; do
		printf '{"project": "项目%d", "unit": "单位%d", "year": 2024}' $i $((i % 7))
		[ $i -lt 350 ] && echo ','
		i=$((i + 1))
	done
	echo ']'
} >"$T/many.json"
run "$JXZP" --db "$T/many.db" import "$T/many.json"
is "$rc" 0 "import of 350 forms exits 0"
is "$(printf '%s\n' "$out" | wc -l)" 350 "... one line each"
is "$err" "" "... and nothing on stderr when it is not a terminal"
is "$(sqlite3 "$T/many.db" "SELECT count(*) FROM form")" 350 "... all stored"
# the same 350 and then a broken one: import stores forms as it reads
# them, and the end of the file rolls all of them back
{ sed '$s/]$//' "$T/many.json"; printf ',\n{"project": tru}\n]\n'; } >"$T/many-bad.json"
run "$JXZP" --db "$T/many-bad.db" import "$T/many-bad.json"
is "$rc" 1 "350 forms and a broken 351st: exits 1"
is "$out" "" "... prints no form as imported"
contains "$err" "many-bad.json: line 353, column 13 (byte 20557): invalid token near 'tru'" "... names the broken token's line and column"
is "$(sqlite3 "$T/many-bad.db" "SELECT count(*) FROM form")" 0 "... and stores none of the 350"
# text from a pipe (copied to a temporary file: the reader reads twice)
run sh -c "cat '$T/part.txt' | '$JXZP' --db '$T/pipe.db' import -"
is "$rc" 1 "text from a pipe, the third form cut short: exits 1"
is "$(printf '%s\n' "$out" | wc -l)" 2 "... the two whole forms imported"
contains "$err" "standard input:$third: " "... the cut one named by line"
# on a terminal (script(1) gives it one) a progress bar, cleared at the end
if need script bsdutils; then
	script -qc "'$JXZP' --db '$T/many2.db' import '$T/many.json' >/dev/null" /dev/null >"$T/tty" 2>&1
	contains "$(tr '\r' '\n' <"$T/tty")" "importing [##############################] 350/350" \
		"import of 350 forms on a terminal shows a progress bar up to 350/350"
	contains "$(od -An -c "$T/tty" | tr -d ' \n')" '\r033[K' "... and clears it at the end"
	# again: each form is refused with a message on a line of its own,
	# never glued to the end of the bar
	script -qc "'$JXZP' --db '$T/many2.db' import '$T/many.json' >/dev/null" /dev/null >"$T/tty" 2>&1
	is "$(tr '\r' '\n' <"$T/tty" | grep -c 'not imported')" 350 \
		"import of the 350 again on a terminal: 350 refusals"
	is "$(tr '\r' '\n' <"$T/tty" | grep -c '/350jxzp')" 0 "... none on the bar's line"
	# export of as many shows the same bar (one helper, src/progress.c)
	script -qc "'$JXZP' --db '$T/many.db' export --all -o '$T/many-out.json'" /dev/null >"$T/tty" 2>&1
	contains "$(tr '\r' '\n' <"$T/tty")" "exporting [##############################] 350/350" \
		"export of 350 forms on a terminal shows a progress bar up to 350/350"
	contains "$(od -An -c "$T/tty" | tr -d ' \n')" '\r033[K' "... and clears it at the end"
	is "$(grep -c '"project": "项目' "$T/many-out.json")" 350 "... and writes the 350 forms"
	# check --all into a file: the bar on the terminal, the findings in the file
	script -qc "'$JXZP' --db '$T/many.db' check --all > '$T/many-check.txt'" /dev/null >"$T/tty" 2>&1
	contains "$(tr '\r' '\n' <"$T/tty")" "checking [##############################] 350/350" \
		"check --all of 350 forms into a file shows a progress bar up to 350/350"
	is "$(grep -c "$(printf '\r')" "$T/many-check.txt")" 0 "... and none of it in the file"
	# on the terminal the findings are their own progress: no bar among them
	script -qc "'$JXZP' --db '$T/many.db' check --all" /dev/null >"$T/tty" 2>&1
	lacks "$(cat "$T/tty")" "checking [" "check --all onto the terminal: no bar among the findings"
	script -qc "'$JXZP' --db '$T/many.db' export --all" /dev/null >"$T/tty" 2>&1
	lacks "$(cat "$T/tty")" "exporting [" "export --all onto the terminal: no bar among the forms"
fi
run "$JXZP" --db "$T/many.db" export --all -o "$T/many-out2.json"
is "$err" "" "export of 350 forms: nothing on stderr when it is not a terminal"

# ---- an export is written whole or not at all ----------------------------------------
# A write that fails half-way (here the file size limit; a full disk alike)
# must leave the file that was there, and no half file beside it.
mkdir "$T/exp"
echo "last year's export" > "$T/exp/forms.json"
run sh -c "trap '' XFSZ; ulimit -f 200; exec '$JXZP' --db '$T/many.db' export --all -o '$T/exp/forms.json'"
is "$rc" 2 "an export that cannot be written whole exits 2"
contains "$err" "cannot write $T/exp/forms.json" "... and says which file"
is "$(cat "$T/exp/forms.json")" "last year's export" "... the file that was there is kept"
is "$(ls "$T/exp")" "forms.json" "... and no half-written file is left beside it"
run sh -c "trap '' XFSZ; ulimit -f 200; exec '$JXZP' --db '$T/many.db' export --all -o '$T/exp/new.json'"
check "... nor a new file made from half an export" test ! -e "$T/exp/new.json"
run "$JXZP" --db "$T/many.db" export --all --format csv -o "$T/exp/forms.json"
is "$rc" 0 "an export over an old file exits 0"
is "$(head -c 3 "$T/exp/forms.json" | od -An -tx1 | tr -d ' ')" "efbbbf" "... and replaces it"
check "... mode 0600" test "$(stat -c %a "$T/exp/forms.json")" = 600
# through a symbolic link: the file it names is written, the link stays
ln -s forms.json "$T/exp/link.json"
run "$JXZP" --db "$T/many.db" export --all -o "$T/exp/link.json"
check "an export through a symbolic link keeps the link" test -L "$T/exp/link.json"
cmp -s "$T/exp/forms.json" "$T/many-out2.json"
is "$?" 0 "... and writes the file it names"
# not a regular file (a pipe): written in place, never removed
mkfifo "$T/exp/pipe"
cat "$T/exp/pipe" > "$T/exp/piped" &
run "$JXZP" --db "$T/many.db" export --all -o "$T/exp/pipe"
wait
is "$rc" 0 "an export into a named pipe exits 0"
check "... the pipe is still a pipe" test -p "$T/exp/pipe"
cmp -s "$T/exp/piped" "$T/many-out2.json"
is "$?" 0 "... and what came through it is the export"

# ---- where the database is ------------------------------------------------------------
run env JXZP_DB="$T/env.db" "$JXZP" new --unit U --year 2024 --project P
is "$rc" 0 "\$JXZP_DB is used without --db"
check "... the file is created" test -s "$T/env.db"
run env JXZP_DB="$T/env.db" "$JXZP" --db "$T/flag.db" new --unit U --year 2024 --project Q
check "--db wins over \$JXZP_DB" test -s "$T/flag.db"
is "$(env JXZP_DB="$T/env.db" "$JXZP" list --format json | grep -c '"id": ')" 1 "... and \$JXZP_DB's database is untouched"
run "$JXZP" new --unit U --year 2024 --project R
check "the XDG default: \$XDG_DATA_HOME/jxzp/jxzp.db" test -s "$XDG_DATA_HOME/jxzp/jxzp.db"
run "$JXZP" --db "$T/deep/er/x.db" new --unit U --year 2024 --project S
is "$rc" 0 "a missing --db directory is created"
check "... and the file in it" test -s "$T/deep/er/x.db"
: >"$T/plainfile"
run "$JXZP" --db "$T/plainfile/x.db" list
is "$rc" 2 "a --db directory that cannot be made: exit 2"
is "$(wc -l <"$T/err")" 1 "... one line"
contains "$err" "$T/plainfile/x.db" "... naming the file"
if [ "$(id -u)" -ne 0 ]; then
	mkdir "$T/ro" && chmod 500 "$T/ro"
	run "$JXZP" --db "$T/ro/x.db" list
	is "$rc" 2 "an unwritable --db directory: exit 2"
	contains "$err" "$T/ro/x.db" "... naming the file"
fi
printf 'This is not a database, but a letter.\n%.0s' 1 2 3 4 5 6 7 8 9 >"$T/letter.txt"
cp "$T/letter.txt" "$T/letter.orig"
run "$JXZP" --db "$T/letter.txt" list
is "$rc" 2 "a file that is not SQLite as --db: exit 2"
is "$(wc -l <"$T/err")" 1 "... one line"
contains "$err" "$T/letter.txt" "... naming the file"
check "... and the file is unchanged" cmp -s "$T/letter.txt" "$T/letter.orig"
check "... and no journal was left beside it" test ! -e "$T/letter.txt-wal"

# ---- the review flow: draft → submitted → returned → submitted → approved ----
run j import "$JXZP_SRCDIR/tests/fixtures/cli-clean.json"
is "$rc" 0 "import of a clean form"
idc=$(printf '%s\n' "$out" | cut -f1)
run j submit "$idc"
is "$rc" 0 "submit of a form without errors exits 0"
contains "$(j list --status submitted --format json)" "\"id\": $idc," "... and it is submitted"
run j set "$idc" project=改名
is "$rc" 1 "set on a submitted form is refused: exit 1"
contains "$err" "submitted" "... saying why"
contains "$(j show "$idc" --format json)" '"project": "测试项目：无错误的自评表"' "... and changes nothing"
run j return "$idc"
is "$rc" 2 "return without --reason exits 2"
run j return "$idc" --reason "请补充偏差原因"
is "$rc" 0 "return --reason exits 0"
run j approve "$idc"
is "$rc" 1 "approve of a returned form is refused: exit 1"
run j set "$idc" funds.total.spent=90
is "$rc" 0 "a returned form can be changed"
lacks "$out" "error funds.total.rate" "the computed cells follow a changed figure, as on the screen"
t=$(j show "$idc" --format json | grep '"total": {"initial"')
contains "$t" '"rate": "90.00%", "score": "9.00"' "... 执行率 and the budget's 得分 written from 90 of 100"
contains "$(j show "$idc" --format json | grep '"total": {"weight"')" '"score": "99.00"' "... and 总分 after them"
run j set "$idc" funds.total.rate=100%
contains "$out" "+ error funds.total.rate" "a computed cell set by hand stays as set, and set prints the finding it made"
contains "$out" "执行率 100% is not 全年执行数 ÷ 全年预算数 = 90 ÷ 100 = 90%" "... with its message"
lacks "$out" "[RATE_MISMATCH]" "... and no rule code (check -v and --format json have them)"
run j submit "$idc"
is "$rc" 1 "submit with error-level findings is refused: exit 1"
contains "$out" "error funds.total.rate: 执行率 100% is not" "... and lists them"
contains "$err" "error" "... saying why on stderr"
run j set "$idc" funds.total.spent=100
contains "$out" "- error funds.total.rate" "set prints the findings the change fixed"
run j submit "$idc"
is "$rc" 0 "submit again once fixed"
run j approve "$idc"
is "$rc" 0 "approve a submitted form"
run j set "$idc" project=改名
is "$rc" 1 "set on an approved form is refused: exit 1"
uuidc=$(sqlite3 "$DB" "SELECT form_uuid FROM form_local WHERE id = $idc")
is "$(sqlite3 "$DB" "SELECT count(*) FROM history WHERE form_uuid = '$uuidc' AND path = 'funds.total.spent'")" 2 \
	"the two changes of the returned form are in its history"
run j new --unit 空 --year 2024 --project 空表
run j submit "$out"
is "$rc" 1 "an empty draft cannot be submitted"
contains "$out" "is required and is empty" "... required fields are listed"

# ---- demo --------------------------------------------------------------------------
# the samples of data/ hold 1 + 20 + 9 forms (data/README.md)
run env JXZP_DB="$T/mine.db" "$JXZP" demo </dev/null
is "$rc" 0 "demo without a terminal exits 0"
is "$out" "$XDG_DATA_HOME/jxzp/demo.db: 30 forms" "demo fills \$XDG_DATA_HOME/jxzp/demo.db with the 30 sample forms"
check "... and leaves \$JXZP_DB alone" test ! -e "$T/mine.db"
run "$JXZP" demo </dev/null
is "$out" "$XDG_DATA_HOME/jxzp/demo.db: 30 forms" "demo a second time imports nothing more"
run env JXZP_DATADIR="$T/nowhere" "$JXZP" --db "$T/demo2.db" demo </dev/null
is "$rc" 0 "demo --db, with \$JXZP_DATADIR pointing nowhere, falls back to the built-in place"
run "$JXZP" --db "$XDG_DATA_HOME/jxzp/demo.db" open 999
is "$rc" 2 "open of an unknown id exits 2 before any screen"
if need tmux tmux; then
	tm_start 120 30 "$JXZP" demo
	if tm_wait "丰台区大数据管理中心" 100; then ok "demo on a terminal opens the screen on the list"
	else not_ok "demo on a terminal opens the screen on the list"; diag "$(tm_capture)"; fi
fi

# ---- a stored value that is not UTF-8 (issue 22) --------------------------------
# A database from before the checks at the door may hold such bytes: export
# writes the value all the same (\xNN for each stray byte), never null, and
# says which field.
U8DB="$T/u8.db"
"$JXZP" --db "$U8DB" new --unit U --year 2024 --project P --department D >/dev/null
sqlite3 "$U8DB" "UPDATE form SET department = CAST(X'E6B58BFF' AS TEXT); UPDATE fund SET budget = CAST(X'3130FE' AS TEXT) WHERE row = 'total';"
run "$JXZP" --db "$U8DB" export --all
is "$rc" 0 "export of a value that is not UTF-8 exits 0"
contains "$out" '"department": "测\\xFF"' "... writes it, its stray byte as \\xFF"
contains "$out" '"budget": "10\\xFE"' "... a fund cell too"
lacks "$out" '"department": null' "... never as null"
contains "$err" "department" "... and names the field on stderr"
contains "$err" "funds.total.budget" "... each field"
printf '%s\n' "$out" >"$T/u8.json"
run "$JXZP" --db "$T/u8b.db" import "$T/u8.json"
is "$rc" 0 "the export imports again"
run "$JXZP" --db "$T/u8b.db" export --all
contains "$out" '"department": "测\\xFF"' "... and exports the same value again"

# ---- delete ----------------------------------------------------------------------
run "$JXZP" --db "$T/b.db" delete 1
is "$rc" 0 "delete exits 0"
run "$JXZP" --db "$T/b.db" show 1
is "$rc" 2 "a deleted form is gone"
run "$JXZP" --db "$T/b.db" delete 1
is "$rc" 2 "deleting it again: unknown id, exit 2"

done_testing
