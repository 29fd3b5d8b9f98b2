#!/bin/sh
# files.sh: forms in the files they come in, through the real binary: the
# 30 sample .xlsx imported and checked; the XLSX export imported back field
# for field; bad files refused with one line naming the file, exit 2 (or 1
# for "read, but no form"), nothing imported.
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
nforms() { "$JXZP" --db "$1" export --all --format json | grep -c '"project"'; }
# the fields of every form, without what a database gives them
fields() { "$JXZP" --db "$1" export --all --format json |
	grep -v '"id"\|"uuid"\|"status"\|"updated"\|"version"'; }
# figures() as fields(), each figure as its value: the XLSX prints the
# paper's cells (every 得分 with two decimals, "—" where the paper has no
# figure), so "10" comes back "10.00" and an empty 执行率 "—"; the same figure
# and the same absence, field for field
figures() { fields "$1" | sed -e 's/"\([0-9][0-9]*\)\.\([0-9]*[1-9]\)\{0,1\}0*"/"\1.\2"/g' \
	-e 's/"\([0-9][0-9]*\)\."/"\1"/g' -e 's/"—"/""/g'; }

run "$JXZP" --version
case $out in
*xlsx*) ;;
*) echo "1..0 # SKIP this build reads no .xlsx (libzip-dev, libexpat1-dev)"; exit 0 ;;
esac
ok "jxzp --version lists xlsx among the formats it reads"

# the format is the content's: a .xlsx named .txt is still read
cp "$F/files/fengtai-2023/01.xlsx" "$T/named-wrong.txt"
run j check "$T/named-wrong.txt"
contains "$out" "2023 机房硬件维护及施工维修维护" "a workbook named .txt is read as a workbook"

run j import "$F"/files/*/*.xlsx
is "$rc" 0 "the 30 sample .xlsx import"
is "$(nforms "$DB")" 30 "... 30 forms"

case $("$JXZP" --version) in
*docx*)
	run "$JXZP" --db "$T/docx.db" import "$F"/files/*/*.docx
	is "$rc" 0 "the 30 sample .docx import"
	is "$(nforms "$T/docx.db")" 30 "... 30 forms" ;;
*) ok "# SKIP this build reads no .docx" ;;
esac
case $("$JXZP" --version) in
*xls\ *|*xls) 
	run "$JXZP" --db "$T/xls.db" import "$F"/files/*/*.xls
	is "$(nforms "$T/xls.db")" 30 "the 30 sample .xls import (exit $rc: a target libfreexl gives as empty is a finding, not a refusal)" ;;
*) ok "# SKIP this build reads no .xls" ;;
esac

# round trip: exported as XLSX, imported back, the same fields
run j export --all --format xlsx -o "$T/all.xlsx"
is "$rc" 0 "export --format xlsx"
run "$JXZP" --db "$T/back.db" import "$T/all.xlsx"
is "$rc" 0 "the exported workbook imports back"
is "$(nforms "$T/back.db")" 30 "... all 30 forms, one per sheet"
figures "$DB" > "$T/a.json"
figures "$T/back.db" > "$T/b.json"
check "... field for field (each figure as its value)" cmp -s "$T/a.json" "$T/b.json"
diff "$T/a.json" "$T/b.json" | head -n 10 | sed 's/^/# /'


# several forms on one sheet: the fengtai text's 20 forms, cell for cell
if need python3 python3; then
	python3 - "$F/fengtai-2023.txt" "$T/one-sheet.xlsx" <<'PY'
import sys, zipfile
from xml.sax.saxutils import escape
rows = []
for r, line in enumerate(open(sys.argv[1], encoding="utf-8").read().split("\n"), 1):
    cells = "".join('<c r="%s%d" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>'
                    % (chr(65 + c) if c < 26 else "A" + chr(65 + c - 26), r, escape(v))
                    for c, v in enumerate(line.split("\t")) if v and c < 52)
    rows.append('<row r="%d">%s</row>' % (r, cells))
with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("xl/workbook.xml", '<workbook xmlns:r="r"><sheets><sheet name="all" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>')
    z.writestr("xl/worksheets/sheet1.xml", '<worksheet><sheetData>%s</sheetData></worksheet>' % "".join(rows))
PY
	run "$JXZP" --db "$T/one.db" import "$T/one-sheet.xlsx"
	is "$rc" 0 "twenty forms on one sheet import"
	is "$(nforms "$T/one.db")" 20 "... as twenty forms"
	run "$JXZP" --db "$T/onetext.db" import "$F/fengtai-2023.txt"
	# the goals hold the text's <p> markup, which only the text reader undoes
	fields "$T/one.db" | grep -v '"goals"' > "$T/one.json"
	fields "$T/onetext.db" | grep -v '"goals"' > "$T/onetext.json"
	check "... with the text's fields (the goals aside: raw <p> markup here)" cmp -s "$T/one.json" "$T/onetext.json"
fi

# a row the reader cannot place is that form's problem, printed under it
# with the file, row, sheet, form number and unit; the form is not imported
if need python3 python3; then
	python3 - "$T" <<'PY'
import sys, zipfile
# sheet 1: a whole form; sheet 2: a form whose 项目资金 has a line it cannot place
def sheet(rows):
    out=[]
    for r,cells in enumerate(rows,1):
        out.append('<row r="%d">%s</row>' % (r, "".join('<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>' % (chr(65+c), r, v) for c,v in enumerate(cells) if v)))
    return '<worksheet><sheetData>%s</sheetData></worksheet>' % "".join(out)
form = [["项目支出绩效自评表"],["（2023年度）"],["项目名称","测试项目"],["主管部门","部门","实施单位","单位甲"],
 ["项目资金（万元）","","年初预算数","全年预算数（A）","全年执行数（B）","分值","执行率","得分"],
 ["","年度资金总额","100","100","90","10","90%","9"]]
tail=[["年度总体目标","预期目标","实际完成情况"],["","做好运维","已做好运维"],
 ["绩效指标","一级指标","二级指标","三级指标","年度指标值（A）","实际完成值（B）","分值","得分"],
 ["","产出指标","数量指标","指标一","≥95%","96%","90","90"],["总分","100","99","优"]]
with zipfile.ZipFile(sys.argv[1] + "/two-sheets.xlsx", "w") as z:
    z.writestr("xl/workbook.xml", '<workbook xmlns:r="r"><sheets><sheet name="甲" sheetId="1" r:id="rId1"/><sheet name="乙" sheetId="2" r:id="rId2"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Target="worksheets/sheet2.xml"/></Relationships>')
    z.writestr("xl/worksheets/sheet1.xml", sheet(form+tail))
    z.writestr("xl/worksheets/sheet2.xml", sheet([[c.replace("测试项目","项目二") for c in r] for r in form]+[["","备注","某某","某某"]]+tail))
PY
	run "$JXZP" check "$T/two-sheets.xlsx"
	is "$rc" 1 "check of a form with a row it cannot place exits 1"
	contains "$out" "#2  项目二" "... the second sheet's form is listed"
	contains "$out" "two-sheets.xlsx:7: 乙: line not understood in 项目资金, left out (form 2, 单位甲)" "... with the row's problem under it: file, row, sheet, form, unit"
	run "$JXZP" --db "$T/two.db" import "$T/two-sheets.xlsx"
	is "$rc" 1 "import of it exits 1"
	is "$(nforms "$T/two.db")" 1 "... and imports the readable form only"
fi

# ---- bad files ------------------------------------------------------------------
BAD="$T/bad.db"
# refused FILE STATUS WHAT DESC: import exits STATUS, names the file and
# says WHAT, imports nothing; check says the same with the same status.
refused() {
	run "$JXZP" --db "$BAD" import "$1"
	is "$rc" "$2" "$4: import exits $2"
	contains "$err" "$1" "... the message names the file"
	contains "$err" "$3" "... and says why"
	is "$(nforms "$BAD")" 0 "... nothing imported"
	run "$JXZP" --db "$BAD" check "$1"
	is "$rc" "$2" "... check exits $2 too"
}

# (bad PDFs: files_pdf.sh)
case $("$JXZP" --version) in
*xls\ *|*xls)
	# a file on which libfreexl reads past a buffer (found by fuzzing)
	refused "$F/files/freexl-crash.xls" 2 "xls" "an .xls that breaks libfreexl" ;;
esac
head -c 3000 "$F/files/fengtai-2023/01.xlsx" > "$T/truncated.xlsx"
refused "$T/truncated.xlsx" 2 "truncated" "a truncated .xlsx"

if need python3 python3; then
	python3 - "$T" <<'PY'
import sys, zipfile
t = sys.argv[1]
wb = ('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
      '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
def book(name, sheet, extra=None):
    with zipfile.ZipFile(f"{t}/{name}", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", wb)
        z.writestr("xl/_rels/workbook.xml.rels", rels)
        for k, v in (extra or {}).items():
            z.writestr(k, v)
        if isinstance(sheet, str):
            z.writestr("xl/worksheets/sheet1.xml", sheet)
        else:
            with z.open("xl/worksheets/sheet1.xml", "w") as f:
                sheet(f)
head = '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
# 70 MiB of blanks: past 64 MiB
def bomb(f):
    f.write(head.encode())
    blank = b" " * (1 << 20)
    for _ in range(70):
        f.write(blank)
    f.write(b"</sheetData></worksheet>")
book("bomb.xlsx", bomb)
# 4 MiB that inflate from ~4 KiB: past 100 times its size
def ratio(f):
    f.write(head.encode())
    f.write(b" " * (4 << 20))
    f.write(b"</sheetData></worksheet>")
book("ratio.xlsx", ratio)
laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
          '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol2;</t></si></sst>')
book("entities.xlsx", head + "</sheetData></worksheet>", {"xl/sharedStrings.xml": laughs})
external = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&e;</t></si></sst>')
book("external.xlsx", head + "</sheetData></worksheet>", {"xl/sharedStrings.xml": external})
# a million rows, no form in them: streamed, read, no form found
def million(f):
    f.write(head.encode())
    for r in range(1, 1000001):
        f.write(b'<row r="%d"><c t="s"><v>%d</v></c></row>' % (r, r % 7))
    f.write(b"</sheetData></worksheet>")
sst = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
       "".join("<si><t>%d</t></si>" % i for i in range(7)) + "</sst>")
book("million.xlsx", million, {"xl/sharedStrings.xml": sst})
with zipfile.ZipFile(f"{t}/notables.docx", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
               '<w:body><w:p><w:r><w:t>只有一段文字，没有表格</w:t></w:r></w:p></w:body></w:document>')
with zipfile.ZipFile(f"{t}/other.zip", "w") as z:
    z.writestr("readme.txt", "hello")
# an encrypted Office file: an OLE2 compound file with an EncryptedPackage
with open(f"{t}/encrypted.xlsx", "wb") as f:
    f.write(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 4096)
PY
	refused "$T/bomb.xlsx" 2 "64 MiB" "a member inflating past 64 MiB"
	refused "$T/ratio.xlsx" 2 "100" "a member inflating past 100 times its size"
	refused "$T/entities.xlsx" 2 "DOCTYPE" "XML entity expansion"
	refused "$T/external.xlsx" 2 "DOCTYPE" "an external entity"
	refused "$T/other.zip" 2 "neither" "a zip that is no workbook"
	refused "$T/encrypted.xlsx" 2 "password" "a password-protected file"
	refused "$T/notables.docx" 1 "no form found" "a .docx without tables"
	refused "$T/million.xlsx" 1 "no form found" "a sheet of a million rows without a form"
fi
if need zip zip; then
	mkdir -p "$T/z/xl"
	printf '<workbook/>' > "$T/z/xl/workbook.xml"
	(cd "$T/z" && zip -q -P secret "$T/zipcrypto.xlsx" xl/workbook.xml)
	refused "$T/zipcrypto.xlsx" 2 "password" "a zip with a password"
fi

# files the samples never showed (tests/fixtures/files-probe): each imports
# as its one form, the same fields as plain.xlsx's
P="$F/files-probe"
# fields() drops an indicator's whole line with its uuid: these keep it
pfields() { "$JXZP" --db "$1" export --all --format json | sed 's/"uuid": "[^"]*"//g' |
	grep -v '"id"\|"status"\|"updated"\|"version"'; }
rm -f "$T/p0.db"
"$JXZP" --db "$T/p0.db" import "$P/plain.xlsx" >/dev/null 2>&1
pfields "$T/p0.db" > "$T/p0.fields"
for f in semicolon.csv utf16-tabs.txt hidden-row.xlsx hidden-sheets.xlsx textbox.docx placeholder.docx turned-content.pdf; do
	case $f in *.pdf) "$JXZP" --version | grep -q pdf || continue ;; esac
	rm -f "$T/p1.db"
	run "$JXZP" --db "$T/p1.db" import "$P/$f"
	pfields "$T/p1.db" > "$T/p1.fields"
	if [ "$rc" = 0 ] && [ "$(nforms "$T/p1.db")" = 1 ] && cmp -s "$T/p0.fields" "$T/p1.fields"; then
		ok "probe $f: one form, plain.xlsx's fields"
	else
		not_ok "probe $f: one form, plain.xlsx's fields (rc $rc: $(echo "$err" | head -n 1))"
		diff "$T/p0.fields" "$T/p1.fields" | head -5 | sed 's/^/# /'
	fi
done

done_testing
