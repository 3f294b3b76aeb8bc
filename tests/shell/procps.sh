# Process and system views: ps, top, df, free, dmesg, uptime, kill -l,
# pidof. Their numbers (pids, sizes, times, loads) differ between
# kernels and go between {{ }}; the rest of each line is compared. Only
# this session's own processes are shown: Linux lists kernel threads too.
nums() { sed 's/ *[0-9][0-9.:]*/{{&}}/g'; }
pidcol() { sed 's/^ *[0-9][0-9]*/{{&}}/'; }
sleep 30 &
sp=$!
# With two CPUs ps can run before the child has become sleep: wait.
until [ "$(cat /proc/$sp/comm 2>/dev/null)" = sleep ]; do :; done

echo "--- ps"
ps > psout
head -n 1 psout
awk -v a=$$ -v b=$sp '$1 == a || $1 == b' psout | pidcol
grep '{ps}' psout | pidcol

echo "--- top"
top -b -n 1 > topout
head -n 3 topout | nums
sed -n 4p topout
# The rows of this shell, the sleep and top itself, in that order (top
# sorts by %CPU); everything before COMMAND is numbers but USER and STAT.
awk -v a=$$ -v b=$sp '
	NR == 4 { c = index($0, "COMMAND") }
	NR > 4 {
		head = substr($0, 1, c - 1); cmd = substr($0, c)
		gsub(/ *[0-9][0-9.]*[mg%]?/, "{{&}}", head)
		if ($1 == a) row[1] = head cmd
		else if ($1 == b) row[2] = head cmd
		else if (cmd ~ /^top /) row[3] = head cmd
	}
	END { for (i = 1; i <= 3; i++) print row[i] }' topout

echo "--- df"
df | head -n 1
df | tail -n +2 | nums
df /dev/shm | tail -n 1 | nums
df -k /dev/shm | head -n 1

echo "--- free"
free | head -n 1
free | tail -n +2 | nums

echo "--- dmesg"
mknod kmsg c 1 11 && echo "procps: a line for dmesg" > kmsg
dmesg | grep 'procps: a line' | sed 's/^\[[^]]*\]/[{{&}}]/'
dmesg | head -n 1 | sed 's/^\(\[ *[0-9]*\.[0-9]\{6\}\] \).*/\1{{text}}/' | nums
echo "lines without a timestamp: $(dmesg | grep -vc '^\[ *[0-9]*\.[0-9]\{6\}\] ')"
dmesg -c > /dev/null
echo "after dmesg -c: $(dmesg | grep -c 'procps: a line')"

echo "--- uptime"
uptime | nums

echo "--- kill -l"
kill -l
kill -l TERM
kill -l 143

echo "--- pidof"
echo "pidof sleep: {{$(pidof sleep)}}"
[ "$(pidof sleep)" = "$sp" ] && echo "pidof finds the sleep"
pidof no-such-program; echo "pidof no-such-program: $?"
# SIGPIPE: the one signal (with SIGINT) whose death ash does not report
# with a "Terminated"-like line at a moment of its choosing.
kill -PIPE $sp; wait $sp; echo "sleep killed: $?"
pidof sleep; echo "pidof sleep after: $?"

echo "--- the rest"
uname -s
echo "release {{$(uname -r)}}"
[ -d /proc/$$ ] && echo "/proc/\$\$ exists"
