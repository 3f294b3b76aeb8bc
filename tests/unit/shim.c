/*
 * The kernel environment, rebuilt on the host for unit tests: locks, wait
 * queues, printk/panic, fake physical memory behind the real buddy
 * allocator, a malloc-backed kmalloc for tests that do not link the real
 * one, and the case runner of unit.h. Everything a test may rely on is
 * listed in unit.h.
 *
 * Host and kernel headers meet here, so this file includes only kernel
 * headers that do not clash with libc (not proc/sched.h: its sched_yield
 * is not libc's; not arch/cpu.h: it reads %gs) and declares the few
 * kernel functions it defines from those headers itself.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sched.h>
#include <time.h>
#include <sys/wait.h>
#include <sanitizer/common_interface_defs.h>

#include <types.h>
#include <uapi/errno.h>
#include <lib/printk.h>
#include <sync/spinlock.h>
#include <sync/mutex.h>
#include <sync/waitq.h>
#include <mm/page.h>
#include <mm/kmalloc.h>
#include <mm/oom.h>
#include <mm/fault_inject.h>
#include <proc/rlimit.h>
#include "unit.h"

/* Kernel functions whose headers cannot be included on the host. */
void irq_save(void);
void irq_restore(void);
uint64_t clock_monotonic_ns(void);
bool signal_pending(void);
void cond_resched(void);
bool sched_resched_due(void);

/*
 * The file system as mm/ sees it (fs/fs.h, fs/file.h): unit tests map no
 * files, so every file pointer they meet is NULL and nothing can be
 * mapped from one. rmap_zap is mm/rmap.c's; tests that do not link it
 * (the VMA tests) get this empty one.
 */
struct file;
struct vm_object;
void file_get(struct file *f);
void file_put(struct file *f);
int file_mmap_object(struct file *f, bool shared, uint64_t len,
		     bool write_shared, struct vm_object **obj);
bool file_noexec(struct file *f);
int file_deny_write(struct file *f);
struct file *file_exe_dup(struct file *f);
void file_exe_release(struct file *f);
void file_ident(const struct file *f, dev_t *dev, ino_t *ino);
void rmap_zap(struct vm_object *obj, uint64_t first, uint64_t last,
	      bool even_cows);

/* No resource limits in unit tests (proc/rlimit_enforce.c). */
bool rlimit_may_expand_vm(uint64_t total, uint64_t data, uint64_t npages,
			  bool is_data)
{
	(void)total;
	(void)data;
	(void)npages;
	(void)is_data;
	return true;
}

/* Fault injection (mm/fault_inject.c) is never on in unit tests. */
bool fault_inject_enabled;
bool fault_inject_fail(enum fault_site site, const void *caller)
{
	(void)site;
	(void)caller;
	return false;
}

void file_get(struct file *f) { (void)f; }
void file_put(struct file *f) { (void)f; }
int file_mmap_object(struct file *f, bool shared, uint64_t len,
		     bool write_shared, struct vm_object **obj)
{
	*obj = NULL;
	return -ENODEV;
}
bool file_noexec(struct file *f) { return false; }
int file_deny_write(struct file *f) { return 0; }
struct file *file_exe_dup(struct file *f) { return f; }
void file_exe_release(struct file *f) { (void)f; }
void file_ident(const struct file *f, dev_t *dev, ino_t *ino)
{
	*dev = 0;
	*ino = 0;
}
__attribute__((weak)) void rmap_zap(struct vm_object *obj, uint64_t first,
				    uint64_t last, bool even_cows)
{
}

#define UNIT_PANIC_STATUS	86	/* exit status of an expected panic */
#define UNIT_CASE_TIMEOUT	120	/* seconds per case */

/* ---- Locks ---------------------------------------------------------- */

/*
 * Each host thread plays one CPU and one task: the address of a
 * thread-local byte is its identity. Never dereferenced.
 */
static _Thread_local char unit_self_token;
#define THIS_CPU	((struct cpu *)&unit_self_token)
#define THIS_TASK	((struct task *)&unit_self_token)

void irq_save(void) {}
void irq_restore(void) {}

/* Spinlocks this thread holds: a preemption point must see none. */
static _Thread_local int unit_spins_held;

/*
 * Preemption points (proc/sched.h). A reschedule is always due here, so
 * every point in the code under test runs its tidy-up-and-yield path.
 */
bool sched_resched_due(void) { return true; }

void cond_resched(void)
{
	if (unit_spins_held)
		panic("cond_resched with a spinlock held");
	sched_yield();
}

/* The host tests run the kernel's code as CPU 0. */
unsigned int smp_processor_id(void)
{
	return 0;
}

void spin_init(struct spinlock *l, const char *name)
{
	l->locked = 0;
	l->name = name;
	l->owner = NULL;
}

void spin_lock(struct spinlock *l)
{
	if (spin_held(l))
		panic("spin_lock: %s already held by this CPU", l->name);
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		sched_yield();
	l->owner = THIS_CPU;
	unit_spins_held++;
}

/* Lock order is kernel/sync/lockdep.c's business, not the shim's. */
void spin_lock_nested(struct spinlock *l, unsigned int sub)
{
	spin_lock(l);
}

void spin_unlock(struct spinlock *l)
{
	if (!spin_held(l))
		panic("spin_unlock: %s not held by this CPU", l->name);
	unit_spins_held--;
	l->owner = NULL;
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

bool spin_held(const struct spinlock *l)
{
	return l->locked && l->owner == THIS_CPU;
}

void waitq_init(struct waitq *wq, const char *name)
{
	spin_init(&wq->lock, name);
	list_init(&wq->sleepers);
}

/* Sleepers poll: drop the lock, let others run, retake it. Callers loop
 * on their condition, as the kernel contract requires anyway. */
int waitq_sleep(struct waitq *wq)
{
	spin_unlock(&wq->lock);
	sched_yield();
	spin_lock(&wq->lock);
	return signal_pending() ? -EINTR : 0;
}

int waitq_sleep_timeout(struct waitq *wq, uint64_t timeout_ns)
{
	uint64_t slice = MIN(timeout_ns, 1000000UL);
	struct timespec ts = { 0, (long)slice };

	spin_unlock(&wq->lock);
	nanosleep(&ts, NULL);
	spin_lock(&wq->lock);
	if (signal_pending())
		return -EINTR;
	return slice == timeout_ns ? -ETIMEDOUT : 0;
}

void waitq_wake_all(struct waitq *wq) { (void)wq; }
void waitq_wake_one(struct waitq *wq) { (void)wq; }

void mutex_init(struct mutex *m, const char *name)
{
	waitq_init(&m->wq, name);
	m->owner = NULL;
	m->name = name;
}

void mutex_lock(struct mutex *m)
{
	if (mutex_held(m))
		panic("mutex_lock: %s already held by this task", m->name);
	spin_lock(&m->wq.lock);
	while (m->owner)
		waitq_sleep(&m->wq);
	m->owner = THIS_TASK;
	spin_unlock(&m->wq.lock);
}

void mutex_lock_nested(struct mutex *m, unsigned int sub)
{
	mutex_lock(m);
}

void mutex_unlock(struct mutex *m)
{
	spin_lock(&m->wq.lock);
	if (m->owner != THIS_TASK)
		panic("mutex_unlock: %s not held by this task", m->name);
	m->owner = NULL;
	waitq_wake_one(&m->wq);
	spin_unlock(&m->wq.lock);
}

bool mutex_held(const struct mutex *m)
{
	return __atomic_load_n(&m->owner, __ATOMIC_RELAXED) == THIS_TASK;
}

/* ---- The OOM killer's hooks (kernel/mm/oom.c is kernel-only) -------- */

/* How far into the reserve allocations go: a test sets it (unit.h). */
enum alloc_reserve unit_alloc_reserve = RESERVE_KEEP;

__attribute__((weak)) enum alloc_reserve oom_alloc_reserve(unsigned int flags)
{
	return (flags & ALLOC_USER) ? RESERVE_KEEP : unit_alloc_reserve;
}

/* Nothing to kill, nothing to wait for: the allocation fails. */
__attribute__((weak)) struct page *oom_alloc_slowpath(unsigned int order,
						      unsigned int flags)
{
	return NULL;
}

__attribute__((weak)) void oom_mm_gone(struct mm *mm)
{
}

/* ---- Small kernel services (weak: a test may supply its own) ---------- */

__attribute__((weak)) uint64_t clock_monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000UL + (uint64_t)ts.tv_nsec;
}

__attribute__((weak)) bool signal_pending(void)
{
	return false;
}

/* glibc 2.36 has no strlcpy; the kernel's lib/string.h promises one. */
__attribute__((weak)) size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = MIN(len, size - 1);
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

/* ---- printk and panic ----------------------------------------------- */

int printk_level = LOG_WARN;
static bool unit_expect_panic;	/* in a UT_EXPECT_PANIC child */

void printk(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > printk_level)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, unit_expect_panic ? "panic (expected): " : "panic: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (unit_expect_panic) {
		fflush(stderr);
		_exit(UNIT_PANIC_STATUS);
	}
	__sanitizer_print_stack_trace();
	abort();
}

int unit_panic_fork(void)
{
	int child;

	fflush(stdout);
	fflush(stderr);
	child = fork();
	if (child < 0) {
		perror("fork");
		abort();
	}
	if (child == 0)
		unit_expect_panic = true;
	return child;
}

void unit_panic_missed(void)
{
	_exit(0);
}

bool unit_panic_seen(int child)
{
	int status;

	if (waitpid(child, &status, 0) != child)
		return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == UNIT_PANIC_STATUS;
}

/* ---- Fake physical memory ------------------------------------------- */

/*
 * Physical address 0 is the start of a host buffer aligned to the largest
 * buddy block, so virtual and physical alignments agree. Frame 0 stays
 * reserved, as on a PC, so a zero physical address never means a frame.
 */
unsigned long unit_direct_map_base;
static void *unit_mem_buf;
static struct page *unit_mem_pages;
static uint64_t unit_mem_free0;

/* Not every test links the page allocator. */
#pragma weak page_alloc_init
#pragma weak page_alloc_add_range
#pragma weak page_count_free

void unit_mem_init(size_t nframes)
{
	size_t total = nframes + 1;
	size_t align = PAGE_SIZE << (MAX_ORDER - 1);
	size_t bytes = ALIGN_UP(total * PAGE_SIZE, align);

	if (!page_alloc_init)
		panic("unit_mem_init: list kernel/mm/page_alloc.c in "
		      "UNIT_SOURCES");
	unit_mem_fini();
	unit_mem_buf = aligned_alloc(align, bytes);
	unit_mem_pages = calloc(total, sizeof(struct page));
	if (!unit_mem_buf || !unit_mem_pages)
		panic("unit_mem_init: out of host memory");
	/* Garbage, not zeros: code must not rely on fresh frames being 0. */
	memset(unit_mem_buf, 0xa5, bytes);
	unit_direct_map_base = (unsigned long)unit_mem_buf;
	page_alloc_init(unit_mem_pages, total);
	page_alloc_add_range(1, total);
	unit_mem_free0 = page_count_free();
}

void unit_mem_fini(void)
{
	free(unit_mem_buf);
	free(unit_mem_pages);
	unit_mem_buf = NULL;
	unit_mem_pages = NULL;
}

uint64_t unit_mem_initial_free(void)
{
	return unit_mem_free0;
}

/* ---- Malloc-backed kmalloc, for tests that do not link kmalloc.c ----- */

__attribute__((weak)) void *kmalloc(size_t size)
{
	/* Round to 16 like the slab classes, so alignment bugs still show. */
	return aligned_alloc(16, ALIGN_UP(size ? size : 1, 16));
}

__attribute__((weak)) void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

__attribute__((weak)) void kfree(void *p)
{
	free(p);
}

__attribute__((weak)) void kmalloc_get_stats(struct kmalloc_stats *st)
{
	memset(st, 0, sizeof(*st));
}

/* ---- Runner --------------------------------------------------------- */

/* Sanitizer reports without the shadow-byte legend; UBSan with a stack. */
const char *__asan_default_options(void);
const char *__ubsan_default_options(void);
const char *__asan_default_options(void) { return "print_legend=0"; }
const char *__ubsan_default_options(void) { return "print_stacktrace=1"; }

static uint64_t unit_seed = 0x9e3779b97f4a7c15UL;
static uint64_t unit_rand_state;
static const char *unit_case_name = "?";

uint64_t unit_rand(void)
{
	uint64_t x = unit_rand_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	unit_rand_state = x;
	return x * 0x2545f4914f6cdd1dUL;
}

void unit_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: %s: assertion failed: ", file, line,
		unit_case_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (UNIT_SEED=%#lx)\n", (unsigned long)unit_seed);
	fflush(stderr);
	_exit(1);
}

/* Child side: run one case, then check that it gave back every frame. */
static noreturn void unit_case_child(const struct unit_case *c)
{
	alarm(UNIT_CASE_TIMEOUT);
	unit_case_name = c->name;
	unit_rand_state = unit_seed;
	c->fn();
	if (unit_mem_buf && page_count_free() != unit_mem_free0)
		unit_fail(__FILE__, __LINE__,
			  "case leaked %lld frames",
			  (long long)unit_mem_free0 -
			  (long long)page_count_free());
	unit_mem_fini();
	fflush(stdout);
	exit(0);	/* not _exit: LeakSanitizer runs at exit */
}

static bool unit_case_run(const struct unit_case *c)
{
	int status;
	pid_t child;

	fflush(stdout);
	fflush(stderr);
	child = fork();
	if (child < 0) {
		perror("fork");
		return false;
	}
	if (child == 0)
		unit_case_child(c);
	if (waitpid(child, &status, 0) != child)
		return false;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return true;
	if (WIFSIGNALED(status))
		fprintf(stderr, "%s: killed by signal %d\n", c->name,
			WTERMSIG(status));
	return false;
}

int unit_run(const struct unit_case *cases, size_t n)
{
	const char *env = getenv("UNIT_SEED");
	size_t failed = 0;

	if (env)
		unit_seed = strtoull(env, NULL, 0) | 1;
	if (getenv("UNIT_VERBOSE"))
		printk_level = LOG_DEBUG;
	for (size_t i = 0; i < n; i++) {
		bool ok = unit_case_run(&cases[i]);

		printf("  %s %s\n", ok ? "ok  " : "FAIL", cases[i].name);
		fflush(stdout);
		failed += !ok;
	}
	printf("%zu of %zu cases passed\n", n - failed, n);
	return failed ? 1 : 0;
}
