/*
 * AF_UNIX stream sockets: sending as messages of at most
 * UNIX_STREAM_CHUNK bytes queued on the peer, waiting while our own
 * in-flight bytes fill the send buffer (Linux's sk_wmem_alloc against
 * sk_sndbuf); receiving as a byte stream across messages, which stops
 * after a message that carried files, and (for an SO_PASSCRED reader)
 * before a different sender's, as Linux's unix_stream_read_generic.
 */
#include "unix.h"
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <uapi/poll.h>

/* Queue one chunk on the peer, waiting for send-buffer room. */
static int stream_put(struct unix_sock *sk, struct unix_skb *skb,
		      bool nonblock)
{
	struct unix_sock *peer;
	int err = 0;

	spin_lock(&unix_wq.lock);
	for (;;) {
		peer = sk->peer;
		if (!peer || (sk->shut & SEND_SHUTDOWN) || peer->dead ||
		    (peer->shut & RCV_SHUTDOWN)) {
			err = -EPIPE;
			break;
		}
		if (sk->wmem < (size_t)sk->sndbuf)
			break;
		err = unix_wait(nonblock);
		if (err)
			break;
	}
	if (!err) {
		unix_skb_queue(sk, peer, skb);
		unix_hold(peer);
	}
	spin_unlock(&unix_wq.lock);
	if (!err) {
		unix_wake(peer, POLLIN | POLLRDNORM);
		unix_put(peer);
	}
	return err;
}

/* The checks before any data moves (Linux's order). */
static int stream_send_check(struct unix_sock *sk, struct unix_msg *m)
{
	int err = 0;

	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	spin_lock(&unix_wq.lock);
	if (m->addr)
		err = sk->state == UNIX_CONNECTED ? -EISCONN : -EOPNOTSUPP;
	else if (!sk->peer)
		err = -ENOTCONN;
	else if (sk->shut & SEND_SHUTDOWN)
		err = -EPIPE;
	spin_unlock(&unix_wq.lock);
	return err;
}

ssize_t unix_stream_send(struct unix_sock *sk, struct unix_msg *m,
			 bool nonblock)
{
	size_t sent = 0, max = MIN((size_t)UNIX_STREAM_CHUNK,
				   (size_t)sk->sndbuf / 2 - 64);
	int err = stream_send_check(sk, m);

	while (!err && sent < m->len) {
		size_t n = MIN(m->len - sent, max);
		struct unix_skb *skb = unix_skb_alloc(n);

		if (!skb) {
			err = -ENOMEM;
			break;
		}
		if (unix_msg_copy_in(skb->data, m, sent, n) != n) {
			unix_skb_free(skb);
			err = -EFAULT;
			break;
		}
		if (m->has_cred)
			skb->cred = m->cred;	/* claimed: SCM_CREDENTIALS */
		else
			unix_cred_current(&skb->cred, false);
		skb->scm = m->scm;	/* files go with the first chunk */
		err = stream_put(sk, skb, nonblock);
		if (err) {
			unix_skb_free(skb);	/* frees the scm with it */
			m->scm = NULL;
			break;
		}
		m->scm = NULL;
		sent += n;
	}
	return sent ? (ssize_t)sent : err;
}

static bool same_cred(const struct unix_cred *a, const struct unix_cred *b)
{
	return a->pid == b->pid && a->uid == b->uid && a->gid == b->gid;
}

/*
 * The next message to read from, waiting for one; lock held. after is
 * the message a peek read last (NULL: start at the head). NULL with *err
 * 0 is end of file (or enough copied).
 */
static struct unix_skb *stream_next(struct unix_sock *sk,
				    struct unix_skb *after, size_t copied,
				    size_t target, bool nonblock, int *err)
{
	spin_assert_held(&unix_wq.lock);
	for (;;) {
		struct list_head *e = after ? after->link.next : sk->rcvq.next;

		if (e != &sk->rcvq)
			return list_entry(e, struct unix_skb, link);
		if (copied >= target)
			return NULL;
		if (sk->err) {
			*err = -sk->err;
			sk->err = 0;
			return NULL;
		}
		if (sk->shut & RCV_SHUTDOWN)
			return NULL;
		*err = unix_wait(nonblock);
		if (*err)
			return NULL;
	}
}

/* Note what the first message read brings: its sender. */
static void stream_note_sender(struct unix_msg *m, struct unix_skb *skb)
{
	m->cred = skb->cred;
	m->has_cred = true;
	if (skb->owner && skb->owner->addr)
		m->addr = unix_addr_dup(skb->owner->addr);
}

/*
 * Account n bytes read from skb (lock held): without MSG_PEEK they
 * leave, and a drained message is moved to done for freeing. Its files
 * come with it (a peek gets copies later).
 */
static void stream_consume(struct unix_sock *sk, struct unix_skb *skb,
			   size_t n, struct unix_msg *m,
			   struct list_head *done)
{
	spin_assert_held(&unix_wq.lock);
	if (skb->scm) {
		unix_scm_inflight(skb->scm, -1);
		m->scm = skb->scm;
		skb->scm = NULL;
	}
	skb->off += n;
	sk->rcv_bytes -= n;
	if (skb->off == skb->len) {
		unix_skb_unlink(sk, skb);
		list_add_tail(&skb->link, done);
	}
}

ssize_t unix_stream_recv(struct unix_sock *sk, struct unix_msg *m,
			 bool nonblock)
{
	bool peek = m->flags & MSG_PEEK;
	size_t copied = 0, target = (m->flags & MSG_WAITALL) ? m->len :
				    MIN(m->len, (size_t)1);
	struct unix_skb *skb, *after = NULL;
	struct unix_scm *peeked = NULL;
	struct list_head done;
	int err = 0;

	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	list_init(&done);
	mutex_lock(&sk->readlock);
	spin_lock(&unix_wq.lock);
	if (sk->state != UNIX_CONNECTED)
		err = -EINVAL;
	while (!err && (copied < m->len || !m->len)) {
		size_t start, n, moved;

		skb = stream_next(sk, after, copied, target, nonblock, &err);
		if (!skb)
			break;
		if (m->has_cred && sk->passcred &&
		    !same_cred(&m->cred, &skb->cred))
			break;	/* never glue writers together */
		if (!m->has_cred)
			stream_note_sender(m, skb);
		start = skb->off;
		n = MIN(skb->len - start, m->len - copied);
		spin_unlock(&unix_wq.lock);
		moved = unix_msg_copy_out(m, copied, skb->data + start, n);
		spin_lock(&unix_wq.lock);
		if (peek) {
			if (skb->scm && !peeked)
				peeked = skb->scm;	/* copied below */
			after = skb;
		} else {
			stream_consume(sk, skb, moved, m, &done);
		}
		copied += moved;
		if (moved < n) {
			err = -EFAULT;
			break;
		}
		if (m->scm || peeked || !m->len)
			break;
	}
	if (peeked)
		m->scm = unix_scm_dup(peeked);	/* refs only: no sleep */
	spin_unlock(&unix_wq.lock);
	mutex_unlock(&sk->readlock);
	unix_skb_purge(&done);
	return copied ? (ssize_t)copied : err;
}
