#!/usr/bin/env bash
# Fetches the Linux oracle: Debian's own kernel, which the test suite and
# the benchmarks boot in the same QEMU configuration as Basalt. A test that
# fails on this kernel is a wrong test.
#
# We take the cloud flavour (linux-image-cloud-amd64): it is small, boots
# fast, and has the serial console and ACPI power-off built in. The
# metapackage only names the real package (linux-image-6.1.0-N-cloud-amd64);
# we download that with apt (no root needed), unpack its /boot and keep
#   build/linux/vmlinuz   the bzImage QEMU boots
#   build/linux/VERSION   the package that provided it
# Skips all work when build/linux/vmlinuz already exists.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${BUILD:-build}/linux
meta=linux-image-cloud-amd64
[ -f "$out/vmlinuz" ] && exit 0

# The package lists are missing on a fresh machine; apt-cache then knows
# nothing, and an update (root or sudo) fixes that.
if ! apt-cache show "$meta" >/dev/null 2>&1; then
	sudo=()
	[ "$(id -u)" -eq 0 ] || sudo=(sudo)
	"${sudo[@]}" apt-get update -qq
fi

pkg=$(apt-cache depends "$meta" |
	awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }')
if [ -z "$pkg" ]; then
	echo "fetch-linux: cannot resolve $meta to a kernel package" >&2
	exit 1
fi

echo "fetch-linux: downloading $pkg"
rm -rf "$out/tmp"
mkdir -p "$out/tmp"
# As root, apt would try to drop to the _apt user, who cannot write here.
(cd "$out/tmp" && apt-get download -qq -o APT::Sandbox::User=root "$pkg")
deb=$(ls "$out"/tmp/*.deb)

# Only /boot is needed; the modules would be 100 MB we never load.
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$out/tmp" ./boot
cp "$out"/tmp/boot/vmlinuz-* "$out/vmlinuz.new"
cp "$out"/tmp/boot/config-* "$out/config"
basename "$deb" .deb > "$out/VERSION"
mv "$out/vmlinuz.new" "$out/vmlinuz"	# last, so a half-done fetch reruns
rm -rf "$out/tmp"
echo "fetch-linux: $(cat "$out/VERSION") -> $out/vmlinuz"
