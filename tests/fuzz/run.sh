#!/bin/sh
# tests/fuzz/run.sh [SECONDS [target|rules] [libFuzzer options...]]: builds a
# libFuzzer target with ASan+UBSan into build-fuzz/ and runs it for SECONDS
# (default 600): "target" (the default) fuzzes target_read on a corpus
# seeded from tests/fuzz/seeds, "rules" fuzzes rules_run over whole forms.
# Needs clang and its fuzzer runtime (Debian: apt-get install clang libclang-rt-14-dev).
# Run it under nice: the machine is shared.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-600}
[ $# -gt 0 ] && shift
which=${1:-target}
[ $# -gt 0 ] && shift
out=$top/build-fuzz
mkdir -p "$out/corpus"
# config.h comes from a configured build tree
cfg=$top/build
[ -f "$cfg/config.h" ] || { echo "run.sh: configure first (./quickstart test)" >&2; exit 2; }
CC=${CC:-clang}
flags="-g -O1 -std=c11 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I$cfg -I$top/src"
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
case $which in
target)
	$CC $flags "$top/tests/fuzz/fuzz_target.c" "$top/src/target.c" "$top/src/num.c" \
		-lunistring -o "$out/fuzz_target"
	cp -n "$top"/tests/fuzz/seeds/* "$out/corpus/" 2>/dev/null || true
	exec "$out/fuzz_target" -max_total_time="$secs" -max_len=1024 -print_final_stats=1 "$@" "$out/corpus"
	;;
rules)
	mkdir -p "$out/corpus-rules"
	$CC $flags "$top/tests/fuzz/fuzz_rules.c" "$top/src/rules.c" "$top/src/rules_memo.c" "$top/src/ruleset.c" \
		"$top/src/target.c" "$top/src/num.c" "$top/src/keyhash.c" "$top/src/form.c" "$cfg/src/schema_sql.c" \
		-lunistring -o "$out/fuzz_rules"
	exec "$out/fuzz_rules" -max_total_time="$secs" -max_len=4096 -print_final_stats=1 "$@" "$out/corpus-rules"
	;;
*)
	echo "run.sh: unknown target $which (target or rules)" >&2
	exit 2
	;;
esac
