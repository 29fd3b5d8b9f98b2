#!/bin/sh
# kill_loops: kill -9 at random moments, many times (issue 15's report).
# A loop of `jxzp set` is killed while it runs: every set that exited 0 is
# in the database (the field at least at the last acknowledged number, one
# history row per number, none missing) and the database is sound.  The
# screen is killed while typing: every field that was left (Tab) is saved.
# JXZP_KILL_SET_RUNS (default 10) and JXZP_KILL_SCREEN_RUNS (default 3) set
# the counts; the report ran 200 and 50.
. "$(dirname "$0")/lib.sh"
require sqlite3 sqlite3
DB=$T/j.db
. "$(dirname "$0")/screen_lib.sh"
SETS=${JXZP_KILL_SET_RUNS:-10}
SCREENS=${JXZP_KILL_SCREEN_RUNS:-3}

id=$(JXZP_DB=$DB "$JXZP" new --unit U --year 2024 --project P)
check "a form" test -n "$id"

# the loop: sets lead to n, n+1, ...; appends n to acked after each exit 0
loop() {
	_n=$1
	while :; do
		JXZP_DB=$DB "$JXZP" set "$id" "lead=$_n" > /dev/null 2>&1 && echo "$_n" >> "$T/acked"
		_n=$((_n + 1))
	done
}
bad=0 next=1 kills=0
r=0
while [ "$r" -lt "$SETS" ]; do
	loop "$next" & lp=$!
	# 50..300 ms in
	sleep "0.$(( $(od -An -N1 -tu1 /dev/urandom) % 25 + 5 ))"
	# kill the jxzp running now (the loop's child), then the loop
	kid= _t=0
	while [ -z "$kid" ] && [ "$_t" -lt 50 ]; do
		kid=$(pgrep -P "$lp" | head -n 1); _t=$((_t + 1))
	done
	[ -n "$kid" ] && kill -9 "$kid" 2>/dev/null && kills=$((kills + 1))
	kill -9 "$lp" 2>/dev/null; wait "$lp" 2>/dev/null
	last=$(tail -n 1 "$T/acked" 2>/dev/null); last=${last:-0}
	have=$(q "select lead from form")
	[ "$(q "pragma integrity_check")" = ok ] || { bad=$((bad + 1)); diag "round $r: integrity"; }
	if [ -n "$have" ] && [ "$have" -ge "$last" ] 2>/dev/null; then :; else
		[ "$last" = 0 ] || { bad=$((bad + 1)); diag "round $r: lead $have < acknowledged $last"; }
	fi
	next=$(( ${have:-0} + 1 ))
	[ "$next" -gt "$last" ] || next=$((last + 1))
	r=$((r + 1))
done
acked=$(wc -l < "$T/acked" 2>/dev/null || echo 0)
missing=$(sort -n "$T/acked" | while read -r n; do
		[ "$(q "select count(*) from history where path = 'lead' and new_value = '$n'")" -ge 1 ] || echo "$n"
	done | wc -l)
diag "set loops: $SETS runs, $kills kills of a running jxzp, $acked sets acknowledged, $missing of them missing, $bad bad rounds"
is "$bad|$missing" "0|0" "kill -9 of set loops ($SETS runs): nothing acknowledged lost, the database sound"

tm_start 100 30 "JXZP_DB=$DB JXZP_FIXED_TIME=1 $JXZP open $id"
lost=0
r=0
while [ "$r" -lt "$SCREENS" ]; do
	tm_wait "项目支出绩效自评表" >/dev/null || { lost=$((lost + 1)); diag "screen round $r: did not open"; }
	# the focus starts on 项目名称: type, leave it (saved), type in the next, kill
	tm_keys C-u
	tm_text "项目$r"
	tm_keys Tab
	wait_db "select project from form" "项目$r" || { lost=$((lost + 1)); diag "screen round $r: not saved"; }
	tm_text "部门$r"
	kill -9 "$(tm_pid)"
	[ "$(q "select project from form")" = "项目$r" ] || { lost=$((lost + 1)); diag "screen round $r: lost after kill"; }
	[ "$(q "pragma integrity_check")" = ok ] || { lost=$((lost + 1)); diag "screen round $r: integrity"; }
	tm respawn-pane -k -t t "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color JXZP_DB=$DB JXZP_FIXED_TIME=1 $JXZP open $id; sleep 600"
	r=$((r + 1))
done
diag "screen: $SCREENS kills while typing, $lost losses"
is "$lost" 0 "kill -9 of the screen while typing ($SCREENS runs): every field left was saved"
done_testing
