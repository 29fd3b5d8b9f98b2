#!/bin/sh
# bundle.sh: offline exchange end to end (spec/cli.md): bundle create, verify
# and apply between two clerks' machines and the office, conflicts and
# resolve, refusals, damaged files, and the exit codes of each.  The
# databases are compared with sqlite3 .dump before and after what must
# change nothing.
. "$(dirname "$0")/lib.sh"

require sqlite3 sqlite3
A=$T/a.db B=$T/b.db O=$T/office.db
U=北京市朝阳区数据局
a() { "$JXZP" --db "$A" "$@"; }
b() { "$JXZP" --db "$B" "$@"; }
o() { "$JXZP" --db "$O" "$@"; }
# run CMD...: sets $out, $err and $rc
run() {
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	out=$(cat "$T/out")
	err=$(cat "$T/err")
}
# id_of DB PROJECT: the local id of a form
id_of() { "$JXZP" --db "$1" list --format json | grep -F "\"project\": \"$2\"" | sed 's/.*"id": \([0-9]*\),.*/\1/'; }
status_of() { "$JXZP" --db "$1" list --format json | grep -F "\"project\": \"$2\"" | sed 's/.*"status": "\([a-z]*\)".*/\1/'; }
field() { "$JXZP" --db "$1" show "$2" --format json | grep -o "\"$3\": *[^,]*" | head -n 1; }
dump() { sqlite3 "$1" .dump | md5sum; }

P1=2022-2023年朝阳区互联网接入服务
P2=朝阳区5G建设及应用项目
P3=朝阳区办公软件场地授权服务
# the keys first (README: offline exchange)
check "the key exchange of the README" exchange_keys "$O" "$U" "$A" "$B"

# ---- a clerk's first bundle ----------------------------------------------------------
a import "$JXZP_SRCDIR/tests/fixtures/chaoyang-2024-part.txt" >/dev/null
a submit "$(id_of "$A" "$P1")"
run a bundle create -o "$T/a1.jxb"
is "$rc" 0 "bundle create exits 0"
contains "$out" "9 forms" "... and says it holds the nine forms"
contains "$out" "$U #1" "... the unit, bundle #1"
is "$(stat -c %a "$T/a1.jxb")" 600 "the bundle file is 0600"
run a bundle create -o "$T/none.jxb"
is "$rc" 0 "nothing changed since: exit 0"
contains "$out" "nothing changed" "... says so"
check "... and writes no file" test ! -e "$T/none.jxb"

run "$JXZP" bundle verify "$T/a1.jxb"
is "$rc" 0 "bundle verify exits 0, without a database"
contains "$out" "sound" "... the bundle is sound"
contains "$out" "9 forms" "... and holds nine forms"

# ---- the office takes it; the same bundle twice -----------------------------------------
run o bundle apply "$T/a1.jxb"
is "$rc" 0 "bundle apply exits 0"
contains "$out" "9 new, 0 updated, 0 unchanged, 0 conflicts" "... nine new forms"
is "$(status_of "$O" "$P1")" submitted "the submitted form is submitted at the office"
contains "$(o list)" "100.00" "the cached scores are there for the list"
before=$(dump "$O")
run o bundle apply "$T/a1.jxb"
is "$rc" 0 "the same bundle again exits 0"
contains "$out" "applied before: nothing changed" "... and says it changed nothing"
is "$(dump "$O")" "$before" "... and changed nothing"

# ---- returned by the office, to both clerks of the unit ------------------------------------
o return "$(id_of "$O" "$P1")" --reason "请补充偏差原因" >/dev/null
run o bundle create --office --unit "$U" -o "$T/o1.jxb"
is "$rc" 0 "the office writes a bundle for the unit"
contains "$out" "the office" "... as the office"
run a bundle apply "$T/o1.jxb"
is "$rc" 0 "clerk A takes the office's bundle"
is "$(status_of "$A" "$P1")" returned "... the form is returned at A"
run b bundle apply "$T/o1.jxb"
contains "$out" "9 new" "clerk B gets the unit's forms through the office"

# ---- two clerks: one field each, and one field both -------------------------------------------
a set "$(id_of "$A" "$P2")" lead=张三 phone=010-1111 >/dev/null
b set "$(id_of "$B" "$P2")" lead=李四 >/dev/null
b set "$(id_of "$B" "$P3")" phone=010-2222 >/dev/null
a bundle create -o "$T/a2.jxb" >/dev/null
b bundle create -o "$T/b1.jxb" >/dev/null
run o bundle apply "$T/a2.jxb"
is "$rc" 0 "A's changes apply cleanly"
run o bundle apply "$T/b1.jxb"
is "$rc" 1 "B's bundle keeps a conflict: exit 1"
contains "$out" "1 conflict" "... one conflict"
lacks "$out" "1 conflicts" "... in the singular"
OP2=$(id_of "$O" "$P2")
is "$(field "$O" "$OP2" lead)" '"lead": "张三"' "the office's value stays until resolved"
is "$(field "$O" "$OP2" phone)" '"phone": "010-1111"' "A's other field merged"
is "$(field "$O" "$(id_of "$O" "$P3")" phone)" '"phone": "010-2222"' "B's field of another form merged"
run o conflicts
contains "$out" "项目负责人" "conflicts names the field as on the paper"
contains "$out" "张三" "... with mine"
contains "$out" "李四" "... and theirs"
contains "$out" "$(sqlite3 "$B" "select substr(value, 1, 8) from meta where key = 'db_uuid'")" \
	"... and where theirs came from"
run o conflicts "$OP2"
contains "$out" "lead" "conflicts ID lists that form's"
run o resolve "$OP2" lead --keep both
is "$rc" 2 "resolve --keep both: exit 2"
run o resolve "$OP2" phone --keep mine
is "$rc" 2 "resolve of a field without a conflict: exit 2"
run o resolve "$OP2" lead --keep theirs
is "$rc" 0 "resolve --keep theirs exits 0"
is "$(field "$O" "$OP2" lead)" '"lead": "李四"' "... and takes theirs"
run o conflicts
contains "$out" "no conflicts" "... and the conflict is gone"
o bundle create --unit "$U" -o "$T/o2.jxb" >/dev/null
a bundle apply "$T/o2.jxb" >/dev/null
b bundle apply "$T/o2.jxb" >/dev/null
is "$(field "$A" "$(id_of "$A" "$P2")" lead)" '"lead": "李四"' "the decision reaches A"
is "$(field "$B" "$(id_of "$B" "$P3")" phone)" '"phone": "010-2222"' "B's work reaches the office and back"
is "$(field "$B" "$(id_of "$B" "$P2")" phone)" '"phone": "010-1111"' "A's work reaches B through the office"

# ---- refused: out of order, approving, damage ------------------------------------------------
before=$(dump "$O")
a set "$(id_of "$A" "$P3")" lead=王五 >/dev/null
a bundle create -o "$T/a3.jxb" >/dev/null
a set "$(id_of "$A" "$P3")" lead=赵六 >/dev/null
a bundle create -o "$T/a4.jxb" >/dev/null
run o bundle apply "$T/a4.jxb"
is "$rc" 2 "a bundle whose predecessor is missing: exit 2"
contains "$err" "apply 3 to 3 first" "... naming the missing one"
is "$(wc -l <"$T/err")" 1 "... in one line"
is "$(dump "$O")" "$before" "... and the office is unchanged"
run o bundle apply "$T/a3.jxb" "$T/a4.jxb"
is "$rc" 0 "in order they apply"
is "$(field "$O" "$(id_of "$O" "$P3")" lead)" '"lead": "赵六"' "... the last value wins"

a submit "$(id_of "$A" "$P1")" >/dev/null
a approve "$(id_of "$A" "$P1")" >/dev/null
a bundle create -o "$T/a5.jxb" >/dev/null
before=$(dump "$O")
run o bundle apply "$T/a5.jxb"
is "$rc" 2 "a unit's bundle that approves: exit 2"
contains "$err" "only the office returns or approves" "... says why"
is "$(dump "$O")" "$before" "... and the office is unchanged"

cp "$T/a1.jxb" "$T/flip.jxb"
printf 'X' | dd of="$T/flip.jxb" bs=1 seek=5000 conv=notrunc 2>/dev/null
head -c 3000 "$T/a1.jxb" >"$T/short.jxb"
: >"$T/empty.jxb"
head -c 5000 /dev/urandom >"$T/random.jxb"
sed '1s/JXZP-BUNDLE [0-9]*/JXZP-BUNDLE 9/' "$T/a1.jxb" >"$T/future.jxb"
for f in flip short empty random future; do
	run o bundle apply "$T/$f.jxb"
	is "$rc" 2 "$f: refused, exit 2"
	is "$(wc -l <"$T/err")" 1 "$f: one line"
	contains "$err" "$f.jxb" "$f: naming the file"
	run "$JXZP" bundle verify "$T/$f.jxb"
	is "$rc" 2 "$f: verify says it is damaged too"
done
contains "$(o bundle apply "$T/future.jxb" 2>&1)" "newer jxzp" "a newer format says so"
is "$(dump "$O")" "$before" "damaged bundles leave the office as it was"

# ---- a row deleted on one side and changed on the other --------------------------------------
# (no command deletes one row: the screen does; here sqlite3 does it, and
# the store's trigger keeps the tombstone as for the screen)
ROW=$(sqlite3 "$B" "select uuid from indicator where form_uuid = (select uuid from form where project = '$P2') order by pos limit 1")
ROW8=$(printf '%.8s' "$ROW")
nrows() { sqlite3 "$1" "select count(*) from indicator where uuid = '$ROW'"; }
sqlite3 "$B" "delete from indicator where uuid = '$ROW'"
OP2=$(id_of "$O" "$P2")
o set "$OP2" "indicators[1].actual=77%" >/dev/null
b bundle create -o "$T/b2.jxb" >/dev/null
run o bundle apply "$T/b2.jxb"
is "$rc" 1 "deleted there, changed here: a conflict, exit 1"
is "$(nrows "$O")" 1 "... the row stays at the office"
run o conflicts "$OP2"
contains "$out" "indicators[1]" "conflicts names the row as on screen (第1行)"
contains "$out" "the row, changed here" "... changed here"
contains "$out" "the row deleted" "... and deleted there"
o bundle create --unit "$U" -o "$T/o3.jxb" >/dev/null
run b bundle apply "$T/o3.jxb"
is "$rc" 1 "deleted here, changed there: a conflict at B too, exit 1"
is "$(nrows "$B")" 0 "... the row stays deleted at B until a person decides"
BP2=$(id_of "$B" "$P2")
run b conflicts "$BP2"
contains "$out" "indicators[deleted:$ROW8]" "conflicts names the deleted row"
contains "$out" "the row, deleted here" "... deleted here"
contains "$out" "the row, changed there" "... and changed there"
run o resolve "$OP2" "indicators[1]" --keep mine
is "$rc" 0 "the office keeps the row"
o bundle create --unit "$U" -o "$T/o4.jxb" >/dev/null
run b bundle apply "$T/o4.jxb"
is "$rc" 0 "the decision reaches B"
is "$(nrows "$B")" 1 "... the row is back at B"
is "$(sqlite3 "$B" "select actual from indicator where uuid = '$ROW'")" 77% "... with the office's change"
contains "$(b conflicts)" "no conflicts" "... and B's conflict is settled"

# ---- format 2: a bundle of the jxzp before bundles of changes still applies -----------------
# tests/fixtures/bundle-v2: two clear bundles of a unit's database as that jxzp
# wrote them (its key in a.key): two new forms, then one of them changed
# (lead 张三, budget 100, then spent 88.5), each form whole.
V=$T/v2-office.db FX=$JXZP_SRCDIR/tests/fixtures/bundle-v2
"$JXZP" --db "$V" key trust --unit 北京市丰台区财政局 "$FX/a.key" >/dev/null
run "$JXZP" bundle verify "$FX/2.jxzb"
is "$rc" 0 "a format 2 bundle verifies"
run "$JXZP" --db "$V" bundle apply "$FX/1.jxzb"
is "$rc" 0 "a format 2 bundle applies"
contains "$out" "2 new, 0 updated" "... its two new forms"
run "$JXZP" --db "$V" bundle apply "$FX/2.jxzb"
is "$rc" 0 "the next format 2 bundle applies"
contains "$out" "0 new, 1 updated" "... the form it changed"
is "$(sqlite3 "$V" "select f.lead || ' ' || u.budget || ' ' || u.spent from form f join fund u
	on u.form_uuid = f.uuid and u.row = 'total' where f.project = '旧格式项目一'")" "张三 100 88.5" \
	"... with every change"
# and this jxzp's bundle of changes from there carries only the change
VID=$("$JXZP" --db "$V" list --format json | grep -F '旧格式项目二' | sed 's/.*"id": \([0-9]*\),.*/\1/')
"$JXZP" --db "$V" bundle create --office --clear -o "$T/v3-all.jxb" >/dev/null
"$JXZP" --db "$V" set "$VID" lead=李四 >/dev/null 2>&1
run "$JXZP" --db "$V" bundle create --clear -o "$T/v3-delta.jxb"
is "$rc" 0 "a bundle of changes after them"
contains "$out" "1 form, 1 change" "... of the one form changed"
is "$(head -n 1 "$T/v3-delta.jxb")" "JXZP-BUNDLE 3" "... in format 3"
check "... smaller than the bundle of every form" test "$(stat -c %s "$T/v3-delta.jxb")" -lt "$(stat -c %s "$T/v3-all.jxb")"

run o bundle
is "$rc" 2 "bundle without a subcommand: exit 2"
run o bundle create
is "$rc" 2 "bundle create without -o: exit 2"
run o bundle apply "$T/no-such.jxb"
is "$rc" 2 "a missing bundle file: exit 2"
contains "$err" "no-such.jxb" "... naming it"

done_testing
