#!/usr/bin/env bash
# Prints the mkcpio list lines (tools/mkcpio) that put the host's dynamic
# programs named into the bench image (bench/bench.mk): each program, the
# shared libraries the host's ldd says it needs and the loader, every one
# at the path ld.so will look for it (the paths ldd prints: no symlinks,
# no ld.so.cache needed), with the directories above them. The exec_dynamic
# and bash_c_true benchmarks run them.
#
# usage: scripts/bench-dynamic.sh PROGRAM...
set -euo pipefail
[ $# -ge 1 ] || { sed -n '9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
declare -A seen=([/]=1 [/dev]=1 [/proc]=1 [/tmp]=1 [/bench]=1)

add_dir() {
	[ -n "${seen[$1]:-}" ] && return 0
	add_dir "$(dirname "$1")"
	seen[$1]=1
	echo "dir $1 0755 0 0"
}

# path as ld.so names it, the host's file (symlinks followed) as content.
add_file() {
	[ -n "${seen[$1]:-}" ] && return 0
	add_dir "$(dirname "$1")"
	seen[$1]=1
	echo "file $1 $(readlink -f "$1") 0755 0 0"
}

for prog in "$@"; do
	[ -x "$prog" ] || { echo "bench-dynamic: no program $prog" >&2; exit 1; }
	add_file "$prog"
	while read -r lib; do
		add_file "$lib"
	done < <(ldd "$prog" |
		sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p')
done
