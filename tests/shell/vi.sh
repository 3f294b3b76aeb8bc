# vi driven by keystrokes on its standard input (a pipe: no terminal).
# vi's start asks the terminal for its size, and the first key may be
# taken for the answer, so the script starts with a harmless "0". ESC is
# avoided (its sequence timeout makes ESC-then-key timing dependent):
# text changes are made with ex commands (":s") instead of insert mode.
printf 'one\ntwo\nthree\nfour\n' > f
printf '0/thr\rddp:s/four/FOUR/\rggyyGp:1,2s/o/0/g\rx:x\r' | vi f >/dev/null 2>&1
echo "vi status $?"
cat f
printf 'alpha\nbeta\n' > g
printf '0Jx:w\r:q\r' | vi g >/dev/null 2>&1
cat g
vi -c ':%s/a/A/g' -c ':wq' g </dev/null >/dev/null 2>&1
cat g
