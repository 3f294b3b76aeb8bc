# Shell builtins and utilities a script leans on: set -e/-u, eval,
# getopts, printf, test, expr, read with IFS, export, exec, command -v.
sh -c 'set -e; false; echo "not reached"'; echo "set -e stopped at false: $?"
(set -u; echo "$undefined_var") 2>/dev/null || echo "set -u refused an unset variable"
cmd='echo evaluated $((6 * 7))'; eval "$cmd"
parse() {
	OPTIND=1
	while getopts "ab:c" opt "$@"; do
		case $opt in
		b) echo "option b=$OPTARG" ;;
		?) echo "option $opt" ;;
		esac
	done
	shift $((OPTIND - 1)); echo "operands: $*"
}
parse -a -b val -c one two
printf '%s|%5s|%-5s|%d|%03d|%x|%o|%c|%%\n' str right left 42 7 255 8 char
printf '%s\n' a b c
printf '%.3s %e\n' abcdef 12345.678
[ 3 -lt 5 ] && [ "abc" = abc ] && [ -n x ] && [ -z "" ] && echo "tests true"
[ -d / ] && [ ! -f /nonexistent ] && test -e /bin/sh && echo "file tests"
expr 7 + 3 \* 2; expr length hello; expr substr hello 2 3; expr abc : 'a\(.*\)'
IFS=: read -r a b c <<EOF2
one:two:three
EOF2
echo "$c $b $a"
export EXPORTED=yes; sh -c 'echo "child sees EXPORTED=$EXPORTED"'
NOT_EXPORTED=no; sh -c 'echo "child sees NOT_EXPORTED=${NOT_EXPORTED:-nothing}"'
VAR=temp sh -c 'echo "one-shot VAR=$VAR"'; echo "after: ${VAR:-unset}"
command -v sh; type echo | sed 's/ is .*/ found/'
(exec echo "exec replaced the subshell"; echo "not reached")
s="path/to/file.tar.gz"
echo "${s##*/} ${s%%.*} ${s#*/} ${s%.*} ${#s}"
n=0; until [ $n -ge 3 ]; do n=$((n + 1)); done; echo "until $n"
for f in 1 2 3 4 5; do [ $f -eq 2 ] && continue; [ $f -eq 4 ] && break; echo "for $f"; done
echo $(( 2 ** 10 )) $(( -7 / 2 )) $(( 0x10 )) $(( 5 > 3 ? 1 : 0 ))
set -- "a b" c; for a in "$@"; do echo "[$a]"; done; for a in $*; do echo "<$a>"; done
true && echo and || echo or; false && echo and || echo or
read -r line < /dev/null; echo "read at EOF: $?"
echo done | { cat; echo "brace group status $?"; }
