#!/bin/sh
# tests/bench/check_all.sh [N]: `jxzp check --all` over N stored forms
# (default 10000) against sqlite3 reading the same rows, wall time.
# The forms are the 30 sample forms (data/), exported as JSON and copied N
# times over with distinct project names, then imported once.  Needs a
# build (./quickstart test), python3 and sqlite3.  Prints one line per run.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-10000}
J=$top/build/jxzp
[ -x "$J" ] || { echo "check_all.sh: build first (./quickstart test)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/bench.db
"$J" --db "$tmp/seed.db" import "$top"/data/*.txt >/dev/null
"$J" --db "$tmp/seed.db" export --all --format json -o "$tmp/seed.json"
python3 - "$tmp/seed.json" "$n" "$tmp/many.json" <<'PY'
import json, sys
seed = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
out = []
for k in range(n):
    f = dict(seed[k % len(seed)])
    f.pop("id", None); f.pop("status", None); f.pop("uuid", None)
    f["project"] = "%s #%d" % (f["project"], k)
    f["indicators"] = [{k2: v for k2, v in i.items() if k2 != "uuid"} for i in f["indicators"]]
    out.append(f)
json.dump(out, open(sys.argv[3], "w"), ensure_ascii=False)
PY
t0=$(date +%s.%N)
"$J" --db "$db" import "$tmp/many.json" >/dev/null
t1=$(date +%s.%N)
echo "import of $n forms: $(echo "$t1 - $t0" | bc) s"
forms=$(sqlite3 "$db" "SELECT count(*) FROM form")
rows=$(sqlite3 "$db" "SELECT count(*) FROM indicator")
echo "database: $forms forms, $rows indicator rows, $(du -k "$db" | cut -f1) KiB"
best() {	# best of three wall times of a command, in seconds
	b=
	for i in 1 2 3; do
		s=$(date +%s.%N)
		"$@" >/dev/null 2>&1 || true
		e=$(date +%s.%N)
		t=$(echo "$e - $s" | bc)
		if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" = 1 ]; then b=$t; fi
	done
	echo "$b"
}
echo "jxzp check --all (text):  $(best "$J" --db "$db" check --all) s"
echo "jxzp check --all --format json: $(best "$J" --db "$db" check --all --format json) s"
echo "sqlite3, every form, fund and indicator row once: $(best sqlite3 "$db" \
	"SELECT * FROM form ORDER BY unit, year, project; SELECT * FROM fund ORDER BY form_uuid; SELECT * FROM indicator ORDER BY form_uuid, pos") s"
echo "sqlite3, the forms alone: $(best sqlite3 "$db" "SELECT * FROM form ORDER BY unit, year, project") s"
