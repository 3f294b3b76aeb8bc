#!/usr/bin/env bash
# Compares the Debian session's output on Linux and on Basalt (make
# test-debian), one section at a time: a section is what follows a line
# "== NAME" up to the next such line (tests/debian/session.sh). Each
# section is a case: it passes when both kernels printed the same lines.
# The differences of a failing section are shown as a unified diff. The
# last line is "test-debian: N passed, N failed", as make test counts it.
#
# usage: scripts/debian-compare.sh LINUX.out BASALT.out
set -uo pipefail
[ $# -eq 2 ] || { sed -n '9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
linux=$1 basalt=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Section NAME of file f, without its header line.
section() { awk -v want="== $2" '/^== / {on = ($0 == want); next} on' "$1"; }

passed=0 failed=0
# The sections Linux printed, in order; Basalt must print the same ones.
names=$(sed -n 's/^== //p' "$linux")
[ -n "$names" ] || { echo "test-debian: no sections in $linux" >&2; names=; }
while IFS= read -r name; do
	[ -n "$name" ] || continue
	section "$linux" "$name" > "$tmp/linux"
	section "$basalt" "$name" > "$tmp/basalt"
	if ! grep -qx "== $name" "$basalt"; then
		echo "test-debian: FAIL $name (missing on Basalt)"
		failed=$((failed + 1))
	elif cmp -s "$tmp/linux" "$tmp/basalt"; then
		echo "test-debian: PASS $name"
		passed=$((passed + 1))
	else
		echo "test-debian: FAIL $name"
		diff -u --label linux --label basalt "$tmp/linux" "$tmp/basalt" |
			sed 's/^/      /'
		failed=$((failed + 1))
	fi
done <<< "$names"
# Lines Basalt printed outside Linux's sections (a section of its own).
if [ "$(sed -n 's/^== //p' "$basalt")" != "$names" ]; then
	echo "test-debian: FAIL the sections differ"
	failed=$((failed + 1))
fi
[ -n "$names" ] || failed=$((failed + 1))
echo "test-debian: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
