#!/bin/sh
# import_csv.sh: a sheet saved as CSV and text in GB18030, through the real
# binary: the 30 sample CSVs import as the 30 forms their workbooks hold, a
# GB18030 file imports with a note saying so and the same fields as its
# UTF-8 original, and a CSV cut inside a quoted cell is refused with one
# line naming the file, exit 2, nothing imported.
. "$(dirname "$0")/lib.sh"
require sqlite3 sqlite3

run() {
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	out=$(cat "$T/out")
	err=$(cat "$T/err")
}
F="$JXZP_SRCDIR/tests/fixtures"
nforms() { sqlite3 "$1" "SELECT count(*) FROM form"; }
fields() { "$JXZP" --db "$1" export --all --format json |
	grep -v '"id"\|"uuid"\|"status"\|"updated"\|"version"'; }

run "$JXZP" --version
contains "$out" "csv" "jxzp --version lists csv among the formats it reads"

run "$JXZP" --db "$T/csv.db" import "$F"/files/*/[0-9][0-9].csv
is "$rc" 0 "the 30 sample CSVs import"
is "$(nforms "$T/csv.db")" 30 "... 30 forms in the database"
is "$(sqlite3 "$T/csv.db" "SELECT count(*) FROM form WHERE project = '2023 机房硬件维护及施工维修维护' AND unit = '北京市丰台区大数据管理中心'")" 1 \
	"... the first fengtai form with its project and unit"

# GB18030: the same forms as the UTF-8 text, and a note
run "$JXZP" --db "$T/gb.db" import "$F/fengtai-2023.gb18030.txt"
is "$rc" 0 "a GB18030 text file imports"
contains "$err" "GB18030" "... with a note that it was read as GB18030"
run "$JXZP" --db "$T/utf8.db" import "$F/fengtai-2023.txt"
is "$(nforms "$T/gb.db")" 20 "... its 20 forms"
fields "$T/gb.db" >"$T/gb.json"
fields "$T/utf8.db" >"$T/utf8.json"
if cmp -s "$T/gb.json" "$T/utf8.json"; then
	ok "... field for field the forms of its UTF-8 original"
else
	not_ok "... field for field the forms of its UTF-8 original"
	diag "$(diff "$T/utf8.json" "$T/gb.json" | head -5)"
fi
LANG=zh_CN.UTF-8 LANGUAGE=zh_CN run "$JXZP" --db "$T/gbzh.db" import "$F/files/fengtai-2023/02.gb18030.csv"
contains "$err" "已按 GB18030 读入" "... the note in Chinese under zh_CN"

# cut inside a quoted cell: refused whole
head -n 6 "$F/files/fengtai-2023/01.csv" >"$T/cut.csv"
printf ',"unfinished' >>"$T/cut.csv"
run "$JXZP" --db "$T/cut.db" import "$T/cut.csv"
is "$rc" 2 "a CSV cut inside a quoted cell: exit 2"
is "$(printf '%s\n' "$err" | wc -l)" 1 "... one line"
contains "$err" "$T/cut.csv" "... naming the file"
contains "$err" "never closed" "... saying why"
is "$(nforms "$T/cut.db" 2>/dev/null || echo 0)" 0 "... nothing imported"

done_testing
