#!/usr/bin/env bash
# `make bench`: runs the benchmarks on Basalt and on Linux and compares.
# It builds nothing (make does): it boots both kernels with the bench
# initramfs in turn, Basalt then Linux, round after round (A B A B ...),
# reads the runner's protocol (bench/runner.c) from the serial line as it
# arrives, timestamps the runner's first line to measure boot time, and
# then summarises: per operation and kernel the median over the rounds of
# each boot's own median, the spread of those over the rounds, and the
# ratio Basalt/Linux (lower is better; below 1.0 Basalt is faster).
#
# usage: scripts/bench.sh [INITRD]
#   INITRD         the bench initramfs (default build/bench.cpio)
#   BENCH_ROUNDS   environment: boots per kernel, at least 3 (default 5)
#   BENCH_TIMEOUT  environment: seconds allowed for one boot (240)
#   BENCH_ARGS     environment: words for the kernel command line, e.g.
#                  "BENCH_REPS=9 BENCH_REP_MS=60" for the harness
#   BENCH_LIST     environment: the host copy of /bench/LIST (default
#                  build/bench/LIST), to name operations that never ran
#
# Output: progress, then the table (Markdown). Files in build/bench/:
#   results.md    the table, with the machine and versions it came from
#   ratios.svg    a bar chart of the ratios with the 1.0 line
#   raw.txt       every result of every boot, one line each
#   SIDE-N.log    the serial log of boot N of SIDE
#   SIDE.kernel   the kernel images booted: copied once at the start, so
#                 that a rebuild during the run cannot mix two kernels
# Benchmarks never fail a build: the exit status is 0 even when an
# operation or a whole boot failed; the table says "n/a" and why.
set -uo pipefail
shopt -s lastpipe	# the parser below runs in this shell, not a subshell
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
initrd=${1:-$build/bench.cpio}
rounds=${BENCH_ROUNDS:-5}
limit=${BENCH_TIMEOUT:-240}
list=${BENCH_LIST:-$build/bench/LIST}
args=${BENCH_ARGS:-}
out=$build/bench
raw=$out/raw.txt
sides=(basalt linux)

# The rows of the table, in this order, with what each one measures.
# Operations not named here still appear, after these, under their name.
describe() {
	case $1 in
	boot)		echo "boot: QEMU start to first line of /init" ;;
	getppid)	echo "null system call (getppid)" ;;
	clock_gettime)	echo "clock_gettime(CLOCK_MONOTONIC)" ;;
	read_null)	echo "read 1 byte from /dev/null" ;;
	write_null)	echo "write 1 byte to /dev/null" ;;
	fork)		echo "fork + exit + wait" ;;
	exec)		echo "fork + execve + exit + wait (static)" ;;
	exec_dynamic)	echo "fork + execve + exit + wait (dynamic /usr/bin/true, ld.so)" ;;
	bash_c_true)	echo "fork + execve bash -c true + wait (dynamic)" ;;
	ctxsw)		echo "context switch (pipe ping-pong)" ;;
	pipe_bw)	echo "pipe bandwidth (64 KiB chunks)" ;;
	page_fault)	echo "anonymous page fault (first touch)" ;;
	mmap_1m)	echo "mmap + munmap 1 MiB, untouched" ;;
	mmap_1m_touched) echo "mmap + touch 256 pages + munmap 1 MiB" ;;
	brk)		echo "brk grow + shrink 1 MiB" ;;
	file_map_private) echo "mmap 1 MiB tmpfs file private + write 256 pages + munmap" ;;
	file_map_shared) echo "mmap 1 MiB tmpfs file shared + write 256 pages + munmap" ;;
	file_fault)	echo "page fault on a file mapping (read, page cached)" ;;
	mremap_grow)	echo "mremap 1 MiB (touched) -> 64 MiB, moved + munmap" ;;
	shm_cycle)	echo "shmget + shmat + touch 16 pages + shmdt + IPC_RMID" ;;
	shm_attach)	echo "shmat + shmdt of an existing 16-page segment" ;;
	msg_pingpong)	echo "msgsnd/msgrcv ping-pong (64 bytes, per message)" ;;
	sem_pingpong)	echo "SysV semaphore ping-pong between processes (per hand-off)" ;;
	futex_pingpong)	echo "futex ping-pong between threads (per hand-off)" ;;
	mutex_uncontended) echo "pthread mutex lock + unlock, uncontended" ;;
	thread_create)	echo "pthread_create + pthread_join" ;;
	unix_pingpong)	echo "AF_UNIX stream ping-pong (64 bytes, per message)" ;;
	unix_bw)	echo "AF_UNIX stream bandwidth (64 KiB chunks)" ;;
	epoll_wait_ready) echo "epoll_wait on a ready pipe (level-triggered)" ;;
	sig_install)	echo "signal install (rt_sigaction)" ;;
	sig_roundtrip)	echo "signal round trip (kill self, handler)" ;;
	alarm_latency)	echo "alarm-driven timer latency (200 us ITIMER_REAL, ns late)" ;;
	setitimer)	echo "setitimer(ITIMER_REAL) re-arm, old value read" ;;
	*)		echo "$1" ;;
	esac
}
row_order=(boot getppid clock_gettime read_null write_null fork exec
	exec_dynamic bash_c_true ctxsw
	pipe_bw page_fault mmap_1m mmap_1m_touched brk file_map_private
	file_map_shared file_fault mremap_grow shm_cycle shm_attach msg_pingpong
	sem_pingpong futex_pingpong mutex_uncontended thread_create
	unix_pingpong unix_bw epoll_wait_ready sig_install sig_roundtrip
	alarm_latency setitimer)

case $rounds in
''|*[!0-9]*)
	echo "bench: BENCH_ROUNDS=$rounds is not a number; using 5"
	rounds=5 ;;
esac
rounds=$((10#$rounds))
if [ "$rounds" -lt 3 ]; then
	echo "bench: BENCH_ROUNDS=$rounds is too few; using 3"
	rounds=3
fi
mkdir -p "$out"
ops=()
[ -f "$list" ] && mapfile -t ops < "$list"

# Per boot, filled by parse_line and read by run_boot.
declare -A got=()	# op -> 1 once it has a result or a reason
boot_ms="" panic="" running=""

# record SIDE ROUND OP UNIT MEDIAN MIN MAX  or  record SIDE ROUND OP n/a WHY
record() {
	echo "$*" >> "$raw"
	got[$3]=1
}

# The value of KEY in a line of KEY=VALUE words (empty if absent).
field() {
	local key=$1 w
	for w in $2; do
		[ "${w%%=*}" = "$key" ] && { echo "${w#*=}"; return; }
	done
}

# The runner's "exit=N", "signal=N" or "error=WHY" in words.
how_it_ended() {
	case $1 in
	exit=*)		echo "exited with status ${1#exit=} and no result" ;;
	signal=*)	echo "killed by signal ${1#signal=}" ;;
	error=*)	echo "runner: ${1#error=}" ;;
	*)		echo "$1" ;;
	esac
}

parse_line() {
	local side=$1 round=$2 line=${3%$'\r'} name median
	case $line in
	*"KERNEL PANIC"* | *"Kernel panic"*)
		[ -n "$panic" ] || panic=$line ;;
	esac
	case $line in
	BENCH-INIT*)
		# The first line from /init: the boot is over.
		boot_ms=$(( (${EPOCHREALTIME/[.,]/} - t0_us) / 1000 ))
		record "$side" "$round" boot ms "$boot_ms" "$boot_ms" "$boot_ms" ;;
	"RUN "*)
		running=${line#RUN } ;;
	"BENCH name="*)
		name=$(field name "$line")
		median=$(field median "$line")
		if [[ $line == *" error="* ]]; then
			record "$side" "$round" "$name" n/a "${line#* error=}"
		elif ! [[ $median =~ ^[0-9]+(\.[0-9]*)?$ ]]; then
			record "$side" "$round" "$name" n/a "garbled: $line"
		else
			record "$side" "$round" "$name" "$(field unit "$line")" \
				"$median" "$(field min "$line")" \
				"$(field max "$line")"
		fi ;;
	"DONE "*)
		name=${line#DONE }
		name=${name%% *}
		# A program that ended without a result line: say how it ended.
		[ -n "${got[$name]:-}" ] ||
			record "$side" "$round" "$name" n/a \
				"$(how_it_ended "${line#DONE "$name" }")"
		running="" ;;
	esac
	return 0
}

# Sets cpu_ms to the CPU time (ms, user + system) of all the children
# this shell has waited for. `times` must run in this shell, not in a
# command substitution: a subshell has children of its own.
children_cpu() {
	local user sys t
	times > "$out/.times"
	{ read -r _; read -r user sys; } < "$out/.times"
	cpu_ms=0
	for t in "$user" "$sys"; do	# like 1m2.345s
		cpu_ms=$((cpu_ms + 10#${t%%m*} * 60000))
		t=${t#*m}
		t=${t%s}
		cpu_ms=$((cpu_ms + 10#${t%.*} * 1000 + 10#${t#*.}))
	done
}

# One boot of SIDE in round ROUND: results go to raw.txt. The share of a
# host CPU that QEMU got during the boot is noted too: with one virtual
# CPU under TCG, QEMU keeps one host CPU busy, so a share well below 100%
# means other work on the host slowed this boot down.
run_boot() {
	local side=$1 round=$2 log=$out/$1-$2.log status op why start=$SECONDS
	local cpu0 wall_ms share
	got=() boot_ms="" panic="" running=""
	printf 'bench: round %d/%d, %-6s ' "$round" "$rounds" "$side"
	children_cpu
	cpu0=$cpu_ms
	t0_us=${EPOCHREALTIME/[.,]/}
	# shellcheck disable=SC2086 # BENCH_ARGS is a list of words
	"$root/scripts/qemu.sh" --log "$log" --timeout "$limit" \
		--kernel "$out/$side.kernel" "$side" "$initrd" $args 2>/dev/null |
		while IFS= read -r l || [ -n "$l" ]; do
			parse_line "$side" "$round" "$l"
		done
	status=${PIPESTATUS[0]}
	wall_ms=$(( (${EPOCHREALTIME/[.,]/} - t0_us) / 1000 ))
	children_cpu
	share=$(( (cpu_ms - cpu0) * 100 / (wall_ms ? wall_ms : 1) ))
	echo "# cpu $side $round $share" >> "$raw"

	# What went wrong with the boot, to explain the missing results.
	why=""
	[ "$status" -eq 124 ] && why="boot timed out after ${limit}s"
	[ "$status" -ne 0 ] && [ "$status" -ne 124 ] &&
		why="QEMU exit status $status"
	[ -n "$panic" ] && why="kernel panic: $panic"
	[ -z "$boot_ms" ] && [ -z "$why" ] && why="/init printed nothing"
	[ -z "$boot_ms" ] && record "$side" "$round" boot n/a "$why"
	for op in "${ops[@]}"; do
		[ -n "${got[$op]:-}" ] && continue
		if [ "$op" = "$running" ]; then
			record "$side" "$round" "$op" n/a "did not finish (${why:-?})"
		else
			record "$side" "$round" "$op" n/a "not run (${why:-?})"
		fi
	done
	echo "boot ${boot_ms:-n/a} ms, $((SECONDS - start)) s," \
		"QEMU had ${share}% of a CPU${why:+ ($why)}"
}

# Copies the kernel images this run boots, and notes which they are.
snapshot_kernels() {
	local commit
	commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo ?)
	git -C "$root" diff --quiet HEAD 2>/dev/null || commit="$commit+changes"
	cp "$build/basalt.elf" "$out/basalt.kernel" &&
		cp "$build/linux/vmlinuz" "$out/linux.kernel" || return 1
	basalt_version="commit $commit when the run began, build/basalt.elf"
	basalt_version+=" sha256 $(sha256sum < "$out/basalt.kernel" | cut -c1-12)"
}

# The versions the numbers belong to, for results.md.
versions() {
	local qemu linux
	qemu=$(qemu-system-x86_64 --version | head -n 1)
	linux=$(cat "$build/linux/VERSION" 2>/dev/null || echo ?)
	echo "- Basalt: $basalt_version"
	echo "- Linux: $linux"
	echo "- $qemu, TCG, \`-machine pc -cpu max -m 512M -smp ${SMP:-1}\`"
	echo "- host: $(nproc) CPUs, $(uname -sr), load average" \
		"$(cut -d' ' -f1-3 /proc/loadavg) at the end; $rounds rounds," \
		"run $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- guest settings: ${args:-defaults (BENCH_REPS=7 BENCH_REP_MS=40)}"
}

# Prints the rows in table order: the known rows first, then the rest.
row_list() {
	local op seen=" "
	for op in "${row_order[@]}" "${ops[@]}"; do
		[[ $seen == *" $op "* ]] && continue
		seen+="$op "
		grep -q "^[a-z]* [0-9]* $op " "$raw" && echo "$op"
	done
}

# Writes results.md and ratios.svg from raw.txt.
summarise() {
	local descs=() op
	for op in $(row_list); do descs+=("$op=$(describe "$op")"); done
	{
		echo "# Basalt against Linux: benchmark results"
		echo
		versions
		echo
		awk -v rounds="$rounds" -v svg="$out/ratios.svg" \
			-f "$root/bench/summary.awk" \
			<(printf '%s\n' "${descs[@]}") "$raw"
	} > "$out/results.md"
}

if [ ! -f "$initrd" ]; then
	echo "bench: $initrd: no such file (run make bench)"
	exit 0
fi
if ! snapshot_kernels; then
	echo "bench: cannot copy the kernel images (run make bench)"
	exit 0
fi
echo "# side round op unit median min max  |  side round op n/a why" > "$raw"
echo "bench: ${#ops[@]} operations + boot time, $rounds rounds," \
	"timeout ${limit}s per boot"
for ((r = 1; r <= rounds; r++)); do
	for side in "${sides[@]}"; do
		run_boot "$side" "$r"
	done
done
summarise
rm -f "$out/.times"
echo
sed -n '/^| operation/,$p' "$out/results.md"
echo
echo "bench: wrote $out/results.md, $out/ratios.svg, $raw"
exit 0
