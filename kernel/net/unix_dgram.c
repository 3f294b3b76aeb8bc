/*
 * AF_UNIX datagram and seqpacket sockets: whole messages, each read by
 * one receive (the rest of a long one is dropped: MSG_TRUNC). Datagram
 * sockets send to a name or to their default peer; a receiver connected
 * elsewhere refuses others (EPERM); a receiver holding more than
 * UNIX_DGRAM_QLEN messages from strangers makes them wait. Seqpacket is
 * connection-based (unix_conn.c) and otherwise the same, as in Linux.
 */
#include "unix.h"
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <uapi/poll.h>

/*
 * Whether sk may queue on o now (lock held): 0, 1 (wait), or -errno.
 * o NULL: our default peer is gone.
 */
static int dgram_may_queue(struct unix_sock *sk, struct unix_sock *o)
{
	spin_assert_held(&unix_wq.lock);
	if (!o)
		return -ENOTCONN;
	if (o->dead)
		return -ECONNREFUSED;
	if (o->shut & RCV_SHUTDOWN)
		return -EPIPE;
	if (sk->type == SOCK_DGRAM && o->peer && o->peer != sk)
		return -EPERM;
	if (o->peer != sk && o->rcv_count > UNIX_DGRAM_QLEN)
		return 1;
	if (sk->wmem >= (size_t)sk->sndbuf)
		return 1;
	return 0;
}

/* Queue skb on target (NULL: the default peer); the receiver or error. */
static int dgram_put(struct unix_sock *sk, struct unix_sock *target,
		     struct unix_skb *skb, bool nonblock,
		     struct unix_sock **to)
{
	struct unix_sock *o, *dropped = NULL;
	int err;

	spin_lock(&unix_wq.lock);
	for (;;) {
		o = target ? target : sk->peer;
		if (sk->type == SOCK_SEQPACKET && (sk->shut & SEND_SHUTDOWN)) {
			err = -EPIPE;
			break;
		}
		err = dgram_may_queue(sk, o);
		if (err <= 0)
			break;
		err = unix_wait(nonblock);
		if (err)
			break;
	}
	if (err == -ECONNREFUSED && !target && sk->peer == o) {
		dropped = o;		/* Linux forgets a dead peer */
		sk->peer = NULL;
		sk->state = UNIX_UNCONNECTED;
	}
	if (!err) {
		unix_skb_queue(sk, o, skb);
		unix_hold(o);
		*to = o;
	}
	spin_unlock(&unix_wq.lock);
	unix_put(dropped);
	return err;
}

static int dgram_send_check(struct unix_sock *sk, struct unix_msg *m)
{
	int err = 0;

	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (sk->type == SOCK_SEQPACKET) {
		m->addr = NULL;		/* Linux ignores the name */
		spin_lock(&unix_wq.lock);
		if (sk->state != UNIX_CONNECTED)
			err = -ENOTCONN;
		spin_unlock(&unix_wq.lock);
		if (err)
			return err;
	}
	if (m->len > (size_t)sk->sndbuf - 32)
		return -EMSGSIZE;
	if (sk->passcred && !sk->addr)
		return unix_autobind(sk);
	return 0;
}

ssize_t unix_dgram_send(struct unix_sock *sk, struct unix_msg *m,
			bool nonblock)
{
	struct unix_sock *target = NULL, *to;
	struct unix_skb *skb;
	int err = dgram_send_check(sk, m);

	if (err)
		return err;
	skb = unix_skb_alloc(m->len);
	if (!skb)
		return -ENOMEM;
	/* Linux copies the data in before it looks the name up. */
	if (unix_msg_copy_in(skb->data, m, 0, m->len) != m->len)
		err = -EFAULT;
	else if (m->addr)
		err = unix_find(m->addr, sk->type, &target);
	if (!err) {
		if (m->has_cred)
			skb->cred = m->cred;	/* claimed: SCM_CREDENTIALS */
		else
			unix_cred_current(&skb->cred, false);
		skb->scm = m->scm;
		m->scm = NULL;
		spin_lock(&unix_wq.lock);
		skb->from = unix_addr_dup(sk->addr);
		spin_unlock(&unix_wq.lock);
		err = dgram_put(sk, target, skb, nonblock, &to);
	}
	if (err) {
		unix_skb_free(skb);
	} else {
		unix_wake(to, POLLIN | POLLRDNORM);
		unix_put(to);
	}
	unix_put(target);
	return err ? err : (ssize_t)m->len;
}

/* The head message, waiting for one; lock held. NULL: see *err. */
static struct unix_skb *dgram_next(struct unix_sock *sk, bool nonblock,
				   int *err)
{
	spin_assert_held(&unix_wq.lock);
	for (;;) {
		if (!list_empty(&sk->rcvq))
			return list_first_entry(&sk->rcvq, struct unix_skb,
						link);
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

ssize_t unix_dgram_recv(struct unix_sock *sk, struct unix_msg *m,
			bool nonblock)
{
	bool peek = m->flags & MSG_PEEK;
	struct unix_skb *skb;
	size_t n, moved;
	int err = 0;

	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	mutex_lock(&sk->readlock);
	spin_lock(&unix_wq.lock);
	if (sk->type == SOCK_SEQPACKET && sk->state != UNIX_CONNECTED)
		err = -ENOTCONN;
	skb = err ? NULL : dgram_next(sk, nonblock, &err);
	if (skb) {
		m->cred = skb->cred;
		m->has_cred = true;
		if (peek && skb->scm)
			m->scm = unix_scm_dup(skb->scm);
		if (!peek)
			unix_skb_unlink(sk, skb);
	}
	spin_unlock(&unix_wq.lock);
	if (!skb) {
		mutex_unlock(&sk->readlock);
		return err;
	}
	n = MIN(skb->len, m->len);
	moved = unix_msg_copy_out(m, 0, skb->data, n);
	m->addr = unix_addr_dup(skb->from);
	if (skb->len > m->len)
		m->out_flags |= MSG_TRUNC;
	mutex_unlock(&sk->readlock);
	if (!peek) {
		m->scm = skb->scm;
		skb->scm = NULL;
	}
	n = (m->flags & MSG_TRUNC) ? skb->len : moved;
	if (moved < MIN(skb->len, m->len))
		err = -EFAULT;
	if (!peek)
		unix_skb_free(skb);
	return err ? err : (ssize_t)n;
}
