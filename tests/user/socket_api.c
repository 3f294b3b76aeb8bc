/*
 * socket_api.c - the socket calls' own rules on AF_UNIX: socket and
 * socketpair arguments, fstat (S_IFSOCK), the SOL_SOCKET options
 * (SO_TYPE, SO_DOMAIN, SO_PROTOCOL, SO_ERROR, SO_ACCEPTCONN, SO_PASSCRED,
 * SO_PEERCRED, SO_SNDBUF/SO_RCVBUF), ENOTSOCK, shutdown's arguments and
 * non-blocking behaviour.
 *
 * BASALT-ONLY ASSERTION: other address families fail with EAFNOSUPPORT
 * on Basalt, which has no network (docs/sockets.md); Linux has them.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static int getint(int fd, int opt)
{
	int v = -12345;
	socklen_t len = sizeof(v);

	CHECK_OK(getsockopt(fd, SOL_SOCKET, opt, &v, &len));
	CHECK_EQ(len, sizeof(v));
	return v;
}

static void case_create_errors(void)
{
	int sv[2];

	CHECK_ERR(socket(AF_UNIX, 0, 0), ESOCKTNOSUPPORT);
	CHECK_ERR(socket(AF_UNIX, SOCK_RDM, 0), ESOCKTNOSUPPORT);
	CHECK_ERR(socket(AF_UNIX, 7, 0), ESOCKTNOSUPPORT);
	CHECK_ERR(socket(AF_UNIX, 11, 0), EINVAL);
	CHECK_ERR(socket(AF_UNIX, SOCK_STREAM | 0x10000, 0), EINVAL);
	CHECK_ERR(socket(AF_UNIX, SOCK_STREAM, 5), EPROTONOSUPPORT);
	CHECK_ERR(socket(-1, SOCK_STREAM, 0), EAFNOSUPPORT);
	CHECK_ERR(socket(1000, SOCK_STREAM, 0), EAFNOSUPPORT);
	CHECK_ERR(syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, (int *)8), EFAULT);
	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, AF_UNIX, sv));
	close(sv[0]);
	close(sv[1]);
	if (is_basalt()) {	/* no network on Basalt: see the top */
		CHECK_ERR(socket(AF_INET, SOCK_STREAM, 0), EAFNOSUPPORT);
		CHECK_ERR(socket(AF_INET6, SOCK_DGRAM, 0), EAFNOSUPPORT);
	}
}

static void case_raw_is_dgram(void)
{
	int fd = CHECK_OK(socket(AF_UNIX, SOCK_RAW, 0));

	CHECK_EQ(getint(fd, SO_TYPE), SOCK_DGRAM);
	close(fd);
}

static void case_fstat_and_flags(void)
{
	int sv[2];
	struct stat st;
	char path[64], buf[64] = { 0 };

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK |
			    SOCK_CLOEXEC, 0, sv));
	CHECK_OK(fstat(sv[0], &st));
	CHECK(S_ISSOCK(st.st_mode));
	CHECK(fcntl(sv[0], F_GETFL) & O_NONBLOCK);
	CHECK_EQ(fcntl(sv[0], F_GETFL) & O_ACCMODE, O_RDWR);
	CHECK_EQ(fcntl(sv[1], F_GETFD), FD_CLOEXEC);
	CHECK_ERR(lseek(sv[0], 0, SEEK_SET), ESPIPE);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", sv[0]);
	CHECK_OK(readlink(path, buf, sizeof(buf) - 1));
	CHECK_EQ(strncmp(buf, "socket:[", 8), 0);
	close(sv[0]);
	close(sv[1]);
}

static void case_options(void)
{
	int s = CHECK_OK(socket(AF_UNIX, SOCK_SEQPACKET, 0)), v = 0;
	socklen_t len = sizeof(v);

	CHECK_EQ(getint(s, SO_TYPE), SOCK_SEQPACKET);
	CHECK_EQ(getint(s, SO_DOMAIN), AF_UNIX);
	CHECK_EQ(getint(s, SO_PROTOCOL), 0);
	CHECK_EQ(getint(s, SO_ERROR), 0);
	CHECK_EQ(getint(s, SO_ACCEPTCONN), 0);
	CHECK_EQ(getint(s, SO_PASSCRED), 0);
	v = 1;
	CHECK_OK(setsockopt(s, SOL_SOCKET, SO_PASSCRED, &v, sizeof(v)));
	CHECK_EQ(getint(s, SO_PASSCRED), 1);
	v = 1;
	CHECK_OK(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, sizeof(v)));
	CHECK_EQ(getint(s, SO_REUSEADDR), 1);
	CHECK_ERR(setsockopt(s, SOL_SOCKET, SO_PASSCRED, &v, 2), EINVAL);
	CHECK_ERR(setsockopt(s, SOL_SOCKET, 9999, &v, sizeof(v)), ENOPROTOOPT);
	CHECK_ERR(getsockopt(s, SOL_SOCKET, 9999, &v, &len), ENOPROTOOPT);
	CHECK_ERR(setsockopt(s, 6 /* TCP */, 1, &v, sizeof(v)), EOPNOTSUPP);
	len = 2;	/* a short buffer gets the first bytes */
	v = 0;
	CHECK_OK(getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len));
	CHECK_EQ(len, 2);
	CHECK_EQ(v, SOCK_SEQPACKET);
	close(s);
}

static void case_buffer_sizes(void)
{
	int s = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0)), v;

	CHECK_EQ(getint(s, SO_SNDBUF), 212992);
	CHECK_EQ(getint(s, SO_RCVBUF), 212992);
	v = 10000;
	CHECK_OK(setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)));
	CHECK_EQ(getint(s, SO_SNDBUF), 20000);
	v = 1;
	CHECK_OK(setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)));
	CHECK_EQ(getint(s, SO_SNDBUF), 4608);
	CHECK_OK(setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)));
	CHECK_EQ(getint(s, SO_RCVBUF), 2304);
	v = 1 << 30;
	CHECK_OK(setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)));
	CHECK_EQ(getint(s, SO_RCVBUF), 2 * 212992);
	close(s);
}

static void case_peercred(void)
{
	int sv[2], s = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	struct ucred uc;
	socklen_t len = sizeof(uc);

	CHECK_OK(getsockopt(s, SOL_SOCKET, SO_PEERCRED, &uc, &len));
	CHECK_EQ(len, sizeof(uc));
	CHECK_EQ(uc.pid, 0);
	CHECK_EQ(uc.uid, (uid_t)-1);
	CHECK_EQ(uc.gid, (gid_t)-1);
	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK_OK(getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &uc, &len));
	CHECK_EQ(uc.pid, getpid());
	CHECK_EQ(uc.uid, geteuid());
	CHECK_EQ(uc.gid, getegid());
	close(sv[0]);
	close(sv[1]);
	close(s);
}

static void case_notsock(void)
{
	int p[2], v;
	socklen_t len = sizeof(v);
	struct sockaddr_un a = { .sun_family = AF_UNIX };

	CHECK_OK(pipe(p));
	CHECK_ERR(getsockopt(p[0], SOL_SOCKET, SO_TYPE, &v, &len), ENOTSOCK);
	CHECK_ERR(bind(p[0], (void *)&a, sizeof(a)), ENOTSOCK);
	CHECK_ERR(listen(p[0], 1), ENOTSOCK);
	CHECK_ERR(shutdown(p[0], SHUT_RD), ENOTSOCK);
	CHECK_ERR(send(p[1], "x", 1, 0), ENOTSOCK);
	CHECK_ERR(recv(999, &v, 1, 0), EBADF);
	close(p[0]);
	close(p[1]);
}

static void case_shutdown_args(void)
{
	int sv[2];

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK_ERR(shutdown(sv[0], 3), EINVAL);
	CHECK_ERR(shutdown(sv[0], -1), EINVAL);
	CHECK_OK(shutdown(sv[0], SHUT_RDWR));
	CHECK_OK(shutdown(sv[0], SHUT_RDWR));
	close(sv[0]);
	close(sv[1]);
}

static void case_nonblocking(void)
{
	int sv[2];
	char c;

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK_ERR(recv(sv[0], &c, 1, MSG_DONTWAIT), EAGAIN);
	CHECK_OK(fcntl(sv[0], F_SETFL, O_NONBLOCK));
	CHECK_ERR(read(sv[0], &c, 1), EAGAIN);
	CHECK_EQ(write(sv[1], "q", 1), 1);
	CHECK_EQ(read(sv[0], &c, 1), 1);
	CHECK_EQ(c, 'q');
	close(sv[0]);
	close(sv[1]);
}

/* A fresh unconnected stream socket polls as HUP|OUT, as on Linux. */
static void case_poll_unconnected(void)
{
	int s = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	struct pollfd p = { .fd = s, .events = POLLIN | POLLOUT };

	CHECK_EQ(poll(&p, 1, 0), 1);
	CHECK_EQ(p.revents, POLLOUT | POLLHUP);
	close(s);
}

static const struct t_case cases[] = {
	{ case_create_errors, "create_errors" },
	{ case_raw_is_dgram, "raw_is_dgram" },
	{ case_fstat_and_flags, "fstat_and_flags" },
	{ case_options, "options" },
	{ case_buffer_sizes, "buffer_sizes" },
	{ case_peercred, "peercred" },
	{ case_notsock, "notsock" },
	{ case_shutdown_args, "shutdown_args" },
	{ case_nonblocking, "nonblocking" },
	{ case_poll_unconnected, "poll_unconnected" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
