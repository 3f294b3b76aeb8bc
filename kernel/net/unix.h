/*
 * AF_UNIX sockets, private to kernel/net/ (see docs/sockets.md).
 *
 * A socket (struct unix_sock) is the private of a socket file, or an
 * "embryo" not yet accepted (file NULL), queued on its listener. Data
 * travels as messages (struct unix_skb) queued on the receiver; each
 * carries the sender's credentials and, optionally, passed files
 * (struct unix_scm). A stream socket's reader takes bytes from the head
 * message; datagram and seqpacket readers take whole messages.
 *
 * Locking: one global spinlock, the lock of unix_wq, guards every
 * socket's state, peer, queues, counters and the bound-name table;
 * every sleeper (full send buffer, empty queue, full backlog) sleeps on
 * unix_wq and every change wakes it. Data is copied to and from user
 * memory with the lock dropped: a reader holds its socket's readlock
 * (one reader at a time), so the messages it is reading stay at the head
 * of its queue (only readers remove them; senders append). poll_notify
 * (fs/poll.h) is called with the lock dropped: the callbacks call
 * unix_poll, which takes it. Order: readlock, then unix_wq.lock.
 *
 * Lifetime: sockets are refcounted: the file, a peer's pointer, a
 * message's owner pointer and the listener's queue (embryos) each hold
 * one; the last unix_put frees it.
 */
#ifndef BASALT_NET_UNIX_H
#define BASALT_NET_UNIX_H

#include <types.h>
#include <lib/list.h>
#include <sync/mutex.h>
#include <sync/waitq.h>
#include <fs/file.h>
#include <fs/poll.h>
#include <uapi/errno.h>
#include <uapi/socket.h>

struct inode;

#define RCV_SHUTDOWN	1
#define SEND_SHUTDOWN	2
#define SHUTDOWN_MASK	3

/* Linux's defaults: net.core.[wr]mem_default and _max, the minimum
 * buffer sizes, net.unix.max_dgram_qlen. */
#define UNIX_BUF_DEFAULT	212992
#define UNIX_BUF_MAX		212992
#define UNIX_SNDBUF_MIN		4608
#define UNIX_RCVBUF_MIN		2304
#define UNIX_DGRAM_QLEN		512
/* What one message costs beyond its data (Linux: an skb's truesize). */
#define UNIX_SKB_OVERHEAD	256
/* The most data one stream message carries. */
#define UNIX_STREAM_CHUNK	(32 * 1024)

enum unix_state {
	UNIX_UNCONNECTED,
	UNIX_LISTENING,
	UNIX_CONNECTED,
};

/* A bound name: the sockaddr as Linux keeps it (len includes family). */
struct unix_addr {
	unsigned int len;
	struct sockaddr_un sun;
};

/* Credentials as SO_PEERCRED and SCM_CREDENTIALS carry them. */
struct unix_cred {
	int32_t pid;
	uint32_t uid, gid;
};

/* What a message carries beside data. */
struct unix_scm {
	unsigned int nfiles;
	struct file *files[];		/* each holds a reference */
};

struct unix_sock;

struct unix_skb {
	struct list_head link;		/* in the receiver's rcvq */
	struct unix_sock *owner;	/* sender, holds a ref (wmem) */
	struct unix_addr *from;		/* sender's name or NULL; owned */
	struct unix_scm *scm;		/* NULL when nothing but creds */
	struct unix_cred cred;		/* the sender's */
	size_t len;			/* bytes of data */
	size_t off;			/* stream: bytes already read */
	char data[];
};

struct unix_sock {
	uint32_t refcount;		/* atomic */
	int type;			/* SOCK_STREAM, _DGRAM, _SEQPACKET */
	struct file *file;		/* NULL while an embryo */
	struct mutex readlock;		/* one reader at a time */
	struct poll_head poll;

	/* Guarded by unix_wq.lock. */
	enum unix_state state;
	unsigned int shut;		/* RCV_SHUTDOWN | SEND_SHUTDOWN */
	int err;			/* pending SO_ERROR (positive) */
	bool dead;			/* released */
	bool passcred;			/* SO_PASSCRED */
	int flags_so;			/* SO_REUSEADDR etc.: bit per option */
	struct unix_sock *peer;		/* holds a ref */
	struct list_head rcvq;		/* struct unix_skb */
	unsigned int rcv_count;		/* messages in rcvq */
	size_t rcv_bytes;		/* unread bytes in rcvq */
	size_t wmem;			/* bytes (+overhead) we have in flight */
	int sndbuf, rcvbuf;
	unsigned int backlog;
	struct list_head pending;	/* listener: embryos (pending_link) */
	unsigned int npending;
	struct list_head pending_link;
	struct unix_addr *addr;		/* bound name, NULL if none */
	struct inode *node;		/* bound to a path: its inode */
	struct list_head bound_link;	/* in the bound table */
	struct list_head all_link;	/* every socket (the GC) */
	struct unix_cred peercred;	/* SO_PEERCRED */
	bool has_peercred;
	unsigned int inflight;		/* our file, passed, not received */
	int gc_count;			/* the GC's scratch */
	bool gc_candidate;
};

extern struct waitq unix_wq;

/* socket.c */
struct unix_sock *unix_alloc(int type);
void unix_hold(struct unix_sock *sk);
void unix_put(struct unix_sock *sk);
/* A file for sk (which it then owns); ERR_PTR on failure. */
struct file *unix_file_open(struct unix_sock *sk, int flags);
/* The socket behind fd, with the file referenced in *fp; -EBADF,
 * -ENOTSOCK. */
int unix_from_fd(int fd, struct file **fp, struct unix_sock **out);
/* The socket of f if f is a socket file, else NULL. */
struct unix_sock *unix_of_file(struct file *f);
/* Wake sleepers, and pollers of sk with events. */
void unix_wake(struct unix_sock *sk, unsigned int events);
/* The current task's credentials (pid, euid/egid or real uid/gid). */
void unix_cred_current(struct unix_cred *c, bool effective);
/* Release a closed socket or a never-accepted embryo. */
void unix_release(struct unix_sock *sk, bool embryo);

/* skb.c */
struct unix_skb *unix_skb_alloc(size_t len);
/* Free a message: its scm, its owner's wmem. Must not hold the lock. */
void unix_skb_free(struct unix_skb *skb);
/* Queue skb on to from sk (lock held): charges sk's wmem. */
void unix_skb_queue(struct unix_sock *sk, struct unix_sock *to,
		    struct unix_skb *skb);
/* Unlink the head message of sk (lock held). */
void unix_skb_unlink(struct unix_sock *sk, struct unix_skb *skb);
/* Free every message of list (lock not held). */
void unix_skb_purge(struct list_head *list);
/* Wait on unix_wq (lock held) unless nonblocking: 0, -EAGAIN,
 * -ERESTARTSYS. */
int unix_wait(bool nonblock);

/* scm.c: kernel-side message extras (user copies are in sys_msg.c). */
void unix_scm_free(struct unix_scm *scm);
/* Account files passed in scm as in flight / no longer (lock held). */
void unix_scm_inflight(struct unix_scm *scm, int delta);
/* Whether any socket is in flight (the GC has work). */
bool unix_inflight_any(void);
/* A copy with references of its own (MSG_PEEK of passed files). */
struct unix_scm *unix_scm_dup(const struct unix_scm *scm);

/* unix_gc.c */
void unix_gc(void);

/* unix_addr.c */
/* Check and copy a user's sockaddr (len bytes, already in kernel). */
int unix_addr_parse(const void *buf, int len, struct unix_addr **out);
int unix_bind_addr(struct unix_sock *sk, struct unix_addr *addr);
int unix_autobind(struct unix_sock *sk);
/* The bound socket addr names (with a ref), or -ECONNREFUSED etc. */
int unix_find(const struct unix_addr *addr, int type,
	      struct unix_sock **out);
void unix_unbind(struct unix_sock *sk);	/* lock held */
struct unix_addr *unix_addr_dup(const struct unix_addr *a);
void unix_addr_init(void);
/* Linux's move_addr_to_kernel (buf: SOCKADDR_MAX bytes) and
 * move_addr_to_user (a NULL: an unnamed AF_UNIX address). */
int unix_addr_from_user(const void __user *uaddr, int len, void *buf);
int unix_addr_to_user(const struct unix_addr *a, void __user *uaddr,
		      int __user *ulen);

/* The kernel form of one send or receive. */
struct unix_msg {
	struct iobuf *iov;
	int niov;
	size_t len;			/* total of iov */
	struct unix_addr *addr;		/* send: target; recv: sender */
	struct unix_scm *scm;		/* send: to attach; recv: received */
	struct unix_cred cred;		/* send: claimed; recv: sender's */
	bool has_cred;			/* cred is meaningful */
	int flags;			/* MSG_* of the call */
	int out_flags;			/* recv: MSG_TRUNC, ... */
};

/* Copy between a kernel buffer and the message's iobufs at offset off. */
size_t unix_msg_copy_in(void *dst, struct unix_msg *m, size_t off,
			size_t n);
size_t unix_msg_copy_out(struct unix_msg *m, size_t off, const void *src,
			 size_t n);

/* unix_stream.c, unix_dgram.c: bytes moved or -errno. */
ssize_t unix_stream_send(struct unix_sock *sk, struct unix_msg *m,
			 bool nonblock);
ssize_t unix_stream_recv(struct unix_sock *sk, struct unix_msg *m,
			 bool nonblock);
ssize_t unix_dgram_send(struct unix_sock *sk, struct unix_msg *m,
			bool nonblock);
ssize_t unix_dgram_recv(struct unix_sock *sk, struct unix_msg *m,
			bool nonblock);
/* Dispatch by type; EPIPE raises SIGPIPE unless MSG_NOSIGNAL. */
ssize_t unix_send(struct file *f, struct unix_sock *sk, struct unix_msg *m);
ssize_t unix_recv(struct file *f, struct unix_sock *sk, struct unix_msg *m);

#endif
