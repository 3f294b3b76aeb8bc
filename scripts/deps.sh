#!/usr/bin/env bash
# Installs the host packages Basalt's build, run and test need, and only
# those that are missing, so it is a fast no-op on a machine that has them.
# Debian 12 (bookworm) is the reference host; packages come from apt.
#
#   gcc, make, binutils   the kernel, host tools and user programs
#   g++                   C++ programs on libbasalt (user/bin/list)
#   libc6-dev             libc.a for `gcc -static` (test programs, init)
#   musl-tools            musl-gcc: every test is also built against musl
#   linux-libc-dev        <linux/*.h>, also offered to musl builds
#   qemu-system-x86       the virtual machine both kernels boot in
#   busybox-static        the shell and utilities in the `make run` initramfs
#   sparse                `make check`: __user pointers and other static checks
#
# Linux's own kernel (the test oracle) is fetched separately by
# scripts/fetch-linux.sh, because only the tests need it.
set -euo pipefail

packages=(gcc g++ make binutils libc6-dev linux-libc-dev musl-tools
	qemu-system-x86 busybox-static sparse)

# A package counts as present only when dpkg says it is fully installed.
missing=()
for pkg in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	sudo=()
elif command -v sudo >/dev/null; then
	sudo=(sudo)
else
	echo "deps: need root (or sudo) to install: ${missing[*]}" >&2
	exit 1
fi

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
# Recommends would pull in QEMU's GUI and firmware we never use.
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" \
	>/dev/null
echo "deps: done"
