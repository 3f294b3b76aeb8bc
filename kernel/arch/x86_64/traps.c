/*
 * CPU exceptions. A fault in user mode becomes a signal for the process,
 * delivered on the way back to user mode (a handler may run; if the
 * process dies of it, a one-line kernel message says why); a
 * fault in the kernel is either a user-memory access with an exception
 * table entry, which resumes at its fixup, or a bug, which panics.
 */
#include <types.h>
#include <arch/cpu.h>
#include <arch/trapframe.h>
#include <arch/x86_64/desc.h>
#include <lib/printk.h>
#include <mm/layout.h>
#include <mm/vm.h>
#include <uapi/errno.h>
#include <proc/task.h>
#include <proc/signal.h>

void panic_trap(struct trapframe *tf, uint64_t cr2);

static const int exception_signal[32] = {
	[0] = SIGFPE,	/* divide error */
	[1] = SIGTRAP,	[3] = SIGTRAP,
	[4] = SIGSEGV,	/* overflow */
	[5] = SIGSEGV,	/* bound range */
	[6] = SIGILL,	/* invalid opcode */
	[7] = SIGSEGV,	/* device not available */
	[10] = SIGSEGV, [11] = SIGBUS, [12] = SIGBUS,
	[13] = SIGSEGV,	/* general protection */
	[14] = SIGSEGV,
	[16] = SIGFPE,	/* x87 */
	[17] = SIGBUS,	/* alignment check */
	[19] = SIGFPE,	/* SIMD */
};

/* si_code and si_addr as Linux reports them for each exception. */
static void user_exception(struct trapframe *tf)
{
	int sig = exception_signal[tf->vector];
	int code = SI_KERNEL;
	uint64_t addr = 0;

	switch (tf->vector) {
	case 0:
		code = FPE_INTDIV;
		addr = tf->rip;
		break;
	case 6:
		code = ILL_ILLOPN;
		addr = tf->rip;
		break;
	case 1: case 3:
		code = TRAP_BRKPT;
		addr = tf->rip;
		break;
	}
	signal_force_fault(sig ? sig : SIGSEGV, code, addr, tf->vector,
			   tf->error);
}

void handle_exception(struct trapframe *tf)
{
	if (trapframe_from_user(tf)) {
		user_exception(tf);
		return;
	}
	uint64_t fix = extable_fixup(tf->rip);
	if (fix && tf->vector == 13) {	/* e.g. a non-canonical user pointer */
		tf->rip = fix;
		return;
	}
	panic_trap(tf, read_cr2());
}

static unsigned int fault_flags(const struct trapframe *tf)
{
	unsigned int f = 0;

	if (tf->error & 1)
		f |= FAULT_PRESENT;
	if (tf->error & 2)
		f |= FAULT_WRITE;
	if (tf->error & 4)
		f |= FAULT_USER;
	if (tf->error & 16)
		f |= FAULT_EXEC;
	return f;
}

/*
 * User addresses fault in lazily, from user mode or from copy_*_user in
 * the kernel. Anything vm_fault cannot resolve is a SIGSEGV for a user
 * access (SIGBUS past a file's end; out of memory, a retry), a fixup
 * (-EFAULT) for a checked kernel access, and a panic otherwise.
 * Interrupts are re-enabled while resolving, if the faulting context had
 * them, because resolving may allocate and take locks.
 *
 * A checked access made with a spinlock held (irq_save nesting) is not
 * resolved at all: vm_fault takes mm->lock, which may sleep. It takes
 * its fixup at once, as under Linux's pagefault_disable(); the futex code
 * reads and updates user words this way under its bucket locks.
 */
void handle_page_fault(struct trapframe *tf)
{
	uint64_t addr = read_cr2();
	bool user = trapframe_from_user(tf);
	uint64_t fix = user ? 0 : extable_fixup(tf->rip);
	bool atomic = !user && this_cpu()->irq_depth > 0;
	struct task *t = current;

	int err = -EFAULT;

	if (addr < USER_TOP && t && t->mm && (user || (fix && !atomic))) {
		if (tf->rflags & RFLAGS_IF)
			irq_enable();
		err = vm_fault(t->mm, addr, fault_flags(tf));
		irq_disable();
		if (err == 0)
			return;
	}
	/* No memory even after the OOM killer ran: retry the access (a
	 * killed process dies on the way back), as Linux's
	 * pagefault_out_of_memory; copy_*_user take the fixup below. */
	if (user && err == -ENOMEM)
		return;
	if (user && err == -EIO) {	/* a file page past the end */
		signal_force_fault(SIGBUS, BUS_ADRERR, addr, 14, tf->error);
		return;
	}
	if (user) {
		signal_force_fault(SIGSEGV, err == -EACCES ? SEGV_ACCERR :
				   SEGV_MAPERR, addr, 14, tf->error);
		return;
	}
	if (fix) {
		tf->rip = fix;
		return;
	}
	panic_trap(tf, addr);
}
