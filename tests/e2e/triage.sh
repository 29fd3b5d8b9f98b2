#!/bin/sh
# triage.sh: the reviewer's triage — `jxzp triage` over the published
# samples (what fires, by form, and per unit), the cache in the database
# following a change, a copy made across units, a project carried forward
# three years with its target never raised; the pager's 风险 column, its
# order and signal filter, and the signals on the form (⚑, n reaches them).
. "${JXZP_SRCDIR:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
DB="$T/t.db"
. "$JXZP_SRCDIR/tests/e2e/screen_lib.sh"

j() { "$JXZP" --db "$DB" "$@"; }
for f in chaoyang-2024-part.txt fengtai-2023.txt beijing-cppcc-2021.txt; do
	j import "$JXZP_SRCDIR/data/$f" >/dev/null
done
id_of() { q "SELECT l.id FROM form f JOIN form_local l ON l.form_uuid = f.uuid WHERE f.project = '$1'"; }
NET=$(id_of 2022-2023年朝阳区互联网接入服务)
WAN=$(id_of 2022年区级政务外网网络及终端技术服务外包)

# ---- the command line --------------------------------------------------------------
out=$(j triage); rc=$?
is "$rc" 0 "jxzp triage exits 0"
is "$(q "SELECT count(*) FROM triage WHERE stale = 1")" 0 "... every form's triage is computed and cached"
is "$(q "SELECT count(*) FROM triage")" 30 "... one row per form"
first=$(printf '%s\n' "$out" | head -n 1)
contains "$first" "2022年区级政务外网网络及终端技术服务外包" "the highest risk first: two signals"
contains "$first" "30" "... risk 30 (COST_FUNDS 20 + REPEATS_GOAL 10, schema/triage_weights.tsv)"
contains "$out" "the cost indicator's actual 757.82892 万元 is above the 738.62892 万元 spent" \
	"互联网接入服务: its 7578289.2 元 cost row against 738.62892 万元 spent"
is "$(printf '%s\n' "$out" | grep -c '^        COST_FUNDS')" 4 "four cost rows above what was spent (checked by reading the forms)"
is "$(printf '%s\n' "$out" | grep -c '^        REPEATS_GOAL')" 3 "three 实际完成情况 that repeat 预期目标"
contains "$out" "北京市朝阳区数据局: 9 forms, 5 with signals" "per unit: forms and forms with signals"
contains "$out" "北京市丰台区大数据管理中心: 19 forms, 1 with signals" "... the other unit"
is "$(q "SELECT score FROM triage WHERE form_id = $NET")" 20 "the DB holds 互联网接入服务's score"

out=$(j triage --unit 北京市丰台区大数据管理中心 --format csv)
is "$(printf '%s\n' "$out" | grep -c '^form,')" 19 "--unit --format csv: a row per form of that unit"
contains "$out" "form,$(id_of 2023年互联网网络出口租费),2023,北京市丰台区大数据管理中心,2023年互联网网络出口租费,draft,10,REPEATS_GOAL" "... with its signal"
lacks "$out" "北京市朝阳区数据局" "... and no other unit"
out=$(j triage --year 2021 --format json)
contains "$out" '"forms": [' "--format json: the forms"
contains "$out" '"unit": "北京市政协本级行政"' "... of 2021 only"
contains "$out" '"flagged": 0' "... per unit the counts"
j triage --format xml >/dev/null 2>&1; is "$?" 2 "--format xml is a usage error"
j triage --signal NOPE >/dev/null 2>&1; is "$?" 2 "an unknown --signal is a usage error"
out=$(j triage --signal COST_FUNDS --format csv)
is "$(printf '%s\n' "$out" | grep '^form,' | cut -d, -f2 | sort -u | wc -l | tr -d ' ')" 4 "--signal COST_FUNDS: the four forms that have it"

# ---- the cache follows a change -----------------------------------------------------------
j set "$NET" 'indicators[4].actual=7386289.2' >/dev/null
is "$(q "SELECT stale FROM triage WHERE form_id = $NET")" 1 "a save marks the form's triage stale (trigger)"
out=$(j triage)
lacks "$out" "757.82892" "after the cost row is corrected, its signal is gone"
is "$(q "SELECT score || ' ' || stale FROM triage WHERE form_id = $NET")" "0 0" "... its score in the DB is 0, fresh"

# a copy across units: 网站技术运维's 实际完成情况 given to 互联网接入服务 with a few characters changed
src=$(q "SELECT goals_achieved FROM form WHERE project = '2023年丰台区政府网站技术运维'")
SITE=$(id_of 2023年丰台区政府网站技术运维)
copy=$(printf '%s' "$src" | sed 's/24 小时/二十四小时/')
j set "$NET" "goals.achieved=$copy" >/dev/null
out=$(j triage --signal COPIED_TEXT)
contains "$out" "实际完成情况 is about" "a near copy of another unit's 实际完成情况 is found"
contains "$out" "same as form $SITE (2023), another project" "... naming the form it copies"
contains "$out" "same as form $NET (2024), another project" "... on both forms"
is "$(q "SELECT (mask >> 3) & 1 FROM triage WHERE form_id = $SITE")" 1 "... the other form's cached mask has COPIED_TEXT"
j set "$NET" "goals.achieved=完成互联网接入服务，带宽全年可用。" >/dev/null
out=$(j triage --signal COPIED_TEXT)
lacks "$out" "same as form $NET" "rewritten: the other form no longer names it (the part pass reached it)"

# a project carried forward three years: target never raised while beaten
cat >"$T/y1.json" <<'JSON'
[{"layout": "district-2024", "ruleset": "beijing", "year": 2022, "project": "机房维保",
  "unit": "甲测试单位", "department": "某局",
  "funds": {"total": {"budget": "100", "spent": "100", "weight": "10", "score": "10"}},
  "goals": {"expected": "保障机房设备稳定运行", "achieved": "全年巡检十五次"},
  "indicators": [{"level1": "产出指标", "level2": "数量指标", "name": "巡检次数", "nature": "≥",
    "target": "10", "unit_of_measure": "次", "actual": "15", "weight": "90", "score": "90"}]}]
JSON
j import "$T/y1.json" >/dev/null
id=$(id_of 机房维保)
y2=$(j new --from "$id" --year 2023)
j set "$y2" 'indicators[1].actual=16' 'indicators[1].score=90' >/dev/null
y3=$(j new --from "$y2" --year 2024)
j set "$y3" 'indicators[1].actual=18' 'indicators[1].score=90' >/dev/null
out=$(j triage --unit 甲测试单位)
contains "$out" "the actual beat this target 3 years running and the target never rose (since form $id, 2022)" \
	"carried forward three years: TARGET_FLAT on the third"
contains "$out" "the actual beat this target 2 years running" "... and on the second"
j set "$y3" 'indicators[1].target=15' >/dev/null
out=$(j triage --unit 甲测试单位)
lacks "$out" "3 years running" "the target raised in 2024: no longer on the third year"
contains "$out" "2 years running" "... 2023 still"
is "$(q "SELECT (mask >> 2) & 1 FROM triage WHERE form_id = $y3")" 0 "... the DB's mask for 2024 follows"

# ---- the pager ----------------------------------------------------------------------------
for i in "$WAN" "$NET" 9 17 20; do j submit "$i" >/dev/null 2>&1; done
nsub=$(q "SELECT count(*) FROM form WHERE status = 'submitted'")
tm_start 130 40 "JXZP_FIXED_TIME=1 '$JXZP' --db '$DB' review"
tm_wait "sorted by risk" || true
s=$(screen)
contains "$s" "submitted forms: $nsub" "the pager opens on the submitted forms"
contains "$s" "sorted by risk ↓" "... by risk, highest first"
contains "$s" "Risk" "... with a Risk (风险) column"
contains "$(printf '%s\n' "$s" | sed -n 6p)" "2022年区级政务外网网络及终端技" "... the riskiest form on the first row"
contains "$(printf '%s\n' "$s" | sed -n 6p)" "│     30 │" "... its risk shown"
contains "$s" "risk 30: completion repeats the goal; cost against funds;" "the status line names its signals"
tm_keys v v v v v v v v v
s=$(screen)
contains "$s" "signal: cost against funds" "v nine times: the signal filter is on 成本 against funds"
contains "$s" "submitted forms: 1" "... one submitted form has it"
tm_keys v v v
s=$(screen)
lacks "$s" "signal:" "v past the last signal: every form again"
tm_keys Enter
s=$(screen)
contains "$s" "jxzp │ 1/$nsub │" "Enter opens the riskiest form"
tm_keys n
s=$(screen)
contains "$s" "⚑" "n reaches a field a signal points at; the status line says why"
i=0
while [ $i -lt 8 ] && ! screen | grep -qF "⚑ cost against funds"; do tm_keys n; i=$((i + 1)); done
s=$(screen)
contains "$s" "⚑ cost against funds：the cost indicator's actual 494.768 万元 is above the 246.768 万元 spent" \
	"... n again: the cost row's signal"
tm_keys Escape
s=$(screen)
contains "$s" "sorted by risk" "Esc: back in the pager"
tm_keys o
s=$(screen)
contains "$s" "sorted by risk ↑" "o: lowest risk first"
lacks "$(printf '%s\n' "$s" | sed -n 6p)" "政务外网网络及终端技术服务外包" "... the riskiest is no longer first"
tm_keys q
quit_wait
tm kill-server 2>/dev/null

# another program holding the write lock past the wait (an import): triage
# lists the risks as last worked out, and says so
require sqlite3 sqlite3
sqlite3 "$DB" "UPDATE triage SET stale = 1"
hold_write_lock "$DB" 8
j triage > "$T/out" 2> "$T/err"; rc=$?
wait
is "$rc" 0 "triage while another program writes: exit 0"
contains "$(cat "$T/err")" "as last worked out" "... saying the risks are as last worked out"
contains "$(cat "$T/out")" "政务外网网络及终端技术服务外包" "... and listing them"
done_testing
