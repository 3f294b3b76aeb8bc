/*
 * The alternate signal stack (sigaltstack) and rt_sigsuspend, the two
 * pieces of per-thread signal state that only the thread itself changes
 * (current->sas, current->saved_sigmask).
 *
 * A handler installed with SA_ONSTACK runs on the alternate stack unless
 * the thread is already on it (then the frame goes below, on the same
 * stack; overflowing its bottom is a SIGSEGV). The stack cannot be changed
 * while running on it (EPERM); SS_AUTODISARM clears it for the duration
 * of a handler (the frame's uc_stack gives it back at rt_sigreturn).
 * Linux's rules (kernel/signal.c do_sigaltstack).
 */
#include <proc/signal.h>
#include <proc/task.h>
#include <arch/trapframe.h>
#include <mm/uaccess.h>
#include <syscall/syscall.h>
#include <uapi/errno.h>

bool signal_within_altstack(uint64_t sp)
{
	const struct sigaltstack_state *s = &current->sas;

	return sp > s->sp && sp - s->sp <= s->size;
}

/* With SS_AUTODISARM a thread never counts as on its stack (Linux). */
bool signal_on_altstack(uint64_t sp)
{
	if (current->sas.flags & SS_AUTODISARM)
		return false;
	return signal_within_altstack(sp);
}

int signal_altstack_flags(uint64_t sp)
{
	if (!current->sas.size)
		return SS_DISABLE;
	return signal_on_altstack(sp) ? SS_ONSTACK : 0;
}

void signal_altstack_save(struct user_stack *us, uint64_t sp)
{
	struct sigaltstack_state *s = &current->sas;

	us->ss_sp = s->sp;
	us->ss_flags = signal_altstack_flags(sp) | (int32_t)(s->flags &
							    SS_AUTODISARM);
	us->pad = 0;
	us->ss_size = s->size;
	if (s->flags & SS_AUTODISARM)
		*s = (struct sigaltstack_state){ 0 };
}

int signal_altstack_set(const struct user_stack *ss, uint64_t sp)
{
	struct sigaltstack_state *s = &current->sas;
	uint32_t flags = (uint32_t)ss->ss_flags, mode = flags & ~SS_AUTODISARM;
	uint64_t size = ss->ss_size, base = ss->ss_sp;

	if (signal_on_altstack(sp))
		return -EPERM;
	if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
		return -EINVAL;
	if (s->sp == base && s->size == size && s->flags == flags)
		return 0;
	if (mode == SS_DISABLE) {
		base = size = 0;
	} else if (size < MINSIGSTKSZ) {
		return -ENOMEM;
	}
	s->sp = base;
	s->size = size;
	s->flags = flags;
	return 0;
}

SYSCALL_DEFINE2(sigaltstack, const struct user_stack __user *, uss,
		struct user_stack __user *, uoss)
{
	uint64_t sp = current->regs->rsp;
	struct user_stack ss, old;
	int err = 0;

	if (uss && copy_from_user(&ss, uss, sizeof(ss)))
		return -EFAULT;
	if (uoss) {
		old.ss_sp = current->sas.sp;
		old.ss_size = current->sas.size;
		old.ss_flags = signal_altstack_flags(sp) |
			       (int32_t)(current->sas.flags & SS_AUTODISARM);
		old.pad = 0;
	}
	if (uss)
		err = signal_altstack_set(&ss, sp);
	if (!err && uoss && copy_to_user(uoss, &old, sizeof(old)))
		err = -EFAULT;
	return err;
}

/*
 * Sleep with the given mask until a signal is delivered; the handler's
 * frame keeps the old mask, which rt_sigreturn (or delivery, if no
 * handler runs) puts back. Always "fails" with EINTR (ERESTARTNOHAND).
 */
SYSCALL_DEFINE2(rt_sigsuspend, const uint64_t __user *, uset,
		size_t, sigsetsize)
{
	struct task *t = current;
	struct waitq wq;
	uint64_t set;

	if (sigsetsize != sizeof(set))
		return -EINVAL;
	if (copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	t->saved_sigmask = t->sigmask;
	t->sigmask = set & ~UNBLOCKABLE;
	waitq_init(&wq, "sigsuspend");
	spin_lock(&wq.lock);
	while (waitq_sleep(&wq) == 0)
		;
	spin_unlock(&wq.lock);
	t->restore_sigmask = true;
	return -ERESTARTNOHAND;
}
