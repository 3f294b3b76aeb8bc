/*
 * Connections of AF_UNIX stream and seqpacket sockets: listen, connect
 * (and a datagram socket's default peer), accept/accept4, shutdown.
 *
 * As in Linux, a connect makes the server's end at once: a new socket
 * (an "embryo", with no file yet), connected to the caller and queued on
 * the listener; accept only gives it a file. A listener with more than
 * backlog embryos queued makes further connects wait (EAGAIN when
 * non-blocking).
 */
#include "unix.h"
#include <fs/fs.h>
#include <mm/kmalloc.h>
#include <mm/uaccess.h>
#include <uapi/fcntl.h>
#include <uapi/poll.h>
#include <syscall/syscall.h>

SYSCALL_DEFINE2(listen, int, fd, int, backlog)
{
	struct unix_sock *sk;
	struct file *f;
	long err = unix_from_fd(fd, &f, &sk);

	if (err)
		return err;
	if ((unsigned int)backlog > SOMAXCONN)
		backlog = SOMAXCONN;
	spin_lock(&unix_wq.lock);
	if (sk->type == SOCK_DGRAM)
		err = -EOPNOTSUPP;
	else if (!sk->addr || sk->state == UNIX_CONNECTED)
		err = -EINVAL;
	if (!err) {
		sk->backlog = (unsigned int)backlog;
		sk->state = UNIX_LISTENING;
		unix_cred_current(&sk->peercred, true);
		sk->has_peercred = true;
	}
	spin_unlock(&unix_wq.lock);
	unix_wake(sk, 0);	/* a larger backlog lets connects in */
	file_put(f);
	return err;
}

/*
 * Wait, with the lock held, until the listener takes one more embryo.
 * Linux's unix_recvq_full: more than backlog queued is full.
 */
static int wait_backlog(struct unix_sock *sk, struct unix_sock *l,
			bool nonblock)
{
	int err = 0;

	spin_assert_held(&unix_wq.lock);
	while (!err) {
		if (l->dead || l->state != UNIX_LISTENING)
			return -ECONNREFUSED;
		if (sk->state == UNIX_CONNECTED)
			return -EISCONN;
		if (l->npending <= l->backlog)
			return 0;
		err = unix_wait(nonblock);
	}
	return err;
}

/* Join sk to a new embryo queued on listener l; lock held. */
static void join(struct unix_sock *sk, struct unix_sock *embryo,
		 struct unix_sock *l)
{
	spin_assert_held(&unix_wq.lock);
	unix_hold(sk);
	unix_hold(embryo);
	embryo->peer = sk;
	sk->peer = embryo;
	embryo->state = sk->state = UNIX_CONNECTED;
	unix_cred_current(&embryo->peercred, true);
	embryo->has_peercred = true;
	sk->peercred = l->peercred;
	sk->has_peercred = true;
	embryo->passcred = l->passcred;
	embryo->addr = unix_addr_dup(l->addr);
	list_add_tail(&embryo->pending_link, &l->pending);
	l->npending++;
}

static int stream_connect(struct unix_sock *sk, struct unix_addr *a,
			  bool nonblock)
{
	struct unix_sock *l, *embryo;
	int err;

	if (sk->passcred && !sk->addr && (err = unix_autobind(sk)))
		return err;
	err = unix_find(a, sk->type, &l);
	if (err)
		return err;
	embryo = unix_alloc(sk->type);
	if (!embryo) {
		unix_put(l);
		return -ENOMEM;
	}
	spin_lock(&unix_wq.lock);
	if (sk->state == UNIX_LISTENING)
		err = -EINVAL;
	else
		err = wait_backlog(sk, l, nonblock);
	if (!err)
		join(sk, embryo, l);
	spin_unlock(&unix_wq.lock);
	if (err) {
		unix_release(embryo, false);
	} else {
		unix_wake(l, POLLIN | POLLRDNORM);
		unix_wake(sk, POLLOUT);
	}
	unix_put(l);
	return err;
}

/* A datagram socket's default peer (AF_UNSPEC: none). */
static int dgram_connect(struct unix_sock *sk, struct unix_addr *a)
{
	struct unix_sock *other = NULL, *old;
	int err = 0;

	if (a) {
		if (sk->passcred && !sk->addr && (err = unix_autobind(sk)))
			return err;
		err = unix_find(a, sk->type, &other);
		if (err)
			return err;
	}
	spin_lock(&unix_wq.lock);
	old = sk->peer;
	sk->peer = other;
	sk->state = other ? UNIX_CONNECTED : UNIX_UNCONNECTED;
	spin_unlock(&unix_wq.lock);
	unix_put(old);
	return 0;
}

static long do_connect(struct file *f, struct unix_sock *sk,
		       const void __user *uaddr, int len)
{
	char buf[SOCKADDR_MAX];
	struct unix_addr *a = NULL;
	long err = unix_addr_from_user(uaddr, len, buf);
	bool nonblock = f->flags & O_NONBLOCK;

	if (err)
		return err;
	if (sk->type == SOCK_DGRAM && len >= 2 &&
	    ((struct sockaddr_un *)buf)->sun_family == 0)
		return dgram_connect(sk, NULL);
	err = unix_addr_parse(buf, len, &a);
	if (err)
		return err;
	if (sk->type == SOCK_DGRAM)
		err = dgram_connect(sk, a);
	else
		err = stream_connect(sk, a, nonblock);
	kfree(a);
	return err;
}

SYSCALL_DEFINE3(connect, int, fd, const void __user *, uaddr, int, len)
{
	struct unix_sock *sk;
	struct file *f;
	long err = unix_from_fd(fd, &f, &sk);

	if (err)
		return err;
	err = do_connect(f, sk, uaddr, len);
	file_put(f);
	return err;
}

/* Take the first embryo of listener sk, waiting for one. */
static int take_embryo(struct unix_sock *sk, bool nonblock,
		       struct unix_sock **out)
{
	int err = 0;

	spin_lock(&unix_wq.lock);
	while (!err && sk->state == UNIX_LISTENING && !sk->npending)
		err = unix_wait(nonblock);
	if (!err && sk->state != UNIX_LISTENING)
		err = -EINVAL;
	if (!err) {
		*out = list_first_entry(&sk->pending, struct unix_sock,
					pending_link);
		list_del(&(*out)->pending_link);
		sk->npending--;
	}
	spin_unlock(&unix_wq.lock);
	if (!err)
		unix_wake(NULL, 0);	/* room in the backlog */
	return err;
}

static long do_accept(int fd, void __user *uaddr, int __user *ulen,
		      int flags)
{
	struct unix_sock *sk, *e;
	struct unix_addr *peer_name = NULL;
	struct file *f, *nf;
	long err, nfd;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	err = unix_from_fd(fd, &f, &sk);
	if (err)
		return err;
	if (sk->type == SOCK_DGRAM) {
		file_put(f);
		return -EOPNOTSUPP;
	}
	err = take_embryo(sk, f->flags & O_NONBLOCK, &e);
	file_put(f);
	if (err)
		return err;
	nf = unix_file_open(e, flags & SOCK_NONBLOCK);
	if (IS_ERR(nf)) {
		unix_release(e, true);
		return PTR_ERR(nf);
	}
	nfd = fd_install(nf, 0, flags & SOCK_CLOEXEC);
	if (nfd < 0) {
		file_put(nf);
		return nfd;
	}
	if (uaddr) {
		spin_lock(&unix_wq.lock);
		if (e->peer)
			peer_name = unix_addr_dup(e->peer->addr);
		spin_unlock(&unix_wq.lock);
		err = unix_addr_to_user(peer_name, uaddr, ulen);
		kfree(peer_name);
		if (err) {
			fd_close((int)nfd);
			return err;
		}
	}
	return nfd;
}

SYSCALL_DEFINE3(accept, int, fd, void __user *, uaddr, int __user *, ulen)
{
	return do_accept(fd, uaddr, ulen, 0);
}

SYSCALL_DEFINE4(accept4, int, fd, void __user *, uaddr, int __user *, ulen,
		int, flags)
{
	return do_accept(fd, uaddr, ulen, flags);
}

/* Linux's unix_shutdown: a connection's peer sees the other half. */
SYSCALL_DEFINE2(shutdown, int, fd, int, how)
{
	struct unix_sock *sk, *peer = NULL;
	unsigned int mode, peer_mode = 0;
	struct file *f;
	long err;

	err = unix_from_fd(fd, &f, &sk);
	if (err)
		return err;
	if (how < SHUT_RD || how > SHUT_RDWR) {
		file_put(f);
		return -EINVAL;
	}
	mode = (unsigned int)how + 1;	/* RCV 1, SEND 2, both 3 */
	spin_lock(&unix_wq.lock);
	sk->shut |= mode;
	if (sk->peer && sk->type != SOCK_DGRAM) {
		peer = sk->peer;
		unix_hold(peer);
		if (mode & RCV_SHUTDOWN)
			peer_mode |= SEND_SHUTDOWN;
		if (mode & SEND_SHUTDOWN)
			peer_mode |= RCV_SHUTDOWN;
		peer->shut |= peer_mode;
	}
	spin_unlock(&unix_wq.lock);
	unix_wake(sk, POLLIN | POLLOUT | POLLHUP | POLLRDHUP);
	if (peer) {
		unix_wake(peer, POLLIN | POLLOUT | POLLHUP | POLLRDHUP);
		unix_put(peer);
	}
	file_put(f);
	return 0;
}
