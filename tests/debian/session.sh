#!/bin/bash
# A user's session in the Debian root (user/debian.mk): what each program
# prints must be the same on Basalt and on Linux (make test-debian
# compares them). Nothing here may depend on pids, times or the kernel's
# name; where a program prints such things, the columns are cut away.
cd /tmp || exit 1

echo "== bash"
f() { echo "f:$1"; }
a=(x y z)
f "${a[1]}"
echo "${#a[@]}" $((6 * 7)) "$(echo inner)"
(trap 'echo trapped' EXIT; true)
declare -A m=([k]=v)
echo "${m[k]}" "$(printf 'c\nb\na\n' | sort | tr '\n' ' ')"
sh -c 'echo "sh is $0"' bash-as-sh

echo "== coreutils"
rm -rf s && mkdir s && cd s || exit 1
printf 'hello\n' > f && ln -s f l
ls -la --time-style=+ . 2>&1 | awk '{print $1, $3, $4, $5, $NF}'
stat -c '%n %s %F %a %U %h' f l
du -s --apparent-size -b f
date -u -d '2020-01-02 03:04:05' '+%s %A'
seq 1 100 | awk '{s += $1} END {print s}'
sha256sum f
sort -n -r <<< $'10\n9\n100'
cd /tmp

echo "== findutils grep sed gawk"
find /tmp/s -name '[fl]' | sort
grep -c root /etc/passwd
sed -n 's/^root:x:\([0-9]*\).*/\1/p' /etc/passwd
gawk -F: '{n++} END {print n, $1}' /etc/passwd

echo "== procps"
ps -o comm= -p $$
# Pids, times, sizes and CPU shares differ; Linux's kernel threads
# ([kthreadd] ...) are not in Basalt's table: user, tty, the state's
# modifiers ("s" session leader, "+" foreground group) and command. The
# state letter itself (R or S) depends on timing, so it is cut too. ps
# writes to a file, not a pipe: a filter started beside it might be seen
# between its fork and its exec, with bash's command line.
ps aux > /tmp/ps.out
awk '$11 !~ /^\[/ {
	$2 = $3 = $4 = $5 = $6 = $9 = $10 = ""; if (NR > 1) $8 = substr($8, 2)
	print }' \
	/tmp/ps.out
ps -ef > /tmp/ps.out
awk '$8 !~ /^\[/ {print $1, $8, $9, $10}' /tmp/ps.out
nproc
getconf _NPROCESSORS_ONLN
getconf _NPROCESSORS_CONF
# lscpu reads /proc/cpuinfo and /sys/devices/system/cpu: the counts and
# the topology, without the column padding (Linux's sysfs has much more,
# caches and vulnerabilities, which lscpu lists too).
lscpu | awk -F': *' '/^(CPU\(s\)|On-line CPU\(s\) list|Thread\(s\) per core|Core\(s\) per socket|Socket\(s\)):/ {
	print $1 ": " $2 }'
df -a --output=source,fstype,target

echo "== util-linux"
id=$(ipcmk -Q | awk '{print $NF}')
ipcs -q | tail -n +4 | awk 'NF {print $3, $4, $5, $6}'
ipcrm -q "$id" && echo removed
ipcs -q | tail -n +4 | awk 'NF' | wc -l

echo "== sysv ipc"
# ipcmk picks random keys and the kernel picks ids; ipcs -i prints pids
# and times. ipcf replaces keys by KEY, ids by ID (in the tables, in
# shmid=, msqid=, semid= and in error messages), pids by PID (cpid=,
# lpid=, lspid=, lrpid=) and every time that is set by TIME ("Not set"
# stays: whether a time is set is part of what must match). Owners,
# modes, sizes, counts, limits and semaphore values are compared as
# printed.
ipcf() {
	sed -E 's/0x[0-9a-f]{8}/KEY/g; s/^KEY +[0-9]+ +/KEY ID /
		s/\<(shmid|msqid|semid)=[0-9]+/\1=ID/g
		s/\<(cpid|lpid|lspid|lrpid)=[0-9]+/\1=PID/g
		s/\<id [0-9]+/id ID/; s/id \([0-9]+\)/id (ID)/
		/time/{/Not set/!s/(time *=? *).*/\1TIME/}'
}
mk() {
	m=$(ipcmk -M 8192 -p 0640 | awk '{print $NF}')
	s=$(ipcmk -S 3 -p 0600 | awk '{print $NF}')
	q=$(ipcmk -Q | awk '{print $NF}')
}
key() { ipcs "$1" | awk -v id="$2" '$2 == id {print $1}'; }
mk
for o in -m -q -s -a -u -l; do
	echo "-- ipcs $o"
	ipcs $o | ipcf
done
echo "-- ipcs -i"
ipcs -m -i "$m" | ipcf
ipcs -q -i "$q" | ipcf
ipcs -s -i "$s" | ipcf
echo "-- ipcrm by id"
ipcrm -m "$m" -q "$q" -s "$s" && echo removed
ipcs -a | ipcf
ipcs -m -i "$m" 2>&1 | ipcf
echo "-- ipcrm by key"
mk
ipcrm -M "$(key -m "$m")" -Q "$(key -q "$q")" -S "$(key -s "$s")" &&
	echo removed
ipcs -a | ipcf
echo "-- ipcrm --all"
mk
ipcrm --all && echo removed
ipcs -a | ipcf
ipcrm -m "$m" 2>&1 | ipcf

echo "== python"
python3 - <<'PY'
import hashlib, json, mmap, os, select, socket, subprocess, sys, tempfile
import threading
print(sys.version_info[:2], json.dumps({"a": [1, 2]}, sort_keys=True))
print(hashlib.sha256(b"basalt").hexdigest()[:16])
print(subprocess.run(["echo", "child"], capture_output=True).stdout)
print(subprocess.run(["sort"], input=b"b\na\n", capture_output=True).stdout)
with tempfile.TemporaryFile() as t:
    t.write(b"x" * 8192)
    t.flush()
    m = mmap.mmap(t.fileno(), 8192)
    m[0:2] = b"yz"
    m.flush()
    t.seek(0)
    print(len(m), m[:3], t.read(3))
    m.close()
with tempfile.TemporaryDirectory() as d:
    open(os.path.join(d, "f"), "w").write("hi")
    print(sorted(os.listdir(d)), os.stat(os.path.join(d, "f")).st_size)
print(sorted(os.listdir("/tmp/s")),
      len(os.sched_getaffinity(0)) == os.cpu_count())

# A socket pair: data both ways, readiness through select and epoll, a
# descriptor passed over it.
a, b = socket.socketpair()
a.sendall(b"ping")
print(b.recv(4))
ep = select.epoll()
ep.register(b.fileno(), select.EPOLLIN)
print(ep.poll(0))
a.send(b"x")
print([(fd == b.fileno(), ev) for fd, ev in ep.poll(1)])
print(len(select.select([b], [], [], 1)[0]), b.recv(1))
fd = os.open("/etc/passwd", os.O_RDONLY)
socket.send_fds(a, [b"fd"], [fd])
msg, fds, _, _ = socket.recv_fds(b, 16, 1)
print(msg, len(fds), os.read(fds[0], 5))

# Threads: a worker echoing over the pair, and a few summing under a lock.
def echo():
    b.sendall(b.recv(5).upper())
t = threading.Thread(target=echo)
t.start()
a.sendall(b"hello")
print(a.recv(5))
t.join()
sums, lock = [], threading.Lock()
def work(n):
    with lock:
        sums.append(sum(range(n)))
ts = [threading.Thread(target=work, args=(i * 1000,)) for i in range(4)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(sorted(sums))
pid = os.fork()
if pid == 0:
    os._exit(7)
print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
PY

echo "== sqlite3"
# sqlite3's default VFS takes fcntl record locks on the database file.
rm -f /tmp/s/db
sqlite3 /tmp/s/db <<'SQL'
create table t(a integer, b text);
begin;
with recursive c(x) as (select 1 union all select x + 1 from c where x < 10000)
insert into t select x, 'row' || x from c;
commit;
select count(*), sum(a), max(b) from t;
select b from t where a = 4242;
SQL
stat -c '%s' /tmp/s/db | awk '{print ($1 > 0)}'

echo "== less"
printf 'one\ntwo\n' | less | cat
echo "== end"
