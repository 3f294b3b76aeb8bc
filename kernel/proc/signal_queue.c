/*
 * Queued real-time signals. A standard signal is one pending bit and one
 * ksiginfo slot per number (a second one merges); a real-time signal
 * (SIGRTMIN..64) is also one entry per instance on a list, so every one
 * sent is delivered, in order, with its own siginfo (Linux's sigqueue).
 *
 * Entries count against their receiver's real user: at most
 * RLIMIT_SIGPENDING of the receiver each (Linux's per-user ucounts).
 * Over the limit no entry is made: the sender fails with EAGAIN, except
 * kill() (SI_USER), whose signal stays pending without its siginfo,
 * merged with the instances already queued (signal_send.c), as on Linux.
 * Only queued real-time entries are counted (Linux counts pending
 * standard signals too). The per-user counters live in a small table; a
 * user with no free slot is treated as over the limit.
 *
 * A POSIX timer's signal is never lost to the limit: Linux preallocates
 * its entry at timer_create, so expiry always finds one. Here it is
 * queued even over the limit (counted if there is room). As Linux's
 * one entry per timer, a timer holds at most one: an expiry while its
 * signal still waits updates that entry (a periodic timer waits anyway
 * for its signal to be taken, its overrun growing: time/posix_timer.c).
 */
#include <proc/signal.h>
#include <proc/task.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <uapi/errno.h>
#include <uapi/resource.h>

#define SIGQ_USERS	64

static struct spinlock users_lock = SPINLOCK_INIT("sigq_users");
static struct { uid_t uid; unsigned long count; } users[SIGQ_USERS];

/* Count one more entry for uid if it stays within limit. */
static bool user_charge(uid_t uid, uint64_t limit)
{
	int free_slot = -1;
	bool ok = false;

	spin_lock(&users_lock);
	for (int i = 0; i < SIGQ_USERS; i++) {
		if (users[i].count && users[i].uid == uid) {
			ok = users[i].count + 1 <= limit;
			users[i].count += ok;
			goto out;
		}
		if (!users[i].count && free_slot < 0)
			free_slot = i;
	}
	if (free_slot >= 0 && limit >= 1) {
		users[free_slot].uid = uid;
		users[free_slot].count = 1;
		ok = true;
	}
out:
	spin_unlock(&users_lock);
	return ok;
}

static void user_uncharge(uid_t uid)
{
	spin_lock(&users_lock);
	for (int i = 0; i < SIGQ_USERS; i++)
		if (users[i].count && users[i].uid == uid) {
			users[i].count--;
			break;
		}
	spin_unlock(&users_lock);
}

/* The entry a timer's signal still has on q, or NULL. */
static struct sigqueue *timer_entry(struct sigqueue_list *q, int sig,
				    const struct ksiginfo *info)
{
	struct sigqueue *e;

	for (e = q->head; e; e = e->next)
		if (e->sig == sig && e->info.from_timer &&
		    e->info.timerid == info->timerid)
			return e;
	return NULL;
}

int sigqueue_add(struct sigqueue_list *q, struct task *target, int sig,
		 const struct ksiginfo *info)
{
	uid_t uid = target->cred.uid;
	struct sigqueue *e;
	bool charged;

	spin_assert_held(&target->group->siglock);
	if (info->from_timer && (e = timer_entry(q, sig, info))) {
		e->info = *info;	/* the latest arming's */
		return 0;
	}
	charged = user_charge(uid, target->rlimits[RLIMIT_SIGPENDING][0]);

	if (!charged && !info->from_timer)
		return -EAGAIN;
	e = kmalloc(sizeof(*e));
	if (!e) {
		if (charged)
			user_uncharge(uid);
		return -EAGAIN;
	}
	e->next = NULL;
	e->sig = sig;
	e->user = uid;
	e->charged = charged;
	e->info = *info;
	if (q->head)
		q->last->next = e;
	else
		q->head = e;
	q->last = e;
	return 0;
}

static void entry_free(struct sigqueue *e)
{
	if (e->charged)
		user_uncharge(e->user);
	kfree(e);
}

bool sigqueue_take(struct sigqueue_list *q, int sig, struct ksiginfo *info,
		   bool *more)
{
	struct sigqueue **pp = &q->head, *e, *prev = NULL;

	*more = false;
	for (; (e = *pp) != NULL; prev = e, pp = &e->next)
		if (e->sig == sig)
			break;
	if (!e)
		return false;
	*info = e->info;
	*pp = e->next;
	if (q->last == e)
		q->last = prev;
	for (struct sigqueue *n = e->next; n; n = n->next)
		if (n->sig == sig) {
			*more = true;
			break;
		}
	entry_free(e);
	return true;
}

void sigqueue_flush(struct sigqueue_list *q, uint64_t set)
{
	struct sigqueue **pp = &q->head, *e, *prev = NULL;

	while ((e = *pp) != NULL) {
		if (!(set & sig_bit(e->sig))) {
			prev = e;
			pp = &e->next;
			continue;
		}
		*pp = e->next;
		if (q->last == e)
			q->last = prev;
		entry_free(e);
	}
	if (!q->head)
		q->last = NULL;
}
