#!/bin/sh
# Check that the bad-pointer tables (tests/user/badptr_*.c) cover every
# system call the kernel implements: each call defined with SYSCALL_DEFINEn
# under kernel/ must have a BP_ROW (a pointer argument to probe) or a
# BP_NONE (why it has none), and the tables must name no call the kernel
# does not implement. Run when the tests are built (tests/tests.mk), so a
# new call cannot be added without its row.
#
# usage: scripts/check-badptr.sh [KERNEL_DIR [TEST_DIR]]
set -eu
kdir=${1:-kernel}
tdir=${2:-tests/user}
tmp=${TMPDIR:-/tmp}/check-badptr.$$
trap 'rm -f "$tmp".*' EXIT

# The same handlers gen-table.sh's weak symbols resolve to.
grep -rhoE '^SYSCALL_DEFINE[0-6]\([a-z0-9_]+' "$kdir" --include='*.c' |
	sed 's/.*(//' | sort -u > "$tmp.impl"
# The first argument of every entry of the rows[] and BP_NONE_LIST
# tables (entries are macros: BP_ROW, BP_NONE or a file's shorthand).
awk '/^static const struct bp_row rows\[\] = \{|^BP_NONE_LIST = \{/ { on = 1; next }
     on && /^\};/ { on = 0 }
     on' "$tdir"/badptr_*.c |
	sed -nE 's/^[[:space:]]*[A-Z_]+\([[:space:]]*([a-z0-9_]+),.*/\1/p' |
	sort -u > "$tmp.table"

missing=$(comm -23 "$tmp.impl" "$tmp.table" | tr '\n' ' ')
extra=$(comm -13 "$tmp.impl" "$tmp.table" | tr '\n' ' ')
if [ -n "$missing" ]; then
	echo "check-badptr: implemented calls with no row in $tdir/badptr_*.c: $missing" >&2
	echo "check-badptr: add a BP_ROW per pointer argument, or a BP_NONE saying why there is none" >&2
fi
if [ -n "$extra" ]; then
	echo "check-badptr: rows for calls the kernel does not implement: $extra" >&2
fi
[ -z "$missing" ] && [ -z "$extra" ]
