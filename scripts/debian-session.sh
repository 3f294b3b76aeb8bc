#!/usr/bin/env bash
# Runs a scripted session in the Debian root (user/debian.mk) on one
# kernel: boots it, waits for the shell's prompt, types one line that
# runs SESSION (a bash script the image holds) with its output in a file,
# prints that file between two markers and exits; init then powers off.
# The session's output, and nothing else, goes to OUT.
#
# usage: scripts/debian-session.sh SIDE IMAGE SESSION OUT
#   SIDE      basalt or linux
#   IMAGE     the Debian root (debian.cpio)
#   SESSION   the script's path inside the image
#   OUT       where its output goes; OUT.log keeps the whole console
set -euo pipefail
[ $# -eq 4 ] || { sed -n '9,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
side=$1 image=$2 session=$3 out=$4
root=$(cd "$(dirname "$0")/.." && pwd)
log=$out.log
fifo=$(mktemp -u)
mkfifo "$fifo"
trap 'rm -f "$fifo"' EXIT

# Basalt checks its lock order as it goes (docs/locking.md); Linux must
# not get the word: it would become an argument of its /init.
words=()
[ "$side" = basalt ] && words=(lockdep)
"$root/scripts/qemu.sh" -t 600 "$side" "$image" "${words[@]}" \
	< "$fifo" > "$log" 2>&1 &
qemu=$!
exec 3> "$fifo"
# The prompt init's shell shows (init sets PS1); typing earlier could
# lose characters while the shell sets up its terminal.
until grep -q 'basalt:/# ' "$log"; do
	kill -0 "$qemu" 2>/dev/null || { echo "$side: no prompt" >&2; exit 1; }
	sleep 0.2
done
# The markers are computed, so the echo of this line does not match them.
echo "bash $session > /tmp/session.out 2>&1;" \
	'echo "@@$((1+1))"; cat /tmp/session.out; echo "@@$((2+1))"; exit' >&3
status=0
wait "$qemu" || status=$?
exec 3>&-
# Terminal control sequences and kernel log lines are not the session's.
tr -d '\r' < "$log" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' |
	grep -Ev '^\[ *[0-9]+\.[0-9]+\] ' |
	sed -n '/^@@2$/,/^@@3$/p' | sed '1d;$d' > "$out"
[ -s "$out" ] || { echo "$side: no session output (status $status)" >&2; exit 1; }
