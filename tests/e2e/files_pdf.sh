#!/bin/sh
# files_pdf.sh: forms in PDF files, through the real binary: the 30 sample
# PDFs (ruled tables, drawn by LibreOffice) import and check; a PDF laid out
# without any ruling lines (text positions only, several pages) reads to the
# fields of its text; bad PDFs are refused with one line naming the file,
# exit 2, nothing imported.  The PDFs other than the samples are made here
# (python3 writes them object by object).
. "$(dirname "$0")/lib.sh"

require python3
F="$JXZP_SRCDIR/tests/fixtures"
run() {
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	out=$(cat "$T/out")
	err=$(cat "$T/err")
}
nforms() { "$JXZP" --db "$1" export --all --format json | grep -c '"project"'; }

case $("$JXZP" --version) in
*pdf*) ;;
*)
	# a build without MuPDF says so for a PDF, and reads nothing from it
	cp "$F/files/fengtai-2023/01.pdf" "$T/a.pdf"
	run "$JXZP" --db "$T/none.db" import "$T/a.pdf"
	is "$rc" 2 "without MuPDF a PDF is refused: exit 2"
	contains "$err" "libmupdf-dev" "... naming the Debian package that adds PDF"
	done_testing
	exit
	;;
esac
ok "jxzp --version lists pdf among the formats it reads"

# ---- the samples ------------------------------------------------------------------
run "$JXZP" --db "$T/s.db" import "$F"/files/*/*.pdf
is "$rc" 0 "the 30 sample PDFs import"
is "$(nforms "$T/s.db")" 30 "... 30 forms"
run "$JXZP" check "$F"/files/*/*.pdf
is "$rc" 1 "check reads them too (exit 1: three forms have findings)"
is "$(printf '%s\n' "$out" | grep -c '\.pdf#1 ')" 30 "... one line per form"

case $("$JXZP" --version) in
*xlsx*)
	printf '%s\n' "$out" | sed 's/\.pdf#/.F#/' >"$T/check-pdf"
	"$JXZP" check "$F"/files/*/*.xlsx 2>&1 | sed 's/\.xlsx#/.F#/' >"$T/check-xlsx"
	check "... with the findings check gives the same forms as .xlsx" cmp -s "$T/check-xlsx" "$T/check-pdf" ;;
esac

# another writer: Chromium prints the form's HTML table (Skia, its ToUnicode
# naming 目 and 门 by their radicals): the fields of the workbook it came from
fields() { "$JXZP" --db "$1" export --all --format json | sed 's/"uuid": "[^"]*"//; s/"id": [0-9]*, //'; }
run "$JXZP" --db "$T/chromium.db" import "$F/pdf-other/chromium-fengtai-2023-02.pdf"
is "$rc" 0 "a PDF Chromium printed imports"
run "$JXZP" --db "$T/chromium-x.db" import "$F/files/fengtai-2023/02.xlsx"
fields "$T/chromium.db" >"$T/c.json"
fields "$T/chromium-x.db" >"$T/x.json"
if ! "$JXZP" --version | grep -q xlsx; then
	skip "... field for field the workbook it was printed from" "this build reads no .xlsx"
elif cmp -s "$T/c.json" "$T/x.json"; then
	ok "... field for field the workbook it was printed from (radicals read as 目, 门)"
else
	not_ok "... field for field the workbook it was printed from (radicals read as 目, 门)"
	diag "$(diff "$T/x.json" "$T/c.json" | head -6)"
fi
# two pages, the 绩效指标 table going on to the second, whose first row has
# no top drawn: the indicators and funds of the workbook (its goal texts
# wrap where the workbook had a space beside a figure: not compared)
run "$JXZP" --db "$T/chromium7.db" import "$F/pdf-other/chromium-fengtai-2023-07.pdf"
run "$JXZP" --db "$T/chromium7-x.db" import "$F/files/fengtai-2023/07.xlsx"
fields "$T/chromium7.db" | grep -v '"goals"' >"$T/c7.json"
fields "$T/chromium7-x.db" | grep -v '"goals"' >"$T/x7.json"
if ! "$JXZP" --version | grep -q xlsx; then
	skip "... a table over a page break, the next page's first row open" "this build reads no .xlsx"
elif cmp -s "$T/c7.json" "$T/x7.json"; then
	ok "... a table over a page break, the next page's first row open: as the workbook"
else
	not_ok "... a table over a page break, the next page's first row open: as the workbook"
	diag "$(diff "$T/x7.json" "$T/c7.json" | head -6)"
fi
# the format is the content's: a PDF named .xlsx is read as a PDF
cp "$F/files/fengtai-2023/03.pdf" "$T/named-wrong.xlsx"
run "$JXZP" check "$T/named-wrong.xlsx"
is "$rc" 0 "a PDF named .xlsx is read as a PDF"
contains "$out" "2023年丰台区网站集约化平台管理" "... its form found"

# ---- a PDF without ruling lines: cells from the text's positions ---------------------
# The fengtai text's first two forms set out as pdftotext -layout would show
# them: each tab-separated cell at its column's place, no lines drawn, each
# form on a page of its own and the second one's 绩效指标 on a third page (a
# form over a page break), a footer "第 N 页 共 3 页" on each.  The text in a non-embedded Type0 font whose
# codes are UCS-2 (Identity-H with a ToUnicode map), as office programs
# write CJK text.
python3 - "$F/fengtai-2023.txt" "$T" <<'PY'
import re, sys
src, t = sys.argv[1], sys.argv[2]
forms, cur = [], None
for line in open(src, encoding="utf-8"):
    line = line.rstrip("\n").replace("<p>", "").replace("</p>", "")
    if "项目支出绩效自评表" in line:
        if len(forms) == 2:
            break
        cur = []
        forms.append(cur)
    if cur is not None:
        cur.append(line.split("\t"))
def w(s):	# width in em: wide characters one, others half (the font's /W)
    return sum(1 if ord(c) > 0x2e80 else 0.5 for c in s)
size, lead = 7.0, 11.0
pages = []
for i, rows in enumerate(forms):
    ncol = max(len(r) for r in rows)
    cw = [0.0] * ncol
    for r in rows:
        for k, c in enumerate(r):
            cw[k] = max(cw[k], w(c))
    xs = [20.0]
    for k in range(ncol):
        xs.append(xs[-1] + (cw[k] + 2.5) * size)
    split = len(rows)
    if i == 1:	# the second form goes on over a page break
        split = next(k for k, r in enumerate(rows) if "绩效指标" in "".join(r)) + 1
    for part in (rows[:split], rows[split:]):
        if part:
            pages.append((xs, part))
objs = []
def obj(s):
    objs.append(s if isinstance(s, bytes) else s.encode())
    return len(objs)
font = obj("<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H"
           " /DescendantFonts [ 2 0 R ] /ToUnicode 4 0 R >>")
obj("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo"
    " << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 /W [32 11904 500]"
    " /FontDescriptor 3 0 R >>")
obj("<< /Type /FontDescriptor /FontName /SimSun /Flags 6 /FontBBox [0 -200 1000 900]"
    " /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>")
# codes are the characters' UCS-2 values: the ToUnicode map says so
ranges = ["<%02X00> <%02XFF> <%02X00>" % (h, h, h) for h in range(256) if not 0xD8 <= h <= 0xDF]
cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo"
        " << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def"
        " /CMapType 2 def 1 begincodespacerange <0000> <FFFF> endcodespacerange\n")
for k in range(0, len(ranges), 100):
    part = ranges[k:k + 100]
    cmap += "%d beginbfrange\n%s\nendbfrange\n" % (len(part), "\n".join(part))
cmap += "endcmap CMapName currentdict /CMap defineresource pop end end"
obj(b"<< /Length %d >>\nstream\n" % len(cmap) + cmap.encode() + b"\nendstream")
kids = []
for xs, rows in pages:
    ops = ["BT /F1 %g Tf" % size]
    y = 800.0
    for r in rows:
        for k, c in enumerate(r):
            if c:
                tj = " ".join("<%04X>" % ord(ch) for ch in c if ord(ch) < 0x10000)
                ops.append("1 0 0 1 %.1f %.1f Tm [%s] TJ" % (xs[k], y, tj))
        y -= lead
    # a page footer between the halves of a form
    foot = "第 %d 页 共 %d 页" % (len(kids) + 1, len(pages))
    ops.append("1 0 0 1 280 30 Tm [%s] TJ" % " ".join("<%04X>" % ord(ch) for ch in foot))
    ops.append("ET")
    content = "\n".join(ops).encode()
    c = obj(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    width = max(600, xs[-1] + 20)
    kids.append(obj("<< /Type /Page /Parent PAGES /MediaBox [0 0 %d 842] /Contents %d 0 R"
                    " /Resources << /Font << /F1 %d 0 R >> >> >>" % (width, c, font)))
pages_id = len(objs) + 1
objs = [o.replace(b"PAGES", b"%d 0 R" % pages_id) for o in objs]
obj("<< /Type /Pages /Kids [%s] /Count %d >>" % (" ".join("%d 0 R" % k for k in kids), len(kids)))
root = obj("<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
offs = []
for i, o in enumerate(objs):
    offs.append(len(out))
    out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
x = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
out += b"".join(b"%010d 00000 n \n" % o for o in offs)
out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, root, x)
open(t + "/unruled.pdf", "wb").write(out)
PY
run "$JXZP" --db "$T/u.db" import "$T/unruled.pdf"
is "$rc" 0 "a PDF without ruling lines imports (cells from text positions)"
is "$(nforms "$T/u.db")" 2 "... both of its forms, the second over a page break"
# the same two forms from the text they were set from, field for field
python3 - "$F/fengtai-2023.txt" "$T/two.txt" <<'PY'
import sys
out, n = [], 0
for line in open(sys.argv[1], encoding="utf-8"):
    if "项目支出绩效自评表" in line:
        n += 1
        if n == 3:
            break
    out.append(line)
open(sys.argv[2], "w", encoding="utf-8").write("".join(out))
PY
"$JXZP" --db "$T/t.db" import "$T/two.txt" >/dev/null 2>&1
fields() { "$JXZP" --db "$1" export --all --format json |
	grep -v '"id"\|"uuid"\|"status"\|"updated"\|"version"'; }
# (paragraphs: the text's <p>s were set as one line of CJK text in the PDF)
fields "$T/u.db" | sed 's/\\n//g' >"$T/u.json"
fields "$T/t.db" | sed 's/\\n//g' >"$T/t.json"
if diff "$T/t.json" "$T/u.json" >"$T/ut.diff"; then
	ok "... and they read to the fields of the text they were set from"
else
	not_ok "... and they read to the fields of the text they were set from"
	diag "$(head -n 30 "$T/ut.diff")"
fi

# ---- bad PDFs ---------------------------------------------------------------------
BAD="$T/bad.db"
# refused FILE WHAT DESC: import exits 2, names the file in one line and
# says WHAT, imports nothing; check says the same with the same status.
refused() {
	run "$JXZP" --db "$BAD" import "$1"
	is "$rc" 2 "$3: import exits 2"
	contains "$err" "$1" "... the message names the file"
	contains "$err" "$2" "... and says why"
	is "$(printf '%s\n' "$err" | grep -c .)" 1 "... in one line"
	is "$(nforms "$BAD")" 0 "... nothing imported"
	run "$JXZP" --db "$BAD" check "$1"
	is "$rc" 2 "... check exits 2 too"
}

python3 - "$T" <<'PY'
import random, sys
t = sys.argv[1]
def pdf(objs, trailer=b""):
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offs = []
    for i, o in enumerate(objs):
        offs.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offs)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, trailer, x)
    return bytes(out)
# a scan: one page that is one image, no text
img = bytes(random.Random(1).randrange(256) for _ in range(64 * 64))
content = b"q 500 0 0 700 50 70 cm /Im0 Do Q"
open(t + "/scan.pdf", "wb").write(pdf([
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
    b" /Resources << /XObject << /Im0 5 0 R >> >> >>",
    b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    b"<< /Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray"
    b" /BitsPerComponent 8 /Length %d >>\nstream\n" % len(img) + img + b"\nendstream"]))
# a password: the standard security handler, a user password we do not know
o = bytes(random.Random(2).randrange(256) for _ in range(32)).hex().encode()
u = bytes(random.Random(3).randrange(256) for _ in range(32)).hex().encode()
open(t + "/password.pdf", "wb").write(pdf([
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    b"<< /Filter /Standard /V 2 /R 3 /Length 128 /P -3904 /O <" + o + b"> /U <" + u + b"> >>"],
    b"/Encrypt 4 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] "))
# 10,000 pages
n = 10000
objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (i + 3) for i in range(n)) + b"] /Count %d >>" % n]
objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * n
open(t + "/pages.pdf", "wb").write(pdf(objs))
# garbage after the header
g = bytes(random.Random(4).randrange(256) for _ in range(20000))
open(t + "/garbage.pdf", "wb").write(b"%PDF-1.7\n" + g + b"\n%%EOF\n")
PY
head -c 40000 "$F/files/fengtai-2023/01.pdf" >"$T/truncated.pdf"
refused "$T/truncated.pdf" "truncated" "a truncated PDF"
refused "$T/password.pdf" "password" "a password-protected PDF"
refused "$T/scan.pdf" "text layer" "a scan (pages that are images, no text)"
refused "$T/pages.pdf" "10000 pages" "a PDF of 10,000 pages (past the limit of 1000)"
refused "$T/garbage.pdf" "damaged" "garbage after %PDF-"
# the good files beside a bad one still import, the bad one named
run "$JXZP" --db "$T/mixed.db" import "$F/files/fengtai-2023/01.pdf" "$T/scan.pdf"
is "$rc" 2 "a batch with a scan in it exits 2"
is "$(nforms "$T/mixed.db")" 1 "... the good PDF imported all the same"

done_testing
