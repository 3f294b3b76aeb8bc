/*
 * How many tasks there may be, checked by fork and clone as Linux's
 * copy_process checks it, both failing with EAGAIN:
 *
 *   kernel.threads-max  tasks on the whole machine (threads count, and
 *                       zombies until reaped). Set at boot so that kernel
 *                       stacks of that many tasks would take 1/8 of RAM
 *                       (Linux's set_max_threads; 3.9k for 512 MiB);
 *                       root may change it in /proc/sys/kernel. Nobody
 *                       is exempt.
 *   RLIMIT_NPROC        tasks whose real uid is the caller's (the
 *                       caller's soft limit; threads and zombies count,
 *                       as in Linux's per-user count). Root's tasks (real
 *                       uid 0) and a privileged caller (euid 0, Linux's
 *                       CAP_SYS_RESOURCE or CAP_SYS_ADMIN) are exempt.
 *
 * Counting walks the task list under proc_tree_lock, where the new task
 * already is: exact, and a few thousand entries at most. Not done (as
 * Linux does): setuid to a user over its limit marks the process so that
 * its next execve fails with EAGAIN.
 */
#include <types.h>
#include <lib/list.h>
#include <lib/parse.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <mm/page.h>
#include <proc/rlimit.h>
#include <proc/task.h>
#include <uapi/errno.h>
#include <uapi/resource.h>
#include "internal.h"

#define THREAD_SIZE	16384UL		/* Linux x86-64 kernel stack */
#define MIN_THREADS	20L		/* the least default */
#define MAX_THREADS	0x3fffffffL	/* FUTEX_TID_MASK */

static long max_threads;		/* atomic; 0: not computed yet */

long task_default_max_threads(void)
{
	uint64_t threads = page_count_total() * PAGE_SIZE / (8 * THREAD_SIZE);

	return MIN(MAX((long)threads, MIN_THREADS), MAX_THREADS);
}

static long threads_max(void)
{
	long n = __atomic_load_n(&max_threads, __ATOMIC_RELAXED);

	if (!n) {
		n = task_default_max_threads();
		__atomic_store_n(&max_threads, n, __ATOMIC_RELAXED);
	}
	return n;
}

int task_check_limits_locked(const struct task *child)
{
	const struct task *p = current;
	uint64_t nproc = p->rlimits[RLIMIT_NPROC][0];
	uid_t uid = child->cred.uid;
	struct task *t;
	long all = 0;
	uint64_t mine = 0;

	spin_assert_held(&proc_tree_lock);
	list_for_each_entry(t, proc_all_tasks(), all_link) {
		all++;
		mine += t->cred.uid == uid;
	}
	/* child is in the list: Linux checks before counting it. */
	if (mine > nproc && uid != 0 && p->cred.euid != 0)
		return -EAGAIN;
	if (all - 1 >= threads_max())
		return -EAGAIN;
	return 0;
}

int task_sysctl_read(const char *name, char *buf, size_t size)
{
	if (strcmp(name, "threads-max"))
		return -ENOENT;
	return snprintf(buf, size, "%ld\n", threads_max());
}

int task_sysctl_write(const char *name, const char *text, size_t len)
{
	long v;

	if (strcmp(name, "threads-max"))
		return -ENOENT;
	if (current->cred.euid != 0)
		return -EPERM;
	/* Linux's sysctl_max_threads: 1 is the least one may set. */
	if (parse_long(text, len, &v) < 0 || v < 1 || v > MAX_THREADS)
		return -EINVAL;
	__atomic_store_n(&max_threads, v, __ATOMIC_RELAXED);
	return 0;
}
