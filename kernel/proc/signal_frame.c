/*
 * The signal frame: what a handler finds on its stack, built exactly as
 * Linux x86-64 builds it (arch/x86/kernel/signal_64.c), and rt_sigreturn,
 * which undoes it.
 *
 * Below the interrupted rsp and its 128-byte red zone come the FP state
 * (512-byte fxsave image, 64-byte aligned, as Linux aligns its xsave
 * area) and under it struct rt_sigframe, placed so that rsp + 8 is 16-byte
 * aligned at handler entry, as just after a call. The handler returns
 * into sa_restorer, which makes the rt_sigreturn call.
 */
#include <proc/signal.h>
#include <proc/task.h>
#include "internal.h"
#include <arch/trapframe.h>
#include <lib/string.h>
#include <mm/uaccess.h>
#include <syscall/syscall.h>
#include <uapi/errno.h>

#define RED_ZONE	128
#define FXSAVE_SIZE	512
#define SS_DISABLE	2

/* The flags a user may change (Linux FIX_EFLAGS): AC OF DF TF SF ZF AF PF CF RF. */
#define FIX_EFLAGS	(0x40000UL | 0x800 | 0x400 | 0x100 | 0x80 | 0x40 | \
			 0x10 | 0x4 | 0x1 | 0x10000)
#define EFLAGS_DF	0x400UL
#define EFLAGS_TF	0x100UL
#define EFLAGS_RF	0x10000UL

static void save_regs(struct sigcontext *sc, const struct trapframe *tf)
{
	sc->r8 = tf->r8;   sc->r9 = tf->r9;   sc->r10 = tf->r10;
	sc->r11 = tf->r11; sc->r12 = tf->r12; sc->r13 = tf->r13;
	sc->r14 = tf->r14; sc->r15 = tf->r15;
	sc->rdi = tf->rdi; sc->rsi = tf->rsi; sc->rbp = tf->rbp;
	sc->rbx = tf->rbx; sc->rdx = tf->rdx; sc->rax = tf->rax;
	sc->rcx = tf->rcx; sc->rsp = tf->rsp; sc->rip = tf->rip;
	sc->eflags = tf->rflags;
	sc->cs = USER_CS;
	sc->ss = USER_DS;
}

static void restore_regs(struct trapframe *tf, const struct sigcontext *sc)
{
	tf->r8 = sc->r8;   tf->r9 = sc->r9;   tf->r10 = sc->r10;
	tf->r11 = sc->r11; tf->r12 = sc->r12; tf->r13 = sc->r13;
	tf->r14 = sc->r14; tf->r15 = sc->r15;
	tf->rdi = sc->rdi; tf->rsi = sc->rsi; tf->rbp = sc->rbp;
	tf->rbx = sc->rbx; tf->rdx = sc->rdx; tf->rax = sc->rax;
	tf->rcx = sc->rcx; tf->rsp = sc->rsp; tf->rip = sc->rip;
	tf->rflags = (tf->rflags & ~FIX_EFLAGS) | (sc->eflags & FIX_EFLAGS);
	/* One user code and stack segment exist; never load others. */
	tf->cs = USER_CS;
	tf->ss = USER_DS;
}

void signal_fill_siginfo(struct siginfo *si, int sig,
			 const struct ksiginfo *info)
{
	si->si_signo = sig;
	si->si_errno = info->errno_val;
	si->si_code = info->code;
	if (info->code == SI_USER || info->code == SI_TKILL) {
		si->u.kill.pid = info->pid;
		si->u.kill.uid = info->uid;
	} else if (info->code == SI_QUEUE || info->code == SI_MESGQ) {
		si->u.rt.pid = info->pid;
		si->u.rt.uid = info->uid;
		si->u.rt.value = info->value;
	} else if (info->code == SI_TIMER) {
		si->u.timer.tid = info->timerid;
		si->u.timer.overrun = info->overrun;
		si->u.timer.value = info->value;
	} else if (sig == SIGCHLD && info->code > 0) {
		si->u.chld.pid = info->pid;
		si->u.chld.uid = info->uid;
		si->u.chld.status = info->status;
		si->u.chld.utime = info->utime;
		si->u.chld.stime = info->stime;
	} else if (sig == SIGIO && info->code > 0) {
		si->u.poll.band = info->band;
		si->u.poll.fd = info->fd;
	} else if (info->fault) {
		si->u.fault.addr = info->addr;
	}
}

bool signal_frame_setup(struct trapframe *tf, int sig,
			const struct ksiginfo *info,
			const struct k_sigaction *ka)
{
	static struct rt_sigframe zero;
	uint8_t fx[FXSAVE_SIZE] __attribute__((aligned(16)));
	struct rt_sigframe f = zero;
	struct task *t = current;
	uint64_t sp, fpstate, frame;

	sp = tf->rsp - RED_ZONE;
	fpstate = (sp - FXSAVE_SIZE) & ~63UL;
	frame = ((fpstate - sizeof(f)) & ~15UL) - 8;

	f.pretcode = ka->restorer;
	f.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	f.uc.uc_stack.ss_flags = SS_DISABLE;	/* no sigaltstack */
	save_regs(&f.uc.uc_mcontext, tf);
	f.uc.uc_mcontext.err = t->fault_err;
	f.uc.uc_mcontext.trapno = t->fault_trapno;
	f.uc.uc_mcontext.cr2 = t->fault_cr2;
	f.uc.uc_mcontext.oldmask = t->sigmask;
	f.uc.uc_mcontext.fpstate = fpstate;
	f.uc.uc_sigmask = t->sigmask;
	signal_fill_siginfo(&f.info, sig, info);

	/* fxsave leaves bytes 464..511 alone: no xsave magic there. */
	memset(fx, 0, sizeof(fx));
	__asm__ volatile("fxsave %0" : "=m"(fx));
	if (copy_to_user((void __user *)fpstate, fx, sizeof(fx)) ||
	    copy_to_user((void __user *)frame, &f, sizeof(f)))
		return false;

	tf->rip = ka->handler;
	tf->rsp = frame;
	tf->rdi = sig;
	tf->rsi = frame + offsetof(struct rt_sigframe, info);
	tf->rdx = frame + offsetof(struct rt_sigframe, uc);
	tf->rax = 0;
	tf->rflags &= ~(EFLAGS_DF | EFLAGS_RF | EFLAGS_TF);
	tf->cs = USER_CS;
	tf->ss = USER_DS;
	/* The handler starts with a clean FPU, as on Linux. */
	__asm__ volatile("fxrstor %0" :: "m"(*fpu_initial_state));
	return true;
}

/* A user address the CPU can return to (IRET faults on the others). */
static bool user_canonical(uint64_t a)
{
	return (a >> 47) == 0;
}

/* Load the FP state saved at fpstate; MXCSR's reserved bits would #GP. */
static int restore_fpu(uint64_t fpstate)
{
	uint8_t fx[FXSAVE_SIZE] __attribute__((aligned(16)));
	uint32_t mask, mxcsr;

	if (!fpstate) {
		__asm__ volatile("fxrstor %0" :: "m"(*fpu_initial_state));
		return 0;
	}
	if (copy_from_user(fx, (const void __user *)fpstate, sizeof(fx)))
		return -EFAULT;
	memcpy(&mask, fpu_initial_state + 28, 4);	/* MXCSR_MASK */
	if (!mask)
		mask = 0xffbf;
	memcpy(&mxcsr, fx + 24, 4);
	mxcsr &= mask;
	memcpy(fx + 24, &mxcsr, 4);
	__asm__ volatile("fxrstor %0" :: "m"(fx));
	return 0;
}

/*
 * The handler returned into sa_restorer, whose ret popped pretcode: the
 * frame's uc is at rsp. Everything is restored, including rcx and r11,
 * which is why the return to user mode takes the IRET path (entry.S
 * uses SYSRET only when rcx == rip and r11 == rflags). A bad frame is a
 * SIGSEGV, as on Linux.
 */
SYSCALL_DEFINE0(rt_sigreturn)
{
	struct task *t = current;
	struct trapframe *tf = t->regs;
	struct ucontext uc;
	const struct sigcontext *sc = &uc.uc_mcontext;

	t->syscall_nr = -1;		/* a restored rax is not a result */
	if (copy_from_user(&uc, (const void __user *)tf->rsp, sizeof(uc)) ||
	    !user_canonical(sc->rip) || !user_canonical(sc->rsp) ||
	    restore_fpu(sc->fpstate)) {
		signal_force_fault(SIGSEGV, SI_KERNEL, 0, 0, 0);
		return tf->rax;
	}
	t->sigmask = uc.uc_sigmask & ~UNBLOCKABLE;
	restore_regs(tf, sc);
	return tf->rax;
}
