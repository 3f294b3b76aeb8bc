/*
 * unix_stream.c - AF_UNIX SOCK_STREAM: socketpair, bind to a path (a
 * socket inode) and to abstract names, listen/connect/accept/accept4
 * with the backlog, getsockname/getpeername, shutdown and end of file,
 * EPIPE and SIGPIPE (and MSG_NOSIGNAL), ECONNRESET, MSG_PEEK, MSG_WAITALL,
 * readv/writev, a full send buffer, and poll/epoll readiness.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <sched.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

static socklen_t path_addr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	strcpy(a->sun_path, path);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
			   strlen(path) + 1);
}

/* An abstract name: a NUL, then name (no terminating NUL counted). */
static socklen_t abstract_addr(struct sockaddr_un *a, const char *name)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	memcpy(a->sun_path + 1, name, strlen(name));
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
			   strlen(name));
}

/* A listening socket bound to path, made fresh. */
static int listener(const char *path, int backlog)
{
	struct sockaddr_un a;
	socklen_t len = path_addr(&a, path);
	int s = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));

	unlink(path);
	CHECK_OK(bind(s, (struct sockaddr *)&a, len));
	CHECK_OK(listen(s, backlog));
	return s;
}

static int connect_to(const char *path, int flags)
{
	struct sockaddr_un a;
	socklen_t len = path_addr(&a, path);
	int c = CHECK_OK(socket(AF_UNIX, SOCK_STREAM | flags, 0));

	CHECK_OK(connect(c, (struct sockaddr *)&a, len));
	return c;
}

static short revents(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };

	CHECK_OK(poll(&p, 1, 0));
	return p.revents;
}

static void case_pair_echo(void)
{
	int sv[2];
	char buf[16] = { 0 };

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK_EQ(write(sv[0], "hello", 5), 5);
	CHECK_EQ(send(sv[0], " world", 6, 0), 6);
	CHECK_EQ(read(sv[1], buf, sizeof(buf)), 11);	/* a byte stream */
	CHECK_EQ(memcmp(buf, "hello world", 11), 0);
	CHECK_EQ(send(sv[1], "back", 4, MSG_NOSIGNAL), 4);
	CHECK_EQ(recv(sv[0], buf, 2, 0), 2);
	CHECK_EQ(recv(sv[0], buf + 2, 10, 0), 2);
	CHECK_EQ(memcmp(buf, "back", 4), 0);
	close(sv[0]);
	close(sv[1]);
}

static void case_bind_path(void)
{
	const char *path = "/tmp/us-bind";
	struct sockaddr_un a, got;
	socklen_t len = path_addr(&a, path), glen = sizeof(got);
	int s = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	int s2 = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	struct stat st;

	unlink(path);
	CHECK_OK(bind(s, (struct sockaddr *)&a, len));
	CHECK_OK(stat(path, &st));
	CHECK(S_ISSOCK(st.st_mode));
	CHECK_ERR(bind(s2, (struct sockaddr *)&a, len), EADDRINUSE);
	CHECK_ERR(bind(s, (struct sockaddr *)&a, len), EADDRINUSE);
	path_addr(&got, "/tmp/us-bind-2");
	CHECK_ERR(bind(s, (struct sockaddr *)&got, len + 2), EINVAL);
	CHECK_ERR(access("/tmp/us-bind-2", F_OK), ENOENT);
	CHECK_OK(getsockname(s, (struct sockaddr *)&got, &glen));
	CHECK_EQ(glen, len);
	CHECK_EQ(strcmp(got.sun_path, path), 0);
	CHECK_ERR(bind(s2, (struct sockaddr *)&a, 1), EINVAL);
	a.sun_family = AF_INET;
	CHECK_ERR(bind(s2, (struct sockaddr *)&a, len), EINVAL);
	close(s);
	/* The name outlives the socket until unlinked. */
	CHECK_OK(stat(path, &st));
	CHECK_OK(unlink(path));
	path_addr(&a, "/nonexistent-dir/sock");
	CHECK_ERR(bind(s2, (struct sockaddr *)&a, sizeof(a)), ENOENT);
	close(s2);
}

static void case_unnamed_names(void)
{
	int sv[2];
	struct sockaddr_un got;
	socklen_t glen = sizeof(got);

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK_OK(getsockname(sv[0], (struct sockaddr *)&got, &glen));
	CHECK_EQ(glen, sizeof(sa_family_t));
	CHECK_EQ(got.sun_family, AF_UNIX);
	glen = sizeof(got);
	CHECK_OK(getpeername(sv[0], (struct sockaddr *)&got, &glen));
	CHECK_EQ(glen, sizeof(sa_family_t));
	close(sv[0]);
	close(sv[1]);
	sv[0] = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	glen = sizeof(got);
	CHECK_ERR(getpeername(sv[0], (struct sockaddr *)&got, &glen),
		  ENOTCONN);
	close(sv[0]);
}

static void case_autobind(void)
{
	int s = CHECK_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	struct sockaddr_un a = { .sun_family = AF_UNIX }, got;
	socklen_t glen = sizeof(got);

	CHECK_OK(bind(s, (struct sockaddr *)&a, sizeof(sa_family_t)));
	CHECK_OK(getsockname(s, (struct sockaddr *)&got, &glen));
	CHECK_EQ(glen, offsetof(struct sockaddr_un, sun_path) + 6);
	CHECK_EQ(got.sun_path[0], 0);
	close(s);
}

static void case_connect_accept(void)
{
	const char *path = "/tmp/us-listen";
	int l = listener(path, 5), c, a, on = 0;
	struct sockaddr_un peer;
	socklen_t plen = sizeof(peer), olen = sizeof(on);
	char buf[8];

	CHECK_EQ(revents(l, POLLIN), 0);
	CHECK_OK(getsockopt(l, SOL_SOCKET, SO_ACCEPTCONN, &on, &olen));
	CHECK_EQ(on, 1);
	c = connect_to(path, 0);
	CHECK_EQ(revents(l, POLLIN), POLLIN);
	a = CHECK_OK(accept4(l, (struct sockaddr *)&peer, &plen,
			     SOCK_CLOEXEC));
	CHECK_EQ(plen, sizeof(sa_family_t));	/* the client is unnamed */
	CHECK_EQ(fcntl(a, F_GETFD), FD_CLOEXEC);
	plen = sizeof(peer);
	CHECK_OK(getpeername(c, (struct sockaddr *)&peer, &plen));
	CHECK_EQ(strcmp(peer.sun_path, path), 0);
	plen = sizeof(peer);
	CHECK_OK(getsockname(a, (struct sockaddr *)&peer, &plen));
	CHECK_EQ(strcmp(peer.sun_path, path), 0);
	CHECK_EQ(write(c, "ping", 4), 4);
	CHECK_EQ(read(a, buf, sizeof(buf)), 4);
	CHECK_EQ(write(a, "pong", 4), 4);
	CHECK_EQ(read(c, buf, sizeof(buf)), 4);
	CHECK_EQ(memcmp(buf, "pong", 4), 0);
	CHECK_ERR(connect(c, (struct sockaddr *)&peer, plen), EISCONN);
	/* raw: musl retries a refused accept4 as a plain, blocking accept */
	CHECK_ERR(syscall(SYS_accept4, l, NULL, NULL, 0x1), EINVAL);
	close(a);
	close(c);
	close(l);
	unlink(path);
}

static void case_connect_errors(void)
{
	struct sockaddr_un a;
	socklen_t len;
	int s = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	int d = CHECK_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	int f;

	len = path_addr(&a, "/tmp/us-none");
	unlink("/tmp/us-none");
	CHECK_ERR(connect(s, (struct sockaddr *)&a, len), ENOENT);
	len = abstract_addr(&a, "us-nobody-here");
	CHECK_ERR(connect(s, (struct sockaddr *)&a, len), ECONNREFUSED);
	/* A file that is no socket. */
	f = CHECK_OK(open("/tmp/us-file", O_CREAT | O_WRONLY, 0600));
	close(f);
	len = path_addr(&a, "/tmp/us-file");
	CHECK_ERR(connect(s, (struct sockaddr *)&a, len), ECONNREFUSED);
	unlink("/tmp/us-file");
	/* Bound but not listening. */
	len = path_addr(&a, "/tmp/us-quiet");
	unlink("/tmp/us-quiet");
	CHECK_OK(bind(d, (struct sockaddr *)&a, len));
	CHECK_ERR(connect(s, (struct sockaddr *)&a, len), EPROTOTYPE);
	close(d);
	unlink("/tmp/us-quiet");
	d = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	CHECK_OK(bind(d, (struct sockaddr *)&a, len));
	CHECK_ERR(connect(s, (struct sockaddr *)&a, len), ECONNREFUSED);
	CHECK_ERR(listen(s, 1), EINVAL);	/* not bound */
	CHECK_ERR(accept(d, NULL, NULL), EINVAL);	/* not listening */
	CHECK_ERR(recv(s, &len, 1, 0), EINVAL);		/* not connected */
	CHECK_ERR(send(s, "x", 1, MSG_NOSIGNAL), ENOTCONN);
	close(d);
	close(s);
	unlink("/tmp/us-quiet");
	d = CHECK_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	CHECK_ERR(listen(d, 1), EOPNOTSUPP);
	CHECK_ERR(accept(d, NULL, NULL), EOPNOTSUPP);
	close(d);
}

static void case_abstract(void)
{
	struct sockaddr_un a, got;
	socklen_t len = abstract_addr(&a, "us-abstract"), glen = sizeof(got);
	int l = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	int l2 = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	int c = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0)), s;

	CHECK_OK(bind(l, (struct sockaddr *)&a, len));
	CHECK_ERR(bind(l2, (struct sockaddr *)&a, len), EADDRINUSE);
	CHECK_OK(getsockname(l, (struct sockaddr *)&got, &glen));
	CHECK_EQ(glen, len);
	CHECK_EQ(memcmp(&got, &a, len), 0);
	CHECK_OK(listen(l, 1));
	CHECK_OK(connect(c, (struct sockaddr *)&a, len));
	s = CHECK_OK(accept(l, NULL, NULL));
	CHECK_EQ(write(s, "abc", 3), 3);
	close(s);
	close(c);
	close(l);
	/* The name went with the socket. */
	CHECK_OK(bind(l2, (struct sockaddr *)&a, len));
	close(l2);
}

/* More than backlog connections wait; a non-blocking one gets EAGAIN. */
static void case_backlog(void)
{
	const char *path = "/tmp/us-backlog";
	struct sockaddr_un a;
	socklen_t len = path_addr(&a, path);
	int l = listener(path, 1), c[3], x;

	c[0] = connect_to(path, 0);
	c[1] = connect_to(path, 0);	/* Linux lets backlog + 1 in */
	c[2] = CHECK_OK(socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0));
	CHECK_ERR(connect(c[2], (struct sockaddr *)&a, len), EAGAIN);
	x = CHECK_OK(accept(l, NULL, NULL));
	CHECK_OK(connect(c[2], (struct sockaddr *)&a, len));
	close(x);
	for (int i = 0; i < 3; i++)
		close(c[i]);
	close(l);
	unlink(path);
}

/* A blocked connect proceeds once the listener accepts. */
static void case_backlog_blocking(void)
{
	const char *path = "/tmp/us-backlog2";
	int l = listener(path, 0), c0 = connect_to(path, 0), a;
	pid_t pid = t_fork();

	if (pid == 0) {
		int c = connect_to(path, 0);

		_exit(write(c, "k", 1) == 1 ? 0 : 1);
	}
	while (t_proc_state(pid) != 'S')
		sched_yield();
	a = CHECK_OK(accept(l, NULL, NULL));	/* c0: room for the child */
	close(a);
	a = CHECK_OK(accept(l, NULL, NULL));
	CHECK_EXITED(t_wait(pid), 0);
	close(a);
	close(c0);
	close(l);
	unlink(path);
}

static void case_shutdown_eof(void)
{
	int sv[2];
	char c;

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK_EQ(write(sv[0], "z", 1), 1);
	CHECK_OK(shutdown(sv[0], SHUT_WR));
	CHECK_EQ(revents(sv[1], POLLIN | POLLRDHUP), POLLIN | POLLRDHUP);
	CHECK_EQ(read(sv[1], &c, 1), 1);
	CHECK_EQ(read(sv[1], &c, 1), 0);		/* end of file */
	CHECK_ERR(send(sv[0], "y", 1, MSG_NOSIGNAL), EPIPE);
	CHECK_EQ(write(sv[1], "r", 1), 1);		/* the other way works */
	CHECK_EQ(read(sv[0], &c, 1), 1);
	CHECK_OK(shutdown(sv[1], SHUT_WR));
	CHECK_EQ(revents(sv[0], POLLIN | POLLOUT),
		 POLLIN | POLLOUT | POLLHUP);
	close(sv[0]);
	close(sv[1]);
}

static void case_shutdown_rd(void)
{
	int sv[2];
	char c;

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK_OK(shutdown(sv[1], SHUT_RD));
	CHECK_EQ(read(sv[1], &c, 1), 0);
	CHECK_ERR(send(sv[0], "y", 1, MSG_NOSIGNAL), EPIPE);
	close(sv[0]);
	close(sv[1]);
}

static void case_epipe_sigpipe(void)
{
	int sv[2], status;
	pid_t pid;

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	close(sv[1]);
	CHECK_ERR(send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE);
	pid = t_fork();
	if (pid == 0) {
		(void)write(sv[0], "x", 1);
		_exit(0);
	}
	status = t_wait(pid);
	CHECK_SIGNALED(status, SIGPIPE);
	signal(SIGPIPE, SIG_IGN);
	CHECK_ERR(write(sv[0], "x", 1), EPIPE);
	close(sv[0]);
}

/* Closing with data unread resets the peer. */
static void case_econnreset(void)
{
	int sv[2];
	char c;

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK_EQ(write(sv[0], "u", 1), 1);
	close(sv[1]);
	CHECK_ERR(read(sv[0], &c, 1), ECONNRESET);
	CHECK_EQ(read(sv[0], &c, 1), 0);
	close(sv[0]);
}

static void case_peek_waitall(void)
{
	int sv[2];
	char buf[8] = { 0 };
	pid_t pid;

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK_EQ(write(sv[0], "ab", 2), 2);
	CHECK_EQ(write(sv[0], "cd", 2), 2);
	CHECK_EQ(recv(sv[1], buf, 8, MSG_PEEK), 4);
	CHECK_EQ(memcmp(buf, "abcd", 4), 0);
	CHECK_EQ(recv(sv[1], buf, 3, 0), 3);
	CHECK_EQ(recv(sv[1], buf, 8, MSG_PEEK | MSG_DONTWAIT), 1);
	CHECK_EQ(buf[0], 'd');
	CHECK_EQ(recv(sv[1], buf, 8, 0), 1);
	pid = t_fork();
	if (pid == 0) {
		for (int i = 0; i < 6; i++) {
			while (t_proc_state(getppid()) != 'S')
				sched_yield();
			if (write(sv[0], "w", 1) != 1)
				_exit(1);
		}
		_exit(0);
	}
	CHECK_EQ(recv(sv[1], buf, 6, MSG_WAITALL), 6);
	CHECK_EQ(memcmp(buf, "wwwwww", 6), 0);
	CHECK_EXITED(t_wait(pid), 0);
	close(sv[0]);
	close(sv[1]);
}

static void case_readv_writev(void)
{
	int sv[2];
	char a[3] = "abc", b[4] = "defg", x[2], y[5];
	struct iovec out[2] = { { a, 3 }, { b, 4 } }, in[2] = { { x, 2 },
								   { y, 5 } };

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK_EQ(writev(sv[0], out, 2), 7);
	CHECK_EQ(readv(sv[1], in, 2), 7);
	CHECK_EQ(memcmp(x, "ab", 2), 0);
	CHECK_EQ(memcmp(y, "cdefg", 5), 0);
	close(sv[0]);
	close(sv[1]);
}

/* Non-blocking writes fill the buffer, then EAGAIN; reads make room. */
static void case_full_buffer(void)
{
	static char chunk[4096], sink[65536];
	int sv[2];
	long total = 0, got = 0, r;

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv));
	while ((r = write(sv[0], chunk, sizeof(chunk))) > 0)
		total += r;
	CHECK_EQ(errno, EAGAIN);
	CHECK(total > 0);
	CHECK_EQ(revents(sv[0], POLLOUT), 0);
	while ((r = read(sv[1], sink, sizeof(sink))) > 0)
		got += r;
	CHECK_EQ(got, total);
	CHECK_EQ(revents(sv[0], POLLOUT), POLLOUT);
	close(sv[0]);
	close(sv[1]);
}

static void case_epoll_readiness(void)
{
	int sv[2], ep = CHECK_OK(epoll_create1(0));
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP | EPOLLET };
	char c;

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev));
	CHECK_EQ(epoll_wait(ep, &ev, 1, 0), 0);
	CHECK_EQ(write(sv[0], "e", 1), 1);
	CHECK_EQ(epoll_wait(ep, &ev, 1, 0), 1);
	CHECK_EQ(ev.events, EPOLLIN);
	CHECK_EQ(epoll_wait(ep, &ev, 1, 0), 0);
	CHECK_EQ(read(sv[1], &c, 1), 1);
	CHECK_OK(shutdown(sv[0], SHUT_WR));
	CHECK_EQ(epoll_wait(ep, &ev, 1, 0), 1);
	CHECK_EQ(ev.events, EPOLLIN | EPOLLRDHUP);
	close(sv[0]);
	CHECK_EQ(epoll_wait(ep, &ev, 1, 0), 1);
	CHECK_EQ(ev.events, EPOLLIN | EPOLLRDHUP | EPOLLHUP);
	close(sv[1]);
	close(ep);
}

/* A blocked reader is woken by the writer's close. */
static void case_blocked_read_eof(void)
{
	int sv[2];
	char c;
	pid_t pid;

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pid = t_fork();
	if (pid == 0) {
		close(sv[1]);
		while (t_proc_state(getppid()) != 'S')
			sched_yield();
		close(sv[0]);
		_exit(0);
	}
	close(sv[0]);
	CHECK_EQ(read(sv[1], &c, 1), 0);
	CHECK_EXITED(t_wait(pid), 0);
	close(sv[1]);
}

static const struct t_case cases[] = {
	{ case_pair_echo, "pair_echo" },
	{ case_bind_path, "bind_path" },
	{ case_unnamed_names, "unnamed_names" },
	{ case_autobind, "autobind" },
	{ case_connect_accept, "connect_accept" },
	{ case_connect_errors, "connect_errors" },
	{ case_abstract, "abstract" },
	{ case_backlog, "backlog" },
	{ case_backlog_blocking, "backlog_blocking" },
	{ case_shutdown_eof, "shutdown_eof" },
	{ case_shutdown_rd, "shutdown_rd" },
	{ case_epipe_sigpipe, "epipe_sigpipe" },
	{ case_econnreset, "econnreset" },
	{ case_peek_waitall, "peek_waitall" },
	{ case_readv_writev, "readv_writev" },
	{ case_full_buffer, "full_buffer" },
	{ case_epoll_readiness, "epoll_readiness" },
	{ case_blocked_read_eof, "blocked_read_eof" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
