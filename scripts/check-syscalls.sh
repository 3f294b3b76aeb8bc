#!/bin/sh
# Fail the build if the kernel defines a system-call handler (sys_NAME)
# whose NAME is not in syscalls.list: with weak table entries, a typo in a
# SYSCALL_DEFINE name would otherwise silently leave the call -ENOSYS.
set -eu
elf=$1
list=$2
bad=$(nm "$elf" | awk '$2 == "T" && $3 ~ /^sys_/ { sub("^sys_", "", $3); print $3 }' |
	while read -r name; do
		grep -q "^[0-9]* $name\$" "$list" || echo "$name"
	done)
if [ -n "$bad" ]; then
	echo "check-syscalls: handlers not in $list: $bad" >&2
	exit 1
fi
