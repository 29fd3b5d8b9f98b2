#!/bin/sh
# bundle_screen: the offline bundles on screen (ui/bundleview.c,
# ui/conflictview.c).  Two clerks and the office are made through the CLI
# as in bundle.sh; then on the office's screen B reads clerk B's bundle
# (checked, shown, confirmed, applied, summed up), the conflicted field is
# marked ⇄ with both values in the status line, F11 takes theirs, and b
# writes a bundle into a folder that `jxzp bundle verify` accepts.  A
# damaged file and a path that cannot be written are refused in a dialog.
. "$(dirname "$0")/lib.sh"
require sqlite3 sqlite3
A=$T/a.db B=$T/b.db O=$T/office.db
DB=$O
. "$(dirname "$0")/screen_lib.sh"
U=北京市朝阳区数据局
P2=朝阳区5G建设及应用项目
P3=朝阳区办公软件场地授权服务
a() { "$JXZP" --db "$A" "$@"; }
b() { "$JXZP" --db "$B" "$@"; }
o() { "$JXZP" --db "$O" "$@"; }
id_of() { "$JXZP" --db "$1" list --format json | grep -F "\"project\": \"$2\"" | sed 's/.*"id": \([0-9]*\),.*/\1/'; }
# the keys first (README: offline exchange)
check "the key exchange of the README" exchange_keys "$O" "$U" "$A" "$B"

# ---- the databases: the office has A's change, B's waits in a file ------------------------
a import "$JXZP_SRCDIR/tests/fixtures/chaoyang-2024-part.txt" >/dev/null
a bundle create -o "$T/a1.jxzb" >/dev/null
o bundle apply "$T/a1.jxzb" >/dev/null
o bundle create --office --unit "$U" -o "$T/o1.jxzb" >/dev/null
a bundle apply "$T/o1.jxzb" >/dev/null
b bundle apply "$T/o1.jxzb" >/dev/null
a set "$(id_of "$A" "$P2")" department=张三局 lead=张三 >/dev/null
b set "$(id_of "$B" "$P2")" department=李四局 lead=李四 >/dev/null
b set "$(id_of "$B" "$P3")" phone=010-2222 >/dev/null
a bundle create -o "$T/a2.jxzb" >/dev/null
mkdir "$T/usb"
b bundle create -o "$T/usb/b1.jxzb" >/dev/null
o bundle apply "$T/a2.jxzb" >/dev/null
o import "$JXZP_SRCDIR/tests/fixtures/fengtai-2023.txt" >/dev/null	# a second unit at the office
is "$(q "select department from form where project = '$P2'")" 张三局 "the office has A's 主管部门"
# what the CLI says of the same bundle on a copy: the screen must say the same
cp "$O" "$T/copy.db"
cli=$("$JXZP" --db "$T/copy.db" bundle apply "$T/usb/b1.jxzb" | sed -n 1p | sed 's/^[^:]*: //')
contains "$cli" "2 conflicts" "the CLI on a copy: B's bundle keeps two conflicts (主管部门, 项目负责人)"
cp "$T/a2.jxzb" "$T/usb/bad.jxzb"	# one byte changed on the way
printf 'X' | dd of="$T/usb/bad.jxzb" bs=1 seek=300 conv=notrunc 2>/dev/null

tm_start 110 32 "JXZP_DB=$O JXZP_FIXED_TIME=1 $JXZP"
check "the list" tm_wait "q quit"
contains "$(screen)" "b/B bundle" "the key bar names b/B"

# ---- a damaged file is refused in the dialog -------------------------------------------------
tm_keys B
check "B asks for a bundle file" tm_wait "Read a bundle"
tm_keys C-u
tm_text "$T/usb/bad.jxzb"
tm_keys Enter
check "a damaged file is refused" tm_wait "damaged"
tm_keys Enter
settle

# ---- B: read clerk B's bundle from the folder ------------------------------------------------
tm_keys B
check "B again" tm_wait "Read a bundle"
tm_keys C-u
tm_text "$T/usb"
tm_keys Enter
check "a folder lists its bundles" tm_wait "Which bundle?"
contains "$(screen)" "bad.jxzb" "... both of them"
tm_keys 1	# the first, b1.jxzb (sorted by name)
check "the bundle is checked and shown before it is applied" tm_wait "is sound"
contains "$(screen)" "Apply it to this" "... and the screen asks first"
fpb=$(b key show | sed -n 's/^fingerprint //p')
contains "$(screen | tr -d '\n' | tr -s ' ')" "is sound: signed by" "... naming the signer"
contains "$(screen | tr -d '\n' | tr -s ' ')" "(key $fpb, trusted here)" "... with its key, as trusted here"
contains "$(screen | tr -d '\n' | tr -s ' ')" "sealed for this database" "... and that it was sealed for it"
is "$(q "select department from form where project = '$P2'")" 张三局 "... nothing applied yet"
tm_keys y
check "a summary after" tm_wait "Bundle applied:"
contains "$(screen | tr -d '\n')" "$(echo "$cli" | sed 's/,.*//')" "... the same figures as the CLI (new)"
contains "$(screen | tr -d '\n ')" "$(echo "$cli" | tr -d ' ')" "... all the figures as the CLI"
contains "$(screen)" "2 conflicts" "... two conflicts"
tm_keys Enter
settle
is "$(q "select phone from form where project = '$P3'")" 010-2222 "B's field of another form merged"
is "$(q "select department from form where project = '$P2'")" 张三局 "the conflicted field keeps the office's value"

# ---- the conflicted form: the mark, the status line, F11 -------------------------------------------
tm_keys /
tm_text "$P2"
tm_keys Enter
settle
tm_keys Enter
check "the form opens" tm_wait "$P2"
check "the key bar offers F11 with the form's two conflicts" tm_wait "F11 settle ⇄(2)"
contains "$(screen | grep 主管部门)" "⇄" "the conflicted field 主管部门 is marked ⇄"
# Tab until the status line speaks of 主管部门's conflict
i=0
while [ $i -lt 150 ] && ! tm_capture | grep -qF "conflict: here"; do
	tm_keys Tab
	sleep 0.05
	i=$((i + 1))
done
s=$(screen | tr -d '\n')
contains "$s" "conflict: here “张三局”" "the status line says this side's value"
contains "$s" "there “李四局”" "... and the other side's"
contains "$s" "$(sqlite3 "$B" "select substr(value, 1, 8) from meta where key = 'db_uuid'")" \
	"... with where it came from"
tm_keys F11
check "F11 opens the settle dialog" tm_wait "Conflict on"
contains "$(screen)" "Keep theirs: “李四局”" "... with both values"
contains "$(screen)" "Keep mine: “张三局”" "... mine too"
tm_keys Down Enter
check "theirs taken" tm_wait "settled: theirs taken"
is "$(q "select department from form where project = '$P2'")" 李四局 "the field holds the other value"
lacks "$(screen | grep 主管部门)" "⇄" "the mark is gone"
check "one conflict left" tm_wait "F11 settle ⇄(1)"
# 项目负责人 is not on this form's paper (its layout has no such line):
# F11 on a field without a conflict lists the form's conflicts
tm_keys F11
check "F11 elsewhere lists the form's conflicts" tm_wait "Which conflict?"
contains "$(screen)" "项目负责人" "... by their labels on the paper"
tm_keys Enter
check "... then the settle dialog" tm_wait "Keep theirs: “李四”"
tm_keys Down Enter
check "theirs taken again" tm_wait "settled: theirs taken"
# (that message is still there from the first: the key bar is what tells the
# second is done, so it is waited for before the database is read)
check "the key bar no longer offers F11" tm_wait_gone "F11 settle"
is "$(q "select lead from form where project = '$P2'")" 李四 "项目负责人 holds the other value"
contains "$(o conflicts)" "no conflicts" "jxzp conflicts is empty"
tm_keys Escape
check "back to the list" tm_wait "q quit"
tm_keys Escape
settle

# ---- b: write a bundle into the folder ---------------------------------------------------------
tm_keys b
check "b asks where to write" tm_wait "Write a bundle"
contains "$(screen)" "office's database" "... and says this is the office's database"
tm_keys C-u
tm_text "$T/nowhere/x.jxzb"
tm_keys Enter
check "b then asks what to send" tm_wait "Send what?"
tm_keys Down Enter
check "a path that cannot be written is refused" tm_wait "cannot write the bundle"
tm_keys Enter
settle
check "... and no file" test ! -e "$T/nowhere"
tm_keys /	# select a form of the unit
tm_text "$P2"
tm_keys Enter
settle
tm_keys b
check "b again" tm_wait "Write a bundle"
tm_keys C-u
tm_text "$T/usb"
tm_keys Enter
check "what to send" tm_wait "All forms"
contains "$(screen)" "All forms of $U" "... the selected form's unit alone is offered (the office has two)"
tm_keys 4	# All forms of the selected form's unit
check "written" tm_wait "Bundle written"
f=$T/usb/jxzp-$U-$(date +%Y%m%d).jxzb
check "the file is in the folder, named for the unit and the day" test -f "$f"
is "$(stat -c %a "$f" 2>/dev/null)" 600 "... 0600"
tm_keys Enter
settle
"$JXZP" bundle verify "$f" > "$T/v" 2>&1
is "$?" 0 "jxzp bundle verify accepts it"
contains "$(cat "$T/v")" "the office" "... written as the office"
n=$(q "select count(*) from form f join form_local l on l.form_uuid = f.uuid where f.unit = '$U'")
contains "$(cat "$T/v")" "$n forms" "... with every form of the unit ($n)"
contains "$(cat "$T/v")" "units: $U #" "... and that unit only"
lacks "$(cat "$T/v")" "丰台" "... not the other"
tm_keys q
tm_wait_exit
done_testing
