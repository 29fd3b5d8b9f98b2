#!/bin/sh
# restore: a deleted form comes back from its history — `jxzp restore ID`
# on the command line, `u` in the forms list right after `d` — whole (its
# rows, its version moving on, a history row "deleted" 1 → 0), and the
# message on delete says how.  A restore that would make two live forms of
# one unit, year and project is refused and names the other form.
. "$(dirname "$0")/lib.sh"
require sqlite3 sqlite3
DB=$T/r.db
. "$(dirname "$0")/screen_lib.sh"
j() { "$JXZP" --db "$DB" "$@"; }
run() {
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	out=$(cat "$T/out")
	err=$(cat "$T/err")
}

j import "$JXZP_SRCDIR/data/beijing-cppcc-2021.txt" >/dev/null 2>&1
uuid=$(q "select uuid from form")
before=$(j show 1 --format json)
rows=$(q "select count(*) from indicator where form_uuid = '$uuid'")
v0=$(q "select version from form")

# ---- the command line ------------------------------------------------------------
run j delete 1
is "$rc" 0 "delete exits 0"
contains "$out" "jxzp restore 1" "the message on delete says how to bring it back"
run j show 1
is "$rc" 2 "the deleted form is gone from show"
contains "$err" "form 1 was deleted; “jxzp restore 1” brings it back" "... which says how to bring it back"
run j restore 1
is "$rc" 0 "restore exits 0"
contains "$out" "restored form 1" "... and says so"
run j show 1 --format json
is "$rc" 0 "the form is back under its id"
# the version moves on (delete and restore are two changes); the rest is as it was
strip() { printf '%s\n' "$1" | grep -v '"version"\|"updated"'; }
is "$(strip "$out")" "$(strip "$before")" "... with every field as it was deleted"
is "$(q "select count(*) from indicator where form_uuid = '$uuid'")" "$rows" "... and every indicator row"
is "$(q "select version from form")" "$((v0 + 2))" "delete and restore are two versions (bundles carry them)"
is "$(q "select old_value || '→' || new_value from history where path = 'deleted' order by at, rowid" | tr '\n' ' ')" \
	"0→1 1→0 " "the history has the delete and the restore"
run j list
contains "$out" "政协委员履职平台专项运维" "list shows it again"

run j restore 1
is "$rc" 1 "restoring a live form is refused, exit 1"
contains "$err" "not deleted" "... saying it is not deleted"
run j restore 99
is "$rc" 2 "restoring an id never known: exit 2"
contains "$err" "no form with id 99" "... naming it"
run j restore
is "$rc" 2 "restore without an id: exit 2"

# a live form took its unit, year and project meanwhile
j delete 1 >/dev/null
unit=$(q "select unit from form"); project=$(q "select project from form")
nid=$(j new --unit "$unit" --year 2021 --project "$project")
run j restore 1
is "$rc" 1 "restoring over a live form of the same unit, year, project is refused"
contains "$err" "(id $nid)" "... naming the form that holds them"
is "$(q "select deleted from form where uuid = '$uuid'")" 1 "... and the deleted form stays deleted"
j delete "$nid" >/dev/null
run j restore 1
is "$rc" 0 "once that one is gone, it comes back"

# the messages in Chinese too
run env LANGUAGE=zh_CN "$JXZP" --db "$DB" delete 1
contains "$out" "jxzp restore 1" "in Chinese the message on delete names the command too"
lacks "$out" "brings it back" "... in Chinese words"
run env LANGUAGE=zh_CN "$JXZP" --db "$DB" restore 1
lacks "$out" "restored" "restore speaks Chinese under LANGUAGE=zh_CN"

# ---- the screen: u right after d ----------------------------------------------------
tm_start 120 30 "JXZP_DB=$DB JXZP_FIXED_TIME=1 $JXZP"
check "the list" tm_wait "政协委员履职平台专项运维"
lacks "$(screen | tail -n 1)" "u undo" "no undo in the key bar before a delete"
tm_keys d
check "d asks first" tm_wait "Its history is kept"
tm_keys y
check "the form leaves the list" tm_wait_gone "政协委员履职平台专项运维"
check "the message says u brings it back" tm_wait "u brings it back"
contains "$(screen | tail -n 1)" "u undo delete" "the key bar shows u"
is "$(q "select deleted from form where uuid = '$uuid'")" 1 "the database has it deleted"
tm_keys u
check "u brings it back to the list" tm_wait "政协委员履职平台专项运维"
check "... and says so" tm_wait "Form 1 is back"
is "$(q "select deleted from form where uuid = '$uuid'")" 0 "the database has it live"
lacks "$(screen | tail -n 1)" "u undo" "the key bar has no undo once it is used"
tm_keys u
settle
is "$(q "select deleted from form where uuid = '$uuid'")" 0 "a second u does nothing"
tm_keys F1
check "F1 lists u" tm_wait "bring back the form just deleted"

done_testing
