/*
 * Per-process switches set by prctl(2) (kernel/proc/prctl.c) and the
 * points of the process life cycle that honour them: fork copies them,
 * exit sends the parent-death signal and finds a reaper for orphans,
 * execve and credential changes make a process non-dumpable.
 */
#ifndef BASALT_PROC_PRCTL_H
#define BASALT_PROC_PRCTL_H

#include <types.h>

struct task;

/* Linux's default timer slack: 50 microseconds. */
#define TIMER_SLACK_DEFAULT_NS	50000

/* Whether t's process may be dumped and its /proc files are its owner's
 * (PR_GET_DUMPABLE: 0 or 1). */
int task_dumpable(const struct task *t);
void task_set_dumpable(struct task *t, int dumpable);

/* Who owns the files of /proc/<pid> (Linux's task_dump_owner): the
 * task's effective ids while it is dumpable, else root. Takes
 * proc_tree_lock. */
void task_proc_owner(pid_t pid, uid_t *uid, gid_t *gid);

/* fork: the child inherits no_new_privs, the timer slack and (a new
 * process) the parent's dumpable flag; not the parent-death signal. */
void prctl_fork(struct task *child);

/*
 * The effective ids of the current task changed (setuid family, setuid
 * execve): like Linux's commit_creds, the process becomes non-dumpable
 * (fs.suid_dumpable is 0) and forgets its parent-death signal.
 */
void prctl_creds_changed(void);

/*
 * Thread t is exiting (proc_tree_lock held): every task whose parent
 * thread it was gets its parent-death signal, and a new parent thread.
 */
void prctl_thread_exit(struct task *t);

/*
 * Who adopts the orphans of leader's process (proc_tree_lock held): the
 * nearest live ancestor that is a child subreaper
 * (PR_SET_CHILD_SUBREAPER), else init. Returns a group leader.
 */
struct task *task_find_reaper(struct task *leader);

#endif
