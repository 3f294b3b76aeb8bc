/*
 * fix_procs.c - signals and processes: no signal reaches the supervisor
 * (harness), sigaction and clone_args and sigreturn frames are built
 * field by field (shape), children are remembered and half of them left
 * for a fuzzed wait.
 */
#define _GNU_SOURCE
#include "fixups.h"
#include "sys.h"

#include <string.h>

#define CLONE_NS_BITS	(0x20000ULL | 0x02000000 | 0x04000000 | 0x08000000 | \
			 0x10000000 | 0x20000000 | 0x40000000)
#define SIG_BIT(s)	(1ULL << ((s) - 1))

void fz_note_sig(struct fz_worker *w, int64_t sig)
{
	if (sig >= 1 && sig <= 64)
		__atomic_or_fetch(&w->sh->sigs_sent, SIG_BIT(sig),
				  __ATOMIC_RELAXED);
}

static void mark_risky(struct fz_worker *w)
{
	w->slot->risky = (int32_t)w->call_nr + 1;
}

/* Mostly any child (the zombies after_child leaves), or one of ours. */
int fix_wait(struct fz_worker *w, uint64_t *a)
{
	int pid_arg = w->call_nr == 61 ? 0 : 1;

	switch (fz_below(&w->rng, 4)) {
	case 0: case 1: a[pid_arg] = -1ULL; break;
	case 2: a[pid_arg] = (uint64_t)(int64_t)w->children[fz_below(&w->rng, 8)];
		break;
	default: break;
	}
	if (w->call_nr == 247 && !fz_one_in(&w->rng, 4)) {
		a[0] = fz_below(&w->rng, 3);	/* P_ALL, P_PID, P_PGID */
		a[3] |= 4;			/* WEXITED */
	}
	if (fz_one_in(&w->rng, 2))
		a[pid_arg + 2] |= 1;		/* WNOHANG */
	return 0;
}

/* ---- signals ---- */

/* Only what the run cannot survive is refused: every signal to the
 * supervisor, kill(-1), and a group signal while a fuzzed setpgid has
 * put us in the supervisor's group. */
static int harmful_pid(struct fz_worker *w, int32_t pid)
{
	int32_t sup = w->sh->supervisor_pid, pgid = w->sh->supervisor_pgid;

	if (pid == -1 || pid == sup || pid == -pgid)
		return 1;
	if (pid <= 0 && fz_sys(121, 0) == pgid)	/* getpgid(0) */
		return 1;
	return 0;
}

int fix_kill(struct fz_worker *w, uint64_t *a)
{
	if (harmful_pid(w, (int32_t)a[0]))
		return 1;
	fz_note_sig(w, (int32_t)a[1]);
	return 0;
}

int fix_tkill(struct fz_worker *w, uint64_t *a)
{
	if ((int32_t)a[0] == w->sh->supervisor_pid)
		return 1;
	fz_note_sig(w, (int32_t)a[1]);
	return 0;
}

int fix_tgkill(struct fz_worker *w, uint64_t *a)
{
	if (fz_one_in(&w->rng, 2))
		a[1] = a[0];			/* shape: the group's leader */
	if ((int32_t)a[0] == w->sh->supervisor_pid ||
	    (int32_t)a[1] == w->sh->supervisor_pid)
		return 1;
	fz_note_sig(w, (int32_t)a[2]);
	return 0;
}

int fix_setpgid(struct fz_worker *w, uint64_t *a)
{
	int32_t pid = (int32_t)a[0];

	if (pid == w->sh->supervisor_pid || pid == 1)
		return 1;
	/* Joining the supervisor's group would let kill(0) reach it (and
	 * Basalt still allows a group of another session: issue 12). */
	return (int32_t)a[1] == w->sh->supervisor_pgid;
}

int fix_prlimit64(struct fz_worker *w, uint64_t *a)
{
	int32_t pid = (int32_t)a[0];

	return a[2] && (pid == w->sh->supervisor_pid || pid == 1);
}

int fix_rt_sigaction(struct fz_worker *w, uint64_t *a)
{
	uint64_t *act, flags;

	if ((int32_t)a[0] == FZ_WAKE_SIG)
		a[0] = 12;	/* the watchdog's signal keeps its handler */
	if (fz_one_in(&w->rng, 4)) {
		a[1] = fz_one_in(&w->rng, 2) ? 0 : fz_bad_ptr(w);
		if (a[1])	/* it may be readable (code, stack): a junk
				 * handler the worker cannot survive */
			mark_risky(w);
		return 0;
	}
	act = fz_scratch(w, 32);
	switch (fz_below(&w->rng, 8)) {
	case 0: case 1: act[0] = 0; break;		/* SIG_DFL */
	case 2: case 3: act[0] = 1; break;		/* SIG_IGN */
	case 4: act[0] = fz_rand(&w->rng); mark_risky(w); break;
	default: act[0] = (uint64_t)(uintptr_t)fz_handler; break;
	}
	flags = fz_rand(&w->rng) & (0x1 | 0x2 | 0x4 | 0x08000000 | 0x10000000 |
				    0x40000000 | 0x80000000ULL);
	if (fz_one_in(&w->rng, 16)) {
		flags |= fz_rand(&w->rng) & 0xffffffffULL;
		mark_risky(w);
	}
	act[1] = flags | 0x04000000;		/* SA_RESTORER */
	act[2] = (uint64_t)(uintptr_t)fz_restorer;
	act[3] = fz_rand(&w->rng);
	a[1] = (uint64_t)(uintptr_t)act;
	return 0;
}

/*
 * A sigreturn frame (struct ucontext at the stack pointer) of chosen and
 * random values: the kernel must refuse or sanitise every field - code
 * and stack segments, flags (TF, IOPL, NT, AC), a non-canonical rip, an
 * xsave area of junk. The worker does not survive it (shape, risky).
 */
int fix_rt_sigreturn(struct fz_worker *w, uint64_t *a)
{
	static const uint64_t rips[] = { 0, 0x8000000000000000ULL, USER_END,
					 USER_END - 1, 0xffffffff80000000ULL };
	static const uint64_t segs[] = { 0x33, 0x2b, 0x23, 0x10, 0x08, 0, 0x3,
					 0xffff };
	uint64_t *uc = fz_scratch(w, 1024);
	uint64_t *mc = uc + 5;			/* uc_mcontext */
	uint16_t *sel = (uint16_t *)&mc[18];

	fz_fill(w, uc, 1024);
	uc[0] = fz_below(&w->rng, 8);		/* uc_flags */
	if (!fz_one_in(&w->rng, 4))
		mc[16] = (uint64_t)(uintptr_t)fz_sigreturn_landing;
	else if (fz_one_in(&w->rng, 2))
		mc[16] = rips[fz_below(&w->rng, 5)];
	if (!fz_one_in(&w->rng, 4))
		mc[17] = 0x202 | (fz_rand(&w->rng) & 0x277fd5);	/* eflags */
	for (int i = 0; i < 4; i++)
		if (!fz_one_in(&w->rng, 4))
			sel[i] = (uint16_t)segs[fz_below(&w->rng, 8)];
	switch (fz_below(&w->rng, 4)) {		/* fpstate */
	case 0: case 1: mc[23] = 0; break;
	case 2: mc[23] = (uint64_t)(uintptr_t)(uc + 64); break;
	default: mc[23] = fz_bad_ptr(w); break;
	}
	uc[37] &= ~(1ULL << (FZ_WAKE_SIG - 1));	/* uc_sigmask */
	mark_risky(w);
	a[0] = (uint64_t)(uintptr_t)uc;
	return 0;
}

/* ---- processes ---- */

static uint64_t clone_flags(struct fz_worker *w, uint64_t flags)
{
	static const uint64_t shapes[] = {
		0, 0x4000 | 0x100,			/* vfork */
		0x100 | 0x800 | 0x10000,		/* a thread */
		0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x40000 | 0x80000 |
		0x100000 | 0x200000,			/* pthread_create */
		0x200 | 0x400, 0x8000, 0x01000000 | 0x200000,
	};

	if (!fz_one_in(&w->rng, 4))	/* shape: a combination in use */
		flags = (flags & 0xff) |
			shapes[fz_below(&w->rng, sizeof(shapes) / sizeof(shapes[0]))] |
			(fz_rand(&w->rng) & fz_rand(&w->rng) & fz_rand(&w->rng) &
			 0x01f7ff00);
	flags &= ~CLONE_NS_BITS;	/* harness: namespaces are Linux-only */
	return flags;
}

int fix_clone(struct fz_worker *w, uint64_t *a)
{
	a[0] = clone_flags(w, a[0]);
	fz_note_sig(w, (int64_t)(a[0] & 0xff));
	return 0;
}

int fix_clone3(struct fz_worker *w, uint64_t *a)
{
	static const uint64_t sizes[] = { 64, 80, 88, 96, 0, 63, 4096 };
	uint64_t *ca = fz_scratch(w, 128);
	int32_t *tids = fz_scratch(w, 16);

	memset(ca, 0, 128);
	ca[0] = clone_flags(w, fz_rand(&w->rng) & (0xffffff00ULL | 1ULL << 32))
		& ~0xffULL;
	ca[1] = fz_one_in(&w->rng, 2) ? 0 : fz_ptr_out(w);	/* pidfd */
	ca[2] = fz_ptr_out(w);					/* child_tid */
	ca[3] = fz_ptr_out(w);					/* parent_tid */
	ca[4] = fz_one_in(&w->rng, 2) ? 17 :			/* exit_signal */
		(uint64_t)(int64_t)fz_pick_sig(w);
	fz_note_sig(w, (int64_t)ca[4]);
	if (fz_one_in(&w->rng, 2)) {				/* stack */
		ca[5] = fz_value_of(w, K_ADDR);
		ca[6] = fz_below(&w->rng, 2 * FZ_PAGE);
	}
	ca[7] = fz_rand(&w->rng);				/* tls */
	if (fz_one_in(&w->rng, 16)) {				/* set_tid */
		tids[0] = (int32_t)fz_rand(&w->rng);
		tids[1] = w->slot->pid + 1;
		ca[8] = (uint64_t)(uintptr_t)tids;
		ca[9] = fz_below(&w->rng, 4);
	}
	if (fz_one_in(&w->rng, 16))
		fz_fill(w, ca, 128);
	a[0] = fz_one_in(&w->rng, 10) ? fz_bad_ptr(w) : (uint64_t)(uintptr_t)ca;
	if (!fz_one_in(&w->rng, 4))
		a[1] = sizes[fz_below(&w->rng, 7)];
	return 0;
}

static uint64_t string_array(struct fz_worker *w)
{
	uint64_t n = fz_below(&w->rng, 5), *v;

	if (fz_one_in(&w->rng, 4))
		return 0;
	if (fz_one_in(&w->rng, 8))
		return fz_bad_ptr(w);
	if (fz_one_in(&w->rng, 16))
		n = 1000;	/* many arguments, all the same string */
	v = fz_scratch(w, (n + 1) * 8);
	v[0] = fz_value_of(w, K_PATH);
	for (uint64_t i = 1; i < n; i++)
		v[i] = n > 8 ? v[0] :
		       fz_value_of(w, K_PATH);
	v[n] = fz_one_in(&w->rng, 16) ? fz_rand(&w->rng) : 0;
	return (uint64_t)(uintptr_t)v;
}

int fix_execve(struct fz_worker *w, uint64_t *a)
{
	static const char prog[] = FZ_SANDBOX "/e0";

	if (fz_one_in(&w->rng, 2)) {	/* shape: the sandbox's program */
		char *p = fz_scratch(w, sizeof(prog));

		memcpy(p, prog, sizeof(prog));
		a[0] = (uint64_t)(uintptr_t)p;
	}
	a[1] = string_array(w);
	a[2] = string_array(w);
	mark_risky(w);	/* a failure past the point of no return kills */
	return 0;
}

/* ---- after the call ---- */

/* A child exits at once (sys.h); reap it here, or the supervisor does
 * (CLONE_PARENT), or it is a thread and nobody needs to. */
void after_child(struct fz_worker *w, const uint64_t *a, int64_t ret)
{
	static int next;

	(void)a;
	if (ret <= 0)
		return;
	w->children[next++ % 8] = (int32_t)ret;
	if (fz_one_in(&w->rng, 2))		/* else a fuzzed wait finds it */
		fz_sys(61, ret, 0, 0x40000000, 0);	/* wait4(ret, __WALL) */
}
