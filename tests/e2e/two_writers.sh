#!/bin/sh
# two_writers: two processes running `jxzp set` on one form at once
# (issue 15).  100 trials each of different fields and of the same field:
# no set of a field nobody else changed is refused, and no acknowledged
# update is lost (each is in the history, and the form ends with the value
# of the last one).  JXZP_TRIALS changes the count.
. "$(dirname "$0")/lib.sh"
DB=$T/j.db
N=${JXZP_TRIALS:-100}
q() { sqlite3 -cmd ".timeout 5000" "$DB" "$1"; }

id=$(JXZP_DB=$DB "$JXZP" new --unit U --year 2024 --project P 2> "$T/err")
check "a form to write to" test -n "$id"

# writer NAME PATH: N sets of PATH to NAME1..NAME<N>; one line per refusal
writer() {
	_i=1
	while [ "$_i" -le "$N" ]; do
		JXZP_DB=$DB "$JXZP" set "$id" "$2=$1$_i" > /dev/null 2>> "$T/refused.$1" ||
			echo "$1$_i" >> "$T/fail.$1"
		_i=$((_i + 1))
	done
}

# different fields: lead and phone
writer A lead & a=$!
writer B phone & b=$!
wait $a; wait $b
refA=$(cat "$T/fail.A" 2>/dev/null | wc -l); refB=$(cat "$T/fail.B" 2>/dev/null | wc -l)
diag "different fields: $N + $N sets, refused: $refA + $refB" "$(head -n 3 "$T/refused.A" "$T/refused.B" 2>/dev/null)"
is "$((refA + refB))" 0 "different fields: no set refused ($N + $N)"
is "$(q "select lead || '|' || phone from form")" "A$N|B$N" "different fields: both writers' last values are there"
is "$(q "select count(*) from history where path = 'lead' and new_value like 'A%'")" "$N" \
	"... every lead update is in the history"
is "$(q "select count(*) from history where path = 'phone' and new_value like 'B%'")" "$N" \
	"... every phone update is in the history"

# the same field: department
rm -f "$T"/fail.* "$T"/refused.*
writer C department & a=$!
writer D department & b=$!
wait $a; wait $b
refC=$(cat "$T/fail.C" 2>/dev/null | wc -l); refD=$(cat "$T/fail.D" 2>/dev/null | wc -l)
diag "same field: $N + $N sets, refused: $refC + $refD"
acked=$((2 * N - refC - refD))
is "$(q "select count(*) from history where path = 'department' and new_value glob '[CD]*'")" "$acked" \
	"same field: every acknowledged update is in the history ($acked)"
last=$(q "select new_value from history where path = 'department' order by at desc, rowid desc limit 1")
is "$(q "select department from form")" "$last" "... and the form holds the last one ($last)"
is "$(q "select count(*) from (select old_value, lag(new_value) over (order by at, rowid) as prev from history where path = 'department') where prev is not null and old_value is not prev")" 0 \
	"... each update replaced the one before it (no write based on a stale read)"
is "$((refC + refD))" 0 "same field: no set refused either (a one-shot set reads and writes in one transaction)"
done_testing
