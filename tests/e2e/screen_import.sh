#!/bin/sh
# screen_import: importing files from the forms list (i, ui/importview.c)
# in the real binary.  An .xlsx with a Chinese name (reached by Tab) and a
# text sample import the forms the command line imports from the same
# files, field for field (sqlite3 on both databases); the list then shows
# them with the first imported form selected.  A missing file, a folder, a
# damaged zip, a pipe, a file named "-", a name with an escape in it, a
# PDF (read, or refused by a build without a PDF reader), a file already
# imported and a locked database each show their message in the panel and
# import nothing; Esc cancels; a long file shows its progress on the
# status line; the prompt and the panel speak Chinese under zh_CN.
. "$(dirname "$0")/lib.sh"
require sqlite3 sqlite3
DB=$T/j.db
. "$(dirname "$0")/screen_lib.sh"
F=$JXZP_SRCDIR/tests/fixtures/files
case $("$JXZP" --version) in
*xlsx*) ;;
*) echo "1..0 # SKIP this build reads no .xlsx (libzip-dev, libexpat1-dev)"; exit 0 ;;
esac
mkdir -p "$T/files/子目录"
XLSX="$T/files/丰台 机房维护.xlsx"	# a Chinese name with a space in it
cp "$F/fengtai-2023/01.xlsx" "$XLSX" || not_ok "the sample $F/fengtai-2023/01.xlsx is there"
cp "$JXZP_SRCDIR/data/chaoyang-2024-part.txt" "$T/files/chaoyang.txt"
head -c 3000 "$F/fengtai-2023/02.xlsx" > "$T/files/cut.xlsx"	# a truncated zip
BAD=$(printf '%s/files/bad\033[2Jname.txt' "$T")
printf 'nothing like a form\n' > "$BAD"
printf '%%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%%%EOF\n' > "$T/files/03.pdf"

# the command line's import of the same files: what the screen must store
"$JXZP" --db "$T/ref.db" import "$XLSX" > "$T/ref.xlsx.ids" 2>/dev/null
"$JXZP" --db "$T/ref.db" import "$T/files/chaoyang.txt" > "$T/ref.txt.ids" 2>/dev/null
n_txt=$(wc -l < "$T/ref.txt.ids")
check "the CLI reads the text sample's forms" [ "$n_txt" -gt 1 ]
# one form's fields and indicators, by project (ids and uuids differ)
fields() {
	sqlite3 "$1" "select year, unit, project, department, lead, phone, goals_expected, goals_achieved
		from form where project = '$2';
		select row, initial, budget, spent, weight, rate, score from fund
		where form_uuid = (select uuid from form where project = '$2') order by row;
		select pos, level1, level2, name, nature, target, unit_of_measure, actual, weight, score, deviation
		from indicator where form_uuid = (select uuid from form where project = '$2') order by pos;" 2>&1
}
count() { q "select count(*) from form"; }

"$JXZP" --db "$DB" import "$JXZP_SRCDIR/data/beijing-cppcc-2021.txt" >/dev/null 2>&1
# started in $T/files, so a name without a folder is one of its files
tm_start 100 30 "sh -c 'cd $T/files && JXZP_DB=$DB JXZP_FIXED_TIME=1 exec $JXZP 2>>$T/stderr'"
check "the list" tm_wait "q quit"
contains "$(screen)" "i import" "the key bar names i"

# ---- Esc cancels ------------------------------------------------------------------------------
tm_keys i
check "i asks for files" tm_wait "Import files"
contains "$(screen)" "$T/files/" "... starting in the current folder"
tm_text "$XLSX"
tm_keys Escape
check "Esc closes the prompt" tm_wait_gone "Import files"
is "$(count)" 1 "... and imports nothing"

# ---- an .xlsx with a Chinese name, by Tab -----------------------------------------------------
tm_keys i
tm_wait "Import files" >/dev/null
tm_keys C-u
tm_text "$T/files/"
tm_keys Tab
check "Tab lists the folder's files" tm_wait "丰台 机房维护.xlsx"
contains "$(screen)" "子目录/" "... folders with a / after them"
tm_text "丰"
tm_keys Tab
check "Tab completes the Chinese name, in quotes for its space" tm_wait "\"$T/files/丰台 机房维护.xlsx\""
tm_keys Enter
check "the panel says what came of it" tm_wait "1 form imported"
s=$(screen)
contains "$s" "Imported 1 form from 1 file." "... the total"
contains "$s" "2023 机房硬件维护及施工维修维护" "... and the form"
P1=$(cut -f 4 "$T/ref.xlsx.ids")
is "$(count)" 2 "the database has the form"
is "$(fields "$DB" "$P1")" "$(fields "$T/ref.db" "$P1")" "... with the fields the command line imports"
check "... its indicators too" [ "$(q "select count(*) from indicator where form_uuid = (select uuid from form where project = '$P1')")" -gt 3 ]
tm_keys Enter
check "the panel closes" tm_wait_gone "Enter or Esc closes"
contains "$(screen)" "forms: 2" "the list counts it"
tm_keys Enter
check "the imported form is the one selected (Enter opens it)" tm_wait "$P1"
tm_keys Escape
tm_wait "q quit" >/dev/null

# ---- a text sample, a missing file, a folder: the good one imports, the others say why -----------
tm_keys i
tm_wait "Import files" >/dev/null
tm_keys C-u
tm_text "$T/files/chaoyang.txt $T/files/missing.xlsx $T/files/子目录"
tm_keys Enter
check "the panel" tm_wait "Enter or Esc closes"
s=$(screen)
contains "$s" "chaoyang.txt: $n_txt forms imported" "the text sample's forms"
contains "$s" "cannot open $T/files/missing.xlsx" "a missing file says so"
contains "$s" "子目录 is a folder" "a folder says so"
contains "$s" "2 with problems" "... and the total counts them"
is "$(count)" $((2 + n_txt)) "the database has the text sample's forms"
P2=$(head -n 1 "$T/ref.txt.ids" | cut -f 4)
P3=$(tail -n 1 "$T/ref.txt.ids" | cut -f 4)
is "$(fields "$DB" "$P2")" "$(fields "$T/ref.db" "$P2")" "... the first with the fields the command line imports"
is "$(fields "$DB" "$P3")" "$(fields "$T/ref.db" "$P3")" "... and the last"
tm_keys Escape
tm_wait_gone "Enter or Esc closes" >/dev/null
tm_keys Enter
check "the first form of the file is selected" tm_wait "$P2"
tm_keys Escape
tm_wait "q quit" >/dev/null

# ---- what failed comes back in the prompt; a file already imported says so ------------------------
tm_keys i
tm_wait "Import files" >/dev/null
contains "$(screen)" "missing.xlsx" "the prompt starts with the files that failed"
lacks "$(screen)" "chaoyang.txt" "... not the ones that worked"
tm_keys C-u
tm_text "$T/files/*.xlsx"
tm_keys Enter
check "a pattern: every .xlsx" tm_wait "Enter or Esc closes"
s=$(screen)
contains "$s" "already has this unit, year and project; not imported" "the file imported before says so"
contains "$s" "丰台 机房维护.xlsx: nothing imported" "... and imports nothing"
contains "$s" "cut.xlsx: nothing imported" "the truncated file imports nothing"
contains "$s" "damaged or truncated" "... and says why"
is "$(count)" $((2 + n_txt)) "the database is as it was"
tm_keys Escape
tm_wait_gone "Enter or Esc closes" >/dev/null

# ---- a name with an escape in it, a PDF, a pipe, "-" ----------------------------------------------
before=$(count)
mkfifo "$T/files/pipe"
printf 'nothing like a form\n' > "$T/files/-"
tm_keys i
tm_wait "Import files" >/dev/null
tm_keys C-u
tm_text "$T/files/bad*name.txt 03.pdf pipe -"
tm_keys Enter
check "the panel (a pipe is not opened: nothing waits for it)" tm_wait "Enter or Esc closes"
s=$(screen)
contains "$s" "pipe is not a file" "a pipe is refused"
contains "$s" "✗ -: no form found" "\"-\" is the file of that name, not the terminal"
contains "$s" "bad␛[2Jname.txt" "the escape in a file's name is shown, not sent to the terminal"
contains "$s" "no form found" "... the file has no form"
# a PDF with no page: a build without a PDF reader says it has none, one
# with a reader that there is nothing to read in it
if "$JXZP" --version | grep -q '\bpdf\b'; then
	contains "$s" "✗ 03.pdf:" "the empty PDF says why it gives no form"
else
	contains "$s" "does not read PDF" "this build has no PDF reader: the PDF says so"
fi
contains "$s" "03.pdf: nothing imported" "... and imports nothing"
is "$(count)" "$before" "nothing from either file is in the database"
tm_keys Escape
tm_wait_gone "Enter or Esc closes" >/dev/null

# ---- a locked database --------------------------------------------------------------------------
before=$(count)
hold_write_lock "$DB" 9
awk -F '\t' -v OFS='\t' '$1 == "项目名称" { $3 = $3 " 另一份" } 1' "$T/files/chaoyang.txt" > "$T/files/other.txt"
tm_keys i
tm_wait "Import files" >/dev/null
tm_keys C-u
tm_text "$T/files/other.txt"
tm_keys Enter
check "a locked database: the panel says so" tm_wait "locked by another program" 150
is "$(count)" "$before" "... and nothing is imported"
tm_keys Escape
wait
tm_keys i
tm_wait "Import files" >/dev/null
contains "$(screen)" "other.txt" "the file comes back in the prompt"
tm_keys Enter
check "once the lock is gone it imports" tm_wait "other.txt: $n_txt forms imported"
is "$(count)" $((before + n_txt)) "... every form"
tm_keys Escape
tm_wait_gone "Enter or Esc closes" >/dev/null

# ---- a long file: the status line shows how far it is ----------------------------------------------
for i in $(seq 1 150); do
	awk -F '\t' -v OFS='\t' -v n="$i" '$1 == "项目名称" { $3 = $3 " 第" n "批" } 1' "$JXZP_SRCDIR/data/fengtai-2023.txt"
done > "$T/files/long.txt"
n_long=$(grep -c '^项目名称' "$T/files/long.txt")
before=$(count)
tm_keys /
tm_text "政协"
tm_keys Enter
tm_wait_gone "机房硬件" >/dev/null
is "$(screen | head -n 1 | sed 's/.*forms: //')" 1 "a filter that the long file's forms do not match"
maxb=$(q "select max(id) from form_local")
tm_keys i
tm_wait "Import files" >/dev/null
tm_keys C-u
tm_text "$T/files/long.txt"
tm_keys Enter
check "while it runs, the status line says which file and how far" \
	tm_wait "Importing $T/files/long.txt (file 1 of 1)" 100
check "... and it ends" tm_wait "long.txt: $n_long forms imported" 600
is "$(count)" $((before + n_long)) "every form of the long file is there"
contains "$(screen)" "Import: lines 1–" "the panel scrolls: where it is shows in its title"
tm_keys -l "$(printf '\033OF')"	# End, as xterm sends it
if tm_wait "form $(q "select max(id) from form_local"): "; then ok "End shows its last line: the last form"
else not_ok "End shows its last line: the last form"; diag "$(screen)"; fi

tm_keys Escape
tm_wait_gone "Enter or Esc closes" >/dev/null
lacks "$(screen | sed -n 2p)" "政协" "the filter that hid them is cleared"
tm_keys Enter
first=$(q "select project from form where uuid = (select form_uuid from form_local where id = $((maxb + 1)))")
if tm_wait "$first"; then ok "... and the first of them is selected"
else not_ok "... and the first of them is selected"; diag "$(screen)"; fi
tm_keys Escape
tm_wait "q quit" >/dev/null
tm_keys C-q
tm_wait_exit
tm kill-session -t t 2>/dev/null

# ---- in Chinese -----------------------------------------------------------------------------------
if locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
	tm_start 100 30 "LC_ALL=zh_CN.UTF-8 JXZP_DB=$DB JXZP_FIXED_TIME=1 $JXZP 2>>$T/stderr"
	check "the key bar in Chinese names i" tm_wait "i 导入"
	tm_keys i
	check "the prompt in Chinese" tm_wait "要导入的文件"
	tm_keys C-u
	tm_text "\"$XLSX\""	# typed in quotes, for the space in its name
	tm_keys Enter
	check "the panel in Chinese" tm_wait "未导入任何自评表"
	contains "$(screen)" "从 1 个文件导入 0 张自评表" "... with its total"
	tm_keys Escape C-q
	tm_wait_exit
else
	not_ok "the zh_CN.UTF-8 locale is not generated: ./quickstart generates it (run as root)"
fi
lacks "$(cat "$T/stderr" 2>/dev/null)" "Sanitizer" "no sanitizer report"
done_testing
