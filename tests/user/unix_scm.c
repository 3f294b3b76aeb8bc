/*
 * unix_scm.c - what AF_UNIX messages carry beside data: descriptors
 * (SCM_RIGHTS: passing, several at once, MSG_CMSG_CLOEXEC, truncation
 * with MSG_CTRUNC, MSG_PEEK, files in flight freed when a socket closes
 * unread, sockets passed over themselves collected), credentials
 * (SO_PASSCRED, SCM_CREDENTIALS sent and checked), control-message
 * errors, and leaks: MemFree back after a thousand socket pairs with
 * passed descriptors.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#ifndef MIN
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#endif

/* Send one byte with the n descriptors of fds. */
static ssize_t send_fds(int s, const int *fds, int n, int flags)
{
	char cbuf[CMSG_SPACE(sizeof(int) * 8)] = { 0 };
	struct iovec iov = { "F", 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf,
			    .msg_controllen = CMSG_SPACE(sizeof(int) * n) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int) * n);
	memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
	return sendmsg(s, &m, flags);
}

/* Receive one message into fds (up to max); how many came, or -1. */
static int recv_fds(int s, int *fds, int max, int flags, int *mflags,
		    size_t clen)
{
	char cbuf[CMSG_SPACE(sizeof(int) * 8)], byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf, .msg_controllen = clen };
	struct cmsghdr *c;
	int n = 0;

	if (recvmsg(s, &m, flags) < 0)
		return -1;
	*mflags = m.msg_flags;
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		memcpy(fds, CMSG_DATA(c), sizeof(int) * (size_t)MIN(n, max));
	}
	return n;
}

static void case_pass_pipe(void)
{
	int sv[2], p[2], got[8], fl;
	char c;

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK_OK(pipe(p));
	CHECK_EQ(send_fds(sv[0], &p[1], 1, 0), 1);
	close(p[1]);			/* only the one in flight is left */
	CHECK_EQ(recv_fds(sv[1], got, 8, 0, &fl, CMSG_SPACE(32)), 1);
	CHECK_EQ(fl & MSG_CTRUNC, 0);
	CHECK_EQ(fcntl(got[0], F_GETFD), 0);
	CHECK_EQ(write(got[0], "!", 1), 1);	/* the same pipe */
	CHECK_EQ(read(p[0], &c, 1), 1);
	CHECK_EQ(c, '!');
	close(got[0]);
	CHECK_EQ(read(p[0], &c, 1), 0);		/* the last writer went */
	close(p[0]);
	close(sv[0]);
	close(sv[1]);
}

static void case_several_cloexec(void)
{
	int sv[2], fds[3], got[8], fl;
	struct stat a, b;

	CHECK_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	fds[0] = 0;
	fds[1] = CHECK_OK(open("/", O_RDONLY));
	fds[2] = sv[0];			/* a socket over itself */
	CHECK_EQ(send_fds(sv[0], fds, 3, 0), 1);
	CHECK_EQ(recv_fds(sv[1], got, 8, MSG_CMSG_CLOEXEC, &fl,
			  CMSG_SPACE(32)), 3);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(fcntl(got[i], F_GETFD), FD_CLOEXEC);
		CHECK_OK(fstat(fds[i], &a));
		CHECK_OK(fstat(got[i], &b));
		CHECK_EQ(a.st_ino, b.st_ino);
		close(got[i]);
	}
	close(fds[1]);
	close(sv[0]);
	close(sv[1]);
}

/* Too little control room: what fits is installed, the rest closed. */
static void case_ctrunc(void)
{
	int sv[2], fds[3] = { 0, 1, 2 }, got[8], fl, before, after;

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK_EQ(send_fds(sv[0], fds, 3, 0), 1);
	before = CHECK_OK(dup(0));
	close(before);
	CHECK_EQ(recv_fds(sv[1], got, 8, 0, &fl, CMSG_LEN(sizeof(int))), 1);
	CHECK_EQ(fl & MSG_CTRUNC, MSG_CTRUNC);
	close(got[0]);
	CHECK_EQ(send_fds(sv[0], fds, 2, 0), 1);
	CHECK_EQ(recv_fds(sv[1], got, 8, 0, &fl, 0), 0);
	CHECK_EQ(fl & MSG_CTRUNC, MSG_CTRUNC);
	after = CHECK_OK(dup(0));	/* nothing was left installed */
	CHECK_EQ(after, before);
	close(after);
	close(sv[0]);
	close(sv[1]);
}

static void case_peek_fds(void)
{
	int sv[2], fd = 0, got[8], fl;

	CHECK_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	CHECK_EQ(send_fds(sv[0], &fd, 1, 0), 1);
	CHECK_EQ(recv_fds(sv[1], got, 8, MSG_PEEK, &fl, CMSG_SPACE(32)), 1);
	close(got[0]);
	CHECK_EQ(recv_fds(sv[1], got, 8, 0, &fl, CMSG_SPACE(32)), 1);
	close(got[0]);
	close(sv[0]);
	close(sv[1]);
}

/* Read as a byte stream, passed files stop a read where they start. */
static void case_stream_boundary(void)
{
	int sv[2], fd = 0, got[8];
	char buf[8];

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	char cbuf[CMSG_SPACE(32)];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };

	CHECK_EQ(write(sv[0], "ab", 2), 2);
	CHECK_EQ(send_fds(sv[0], &fd, 1, 0), 1);
	CHECK_EQ(write(sv[0], "cd", 2), 2);
	/* The read takes the message with the files, then stops. */
	CHECK_EQ(recvmsg(sv[1], &m, 0), 3);
	CHECK_EQ(memcmp(buf, "abF", 3), 0);
	CHECK(CMSG_FIRSTHDR(&m) != NULL);
	memcpy(got, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof(int));
	close(got[0]);
	CHECK_EQ(read(sv[1], buf, sizeof(buf)), 2);
	CHECK_EQ(memcmp(buf, "cd", 2), 0);
	/* read(2) has no room for files: they are dropped. */
	CHECK_EQ(send_fds(sv[0], &fd, 1, 0), 1);
	CHECK_EQ(read(sv[1], buf, sizeof(buf)), 1);
	CHECK_EQ(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), -1);
	close(sv[0]);
	close(sv[1]);
}

static void case_errors(void)
{
	int sv[2], bad = 999, many[8] = { 0 };
	char cbuf[64] = { 0 };
	struct iovec iov = { "x", 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf, .msg_controllen = 64 };
	struct cmsghdr *c = (struct cmsghdr *)cbuf;

	CHECK_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	CHECK_ERR(send_fds(sv[0], &bad, 1, 0), EBADF);
	c->cmsg_len = 8;		/* shorter than its header */
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	CHECK_ERR(sendmsg(sv[0], &m, 0), EINVAL);
	c->cmsg_len = 200;		/* longer than the buffer */
	CHECK_ERR(sendmsg(sv[0], &m, 0), EINVAL);
	c->cmsg_len = CMSG_LEN(4);
	c->cmsg_type = 77;
	CHECK_ERR(sendmsg(sv[0], &m, 0), EINVAL);
	c->cmsg_level = 6;		/* other levels are ignored */
	m.msg_controllen = CMSG_SPACE(4);
	CHECK_EQ(sendmsg(sv[0], &m, 0), 1);
	/* Raw: musl copies the control data itself (and caps its size). */
	m.msg_controllen = 1 << 20;
	CHECK_ERR(syscall(SYS_sendmsg, sv[0], &m, 0), ENOBUFS);
	m.msg_control = (void *)8;
	m.msg_controllen = 64;
	CHECK_ERR(syscall(SYS_sendmsg, sv[0], &m, 0), EFAULT);
	CHECK_EQ(send_fds(sv[0], many, 8, 0), 1);
	close(sv[0]);
	close(sv[1]);
}

static void case_passcred(void)
{
	int sv[2], on = 1;
	char cbuf[CMSG_SPACE(sizeof(struct ucred))], byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	struct ucred uc;

	CHECK_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	CHECK_EQ(send(sv[0], "a", 1, 0), 1);
	CHECK_EQ(recvmsg(sv[1], &m, 0), 1);
	CHECK_EQ(m.msg_controllen, 0);		/* not asked for */
	CHECK_OK(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)));
	CHECK_EQ(send(sv[0], "b", 1, 0), 1);
	m.msg_controllen = sizeof(cbuf);
	CHECK_EQ(recvmsg(sv[1], &m, 0), 1);
	c = CMSG_FIRSTHDR(&m);
	CHECK(c != NULL);
	CHECK_EQ(c->cmsg_type, SCM_CREDENTIALS);
	CHECK_EQ(c->cmsg_len, CMSG_LEN(sizeof(uc)));
	memcpy(&uc, CMSG_DATA(c), sizeof(uc));
	CHECK_EQ(uc.pid, getpid());
	CHECK_EQ(uc.uid, getuid());
	CHECK_EQ(uc.gid, getgid());
	close(sv[0]);
	close(sv[1]);
}

static void case_send_creds(void)
{
	int sv[2], on = 1;
	char cbuf[CMSG_SPACE(sizeof(struct ucred))] = { 0 }, byte;
	struct iovec iov = { "c", 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	struct ucred uc = { getpid(), getuid(), getgid() };

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK_OK(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)));
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_CREDENTIALS;
	c->cmsg_len = CMSG_LEN(sizeof(uc));
	memcpy(CMSG_DATA(c), &uc, sizeof(uc));
	CHECK_EQ(sendmsg(sv[0], &m, 0), 1);
	c->cmsg_len = CMSG_LEN(sizeof(uc) - 1);
	CHECK_ERR(sendmsg(sv[0], &m, 0), EINVAL);
	iov.iov_base = &byte;
	m.msg_controllen = sizeof(cbuf);
	CHECK_EQ(recvmsg(sv[1], &m, 0), 1);
	c = CMSG_FIRSTHDR(&m);
	CHECK(c != NULL && c->cmsg_type == SCM_CREDENTIALS);
	memcpy(&uc, CMSG_DATA(c), sizeof(uc));
	CHECK_EQ(uc.pid, getpid());
	close(sv[0]);
	close(sv[1]);
}

/* Claiming another's credentials needs privilege. */
static void case_creds_checked(void)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		int sv[2];
		char cbuf[CMSG_SPACE(sizeof(struct ucred))] = { 0 };
		struct iovec iov = { "c", 1 };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
				    .msg_control = cbuf,
				    .msg_controllen = sizeof(cbuf) };
		struct cmsghdr *c = CMSG_FIRSTHDR(&m);
		struct ucred uc;

		if (setgid(1000) || setuid(1000))
			_exit(2);
		uc.pid = getpid();
		uc.uid = 0;		/* not ours */
		uc.gid = getgid();
		CHECK_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_CREDENTIALS;
		c->cmsg_len = CMSG_LEN(sizeof(uc));
		memcpy(CMSG_DATA(c), &uc, sizeof(uc));
		CHECK_ERR(sendmsg(sv[0], &m, 0), EPERM);
		uc.uid = getuid();
		uc.pid = 1;		/* nor this */
		memcpy(CMSG_DATA(c), &uc, sizeof(uc));
		CHECK_ERR(sendmsg(sv[0], &m, 0), EPERM);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
}

/* A socket closed with passed files unread drops them. */
static void case_inflight_freed(void)
{
	int sv[2], p[2];
	char c;

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK_OK(pipe(p));
	CHECK_EQ(send_fds(sv[0], &p[1], 1, 0), 1);
	close(p[1]);
	close(sv[1]);			/* unread: the pipe end goes */
	CHECK_EQ(read(p[0], &c, 1), 0);
	close(p[0]);
	close(sv[0]);
}

/* A socket passed over itself and closed: only the GC can free it. */
static void case_gc_cycle(void)
{
	int sv[2], p[2];
	char c;

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK_OK(pipe(p));
	/* sv[1] carries itself and a pipe's write end. */
	int fds[2] = { sv[1], p[1] };

	CHECK_EQ(send_fds(sv[0], fds, 2, 0), 1);
	close(p[1]);
	close(sv[1]);
	close(sv[0]);
	/* Once the cycle is collected, the pipe has no writer. The GC runs
	 * at a socket's close: Linux's too, but Linux may defer it, so make
	 * one more socket close and then look. */
	int s = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));

	close(s);
	if (is_basalt())	/* Linux 6.1 collects asynchronously */
		CHECK_EQ(read(p[0], &c, 1), 0);
	close(p[0]);
}

static void pass_rounds(int n)
{
	for (int i = 0; i < n; i++) {
		int sv[2], got[8], fl, fds[2];

		if (socketpair(AF_UNIX, i % 2 ? SOCK_DGRAM : SOCK_STREAM, 0,
			       sv) < 0)
			T_FAIL("socketpair round %d", i);
		fds[0] = 0;
		fds[1] = sv[i % 3 == 0 ? 1 : 0];
		if (send_fds(sv[0], fds, 2, 0) != 1)
			T_FAIL("send round %d", i);
		if (i % 4 == 0) {
			if (recv_fds(sv[1], got, 8, 0, &fl, CMSG_SPACE(32)) != 2)
				T_FAIL("recv round %d", i);
			close(got[0]);
			close(got[1]);
		}
		close(sv[0]);
		close(sv[1]);
	}
}

static void case_leak(void)
{
	t_check_no_leak("1000 socket pairs with passed descriptors",
			pass_rounds, 1000);
}

static const struct t_case cases[] = {
	{ case_pass_pipe, "pass_pipe" },
	{ case_several_cloexec, "several_cloexec" },
	{ case_ctrunc, "ctrunc" },
	{ case_peek_fds, "peek_fds" },
	{ case_stream_boundary, "stream_boundary" },
	{ case_errors, "errors" },
	{ case_passcred, "passcred" },
	{ case_send_creds, "send_creds" },
	{ case_creds_checked, "creds_checked" },
	{ case_inflight_freed, "inflight_freed" },
	{ case_gc_cycle, "gc_cycle" },
	{ case_leak, "leak" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
