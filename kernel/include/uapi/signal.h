/*
 * Linux x86-64 signal ABI: numbers, actions, flags, siginfo and the
 * rt_sigframe a handler runs on (arch/x86/include/uapi/asm/sigcontext.h,
 * asm/ucontext.h, arch/x86/include/asm/sigframe.h).
 */
#ifndef BASALT_UAPI_SIGNAL_H
#define BASALT_UAPI_SIGNAL_H

#define SIGHUP		 1
#define SIGINT		 2
#define SIGQUIT		 3
#define SIGILL		 4
#define SIGTRAP		 5
#define SIGABRT		 6
#define SIGBUS		 7
#define SIGFPE		 8
#define SIGKILL		 9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGSTKFLT	16
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define SIGTSTP		20
#define SIGTTIN		21
#define SIGTTOU		22
#define SIGURG		23
#define SIGXCPU		24
#define SIGXFSZ		25
#define SIGVTALRM	26
#define SIGPROF		27
#define SIGWINCH	28
#define SIGIO		29
#define SIGPWR		30
#define SIGSYS		31


#ifndef __ASSEMBLER__
#include <types.h>

#define SIG_DFL		0
#define SIG_IGN		1

#define SIG_BLOCK	0
#define SIG_UNBLOCK	1
#define SIG_SETMASK	2

#define SA_NOCLDSTOP	0x00000001UL
#define SA_NOCLDWAIT	0x00000002UL
#define SA_SIGINFO	0x00000004UL
#define SA_EXPOSE_TAGBITS 0x00000800UL
#define SA_RESTORER	0x04000000UL
#define SA_ONSTACK	0x08000000UL
#define SA_RESTART	0x10000000UL
#define SA_NODEFER	0x40000000UL
#define SA_RESETHAND	0x80000000UL

/* si_code values. */
#define SI_USER		0	/* kill */
#define SI_KERNEL	0x80
#define SI_QUEUE	(-1)	/* sigqueue, rt_sigqueueinfo */
#define SI_TIMER	(-2)	/* a POSIX timer expired */
#define SI_MESGQ	(-3)	/* a message queue became non-empty */
#define SI_ASYNCIO	(-4)
#define SI_SIGIO	(-5)
#define SI_TKILL	(-6)	/* tkill, tgkill */

#define SEGV_MAPERR	1
#define SEGV_ACCERR	2
#define BUS_ADRERR	2
#define ILL_ILLOPN	2
#define FPE_INTDIV	1
#define TRAP_BRKPT	1

struct siginfo {
	int32_t si_signo;
	int32_t si_errno;
	int32_t si_code;
	int32_t pad0;
	union {
		struct { int32_t pid; uint32_t uid; } kill;
		struct { int32_t tid; int32_t overrun; uint64_t value; } timer;
		struct { int32_t pid; uint32_t uid; uint64_t value; } rt;
		struct { uint64_t addr; } fault;
		struct {
			int32_t pid; uint32_t uid; int32_t status;
			int32_t pad; int64_t utime, stime;
		} chld;
		struct { int64_t band; int32_t fd; } poll;
		uint8_t bytes[112];
	} u;
};
_Static_assert(sizeof(struct siginfo) == 128, "siginfo_t");
_Static_assert(offsetof(struct siginfo, u.kill.pid) == 16, "si_pid");
_Static_assert(offsetof(struct siginfo, u.chld.status) == 24, "si_status");
_Static_assert(offsetof(struct siginfo, u.rt.value) == 24, "si_value");
_Static_assert(offsetof(struct siginfo, u.timer.overrun) == 20, "si_overrun");
_Static_assert(offsetof(struct siginfo, u.chld.utime) == 32, "si_utime");

/* struct sigcontext (64-bit). */
struct sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip;
	uint64_t eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;	/* user address of the 512-byte fxsave area */
	uint64_t reserved1[8];
};
_Static_assert(sizeof(struct sigcontext) == 256, "sigcontext");
_Static_assert(offsetof(struct sigcontext, rip) == 128, "sc.rip");
_Static_assert(offsetof(struct sigcontext, eflags) == 136, "sc.eflags");
_Static_assert(offsetof(struct sigcontext, fpstate) == 184, "sc.fpstate");

struct user_stack {		/* stack_t */
	uint64_t ss_sp;
	int32_t ss_flags;
	int32_t pad;
	uint64_t ss_size;
};

#define UC_SIGCONTEXT_SS	0x2
#define UC_STRICT_RESTORE_SS	0x4

struct ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct user_stack uc_stack;
	struct sigcontext uc_mcontext;
	uint64_t uc_sigmask;
};
_Static_assert(sizeof(struct ucontext) == 304, "ucontext");
_Static_assert(offsetof(struct ucontext, uc_mcontext) == 40, "uc_mcontext");
_Static_assert(offsetof(struct ucontext, uc_sigmask) == 296, "uc_sigmask");

/* What a handler finds at its rsp: the return address, then uc, info. */
struct rt_sigframe {
	uint64_t pretcode;	/* sa_restorer, which calls rt_sigreturn */
	struct ucontext uc;
	struct siginfo info;
};
_Static_assert(offsetof(struct rt_sigframe, uc) == 8, "frame.uc");
_Static_assert(offsetof(struct rt_sigframe, info) == 312, "frame.info");
_Static_assert(sizeof(struct rt_sigframe) == 440, "rt_sigframe");
#endif

#endif
