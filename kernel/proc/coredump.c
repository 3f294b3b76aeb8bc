/*
 * Core dumps: when, where and with which threads (Linux's do_coredump).
 * The ELF contents are coredump_elf.c's and coredump_notes.c's, the
 * file name coredump_name.c's, the file itself fs/core_file.c's.
 *
 * A dump is written when the process is dumpable (prctl(PR_SET_DUMPABLE);
 * a credential change clears it: proc/prctl.c), RLIMIT_CORE is at least
 * a page (Linux's min_coredump), and kernel.core_pattern names a file: a
 * pattern starting with '|' (a pipe to a helper program) is not
 * supported, so no dump is made then.
 *
 * The other threads are stopped first: the dumping thread starts the
 * group's exit, which sends them SIGKILL, and each one, reaching do_exit,
 * parks in coredump_wait_done with its registers on its kernel stack
 * until the dump is written (Linux's coredump_wait / coredump_task_exit).
 */
#include <proc/coredump.h>
#include <proc/prctl.h>
#include <proc/sched.h>
#include <proc/task.h>
#include "coredump_internal.h"
#include "coredump_name.h"
#include "internal.h"
#include <fs/fs.h>
#include <lib/parse.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/page.h>
#include <mm/vm.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/resource.h>

#define CORENAME_MAX_SIZE	128	/* Linux's limit on the pattern */
#define PARK_POLL_NS		10000000ULL

static struct spinlock pattern_lock = SPINLOCK_INIT("core_pattern");
static char core_pattern[CORENAME_MAX_SIZE] = "core"; /* pattern_lock */
static int core_uses_pid;				/* atomic */

bool coredump_signal(int sig)
{
	switch (sig) {
	case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS:
	case SIGFPE: case SIGSEGV: case SIGSYS: case SIGXCPU: case SIGXFSZ:
		return true;
	default:
		return false;
	}
}

/* ---- stopping the other threads ---------------------------------------- */

void coredump_wait_done(struct task *t)
{
	struct thread_group *g = t->group;

	spin_lock(&g->core_wait.lock);
	if (g->core_dumper && g->core_dumper != t) {
		g->core_parked++;
		waitq_wake_all(&g->core_wait);
		while (g->core_dumper)
			waitq_sleep_uninterruptible(&g->core_wait);
		g->core_parked--;
	}
	spin_unlock(&g->core_wait.lock);
}

/*
 * Become the group's dumper and start its exit with status sig; false if
 * another thread is dumping or an exit was already under way (that one
 * stands, and this thread makes no dump). Then wait until every other
 * live thread is parked. A thread already past the parking point leaves
 * the group on its own: the poll notices.
 */
static bool stop_other_threads(int sig)
{
	struct thread_group *g = current->group;
	bool first;

	spin_lock(&g->core_wait.lock);
	first = !g->core_dumper;
	if (first)
		g->core_dumper = current;
	spin_unlock(&g->core_wait.lock);
	if (!first)
		return false;
	if (!group_start_exit(current, sig)) {
		spin_lock(&g->core_wait.lock);
		g->core_dumper = NULL;
		waitq_wake_all(&g->core_wait);
		spin_unlock(&g->core_wait.lock);
		return false;
	}
	spin_lock(&g->core_wait.lock);
	while (g->core_parked + 1 <
	       __atomic_load_n(&g->nr_live, __ATOMIC_RELAXED))
		waitq_sleep_timeout_uninterruptible(&g->core_wait,
						    PARK_POLL_NS);
	spin_unlock(&g->core_wait.lock);
	return true;
}

static void release_other_threads(void)
{
	struct thread_group *g = current->group;

	spin_lock(&g->core_wait.lock);
	g->core_dumper = NULL;
	waitq_wake_all(&g->core_wait);
	spin_unlock(&g->core_wait.lock);
}

static void save_thread(struct core_thread *ct, struct task *t)
{
	ct->tid = t->tid;
	ct->regs = *t->regs;
	ct->fs_base = t->fs_base;
	ct->gs_base = t->gs_base;
	if (t == current)
		__asm__ volatile("fxsave %0" : "=m"(ct->fpu));
	else
		memcpy(ct->fpu, t->fpu_state, sizeof(ct->fpu));
	ct->sigmask = t->sigmask;
	ct->pending = __atomic_load_n(&t->pending, __ATOMIC_RELAXED);
	ct->syscall_nr = t->regs->vector == TF_VECTOR_SYSCALL ?
			 t->syscall_nr : -1;
	ct->cpu_ns = task_cputime_ns(t, false);
}

/* Every live thread's state, the dumping one first; the others are
 * parked, so their registers stay put. */
static int save_threads(struct core_dump *cd)
{
	struct thread_group *g = current->group;
	unsigned int max = __atomic_load_n(&g->nr_live, __ATOMIC_RELAXED);
	struct task *t;

	cd->threads = kmalloc(max * sizeof(*cd->threads));
	if (!cd->threads)
		return -ENOMEM;
	save_thread(&cd->threads[0], current);
	cd->nthreads = 1;
	spin_lock(&proc_tree_lock);
	list_for_each_entry(t, &g->threads, thread_link)
		if (t != current && cd->nthreads < max)
			save_thread(&cd->threads[cd->nthreads++], t);
	spin_unlock(&proc_tree_lock);
	return 0;
}

/* ---- the memory areas ---------------------------------------------------- */

static int save_areas(struct core_dump *cd)
{
	struct mm_stats st;
	size_t max;

	mm_get_stats(cd->mm, &st);
	max = st.nr_areas ? st.nr_areas : 1;
	cd->areas = kmalloc(max * sizeof(*cd->areas));
	if (!cd->areas)
		return -ENOMEM;
	cd->nareas = mm_get_areas(cd->mm, 0, cd->areas, max);
	return 0;
}

static void put_areas(struct core_dump *cd)
{
	for (size_t i = 0; cd->areas && i < cd->nareas; i++)
		if (cd->areas[i].file)
			file_put(cd->areas[i].file);
	kfree(cd->areas);
}

/* ---- the file name ------------------------------------------------------- */

/* The program's path for %E and %f ("" if unknown); buf is PATH_MAX. */
static const char *exe_path(struct mm *mm, char *buf)
{
	struct file *f = mm_get_exe_file(mm);

	buf[0] = '\0';
	if (f) {
		if (file_path_name(f, buf, PATH_MAX))
			buf[0] = '\0';
		file_put(f);
	}
	return buf;
}

static int core_name(char *out, const char *pattern, int sig, struct mm *mm)
{
	struct task *t = current;
	char *exe = kmalloc(PATH_MAX);
	char host[65];
	int err;

	if (!exe)
		return -ENOMEM;
	uts_nodename(host, sizeof(host));
	struct core_name_info ci = {
		.pattern = pattern,
		.uses_pid = __atomic_load_n(&core_uses_pid, __ATOMIC_RELAXED),
		.pid = t->tgid, .tid = t->tid,
		.uid = t->cred.uid, .gid = t->cred.gid,
		.sig = sig, .dumpable = task_dumpable(t),
		.time = (int64_t)(clock_realtime_ns() / 1000000000ULL),
		.limit = t->rlimits[RLIMIT_CORE][0],
		.host = host, .comm = t->comm, .exe = exe_path(mm, exe),
	};
	err = core_name_format(out, PATH_MAX, &ci);
	kfree(exe);
	return err;
}

/* ---- the dump ------------------------------------------------------------ */

/* Whether a dump is due at all: checked before anything is stopped. */
static bool dump_wanted(char *pattern)
{
	struct task *t = current;

	spin_lock(&pattern_lock);
	memcpy(pattern, core_pattern, CORENAME_MAX_SIZE);
	spin_unlock(&pattern_lock);
	return t->mm && task_dumpable(t) &&
	       t->rlimits[RLIMIT_CORE][0] >= PAGE_SIZE &&
	       pattern[0] != '|' && pattern[0] != '\0';
}

/*
 * Name, create and fill the core file. 0 once the file exists: as on
 * Linux (elf_core_dump's has_dumped), a core cut short by RLIMIT_CORE
 * or a full disk still counts as dumped for the wait status.
 */
static int dump(struct core_dump *cd, const char *pattern)
{
	char *name = kmalloc(PATH_MAX);
	int err = name ? core_name(name, pattern, cd->sig, cd->mm) : -ENOMEM;

	if (!err)
		err = save_threads(cd);
	if (!err)
		err = save_areas(cd);
	if (!err) {
		cd->file = core_file_create(name);
		err = IS_ERR(cd->file) ? (int)PTR_ERR(cd->file) : 0;
	}
	if (!err) {
		int werr = core_elf_write(cd);

		if (werr)
			pr_info("%s[%d]: core file cut short (%d)",
				cd->task->comm, cd->task->tgid, werr);
		file_put(cd->file);
	}
	put_areas(cd);
	kfree(cd->threads);
	kfree(name);
	return err;
}

int coredump_write(int sig, const struct ksiginfo *info)
{
	struct task *t = current;
	char pattern[CORENAME_MAX_SIZE];
	struct core_dump cd = { .sig = sig, .info = *info, .task = t,
				.mm = t->mm,
				.limit = t->rlimits[RLIMIT_CORE][0] };
	int status = sig, err;

	if (!dump_wanted(pattern) || !stop_other_threads(sig))
		return sig;
	err = dump(&cd, pattern);
	if (err)
		pr_info("%s[%d]: core dump failed (%d)", t->comm, t->tgid, err);
	spin_lock(&proc_tree_lock);
	if (!err)
		t->group->exit_code |= 0x80;	/* WCOREDUMP */
	status = t->group->exit_code;
	spin_unlock(&proc_tree_lock);
	release_other_threads();
	return status;
}

/* ---- /proc/sys/kernel/core_pattern and core_uses_pid ------------------- */

int coredump_sysctl_read(const char *name, char *buf, size_t size)
{
	int n;

	if (!strcmp(name, "core_uses_pid"))
		return snprintf(buf, size, "%d\n",
				__atomic_load_n(&core_uses_pid,
						__ATOMIC_RELAXED));
	if (strcmp(name, "core_pattern"))
		return -ENOENT;
	spin_lock(&pattern_lock);
	n = snprintf(buf, size, "%s\n", core_pattern);
	spin_unlock(&pattern_lock);
	return n;
}

/* Linux's proc_dostring: the text up to the first newline, cut to the
 * buffer's size less one. */
static void set_pattern(const char *text, size_t len)
{
	size_t n = 0;

	while (n < len && n < CORENAME_MAX_SIZE - 1 && text[n] != '\n' &&
	       text[n] != '\0')
		n++;
	spin_lock(&pattern_lock);
	memcpy(core_pattern, text, n);
	core_pattern[n] = '\0';
	spin_unlock(&pattern_lock);
}

int coredump_sysctl_write(const char *name, const char *text, size_t len)
{
	long v;

	if (strcmp(name, "core_pattern") && strcmp(name, "core_uses_pid"))
		return -ENOENT;
	if (current->cred.euid != 0)
		return -EPERM;
	if (!strcmp(name, "core_pattern")) {
		set_pattern(text, len);
		return 0;
	}
	if (parse_long(text, len, &v) < 0 || v < INT32_MIN || v > INT32_MAX)
		return -EINVAL;
	__atomic_store_n(&core_uses_pid, (int)v, __ATOMIC_RELAXED);
	return 0;
}
