/*
 * What a process's own files in /proc/<pid> (and /proc/<pid>/task/<tid>)
 * say about it, in Linux 6.1's formats (fs/proc/array.c, base.c):
 *
 *   stat     the 52 fields ps and top read
 *   statm    sizes in pages
 *   status   the same and more, one "Name:\tvalue" line each
 *   comm     the name; writable by the process itself
 *   cmdline  the argv strings, read from its memory
 *   environ  the environment strings, for who may read its memory
 *   limits   its resource limits in Linux's table
 *
 * Everything is copied out of the task under proc_tree_lock into a
 * struct pid_snapshot (with a reference on the mm), then formatted with
 * no lock held.
 *
 * Not kept by Basalt, so reported as Linux reports an idle value: fault
 * counts, nice and priority (20, 0: every task is SCHED_OTHER at nice 0),
 * the peak sizes (VmPeak, VmHWM: the current ones), context-switch
 * counts per task (0). The code/data/stack split is made from the areas
 * (vm_split): the program's text is its file's executable areas. CPU
 * times (utime, stime, cutime, cstime) come from proc/cputime.c. The
 * controlling terminal (tty_nr, tpgid) is the one the process's session
 * holds, asked of the tty layer (drivers/tty.h).
 */
#include "procfs.h"
#include <proc/cputime.h>
#include <drivers/tty.h>
#include <fs/chrdev.h>
#include <lib/string.h>
#include <lib/printk.h>
#include <lib/parse.h>
#include <mm/kmalloc.h>
#include <mm/page.h>
#include <mm/vm.h>
#include <proc/sched.h>
#include <proc/task.h>
#include <uapi/mman.h>
#include <uapi/resource.h>

#define USER_HZ		100
#define NS_PER_TICK	(1000000000ULL / USER_HZ)
#define CAP_FULL	0x000001ffffffffffULL	/* Linux 6.1's 41 capabilities */
#define GROUPS_SHOWN	32			/* of the supplementary groups */

/* What the files of one task say, copied out under proc_tree_lock. */
struct pid_snapshot {
	char comm[16];
	char state;
	pid_t tgid, tid, ppid, pgid, sid;
	struct cputime self, children;	/* ns */
	uint64_t start_ns;
	uint64_t rlimits[16][2];
	uid_t uid, euid, suid;
	gid_t gid, egid, sgid;
	unsigned int ngroups;
	gid_t groups[GROUPS_SHOWN];
	uint64_t sigpnd, shdpnd, sigblk, sigign, sigcgt;
	unsigned int threads;
	int exit_signal, exit_code;
	unsigned int umask;
	int fdsize;
	struct mm *mm;			/* with a reference, or NULL */
};

/*
 * Linux's state letters: R running or runnable, S interruptible sleep,
 * D uninterruptible (killable too), Z zombie, X dead, T stopped: the
 * whole process, or this thread parked in a stop still under way.
 */
static char task_state_letter(const struct task *t)
{
	if (t->exited || t->state == TASK_ZOMBIE)
		return 'Z';
	if (t->state == TASK_DEAD)
		return 'X';
	if (t->group->stopped || t->job_stopped) /* signal_stop.c */
		return 'T';
	if (t->state == TASK_SLEEPING)
		return t->interruptible ? 'S' : 'D';
	return 'R';
}

static void snapshot_signals(struct task *t, struct pid_snapshot *s)
{
	spin_lock(&t->group->siglock);
	s->sigpnd = t->pending;
	s->shdpnd = t->group->shared_pending;
	s->sigblk = t->sigmask;
	spin_unlock(&t->group->siglock);
	spin_lock(&t->sighand->lock);
	for (int i = 0; i < NSIG; i++) {
		uint64_t h = t->sighand->action[i].handler;

		if (h == 1)			/* SIG_IGN */
			s->sigign |= 1ULL << i;
		else if (h > 1)
			s->sigcgt |= 1ULL << i;
	}
	spin_unlock(&t->sighand->lock);
}

static void snapshot_task(struct task *t, struct pid_snapshot *s)
{
	const struct cred *c = &t->cred;
	struct task *parent = task_parent(t);
	const struct task *m;

	memcpy(s->comm, t->comm, sizeof(s->comm));
	s->comm[sizeof(s->comm) - 1] = '\0';
	s->state = task_state_letter(t);
	s->tgid = t->tgid;
	s->tid = t->tid;
	s->ppid = parent ? parent->tgid : 0;
	s->pgid = task_pgid(t);
	s->sid = task_sid(t);
	/* A process's line sums its threads, as Linux's stat does. */
	if (t->tid == t->tgid)
		cputime_of_process_locked(t->group, &s->self);
	else
		cputime_of_thread(t, &s->self);
	s->children = t->group->child_time;
	s->start_ns = t->start_ns;
	memcpy(s->rlimits, t->rlimits, sizeof(s->rlimits));
	s->uid = c->uid, s->euid = c->euid, s->suid = c->suid;
	s->gid = c->gid, s->egid = c->egid, s->sgid = c->sgid;
	s->ngroups = c->groups ? MIN(c->groups->ngroups, GROUPS_SHOWN) : 0;
	for (unsigned int i = 0; i < s->ngroups; i++)
		s->groups[i] = c->groups->gid[i];
	list_for_each_entry(m, &t->group->threads, thread_link)
		s->threads++;
	s->exit_signal = t->exit_signal;
	s->exit_code = t->exited ? t->exit_code : 0;
	s->umask = fsctx_task_umask(t);
	s->fdsize = t->files ? files_capacity(t->files) : 0;
	if (t->sighand)
		snapshot_signals(t, s);
	s->mm = t->mm;
	if (s->mm)
		mm_get(s->mm);
}

static int pid_snapshot(pid_t pid, struct pid_snapshot *s)
{
	struct task *t;

	memset(s, 0, sizeof(*s));
	spin_lock(&proc_tree_lock);
	t = task_find(pid);
	if (t)
		snapshot_task(t, s);
	spin_unlock(&proc_tree_lock);
	return t ? 0 : -ESRCH;
}

static void snapshot_done(struct pid_snapshot *s)
{
	if (s->mm)
		mm_put(s->mm);
}

/* snprintf that reports overflow as -ENOMEM (the caller retries). */
static long show_done(int len, size_t size)
{
	return (len < 0 || (size_t)len >= size) ? -ENOMEM : len;
}

static unsigned long ticks(uint64_t ns)
{
	return (unsigned long)(ns / NS_PER_TICK);
}

/*
 * Linux's 52 fields; see the file comment for the zeros. startcode,
 * endcode and startstack are 1, 1 and 0, what Linux shows a reader not
 * allowed to see them: Basalt does not record them.
 */
long pid_stat_show(char *buf, size_t size, pid_t pid)
{
	struct pid_snapshot s;
	struct mm_stats ms = { 0 };
	int err = pid_snapshot(pid, &s);

	if (err)
		return err;
	dev_t tty = 0;
	pid_t tpgid = -1;	/* Linux's value without a terminal */

	if (s.mm)
		mm_get_stats(s.mm, &ms);
	snapshot_done(&s);
	if (!tty_of_session(s.sid, &tty, &tpgid))
		tpgid = -1;
	int len = snprintf(buf, size,
		"%d (%s) %c %d %d %d %lu %d 0 0 0 0 0 %lu %lu %lu %lu 20 0 %u 0 "
		"%lu %lu %lu %lu %lu %lu 0 0 0 %lu %lu %lu %lu 0 0 0 %d "
		"0 0 0 0 0 0 %lu %lu %lu %lu %lu %lu %lu %d\n",
		s.tid, s.comm, s.state, s.ppid, s.pgid, s.sid,
		(unsigned long)dev_encode(tty), tpgid, ticks(s.self.utime), ticks(s.self.stime),
		ticks(s.children.utime), ticks(s.children.stime),
		s.threads, ticks(s.start_ns),
		(unsigned long)(ms.vm_pages * PAGE_SIZE),
		(unsigned long)ms.rss_pages,
		(unsigned long)s.rlimits[RLIMIT_RSS][0],
		s.mm ? 1UL : 0UL, s.mm ? 1UL : 0UL,
		(unsigned long)(s.sigpnd | s.shdpnd), (unsigned long)s.sigblk,
		(unsigned long)s.sigign, (unsigned long)s.sigcgt,
		s.exit_signal,
		(unsigned long)ms.brk_start, (unsigned long)ms.brk_start,
		(unsigned long)ms.brk_start, (unsigned long)ms.arg_start,
		(unsigned long)ms.arg_end, (unsigned long)ms.env_start,
		(unsigned long)ms.env_end, s.exit_code);
	return show_done(len, size);
}

/*
 * Linux's split of the address space (mm's exec_vm, stack_vm, data_vm),
 * in bytes: program text (executable, read-only areas of the program's
 * file), other executable areas (libraries, the vDSO), the stack, and
 * private writable memory.
 */
struct vm_split {
	uint64_t exe, lib, stack, data;
};

static void split_area(const struct vm_area_info *a, struct file *exe,
		       struct vm_split *v)
{
	uint64_t len = a->end - a->start;

	if (a->name && !strcmp(a->name, "[stack]"))
		v->stack += len;
	else if ((a->prot & PROT_EXEC) && !(a->prot & PROT_WRITE))
		*(a->file && exe && a->file->inode == exe->inode ?
		  &v->exe : &v->lib) += len;
	else if ((a->prot & PROT_WRITE) && !a->shared)
		v->data += len;
}

static int vm_split(struct mm *mm, struct vm_split *v)
{
	struct vm_area_info *areas = kmalloc(16 * sizeof(*areas));
	struct file *exe = mm_get_exe_file(mm);
	uint64_t addr = 0;
	size_t n;

	memset(v, 0, sizeof(*v));
	if (!areas) {
		file_put(exe);
		return -ENOMEM;
	}
	while ((n = mm_get_areas(mm, addr, areas, 16)) > 0) {
		for (size_t i = 0; i < n; i++) {
			split_area(&areas[i], exe, v);
			file_put(areas[i].file);
		}
		addr = areas[n - 1].end;
	}
	kfree(areas);
	file_put(exe);
	return 0;
}

/* size resident shared text lib data dt, in pages: shared is what is
 * not anonymous (file and shared memory pages), lib and dt 0 as in
 * Linux 2.6+. */
long pid_statm_show(char *buf, size_t size, pid_t pid)
{
	struct pid_snapshot s;
	struct mm_stats ms = { 0 };
	struct vm_rollup r = { 0 };
	struct vm_split v = { 0 };
	int err = pid_snapshot(pid, &s);

	if (err)
		return err;
	if (s.mm) {
		mm_get_stats(s.mm, &ms);
		mm_get_rollup(s.mm, &r);
		err = vm_split(s.mm, &v);
	}
	snapshot_done(&s);
	if (err)
		return err;
	uint64_t anon = MIN(r.anonymous / PAGE_SIZE, ms.rss_pages);
	return show_done(snprintf(buf, size, "%lu %lu %lu %lu 0 %lu 0\n",
				  (unsigned long)ms.vm_pages,
				  (unsigned long)ms.rss_pages,
				  (unsigned long)(ms.rss_pages - anon),
				  (unsigned long)(v.exe / PAGE_SIZE),
				  (unsigned long)((v.data + v.stack) /
						  PAGE_SIZE)), size);
}

static const char *state_name(char state)
{
	switch (state) {
	case 'R': return "R (running)";
	case 'S': return "S (sleeping)";
	case 'D': return "D (disk sleep)";
	case 'T': return "T (stopped)";
	case 'Z': return "Z (zombie)";
	default: return "X (dead)";
	}
}

static int status_ids(struct proc_text *t, const struct pid_snapshot *s)
{
	int err = proc_text_printf(t,
		"Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n"
		"Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n"
		"FDSize:\t%d\nGroups:\t",
		s->tgid, s->tid, s->ppid, s->uid, s->euid, s->suid, s->euid,
		s->gid, s->egid, s->sgid, s->egid, s->fdsize);

	for (unsigned int i = 0; !err && i < s->ngroups; i++)
		err = proc_text_printf(t, "%u ", s->groups[i]);
	if (!err)
		err = proc_text_printf(t, "\nNStgid:\t%d\nNSpid:\t%d\n"
				       "NSpgid:\t%d\nNSsid:\t%d\n",
				       s->tgid, s->tid, s->pgid, s->sid);
	return err;
}

static int status_memory(struct proc_text *t, const struct pid_snapshot *s)
{
	struct mm_stats ms;
	struct vm_rollup r;
	struct vm_split v;
	unsigned long vm, rss, anon;

	if (!s->mm)
		return 0;		/* Linux prints no Vm lines without one */
	if (vm_split(s->mm, &v))
		return -ENOMEM;
	mm_get_stats(s->mm, &ms);
	mm_get_rollup(s->mm, &r);
	vm = (unsigned long)ms.vm_pages * (PAGE_SIZE / 1024);
	rss = (unsigned long)ms.rss_pages * (PAGE_SIZE / 1024);
	anon = MIN((unsigned long)(r.anonymous >> 10), rss);
	return proc_text_printf(t,
		"VmPeak:\t%8lu kB\nVmSize:\t%8lu kB\nVmLck:\t%8lu kB\n"
		"VmPin:\t%8lu kB\nVmHWM:\t%8lu kB\nVmRSS:\t%8lu kB\n"
		"RssAnon:\t%8lu kB\nRssFile:\t%8lu kB\nRssShmem:\t%8lu kB\n"
		"VmData:\t%8lu kB\nVmStk:\t%8lu kB\nVmExe:\t%8lu kB\n"
		"VmLib:\t%8lu kB\nVmPTE:\t%8lu kB\nVmSwap:\t%8lu kB\n"
		"HugetlbPages:\t%8lu kB\nCoreDumping:\t0\nTHP_enabled:\t0\n",
		vm, vm, 0UL, 0UL, rss, rss, anon, rss - anon, 0UL,
		(unsigned long)(v.data >> 10), (unsigned long)(v.stack >> 10),
		(unsigned long)(v.exe >> 10), (unsigned long)(v.lib >> 10),
		0UL, 0UL, 0UL);
}

static unsigned int bits_set(uint64_t v)
{
	unsigned int n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

static int status_signals(struct proc_text *t, const struct pid_snapshot *s)
{
	unsigned int queued = bits_set(s->sigpnd) + bits_set(s->shdpnd);
	uint64_t eff = s->euid == 0 ? CAP_FULL : 0;
	uint64_t prm = (s->uid == 0 || s->euid == 0 || s->suid == 0) ?
		       CAP_FULL : 0;

	return proc_text_printf(t,
		"Threads:\t%u\nSigQ:\t%u/%lu\nSigPnd:\t%016lx\n"
		"ShdPnd:\t%016lx\nSigBlk:\t%016lx\nSigIgn:\t%016lx\n"
		"SigCgt:\t%016lx\nCapInh:\t%016lx\nCapPrm:\t%016lx\n"
		"CapEff:\t%016lx\nCapBnd:\t%016lx\nCapAmb:\t%016lx\n"
		"NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n"
		"Speculation_Store_Bypass:\tnot vulnerable\n"
		"SpeculationIndirectBranch:\talways enabled\n"
		"Cpus_allowed:\t1\nCpus_allowed_list:\t0\n"
		"Mems_allowed:\t1\nMems_allowed_list:\t0\n"
		"voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n",
		s->threads, queued,
		(unsigned long)s->rlimits[RLIMIT_SIGPENDING][0],
		(unsigned long)s->sigpnd, (unsigned long)s->shdpnd,
		(unsigned long)s->sigblk, (unsigned long)s->sigign,
		(unsigned long)s->sigcgt, 0UL, (unsigned long)prm,
		(unsigned long)eff, (unsigned long)CAP_FULL, 0UL);
}

/* Linux's proc_pid_status: fields in its order, names as it spells them. */
int pid_status_generate(struct proc_text *t, pid_t pid)
{
	struct pid_snapshot s;
	int err = pid_snapshot(pid, &s);

	if (err)
		return err;
	err = proc_text_printf(t, "Name:\t%s\nUmask:\t%04o\nState:\t%s\n",
			       s.comm, s.umask, state_name(s.state));
	if (!err)
		err = status_ids(t, &s);
	if (!err)
		err = status_memory(t, &s);
	if (!err)
		err = status_signals(t, &s);
	snapshot_done(&s);
	return err;
}

long pid_comm_show(char *buf, size_t size, pid_t pid)
{
	struct pid_snapshot s;
	int err = pid_snapshot(pid, &s);

	if (err)
		return err;
	snapshot_done(&s);
	return show_done(snprintf(buf, size, "%s\n", s.comm), size);
}

/*
 * Linux lets a thread rename itself and the other threads of its group
 * (same_thread_group), nobody else (EINVAL); the text is cut at 15
 * bytes and taken as it is (a newline included).
 */
int pid_comm_write(pid_t pid, const char *buf, size_t len)
{
	struct task *t;
	int err = 0;

	spin_lock(&proc_tree_lock);
	t = task_find(pid);
	if (!t)
		err = -ESRCH;
	else if (t->tgid != current->tgid)
		err = -EINVAL;
	else {
		size_t n = MIN(len, sizeof(t->comm) - 1);

		memcpy(t->comm, buf, n);
		memset(t->comm + n, 0, sizeof(t->comm) - n);
	}
	spin_unlock(&proc_tree_lock);
	return err;
}

/*
 * The strings between start and end of the process's memory, read as
 * Linux reads them (a process may overwrite them); empty once it has no
 * memory.
 */
static long mm_strings_show(char *buf, size_t size, struct mm *mm,
			    uint64_t start, uint64_t end)
{
	size_t len = (size_t)(end - start);

	if (len > size)
		return -ENOMEM;		/* ask for a bigger buffer */
	if (len && vm_read(mm, start, buf, len))
		return 0;
	return (long)len;
}

long pid_cmdline_show(char *buf, size_t size, pid_t pid)
{
	struct pid_snapshot s;
	struct mm_stats ms;
	long len = 0;
	int err = pid_snapshot(pid, &s);

	if (err)
		return err;
	if (s.mm) {
		mm_get_stats(s.mm, &ms);
		len = mm_strings_show(buf, size, s.mm, ms.arg_start,
				      ms.arg_end);
	}
	snapshot_done(&s);
	return len;
}

/* Only for who may read the process's memory (Linux: EACCES at open). */
long pid_environ_show(char *buf, size_t size, pid_t pid)
{
	struct mm_stats ms;
	struct mm *mm;
	long len = 0;
	int err = proc_mm_get(pid, &mm);

	if (err)
		return err;
	if (mm) {
		mm_get_stats(mm, &ms);
		len = mm_strings_show(buf, size, mm, ms.env_start, ms.env_end);
		mm_put(mm);
	}
	return len;
}

/* Linux's proc_pid_limits: a header, then one line per limit. */
int pid_limits_generate(struct proc_text *t, pid_t pid)
{
	static const struct { const char *name, *unit; } lim[16] = {
		{ "Max cpu time", "seconds" }, { "Max file size", "bytes" },
		{ "Max data size", "bytes" }, { "Max stack size", "bytes" },
		{ "Max core file size", "bytes" },
		{ "Max resident set", "bytes" },
		{ "Max processes", "processes" },
		{ "Max open files", "files" },
		{ "Max locked memory", "bytes" },
		{ "Max address space", "bytes" },
		{ "Max file locks", "locks" },
		{ "Max pending signals", "signals" },
		{ "Max msgqueue size", "bytes" },
		{ "Max nice priority", "" }, { "Max realtime priority", "" },
		{ "Max realtime timeout", "us" },
	};
	struct pid_snapshot s;
	char v[2][24];
	int err = pid_snapshot(pid, &s);

	if (err)
		return err;
	snapshot_done(&s);
	err = proc_text_printf(t, "%-25s %-20s %-20s %-10s\n", "Limit",
			       "Soft Limit", "Hard Limit", "Units");
	for (int i = 0; i < 16 && !err; i++) {
		for (int k = 0; k < 2; k++) {
			if (s.rlimits[i][k] == RLIM_INFINITY)
				strlcpy(v[k], "unlimited", sizeof(v[k]));
			else
				snprintf(v[k], sizeof(v[k]), "%lu",
					 (unsigned long)s.rlimits[i][k]);
		}
		err = lim[i].unit[0] ?
		      proc_text_printf(t, "%-25s %-20s %-20s %-10s\n",
				       lim[i].name, v[0], v[1], lim[i].unit) :
		      proc_text_printf(t, "%-25s %-20s %-20s \n",
				       lim[i].name, v[0], v[1]);
	}
	return err;
}
