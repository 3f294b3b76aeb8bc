#!/usr/bin/env bash
# The clock check: does a guest's CLOCK_MONOTONIC keep time with the host?
# Boots each side with the clock initramfs (build/clock/clock.cpio: init is
# tests/clock/load.c, a CPU-bound load that prints "CLOCK ns" lines), times
# the arrival of those lines on the host and prints, per side, one line
# from scripts/clock-drift.sh:
#
#   SIDE: clock: guest CLOCK_MONOTONIC ran G s while the host ran H s:
#         drift D% (agrees within 1% | OFF BY MORE THAN 1%)
#
# It reports and never fails on the drift (exit status 0 unless a boot
# itself failed): timing on a shared host is information, not a test.
# Linux in the same virtual machine is the comparison.
#
# usage: scripts/clock-check.sh [INITRD]
#   HOST_LOAD=n      keep n busy processes on the host during the boots
#                    (default 0); a loaded host is where clocks go wrong
#   ROUNDS=n         rounds of guest work (default: load.c's 20)
#   SIDES="..."      which kernels (default "basalt linux")
#   CLOCK_TIMEOUT=s  bound on each boot (default 600)
#   CLOCK_APPEND     more kernel command-line words for Basalt, e.g.
#                    "clocksource=hpet"
set -euo pipefail
shopt -s lastpipe
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
initrd=${1:-$build/clock/clock.cpio}
sides=${SIDES:-basalt linux}
load=${HOST_LOAD:-0}
# shellcheck source=scripts/clock-drift.sh
. "$root/scripts/clock-drift.sh"

hogs=()
stop_hogs() {
	local p
	for p in "${hogs[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${hogs[@]}"; do wait "$p" 2>/dev/null || true; done
	hogs=()
}
trap stop_hogs EXIT
for ((i = 0; i < load; i++)); do
	bash -c 'while :; do :; done' &
	hogs+=($!)
done
[ "$load" -gt 0 ] && echo "clock-check: $load busy processes on the host"

status=0
for side in $sides; do
	clock_guest_first='' clock_guest_last=''
	words=()
	[ -n "${ROUNDS:-}" ] && words+=("$ROUNDS")
	# Basalt says how it calibrated (pr_info, hidden at the default level).
	[ "$side" = basalt ] && words+=(loglevel=6 ${CLOCK_APPEND:-})
	log=$build/clock-$side.log
	set +e
	"$root/scripts/qemu.sh" --log "$log" --timeout "${CLOCK_TIMEOUT:-600}" \
		"$side" "$initrd" "${words[@]}" 2>/dev/null |
		while IFS= read -r l || [ -n "$l" ]; do
			l=${l%$'\r'}
			case $l in "CLOCK "[0-9]*) clock_note "$l" ;; esac
		done
	rc=${PIPESTATUS[0]}
	set -e
	if [ "$side" = basalt ]; then
		grep -a -E '\] timer: ' "$log" | sed "s/^\[[^]]*\] /$side: /" ||
			true
	fi
	if [ "$rc" -ne 0 ] || [ -z "$clock_guest_last" ]; then
		echo "$side: clock: the boot failed (QEMU status $rc, log $log)"
		status=1
		continue
	fi
	clock_report "$side"
done
exit "$status"
