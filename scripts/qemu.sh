#!/usr/bin/env bash
# Boots a kernel in QEMU. Basalt and Linux get the same machine and the same
# options; only the kernel image and its command line differ, so whatever
# runs on both (tests, benchmarks) is compared fairly.
#
# usage: scripts/qemu.sh [options] SIDE INITRD [CMDLINE-WORD...]
#   SIDE            basalt (build/basalt.elf) or linux (build/linux/vmlinuz)
#   INITRD          the initramfs (a newc cpio archive)
#   CMDLINE-WORD    appended to the side's kernel command line; on Linux
#                   (and Basalt, which copies its convention) a word without
#                   '=' becomes an argument of /init, NAME=VALUE its env
#   -l, --log FILE  batch mode: no input, serial output to FILE and stdout,
#                   no monitor. Without it, interactive mode: the serial
#                   line is this terminal (Ctrl-A X quits QEMU, Ctrl-A C
#                   is the monitor).
#   -t, --timeout S stop QEMU after S seconds (exit status 124)
#   -k, --kernel K  boot K instead of the side's default image
#   QEMU_EXTRA      environment: more QEMU options, e.g. "-s -S" for gdb
#   SMP             environment: the number of CPUs (default 1; make's
#                   default is the top Makefile's SMP, 2)
#
# Exit status is QEMU's: 0 when the guest powered off (Linux through ACPI;
# Basalt by writing 0x2000 to PM1a control port 0x604). Basalt reports a
# kernel panic through the isa-debug-exit device at port 0xf4, which makes
# QEMU exit with (code << 1) | 1, so any odd status >= 3 is a Basalt panic.
# Linux cannot use that device: it panics with panic=-1 and -no-reboot, so
# QEMU exits 0 and only the log ("Kernel panic") tells; callers check it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
log='' timeout='' kernel=''
usage() { sed -n '6,21p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	-l|--log) log=$2; shift 2 ;;
	-t|--timeout) timeout=$2; shift 2 ;;
	-k|--kernel) kernel=$2; shift 2 ;;
	-h|--help) usage ;;
	-*) echo "qemu.sh: unknown option $1" >&2; usage ;;
	*) break ;;
	esac
done
[ $# -ge 2 ] || usage
side=$1 initrd=$2
shift 2

case $side in
basalt)
	kernel=${kernel:-$build/basalt.elf}
	cmdline="init=/init loglevel=4" ;;
linux)
	kernel=${kernel:-$build/linux/vmlinuz}
	# no_timer_check: with several CPUs under TCG on a busy host,
	# Linux's boot-time check of the timer interrupt sometimes times
	# out and panics ("IO-APIC + timer doesn't work"); virtual
	# machines switch it off for that reason.
	cmdline="console=ttyS0 quiet panic=-1 no_timer_check rdinit=/init" ;;
*)
	echo "qemu.sh: SIDE must be basalt or linux, not '$side'" >&2
	exit 2 ;;
esac
[ $# -gt 0 ] && cmdline="$cmdline $*"
for f in "$kernel" "$initrd"; do
	[ -f "$f" ] || { echo "qemu.sh: $f: no such file" >&2; exit 2; }
done

# The machine. -no-reboot turns a guest reset (Linux's panic=-1, a triple
# fault) into QEMU exiting, so no boot can loop forever.
# shellcheck disable=SC2054 # the commas belong to QEMU options
machine=(-machine pc -cpu max -m 512M -smp "${SMP:-1}" -no-reboot -display none
	-nic none -device isa-debug-exit,iobase=0xf4,iosize=0x04
	-kernel "$kernel" -initrd "$initrd" -append "$cmdline")
# shellcheck disable=SC2206 # QEMU_EXTRA is a list of words on purpose
machine+=(${QEMU_EXTRA:-})

bound=()
[ -n "$timeout" ] && bound=(timeout --foreground -k 10 "$timeout")

if [ -z "$log" ]; then
	# Interactive. The monitor is multiplexed onto the terminal; a stdin
	# that is /dev/null or a pipe works too (the guest just gets no input).
	exec "${bound[@]}" qemu-system-x86_64 "${machine[@]}" -serial mon:stdio
fi

mkdir -p "$(dirname "$log")"
set +e
"${bound[@]}" qemu-system-x86_64 "${machine[@]}" -serial stdio -monitor none \
	</dev/null | tee "$log"
status=${PIPESTATUS[0]}
set -e

case $status in
0) what="powered off" ;;
124) what="timed out after ${timeout}s" ;;
*) if [ "$side" = basalt ] && [ $((status % 2)) -eq 1 ] && [ "$status" -ge 3 ]
   then what="Basalt panic, code $((status >> 1))"
   else what="QEMU failed"
   fi ;;
esac
echo "qemu.sh: $side: exit status $status ($what)" >&2
exit "$status"
