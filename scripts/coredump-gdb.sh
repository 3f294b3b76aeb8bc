#!/usr/bin/env bash
# The host side of tests/user/coredump_gdb.c: a core file made in the VM
# must give gdb the backtrace. For each kernel's serial log
# (build/test-SIDE.log) and each C library, it rebuilds the core file the
# test printed ("COREHEX" lines: offset and hex of every run that is not
# all zero), runs `gdb -batch PROGRAM CORE` with the test's own program
# and checks that the backtrace names gdb_level3, gdb_level2 and
# gdb_level1 in that order, and that gdb saw the program die of SIGSEGV.
#
# usage: scripts/coredump-gdb.sh [SIDE...]   (default: basalt linux)
# Builds: glibc, musl and pie-glibc (the static-PIE build, whose core gdb
# must relocate from NT_AUXV).
# Prints "coredump-gdb: PASS|FAIL|SKIP SIDE BUILD" per core and ends with
# "coredump-gdb: N passed, N failed, N skipped". A log without the test's
# lines (the suite ran without it: TESTS=...) is a skip. Exit status 0
# unless a check failed.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
sides=("$@")
[ ${#sides[@]} -gt 0 ] || sides=(basalt linux)
passed=0 failed=0 skipped=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Rebuild LIBC's core from LOG into OUT; false if the log lacks it.
rebuild() {
	local log=$1 libc=$2 out=$3
	python3 - "$log" "$libc" "$out" <<'PY'
import sys
log, libc, out = sys.argv[1:4]
data, on, size = None, False, 0
for line in open(log, errors="replace"):
    w = line.split()
    if len(w) >= 3 and w[0] == "COREHEX-BEGIN" and w[1] == libc:
        size, on = int(w[2]), True
        data = bytearray(size)
    elif on and len(w) == 3 and w[0] == "COREHEX":
        off, raw = int(w[1], 16), bytes.fromhex(w[2])
        data[off:off + len(raw)] = raw
    elif on and len(w) >= 2 and w[0] == "COREHEX-END":
        open(out, "wb").write(data)
        sys.exit(0)
sys.exit(1)
PY
}

# The backtrace must name the three levels, innermost first.
check_bt() {
	local out=$1
	grep -q 'SIGSEGV' "$out" &&
		awk '/gdb_level3/ { a = NR } /gdb_level2/ { b = NR }
		     /gdb_level1/ { c = NR }
		     END { exit !(a && b && c && a < b && b < c) }' "$out"
}

for side in "${sides[@]}"; do
	log=$build/test-$side.log
	for libc in glibc musl pie-glibc; do
		prog=$build/tests/coredump_gdb-$libc
		core=$tmp/core-$side-$libc
		if [ ! -f "$log" ] || [ ! -x "$prog" ] ||
		   ! rebuild "$log" "$libc" "$core"; then
			echo "coredump-gdb: SKIP $side $libc (no core in the log)"
			skipped=$((skipped + 1))
			continue
		fi
		gdb -nx -batch -ex 'bt' "$prog" "$core" > "$tmp/bt" 2>&1
		if check_bt "$tmp/bt"; then
			echo "coredump-gdb: PASS $side $libc"
			passed=$((passed + 1))
		else
			echo "coredump-gdb: FAIL $side $libc"
			sed 's/^/      /' "$tmp/bt" | tail -n 20
			failed=$((failed + 1))
		fi
	done
done
echo "coredump-gdb: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
