/*
 * AF_UNIX names: checking a sockaddr_un, binding to a path (an S_IFSOCK
 * inode made through fs/anon.h) or to an abstract name (a leading NUL
 * byte: a name in a table only, gone with the socket), automatic names,
 * finding the socket a connect or sendto names, and the calls bind,
 * getsockname and getpeername.
 *
 * The bound table is a list under the global lock: a path-bound socket
 * is found by its inode (so a name unlinked is unreachable, and a file
 * renamed still reaches it), an abstract one by its bytes. binds are
 * serialized by bind_lock, so checking and taking a name is one step.
 */
#include "unix.h"
#include <fs/anon.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/uaccess.h>
#include <syscall/syscall.h>

#define SUN_PATH_OFF	2		/* offsetof(struct sockaddr_un, sun_path) */

static LIST_HEAD(unix_bound);		/* unix_wq.lock */
static struct mutex bind_lock;
static unsigned int autobind_next;	/* bind_lock */

void unix_addr_init(void)
{
	mutex_init(&bind_lock, "unix bind");
}

static void bind_lock_take(void)
{
	mutex_lock(&bind_lock);
}

static bool addr_is_abstract(const struct unix_addr *a)
{
	return a->sun.sun_path[0] == '\0';
}

struct unix_addr *unix_addr_dup(const struct unix_addr *a)
{
	struct unix_addr *copy;

	if (!a)
		return NULL;
	copy = kmalloc(sizeof(*copy) + 1);
	if (copy)
		memcpy(copy, a, sizeof(*copy) + 1);
	return copy;
}

/* Linux's unix_validate_addr and unix_mkname_bsd. */
int unix_addr_parse(const void *buf, int len, struct unix_addr **out)
{
	const struct sockaddr_un *sun = buf;
	struct unix_addr *a;

	if (len <= SUN_PATH_OFF || len > (int)sizeof(*sun) ||
	    sun->sun_family != AF_UNIX)
		return -EINVAL;
	/* One byte more than the struct: a 108-byte path gets its NUL. */
	a = kzalloc(sizeof(*a) + 1);
	if (!a)
		return -ENOMEM;
	memcpy(&a->sun, sun, (size_t)len);
	if (addr_is_abstract(a))
		a->len = (unsigned int)len;
	else
		a->len = SUN_PATH_OFF + (unsigned int)strlen(a->sun.sun_path) + 1;
	*out = a;
	return 0;
}

static bool addr_equal(const struct unix_addr *a, const struct unix_addr *b)
{
	return a->len == b->len && !memcmp(&a->sun, &b->sun, a->len);
}

/* A live socket bound to abstract a or path node; lock held. */
static struct unix_sock *bound_find(const struct unix_addr *a,
				    struct inode *node)
{
	struct unix_sock *sk;

	spin_assert_held(&unix_wq.lock);
	list_for_each_entry(sk, &unix_bound, bound_link) {
		if (sk->dead)
			continue;
		if (node ? sk->node == node :
		    (!sk->node && addr_equal(sk->addr, a)))
			return sk;
	}
	return NULL;
}

/* Take name a (and node) for sk; bind_lock held. */
static int bind_take(struct unix_sock *sk, struct unix_addr *a,
		     struct inode *node)
{
	int err = 0;

	mutex_assert_held(&bind_lock);
	spin_lock(&unix_wq.lock);
	if (sk->addr)
		err = -EINVAL;
	else if (!node && bound_find(a, NULL))
		err = -EADDRINUSE;
	if (!err) {
		sk->addr = a;
		sk->node = node;
		list_add_tail(&sk->bound_link, &unix_bound);
	}
	spin_unlock(&unix_wq.lock);
	return err;
}

/* Whether sk has a name already (a bind would be EINVAL). */
static bool is_bound(struct unix_sock *sk)
{
	bool bound;

	spin_lock(&unix_wq.lock);
	bound = sk->addr != NULL;
	spin_unlock(&unix_wq.lock);
	return bound;
}

/*
 * Whether a's name is taken (a bound socket's second bind: Linux makes
 * the node first, so an existing name is EADDRINUSE, and only then sees
 * the socket is bound: EINVAL). bind_lock held.
 */
static bool name_taken(const struct unix_addr *a)
{
	struct inode *node;
	bool taken;
	int err;

	mutex_assert_held(&bind_lock);
	if (addr_is_abstract(a)) {
		spin_lock(&unix_wq.lock);
		taken = bound_find(a, NULL) != NULL;
		spin_unlock(&unix_wq.lock);
		return taken;
	}
	err = fs_socket_find(a->sun.sun_path, &node);
	if (!err)
		fs_socket_put(node);
	return err != -ENOENT && err != -ENOTDIR;
}

int unix_bind_addr(struct unix_sock *sk, struct unix_addr *a)
{
	struct inode *node = NULL;
	int err = 0;

	bind_lock_take();
	if (is_bound(sk))
		err = name_taken(a) ? -EADDRINUSE : -EINVAL;
	else if (!addr_is_abstract(a))
		err = fs_socket_create(a->sun.sun_path, 0777, &node);
	if (!err)
		err = bind_take(sk, a, node);
	mutex_unlock(&bind_lock);
	if (err) {
		if (node)
			fs_socket_put(node);
		kfree(a);
	}
	return err;
}

/* Linux's unix_autobind: an abstract name of five hex digits. */
int unix_autobind(struct unix_sock *sk)
{
	struct unix_addr *a;
	int err = -ENOSPC;

	bind_lock_take();
	if (is_bound(sk)) {
		mutex_unlock(&bind_lock);
		return 0;
	}
	for (unsigned int tries = 0; tries < 0x100000 && err; tries++) {
		a = kzalloc(sizeof(*a) + 1);
		if (!a) {
			err = -ENOMEM;
			break;
		}
		a->sun.sun_family = AF_UNIX;
		snprintf(a->sun.sun_path + 1, 6, "%05x",
			 autobind_next++ & 0xfffff);
		a->len = SUN_PATH_OFF + 1 + 5;
		err = bind_take(sk, a, NULL);
		if (err)
			kfree(a);
		if (err == -EINVAL)
			err = 0;	/* bound meanwhile: fine */
	}
	mutex_unlock(&bind_lock);
	return err;
}

void unix_unbind(struct unix_sock *sk)
{
	spin_assert_held(&unix_wq.lock);
	list_del(&sk->bound_link);
	list_init(&sk->bound_link);
}

int unix_find(const struct unix_addr *a, int type, struct unix_sock **out)
{
	struct inode *node = NULL;
	struct unix_sock *sk;
	int err = 0;

	if (!addr_is_abstract(a)) {
		err = fs_socket_find(a->sun.sun_path, &node);
		if (err)
			return err;
	}
	spin_lock(&unix_wq.lock);
	sk = bound_find(a, node);
	if (!sk)
		err = -ECONNREFUSED;
	else if (sk->type != type)
		err = -EPROTOTYPE;
	else
		unix_hold(sk);
	spin_unlock(&unix_wq.lock);
	if (node)
		fs_socket_put(node);
	if (!err)
		*out = sk;
	return err;
}

/* ---- bind, getsockname, getpeername ------------------------------------ */

/* Linux's move_addr_to_kernel: len checked, then copied. */
int unix_addr_from_user(const void __user *uaddr, int len, void *buf)
{
	if (len < 0 || len > SOCKADDR_MAX)
		return -EINVAL;
	if (len && copy_from_user(buf, uaddr, (size_t)len))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE3(bind, int, fd, const void __user *, uaddr, int, len)
{
	char buf[SOCKADDR_MAX];
	struct unix_addr *a;
	struct unix_sock *sk;
	struct file *f;
	long err = unix_from_fd(fd, &f, &sk);

	if (err)
		return err;
	err = unix_addr_from_user(uaddr, len, buf);
	if (!err && len == SUN_PATH_OFF &&
	    ((struct sockaddr_un *)buf)->sun_family == AF_UNIX) {
		err = unix_autobind(sk);
	} else if (!err) {
		err = unix_addr_parse(buf, len, &a);
		if (!err)
			err = unix_bind_addr(sk, a);
	}
	file_put(f);
	return err;
}

/* Linux's move_addr_to_user. */
int unix_addr_to_user(const struct unix_addr *a, void __user *uaddr,
		      int __user *ulen)
{
	struct sockaddr_un unnamed = { .sun_family = AF_UNIX };
	const void *src = a ? (const void *)&a->sun : &unnamed;
	int klen = a ? (int)a->len : SUN_PATH_OFF, len;

	if (get_user(len, ulen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	len = MIN(len, klen);
	if (len && copy_to_user(uaddr, src, (size_t)len))
		return -EFAULT;
	return put_user(klen, ulen) ? -EFAULT : 0;
}

/* The name of sk (peer: of its peer) copied out of the lock. */
static int name_of(struct unix_sock *sk, bool peer, struct unix_addr **out)
{
	struct unix_sock *who;
	int err = 0;

	*out = NULL;
	spin_lock(&unix_wq.lock);
	who = peer ? sk->peer : sk;
	if (!who)
		err = -ENOTCONN;
	else if (who->addr)
		*out = unix_addr_dup(who->addr);
	spin_unlock(&unix_wq.lock);
	return err;
}

static long getname(int fd, void __user *uaddr, int __user *ulen, bool peer)
{
	struct unix_addr *a = NULL;
	struct unix_sock *sk;
	struct file *f;
	long err = unix_from_fd(fd, &f, &sk);

	if (err)
		return err;
	err = name_of(sk, peer, &a);
	if (!err)
		err = unix_addr_to_user(a, uaddr, ulen);
	kfree(a);
	file_put(f);
	return err;
}

SYSCALL_DEFINE3(getsockname, int, fd, void __user *, uaddr,
		int __user *, ulen)
{
	return getname(fd, uaddr, ulen, false);
}

SYSCALL_DEFINE3(getpeername, int, fd, void __user *, uaddr,
		int __user *, ulen)
{
	return getname(fd, uaddr, ulen, true);
}
