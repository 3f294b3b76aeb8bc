#!/usr/bin/env bash
# Remakes tests/shell/NAME.out from what the scripts printed on Linux.
#
# usage: scripts/shell-expect.sh [LOG]
#   LOG   a Linux test log (default build/test-linux.log), from e.g.
#         `make test-linux TESTS=shell`
#
# tests/user/shell.c prints a script's filtered output, between
# "  --- NAME: output" and "  --- NAME: end" with each line as "  | ...",
# whenever it differs from NAME.out. This writes the first such block of
# each script into tests/shell/NAME.out. Review the change (git diff)
# before committing it: the expected output is the test.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
log=${1:-$root/build/test-linux.log}
tr -d '\r' < "$log" | awk -v dir="$root/tests/shell" '
	/^  --- [A-Za-z0-9_]+: output$/ {
		name = $2; sub(/:$/, "", name)
		if (!(name in done)) { file = dir "/" name ".out"; printf "" > file }
		next
	}
	/^  --- [A-Za-z0-9_]+: end$/ {
		if (file != "") { close(file); done[name] = 1; print "wrote " file }
		file = ""; next
	}
	file != "" && /^  \| / { print substr($0, 5) > file }
	file != "" && /^  \|$/ { print "" > file }
'
