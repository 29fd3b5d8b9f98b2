#!/bin/sh
# check.sh: `jxzp check` end to end (spec/cli.md, spec/rules.md): files
# and stored forms, text and JSON, rule sets, exit codes.  Expectations are
# worked out by hand from the forms (see the comments).
. "$(dirname "$0")/lib.sh"

DB="$T/a.db"
S=$JXZP_SRCDIR
F=$S/tests/fixtures/check-two.json
run() {
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	out=$(cat "$T/out")
	err=$(cat "$T/err")
}

# ---- a JSON file of two forms, not stored ------------------------------------
# form 1: 85 of a ≥ 90 target, weight 90 → 85 ÷ 90 × 90 = 85.00, printed 90: a
# warning only.  form 2: 执行率 printed 99% for 100 ÷ 100, and 90.005 over the
# weight 90: two errors.
run "$JXZP" --db "$DB" check "$F"
is "$rc" 1 "check exits 1 when a form has errors"
contains "$out" "check-two.json#1  检查示例一  99.00 优" "a heading per form: FILE#N, project, score, grade"
contains "$out" "warning 第1行·得分: score 90.00 above suggested 85.00" "a score above the rule is a warning"
contains "$out" "85.00 = 85 ÷ 90 × 90" "... that shows the arithmetic"
contains "$out" "第1行·得分" "fields are named as on the paper form"
contains "$out" "error   年度资金总额·执行率: 执行率 99% is not" "a wrong 执行率 is found"
contains "$out" "score 90.005 is above the weight 90" "a score 0.005 over its weight is an error"
contains "$out" "(0 errors, 1 warning)" "counts in the singular and the plural"
lacks "$out" "SUGGESTION" "notes are left out of the text unless asked for"
lacks "$out" "RATE_MISMATCH" "rule codes are left out of the text unless asked for"
check "... and the file was not stored" test ! -e "$DB"
run "$JXZP" --db "$DB" check --verbose "$F"
contains "$out" "SUGGESTION" "--verbose shows the notes"
contains "$out" "RATE_MISMATCH" "... and the rule codes"
# the line formats' widths count bytes, as printf's: the severity to 7, the
# code to 21 (警告 is 6 bytes: one space after it, then the separator)
contains "$out" "  warning RULE_SCORE            第1行·得分: score 90.00 above" "--verbose: severity and code in their columns"
contains "$out" "  error   RATE_MISMATCH         年度资金总额·执行率: 执行率 99%" "... for every finding"
LC_ALL=zh_CN.UTF-8 LANGUAGE=zh_CN run "$JXZP" --db "$DB" check "$F"
contains "$out" "检查示例一  99.00 优  （0 个错误，1 个警告）" "Chinese: the counts in the catalogue's words"
contains "$out" "
  警告  第1行·得分：得分 90.00 高于建议得分 85.00" "Chinese: 警告 padded to 7 bytes, the catalogue's line format"

run "$JXZP" --db "$DB" check --format json "$F"
is "$rc" 1 "JSON: the same exit status"
contains "$out" '"form": "' "JSON: form is FILE#N for a file"
contains "$out" '"code": "RATE_MISMATCH"' "JSON: findings carry their code"
contains "$out" '"expected": "100%"' "JSON: ... the expected value"
contains "$out" '"found": "99%"' "JSON: ... and the value found"
contains "$out" '"field": "funds.total.rate"' "JSON: ... and the field path"
# SQLite's JSON functions read it back (sqlite3 comes with ./quickstart).
if need sqlite3 sqlite3; then
	is "$(sqlite3 :memory: "SELECT CASE WHEN json_valid(j) THEN json_array_length(j) = 2 AND
		json_extract(j, '\$[0].findings[0].code') = 'RULE_SCORE' ELSE 0 END
		FROM (SELECT CAST(readfile('$T/out') AS TEXT) AS j)")" 1 \
		"JSON: the output is one valid array of two forms"
fi

# ---- the published 2021 form: the rules against what it printed ---------------
# 合同签订时间 2021年6月前 done 2021年12月: late, 6 ÷ 12 × 2 = 1; five rows under
# their weight have no 偏差 text.
run "$JXZP" --db "$DB" check "$S/data/beijing-cppcc-2021.txt"
is "$rc" 1 "the 2021 sample has errors"
contains "$out" "政协委员履职平台专项运维  87.40 良" "... its total 87.40 is 良"
contains "$out" "1.00 = 6 ÷ 12 × 2" "... the late contract is 1 of 2"
contains "$out" "第9行·实际完成值（B）" "... named on its row"
# the linear rule set also wants 偏差 where B ≥ 130 % of A (漏洞扫描 2 of 1)
run "$JXZP" --db "$DB" check --rules linear "$S/data/beijing-cppcc-2021.txt"
contains "$out" "130%" "--rules linear applies its own rules"

# ---- stored forms --------------------------------------------------------------
"$JXZP" --db "$DB" import "$F" >/dev/null 2>&1
run "$JXZP" --db "$DB" check 1
is "$rc" 0 "a stored form with warnings only exits 0"
contains "$out" "1  检查示例一" "the heading names the form by its id"
run "$JXZP" --db "$DB" check --all --format json
is "$rc" 1 "--all checks every stored form"
contains "$out" '"form": 2' "JSON: form is the id for a stored form"

# ---- JSON strings as jansson writes them ----------------------------------------
# Project names with every kind of byte the writer escapes, before, inside
# and after eight plain bytes (it copies eight at a time while none needs
# escaping), and text that is not UTF-8, which is written as null.
sqlite3 "$DB" "UPDATE form SET project = 'a\"b\\c' || char(9) || char(1) || 'd' || char(10) || '中文' || char(127)
	WHERE rowid = 1;
UPDATE form SET project = CAST(X'31323334353637382231323334353637385C3132333435363738E4B8AD1F' AS TEXT)
	WHERE rowid = 2" || not_ok "sqlite3 could not change the projects"
run "$JXZP" --db "$DB" check --all --format json
contains "$out" '"project": "a\"b\\c\t\u0001d\n中文'"$(printf '\177')"'",' "JSON: quote, backslash, tab, a control as \u00XX, a newline"
contains "$out" '"project": "12345678\"12345678\\12345678中\u001F",' "JSON: escapes after runs of eight plain bytes"
sqlite3 "$DB" "UPDATE form SET project = CAST(X'4142434445464748C0AF' AS TEXT) WHERE rowid = 1" ||
	not_ok "sqlite3 could not change the project"
run "$JXZP" --db "$DB" check --all --format json
contains "$out" '"project": null,' "JSON: text that is not UTF-8 is null"
printf '%s\n' "$out" | python3 -c 'import json, sys; json.load(sys.stdin)' >/dev/null 2>&1
is "$?" 0 "JSON: --all prints one valid JSON document"

# ---- usage -------------------------------------------------------------------
run "$JXZP" --db "$DB" check
is "$rc" 2 "no form named: usage, exit 2"
run "$JXZP" --db "$DB" check --all 1
is "$rc" 2 "--all with ids: usage, exit 2"
run "$JXZP" --db "$DB" check --rules nope 1
is "$rc" 2 "an unknown rule set: exit 2"
contains "$err" "beijing, linear" "... and the known ones are named"
run "$JXZP" --db "$DB" check "$T/missing.txt"
is "$rc" 2 "a missing file: exit 2"
contains "$err" "missing.txt" "... with the file named"
run "$JXZP" --db "$DB" check 999
is "$rc" 2 "a missing form: exit 2"
run "$JXZP" --db "$DB" check --format xml 1
is "$rc" 2 "an unknown format: exit 2"

done_testing
