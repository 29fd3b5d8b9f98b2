#!/bin/sh
# files.sh [N [SOFFICE_SAMPLE]]: how fast jxzp reads forms from .xlsx (and
# .docx) and .pdf files, beside what a user would otherwise run.
#
# N (default 1000) copies of the 30 sample .xlsx (tests/fixtures/files),
# imported by one `jxzp import` into a fresh database (reading, checking,
# storing).  Beside it: `soffice --headless --convert-to csv` over a sample
# of SOFFICE_SAMPLE of the same files (default 50; LibreOffice takes about
# a second a file, so 1,000 would take a quarter of an hour), scaled to N.
# Also `jxzp check` of the N .docx copies.  And N copies of the 30 sample
# .pdf, imported and checked, beside `pdftotext -layout` on the same N
# files, one run per file (the floor for reading a PDF's text; goal: jxzp
# within 3 times it).  CPU seconds (user + system).
# The import reads and checks every file; the copies of a form already
# imported are reported and not stored again, so it stores 30 forms: the
# `check` lines are the reading alone.
#
#   tests/bench/files.sh              # uses build/jxzp
# Needs: LibreOffice (soffice) and pdftotext (poppler-utils, in
# ./quickstart bench-deps) for the peers.  Not part of make check (timed).
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
secs() { tail -n 1 "$T/cpu" | awk '{ printf "%.2f", $1 + $2 }'; }
mkdir -p "$T/x" "$T/d" "$T/s" "$T/csv" "$T/p"
set -- "$top"/tests/fixtures/files/*/*.xlsx
i=0
while [ "$i" -lt "$n" ]; do
	for f in "$top"/tests/fixtures/files/*/*.xlsx; do
		[ "$i" -lt "$n" ] || break
		cp "$f" "$T/x/$i.xlsx"
		cp "${f%.xlsx}.docx" "$T/d/$i.docx"
		cp "${f%.xlsx}.pdf" "$T/p/$i.pdf"
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

case $("$JXZP" --version) in
*pdf*)
	echo "jxzp import of $n .pdf:    $(cpu "$JXZP" --db "$T/p.db" import "$T"/p/*.pdf)"
	imp=$(secs)
	echo "jxzp check of $n .pdf:     $(cpu "$JXZP" check "$T"/p/*.pdf)"
	if command -v pdftotext >/dev/null; then
		echo "pdftotext -layout of $n .pdf: $(cpu sh -c 'for f; do pdftotext -layout "$f" -; done' sh "$T"/p/*.pdf)"
		awk -v a="$imp" -v b="$(secs)" 'BEGIN { printf "jxzp import / pdftotext: %.2f (goal: at most 3)\n", a / b }'
	else
		echo "pdftotext not installed (poppler-utils): no peer"
	fi ;;
*) echo "this build reads no .pdf" ;;
esac
