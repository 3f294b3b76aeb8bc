/*
 * Sockets as files: making and freeing AF_UNIX sockets, their file
 * operations (read, write, poll, ioctl, close), and the socket and
 * socketpair calls. Every other family fails with EAFNOSUPPORT: Basalt
 * has no network (docs/sockets.md).
 */
#include "unix.h"
#include <fs/anon.h>
#include <fs/fs.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/uaccess.h>
#include <proc/signal.h>
#include <proc/task.h>
#include <uapi/fcntl.h>
#include <uapi/poll.h>
#include <uapi/signal.h>
#include <uapi/stat.h>
#include <net/net.h>
#include <syscall/syscall.h>

struct waitq unix_wq;
static LIST_HEAD(unix_all);		/* every socket; unix_wq.lock */
static const struct file_ops unix_file_ops;

void unix_init(void)
{
	waitq_init(&unix_wq, "unix");
	unix_addr_init();
}

struct unix_sock *unix_alloc(int type)
{
	struct unix_sock *sk = kzalloc(sizeof(*sk));

	if (!sk)
		return NULL;
	sk->refcount = 1;
	sk->type = type;
	mutex_init(&sk->readlock, "unix read");
	poll_head_init(&sk->poll, "unix poll");
	list_init(&sk->rcvq);
	list_init(&sk->pending);
	list_init(&sk->bound_link);
	sk->sndbuf = UNIX_BUF_DEFAULT;
	sk->rcvbuf = UNIX_BUF_DEFAULT;
	sk->peercred.pid = 0;
	sk->peercred.uid = sk->peercred.gid = (uint32_t)-1;
	spin_lock(&unix_wq.lock);
	list_add_tail(&sk->all_link, &unix_all);
	spin_unlock(&unix_wq.lock);
	return sk;
}

void unix_hold(struct unix_sock *sk)
{
	__atomic_add_fetch(&sk->refcount, 1, __ATOMIC_RELAXED);
}

void unix_put(struct unix_sock *sk)
{
	if (!sk || __atomic_sub_fetch(&sk->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	spin_lock(&unix_wq.lock);
	list_del(&sk->all_link);
	spin_unlock(&unix_wq.lock);
	kfree(sk->addr);
	kfree(sk);
}

/* Walk every socket (the GC); lock held. */
struct list_head *unix_all_sockets(void)
{
	spin_assert_held(&unix_wq.lock);
	return &unix_all;
}

void unix_wake(struct unix_sock *sk, unsigned int events)
{
	waitq_wake_all(&unix_wq);
	if (sk)
		poll_notify(&sk->poll, events);
}

void unix_cred_current(struct unix_cred *c, bool effective)
{
	c->pid = current->tgid;
	c->uid = effective ? current->cred.euid : current->cred.uid;
	c->gid = effective ? current->cred.egid : current->cred.gid;
}

/*
 * The end of a socket (its file closed) or of an embryo nobody accepted:
 * the peer of a connection sees end of file (and ECONNRESET if we left
 * data unread), our name goes, queued messages and connections are
 * dropped with the lock released (freeing them may close more sockets).
 */
void unix_release(struct unix_sock *sk, bool embryo)
{
	struct list_head rcvq, pending;
	struct unix_sock *peer;

	list_init(&rcvq);
	list_init(&pending);
	spin_lock(&unix_wq.lock);
	sk->dead = true;
	sk->file = NULL;	/* being freed: the GC must not look at it */
	sk->shut = SHUTDOWN_MASK;
	sk->state = UNIX_UNCONNECTED;
	peer = sk->peer;
	sk->peer = NULL;
	if (peer && sk->type != SOCK_DGRAM) {
		peer->shut = SHUTDOWN_MASK;
		if (!list_empty(&sk->rcvq) || embryo)
			peer->err = ECONNRESET;
	}
	unix_unbind(sk);
	while (!list_empty(&sk->rcvq)) {
		struct unix_skb *skb = list_first_entry(&sk->rcvq,
							struct unix_skb, link);

		unix_skb_unlink(sk, skb);
		list_add_tail(&skb->link, &rcvq);
	}
	while (!list_empty(&sk->pending)) {
		struct list_head *e = sk->pending.next;

		list_del(e);
		list_add_tail(e, &pending);
	}
	sk->npending = 0;
	spin_unlock(&unix_wq.lock);
	unix_wake(peer, POLLIN | POLLOUT | POLLHUP | POLLRDHUP | POLLERR);
	unix_wake(sk, 0);
	unix_skb_purge(&rcvq);
	while (!list_empty(&pending)) {
		struct unix_sock *e = list_first_entry(&pending,
						       struct unix_sock,
						       pending_link);

		list_del(&e->pending_link);
		unix_release(e, true);
	}
	unix_put(peer);
	if (sk->node) {
		fs_socket_put(sk->node);
		sk->node = NULL;
	}
	unix_put(sk);
}

/* ---- The socket file ---------------------------------------------------- */

struct unix_sock *unix_of_file(struct file *f)
{
	return f && f->ops == &unix_file_ops ? f->private : NULL;
}

int unix_from_fd(int fd, struct file **fp, struct unix_sock **out)
{
	struct file *f = fd_get(fd);

	if (!f || (f->mode & FMODE_PATH)) {
		file_put(f);
		return -EBADF;
	}
	*out = unix_of_file(f);
	if (!*out) {
		file_put(f);
		return -ENOTSOCK;
	}
	*fp = f;
	return 0;
}

static ssize_t unix_file_read(struct file *f, struct iobuf *io, off_t *pos)
{
	struct unix_msg m = { .iov = io, .niov = 1, .len = io->len };
	ssize_t r = unix_recv(f, f->private, &m);

	unix_scm_free(m.scm);	/* read(2) has nowhere to put files */
	kfree(m.addr);
	return r;
}

static ssize_t unix_file_write(struct file *f, struct iobuf *io,
			       off_t *pos)
{
	struct unix_msg m = { .iov = io, .niov = 1, .len = io->len };

	return unix_send(f, f->private, &m);
}

/* Whether sk may send (Linux's unix_writable); lock held. */
static bool unix_writable(struct unix_sock *sk)
{
	spin_assert_held(&unix_wq.lock);
	return sk->state != UNIX_LISTENING &&
	       (sk->wmem << 2) <= (size_t)sk->sndbuf;
}

/* Linux's unix_poll and unix_dgram_poll. */
static unsigned int unix_poll(struct file *f)
{
	struct unix_sock *sk = f->private, *other;
	unsigned int mask = 0;
	bool conn = sk->type != SOCK_DGRAM;

	spin_lock(&unix_wq.lock);
	if (sk->err)
		mask |= POLLERR;
	if (sk->shut == SHUTDOWN_MASK)
		mask |= POLLHUP;
	if (sk->shut & RCV_SHUTDOWN)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (!list_empty(&sk->rcvq) || sk->npending)
		mask |= POLLIN | POLLRDNORM;
	if (conn && sk->state == UNIX_UNCONNECTED)
		mask |= POLLHUP;
	if (unix_writable(sk)) {
		other = sk->peer;
		if (sk->type != SOCK_STREAM && other && !other->dead &&
		    other->peer != sk && other->rcv_count > UNIX_DGRAM_QLEN)
			;	/* the peer's queue is full */
		else
			mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
	}
	spin_unlock(&unix_wq.lock);
	return mask;
}

static struct poll_head *unix_poll_head(struct file *f)
{
	return &((struct unix_sock *)f->private)->poll;
}

static long unix_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct unix_sock *sk = f->private;
	int n;

	spin_lock(&unix_wq.lock);
	if (cmd == FIONREAD_SOCK && sk->type == SOCK_STREAM)
		n = (int)sk->rcv_bytes;
	else if (cmd == FIONREAD_SOCK)
		n = list_empty(&sk->rcvq) ? 0 :
		    (int)list_first_entry(&sk->rcvq, struct unix_skb,
					  link)->len;
	else if (cmd == SIOCOUTQ)
		n = (int)sk->wmem;
	else
		n = -1;
	if (cmd == FIONREAD_SOCK && sk->state == UNIX_LISTENING)
		n = -2;
	spin_unlock(&unix_wq.lock);
	if (n == -1)
		return -ENOTTY;
	if (n == -2)
		return -EINVAL;
	return put_user(n, (int __user *)arg) ? -EFAULT : 0;
}

static void unix_file_release(struct file *f)
{
	unix_release(f->private, false);
	if (unix_inflight_any())
		unix_gc();
}

static const struct file_ops unix_file_ops = {
	.release = unix_file_release,
	.read = unix_file_read,
	.write = unix_file_write,
	.poll = unix_poll,
	.poll_head = unix_poll_head,
	.ioctl = unix_ioctl,
};

struct file *unix_file_open(struct unix_sock *sk, int flags)
{
	struct file *f = anon_file_open("socket:[%lu]", S_IFSOCK | 0777,
					&unix_file_ops, sk, flags);

	if (!IS_ERR(f))
		sk->file = f;
	return f;
}

/* ---- socket(2), socketpair(2) ------------------------------------------ */

/* Linux's __sock_create and unix_create checks; the type, or -errno. */
static int unix_check_create(int family, int type, int protocol)
{
	int kind = type & SOCK_TYPE_MASK;

	if (type & ~(SOCK_TYPE_MASK | SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	if (family < 0 || family >= AF_MAX)
		return -EAFNOSUPPORT;
	if (kind >= SOCK_MAX)
		return -EINVAL;
	if (family != AF_UNIX)
		return -EAFNOSUPPORT;	/* no network here */
	if (protocol && protocol != AF_UNIX)
		return -EPROTONOSUPPORT;
	switch (kind) {
	case SOCK_STREAM:
	case SOCK_DGRAM:
	case SOCK_SEQPACKET:
		return kind;
	case SOCK_RAW:
		return SOCK_DGRAM;	/* as Linux */
	default:
		return -ESOCKTNOSUPPORT;
	}
}

/* A new socket as a file, installed; the descriptor or -errno. */
static long unix_socket_fd(struct unix_sock *sk, int flags)
{
	struct file *f = unix_file_open(sk, flags & SOCK_NONBLOCK);
	int fd;

	if (IS_ERR(f)) {
		unix_release(sk, false);
		return PTR_ERR(f);
	}
	fd = fd_install(f, 0, flags & SOCK_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

SYSCALL_DEFINE3(socket, int, family, int, type, int, protocol)
{
	int kind = unix_check_create(family, type, protocol);
	struct unix_sock *sk;

	if (kind < 0)
		return kind;
	sk = unix_alloc(kind);
	if (!sk)
		return -ENOMEM;
	return unix_socket_fd(sk, type);
}

/* Connect a and b to each other, as socketpair does. */
static void unix_pair(struct unix_sock *a, struct unix_sock *b)
{
	struct unix_cred c;

	unix_cred_current(&c, true);
	spin_lock(&unix_wq.lock);
	unix_hold(a);
	unix_hold(b);
	a->peer = b;
	b->peer = a;
	a->state = b->state = UNIX_CONNECTED;
	a->peercred = b->peercred = c;
	a->has_peercred = b->has_peercred = true;
	spin_unlock(&unix_wq.lock);
}

SYSCALL_DEFINE4(socketpair, int, family, int, type, int, protocol,
		int __user *, usv)
{
	int kind = unix_check_create(family, type, protocol);
	struct unix_sock *a, *b;
	int fds[2];

	if (kind < 0)
		return kind;
	a = unix_alloc(kind);
	b = a ? unix_alloc(kind) : NULL;
	if (!b) {
		if (a)
			unix_release(a, false);
		return -ENOMEM;
	}
	unix_pair(a, b);
	fds[0] = (int)unix_socket_fd(a, type);
	if (fds[0] < 0) {
		unix_release(b, false);
		return fds[0];
	}
	fds[1] = (int)unix_socket_fd(b, type);
	if (fds[1] < 0) {
		fd_close(fds[0]);
		return fds[1];
	}
	if (copy_to_user(usv, fds, sizeof(fds))) {
		fd_close(fds[0]);
		fd_close(fds[1]);
		return -EFAULT;
	}
	return 0;
}

/* ---- Send and receive by type ------------------------------------------ */

ssize_t unix_send(struct file *f, struct unix_sock *sk, struct unix_msg *m)
{
	bool nonblock = (f->flags & O_NONBLOCK) || (m->flags & MSG_DONTWAIT);
	ssize_t r;

	if (sk->type == SOCK_STREAM)
		r = unix_stream_send(sk, m, nonblock);
	else
		r = unix_dgram_send(sk, m, nonblock);
	if (r == -EPIPE && sk->type != SOCK_DGRAM &&
	    !(m->flags & MSG_NOSIGNAL))
		signal_raise(SIGPIPE);
	return r;
}

ssize_t unix_recv(struct file *f, struct unix_sock *sk, struct unix_msg *m)
{
	bool nonblock = (f->flags & O_NONBLOCK) || (m->flags & MSG_DONTWAIT);

	if (sk->type == SOCK_STREAM)
		return unix_stream_recv(sk, m, nonblock);
	return unix_dgram_recv(sk, m, nonblock);
}
