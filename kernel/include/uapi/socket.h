/* Sockets ABI (linux/socket.h, asm-generic/socket.h, linux/un.h, x86-64). */
#ifndef BASALT_UAPI_SOCKET_H
#define BASALT_UAPI_SOCKET_H

#include <types.h>
#include <uapi/uio.h>

#define AF_UNSPEC	0
#define AF_UNIX		1
#define AF_INET		2
#define AF_INET6	10
#define AF_MAX		46	/* Linux 6.1's NPROTO */

#define SOCK_STREAM	1
#define SOCK_DGRAM	2
#define SOCK_RAW	3
#define SOCK_RDM	4
#define SOCK_SEQPACKET	5
#define SOCK_MAX	11	/* SOCK_PACKET + 1 */
#define SOCK_TYPE_MASK	0xf
#define SOCK_NONBLOCK	00004000
#define SOCK_CLOEXEC	02000000

#define SOL_SOCKET	1
#define SO_DEBUG	1
#define SO_REUSEADDR	2
#define SO_TYPE		3
#define SO_ERROR	4
#define SO_DONTROUTE	5
#define SO_BROADCAST	6
#define SO_SNDBUF	7
#define SO_RCVBUF	8
#define SO_KEEPALIVE	9
#define SO_PASSCRED	16
#define SO_PEERCRED	17
#define SO_ACCEPTCONN	30
#define SO_SNDBUFFORCE	32
#define SO_RCVBUFFORCE	33
#define SO_PROTOCOL	38
#define SO_DOMAIN	39

#define MSG_OOB		0x1
#define MSG_PEEK	0x2
#define MSG_DONTROUTE	0x4
#define MSG_CTRUNC	0x8
#define MSG_TRUNC	0x20
#define MSG_DONTWAIT	0x40
#define MSG_EOR		0x80
#define MSG_WAITALL	0x100
#define MSG_NOSIGNAL	0x4000
#define MSG_CMSG_CLOEXEC 0x40000000

#define SCM_RIGHTS	1
#define SCM_CREDENTIALS	2
#define SCM_MAX_FD	253

#define SHUT_RD		0
#define SHUT_WR		1
#define SHUT_RDWR	2

#define SOMAXCONN	4096

struct sockaddr_un {
	uint16_t sun_family;
	char sun_path[108];
};
_Static_assert(sizeof(struct sockaddr_un) == 110, "sockaddr_un size");

/* The most any address may be (struct sockaddr_storage). */
#define SOCKADDR_MAX	128

struct msghdr {
	void __user *msg_name;
	int msg_namelen;
	struct iovec __user *msg_iov;
	size_t msg_iovlen;
	void __user *msg_control;
	size_t msg_controllen;
	int msg_flags;
};
_Static_assert(sizeof(struct msghdr) == 56, "struct msghdr size");
_Static_assert(offsetof(struct msghdr, msg_flags) == 48, "msg_flags offset");

struct cmsghdr {
	size_t cmsg_len;
	int cmsg_level;
	int cmsg_type;
};
_Static_assert(sizeof(struct cmsghdr) == 16, "struct cmsghdr size");

#define CMSG_ALIGN(len)	(((len) + sizeof(long) - 1) & ~(sizeof(long) - 1))
#define CMSG_LEN(len)	(sizeof(struct cmsghdr) + (len))
#define CMSG_SPACE(len)	(sizeof(struct cmsghdr) + CMSG_ALIGN(len))

struct ucred {
	int32_t pid;
	uint32_t uid;
	uint32_t gid;
};
_Static_assert(sizeof(struct ucred) == 12, "struct ucred size");

#define FIONREAD_SOCK	0x541B	/* SIOCINQ */
#define SIOCOUTQ	0x5411

#endif
