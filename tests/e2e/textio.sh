#!/bin/sh
# textio.sh: forms as published in, every export out, through the real
# binary: jxzp import of the three sample files, export as CSV, printable
# text and XLSX, and what import says about damaged files.
. "$(dirname "$0")/lib.sh"

DB="$T/t.db"
j() { "$JXZP" --db "$DB" "$@"; }
run() {
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	out=$(cat "$T/out")
	err=$(cat "$T/err")
}
F="$JXZP_SRCDIR/tests/fixtures"

run j import "$F/beijing-cppcc-2021.txt" "$F/fengtai-2023.txt" "$F/chaoyang-2024-part.txt"
is "$rc" 0 "the three sample files import"
is "$(wc -l < "$T/out" | tr -d ' ')" 30 "... one line per form, 30 forms"
contains "$out" "北京市政协本级行政	2021	政协委员履职平台专项运维" "... unit, year and project of the 2021 form"
is "$err" "" "... and nothing to say about them"

# CSV: a BOM, a header, one row per indicator (14 + 112 + 55 in the samples)
run j export --all --format csv -o "$T/all.csv"
is "$rc" 0 "export --format csv exits 0"
is "$(head -c 3 "$T/all.csv" | od -An -tx1 | tr -d ' ')" "efbbbf" "... starts with a UTF-8 BOM"
is "$(grep -c "$(printf '\r')\$" "$T/all.csv")" 182 "... 181 indicator rows and a header, CRLF"
contains "$(cat "$T/all.csv")" "2024,北京市朝阳区数据局,北京市朝阳区数据局,2022-2023年朝阳区互联网接入服务,district-2024,4,成本指标,经济成本指标,24年支出金额,≤,7578290,元,7578289.2,10,10,因机构改革，738.62892万元在数据局支付，19.2万元在朝阳园支付" "... a 2024 row as printed"

# the printable form
run j export --all --format txt -o "$T/all.txt"
is "$rc" 0 "export --format txt exits 0"
txt=$(cat "$T/all.txt")
contains "$txt" "项目支出绩效自评表（2021年度）" "... the 2021 title"
contains "$txt" "项目支出绩效自评表（2024年度）" "... the 2024 title"
contains "$txt" " 152.149300 │" "... a figure in its cell"
w=$(wc -L < "$T/all.txt")
is "$w" 132 "... printed at 132 columns, the widest the printout allows"
lacks "$txt" "$(printf '\t')" "... no tab reaches the page"

# XLSX
run j export --all --format xlsx -o "$T/all.xlsx"
if [ "$rc" -ne 0 ]; then
	contains "$err" "built without XLSX export" "export --format xlsx says this build has none"
elif need unzip unzip; then
	ok "export --format xlsx exits 0"
	check "... a valid zip" unzip -tq "$T/all.xlsx"
	is "$(unzip -p "$T/all.xlsx" xl/workbook.xml | grep -o '<sheet ' | wc -l | tr -d ' ')" 30 "... one sheet per form"
	contains "$(unzip -p "$T/all.xlsx" xl/sharedStrings.xml)" "<t>738.62892</t>" "... figures as printed"
fi

# damaged files: nothing half-imported, the file and place named
DB="$T/d.db"
printf '项目支出绩效自评表\n(2023年度)\n项目名称\tA\n\377\n' > "$T/bad.txt"
run j import "$T/bad.txt"
is "$rc" 1 "invalid UTF-8: import exits 1"
contains "$err" "bad.txt" "... names the file"
contains "$err" "byte 56" "... and the byte"
head -n 18 "$F/chaoyang-2024-part.txt" > "$T/cut.txt"
run j import "$T/cut.txt"
is "$rc" 1 "a form cut short: import exits 1"
contains "$err" "cut.txt:18:" "... names the file and the line"
run j list --format json
is "$out" "[]" "... and imports nothing"

done_testing
