#!/bin/sh
# languages: every message whole in the interface's language.
#
# The output of check (text and -v), show, list and summary, and the screens
# of the forms list, a form, the pager and the summaries, are read under
# LANG=zh_CN.UTF-8 and LANG=C.UTF-8.  In Chinese, every run of Latin words
# must come from a Chinese message (key names, "jxzp", units written inside
# it) or from the forms' own text; in English, every run of Chinese
# characters must come from an English message (the official labels it
# quotes), the paper form's labels in the sources, or the forms' text.  So
# "(several figures in the text…)" in a Chinese message, "draft" in a
# Chinese list, or 草稿 / 已提交 / 退回原因 / 个警告 on an English screen
# fail.  Rule codes (REQUIRED, TAXONOMY…) appear in neither language's text,
# only under check -v and --format json.  And the catalogue is complete:
# msgfmt --statistics counts no untranslated and no fuzzy message.
. "$(dirname "$0")/lib.sh"
require python3 python3
require sqlite3 sqlite3
require msgfmt gettext
DB=$T/l.db
. "$(dirname "$0")/screen_lib.sh"
F=$JXZP_SRCDIR/tests/fixtures

# ---- the catalogue is complete ---------------------------------------------------
stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$JXZP_SRCDIR/po/zh_CN.po" 2>&1)
contains "$stats" "translated message" "msgfmt --statistics reads zh_CN.po: $stats"
lacks "$stats" "untranslated" "... no untranslated message"
lacks "$stats" "fuzzy" "... no fuzzy message"

# ---- forms in every state, with findings of every kind -------------------------------
for f in beijing-cppcc-2021.txt fengtai-2023.txt chaoyang-2024-part.txt; do
	"$JXZP" --db "$DB" import "$F/$f" >/dev/null 2>&1
done
ok_id=$(q "select l.id from form_local l join form f on f.uuid = l.form_uuid where f.project = '2023 年区电子政务外网运维'")
"$JXZP" --db "$DB" submit "$ok_id" >/dev/null 2>&1
ok2=$(q "select l.id from form_local l join form f on f.uuid = l.form_uuid where f.project = '2023 年核心机房安全运维费'")
"$JXZP" --db "$DB" submit "$ok2" >/dev/null 2>&1
"$JXZP" --db "$DB" return "$ok2" --reason "请补充偏差原因分析" >/dev/null 2>&1
is "$(q "select status from form where status != 'draft' order by status" | tr '\n' ' ')" "returned submitted " \
	"one form submitted, one returned"
"$JXZP" --db "$DB" export --all --format json -o "$T/data.json"
q "select return_reason from form where return_reason is not null" > "$T/data.more"
ids=$(q "select id from form_local order by id" | tr '\n' ' ')

# zh: the real locale where the machine has it, else the catalogue by LANGUAGE
if locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
	ZH="LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 LANGUAGE="
else
	ZH="LANG=C.UTF-8 LC_ALL=C.UTF-8 LANGUAGE=zh_CN"
fi
EN="LANG=C.UTF-8 LC_ALL=C.UTF-8 LANGUAGE="

# out LANG-ENV FILE: the command line's text output, all of it, into FILE
out() {
	{
		env $1 "$JXZP" --db "$DB" check --all
		env $1 "$JXZP" --db "$DB" list
		env $1 "$JXZP" --db "$DB" summary
		for id in $ids; do env $1 "$JXZP" --db "$DB" show "$id"; done
	} > "$2" 2>&1
	env $1 "$JXZP" --db "$DB" check --all -v > "$2.v" 2>&1
}
out "$ZH" "$T/zh.txt"
out "$EN" "$T/en.txt"
contains "$(cat "$T/zh.txt")" "个警告" "the Chinese output is Chinese"
contains "$(cat "$T/en.txt")" "warning" "the English output is English"

# screens: the forms list, the returned form, the pager, the summaries
screens() {	# screens LANG-ENV FILE
	tm kill-server 2>/dev/null
	tm new-session -d -s t -x 120 -y 40 \
		"env $1 TERM=xterm-256color HOME='$HOME' JXZP_FIXED_TIME=1 '$JXZP' --db '$DB'; sleep 600"
	tm set-option -t t status off >/dev/null
	tm_wait "2023" 50 || diag "the list did not come"
	{
		screen
		tm_keys t; sleep 0.3; screen		# the summaries
		tm_keys Escape; sleep 0.3
		tm_keys r; sleep 0.5; screen		# the pager
		tm_keys Escape; sleep 0.3
		tm_keys / ; tm_text "核心机房"; tm_keys Enter; sleep 0.3
		tm_keys Enter; sleep 0.5; screen	# the returned form
		tm_keys Escape; sleep 0.3
		tm_keys Escape; sleep 0.3; tm_keys End; sleep 0.3
		tm_keys Enter; sleep 0.5		# a form with findings
		for k in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25; do tm_keys Tab; done
		sleep 0.3; screen
		tm_keys F5; sleep 0.3; screen		# its findings
	} > "$2"
	tm kill-server 2>/dev/null
}
if need tmux tmux; then
	screens "$ZH" "$T/zh.scr"
	screens "$EN" "$T/en.scr"
	contains "$(cat "$T/zh.scr")" "退回原因：请补充偏差原因分析" "the Chinese screens show the returned form"
	contains "$(cat "$T/en.scr")" "Returned because: 请补充偏差原因分析" "the English screens show the returned form"
else
	: > "$T/zh.scr"; : > "$T/en.scr"	# need said it: a failure
fi

# ---- the scan --------------------------------------------------------------------------
python3 - "$JXZP_SRCDIR" "$T" <<'EOF' > "$T/scan" 2>&1
import json, re, sys, os
src, t = sys.argv[1], sys.argv[2]

# the catalogue: msgids (English) and msgstrs (Chinese)
def unq(s):
    return bytes(s, 'utf-8').decode('unicode_escape').encode('latin-1').decode('utf-8')
ids, strs, cur, key = [], [], None, None
for line in open(os.path.join(src, 'po/zh_CN.po'), encoding='utf-8'):
    line = line.strip()
    m = re.match(r'(msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
    if m:
        key = m.group(1)
        (ids if key.startswith('msgid') else strs).append(unq(m.group(2)))
    elif line.startswith('"') and key:
        (ids if key.startswith('msgid') else strs)[-1] += unq(line[1:-1])
    elif not line:
        key = None
en_msgs, zh_msgs = '\n'.join(ids), '\n'.join(strs)

# the forms' own text, whatever the language
data = []
def walk(v):
    if isinstance(v, str): data.append(v)
    elif isinstance(v, dict): [walk(x) for x in v.values()]
    elif isinstance(v, list): [walk(x) for x in v]
walk(json.load(open(os.path.join(t, 'data.json'), encoding='utf-8')))
data = '\n'.join(data) + open(os.path.join(t, 'data.more'), encoding='utf-8').read()
# the paper form's labels, which both languages print (the printout, the grid)
labels = ''
for f in ('src/form.c', 'src/io_print.c', 'src/io_paper.c', 'ui/formgrid.c'):
    p = os.path.join(src, f)
    if os.path.exists(p):
        labels += '\n'.join(re.findall(r'"((?:[^"\\]|\\.)*)"', open(p, encoding='utf-8').read()))

codes = set()
for line in open(os.path.join(t, 'en.txt.v'), encoding='utf-8'):
    m = re.match(r'\s+\S+\s+([A-Z][A-Z_]+[A-Z])\s', line)
    if m: codes.add(m.group(1))
codes |= {'REQUIRED', 'NOT_A_NUMBER', 'TAXONOMY', 'RULE_SCORE', 'DEVIATION_MISSING',
          'RATE_MISMATCH', 'TARGET_UNREAD', 'SCORE_OVER_WEIGHT', 'SUGGESTION'}

bad = 0
def report(what, lang, frag, line):
    global bad
    bad += 1
    if bad <= 40:
        print('%s %s: %r in: %s' % (lang, what, frag, line.strip()[:160]))

def scan(lang, path):
    seen = set()
    for line in open(path, encoding='utf-8'):
        for c in codes:
            if re.search(r'\b%s\b' % c, line) and (lang, c) not in seen:
                seen.add((lang, c)); report('rule code', lang, c, line)
        if lang == 'zh':
            # runs of Latin words (2+ letters each, spaces between)
            for m in re.finditer(r"[A-Za-z][A-Za-z'’]+(?:[ -]+[A-Za-z][A-Za-z'’]+)*", line):
                w = m.group(0)
                if w in zh_msgs or w in data or w in seen:
                    continue
                seen.add(w); report('English in Chinese', lang, w, line)
        else:
            for m in re.finditer(r'[\u3400-\u9fff\uff01-\uff5e\u3001-\u3011]{2,}', line):
                w = m.group(0)
                if w in en_msgs or w in data or w in labels or w in seen:
                    continue
                seen.add(w); report('Chinese in English', lang, w, line)
for lang in ('zh', 'en'):
    for suffix in ('.txt', '.scr'):
        scan(lang, os.path.join(t, lang + suffix))
print('fragments:', bad)
EOF
scan=$(cat "$T/scan")
contains "$scan" "fragments: 0" "no fragment of the other language, no rule code, in text or on screen"
[ -n "${JXZP_LANG_DEBUG:-}" ] && cp "$T"/zh.* "$T"/en.* /tmp/ 2>/dev/null

# -v and JSON keep the codes
contains "$(cat "$T/zh.txt.v")" "SUGGESTION" "check -v shows the rule codes, in Chinese too"
contains "$(env $ZH "$JXZP" --db "$DB" check --all --format json)" '"code": "' "... and --format json"

# plurals: one warning is one warning
one=$(env $EN "$JXZP" --db "$DB" check --all | grep -c '(0 errors, 1 warning)')
check "'1 warning' in the singular" [ "$one" -gt 0 ]
lacks "$(cat "$T/en.txt")" "1 warnings" "... never '1 warnings'"
lacks "$(cat "$T/en.txt")" " 1 errors" "... nor '1 errors'"
done_testing
