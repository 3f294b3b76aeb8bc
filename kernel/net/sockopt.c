/*
 * setsockopt and getsockopt: the SOL_SOCKET options an AF_UNIX socket
 * has. Buffer sizes are kept as Linux keeps them (doubled, clamped to
 * net.core.[wr]mem_max and the minimums); SO_SNDBUF bounds how much a
 * sender may have in flight. SO_REUSEADDR, SO_KEEPALIVE, SO_BROADCAST,
 * SO_DONTROUTE and SO_DEBUG mean nothing for AF_UNIX on Linux either:
 * they are remembered and reported. Other levels: EOPNOTSUPP, as
 * Linux's unix sockets answer.
 */
#include "unix.h"
#include <mm/uaccess.h>
#include <proc/task.h>
#include <uapi/poll.h>
#include <syscall/syscall.h>

/* The options that are only remembered: their bit in flags_so. */
static int flag_bit(int opt)
{
	switch (opt) {
	case SO_DEBUG:
	case SO_REUSEADDR:
	case SO_DONTROUTE:
	case SO_BROADCAST:
	case SO_KEEPALIVE:
		return 1 << opt;
	default:
		return 0;
	}
}

static int buf_size(int val, int min, bool force)
{
	unsigned int v = (unsigned int)val;

	if (!force && v > UNIX_BUF_MAX)
		v = UNIX_BUF_MAX;
	if (v > INT32_MAX / 2)
		v = INT32_MAX / 2;
	return MAX((int)v * 2, min);
}

static int set_opt(struct unix_sock *sk, int opt, int val)
{
	bool root = current->cred.euid == 0;
	int err = 0;

	spin_lock(&unix_wq.lock);
	if (flag_bit(opt)) {
		sk->flags_so = val ? sk->flags_so | flag_bit(opt) :
				     sk->flags_so & ~flag_bit(opt);
	} else if (opt == SO_PASSCRED) {
		sk->passcred = val != 0;
	} else if (opt == SO_SNDBUF || (opt == SO_SNDBUFFORCE && root)) {
		sk->sndbuf = buf_size(val, UNIX_SNDBUF_MIN, opt != SO_SNDBUF);
	} else if (opt == SO_RCVBUF || (opt == SO_RCVBUFFORCE && root)) {
		sk->rcvbuf = buf_size(val, UNIX_RCVBUF_MIN, opt != SO_RCVBUF);
	} else if (opt == SO_SNDBUFFORCE || opt == SO_RCVBUFFORCE) {
		err = -EPERM;
	} else {
		err = -ENOPROTOOPT;
	}
	spin_unlock(&unix_wq.lock);
	if (!err && (opt == SO_SNDBUF || opt == SO_SNDBUFFORCE))
		unix_wake(sk, POLLOUT);	/* more room may let senders on */
	return err;
}

SYSCALL_DEFINE5(setsockopt, int, fd, int, level, int, opt,
		const void __user *, uval, int, len)
{
	struct unix_sock *sk;
	struct file *f;
	long err = unix_from_fd(fd, &f, &sk);
	int val;

	if (err)
		return err;
	if (len < 0)
		err = -EINVAL;
	else if (level != SOL_SOCKET)
		err = -EOPNOTSUPP;
	else if (len < (int)sizeof(int))
		err = -EINVAL;
	else if (get_user(val, (const int __user *)uval))
		err = -EFAULT;
	else
		err = set_opt(sk, opt, val);
	file_put(f);
	return err;
}

/* The value of an int option, or -ENOPROTOOPT. */
static int get_int_opt(struct unix_sock *sk, int opt, int *val)
{
	spin_assert_held(&unix_wq.lock);
	if (flag_bit(opt)) {
		*val = !!(sk->flags_so & flag_bit(opt));
		return 0;
	}
	switch (opt) {
	case SO_TYPE:
		*val = sk->type;
		return 0;
	case SO_PROTOCOL:
		*val = 0;
		return 0;
	case SO_DOMAIN:
		*val = AF_UNIX;
		return 0;
	case SO_ERROR:
		*val = sk->err;
		sk->err = 0;
		return 0;
	case SO_ACCEPTCONN:
		*val = sk->state == UNIX_LISTENING;
		return 0;
	case SO_PASSCRED:
		*val = sk->passcred;
		return 0;
	case SO_SNDBUF:
		*val = sk->sndbuf;
		return 0;
	case SO_RCVBUF:
		*val = sk->rcvbuf;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

/* Copy min(len, size) bytes out and the full size into *ulen. */
static int put_opt(void __user *uval, int __user *ulen, int len,
		   const void *v, int size)
{
	len = MIN(len, size);
	if (copy_to_user(uval, v, (size_t)len))
		return -EFAULT;
	return put_user(len, ulen) ? -EFAULT : 0;
}

SYSCALL_DEFINE5(getsockopt, int, fd, int, level, int, opt,
		void __user *, uval, int __user *, ulen)
{
	struct ucred uc = { 0, (uint32_t)-1, (uint32_t)-1 };
	struct unix_sock *sk;
	struct file *f;
	long err = unix_from_fd(fd, &f, &sk);
	int len, val = 0;

	if (err)
		return err;
	if (level != SOL_SOCKET)
		err = -EOPNOTSUPP;
	else if (get_user(len, ulen))
		err = -EFAULT;
	else if (len < 0)
		err = -EINVAL;
	if (err) {
		file_put(f);
		return err;
	}
	spin_lock(&unix_wq.lock);
	if (opt == SO_PEERCRED) {
		if (sk->has_peercred) {
			uc.pid = sk->peercred.pid;
			uc.uid = sk->peercred.uid;
			uc.gid = sk->peercred.gid;
		}
	} else {
		err = get_int_opt(sk, opt, &val);
	}
	spin_unlock(&unix_wq.lock);
	if (!err && opt == SO_PEERCRED)
		err = put_opt(uval, ulen, len, &uc, sizeof(uc));
	else if (!err)
		err = put_opt(uval, ulen, len, &val, sizeof(val));
	file_put(f);
	return err;
}
