/*
 * unix_dgram.c - AF_UNIX SOCK_DGRAM and SOCK_SEQPACKET: message
 * boundaries, MSG_TRUNC both ways, sendto/recvfrom with names, a default
 * peer (connect, AF_UNSPEC), EPERM from a receiver connected elsewhere,
 * ECONNREFUSED then ENOTCONN after the peer closes, EMSGSIZE, end of
 * file and EPIPE on seqpacket, and poll readiness.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
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

static int bound_dgram(const char *path, struct sockaddr_un *a,
		       socklen_t *len)
{
	int s = CHECK_OK(socket(AF_UNIX, SOCK_DGRAM, 0));

	*len = path_addr(a, path);
	unlink(path);
	CHECK_OK(bind(s, (struct sockaddr *)a, *len));
	return s;
}

static void case_boundaries(void)
{
	int sv[2];
	char buf[16];

	CHECK_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	CHECK_EQ(send(sv[0], "one", 3, 0), 3);
	CHECK_EQ(send(sv[0], "three", 5, 0), 5);
	CHECK_EQ(send(sv[0], "", 0, 0), 0);
	CHECK_EQ(recv(sv[1], buf, sizeof(buf), 0), 3);
	CHECK_EQ(recv(sv[1], buf, sizeof(buf), 0), 5);
	CHECK_EQ(memcmp(buf, "three", 5), 0);
	CHECK_EQ(recv(sv[1], buf, sizeof(buf), 0), 0);	/* the empty one */
	CHECK_ERR(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	close(sv[0]);
	close(sv[1]);
}

static void case_trunc(void)
{
	int sv[2];
	char buf[4];
	struct iovec iov = { buf, 2 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };

	CHECK_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	CHECK_EQ(send(sv[0], "abcdef", 6, 0), 6);
	CHECK_EQ(send(sv[0], "ghijkl", 6, 0), 6);
	CHECK_EQ(send(sv[0], "mnopqr", 6, 0), 6);
	CHECK_EQ(recv(sv[1], buf, 2, MSG_PEEK), 2);
	CHECK_EQ(recvmsg(sv[1], &m, 0), 2);		/* the rest is lost */
	CHECK_EQ(m.msg_flags & MSG_TRUNC, MSG_TRUNC);
	CHECK_EQ(memcmp(buf, "ab", 2), 0);
	CHECK_EQ(recv(sv[1], buf, 2, MSG_TRUNC), 6);	/* the real length */
	CHECK_EQ(memcmp(buf, "gh", 2), 0);
	CHECK_EQ(recv(sv[1], buf, 4, 0), 4);
	CHECK_EQ(memcmp(buf, "mnop", 4), 0);
	close(sv[0]);
	close(sv[1]);
}

static void case_sendto_recvfrom(void)
{
	struct sockaddr_un a, b, from;
	socklen_t alen, blen, flen = sizeof(from);
	int sa = bound_dgram("/tmp/ud-a", &a, &alen);
	int sb = bound_dgram("/tmp/ud-b", &b, &blen);
	int anon = CHECK_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	char buf[8];

	CHECK_EQ(sendto(sa, "hi", 2, 0, (struct sockaddr *)&b, blen), 2);
	CHECK_EQ(recvfrom(sb, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			  &flen), 2);
	CHECK_EQ(flen, alen);
	CHECK_EQ(strcmp(from.sun_path, "/tmp/ud-a"), 0);
	CHECK_EQ(sendto(anon, "yo", 2, 0, (struct sockaddr *)&b, blen), 2);
	flen = sizeof(from);
	CHECK_EQ(recvfrom(sb, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			  &flen), 2);
	CHECK_EQ(flen, 0);			/* an unnamed sender */
	CHECK_ERR(send(anon, "x", 1, 0), ENOTCONN);
	CHECK_ERR(sendto(anon, "x", 1, 0, (struct sockaddr *)&b, 1), EINVAL);
	unlink("/tmp/ud-b");
	CHECK_ERR(sendto(anon, "x", 1, 0, (struct sockaddr *)&b, blen),
		  ENOENT);
	close(sa);
	close(sb);
	close(anon);
	unlink("/tmp/ud-a");
}

static void case_connected_peer(void)
{
	struct sockaddr_un a, b;
	socklen_t alen, blen;
	int sa = bound_dgram("/tmp/ud-c", &a, &alen);
	int sb = bound_dgram("/tmp/ud-d", &b, &blen);
	int other = CHECK_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	char buf[8];

	CHECK_OK(connect(sa, (struct sockaddr *)&b, blen));
	CHECK_EQ(send(sa, "p", 1, 0), 1);
	CHECK_EQ(recv(sb, buf, sizeof(buf), 0), 1);
	/* sb connected to sa refuses everybody else. */
	CHECK_OK(connect(sb, (struct sockaddr *)&a, alen));
	CHECK_ERR(sendto(other, "q", 1, 0, (struct sockaddr *)&b, blen),
		  EPERM);
	CHECK_OK(connect(sb, &unspec, sizeof(unspec)));
	CHECK_EQ(sendto(other, "q", 1, 0, (struct sockaddr *)&b, blen), 1);
	close(sa);
	close(sb);
	close(other);
	unlink("/tmp/ud-c");
	unlink("/tmp/ud-d");
}

/* The peer gone: refused once, then not connected. */
static void case_peer_closed(void)
{
	int sv[2];

	CHECK_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	close(sv[1]);
	CHECK_ERR(send(sv[0], "x", 1, 0), ECONNREFUSED);
	CHECK_ERR(send(sv[0], "x", 1, 0), ENOTCONN);
	close(sv[0]);
}

static void case_emsgsize(void)
{
	int sv[2], v = 8192;
	size_t big = 300000;
	char *buf = malloc(big);

	CHECK(buf != NULL);
	CHECK_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	CHECK_ERR(send(sv[0], buf, big, 0), EMSGSIZE);
	CHECK_OK(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)));
	CHECK_ERR(send(sv[0], buf, 2 * 8192 - 31, 0), EMSGSIZE);
	CHECK_EQ(send(sv[0], buf, 2 * 8192 - 32, 0), 2 * 8192 - 32);
	free(buf);
	close(sv[0]);
	close(sv[1]);
}

/* Non-blocking sends stop with EAGAIN; poll agrees. */
static void case_full(void)
{
	int sv[2], n = 0;
	char buf[1024] = { 0 };
	struct pollfd p;

	CHECK_OK(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sv));
	while (send(sv[0], buf, sizeof(buf), 0) == sizeof(buf))
		n++;
	CHECK_EQ(errno, EAGAIN);
	CHECK(n > 0);
	p.fd = sv[0];
	p.events = POLLOUT;
	CHECK_EQ(poll(&p, 1, 0), 0);
	p.fd = sv[1];
	p.events = POLLIN;
	CHECK_EQ(poll(&p, 1, 0), 1);
	for (int i = 0; i < n; i++)
		CHECK_EQ(recv(sv[1], buf, sizeof(buf), 0), sizeof(buf));
	p.fd = sv[0];
	p.events = POLLOUT;
	CHECK_EQ(poll(&p, 1, 0), 1);
	close(sv[0]);
	close(sv[1]);
}

static void case_seqpacket(void)
{
	int sv[2];
	char buf[8];

	CHECK_OK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
	CHECK_EQ(send(sv[0], "12", 2, 0), 2);
	CHECK_EQ(send(sv[0], "345", 3, 0), 3);
	CHECK_EQ(recv(sv[1], buf, sizeof(buf), 0), 2);
	CHECK_EQ(recv(sv[1], buf, 1, 0), 1);	/* the rest is dropped */
	CHECK_OK(shutdown(sv[0], SHUT_WR));
	CHECK_EQ(recv(sv[1], buf, sizeof(buf), 0), 0);
	CHECK_ERR(send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE);
	close(sv[0]);
	close(sv[1]);
}

static void case_seqpacket_listen(void)
{
	struct sockaddr_un a;
	socklen_t len = path_addr(&a, "/tmp/ud-seq");
	int l = CHECK_OK(socket(AF_UNIX, SOCK_SEQPACKET, 0));
	int c = CHECK_OK(socket(AF_UNIX, SOCK_SEQPACKET, 0)), s;
	char buf[8];

	unlink("/tmp/ud-seq");
	CHECK_ERR(send(c, "x", 1, MSG_NOSIGNAL), ENOTCONN);
	CHECK_ERR(recv(c, buf, 1, 0), ENOTCONN);
	CHECK_OK(bind(l, (struct sockaddr *)&a, len));
	CHECK_OK(listen(l, 2));
	CHECK_OK(connect(c, (struct sockaddr *)&a, len));
	s = CHECK_OK(accept(l, NULL, NULL));
	CHECK_EQ(send(c, "msg", 3, 0), 3);
	CHECK_EQ(recv(s, buf, sizeof(buf), 0), 3);
	close(s);
	CHECK_EQ(recv(c, buf, sizeof(buf), 0), 0);
	close(c);
	close(l);
	unlink("/tmp/ud-seq");
}

static const struct t_case cases[] = {
	{ case_boundaries, "boundaries" },
	{ case_trunc, "trunc" },
	{ case_sendto_recvfrom, "sendto_recvfrom" },
	{ case_connected_peer, "connected_peer" },
	{ case_peer_closed, "peer_closed" },
	{ case_emsgsize, "emsgsize" },
	{ case_full, "full" },
	{ case_seqpacket, "seqpacket" },
	{ case_seqpacket_listen, "seqpacket_listen" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
