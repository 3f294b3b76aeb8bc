#!/usr/bin/env bash
# `make check`: the kernel's static checks, run by sparse (Debian package
# `sparse`, installed by scripts/deps.sh) over every kernel C file.
#
# Under sparse (__CHECKER__), types.h makes `__user` an address space of
# its own with `noderef`, so each of these is reported:
#   - dereferencing a __user pointer (*p, p[i], p->f);
#   - passing a kernel pointer where a __user one is wanted, or the other
#     way round (copy_from_user(dst, kernel_ptr, n), memcpy from user);
#   - casting a __user pointer to a plain one; only the copy routines
#     (arch/x86_64/uaccess.c) may, and they say so with __force.
# sparse's other default warnings stay on too; -Wno-decl drops only "not
# declared, should it be static?" for symbols defined for the assembly
# and the generated syscall table.
#
# Prints each file that has warnings ("check: FAIL file", then the
# warnings) and ends with "check: N passed, N failed" (one per file);
# exits non-zero if any file failed.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

if ! command -v sparse >/dev/null; then
	echo "check: sparse is not installed (run scripts/deps.sh)" >&2
	exit 1
fi

flags=(-std=gnu11 -m64 -ffreestanding -Ikernel/include -Wno-decl)
passed=0 failed=0
while read -r src; do
	out=$(sparse "${flags[@]}" "$src" 2>&1)
	if [ $? -ne 0 ] || [ -n "$out" ]; then
		echo "check: FAIL $src"
		echo "$out" | sed 's/^/    /'
		failed=$((failed + 1))
	else
		passed=$((passed + 1))
	fi
done < <(find kernel -name '*.c' -not -path 'kernel/vdso/*' | LC_ALL=C sort)

# One verdict for the whole step: the kernel is clean or it is not (the
# files are not tests of their own, so they do not swell the total).
echo "check: sparse on $((passed + failed)) kernel sources, $failed with warnings"
if [ "$failed" -eq 0 ]; then
	echo "check: 1 passed, 0 failed"
else
	echo "check: 0 passed, 1 failed"
	exit 1
fi
