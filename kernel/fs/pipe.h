/*
 * Pipes' insides, shared by pipe.c (the data path, FIFOs, pipe(2)) and
 * pipe_size.c (capacity: F_GETPIPE_SZ/F_SETPIPE_SZ, the per-user page
 * accounting and the fs.pipe-* knobs).
 *
 * A pipe is Linux's ring of buffers: nr_bufs slots (a power of two, the
 * pipe's capacity in pages), each holding at most one page of data. A
 * write fills new slots a page at a time; a write of a few bytes is
 * merged into the last slot when its page has room, unless the slot is a
 * packet (O_DIRECT: every write is its own packet, and a read takes one
 * packet, dropping what does not fit). Pages are allocated as data
 * arrives and freed as it is read.
 */
#ifndef BASALT_FS_PIPE_H
#define BASALT_FS_PIPE_H

#include "vfs.h"
#include <fs/poll.h>

#define PIPE_DEF_BUFFERS	16	/* 64 KiB, Linux's default */
#define PIPE_MIN_DEF_BUFFERS	2	/* over pipe-user-pages-soft */

struct pipe_buf {
	struct page *page;
	uint32_t off, len;		/* the data in page */
	bool packet;			/* O_DIRECT: never merged into */
};

struct pipe_user;

struct pipe {
	struct mutex read_lock;		/* one reader copies out at a time */
	struct waitq wq;		/* wq.lock guards everything below */
	struct pipe_buf *bufs;		/* nr_bufs slots */
	unsigned int nr_bufs;		/* a power of two */
	unsigned int head, tail;	/* slots filled / emptied, ever */
	unsigned int readers, writers;
	uint64_t opens_r, opens_w;	/* FIFO: how many opens so far */
	struct pipe_user *user;		/* whose pages these are (fixed) */
	unsigned int nr_accounted;	/* slots counted for that user */
	struct poll_head poll;		/* epoll's wake-ups (fs/poll.h) */
};

/* pipe_size.c: the slots a new pipe gets, counted for the caller's real
 * uid (p->user, p->nr_accounted, p->nr_bufs set); 0 or -ENOMEM. */
int pipe_account_new(struct pipe *p);
/* The pipe is freed: its slots no longer count. */
void pipe_account_free(struct pipe *p);

#endif
