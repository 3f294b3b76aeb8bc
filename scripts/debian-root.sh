#!/usr/bin/env bash
# Builds an initramfs of Debian 12's own programs, as installed on this
# host, for `make run ROOT=debian` (Basalt) and `make run-linux
# ROOT=debian` (the same image on Linux): bash, coreutils, util-linux,
# procps, grep, sed, gawk, findutils, less, python3 and sqlite3, each
# with the shared libraries it needs and the dynamic loader, plus the
# data they read (terminfo, python's standard library) and a minimal
# /etc. Missing packages are installed with apt-get first (with sudo when
# not root), as scripts/deps.sh does.
#
# usage: scripts/debian-root.sh OUT.cpio INIT MKCPIO [SESSION]
#   OUT.cpio   the archive to write
#   INIT       the /init program (user/init: mounts /proc, runs /bin/sh,
#              powers off when it exits); /bin/sh is bash here
#   MKCPIO     the archive tool (tools/mkcpio)
#   SESSION    a script for make test-debian, put at /root/session.sh
#
# Libraries are found with the host's ldd (the host's ld.so resolving
# DT_NEEDED as it would at run time), for every program and every python
# extension module. The layout is Debian's merged /usr: /bin, /sbin, /lib
# and /lib64 are links into /usr, and every file goes where its real path
# is on the host. The table of contents goes to OUT.cpio.list.
set -euo pipefail
[ $# -ge 3 ] || { sed -n '11,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
out=$1 init=$2 mkcpio=$3 session=${4:-}

# Packages whose programs (everything they put in a bin/ or sbin/) go in.
programs=(bash dash coreutils util-linux procps grep sed gawk findutils
	less python3 python3-minimal python3.11-minimal sqlite3 libc-bin)
# Programs Debian names through /etc/alternatives, not in a package list.
alternatives=(/usr/bin/awk /usr/bin/pager)
# Packages whose every file goes in (data).
data=(ncurses-base)
pyver=3.11

install_missing() {
	local missing=() pkg status sudo=()
	for pkg in "$@"; do
		status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
		[ "$status" = "install ok installed" ] || missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null || {
			echo "debian-root: need root (or sudo) to install: ${missing[*]}" >&2
			exit 1
		}
		sudo=(sudo)
	fi
	echo "debian-root: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	"${sudo[@]}" apt-get update -qq
	"${sudo[@]}" apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
}

declare -A seen=()
list=$out.list.tmp
: > "$list"
emit() { echo "$*" >> "$list"; }

# Where path p really is on the host: its directory resolved, its last
# component kept (so a symlink stays a symlink).
canon() {
	local d
	d=$(cd "$(dirname "$1")" && pwd -P)
	echo "${d%/}/$(basename "$1")"
}

# A directory and its parents, each once.
add_dir() {
	local d=$1
	[ "$d" = / ] || [ -n "${seen[$d]:-}" ] && return 0
	add_dir "$(dirname "$d")"
	seen[$d]=1
	emit "dir $d 0755 0 0"
}

# One host path (file or symlink), at its real place; a symlink's target
# comes along too.
add_path() {
	local p dst target
	p=$(canon "$1")
	[ -n "${seen[$p]:-}" ] && return 0
	seen[$p]=1
	add_dir "$(dirname "$p")"
	if [ -L "$p" ]; then
		target=$(readlink "$p")
		emit "slink $p $target 0777 0 0"
		case $target in
		/*) add_path "$target" ;;
		*) add_path "$(dirname "$p")/$target" ;;
		esac
	elif [ -f "$p" ]; then
		emit "file $p $p $(stat -c %a "$p") 0 0"
	elif [ -d "$p" ]; then
		add_dir "$p"
	fi
}

# The shared libraries (and loader) an ELF file needs, as ldd lists them.
add_libs() {
	local lib
	file -b "$1" 2>/dev/null | grep -q 'dynamically linked' || return 0
	while read -r lib; do
		[ -e "$lib" ] && add_path "$lib"
	done < <(ldd "$1" 2>/dev/null |
		sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p')
}

# Every file of a package in a bin/ or sbin/ directory, with its libraries.
add_programs() {
	local f
	while read -r f; do
		[ -f "$f" ] || [ -L "$f" ] || continue
		add_path "$f"
		[ -L "$f" ] || add_libs "$f"
	done < <(dpkg -L "$1" | grep -E '^(/usr)?/s?bin/[^/]+$')
}

# Every file under a host directory (tests and caches of python left out).
add_tree() {
	local f
	while read -r f; do
		add_path "$f"
		case $f in *.so) add_libs "$f" ;; esac
	done < <(find "$1" \( -name test -o -name tests -o -name idlelib \
		-o -name tkinter -o -name turtledemo -o -name ensurepip \
		-o -name 'config-*' \) \
		-prune -o \( -type f -o -type l \) -print | LC_ALL=C sort)
}

# The /etc a shell session needs: users and groups for ls -l and ps.
add_etc() {
	local etc=$out.etc
	mkdir -p "$etc"
	printf '%s\n' 'root:x:0:0:root:/root:/bin/bash' \
		'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin' \
		'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin' \
		> "$etc/passwd"
	printf '%s\n' 'root:x:0:' 'daemon:x:1:' 'tty:x:5:' 'nogroup:x:65534:' \
		> "$etc/group"
	printf '%s\n' '/bin/sh' '/bin/bash' '/usr/bin/bash' > "$etc/shells"
	echo basalt > "$etc/hostname"
	add_dir /etc
	for f in passwd group shells hostname; do
		emit "file /etc/$f $etc/$f 0644 0 0"
	done
	[ -d /etc/python$pyver ] && add_tree /etc/python$pyver
}

install_missing "${programs[@]}" "${data[@]}" file

emit "dir /dev 0755 0 0"
emit "nod /dev/console 0600 0 0 c 5 1"
emit "nod /dev/tty 0666 0 0 c 5 0"
emit "nod /dev/ptmx 0666 0 0 c 5 2"
emit "nod /dev/null 0666 0 0 c 1 3"
emit "nod /dev/zero 0666 0 0 c 1 5"
emit "nod /dev/full 0666 0 0 c 1 7"
emit "nod /dev/random 0666 0 0 c 1 8"
emit "nod /dev/urandom 0666 0 0 c 1 9"
for d in proc root run var usr usr/bin usr/sbin usr/lib usr/lib64; do
	add_dir "/$d"
done
emit "dir /tmp 1777 0 0"
emit "dir /var/tmp 1777 0 0"
# Merged /usr, as on Debian 12.
for d in bin sbin lib lib64; do
	emit "slink /$d usr/$d 0777 0 0"
	seen[/$d]=1
done
emit "file /init $init 0755 0 0"
[ -n "$session" ] && emit "file /root/session.sh $session 0755 0 0"
# /bin/sh is bash (not dash, as on Debian), so that /init's shell is
# Debian's bash.
emit "slink /usr/bin/sh bash 0777 0 0"
seen[/usr/bin/sh]=1
for pkg in "${programs[@]}"; do
	add_programs "$pkg"
done
for f in "${alternatives[@]}"; do
	[ -e "$f" ] && add_path "$f"
done
for pkg in "${data[@]}"; do
	while read -r f; do
		[ -f "$f" ] || [ -L "$f" ] && add_path "$f"
	done < <(dpkg -L "$pkg")
done
add_tree /usr/lib/python$pyver
add_etc

mv "$list" "$out.list"
"$mkcpio" "$out.list" > "$out.tmp" && mv "$out.tmp" "$out"
echo "debian-root: $out: $(grep -c '^file' "$out.list") files," \
	"$(( $(stat -c %s "$out") / 1048576 )) MiB"
