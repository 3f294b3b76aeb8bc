# The text tools a shell user reaches for: find, xargs, sort, uniq, cut,
# awk, sed, grep, tr, on files made here.
mkdir -p tree/a/b tree/c
for f in tree/one.txt tree/a/two.txt tree/a/b/three.log tree/c/four.txt; do
	echo "$f" > "$f"
done
find tree -type f | sort
find tree -name '*.txt' | sort
find tree -type d | sort
find tree -name '*.log' -exec cat {} \;
find tree -type f | sort | xargs cat
find tree -type f -name '*.txt' | sort | xargs -n 2 echo
echo a b c d e | xargs -n 2 echo pair:
printf 'x\ny\n' | xargs -I{} echo "item {}"
find tree -type f | xargs wc -l | sort | tail -n 1
printf 'pear 3\napple 10\nfig 7\napple 2\n' > fruit
sort fruit
sort -k2 -n fruit
sort -u -k1,1 fruit | cut -d' ' -f1
cut -d' ' -f1 fruit | sort | uniq -c | sort -k2
awk '{ sum[$1] += $2 } END { for (k in sum) print k, sum[k] }' fruit | sort
awk -F' ' 'NR == 2 { print NR": "$0 } $2 > 5 { n++ } END { print n" over 5" }' fruit
awk 'BEGIN { printf "%05.1f|%-4s|%x\n", 3.14159, "ab", 255 }'
sed -n '2p' fruit
sed 's/apple/APPLE/g; /fig/d' fruit
sed -e '1i\
header' -e '$a\
footer' fruit
sed -i 's/pear/PEAR/' fruit; head -n 1 fruit
grep -c apple fruit
grep -v apple fruit
grep -n '^f' fruit
echo Hello World | tr 'a-z' 'A-Z'
echo 'a,b,,c' | tr -s ',' | cut -d, -f3
