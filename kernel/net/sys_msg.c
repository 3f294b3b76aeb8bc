/*
 * The socket data calls: sendto, recvfrom, sendmsg, recvmsg. This file
 * does the user side of Linux's ___sys_sendmsg/___sys_recvmsg: copying
 * the msghdr, its iovec and name, parsing control messages into a
 * struct unix_scm (SCM_RIGHTS, SCM_CREDENTIALS) and writing received
 * ones back (put_cmsg, scm_detach_fds), in Linux's order and with its
 * errors. The socket layer below sees only kernel structures.
 */
#include "unix.h"
#include <fs/fs.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/uaccess.h>
#include <proc/task.h>
#include <uapi/fcntl.h>
#include <syscall/syscall.h>

/* net.core.optmem_max: the most control data one call may pass. */
#define OPTMEM_MAX	20480

size_t unix_msg_copy_in(void *dst, struct unix_msg *m, size_t off,
			size_t n)
{
	size_t done = 0;

	for (int i = 0; i < m->niov && done < n; i++) {
		size_t seg = m->iov[i].len, take, got;

		if (off >= seg) {
			off -= seg;
			continue;
		}
		take = MIN(seg - off, n - done);
		got = iobuf_copy_in((char *)dst + done, &m->iov[i], off, take);
		done += got;
		if (got < take)
			break;
		off = 0;
	}
	return done;
}

size_t unix_msg_copy_out(struct unix_msg *m, size_t off, const void *src,
			 size_t n)
{
	size_t done = 0;

	for (int i = 0; i < m->niov && done < n; i++) {
		size_t seg = m->iov[i].len, take, put;

		if (off >= seg) {
			off -= seg;
			continue;
		}
		take = MIN(seg - off, n - done);
		put = iobuf_copy_out(&m->iov[i], off,
				     (const char *)src + done, take);
		done += put;
		if (put < take)
			break;
		off = 0;
	}
	return done;
}

/* Linux's import_iovec: the iobufs (kmalloc'd) and their total. */
static int iov_import(const struct iovec __user *uvec, size_t n,
		      struct unix_msg *m)
{
	struct iovec *vec;
	int err = 0;

	if (n > UIO_MAXIOV)
		return -EMSGSIZE;
	vec = kmalloc(sizeof(*vec) * n + 1);
	m->iov = kmalloc(sizeof(*m->iov) * n + 1);
	if (!vec || !m->iov)
		err = -ENOMEM;
	else if (copy_from_user(vec, uvec, sizeof(*vec) * n))
		err = -EFAULT;
	m->len = 0;
	for (size_t i = 0; !err && i < n; i++) {
		size_t len = vec[i].iov_len;

		if ((ssize_t)len < 0)
			err = -EINVAL;
		else if (!user_range_ok((uint64_t)vec[i].iov_base, len))
			err = -EFAULT;
		len = MIN(len, MAX_RW_COUNT - m->len);
		m->iov[i] = IOBUF_USER(vec[i].iov_base, len);
		m->len += len;
	}
	kfree(vec);
	m->niov = (int)n;
	return err;
}

/* ---- Control messages in ---------------------------------------------- */

/* Linux's scm_check_creds: only root may claim others' ids. */
static int creds_check(const struct ucred *uc)
{
	const struct cred *c = &current->cred;
	bool root = c->euid == 0;

	if (uc->pid != current->tgid && !root)
		return -EPERM;
	if (uc->uid != c->uid && uc->uid != c->euid && uc->uid != c->suid &&
	    !root)
		return -EPERM;
	if (uc->gid != c->gid && uc->gid != c->egid && uc->gid != c->sgid &&
	    !root)
		return -EPERM;
	return 0;
}

/* Append the n descriptors at fds to *scm (Linux's scm_fp_copy). */
static int scm_add_files(struct unix_scm **scm, const int *fds,
			 unsigned int n)
{
	unsigned int have = *scm ? (*scm)->nfiles : 0;
	struct unix_scm *s;

	if (have + n > SCM_MAX_FD)
		return -EINVAL;
	s = kmalloc(sizeof(*s) + (have + n) * sizeof(s->files[0]));
	if (!s)
		return -ENOMEM;
	if (*scm)
		memcpy(s, *scm, sizeof(*s) + have * sizeof(s->files[0]));
	else
		memset(s, 0, sizeof(*s));
	kfree(*scm);
	*scm = s;
	for (unsigned int i = 0; i < n; i++) {
		struct file *f = fd_get(fds[i]);

		if (!f)
			return -EBADF;
		s->files[s->nfiles++] = f;
	}
	return 0;
}

/* One control message (header at h, cmsg_len bytes). */
static int cmsg_parse_one(const struct cmsghdr *h, struct unix_msg *m,
			  struct ucred *cred, bool *has_cred)
{
	const char *body = (const char *)h + CMSG_ALIGN(sizeof(*h));
	size_t blen = h->cmsg_len - CMSG_ALIGN(sizeof(*h));

	if (h->cmsg_level != SOL_SOCKET)
		return 0;
	switch (h->cmsg_type) {
	case SCM_RIGHTS:
		if (blen / sizeof(int) == 0)
			return 0;
		return scm_add_files(&m->scm, (const int *)body,
				     (unsigned int)MIN(blen / sizeof(int),
						       (size_t)SCM_MAX_FD + 1));
	case SCM_CREDENTIALS:
		if (h->cmsg_len != CMSG_LEN(sizeof(*cred)))
			return -EINVAL;
		memcpy(cred, body, sizeof(*cred));
		*has_cred = true;
		return creds_check(cred);
	default:
		return -EINVAL;
	}
}

/* Parse len bytes of control data (Linux's __scm_send). */
static int cmsg_parse(const char *buf, size_t len, struct unix_msg *m)
{
	struct ucred cred;
	bool has_cred = false;
	size_t off = 0;
	int err = 0;

	while (!err && off + sizeof(struct cmsghdr) <= len) {
		const struct cmsghdr *h = (const void *)(buf + off);

		if (h->cmsg_len < sizeof(*h) || h->cmsg_len > len - off)
			return -EINVAL;
		err = cmsg_parse_one(h, m, &cred, &has_cred);
		off += CMSG_ALIGN(h->cmsg_len);
	}
	if (!err && has_cred) {
		m->cred.pid = cred.pid;
		m->cred.uid = cred.uid;
		m->cred.gid = cred.gid;
		m->has_cred = true;
	}
	return err;
}

static int control_import(const void __user *uctl, size_t len,
			  struct unix_msg *m)
{
	char *buf;
	int err;

	if (len > INT32_MAX)
		return -ENOBUFS;
	if (!len)
		return 0;
	if (len > OPTMEM_MAX)
		return -ENOBUFS;
	buf = kmalloc(len);
	if (!buf)
		return -ENOMEM;
	err = copy_from_user(buf, uctl, len) ? -EFAULT : cmsg_parse(buf, len, m);
	kfree(buf);
	return err;
}

/* ---- Sending ------------------------------------------------------------ */

/* Send m (its name, if any, still in user form) on socket fd. */
static ssize_t send_common(int fd, struct unix_msg *m, const void *name,
			   int namelen)
{
	struct unix_sock *sk;
	struct file *f;
	ssize_t r = unix_from_fd(fd, &f, &sk);

	if (r)
		return r;
	if (sk->type == SOCK_SEQPACKET) {
		namelen = 0;		/* Linux ignores it */
	} else if (namelen && sk->type == SOCK_STREAM) {
		m->addr = (void *)1;	/* only "there was one" matters */
	} else if (namelen) {
		r = unix_addr_parse(name, namelen, &m->addr);
		if (r) {
			file_put(f);
			return r;
		}
	}
	r = unix_send(f, sk, m);
	if (m->addr != (void *)1)
		kfree(m->addr);
	m->addr = NULL;
	file_put(f);
	return r;
}

SYSCALL_DEFINE6(sendto, int, fd, const void __user *, buf, size_t, len,
		int, flags, const void __user *, uaddr, int, alen)
{
	struct iobuf io = IOBUF_USER((void __user *)buf, MIN(len, MAX_RW_COUNT));
	struct unix_msg m = { .iov = &io, .niov = 1, .flags = flags };
	char name[SOCKADDR_MAX];
	long err;

	if (!user_range_ok((uint64_t)buf, io.len))
		return -EFAULT;
	m.len = io.len;
	if (!uaddr)
		alen = 0;
	err = unix_addr_from_user(uaddr, alen, name);
	if (err)
		return err;
	return send_common(fd, &m, name, alen);
}

SYSCALL_DEFINE3(sendmsg, int, fd, const struct msghdr __user *, umsg,
		int, flags)
{
	struct unix_msg m = { .flags = flags };
	char name[SOCKADDR_MAX];
	struct msghdr h;
	long err;

	if (copy_from_user(&h, umsg, sizeof(h)))
		return -EFAULT;
	if (h.msg_namelen < 0)
		return -EINVAL;
	if (!h.msg_name)
		h.msg_namelen = 0;
	h.msg_namelen = MIN(h.msg_namelen, SOCKADDR_MAX);
	err = unix_addr_from_user(h.msg_name, h.msg_namelen, name);
	if (!err)
		err = iov_import(h.msg_iov, h.msg_iovlen, &m);
	if (!err)
		err = control_import(h.msg_control, h.msg_controllen, &m);
	if (!err)
		err = send_common(fd, &m, name, h.msg_namelen);
	unix_scm_free(m.scm);
	kfree(m.iov);
	return err;
}

/* ---- Receiving ---------------------------------------------------------- */

/* Where received control messages go (Linux's put_cmsg state). */
struct cmsg_out {
	char __user *ptr;
	size_t left;
	size_t used;
	int flags;			/* MSG_CTRUNC */
};

/* Linux's put_cmsg: a header and len bytes, truncated if need be. */
static int put_cmsg(struct cmsg_out *o, int type, const void *data,
		    size_t len)
{
	struct cmsghdr h = { CMSG_LEN(len), SOL_SOCKET, type };
	size_t cmlen = CMSG_LEN(len), step;

	if (o->left < sizeof(h)) {
		o->flags |= MSG_CTRUNC;
		return 0;
	}
	if (o->left < cmlen) {
		o->flags |= MSG_CTRUNC;
		cmlen = o->left;
	}
	if (copy_to_user(o->ptr, &h, sizeof(h)) ||
	    copy_to_user(o->ptr + sizeof(h), data, cmlen - sizeof(h)))
		return -EFAULT;
	step = MIN(CMSG_SPACE(len), o->left);
	o->ptr += step;
	o->left -= step;
	o->used += step;
	return 0;
}

/* Linux's scm_detach_fds: install what fits, drop the rest. */
static int put_files(struct cmsg_out *o, struct unix_scm *scm, bool cloexec)
{
	unsigned int room = o->left > sizeof(struct cmsghdr) ?
		(unsigned int)((o->left - sizeof(struct cmsghdr)) / sizeof(int)) : 0;
	unsigned int n = MIN(room, scm->nfiles), i;
	int fds[SCM_MAX_FD], err = 0;

	for (i = 0; i < n; i++) {
		int fd = fd_install(scm->files[i], 0, cloexec);

		if (fd < 0) {
			err = fd;
			break;
		}
		fds[i] = fd;
		scm->files[i] = NULL;	/* the table has the reference */
	}
	if (i)
		err = put_cmsg(o, SCM_RIGHTS, fds, i * sizeof(int)) ?: err;
	if (i < scm->nfiles)
		o->flags |= MSG_CTRUNC;
	for (unsigned int j = i; j < scm->nfiles; j++)
		file_put(scm->files[j]);
	scm->nfiles = 0;
	return i ? 0 : err;
}

/* Credentials (if SO_PASSCRED), then files, as Linux's scm_recv. */
static int control_export(struct unix_sock *sk, struct unix_msg *m,
			  struct cmsg_out *o)
{
	int err = 0;

	if (sk->passcred && m->has_cred) {
		struct ucred uc = { m->cred.pid, m->cred.uid, m->cred.gid };

		err = put_cmsg(o, SCM_CREDENTIALS, &uc, sizeof(uc));
	}
	if (!err && m->scm && m->scm->nfiles)
		err = put_files(o, m->scm, m->flags & MSG_CMSG_CLOEXEC);
	return err;
}

/* Receive into m on fd; o NULL: no control buffer (recvfrom). */
static ssize_t recv_common(int fd, struct unix_msg *m, struct cmsg_out *o)
{
	struct unix_sock *sk;
	struct file *f;
	ssize_t r = unix_from_fd(fd, &f, &sk);
	int err;

	if (r)
		return r;
	r = unix_recv(f, sk, m);
	if (r >= 0 && o) {
		err = control_export(sk, m, o);
		if (err)
			r = err;
	} else if (r >= 0 && m->scm && m->scm->nfiles) {
		m->out_flags |= MSG_CTRUNC;	/* files dropped */
	}
	file_put(f);
	return r;
}

SYSCALL_DEFINE6(recvfrom, int, fd, void __user *, buf, size_t, len,
		int, flags, void __user *, uaddr, int __user *, ulen)
{
	struct iobuf io = IOBUF_USER(buf, MIN(len, MAX_RW_COUNT));
	struct unix_msg m = { .iov = &io, .niov = 1, .flags = flags };
	ssize_t r;

	if (!user_range_ok((uint64_t)buf, io.len))
		return -EFAULT;
	m.len = io.len;
	r = recv_common(fd, &m, NULL);
	if (r >= 0 && uaddr) {
		int err = m.addr ? unix_addr_to_user(m.addr, uaddr, ulen) :
			  (put_user(0, ulen) ? -EFAULT : 0);

		if (err)
			r = err;
	}
	unix_scm_free(m.scm);
	kfree(m.addr);
	return r;
}

/* Write the name, control length and flags back to the msghdr. */
static int msghdr_export(struct msghdr __user *umsg, const struct msghdr *h,
			 struct unix_msg *m, struct cmsg_out *o)
{
	int namelen = 0;

	if (h->msg_name && m->addr) {
		namelen = (int)m->addr->len;
		if (copy_to_user(h->msg_name, &m->addr->sun,
				 (size_t)MIN(namelen, h->msg_namelen)))
			return -EFAULT;
	}
	if ((h->msg_name && put_user(namelen, &umsg->msg_namelen)) ||
	    put_user(m->out_flags | o->flags, &umsg->msg_flags) ||
	    put_user(o->used, &umsg->msg_controllen))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE3(recvmsg, int, fd, struct msghdr __user *, umsg, int, flags)
{
	struct unix_msg m = { .flags = flags };
	struct cmsg_out o = { 0 };
	struct msghdr h;
	ssize_t r;

	if (copy_from_user(&h, umsg, sizeof(h)))
		return -EFAULT;
	if (h.msg_namelen < 0)
		return -EINVAL;
	h.msg_namelen = MIN(h.msg_namelen, SOCKADDR_MAX);
	r = iov_import(h.msg_iov, h.msg_iovlen, &m);
	o.ptr = h.msg_control;
	o.left = h.msg_control ? h.msg_controllen : 0;
	if (!r)
		r = recv_common(fd, &m, &o);
	if (r >= 0) {
		int err = msghdr_export(umsg, &h, &m, &o);

		if (err)
			r = err;
	}
	unix_scm_free(m.scm);
	kfree(m.addr);
	kfree(m.iov);
	return r;
}
