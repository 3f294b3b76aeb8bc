/*
 * worker.c - one fuzzing process: it sets itself up (worker_setup.c),
 * maybe starts its buddy thread, then issues calls until the run's budget
 * is spent.
 *
 * Before each call the worker writes it into its slot's ring in the
 * shared region, and bumps its progress counter before and after, so the
 * supervisor knows what it was doing when it died and whether it still
 * moves. Everything here calls the kernel through sys.h only (see
 * fuzz.h: no C library, no TLS after fork).
 */
#define _GNU_SOURCE
#include "worker.h"
#include "sys.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>

static uint32_t weight_sum;

void fz_handler(int sig)
{
	(void)sig;	/* only here to interrupt a blocked call */
}

static __attribute__((noreturn)) void worker_exit(int code)
{
	for (;;)
		fz_sys(231, code);
}

static void say(struct fz_worker *w, const char *what)
{
	struct fz_line l = { .len = 0 };
	int64_t fd = fz_sys(2, "/dev/console", O_WRONLY | O_NOCTTY);

	if (fd < 0)
		return;
	fz_put_str(&l, "fuzz: worker ");
	fz_put_dec(&l, w->index);
	fz_put_str(&l, ": ");
	fz_put_str(&l, what);
	fz_emit(&l, (int)fd);
	fz_sys(3, fd);
}

static const struct fz_call *pick_call(struct fz_worker *w)
{
	uint32_t r = (uint32_t)fz_below(&w->rng, weight_sum);

	for (int i = 0; i < fz_ncalls; i++) {
		uint32_t wt = fz_calls[i].weight ? fz_calls[i].weight : 4;

		if (r < wt)
			return &fz_calls[i];
		r -= wt;
	}
	return &fz_calls[0];
}

/* An argument that points at a short printable string in scratch (a
 * path, a file system type): show it. */
static void put_string_arg(struct fz_worker *w, struct fz_line *l,
			   uint64_t p)
{
	const char *s = (const char *)(uintptr_t)p;
	uint64_t base = (uint64_t)(uintptr_t)w->scratch;
	size_t n = 0;

	if (p < base || p >= base + FZ_SCRATCH_RW * FZ_PAGE - 64)
		return;
	while (n < 60 && s[n] >= ' ' && s[n] < 127)
		n++;
	if (s[n] != '\0' || l->len + n + 4 >= sizeof(l->buf))
		return;
	fz_put_str(l, " \"");
	fz_put_str(l, s);
	fz_put_str(l, "\"");
}

/* verbose=1: the console on a descriptor fuzzed calls rarely draw (they
 * may still close it: then it is opened again, while we are root). */
#define CONSOLE_FD 1000

static void print_call(struct fz_worker *w, const struct fz_record *r)
{
	struct fz_line l = { .len = 0 };
	int64_t fd = CONSOLE_FD;

	if (fz_sys(72, fd, 1 /* F_GETFD */) < 0) {
		int64_t c = fz_sys(2, "/dev/console", O_WRONLY | O_NOCTTY);

		if (c < 0)
			return;
		fz_sys(33, c, fd);			/* dup2 */
		fz_sys(3, c);
	}
	fz_put_str(&l, "fuzz: w");
	fz_put_dec(&l, w->index);
	fz_put_str(&l, ".");
	fz_put_dec(&l, w->slot->generation);
	fz_put_str(&l, " [");
	fz_put_dec(&l, w->slot->tid[w->thread]);
	fz_put_str(&l, "] ");
	fz_put_record(&l, r);
	for (int i = 0; i < 6; i++)
		put_string_arg(w, &l, r->arg[i]);
	fz_emit(&l, (int)fd);
}

/*
 * failnth=N: one call in N has its Nth kernel allocation fail, through
 * the fault-injection switch (docs/security.md, "Failure paths"), so
 * every call's failure paths are fuzzed, not only the walked ones. Where
 * the file is missing (Linux, or Basalt without fault_inject) nothing is
 * armed. The file is opened each time: a fuzzed close may take any
 * descriptor. Returns the N armed, or 0.
 */
static uint32_t write_fail_nth(uint32_t n)
{
	char digit[2] = { (char)('0' + n), '\n' };
	int64_t fd = fz_sys(2, "/proc/self/fail-nth", O_WRONLY | O_CLOEXEC);
	int64_t done;

	if (fd < 0)
		return 0;
	done = fz_sys(1, fd, digit, 2);
	fz_sys(3, fd);
	return done == 2 ? n : 0;
}

static uint32_t arm_fail_nth(struct fz_worker *w)
{
	uint32_t n;

	if (!w->sh->failnth || !fz_one_in(&w->rng, w->sh->failnth))
		return 0;
	n = 1 + (uint32_t)fz_below(&w->rng, 9);
	/* faillo/failhi narrow a leak down to calls by number; the draw
	 * above is made either way, so the run's decisions stay the same. */
	if (w->call_nr < w->sh->fail_lo || w->call_nr > w->sh->fail_hi)
		return 0;
	return write_fail_nth(n);
}

/* An armed countdown the call did not spend is taken back (if opening
 * the file spends it, it is spent). */
static void disarm_fail_nth(uint32_t armed)
{
	if (armed)
		write_fail_nth(0);
}

static int64_t issue(const struct fz_call *c, int64_t nr, const uint64_t *a)
{
	switch (c->how) {
	case FZ_FORKLIKE:
		return fz_fork6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	case FZ_SIGRETURN:
		fz_sigreturn_on((void *)(uintptr_t)a[0]);
	default:
		return fz_sys6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	}
}

/* Append a successful mount or umount2 to the shared log. */
static void log_mount(struct fz_worker *w, const struct fz_record *r)
{
	uint64_t n = __atomic_fetch_add(&w->sh->mount_events, 1,
					__ATOMIC_RELAXED);
	struct fz_mount_event *e = &w->sh->mount_log[n % FZ_MOUNT_LOG];
	struct fz_line l = { .len = 0 };

	e->worker = w->index;
	e->generation = (int32_t)w->slot->generation;
	e->rec = *r;
	for (int i = 0; i < 5; i++)
		put_string_arg(w, &l, r->arg[i]);
	l.buf[l.len] = '\0';
	memcpy(e->text, l.buf, l.len + 1 < sizeof(e->text) ?
	       l.len + 1 : sizeof(e->text));
	e->text[sizeof(e->text) - 1] = '\0';
}

static void one_call(struct fz_worker *w)
{
	const struct fz_call *c = pick_call(w);
	struct fz_slot *slot = w->slot;
	struct fz_record *rec;
	uint64_t a[6];
	uint32_t armed;
	int64_t ret;

	w->scratch_used = 0;
	w->call_nr = c->nr;
	for (int i = 0; i < 6; i++)
		a[i] = fz_value(w, c, i);
	if (c->fixup && c->fixup(w, a)) {
		slot->skipped++;
		return;
	}
	if (__atomic_fetch_add(&w->sh->issued, 1, __ATOMIC_RELAXED) >=
	    w->sh->budget)
		worker_exit(FZ_EXIT_DONE);
	rec = &slot->ring[__atomic_fetch_add(&slot->ring_next, 1,
					     __ATOMIC_RELAXED) % FZ_RING];
	rec->thread = (uint32_t)w->thread;
	rec->seq = ++w->seq;
	rec->nr = w->call_nr;
	memcpy(rec->arg, a, sizeof(rec->arg));
	rec->ret = FZ_PENDING;
	rec->fail_nth = 0;
	slot->progress[w->thread]++;
	__atomic_fetch_add(&slot->calls, 1, __ATOMIC_RELAXED);
	if (w->sh->verbose)
		print_call(w, rec);
	armed = arm_fail_nth(w);
	rec->fail_nth = armed;
	ret = issue(c, w->call_nr, a);
	disarm_fail_nth(armed);
	rec->ret = ret;
	slot->progress[w->thread]++;
	if ((uint64_t)w->call_nr < FZ_NR_MAX) {
		__atomic_fetch_add(&w->sh->nr_issued[w->call_nr], 1,
				   __ATOMIC_RELAXED);
		if (ret >= 0 || ret < -4095)
			__atomic_fetch_add(&w->sh->nr_ok[w->call_nr], 1,
					   __ATOMIC_RELAXED);
	}
	if (ret == 0 && (w->call_nr == 165 || w->call_nr == 166))
		log_mount(w, rec);
	if (c->after)
		c->after(w, a, ret);
}

/* The buddy thread: a second fuzzing thread in the same process. */
#define BUDDY_STACK	(64 * 1024)
static struct fz_worker buddy;

static void buddy_main(void *arg)
{
	struct fz_worker *w = arg;

	for (;;)
		one_call(w);
}

/* Its scratch and stack, mapped before /proc/self/maps is read (so they
 * are protected); 0, or -1 if there is no buddy. */
static int buddy_prepare(struct fz_worker *w, uint64_t *stack_top)
{
	int64_t stack;

	buddy = *w;
	buddy.thread = 1;
	fz_rng_seed(&buddy.rng, w->sh->seed, (uint64_t)w->index + FZ_MAX_WORKERS,
		    w->slot->generation);
	if (fz_setup_scratch(&buddy) < 0)
		return -1;
	stack = fz_sys(9, 0, BUDDY_STACK, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (stack < 0)
		return -1;
	*stack_top = (uint64_t)stack + BUDDY_STACK;
	return 0;
}

static void buddy_start(struct fz_worker *w, uint64_t stack_top)
{
	/* A pthread's flags; the kernel clears tid[1] when it exits. */
	uint64_t flags = 0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x40000 |
			 0x200000 | 0x01000000;

	memcpy(buddy.protected, w->protected, sizeof(w->protected));
	buddy.nprotected = w->nprotected;
	buddy.vdso = w->vdso;
	buddy.brk_floor = w->brk_floor;
	buddy.fd_hi = w->fd_hi;
	fz_clone_thread(flags, (void *)(uintptr_t)stack_top, buddy_main,
			&buddy, &w->slot->tid[1]);
}

static __attribute__((noreturn)) void setup_failed(struct fz_worker *w,
						   const char *why)
{
	say(w, why);
	worker_exit(FZ_EXIT_SETUP);
}

void fz_worker_main(struct fz_shared *sh, int index)
{
	struct fz_worker w;
	uint64_t stack_top = 0;
	int with_buddy;

	memset(&w, 0, sizeof(w));
	w.sh = sh;
	w.index = index;
	w.slot = &sh->slot[index];
	w.slot->pid = (int32_t)fz_sys(39);
	w.slot->tid[0] = w.slot->pid;
	fz_sys(218, &w.slot->tid[0]);			/* set_tid_address */
	fz_rng_seed(&w.rng, sh->seed, (uint64_t)index, w.slot->generation);
	with_buddy = fz_one_in(&w.rng, 2);
	for (int i = 0; i < fz_ncalls; i++)
		weight_sum += fz_calls[i].weight ? fz_calls[i].weight : 4;
	/* Its own process group (kill(0) reaches no one else), still in
	 * the supervisor's session, so a fuzzed setsid() can succeed. */
	fz_sys(109, 0, 0);				/* setpgid */
	fz_setup_signals();
	if (fz_setup_scratch(&w) < 0 || fz_setup_arena(&w) < 0)
		setup_failed(&w, "cannot map its pages");
	if (with_buddy && buddy_prepare(&w, &stack_top) < 0)
		setup_failed(&w, "cannot map its buddy's pages");
	if (fz_setup_fds(&w) < 0)
		setup_failed(&w, "cannot open " FZ_ROOT_DEV "/null");
	if (fz_setup_protected(&w) < 0)
		setup_failed(&w, "cannot read /proc/self/maps");
	w.brk_floor = (uint64_t)fz_sys(12, 0);
	if (with_buddy)
		buddy_start(&w, stack_top);
	for (;;)
		one_call(&w);
}
