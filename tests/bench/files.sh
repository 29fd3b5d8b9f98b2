#!/bin/sh
# files.sh [N [SOFFICE_SAMPLE]]: how fast jxzp reads forms from .xlsx (and
# .docx) files, beside what a user would otherwise run.
#
# N (default 1000) copies of the 30 sample .xlsx (tests/fixtures/files),
# imported by one `jxzp import` into a fresh database (reading, checking,
# storing).  Beside it: `soffice --headless --convert-to csv` over a sample
# of SOFFICE_SAMPLE of the same files (default 50; LibreOffice takes about
# a second a file, so 1,000 would take a quarter of an hour), scaled to N.
# Also `jxzp check` of the N .docx copies.  CPU seconds (user + system).
# The import reads and checks every file; the copies of a form already
# imported are reported and not stored again, so it stores 30 forms: the
# `check` lines are the reading alone.
#
#   tests/bench/files.sh              # uses build/jxzp
# Needs: LibreOffice (soffice) for the peer.  Not part of make check (timed).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
JXZP=${JXZP:-$top/build/jxzp}
n=${1:-1000}
ns=${2:-50}
T=$(mktemp -d "${TMPDIR:-/tmp}/jxzp-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
cpu() {	# cpu CMD...: CPU seconds of CMD and its children, output dropped
	/usr/bin/time -f '%U %S %e' -o "$T/cpu" "$@" > /dev/null 2>&1 || true
	tail -n 1 "$T/cpu" | awk '{ printf "%.2f cpu, %.2f wall", $1 + $2, $3 }'
}
mkdir -p "$T/x" "$T/d" "$T/s" "$T/csv"
set -- "$top"/tests/fixtures/files/*/*.xlsx
i=0
while [ "$i" -lt "$n" ]; do
	for f in "$top"/tests/fixtures/files/*/*.xlsx; do
		[ "$i" -lt "$n" ] || break
		cp "$f" "$T/x/$i.xlsx"
		cp "${f%.xlsx}.docx" "$T/d/$i.docx"
		[ "$i" -lt "$ns" ] && cp "$f" "$T/s/$i.xlsx"
		i=$((i + 1))
	done
done
echo "jxzp import of $n .xlsx:   $(cpu "$JXZP" --db "$T/x.db" import "$T"/x/*.xlsx)"
echo "jxzp check of $n .xlsx:    $(cpu "$JXZP" check "$T"/x/*.xlsx)"
echo "jxzp check of $n .docx:    $(cpu "$JXZP" check "$T"/d/*.docx)"
if command -v soffice >/dev/null; then
	s=$(cpu soffice --headless -env:UserInstallation=file://"$T/lo" --convert-to csv --outdir "$T/csv" "$T"/s/*.xlsx)
	echo "soffice --convert-to csv of $ns .xlsx: $s"
	echo "(scale the soffice line by $n/$ns for the same $n files)"
else
	echo "soffice not installed: no peer"
fi
