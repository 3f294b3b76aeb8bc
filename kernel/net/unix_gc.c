/*
 * Garbage collection of sockets that only in-flight messages keep alive
 * (Linux's unix_gc, in its simple form). Pass socket A over a connection
 * whose receiving end is A itself (or a ring of such sockets), close
 * every descriptor: each file is then referenced only by messages queued
 * on sockets of the ring, and nothing could ever read them.
 *
 * Run after a socket close while any socket is in flight, under the
 * global lock:
 *  1. Candidates: sockets whose file's every reference is in flight
 *     (refcount == inflight).
 *  2. For each candidate, count the references coming from candidates'
 *     queues: what is left (gc_count > 0) comes from outside.
 *  3. A candidate referenced from outside is alive, and so is everything
 *     its queue carries: give those their references back (so they
 *     count as referenced from outside too), until nothing changes.
 *  4. The rest is garbage: its queued messages are taken away and freed
 *     with the lock dropped, which drops the last file references and
 *     so closes the sockets.
 * Limit: connections waiting on a listener's accept queue are not
 * looked into (a socket passed over an unaccepted connection to its
 * own listener stays until the listener is closed).
 */
#include "unix.h"

struct list_head *unix_all_sockets(void);

static bool gc_is_candidate(struct unix_sock *u)
{
	return u->inflight && u->file && !u->dead &&
	       __atomic_load_n(&u->file->refcount, __ATOMIC_ACQUIRE) ==
	       u->inflight;
}

/* Call fn on every socket carried in sk's queue. */
static void gc_for_children(struct unix_sock *sk,
			    void (*fn)(struct unix_sock *u))
{
	struct unix_skb *skb;

	list_for_each_entry(skb, &sk->rcvq, link) {
		if (!skb->scm)
			continue;
		for (unsigned int i = 0; i < skb->scm->nfiles; i++) {
			struct unix_sock *u = unix_of_file(skb->scm->files[i]);

			if (u && u->gc_candidate)
				fn(u);
		}
	}
}

static void gc_dec(struct unix_sock *u)
{
	u->gc_count--;
}

static void gc_inc(struct unix_sock *u)
{
	u->gc_count++;
}

void unix_gc(void)
{
	struct list_head *all, doomed;
	struct unix_sock *sk;
	bool any = false;

	list_init(&doomed);
	spin_lock(&unix_wq.lock);
	all = unix_all_sockets();
	list_for_each_entry(sk, all, all_link) {
		sk->gc_candidate = gc_is_candidate(sk);
		sk->gc_count = (int)sk->inflight;
		any |= sk->gc_candidate;
	}
	if (!any) {
		spin_unlock(&unix_wq.lock);
		return;
	}
	list_for_each_entry(sk, all, all_link)
		if (sk->gc_candidate)
			gc_for_children(sk, gc_dec);
	/* Iterate rather than recurse: chains may be long. */
	while (any) {
		any = false;
		list_for_each_entry(sk, all, all_link) {
			if (!sk->gc_candidate || sk->gc_count <= 0)
				continue;
			sk->gc_candidate = false;
			gc_for_children(sk, gc_inc);
			any = true;
		}
	}
	list_for_each_entry(sk, all, all_link) {
		if (!sk->gc_candidate)
			continue;
		while (!list_empty(&sk->rcvq)) {
			struct unix_skb *skb = list_first_entry(&sk->rcvq,
						struct unix_skb, link);

			unix_skb_unlink(sk, skb);
			list_add_tail(&skb->link, &doomed);
		}
		sk->gc_candidate = false;
	}
	spin_unlock(&unix_wq.lock);
	unix_skb_purge(&doomed);
}
