/* epoll(7) and eventfd(2) ABI (uapi/linux/eventpoll.h, linux/eventfd.h). */
#ifndef BASALT_UAPI_EVENTPOLL_H
#define BASALT_UAPI_EVENTPOLL_H

#include <types.h>

#define EPOLL_CLOEXEC	02000000

#define EPOLL_CTL_ADD	1
#define EPOLL_CTL_DEL	2
#define EPOLL_CTL_MOD	3

#define EPOLLIN		0x00000001
#define EPOLLPRI	0x00000002
#define EPOLLOUT	0x00000004
#define EPOLLERR	0x00000008
#define EPOLLHUP	0x00000010
#define EPOLLNVAL	0x00000020
#define EPOLLRDNORM	0x00000040
#define EPOLLRDBAND	0x00000080
#define EPOLLWRNORM	0x00000100
#define EPOLLWRBAND	0x00000200
#define EPOLLMSG	0x00000400
#define EPOLLRDHUP	0x00002000
#define EPOLLEXCLUSIVE	(1U << 28)
#define EPOLLWAKEUP	(1U << 29)
#define EPOLLONESHOT	(1U << 30)
#define EPOLLET		(1U << 31)

/* x86-64 packs it: 12 bytes. */
struct epoll_event {
	uint32_t events;
	uint64_t data;
} __attribute__((packed));
_Static_assert(sizeof(struct epoll_event) == 12, "struct epoll_event size");

#define EFD_SEMAPHORE	1
#define EFD_CLOEXEC	02000000
#define EFD_NONBLOCK	00004000

#endif
