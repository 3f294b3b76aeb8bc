#!/usr/bin/env bash
# `make test`: every test there is, with one verdict at the end.
#
# Steps, in order: install dependencies, the static check of the kernel
# sources (`make check`, sparse), the host unit tests (`make unit`), the
# in-VM suite on Basalt, the same suite on Linux, gdb on the core files
# both made (scripts/coredump-gdb.sh), then the console session (typing
# at `make run`'s shell through a host pseudo-terminal, tests/console/)
# on Basalt and on Linux, a panic on one of four CPUs stopping and
# reporting the others (Basalt only, make test-panic), the Debian root's
# scripted session on both,
# compared (make test-debian, user/debian.mk; its image is built from the
# host's Debian packages, installed first if missing), and last the SMP
# subset with 4 CPUs on Basalt and on Linux (make test-smp4-basalt,
# test-smp4-linux; tests/tests.mk). Every boot has $SMP CPUs (the top
# Makefile's default, 2) except those of the SMP subset. A failing
# step does not stop the later ones: the Linux run tells whether a failure
# on Basalt is Basalt's fault or the test's. Each step's closing line
# "WORD: N passed, N failed" (optionally followed by ", N skipped") is
# added into the last line of all, "total: N passed, N failed, N skipped";
# a step that fails without such a line counts as one failure. Skips never
# fail a step. Exit status is 0 only if every step succeeded.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

make=${MAKE:-make}
build=${BUILD:-build}
total_passed=0 total_failed=0 total_skipped=0 status=0

scripts/deps.sh || exit 1
mkdir -p "$build"

for step in check unit test-basalt test-linux coredump-gdb \
	test-console-basalt test-console-linux test-panic test-debian \
	test-smp4-basalt test-smp4-linux; do
	out=$build/step-$step.out
	echo "== make $step"
	start=$SECONDS
	$make --no-print-directory "$step" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^[A-Za-z0-9_-]+: [0-9]+ passed, [0-9]+ failed' "$out" |
		tail -n 1)
	p=0 f=0 k=0
	if [ -n "$line" ]; then
		read -r p f < <(echo "$line" |
			sed -E 's/^[^:]+: ([0-9]+) passed, ([0-9]+) failed.*/\1 \2/')
		[[ $line =~ ,\ ([0-9]+)\ skipped ]] && k=${BASH_REMATCH[1]}
	fi
	if [ "$rc" -ne 0 ]; then
		status=1
		[ "$f" -eq 0 ] && f=1 && echo "$step: failed (make exit status $rc)"
	fi
	echo "$step: took $((SECONDS - start))s"
	total_passed=$((total_passed + p))
	total_failed=$((total_failed + f))
	total_skipped=$((total_skipped + k))
done

echo "total: $total_passed passed, $total_failed failed, $total_skipped skipped"
exit "$status"
