# Subshells and command substitution: separate variables and directory,
# exit statuses carried out, functions and grouping.
x=outer
(x=inner; echo "in subshell $x")
echo "after subshell $x"
(cd /; pwd)
pwd | sed 's|.*/|/.../|'
(exit 7); echo "subshell exit $?"
y=$(echo nested $(echo deeper))
echo "$y"
z=`echo backticks`
echo "$z"
count() { echo "$# args: $*"; return 3; }
count a b c; echo "function status $?"
f() { local v=local; echo "$v"; }
v=global; f; echo "$v"
{ echo grouped; echo twice; } | wc -l
sh -c 'exit 5'; echo "child sh $?"
sh -c 'echo "args: $0 $1 $2"' zero one two
echo "$(( (3 + 4) * 2 )) $(( 17 % 5 )) $(( 1 << 4 ))"
for i in a b c; do printf '%s-' "$i"; done; echo
case hello in h*) echo "case matched";; *) echo no;; esac
i=0; while [ $i -lt 3 ]; do i=$((i + 1)); done; echo "loop $i"
set -- p q r; shift; echo "$# $1"
echo "${undefined:-default} ${#x} ${x%er} ${x#ou}"
