# Pipelines: data flows through every stage, the status is the last's
# (or, with pipefail, the last failing one's), and stages run together.
seq 1 5 | tr '\n' ' '; echo
printf 'b\na\nc\na\nb\na\n' | sort | uniq -c
printf 'b\na\nc\na\nb\na\n' | sort | uniq -c | sort -rn | head -n 1
seq 1 1000 | tail -n 2
seq 1 10000 | wc -l
yes hello | head -n 3
false | true; echo "status $?"
true | false; echo "status $?"
set -o pipefail
false | true; echo "pipefail status $?"
set +o pipefail
! false; echo "negated $?"
echo one two three | { read a b c; echo "$c $b $a"; }
seq 1 3 | while read n; do echo "line $n"; done
cat /dev/null | wc -c
