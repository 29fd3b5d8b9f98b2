#!/bin/sh
# portable: the static tarball of "make portable" is the whole program.
#
# Unpacked into an empty chroot that holds only its folder, one terminfo entry
# and the C.UTF-8 locale, jxzp runs its commands and its screen; again with no
# network (unshare -n); it opens no socket; what it writes is private (0600
# files, 0700 folders) and it works with a read-only home.  "make install" to
# a staging folder puts the program, catalogue, manual and demo forms in
# place and "make uninstall" leaves no file behind.
#
# The chroot parts need root (CI runs as root); otherwise they are skipped,
# each with a "# SKIP" line that says so.  A tool ./quickstart installs
# (strace, tmux, groff, man, msgunfmt) that is missing is a failure.  The tarball is built once per build
# folder (build-portable/), and reused while nothing changed.
. "$JXZP_SRCDIR/tests/e2e/lib.sh"

B=$(cd "$(dirname "$JXZP")" && pwd)	# the build folder under test
VERSION=$(sed -n 's/^#define VERSION "\(.*\)"$/\1/p' "$B/config.h")
P=jxzp-$VERSION-linux-$(uname -m)
TGZ=$B/$P.tar.gz
umask 022

# A tmux server of its own for each screen: a new session on the socket of a
# server still shutting down fails ("server exited unexpectedly").
new_tmux() { tm kill-server 2>/dev/null; TMUX_SOCK=jxzp-e2e-$$-$_n; }
# quiet DESC CMD...: check, with the command's output kept out of the TAP stream.
quiet() {
	_d=$1; shift
	if "$@" >"$T/out" 2>&1; then ok "$_d"; else not_ok "$_d"; diag "$(cat "$T/out")"; fi
}

# ---- the tarball ----------------------------------------------------------------
# Not the make running this test: its job server is not ours.
if ! env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS ${MAKE:-make} -s -C "$B" -j2 portable \
	>"$T/make.log" 2>&1; then
	not_ok "make portable builds $P.tar.gz"
	diag "$(tail -n 30 "$T/make.log")"
	done_testing; exit
fi
ok "make portable builds $P.tar.gz"

files=$(tar tzf "$TGZ" | grep -v "^$P/locale/C.utf8/." | sort | tr '\n' ' ')
want="$P/ $P/README $P/data/ $P/data/beijing-cppcc-2021.txt $P/data/chaoyang-2024-part.txt \
$P/data/fengtai-2023.txt $P/jxzp $P/jxzp.1 $P/locale/ $P/locale/C.utf8/ $P/locale/zh_CN/ \
$P/locale/zh_CN/LC_MESSAGES/ $P/locale/zh_CN/LC_MESSAGES/jxzp.mo "
is "$files" "$want" "the tarball holds one folder: program, manual, catalogue, C.UTF-8, demo forms, README"
is "$(tar tzf "$TGZ" | grep "^$P/locale/C.utf8/.*[^/]$" | sed "s|^$P/locale/C.utf8/||" | sort | tr '\n' ' ')" \
	"$(cd /usr/lib/locale/C.utf8 && find . -type f | sed 's|^\./||' | sort | tr '\n' ' ')" \
	"locale/C.utf8 holds the files of the C library's own C.UTF-8"
owners=$(tar tvzf "$TGZ" | awk '{ print $2 }' | sort -u | tr '\n' ' ')
is "$owners" "0/0 " "its files belong to no build user"

U=$T/unpacked
mkdir -p "$U" && tar xzf "$TGZ" -C "$U"
X=$U/$P/jxzp
is "$(LC_ALL=C ldd "$X" 2>&1 | sed 's/^[[:space:]]*//')" "not a dynamic executable" \
	"ldd: the program is statically linked"
is "$(LC_ALL=C readelf -d "$X" 2>&1 | grep -c NEEDED)" "0" "it needs no shared library"
is "$(env -i "$X" --version | head -n 1)" "jxzp $VERSION" "it runs unpacked, with an empty environment"
# MuPDF needs HarfBuzz, which Debian has only as a shared library: no PDF
# here, and a PDF says so
lacks "$(env -i "$X" --version)" "pdf" "--version lists no pdf among the formats it reads"
pdf=$(env -i HOME="$T" "$X" check "$JXZP_SRCDIR/tests/fixtures/files/fengtai-2023/01.pdf" 2>&1; echo "exit $?")
contains "$pdf" "libmupdf-dev" "... and a PDF is refused naming what would read it"
contains "$pdf" "exit 2" "... exit 2"
# The static ncurses reads the system's terminal descriptions, wherever a
# distribution keeps them (Debian /lib and /etc, most others /usr/share).
check "its ncurses looks in /etc/terminfo, /lib/terminfo and /usr/share/terminfo" \
	grep -qaF "/etc/terminfo:/lib/terminfo:/usr/share/terminfo" "$X"
# The catalogue inside is the one compiled from po/ (msgunfmt reads it back).
if need msgunfmt gettext; then
	n_po=$(msgfmt --statistics -o /dev/null "$JXZP_SRCDIR/po/zh_CN.po" 2>&1 | sed 's/ .*//')
	n_mo=$(msgunfmt "$U/$P/locale/zh_CN/LC_MESSAGES/jxzp.mo" |
		msgfmt --statistics -o /dev/null - 2>&1 | sed 's/ .*//')
	is "$n_mo" "$n_po" "locale/zh_CN/LC_MESSAGES/jxzp.mo holds every translated message of po/zh_CN.po"
fi

# ---- install and uninstall into a staging folder --------------------------------
D=$T/destdir
if env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS ${MAKE:-make} -s -C "$B" install DESTDIR="$D" \
	>"$T/install.log" 2>&1; then
	ok "make install DESTDIR=..."
	inst=$(cd "$D" && find . -type f | sed 's|.*/share/|share/|; s|.*/bin/|bin/|' | sort | tr '\n' ' ')
	is "$inst" "bin/jxzp share/jxzp/demo/beijing-cppcc-2021.txt share/jxzp/demo/chaoyang-2024-part.txt \
share/jxzp/demo/fengtai-2023.txt share/locale/zh_CN/LC_MESSAGES/jxzp.mo share/man/man1/jxzp.1 " \
		"it installs the program, the catalogue, the manual and the demo forms"
	if command -v msgunfmt >/dev/null; then	# missing: a failure above
		mo=$(find "$D" -name jxzp.mo)
		is "$(msgunfmt "$mo" | msgfmt --statistics -o /dev/null - 2>&1)" \
			"$(msgfmt --statistics -o /dev/null "$JXZP_SRCDIR/po/zh_CN.po" 2>&1)" \
			"the installed catalogue holds every translated message of po/zh_CN.po"
	fi
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS ${MAKE:-make} -s -C "$B" uninstall DESTDIR="$D" \
		>"$T/uninstall.log" 2>&1
	is "$(cd "$D" && find . ! -type d)" "" "make uninstall leaves nothing but empty folders"
else
	not_ok "make install DESTDIR=..."
	diag "$(tail -n 20 "$T/install.log")"
fi

# ---- the manual page ------------------------------------------------------------
# It is UTF-8 (the Chinese terms as on paper): groff reads that through preconv
# (-k), as man does by itself.
if need groff groff-base; then
	is "$(groff -k -ww -man -Tutf8 "$U/$P/jxzp.1" 2>&1 >/dev/null)" "" "groff -k -ww: the manual page has no warnings"
	contains "$(groff -k -man -Tutf8 "$U/$P/jxzp.1" 2>/dev/null)" "项目支出绩效自评表" \
		"the manual keeps the Chinese terms"
fi
if need man man-db; then
	is "$(MANWIDTH=80 man -l "$U/$P/jxzp.1" 2>&1 >/dev/null)" "" "man -l: the manual page reads without a complaint"
fi

# ---- an empty chroot ------------------------------------------------------------
if [ "$(id -u)" -ne 0 ]; then
	skip "the chroot checks" "not root: chroot and unshare need root (CI runs as root)"
	done_testing; exit
fi

# mkroot DIR TIDIR [nolocale]: the unpacked folder, one terminfo entry (put
# in TIDIR), the system's C.UTF-8 locale (unless nolocale) and two empty homes; nothing else (no /proc, no /etc,
# no shell, no user database).
ti=
for d in /etc/terminfo /lib/terminfo /usr/share/terminfo; do
	[ -f "$d/x/xterm-256color" ] && { ti=$d/x/xterm-256color; break; }
done
mkroot() {
	mkdir -p "$1/usr/lib/locale" "$1/home" "$1/rohome/.local/share/jxzp" "$1/$2/x"
	tar xzf "$TGZ" -C "$1"
	[ "${3:-}" = nolocale ] || cp -a /usr/lib/locale/C.utf8 "$1/usr/lib/locale/"
	cp -p "$ti" "$1/$2/x/"
	chown -R 65534:65534 "$1/rohome"
	chmod 0700 "$1/rohome/.local/share/jxzp"
	chmod 0555 "$1/rohome/.local/share" "$1/rohome/.local" "$1/rohome"
}
if [ -z "$ti" ] || [ ! -d /usr/lib/locale/C.utf8 ]; then
	skip "the chroot checks" "no xterm-256color terminfo entry or no /usr/lib/locale/C.utf8 (apt-get install ncurses-base libc-bin)"
	done_testing; exit
fi


# Absolute paths: "env -i" leaves no PATH, and chroot lives in /usr/sbin.
CHROOT=$(command -v chroot || echo /usr/sbin/chroot)
UNSHARE=$(command -v unshare || echo unshare)
STRACE=$(command -v strace || :)
# Both come with ./quickstart: missing, each is one named failure, and the
# checks that need it are skipped.
has_strace=; need strace strace && has_strace=1
has_tmux=; need tmux tmux && has_tmux=1

# suite WRAP TIDIR: everything inside a fresh chroot; WRAP is "" or
# "unshare -n"; the terminfo entry goes into TIDIR.
suite() {
	W=$1; how=${1:+"unshare -n, "}
	R=$T/root${1:+-nonet}
	mkroot "$R" "$2"
	sleep 1; touch "$T/stamp"	# what is newer than this, jxzp wrote
	(cd "$R" && find . | sort) >"$T/before"
	J() { env -i LC_ALL=C.UTF-8 HOME=/home USER=tester $W $CHROOT "$R" "/$P/jxzp" "$@"; }

	is "$(J --version 2>&1 | head -n 1)" "jxzp $VERSION" "${how}chroot: --version"
	id=$(J new --unit 测试单位 --year 2024 --project 便携测试项目 2>"$T/err")
	case $id in
	''|*[!0-9]*) not_ok "${how}chroot: new prints the id"; diag "$id" "$(cat "$T/err")"; id=1 ;;
	*) ok "${how}chroot: new prints the id" ;;
	esac
	quiet "${how}chroot: set funds.total.budget" J set "$id" funds.total.budget=100 funds.total.spent=95
	json=$(J list --format json 2>&1)
	contains "$(printf '%s' "$json" | tr -d ' \n')" "\"unit\":\"测试单位\"" "${how}chroot: list --format json shows the unit"
	contains "$(printf '%s' "$json" | tr -d ' \n')" "\"project\":\"便携测试项目\"" "${how}chroot: list --format json shows the project"
	txt=$(J export "$id" --format txt 2>&1)
	contains "$txt" "便携测试项目" "${how}chroot: export --format txt prints the form"
	contains "$txt" "项目名称" "${how}chroot: export --format txt has the paper's labels"

	# The published forms import in the chroot (20 forms in that file: one
	# 项目名称 row each), and XLSX export says plainly that it is left out.
	is "$(J import "/$P/data/fengtai-2023.txt" 2>&1 | wc -l)" "20" "${how}chroot: import of data/fengtai-2023.txt: 20 forms"
	xl=$(J export "$id" --format xlsx -o /home/form.xlsx 2>&1; echo "exit $?")
	contains "$xl" "this jxzp was built without XLSX export" "${how}chroot: export --format xlsx says it was left out"
	lacks "$xl" "exit 0" "${how}chroot: ... and fails"
	check "${how}chroot: ... and writes no file" test ! -e "$R/home/form.xlsx"

	# What it wrote: the database folder 0700, its files 0600, and -o files
	# 0600, though the umask is 022; and nothing else anywhere in the root.
	J export "$id" --format txt -o /home/form.txt >/dev/null 2>&1
	is "$(stat -c %a "$R/home/form.txt" 2>&1)" "600" "${how}chroot: export -o writes a 0600 file"
	is "$(stat -c %a "$R/home/.local/share/jxzp" 2>&1)" "700" "${how}chroot: the data folder is 0700"
	is "$(cd "$R/home" && find . -perm /077 ! -type d -printf '%m %p\n')" "" \
		"${how}chroot: no file it wrote is readable by others"
	is "$(cd "$R" && find . -newer "$T/stamp" ! -type d | grep -v '^\./home/\.local/share/jxzp/jxzp\.db' | sort)" \
		"./home/form.txt" "${how}chroot: it wrote nothing but its database and the file named"

	# The catalogue next to the program is the one read (no /proc here).
	if [ -n "$has_strace" ]; then
		env -i LC_ALL=C.UTF-8 LANGUAGE=zh_CN HOME=/home $W $STRACE -f -qq -e trace=openat \
			-o "$T/open.log" $CHROOT "$R" "/$P/jxzp" --help >/dev/null 2>&1
		contains "$(grep 'jxzp.mo' "$T/open.log")" "\"/$P/locale/zh_CN/LC_MESSAGES/jxzp.mo\", O_RDONLY) = " \
			"${how}chroot: LANGUAGE=zh_CN reads the catalogue next to the program"
		env -i LC_ALL=C.UTF-8 HOME=/home USER=tester $W $STRACE -f -qq -e trace=network -e signal=none \
			-o "$T/net.log" $CHROOT "$R" "/$P/jxzp" list --format json >/dev/null 2>&1
		is "$(cat "$T/net.log")" "" "${how}chroot: list opens no socket (strace -e trace=network)"
	else
		skip "${how}chroot: the catalogue and network checks" "strace is not installed (apt-get install strace)"
	fi
	# The two databases trust each other's key first (README: the exchange;
	# this one, holding several units' forms, as the office), the keys given
	# as text: no key files in the root.
	k1=$(J key show 2>/dev/null | grep '^jxzp-key:')
	k2=$(J --db /home/other.db key show 2>/dev/null | grep '^jxzp-key:')
	J --db /home/other.db key trust --office "$k1" >/dev/null 2>&1
	J key trust --unit 测试单位 "$k2" >/dev/null 2>&1

	# A bundle from this database into another, the way forms travel between
	# machines: no socket on either side, the bundle file 0600.
	if [ -n "$has_strace" ]; then
		env -i LC_ALL=C.UTF-8 HOME=/home USER=tester $W $STRACE -f -qq -e trace=network -e signal=none \
			-o "$T/netbundle.log" $CHROOT "$R" "/$P/jxzp" bundle create --all -o /home/forms.bundle \
			>"$T/out" 2>&1
		env -i LC_ALL=C.UTF-8 HOME=/home USER=tester $W $STRACE -f -qq -e trace=network -e signal=none \
			-o "$T/netbundle2.log" $CHROOT "$R" "/$P/jxzp" --db /home/other.db bundle apply /home/forms.bundle \
			>>"$T/out" 2>&1
		is "$(cat "$T/netbundle.log" "$T/netbundle2.log")" "" \
			"${how}chroot: bundle create and apply open no socket (strace -e trace=network)"
	else
		J bundle create --all -o /home/forms.bundle >"$T/out" 2>&1
		J --db /home/other.db bundle apply /home/forms.bundle >>"$T/out" 2>&1
	fi
	contains "$(J --db /home/other.db list --format json 2>&1 | tr -d ' \n')" "\"project\":\"便携测试项目\"" \
		"${how}chroot: the form travelled by bundle"
	is "$(stat -c %a "$R/home/forms.bundle" 2>&1)" "600" "${how}chroot: bundle create -o writes a 0600 file"
	# Both sides change one field; settling the conflict records who did.
	# (A text field: a changed figure brings its computed cells, which
	# would differ too.)
	oid=$(J --db /home/other.db list --format json 2>/dev/null | tr -d ' \n' | sed 's/},{/}\n{/g' |
		grep '"project":"便携测试项目"' | sed 's/.*"id":\([0-9]*\).*/\1/')
	J set "$id" lead=甲 >/dev/null 2>&1
	J --db /home/other.db set "${oid:-0}" lead=乙 >/dev/null 2>&1
	J bundle create -o /home/forms2.bundle >/dev/null 2>&1
	J --db /home/other.db bundle apply /home/forms2.bundle >"$T/out" 2>&1
	contains "$(cat "$T/out")" "1 conflict" "${how}chroot: a field changed on both sides is a conflict"
	if [ -n "$has_strace" ]; then
		env -i LC_ALL=C.UTF-8 HOME=/home USER=tester $W $STRACE -f -qq -e trace=network -e signal=none \
			-o "$T/netresolve.log" $CHROOT "$R" "/$P/jxzp" --db /home/other.db \
			resolve "${oid:-0}" lead --keep mine >"$T/out" 2>&1
		is "$(cat "$T/netresolve.log")" "" \
			"${how}chroot: resolve opens no socket (strace -e trace=network)"
	fi

	en=$(env -i LC_ALL=C.UTF-8 HOME=/home $W $CHROOT "$R" "/$P/jxzp" --help 2>&1)
	zh=$(env -i LC_ALL=C.UTF-8 LANGUAGE=zh_CN HOME=/home $W $CHROOT "$R" "/$P/jxzp" --help 2>&1)
	if [ "$en" != "$zh" ]; then ok "${how}chroot: --help speaks Chinese with LANGUAGE=zh_CN"
	else not_ok "${how}chroot: --help speaks Chinese with LANGUAGE=zh_CN"; diag "$zh"; fi

	# A user whose home is read-only but for the data folder, unknown to
	# any user database (the chroot has no /etc/passwd), with no $USER.
	ro() { env -i LC_ALL=C.UTF-8 HOME=/rohome $W $CHROOT --userspec=65534:65534 "$R" "/$P/jxzp" "$@"; }
	rid=$(ro new --unit 只读单位 --year 2023 --project 只读项目 2>"$T/err")
	case $rid in
	''|*[!0-9]*) not_ok "${how}chroot, read-only home, no user name: new"; diag "$rid" "$(cat "$T/err")" ;;
	*) ok "${how}chroot, read-only home, no user name: new" ;;
	esac
	quiet "${how}chroot, read-only home, no user name: set" ro set "${rid:-1}" funds.total.budget=50
	contains "$(ro list --format json 2>&1)" "只读项目" "${how}chroot, read-only home: list"

	# The screen, in tmux outside the chroot, on the form made above; under
	# strace when there is one, to see that the screen opens no socket either.
	if [ -n "$has_tmux" ]; then
		trace=${STRACE:+"$STRACE -f -qq -e trace=network -e signal=none -o $T/netscreen.log"}
		: >"$T/netscreen.log"
		new_tmux
		tm_start 120 40 "env -i LC_ALL=C.UTF-8 TERM=xterm-256color HOME=/home USER=tester $W $trace $CHROOT '$R' '/$P/jxzp' open $id"
		if tm_wait "便携测试项目" 50; then ok "${how}chroot: the screen shows the form"
		else not_ok "${how}chroot: the screen shows the form"; diag "$(tm_capture)"; fi
		contains "$(tm_capture)" "项目名称" "${how}chroot: the screen draws the paper's labels"
		tm kill-server 2>/dev/null
		[ -n "$has_strace" ] &&
			is "$(cat "$T/netscreen.log")" "" "${how}chroot: the screen opens no socket (strace -e trace=network)"

		# jxzp demo finds the sample forms in data/ next to the program
		# (the unit of data/fengtai-2023.txt, its place name 北京市 left out in the
		# list: ustr_fit_name).
		new_tmux
		tm_start 120 40 "env -i LC_ALL=C.UTF-8 TERM=xterm-256color HOME=/home USER=tester $W $CHROOT '$R' '/$P/jxzp' demo"
		if tm_wait "丰台区大数据管理中心" 50; then ok "${how}chroot: jxzp demo shows the sample forms"
		else not_ok "${how}chroot: jxzp demo shows the sample forms"; diag "$(tm_capture)"; fi
		tm kill-server 2>/dev/null
	else
		skip "${how}chroot: the screen" "tmux is not installed (apt-get install tmux)"
	fi

	# After everything (commands, screen, demo, the read-only home): in the
	# whole root, nothing but the databases and the file named is new, and
	# nothing new is readable by others.
	is "$(cd "$R" && find . -newer "$T/stamp" ! -type d |
		grep -Ev '^\./(home|rohome)/(\.local/share/jxzp/(jxzp|demo)|other)\.db(-wal|-shm|-journal)?$' | sort | tr '\n' ' ')" \
		"./home/form.txt ./home/forms.bundle ./home/forms2.bundle " \
		"${how}chroot: after the screen too, it wrote nothing but its databases and the files named"
	(cd "$R" && find . | sort) >"$T/after"
	diag "new: $(comm -13 "$T/before" "$T/after" | (cd "$R" && xargs -r stat -c "%a %n") | tr "\n" " ")"
	is "$(comm -13 "$T/before" "$T/after" | (cd "$R" && xargs -r stat -c '%a %n') | grep -v '^[67]00 ')" "" \
		"${how}chroot: ... and nothing it made, file or folder, is open to others"
}

# Once with terminfo where this system keeps it, once where most others do.
suite "" "$(dirname "$(dirname "$ti")")"
if $UNSHARE -n true 2>/dev/null; then
	suite "$UNSHARE -n" /usr/share/terminfo
else
	skip "the suite without network" "unshare -n is not allowed here (no CAP_SYS_ADMIN)"
fi

# A system with no locale files this C library can read (here: none at all):
# the C.UTF-8 shipped in locale/ keeps the screen in UTF-8.
R=$T/root-nolocale
mkroot "$R" /usr/share/terminfo nolocale
id=$(env -i LC_ALL=C.UTF-8 HOME=/home USER=tester $CHROOT "$R" "/$P/jxzp" new --unit 测试单位 \
	--year 2024 --project 无区域数据项目 2>&1)
is "$(printf '%s' "$id" | tr -d '0-9')" "" "no system locale: new prints the id"
if [ -n "$has_tmux" ]; then
	new_tmux
	tm_start 120 40 "env -i LC_ALL=C.UTF-8 TERM=xterm-256color HOME=/home USER=tester $CHROOT '$R' '/$P/jxzp' open $id"
	if tm_wait "无区域数据项目" 50; then ok "no system locale: the screen still draws Chinese"
	else not_ok "no system locale: the screen still draws Chinese"; diag "$(tm_capture)"; fi
	tm kill-server 2>/dev/null
fi

done_testing
