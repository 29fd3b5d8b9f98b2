#!/bin/sh
# keys.sh: signed and sealed bundles end to end (issue 16).  Four
# databases: the office, two clerks of unit A, one clerk of unit B.  The
# key exchange; the round trip signed and sealed; a key nobody trusts
# claiming to be the office and approving; B's key changing A's forms; a
# byte flipped in the signature, the header and the payload (the checksum
# made right again, so only the signature can tell); a sealed bundle at
# the wrong database; a revoked key; an old bundle again; old unsigned
# bundles.  Every refusal leaves the database byte for byte as it was
# (cmp), and names the file in one line.
. "$(dirname "$0")/lib.sh"

require sqlite3 sqlite3
O=$T/office.db A1=$T/a1.db A2=$T/a2.db B1=$T/b1.db
UA=北京市朝阳区数据局 UB=北京市丰台区大数据管理中心
j() { _db=$1; shift; "$JXZP" --db "$_db" "$@"; }
run() {
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	out=$(cat "$T/out")
	err=$(cat "$T/err")
}
id_of() { j "$1" list --format json | grep -F "\"project\": \"$2\"" | sed 's/.*"id": \([0-9]*\),.*/\1/'; }
status_of() { j "$1" list --format json | grep -F "\"project\": \"$2\"" | sed 's/.*"status": "\([a-z]*\)".*/\1/'; }
fp_of() { sed -n 's/^fingerprint //p' "$1"; }
# refused DESC DB FILE WANT [apply options]: refused whole, exit 2, one line
# naming the file and WANT, the database unchanged byte for byte.
refused() {
	_d=$1 _db=$2 _f=$3 _w=$4
	shift 4
	cp "$_db" "$T/before.db"
	run j "$_db" bundle apply "$@" "$_f"
	is "$rc" 2 "$_d: refused, exit 2"
	is "$(printf '%s\n' "$err" | wc -l)" 1 "$_d: one line"
	contains "$err" "$_f" "$_d: naming the file"
	contains "$err" "$_w" "$_d: saying why"
	check "$_d: the database is byte for byte as it was" cmp -s "$_db" "$T/before.db"
}
# resum IN OUT: the checksum line made right again over a changed file (a
# forger can do that; only the signature stops it).
resum() {
	_sz=$(($(stat -c %s "$1") - 72 - 137))
	head -c "$_sz" "$1" >"$T/body"
	{ cat "$T/body"; printf 'SHA256 %s\n' "$(sha256sum "$T/body" | cut -c1-64)"; tail -c 137 "$1"; } >"$2"
}
# flip IN OUT OFFSET: one byte changed (its lowest bit)
flip() {
	cp "$1" "$2"
	_b=$(od -An -tu1 -j "$3" -N1 "$1" | tr -d ' ')
	printf "$(printf '\\%03o' $((_b ^ 1)))" | dd of="$2" bs=1 seek="$3" conv=notrunc 2>/dev/null
}

# ---- the key exchange ------------------------------------------------------------------
for d in O A1 A2 B1; do eval "j \"\$$d\" key show >\"\$T/$d.key\""; done
contains "$(cat "$T/A1.key")" "jxzp-key:" "key show prints the key"
fa1=$(fp_of "$T/A1.key")
check "... and a fingerprint of six groups of five digits" \
	sh -c "printf '%s\n' '$fa1' | grep -Eqx '([0-9]{5} ){5}[0-9]{5}'"
is "$(j "$A1" key show | sed -n 3p)" "fingerprint $fa1" "the same key again, the same fingerprint"
j "$O" key trust --unit "$UA" --fingerprint "$fa1" "$T/A1.key" >/dev/null
run j "$O" key trust --unit "$UA" --fingerprint "11111 22222 33333 44444 55555 66666" "$T/A2.key"
is "$rc" 2 "a fingerprint that does not match: refused"
contains "$err" "nothing was trusted" "... and says so"
j "$O" key trust --unit "$UA" "$T/A2.key" >/dev/null
j "$O" key trust --unit "$UB" "$T/B1.key" >/dev/null
for d in A1 A2 B1; do eval "j \"\$$d\" key trust --office --fingerprint \"\$(fp_of \"\$T/O.key\")\" \"\$T/O.key\" >/dev/null"; done
run j "$O" key list
contains "$out" "$fa1  trusted since" "the office lists A1's key with the fingerprint A1 printed (the same on every machine)"
contains "$out" "for $UA" "... for unit A"
run j "$A1" key trust --office "$T/A1.key"
is "$rc" 2 "a database cannot trust its own key"

# ---- the round trip, signed and sealed ------------------------------------------------------
j "$A1" import "$JXZP_SRCDIR/tests/fixtures/chaoyang-2024-part.txt" >/dev/null
P1=2022-2023年朝阳区互联网接入服务 P2=朝阳区5G建设及应用项目
j "$A1" submit "$(id_of "$A1" "$P1")" >/dev/null
run j "$A1" bundle create -o "$T/a1.jxzb"
is "$rc" 0 "A1 writes a bundle"
contains "$out" "signed, and sealed for 2 keys" "... signed, sealed for the office and itself"
check "... nothing of the forms in clear on the stick" sh -c "! grep -q -a -F '互联网接入' '$T/a1.jxzb'"
check "... nor the budget figures" sh -c "! grep -q -a -F '738.62892' '$T/a1.jxzb'"
run j "$O" bundle verify "$T/a1.jxzb"
contains "$out" "signed by $UA (key $fa1, trusted here)" "verify at the office names the signer as trusted"
contains "$out" "opened with this database's key" "... and opens the seal"
run j "$O" bundle apply "$T/a1.jxzb"
is "$rc" 0 "the office applies it"
contains "$out" "9 new" "... nine new forms"
is "$(status_of "$O" "$P1")" submitted "... the submitted form is submitted there"
j "$O" approve "$(id_of "$O" "$P1")" >/dev/null
j "$O" return "$(id_of "$O" "$P2")" --reason "请补充" >/dev/null 2>&1 || true
run j "$O" bundle create --office --unit "$UA" -o "$T/o1.jxzb"
contains "$out" "sealed for 3 keys" "the office's bundle for A is sealed for both clerks of A (and the office)"
run j "$A1" bundle apply "$T/o1.jxzb"
is "$rc" 0 "A1 takes the office's bundle"
is "$(status_of "$A1" "$P1")" approved "... the approval came from the office"
run j "$A2" bundle apply "$T/o1.jxzb"
is "$rc" 0 "A2 opens it too"
is "$(status_of "$A2" "$P1")" approved "... approved at A2"

# ---- an old signed bundle again: no effect ------------------------------------------------------
cp "$O" "$T/before.db"
run j "$O" bundle apply "$T/a1.jxzb"
contains "$out" "applied before: nothing changed" "A1's first bundle again: nothing changed"
check "... the office byte for byte as it was" cmp -s "$O" "$T/before.db"

# ---- sealed, at the wrong database ---------------------------------------------------------------
refused "A's sealed bundle at B's clerk" "$B1" "$T/o1.jxzb" "sealed for 3 other databases"
run j "$B1" bundle verify "$T/o1.jxzb"
is "$rc" 2 "verify there fails too, with one line"
contains "$err" "cannot open it" "... saying it cannot be opened here"

# ---- a key nobody trusts, claiming to be the office, approving -------------------------------------
cp "$O" "$T/rogue.db"	# even with the office's database copied
j "$T/rogue.db" key replace >/dev/null	# a key of its own
j "$T/rogue.db" approve "$(id_of "$T/rogue.db" "$P2")" >/dev/null 2>&1 ||
	j "$T/rogue.db" set "$(id_of "$T/rogue.db" "$P2")" lead=冒充 >/dev/null
j "$T/rogue.db" bundle create --office --unit "$UA" --all -o "$T/rogue.jxzb" >/dev/null 2>&1
fr=$(j "$T/rogue.db" key show | sed -n 's/^fingerprint //p')
refused "a bundle signed by an untrusted key claiming the office" "$A1" "$T/rogue.jxzb" "$fr"
contains "$err" "jxzp key trust --office $T/rogue.jxzb" "... naming the command that would trust it"

# ---- B's key changing A's forms ------------------------------------------------------------------
j "$O" bundle create --office --unit "$UA" --all --clear -o "$T/o-clear.jxzb" >/dev/null
run j "$B1" bundle apply "$T/o-clear.jxzb"
is "$rc" 0 "B1 takes an unsealed (--clear) office bundle of A's forms"
j "$B1" set "$(id_of "$B1" "$P2")" lead=乙 >/dev/null
j "$B1" bundle create -o "$T/b-touch.jxzb" >/dev/null 2>&1
refused "B's bundle changing A's form" "$O" "$T/b-touch.jxzb" "trusted here for $UB only"
j "$B1" set "$(id_of "$B1" "$P2")" unit="$UB" >/dev/null
j "$B1" bundle create -o "$T/b-move.jxzb" >/dev/null 2>&1
refused "B's bundle taking A's form over as B's" "$O" "$T/b-move.jxzb" "only its own units' forms"

# ---- a byte flipped: the signature, the header, the payload --------------------------------------
j "$A1" set "$(id_of "$A1" "$P2")" phone=010-1234 >/dev/null
j "$A1" bundle create -o "$T/a2.jxzb" >/dev/null
size=$(stat -c %s "$T/a2.jxzb")
flip "$T/a2.jxzb" "$T/sig.jxzb" $((size - 20))
refused "a byte flipped in the signature" "$O" "$T/sig.jxzb" "signature does not match"
# a digit of the time it was written: the header still reads as one
at=$(grep -abo '"created":"20' "$T/a2.jxzb" | head -n 1 | cut -d: -f1)
flip "$T/a2.jxzb" "$T/h0.jxzb" $((at + 16))
resum "$T/h0.jxzb" "$T/head.jxzb"
refused "a byte flipped in the header (checksum made right)" "$O" "$T/head.jxzb" "signature does not match"
flip "$T/a2.jxzb" "$T/p0.jxzb" $((size / 2))
resum "$T/p0.jxzb" "$T/pay.jxzb"
refused "a byte flipped in the payload (checksum made right)" "$O" "$T/pay.jxzb" "signature does not match"
refused "a byte flipped, checksum not fixed" "$O" "$T/p0.jxzb" "checksum does not match"
run j "$O" bundle apply "$T/a2.jxzb"
is "$rc" 0 "the bundle itself still applies"

# ---- a revoked key -------------------------------------------------------------------------------
fa2=$(fp_of "$T/A2.key")
j "$A2" set "$(id_of "$A2" "$P2")" lead=丢失的电脑 >/dev/null 2>&1
j "$A2" bundle create -o "$T/a2-lost.jxzb" >/dev/null
run j "$O" key revoke "$fa2"
is "$rc" 0 "the office revokes A2's key by its fingerprint"
refused "a bundle signed by a revoked key" "$O" "$T/a2-lost.jxzb" "revoked here"
run j "$O" key trust --unit "$UA" "$T/A2.key"
is "$rc" 2 "a revoked key cannot be trusted again"
contains "$(j "$O" key list)" "revoked   $fa2" "key list shows it revoked"

# ---- old bundles: unsigned ------------------------------------------------------------------------
# a format 1 bundle as a jxzp before keys wrote it: the same header without
# the signer, the payload, the checksum line, no signature line
# unsigned OUT IN: an old-format copy of a clear bundle (format 3 deflates
# the image: inflated again, as format 1 carried it)
unsigned() {
	_sz=$(($(stat -c %s "$2") - 72 - 137))
	head -c "$_sz" "$2" | tail -n +3 | python3 -c 'import sys, zlib
z = sys.stdin.buffer.read()[:-1]
sys.stdout.buffer.write(zlib.decompress(z) + b"\n")' >"$T/pl"
	_pn=$(($(stat -c %s "$T/pl") - 1))
	{ printf 'JXZP-BUNDLE 1\n'
	  sed -n 2p "$2" | sed 's/"signer":"jxzp-key:[0-9a-f]*",//; s/"version":3/"version":1/;
		s/"image_bytes":[0-9]*,//; s/"payload_bytes":[0-9]*/"payload_bytes":'"$_pn"'/'
	  cat "$T/pl"; } >"$T/ub"
	{ cat "$T/ub"; printf 'SHA256 %s\n' "$(sha256sum "$T/ub" | cut -c1-64)"; } >"$1"
}
C=$T/old-unit.db	# a unit's machine still on the jxzp before keys
j "$C" import "$JXZP_SRCDIR/tests/fixtures/fengtai-2023.txt" >/dev/null
j "$C" bundle create --clear -o "$T/b-new.jxzb" >/dev/null
unsigned "$T/old.jxzb" "$T/b-new.jxzb"
refused "an unsigned (old) bundle" "$O" "$T/old.jxzb" "--accept-unsigned"
run j "$O" bundle apply --accept-unsigned "$T/old.jxzb"
is "$rc" 0 "... taken with --accept-unsigned"
contains "$out" "20 new" "... its new forms"
j "$O" bundle create --office --unit "$UA" --clear -o "$T/o-new.jxzb" >/dev/null 2>&1 ||
	j "$O" bundle create --office --unit "$UA" --clear --all -o "$T/o-new.jxzb" >/dev/null
j "$O" approve "$(id_of "$O" "朝阳区办公软件场地授权服务")" >/dev/null 2>&1
j "$O" submit "$(id_of "$O" "朝阳区办公软件场地授权服务")" >/dev/null 2>&1
j "$O" approve "$(id_of "$O" "朝阳区办公软件场地授权服务")" >/dev/null 2>&1
j "$O" bundle create --office --unit "$UA" --clear --all -o "$T/o-appr.jxzb" >/dev/null
unsigned "$T/old-appr.jxzb" "$T/o-appr.jxzb"
refused "an unsigned bundle approving, even with --accept-unsigned" "$A1" "$T/old-appr.jxzb" \
	"only the office returns or approves" --accept-unsigned

# ---- a key replaced ---------------------------------------------------------------------------
j "$O" set "$(id_of "$O" "$P2")" phone=010-5678 >/dev/null 2>&1
j "$O" bundle create --office --unit "$UA" --all -o "$T/o-to-old.jxzb" >/dev/null	# sealed to A1's key as it was
run j "$A1" key replace
is "$rc" 0 "A1 replaces its key"
fn=$(printf '%s\n' "$out" | sed -n 's/^fingerprint //p')
lacks "$fn" "$fa1" "... a new fingerprint"
run j "$A1" bundle apply "$T/o-to-old.jxzb"
is "$rc" 0 "a bundle sealed to A1's old key still opens at A1"
j "$A1" set "$(id_of "$A1" "$P1")" lead=新密钥 >/dev/null 2>&1 || j "$A1" set "$(id_of "$A1" "$P2")" lead=新密钥 >/dev/null
j "$A1" bundle create --all -o "$T/a1-new.jxzb" >/dev/null 2>&1
refused "A1's bundle under its new key, not yet trusted" "$O" "$T/a1-new.jxzb" "$fn"
run j "$O" key trust --unit "$UA" --fingerprint "$fn" "$T/a1-new.jxzb"
is "$rc" 0 "the office trusts the new key, taken from the bundle and checked against the fingerprint"
run j "$O" bundle apply "$T/a1-new.jxzb"
is "$rc" 0 "... and then takes the bundle"

# ---- the private half never leaves the database ------------------------------------------------
hexof() { od -An -tx1 -v "$1" | tr -d ' \n'; }
priv=$(sqlite3 "$A1" "select lower(hex(sign_priv)) || ' ' || lower(hex(seal_priv)) from key_own")
j "$A1" bundle create --all --clear -o "$T/a1-all.jxzb" >/dev/null
j "$A1" export --all --format json -o "$T/a1.json" >/dev/null
for f in a1.jxzb a1-all.jxzb a2.jxzb o1.jxzb a1.json; do
	h=$(hexof "$T/$f")
	for k in $priv; do lacks "$h" "$k" "no private key of A1 in $f"; done
done

opriv=$(sqlite3 "$O" "select lower(hex(sign_priv)) from key_own")
for f in o1.jxzb o-clear.jxzb o-appr.jxzb; do lacks "$(hexof "$T/$f")" "$opriv" "no private key of the office in $f"; done

done_testing
