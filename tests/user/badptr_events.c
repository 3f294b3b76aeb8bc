/*
 * badptr_events.c - bad pointers in the event and socket calls: epoll,
 * eventfd and AF_UNIX sockets (see badptr.h).
 *
 * Linux facts the rows record: epoll_wait copies events out only when
 * there are some (every setup here makes one ready), and a NULL signal
 * mask or timeout means "none"; accept takes the connection before it
 * writes the peer's name, and a NULL name is no name at all; recvfrom
 * from an unnamed sender writes no name, so a bad name pointer is never
 * touched (a bad length pointer is); sendto with a NULL address sends to
 * the connected peer, and copies the data before it looks the name up.
 */
#include "badptr.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>

#ifndef SYS_epoll_pwait2
#define SYS_epoll_pwait2 441
#endif

static struct epoll_event ev_in = { .events = EPOLLIN };
static uint64_t sigset_empty;
static long ts_zero[2];
static int int_one = 1;
static socklen_t addr_len = sizeof(struct sockaddr_un);
static struct sockaddr_un abstract = { AF_UNIX, "\0badptr" };

/* An epoll instance watching a pipe that holds a byte. */
static int ready_epoll(void)
{
	int ep = CHECK_OK(epoll_create1(0)), p[2];

	CHECK_OK(pipe(p));
	CHECK_EQ(write(p[1], "r", 1), 1);
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev_in));
	return ep;
}

static void s_epoll_ctl(struct bp_call *c)
{
	int p[2];

	CHECK_OK(pipe(p));
	c->a[0] = CHECK_OK(epoll_create1(0));
	c->a[1] = EPOLL_CTL_ADD;
	c->a[2] = p[0];
	c->a[3] = (long)&ev_in;
}
static void s_epoll_wait(struct bp_call *c)
{
	c->a[0] = ready_epoll();
	c->a[1] = (long)bp_buf;
	c->a[2] = 1;
	c->a[3] = 0;
	c->a[4] = (long)&sigset_empty;
	c->a[5] = 8;
}
static void s_epoll_pwait2(struct bp_call *c)
{
	s_epoll_wait(c);
	c->a[3] = (long)ts_zero;
}

static void s_socketpair(struct bp_call *c)
{
	c->a[0] = AF_UNIX;
	c->a[1] = SOCK_DGRAM;
	c->a[3] = (long)bp_buf;
}
static void s_bind(struct bp_call *c)
{
	c->a[0] = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	c->a[1] = (long)&abstract;
	c->a[2] = 10;
}
/* A listener bound to the abstract name, with one connection queued. */
static int pending_listener(void)
{
	int l = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	int c = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));

	CHECK_OK(bind(l, (struct sockaddr *)&abstract, 10));
	CHECK_OK(listen(l, 4));
	CHECK_OK(connect(c, (struct sockaddr *)&abstract, 10));
	return l;
}
static void s_connect(struct bp_call *c)
{
	int l = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));

	CHECK_OK(bind(l, (struct sockaddr *)&abstract, 10));
	CHECK_OK(listen(l, 4));
	s_bind(c);
}
static void s_accept(struct bp_call *c)
{
	c->a[0] = pending_listener();
	c->a[1] = (long)bp_buf;
	c->a[2] = (long)&addr_len;
}
static void s_getname(struct bp_call *c)
{
	int s = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));

	CHECK_OK(bind(s, (struct sockaddr *)&abstract, 10));
	c->a[0] = s;
	c->a[1] = (long)bp_buf;
	c->a[2] = (long)&addr_len;
}
static void s_getpeername(struct bp_call *c)
{
	int sv[2];

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	c->a[0] = sv[0];
	c->a[1] = (long)bp_buf;
	c->a[2] = (long)&addr_len;
}
/* A datagram pair; the receiving end gets 16 bytes queued. */
static void s_dgram(struct bp_call *c)
{
	int sv[2];

	CHECK_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	CHECK_EQ(send(sv[1], bp_buf2, 16, 0), 16);
	c->a[0] = sv[0];
	c->a[1] = (long)bp_buf;
	c->a[2] = 16;
	c->a[3] = MSG_DONTWAIT;
	c->a[4] = (long)&abstract;
	c->a[5] = 10;
}
static void s_recvfrom(struct bp_call *c)
{
	s_dgram(c);
	c->a[4] = (long)bp_buf2;
	c->a[5] = (long)&addr_len;
}
static void s_msg(struct bp_call *c)
{
	static struct iovec iov;
	static struct msghdr m;

	s_dgram(c);
	iov.iov_base = bp_buf;
	iov.iov_len = 16;
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	c->a[1] = (long)&m;
	c->a[2] = MSG_DONTWAIT;
}
static void s_sockopt(struct bp_call *c)
{
	c->a[0] = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	c->a[1] = SOL_SOCKET;
	c->a[2] = SO_PASSCRED;
	c->a[3] = (long)&int_one;
	c->a[4] = sizeof(int);
}
static void s_getsockopt(struct bp_call *c)
{
	s_sockopt(c);
	c->a[3] = (long)bp_buf;
	c->a[4] = (long)&addr_len;
	addr_len = sizeof(int);
}

#define OUT(name, arg, what, size, setup)                                  \
	BP_ROW(name, arg, what, size, setup, EF, EF, EF, EF)
#define OPT(name, arg, what, size, setup)                                  \
	BP_ROW(name, arg, what, size, setup, OK, EF, EF, EF)

static const struct bp_row rows[] = {
	OUT(epoll_ctl, 3, "event", 12, s_epoll_ctl),
	OUT(epoll_wait, 1, "events", 12, s_epoll_wait),
	OUT(epoll_pwait, 1, "events", 12, s_epoll_wait),
	OPT(epoll_pwait, 4, "sigmask", 8, s_epoll_wait),
	OUT(epoll_pwait2, 1, "events", 12, s_epoll_pwait2),
	OPT(epoll_pwait2, 3, "timeout", 16, s_epoll_pwait2),
	OPT(epoll_pwait2, 4, "sigmask", 8, s_epoll_pwait2),
	OUT(socketpair, 3, "sv", 8, s_socketpair),
	OUT(bind, 1, "addr", 10, s_bind),
	OUT(connect, 1, "addr", 10, s_connect),
	OPT(accept, 1, "addr", 2, s_accept),
	OUT(accept, 2, "addrlen", 4, s_accept),
	OPT(accept4, 1, "addr", 2, s_accept),
	OUT(accept4, 2, "addrlen", 4, s_accept),
	OUT(getsockname, 1, "addr", 10, s_getname),
	OUT(getsockname, 2, "addrlen", 4, s_getname),
	OUT(getpeername, 1, "addr", 2, s_getpeername),
	OUT(getpeername, 2, "addrlen", 4, s_getpeername),
	OUT(sendto, 1, "buf", 16, s_dgram),
	BP_ROW(sendto, 4, "addr", 10, s_dgram, RET(16), EF, EF, EF),
	OUT(recvfrom, 1, "buf", 16, s_recvfrom),
	BP_ROW(recvfrom, 4, "addr", 10, s_recvfrom,
	       RET(16), RET(16), RET(16), RET(16)),
	BP_ROW(recvfrom, 5, "addrlen", 4, s_recvfrom, EF, EF, EF, NA),
	OUT(sendmsg, 1, "msg", 56, s_msg),
	OUT(recvmsg, 1, "msg", 56, s_msg),
	OUT(setsockopt, 3, "optval", 4, s_sockopt),
	OUT(getsockopt, 3, "optval", 4, s_getsockopt),
	OUT(getsockopt, 4, "optlen", 4, s_getsockopt),
};

BP_NONE_LIST = {
	BP_NONE(eventfd, "a count"),
	BP_NONE(eventfd2, "a count and flags"),
	BP_NONE(epoll_create, "a size"),
	BP_NONE(epoll_create1, "flags"),
	BP_NONE(socket, "a family, a type and a protocol"),
	BP_NONE(listen, "a descriptor and a backlog"),
	BP_NONE(shutdown, "a descriptor and how"),
};

BP_TABLE_MAIN(rows)
