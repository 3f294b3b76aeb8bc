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
ps aux | head -1

echo "== util-linux"
id=$(ipcmk -Q | awk '{print $NF}')
ipcs -q | tail -n +4 | awk 'NF {print $3, $4, $5, $6}'
ipcrm -q "$id" && echo removed
ipcs -q | tail -n +4 | awk 'NF' | wc -l

echo "== python"
python3 - <<'PY'
import hashlib, json, mmap, os, subprocess, sys, tempfile
print(sys.version_info[:2], json.dumps({"a": [1, 2]}))
print(hashlib.sha256(b"basalt").hexdigest()[:16])
print(subprocess.run(["echo", "child"], capture_output=True).stdout)
with tempfile.TemporaryFile() as t:
    t.write(b"x" * 8192)
    t.flush()
    m = mmap.mmap(t.fileno(), 8192)
    print(len(m), m[:3])
    m.close()
print(sorted(os.listdir("/tmp/s")))
PY

echo "== sqlite3"
rm -f /tmp/s/db
sqlite3 /tmp/s/db <<'SQL'
create table t(a integer, b text);
begin;
with recursive c(x) as (select 1 union all select x + 1 from c where x < 10000)
insert into t select x, 'row' || x from c;
commit;
select count(*), sum(a), max(b) from t;
SQL

echo "== less"
printf 'one\ntwo\n' | less | cat
echo "== end"
