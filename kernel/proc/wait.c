/*
 * wait4 and waitid: find a child that matches and has something to
 * report: an exit (WEXITED: reaped unless WNOWAIT), a job-control stop
 * (WSTOPPED/WUNTRACED) or a continue (WCONTINUED), each reported once
 * unless WNOWAIT (proc/signal_stop.c keeps them in the child's group);
 * otherwise sleep on our child_exit queue until a child changes.
 */
#include <proc/task.h>
#include <proc/cputime.h>
#include <uapi/resource.h>
#include "internal.h"
#include <lib/string.h>
#include <mm/uaccess.h>
#include <syscall/syscall.h>
#include <uapi/errno.h>
#include <uapi/signal.h>
#include <uapi/wait.h>

struct wait_req {
	int idtype;		/* P_ALL, P_PID, P_PGID */
	pid_t id;
	int options;
};

struct wait_result {
	pid_t pid;
	uid_t uid;
	int status;		/* wait status word */
	int code;		/* waitid's si_code: CLD_* */
	struct rusage ru;	/* the child's and its children's usage */
};

/*
 * Linux's eligible_child: the id matches, and a child whose exit signal
 * is not SIGCHLD (a "clone child") is seen only with __WCLONE, the others
 * only without it, unless __WALL. With __WNOTHREAD only the caller's own
 * children: those its thread forked (pdeath_parent is Linux's
 * real_parent, handed to another live thread when that thread exits),
 * not those of the other threads of its process.
 */
static bool wait_matches(const struct wait_req *w, const struct task *c)
{
	if ((w->options & __WNOTHREAD) && c->pdeath_parent != current)
		return false;
	if (!(w->options & __WALL) &&
	    (c->exit_signal != SIGCHLD) != !!(w->options & __WCLONE))
		return false;
	switch (w->idtype) {
	case P_PID:
		return c->tgid == w->id;
	case P_PGID:
		return task_pgid(c) == w->id;
	default:
		return true;
	}
}

/*
 * A stop or continue of c to report (proc_tree_lock held; the group's
 * report fields are written under it): fill *res, consume it unless
 * WNOWAIT. Status words as Linux: sig << 8 | 0x7f, and 0xffff.
 */
static bool job_change(const struct wait_req *w, struct task *c,
		       struct wait_result *res)
{
	struct thread_group *g = c->group;
	bool keep = w->options & WNOWAIT;

	spin_assert_held(&proc_tree_lock);
	res->pid = c->tgid;
	res->uid = c->cred.uid;
	if ((w->options & WSTOPPED) && g->stop_report && g->stopped) {
		res->status = (g->stop_report << 8) | 0x7f;
		res->code = CLD_STOPPED;
		if (!keep)
			g->stop_report = 0;
		return true;
	}
	if ((w->options & WCONTINUED) && g->cont_report) {
		res->status = 0xffff;
		res->code = CLD_CONTINUED;
		if (!keep)
			g->cont_report = false;
		return true;
	}
	return false;
}

/*
 * 1 with *res filled, 0 for WNOHANG with nothing ready, or -errno. The
 * children of a process hang off its leader, whichever thread made them,
 * so any thread waits for any of them, as in Linux (unless __WNOTHREAD:
 * wait_matches).
 */
static int do_wait(const struct wait_req *w, struct wait_result *res)
{
	struct task *self = current->group->leader;

	for (;;) {
		struct task *c, *found = NULL;
		bool any = false;

		spin_lock(&proc_tree_lock);
		list_for_each_entry(c, &self->children, sibling) {
			if (!wait_matches(w, c))
				continue;
			any = true;
			if (c->exited && (w->options & WEXITED)) {
				found = c;
				break;
			}
			if (!c->exited && job_change(w, c, res)) {
				spin_unlock(&proc_tree_lock);
				return 1;
			}
		}
		if (found) {
			res->pid = found->tgid;
			res->uid = found->cred.uid;
			res->status = found->exit_code;
			res->code = 0;
			bool reap = !(w->options & WNOWAIT);
			if (reap) {
				list_del(&found->sibling);
				cputime_reap(self->group, found);
			}
			spin_unlock(&proc_tree_lock);
			rusage_fill(found, RUSAGE_BOTH, &res->ru);
			if (reap)
				task_reap(found);
			return 1;
		}
		if (!any || (w->options & WNOHANG)) {
			spin_unlock(&proc_tree_lock);
			return any ? 0 : -ECHILD;
		}
		spin_lock(&self->child_exit.lock);
		spin_unlock(&proc_tree_lock);
		int err = waitq_sleep(&self->child_exit);
		spin_unlock(&self->child_exit.lock);
		if (err)
			return err;
	}
}

SYSCALL_DEFINE4(wait4, pid_t, pid, int __user *, wstatus, int, options,
		void __user *, rusage)
{
	struct wait_req w = { .options = options | WEXITED };
	struct wait_result res;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD |
			__WCLONE | __WALL))
		return -EINVAL;
	if (pid == (pid_t)0x80000000)
		return -ESRCH;		/* -INT_MIN is no group (Linux) */
	if (pid == -1) {
		w.idtype = P_ALL;
	} else if (pid > 0) {
		w.idtype = P_PID;
		w.id = pid;
	} else if (pid == 0) {
		w.idtype = P_PGID;
		w.id = task_pgid(current);
	} else {
		w.idtype = P_PGID;
		w.id = -pid;
	}
	int r = do_wait(&w, &res);
	if (r <= 0)
		return r;
	if (wstatus && put_user(res.status, wstatus))
		return -EFAULT;
	if (rusage && copy_to_user(rusage, &res.ru, sizeof(res.ru)))
		return -EFAULT;
	return res.pid;
}

static void fill_siginfo(struct siginfo_chld *si, const struct wait_result *r)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = SIGCHLD;
	si->si_pid = r->pid;
	si->si_uid = r->uid;
	if (r->code) {			/* stopped or continued */
		si->si_code = r->code;
		si->si_status = r->code == CLD_STOPPED ? (r->status >> 8) & 0xff
						       : SIGCONT;
	} else if ((r->status & 0x7f) == 0) {
		si->si_code = CLD_EXITED;
		si->si_status = (r->status >> 8) & 0xff;
	} else {
		si->si_code = (r->status & 0x80) ? CLD_DUMPED : CLD_KILLED;
		si->si_status = r->status & 0x7f;
	}
}

SYSCALL_DEFINE5(waitid, int, idtype, pid_t, id, void __user *, infop,
		int, options, void __user *, rusage)
{
	struct wait_req w = { .idtype = idtype, .id = id, .options = options };
	struct wait_result res;
	struct siginfo_chld si;

	if (options & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED |
			__WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	if (idtype != P_ALL && idtype != P_PID && idtype != P_PGID)
		return -EINVAL;
	if (idtype == P_PGID && id == 0)
		w.id = task_pgid(current);
	if ((idtype == P_PID || idtype == P_PGID) && w.id <= 0)
		return -EINVAL;
	int r = do_wait(&w, &res);
	if (r < 0)
		return r;
	if (r)
		fill_siginfo(&si, &res);
	else
		memset(&si, 0, sizeof(si));
	if (infop && copy_to_user(infop, &si, sizeof(si)))
		return -EFAULT;
	if (rusage && (r ? copy_to_user(rusage, &res.ru, sizeof(res.ru))
			 : clear_user(rusage, RUSAGE_SIZE)))
		return -EFAULT;
	return 0;
}
