/*
 * Resource limits the other subsystems enforce, as Linux does, with the
 * calling task's limits: RLIMIT_FSIZE (file systems, on write, truncate
 * and fallocate), RLIMIT_AS and RLIMIT_DATA (mm, when a mapping is made
 * or grows, brk included) and RLIMIT_STACK (execve's stack mapping).
 * RLIMIT_NPROC is fork's (task_limits.c), RLIMIT_CPU the tick's
 * (time/cpu_timers.c), RLIMIT_NOFILE the file table's.
 */
#include <types.h>
#include <mm/page.h>
#include <proc/rlimit.h>
#include <proc/signal.h>
#include <proc/task.h>
#include <uapi/errno.h>
#include <uapi/resource.h>

/* The most a stack may be: the room Basalt leaves below the stack top
 * for it (128 MiB to mmap_base, less a guard). Linux would switch to
 * its legacy layout for a larger or unlimited RLIMIT_STACK. */
#define STACK_MAX	(120UL << 20)

/* The caller's soft limit; none for the kernel's own work (the idle
 * task unpacking the initramfs at boot has no process or limits). */
static uint64_t limit(int resource)
{
	struct task *t = current;

	return t->group ? t->rlimits[resource][0] : RLIM_INFINITY;
}

/* Linux's send_sig(SIGXFSZ, current, 0): to the process, as SI_USER. */
static void send_sigxfsz(void)
{
	struct ksiginfo info = {
		.code = SI_USER, .pid = current->tgid, .uid = current->cred.uid,
	};

	spin_lock(&proc_tree_lock);
	signal_send_locked(current, SIGXFSZ, &info);
	spin_unlock(&proc_tree_lock);
}

int rlimit_fsize_write(uint64_t pos, size_t *len)
{
	uint64_t lim = limit(RLIMIT_FSIZE);

	if (!*len || lim == RLIM_INFINITY)
		return 0;
	if (pos >= lim) {
		send_sigxfsz();
		return -EFBIG;
	}
	if (*len > lim - pos)
		*len = (size_t)(lim - pos);
	return 0;
}

int rlimit_fsize_grow(uint64_t size)
{
	uint64_t lim = limit(RLIMIT_FSIZE);

	if (lim == RLIM_INFINITY || size <= lim)
		return 0;
	send_sigxfsz();
	return -EFBIG;
}

bool rlimit_may_expand_vm(uint64_t total, uint64_t data, uint64_t npages,
			  bool is_data)
{
	uint64_t as = limit(RLIMIT_AS), dl = limit(RLIMIT_DATA);

	if (as != RLIM_INFINITY && total + npages > as >> PAGE_SHIFT)
		return false;
	if (is_data && dl != RLIM_INFINITY && data + npages > dl >> PAGE_SHIFT)
		return false;
	return true;
}

/*
 * Linux's stack grows on demand up to RLIMIT_STACK; Basalt maps it whole
 * at execve: the soft limit, page-aligned, but never less than what the
 * arguments need nor more than there is room for.
 */
uint64_t rlimit_stack_size(uint64_t need)
{
	uint64_t lim = limit(RLIMIT_STACK);

	if (lim > STACK_MAX)
		lim = STACK_MAX;
	lim &= ~(PAGE_SIZE - 1);
	need = (need + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	return lim > need ? lim : need;
}
