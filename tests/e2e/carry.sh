#!/bin/sh
# carry.sh: carry forward (jxzp new --from ID [--year Y], and the key c in
# the forms list): next year's draft keeps the plan and none of the year's
# figures.  What was stored is read back with sqlite3, not with jxzp.
. "$(dirname "$0")/lib.sh"

require sqlite3 sqlite3
DB="$T/a.db"
j() { "$JXZP" --db "$DB" "$@"; }
run() {
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	out=$(cat "$T/out")
	err=$(cat "$T/err")
}
q() { sqlite3 -separator '|' -nullvalue '<null>' "$DB" "$1"; }

# A 2023 form with every kind of field filled in.
cat >"$T/src.json" <<'EOF'
{
  "layout": "district-2024", "ruleset": "beijing",
  "year": 2023, "project": "机房运维", "department": "北京市某区科信局", "unit": "北京市某区数据中心",
  "lead": "王巍", "phone": "010-12345678",
  "funds": {
    "total":         {"initial": "100", "budget": "120", "spent": "118", "weight": "10", "rate": "98.33%", "score": "9.83"},
    "appropriation": {"initial": "100", "budget": "120", "spent": "118", "weight": null, "rate": "98.33%", "score": null},
    "carryover":     {"initial": null, "budget": null, "spent": null, "weight": null, "rate": null, "score": null},
    "other":         {"initial": null, "budget": null, "spent": null, "weight": null, "rate": null, "score": null}
  },
  "goals": {"expected": "全年设备稳定运行。", "achieved": "已稳定运行。"},
  "indicators": [
    {"level1": "产出指标", "level2": "数量指标", "name": "运维设备数量", "nature": "≥", "target": "50", "unit_of_measure": "台", "actual": "52", "weight": "50", "score": "50", "deviation": ""},
    {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "用户满意度", "nature": "≥", "target": "90", "unit_of_measure": "%", "actual": "85", "weight": "40", "score": "30", "deviation": "培训不足，明年加强。"}
  ],
  "total": {"weight": "100", "score": "89.83", "grade": "良"}
}
EOF
run j import "$T/src.json"
is "$rc" 0 "the source form imports"
SRC=$(q "SELECT id FROM form_local")
SRC_UUID=$(q "SELECT uuid FROM form")

# ---- new --from: the year after by default ------------------------------------
run j new --from "$SRC"
is "$rc" 0 "new --from exits 0"
NEW=$out
is "$(q "SELECT count(*) FROM form")" 2 "one form more in the database"
is "$(q "SELECT id FROM form_local WHERE form_uuid <> '$SRC_UUID'")" "$NEW" "new --from prints the new form's id"
NEW_UUID=$(q "SELECT form_uuid FROM form_local WHERE id = $NEW")
is "$(q "SELECT year, unit, project, department, lead, phone, layout, ruleset, status FROM form WHERE uuid = '$NEW_UUID'")" \
	"2024|北京市某区数据中心|机房运维|北京市某区科信局|王巍|010-12345678|district-2024|beijing|draft" \
	"the header is copied, the year is 2024, the status is draft"
is "$(q "SELECT goals_expected, goals_achieved, total_weight, total_score, total_grade FROM form WHERE uuid = '$NEW_UUID'")" \
	"全年设备稳定运行。|<null>|100|<null>|<null>" \
	"the expected goal and the total weight are kept; achieved, total score and grade are empty"
is "$(q "SELECT row, initial, budget, spent, weight, rate, score FROM fund WHERE form_uuid = '$NEW_UUID' ORDER BY row")" \
"appropriation|<null>|<null>|<null>|<null>|<null>|<null>
carryover|<null>|<null>|<null>|<null>|<null>|<null>
other|<null>|<null>|<null>|<null>|<null>|<null>
total|<null>|<null>|<null>|10|<null>|<null>" \
	"funds: only the weights are kept"
is "$(q "SELECT pos, level1, level2, name, nature, target, unit_of_measure, actual, weight, score, deviation FROM indicator WHERE form_uuid = '$NEW_UUID' ORDER BY pos")" \
"0|产出指标|数量指标|运维设备数量|≥|50|台|<null>|50|<null>|<null>
1|满意度指标|服务对象满意度指标|用户满意度|≥|90|%|<null>|40|<null>|<null>" \
	"indicators: the plan is kept, actual, score and deviation are empty"
is "$(q "SELECT count(*) FROM indicator WHERE uuid IN (SELECT uuid FROM indicator WHERE form_uuid = '$SRC_UUID') AND form_uuid = '$NEW_UUID'")" 0 \
	"the rows have fresh uuids"
is "$(q "SELECT count(DISTINCT uuid) FROM indicator")" 4 "... four distinct row uuids in all"
is "$(q "SELECT actual, score, deviation FROM indicator WHERE form_uuid = '$SRC_UUID' AND pos = 1")" \
	"85|30|培训不足，明年加强。" "the source form is untouched"

# ---- refusals ---------------------------------------------------------------------
run j new --from "$SRC"
is "$rc" 1 "carrying forward twice into the same year is refused (exit 1)"
contains "$err" "form $NEW " "... naming the form that holds the year"
is "$(wc -l <"$T/err")" 1 "... in one line"
is "$(q "SELECT count(*) FROM form")" 2 "... and nothing is stored"
run j new --from "$SRC" --year 2023
is "$rc" 1 "carrying forward into the source's own year is refused"
contains "$err" "form $SRC " "... naming the source"
run j new --from 999
is "$rc" 2 "an unknown id exits 2"
contains "$err" "999" "... naming it"
run j new --from "$SRC" --year 二〇二五
is "$rc" 2 "a year that is not a number exits 2"
run j new --from "$SRC" --project X
is "$rc" 2 "--from with --project is a usage error"
is "$(q "SELECT count(*) FROM form")" 2 "no refusal stored anything"

# ---- --year, and carrying a carried form ----------------------------------------------
run j new --from "$NEW" --year 2026
is "$rc" 0 "new --from --year 2026 of the 2024 draft"
N26=$out
is "$(q "SELECT f.year, f.project, f.goals_expected FROM form f JOIN form_local l ON l.form_uuid = f.uuid WHERE l.id = $N26")" \
	"2026|机房运维|全年设备稳定运行。" "... is stored for 2026 with the plan"
is "$(q "SELECT count(*) FROM indicator i JOIN form_local l ON l.form_uuid = i.form_uuid WHERE l.id = $N26")" 2 \
	"... with its two rows"

# ---- the screen: c in the forms list ---------------------------------------------------
if need tmux tmux; then
	DB2="$T/b.db"
	"$JXZP" --db "$DB2" import "$T/src.json" >/dev/null
	tm_start 120 30 "'$JXZP' --db '$DB2'"
	if tm_wait "机房运维"; then
		tm_keys c
		if tm_wait "Carried forward to 2024"; then ok "c in the list shows the new draft"; else
			not_ok "c in the list shows the new draft"; diag "$(tm_capture)"; fi
		tm_keys q
		tm_wait_exit
		is "$(sqlite3 "$DB2" "SELECT year || ' ' || status || ' ' || ifnull(goals_achieved, '-') FROM form ORDER BY year")" \
"2023 draft 已稳定运行。
2024 draft -" "c stored the 2024 draft without the achieved text"
	else
		not_ok "the screen shows the list"; diag "$(tm_capture)"
	fi
fi

done_testing
