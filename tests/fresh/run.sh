#!/bin/sh
# tests/fresh/run.sh: README's two commands on a new Debian 12 machine.
#
# Makes a minimal Debian 12 root (debootstrap --variant=minbase bookworm),
# copies a clean clone of this repository's HEAD into it, and there, as root
# with an empty environment, runs README's run command under tmux (the forms
# list must come up) and README's test command (it must end "N passed,
# 0 failed"), and then, in a clone of its own, README's usual way in-tree
# (autoreconf -fi && ./configure && make) up to "make portable".  Fails when
# any of them does.  CI (.ci/run) calls it; it needs root.
#
# The pristine root is cached as a tarball in $JXZP_FRESH_CACHE (default
# /var/cache/jxzp-fresh) so later runs on the same machine skip debootstrap;
# each run unpacks its own copy, so nothing installed by one run is seen by
# the next.  JXZP_FRESH_MIRROR names a Debian mirror for debootstrap (default:
# debootstrap's own).  JXZP_FRESH_KEEP=1 keeps the root for a look afterwards.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${JXZP_FRESH_CACHE:-/var/cache/jxzp-fresh}
tarball=$cache/bookworm-minbase.tar.gz
start=$(date +%s)

say() { printf 'fresh: %s\n' "$*"; }
fail() { say "FAILED: $*" >&2; exit 1; }
elapsed() { echo "$(($(date +%s) - start)) s"; }

[ "$(id -u)" -eq 0 ] || fail "needs root (debootstrap, mount, chroot)"

# The host's tools: CI's machine may lack them; installing them there is fine.
apt_install() {
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq "$@" >/dev/null ||
		{ apt-get -o DPkg::Lock::Timeout=900 update -qq &&
		  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq "$@" >/dev/null; }
}
for tool in debootstrap:debootstrap tmux:tmux git:git; do
	command -v "${tool%%:*}" >/dev/null || apt_install "${tool#*:}" ||
		fail "cannot install ${tool#*:} on this machine"
done

work=$(mktemp -d /var/tmp/jxzp-fresh.XXXXXX)
root=$work/root
sock=jxzp-fresh-$$
mounts=

# Whatever happens: the tmux server and every process left in the root are
# ended (by pid), the mounts undone, and the root removed -- but never while
# anything is still mounted under it (a bound /dev must not be rm -rf'd).
cleanup() {
	rc=$?
	trap - EXIT INT TERM HUP
	tmux -L "$sock" kill-server 2>/dev/null || :
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"	# kill-server leaves it
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && kill -9 "${p#/proc/}" 2>/dev/null || :
	done
	for m in $mounts; do	# the newest first
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null ||
			{ say "cannot unmount $m" >&2; rc=1; }
	done
	if grep -q " $work/" /proc/mounts; then
		say "still mounted under $work; left in place" >&2
		rc=1
	elif [ "${JXZP_FRESH_KEEP:-}" = 1 ]; then
		say "the root is kept in $root"
	else
		rm -rf --one-file-system "$work"
	fi
	say "took $(elapsed)"
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# ---- the pristine root, once per machine ----------------------------------------
if [ ! -s "$tarball" ]; then
	say "debootstrap --variant=minbase bookworm (cached in $tarball)"
	mkdir -p "$cache" "$work/boot"
	debootstrap --variant=minbase bookworm "$work/boot" ${JXZP_FRESH_MIRROR:-} \
		>"$work/debootstrap.log" 2>&1 ||
		{ tail -n 30 "$work/debootstrap.log"; fail "debootstrap failed"; }
	tar -C "$work/boot" --numeric-owner -czpf "$tarball.$$" . && mv "$tarball.$$" "$tarball"
	rm -rf --one-file-system "$work/boot"
fi
mkdir "$root"
tar -C "$root" --numeric-owner -xzpf "$tarball"
grep -q '^VERSION_ID="12"' "$root/etc/os-release" || fail "$tarball is not Debian 12"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"	# apt inside needs a resolver

# ---- a clean clone of the commit ------------------------------------------------
commit=$(git -C "$top" rev-parse HEAD)
git clone -q --no-checkout "$top" "$root/root/jxzp"
git -C "$root/root/jxzp" fetch -q "$top" "$commit"
git -C "$root/root/jxzp" checkout -q --detach "$commit"
git clone -q --no-checkout "$root/root/jxzp" "$root/root/usual"	# for the usual way
git -C "$root/root/usual" checkout -q --detach "$commit"
say "commit $(git -C "$root/root/jxzp" log -1 --format='%h %s')"

# ---- what a booted machine has: /proc, /sys, /dev, /dev/pts ---------------------
mnt() {	# mnt DIR MOUNT-ARGS...
	_d=$root$1; shift
	mount "$@" "$_d"
	mounts="$_d $mounts"
}
mnt /proc -t proc proc
mnt /sys -t sysfs sys
mnt /dev --bind /dev
mnt /dev/pts --bind /dev/pts

# in_root TERM CMD [DIR]: the command line that runs CMD in the root as root,
# in an empty environment (PATH, HOME and TERM only), in the clone DIR.
in_root() {
	echo "$(command -v chroot) $root /usr/bin/env -i" \
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
		"HOME=/root TERM=$1 /bin/sh -c 'cd /root/${3:-jxzp} && $2'"
}
status=0

# ---- README's run command: the forms list must come up ---------------------------
# Under tmux (the host's: the root has none until quickstart installs it).
# The demo opens in Chinese: quickstart generates zh_CN.UTF-8.  Allow 20 min
# for quickstart to install the packages and build.
say "./quickstart run (under tmux)"
t0=$(date +%s)
# The pane stays after the command ends (remain-on-exit), with what it said.
tmux -L "$sock" -f /dev/null start-server \; \
	set-option -g remain-on-exit on \; set-option -g history-limit 5000 \; \
	new-session -d -s fresh -x 120 -y 40 \
	"$(in_root screen ./quickstart\ run); echo \"quickstart run exited \$?\""
list=no
while [ $(($(date +%s) - t0)) -lt 1200 ]; do
	screen=$(tmux -L "$sock" capture-pane -t fresh -p 2>/dev/null) || break
	if printf '%s\n' "$screen" | grep -Eq '[1-9][0-9]* 张自评表'; then list=yes; break; fi
	[ "$(tmux -L "$sock" display-message -t fresh -p '#{pane_dead}')" = 1 ] && break
	sleep 1
done
if [ $list = yes ]; then
	sleep 1
	tmux -L "$sock" capture-pane -t fresh -p | sed -n '1,6p;$p' | sed 's/^/  | /'
	say "run: the forms list is on screen after $(($(date +%s) - t0)) s"
	tmux -L "$sock" send-keys -t fresh q
else
	tmux -L "$sock" capture-pane -t fresh -p -S -80 2>/dev/null | sed 's/^/  | /'
	say "run: no forms list (\"N 张自评表\") on screen" >&2
	status=1
fi
tmux -L "$sock" kill-server 2>/dev/null || :

# ---- README's test command: it must end "N passed, 0 failed" ---------------------
say "./quickstart test"
t0=$(date +%s)
# At most 30 min: CI's whole run has 90.
timeout -k 10 1800 sh -c "$(in_root xterm-256color './quickstart test')" \
	>"$work/test.log" 2>&1 </dev/null || :
last=$(tail -n 1 "$work/test.log")
if printf '%s\n' "$last" | grep -Eq '^[1-9][0-9]* passed, 0 failed$'; then
	grep -E '^[0-9]+ skipped$' "$work/test.log" || :
	say "test: $last ($(($(date +%s) - t0)) s)"
else
	tail -n 80 "$work/test.log" | sed 's/^/  | /'
	say "test: did not end \"N passed, 0 failed\"" >&2
	status=1
fi

# ---- README's usual way, in a clone of its own, to "make portable" ---------------
# In-tree, as README has it (the packages are there now): "make portable"
# must work after it too.  Its "make check" is the suite above again: left out.
say "the usual way: autoreconf -fi && ./configure && make && make portable"
t0=$(date +%s)
if timeout -k 10 900 sh -c "$(in_root dumb 'autoreconf -fi && ./configure -q &&
	make -s -j$(nproc) && make -s portable' usual)" >"$work/usual.log" 2>&1 </dev/null &&
	ls "$root"/root/usual/jxzp-*-linux-*.tar.gz >/dev/null 2>&1; then
	say "usual: $(basename "$root"/root/usual/jxzp-*-linux-*.tar.gz) ($(($(date +%s) - t0)) s)"
else
	tail -n 40 "$work/usual.log" | sed 's/^/  | /'
	say "usual: the in-tree build or its make portable failed" >&2
	status=1
fi

[ $status -eq 0 ] && say "README's commands work on a new Debian 12 (bookworm) machine"
exit $status
