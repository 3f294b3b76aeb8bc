/*
 * thread.c - thread_create, thread_join, thread_self, thread_id,
 * thread_exit (<basalt/thread.h>), and the thread state a fork child
 * must reset.
 *
 * A thread is one mapping, its control block at the top:
 *
 *   | guard page | stack (THREAD_STACK_SIZE) ... | TLS block | control block |
 *   ^ PROT_NONE                                 ^ stack top   ^ %fs
 *
 * The new thread gets it through clone(2) with CLONE_SETTLS (its FS
 * base: the control block), CLONE_PARENT_SETTID (the kernel stores its
 * id in t->tid before clone returns, so the id is there before the
 * thread can end) and CLONE_CHILD_CLEARTID (when the thread is gone the
 * kernel writes 0 there and wakes a futex waiter on it). thread_join
 * sleeps on that word with a shared FUTEX_WAIT, because the kernel's
 * wake is a shared one; once it reads 0 the thread will never touch its
 * mapping again, so the joiner reads the result and unmaps it all.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include "../internal/libc.h"
#include "../internal/syscall.h"
#include "../internal/thread.h"

#define CLONE_VM		0x00000100
#define CLONE_FS		0x00000200
#define CLONE_FILES		0x00000400
#define CLONE_SIGHAND		0x00000800
#define CLONE_THREAD		0x00010000
#define CLONE_SYSVSEM		0x00040000
#define CLONE_SETTLS		0x00080000
#define CLONE_PARENT_SETTID	0x00100000
#define CLONE_CHILD_CLEARTID	0x00200000
#define THREAD_CLONE_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
	CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | \
	CLONE_CHILD_CLEARTID)

#define FUTEX_WAIT	0	/* shared: CLEARTID's wake is shared */
#define PAGE		4096UL

long __basalt_clone(unsigned long flags, void *stack_top, int *parent_tid,
		    int *child_tid, struct basalt_thread *tls,
		    void (*start)(struct basalt_thread *));

/* The first C function of a new thread (called by __basalt_clone). */
static _Noreturn void thread_start(struct basalt_thread *self)
{
	__atomic_store_n(&self->id, (int)sys_call0(SYS_gettid),
			 __ATOMIC_RELAXED);
	thread_exit(self->fn(self->arg));
}

int thread_create(struct basalt_thread **out, void *(*fn)(void *), void *arg)
{
	size_t area = (__basalt_tls_area_size() + PAGE - 1) & -PAGE;
	size_t size = PAGE + THREAD_STACK_SIZE + area;
	char *map = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (map == MAP_FAILED)
		return -1;
	if (mprotect(map, PAGE, PROT_NONE) < 0) {
		int err = errno;

		munmap(map, size);
		errno = err;
		return -1;
	}
	char *stack_top = map + PAGE + THREAD_STACK_SIZE;
	struct basalt_thread *t = __basalt_tls_place(stack_top);
	t->fn = fn;
	t->arg = arg;
	t->map = map;
	t->map_size = size;

	/* From here on malloc and stdio lock (internal/thread.h). */
	__atomic_fetch_add(&__basalt_live_threads, 1, __ATOMIC_SEQ_CST);
	long r = __basalt_clone(THREAD_CLONE_FLAGS, stack_top, &t->tid,
				&t->tid, t, thread_start);
	if (r < 0) {
		__atomic_fetch_sub(&__basalt_live_threads, 1, __ATOMIC_SEQ_CST);
		munmap(map, size);
		errno = (int)-r;
		return -1;
	}
	__atomic_store_n(&t->id, (int)r, __ATOMIC_RELAXED);
	*out = t;
	return 0;
}

int thread_join(struct basalt_thread *t, void **result)
{
	int tid;

	if (!t->map || t == thread_self()) {
		errno = t->map ? EDEADLK : EINVAL;	/* main, or ourselves */
		return -1;
	}
	while ((tid = __atomic_load_n(&t->tid, __ATOMIC_ACQUIRE)) != 0)
		if (sys_call4(SYS_futex, (long)&t->tid, FUTEX_WAIT, tid, 0) ==
		    -ENOSYS)
			sys_call0(SYS_sched_yield);
	if (result)
		*result = t->result;
	munmap(t->map, t->map_size);
	return 0;
}

struct basalt_thread *thread_self(void)
{
	struct basalt_thread *self;

	__asm__("mov %%fs:0, %0" : "=r"(self));
	return self;
}

int thread_id(const struct basalt_thread *t)
{
	return __atomic_load_n(&t->id, __ATOMIC_RELAXED);
}

void thread_exit(void *result)
{
	thread_self()->result = result;
	/* Its blocks cached for malloc go back while it still counts. */
	if (__malloc_thread_end)
		__malloc_thread_end();
	/* The last thread out ends the process as main's return would. */
	if (__atomic_sub_fetch(&__basalt_live_threads, 1, __ATOMIC_SEQ_CST) == 0)
		exit(0);
	for (;;)
		sys_call1(SYS_exit, 0);
}

void __basalt_thread_fork_child(void)
{
	struct basalt_thread *self = thread_self();

	__basalt_live_threads = 1;
	self->tid = self->id = (int)sys_call0(SYS_gettid);
}
