/*
 * AF_UNIX messages (struct unix_skb): allocation, queueing on a
 * receiver with the sender's send-buffer accounting, and freeing.
 *
 * Freeing a message drops the files it carries, and dropping the last
 * reference of a socket file frees that socket's queued messages, which
 * may carry more sockets: a chain as long as the user cares to build.
 * So messages are not freed recursively: unix_skb_purge hands them to
 * one freeing loop (the first caller's), which frees until the list is
 * empty, keeping the kernel stack shallow.
 */
#include "unix.h"
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <proc/sched.h>
#include <uapi/poll.h>

static LIST_HEAD(skb_doomed);		/* unix_wq.lock */
static bool skb_freeing;		/* a loop is at work; unix_wq.lock */

struct unix_skb *unix_skb_alloc(size_t len)
{
	struct unix_skb *skb = kmalloc(sizeof(*skb) + len + 1);

	if (!skb)
		return NULL;
	memset(skb, 0, sizeof(*skb));
	skb->len = len;
	return skb;
}

static size_t skb_charge(const struct unix_skb *skb)
{
	return skb->len + UNIX_SKB_OVERHEAD;
}

void unix_skb_queue(struct unix_sock *sk, struct unix_sock *to,
		    struct unix_skb *skb)
{
	spin_assert_held(&unix_wq.lock);
	unix_hold(sk);
	skb->owner = sk;
	sk->wmem += skb_charge(skb);
	list_add_tail(&skb->link, &to->rcvq);
	to->rcv_count++;
	to->rcv_bytes += skb->len - skb->off;
	if (skb->scm)
		unix_scm_inflight(skb->scm, 1);
}

void unix_skb_unlink(struct unix_sock *sk, struct unix_skb *skb)
{
	spin_assert_held(&unix_wq.lock);
	list_del(&skb->link);
	sk->rcv_count--;
	sk->rcv_bytes -= skb->len - skb->off;
	if (skb->scm)
		unix_scm_inflight(skb->scm, -1);
}

/* The freeing proper: owner's buffer space back, files dropped. */
static void skb_destroy(struct unix_skb *skb)
{
	struct unix_sock *owner = skb->owner;

	if (owner) {
		spin_lock(&unix_wq.lock);
		owner->wmem -= skb_charge(skb);
		spin_unlock(&unix_wq.lock);
		unix_wake(owner, POLLOUT | POLLWRNORM | POLLWRBAND);
		unix_put(owner);
	}
	unix_scm_free(skb->scm);
	kfree(skb->from);
	kfree(skb);
}

void unix_skb_purge(struct list_head *list)
{
	bool mine;

	spin_lock(&unix_wq.lock);
	while (!list_empty(list)) {
		struct list_head *e = list->next;

		list_del(e);
		list_add_tail(e, &skb_doomed);
	}
	mine = !skb_freeing;
	skb_freeing = true;
	while (mine && !list_empty(&skb_doomed)) {
		struct unix_skb *skb = list_first_entry(&skb_doomed,
							struct unix_skb, link);

		list_del(&skb->link);
		spin_unlock(&unix_wq.lock);
		skb_destroy(skb);	/* may purge more: they queue up */
		cond_resched();
		spin_lock(&unix_wq.lock);
	}
	if (mine)
		skb_freeing = false;
	spin_unlock(&unix_wq.lock);
}

void unix_skb_free(struct unix_skb *skb)
{
	struct list_head one;

	list_init(&one);
	list_add_tail(&skb->link, &one);
	unix_skb_purge(&one);
}

int unix_wait(bool nonblock)
{
	spin_assert_held(&unix_wq.lock);
	if (nonblock)
		return -EAGAIN;
	return waitq_sleep(&unix_wq);
}
