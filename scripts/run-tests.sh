#!/usr/bin/env bash
# Runs the in-VM test suite on one side and reports it, one line per test.
# It builds nothing (make does): it boots SIDE with the test initramfs in
# batch mode, reads the runner's protocol (tests/user/runner.c) from the
# serial line as it arrives, and judges the boot as a whole.
#
# usage: scripts/run-tests.sh SIDE [INITRD]
#   SIDE          basalt or linux
#   INITRD        the test initramfs (default build/tests.cpio)
#   TEST_TIMEOUT  environment: seconds allowed for the whole boot (300)
#   TEST_LIST     environment: the host copy of /tests/LIST
#                 (default build/tests/LIST), to name tests never run
#   TEST_TAG      environment: names this run SIDE-TAG instead of SIDE
#                 (its lines and its log), so that a second run of the
#                 same side (make test-smp4) keeps the first one's log
#   SMP           environment: the number of CPUs (scripts/qemu.sh)
#
# Output: "SIDE: PASS name", "SIDE: SKIP name" or "SIDE: FAIL name (why)"
# per test, with a failed test's own output indented below it (a skipped
# test's: only its "skip" lines and its closing count), then problems with
# the boot, and last the plain line "SIDE: N passed, N failed, N skipped".
# The serial log is kept in build/test-SIDE.log (build/test-SIDE-TAG.log).
# Exit status 0 only when no test failed (skips do not fail), the runner
# printed its SUMMARY, no kernel panicked and QEMU exited cleanly.
#
# Information, never a verdict: "SIDE: clock: ..." compares the guest's
# CLOCK_MONOTONIC with the host's clock over the run, from the runner's
# CLOCK lines (scripts/clock-drift.sh), and "SIDE: kernel warnings: N"
# counts the kernel's WARNING lines (first one shown).
set -euo pipefail
shopt -s lastpipe	# the parser below runs in this shell, not a subshell
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
kernel=${1:?usage: run-tests.sh basalt|linux [INITRD]}
initrd=${2:-$build/tests.cpio}
limit=${TEST_TIMEOUT:-300}
list=${TEST_LIST:-$build/tests/LIST}
side=$kernel${TEST_TAG:+-$TEST_TAG}	# the name this run's lines carry
log=$build/test-$side.log
max_output=40		# lines of a failed test's output shown here
# shellcheck source=scripts/clock-drift.sh
. "$root/scripts/clock-drift.sh"

passed=0 failed=0 skipped=0
current=""		# the test whose RUN line came last
verdict=""		# its result line, held until the next RUN or the end
output=()		# its output lines
summary="" panic="" memfree=""
warnings=0 first_warning=""
declare -A seen=()

# Prints the held result of the current test and forgets it. Called when
# the next test starts or the log ends: a result only counts once nothing
# else of that test can follow it.
finish_test() {
	[ -n "$current" ] || return 0
	[ -n "$verdict" ] || verdict="FAIL $current (did not finish)"
	echo "$side: $verdict"
	if [ "${verdict%% *}" = PASS ]; then
		passed=$((passed + 1))
	elif [ "${verdict%% *}" = SKIP ]; then
		# Why: the harness's "  skip case: reason" lines and its
		# closing "  (N of M cases ok, K skipped)".
		skipped=$((skipped + 1))
		local l
		for l in "${output[@]}"; do
			case $l in
			"  skip "* | "  ("*" cases ok, "*) echo "    $l" ;;
			esac
		done
	else
		failed=$((failed + 1))
		local n=${#output[@]} i=0
		[ "$n" -gt "$max_output" ] && i=$((n - max_output)) &&
			echo "    ... ($i earlier lines in $log)"
		for ((; i < n; i++)); do echo "    ${output[i]}"; done
	fi
	current="" verdict="" output=()
}

parse_line() {
	local line=${1%$'\r'}
	case $line in
	*"KERNEL PANIC"* | *"Kernel panic"*)
		[ -n "$panic" ] || panic=$line ;;
	*"] WARNING: "*)
		warnings=$((warnings + 1))
		[ -n "$first_warning" ] || first_warning=$line ;;
	esac
	case $line in
	"RUN "*)
		finish_test
		current=${line#RUN }
		seen[$current]=1 ;;
	"PASS $current" | "SKIP $current" | "FAIL $current ("*)
		[ -n "$current" ] && verdict=$line ;;
	"SUMMARY passed="*)
		finish_test
		summary=$line ;;
	"MEMFREE before="*)
		finish_test
		memfree=${line#MEMFREE } ;;
	"CLOCK "[0-9]*)
		finish_test
		clock_note "$line" ;;
	*)
		[ -n "$current" ] && output+=("$line") ;;
	esac
	return 0
}

# Basalt's test boots have fault injection switched on: it touches only a
# process that arms its own /proc/self/fail-nth (tests/user/failinject*.c,
# docs/security.md), so every other test runs as on a plain boot. They
# also check the lock order as they go (lockdep, docs/locking.md). Linux
# gets neither: a word without '=' would become an argument of its /init.
# T_SMP=N goes to /init's environment, and the runner passes it on to
# the tests: the number of CPUs the machine has, for the tests that check
# what the kernel reports (tests/user/sched_affinity.c).
words=("T_SMP=${SMP:-1}")
[ "$kernel" = basalt ] && words+=(fault_inject lockdep)

echo "$side: booting with $initrd on ${SMP:-1} CPUs (timeout ${limit}s, log $log)"
start=$SECONDS
set +e
"$root/scripts/qemu.sh" --log "$log" --timeout "$limit" "$kernel" "$initrd" \
	"${words[@]}" |
	while IFS= read -r l || [ -n "$l" ]; do parse_line "$l"; done
status=${PIPESTATUS[0]}
set -e
finish_test

# Tests in the list that never started (the boot ended first) failed too.
if [ -f "$list" ]; then
	while read -r t; do
		if [ -z "$t" ] || [ -n "${seen[$t]:-}" ]; then continue; fi
		echo "$side: FAIL $t (not run)"
		failed=$((failed + 1))
	done < "$list"
fi

# Problems of the boot as a whole.
problems=()
[ -n "$panic" ] && problems+=("kernel panic: $panic")
[ "$status" -eq 124 ] && problems+=("timed out after ${limit}s")
[ "$status" -ne 0 ] && [ "$status" -ne 124 ] &&
	problems+=("QEMU exit status $status")
if [ -z "$summary" ]; then
	problems+=("the runner printed no SUMMARY")
elif [ "$summary" != "SUMMARY passed=$passed failed=$failed skipped=$skipped" ]
then
	problems+=("runner says '$summary', the log shows $passed passed, $failed failed, $skipped skipped")
fi
for p in "${problems[@]}"; do echo "$side: error: $p"; done
# A broken boot with no test to blame still counts as one failure.
[ ${#problems[@]} -gt 0 ] && [ "$failed" -eq 0 ] && failed=1
[ $((passed + failed + skipped)) -eq 0 ] && echo "$side: warning: no tests"

[ -n "$memfree" ] && echo "$side: MemFree (kB) $memfree"
clock_report "$side"
[ "$warnings" -gt 0 ] &&
	echo "$side: kernel warnings: $warnings (first: ${first_warning#*] })"
echo "$side: boot took $((SECONDS - start))s"
echo "$side: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
