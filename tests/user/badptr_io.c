/*
 * badptr_io.c - bad pointers in the calls that move data through file
 * descriptors, wait on them or control them (see badptr.h).
 *
 * Linux facts the rows record:
 * - A read or write whose buffer runs off the end of a mapping transfers
 *   the bytes before the end and returns that count (here 32 of 64); the
 *   same holds for a vector whose first buffer is good and second bad,
 *   unless the bad buffer lies in the kernel half, which import_iovec
 *   refuses before anything moves.
 * - poll, select and pselect6 read the descriptor sets whole before
 *   waiting; a NULL set or timeout is "none" (the setups always make one
 *   descriptor ready, so no probe waits).
 * - sendfile's offset is optional; pipe copies both descriptors out at
 *   once and closes them again when that fails.
 * - ioctl and fcntl touch their argument only for commands that take a
 *   pointer: terminal attributes and window size of the console (fd 1),
 *   FIONREAD of a pipe, FIONBIO, and the lock commands. (The owner
 *   commands, F_GETOWN_EX and F_SETOWN_EX, have no rows: Basalt has no
 *   SIGIO and refuses them with EINVAL, whatever the pointer.)
 */
#include "badptr.h"


static struct iovec iov[2];
static struct pollfd pfd;
static uint64_t fdsets[3];	/* 64 descriptors each */
static long ts_zero[2];
static struct { void *ss; long len; } psig;
static uint64_t sigmask;
static char lockbuf[64];
static long off;

static long open_f(int flags) { return CHECK_OK(open("f", flags)); }

static void s_read(struct bp_call *c)
{
	c->a[0] = open_f(O_RDONLY);
	c->a[1] = (long)bp_buf;
	c->a[2] = 64;
}
static void s_write(struct bp_call *c)
{
	c->a[0] = open_f(O_WRONLY);
	c->a[1] = (long)bp_buf;
	c->a[2] = 64;
}
static void s_rv(struct bp_call *c, int flags)
{
	c->a[0] = open_f(flags);
	iov[0] = (struct iovec){ bp_buf, 64 };
	iov[1] = (struct iovec){ bp_buf2, 64 };
	c->a[1] = (long)iov;
	c->a[2] = 2;
}
static void s_readv(struct bp_call *c) { s_rv(c, O_RDONLY); }
static void s_writev(struct bp_call *c) { s_rv(c, O_WRONLY); }
static void s_readv_b0(struct bp_call *c) { s_readv(c); c->slot = &iov[0].iov_base; }
static void s_readv_b1(struct bp_call *c) { s_readv(c); c->slot = &iov[1].iov_base; }
static void s_writev_b0(struct bp_call *c) { s_writev(c); c->slot = &iov[0].iov_base; }
static void s_writev_b1(struct bp_call *c) { s_writev(c); c->slot = &iov[1].iov_base; }
static void s_poll(struct bp_call *c)
{
	pfd = (struct pollfd){ .fd = (int)open_f(O_RDONLY), .events = POLLIN };
	c->a[0] = (long)&pfd;
	c->a[1] = 1;
}
static void s_ppoll(struct bp_call *c)
{
	s_poll(c);
	c->a[2] = (long)ts_zero;
	c->a[3] = (long)&sigmask;
	c->a[4] = 8;
}
/* select(64, in, out, ex, timeout): f is writable, so it returns 1.
 * (Linux reads no more of a set than the process's descriptor table
 * holds, 64 here: so 64, and sets of 8 bytes.) */
static void s_select(struct bp_call *c)
{
	long fd = open_f(O_WRONLY);

	fdsets[1] |= 1UL << fd;
	c->a[0] = 64;
	c->a[1] = (long)&fdsets[0];
	c->a[2] = (long)&fdsets[1];
	c->a[3] = (long)&fdsets[2];
	c->a[4] = (long)ts_zero;
}
static void s_pselect6(struct bp_call *c)
{
	s_select(c);
	psig.ss = &sigmask;
	psig.len = 8;
	c->a[5] = (long)&psig;
}
static void s_pselect6_ss(struct bp_call *c) { s_pselect6(c); c->slot = &psig.ss; }
static void s_sendfile(struct bp_call *c)
{
	c->a[0] = CHECK_OK(open("g", O_WRONLY));
	c->a[1] = open_f(O_RDONLY);
	c->a[2] = (long)&off;
	c->a[3] = 64;
}
static void s_pipe(struct bp_call *c) { c->a[0] = (long)bp_buf; }
static void s_ioctl_tty(struct bp_call *c, unsigned long cmd)
{
	c->a[0] = 1;
	c->a[1] = (long)cmd;
	c->a[2] = (long)bp_buf;
	CHECK_OK(ioctl(1, TCGETS, bp_buf));	/* TCSETS sets what it was */
}
static void s_tcgets(struct bp_call *c) { s_ioctl_tty(c, TCGETS); }
static void s_tcsets(struct bp_call *c) { s_ioctl_tty(c, TCSETS); }
static void s_tiocgwinsz(struct bp_call *c) { s_ioctl_tty(c, TIOCGWINSZ); }
static void s_tiocswinsz(struct bp_call *c)
{
	s_ioctl_tty(c, TIOCSWINSZ);
	CHECK_OK(ioctl(1, TIOCGWINSZ, bp_buf));	/* sets what it was */
}
static void s_tty_fionread(struct bp_call *c) { s_ioctl_tty(c, FIONREAD); }
static void s_tiocoutq(struct bp_call *c) { s_ioctl_tty(c, TIOCOUTQ); }
static void s_tiocgetd(struct bp_call *c) { s_ioctl_tty(c, TIOCGETD); }
static void s_tiocgpgrp(struct bp_call *c) { s_ioctl_tty(c, TIOCGPGRP); }
static void s_tiocspgrp(struct bp_call *c) { s_ioctl_tty(c, TIOCSPGRP); }
static void s_tiocgsid(struct bp_call *c) { s_ioctl_tty(c, TIOCGSID); }
static void s_fionread(struct bp_call *c)
{
	int p[2];

	CHECK_OK(pipe(p));
	CHECK_EQ(write(p[1], "abc", 3), 3);
	c->a[0] = p[0];
	c->a[1] = FIONREAD;
	c->a[2] = (long)bp_buf;
}
static void s_fionbio(struct bp_call *c)
{
	c->a[0] = open_f(O_RDONLY);
	c->a[1] = FIONBIO;
	c->a[2] = (long)bp_buf;
}
static void s_fcntl(struct bp_call *c, int cmd)
{
	struct flock *l = (struct flock *)lockbuf;

	c->a[0] = open_f(O_RDWR);
	c->a[1] = cmd;
	c->a[2] = (long)lockbuf;
	l->l_type = F_RDLCK;
	l->l_whence = SEEK_SET;
}
static void s_getlk(struct bp_call *c) { s_fcntl(c, F_GETLK); }
static void s_setlk(struct bp_call *c) { s_fcntl(c, F_SETLK); }
static void s_ofd_getlk(struct bp_call *c) { s_fcntl(c, F_OFD_GETLK); }
static void s_ofd_setlk(struct bp_call *c) { s_fcntl(c, F_OFD_SETLK); }

#define BUF(name, arg, what, size, setup, straddle)                        \
	BP_ROW(name, arg, what, size, setup, EF, EF, EF, straddle)

#define BUF_PARTIAL(name, what, size, setup)                               \
	BP_ROW(name, 1, what, size, setup, EF, EF, EF, RET(32))
#define LOCK(name, what, setup)                                            \
	BP_ROW(name, 2, what, 32, setup, EF, EF, EF, EF)

static const struct bp_row rows[] = {
	BUF_PARTIAL(read, "buf", 64, s_read),
	BUF_PARTIAL(pread64, "buf", 64, s_read),
	BUF_PARTIAL(write, "buf", 64, s_write),
	BUF_PARTIAL(pwrite64, "buf", 64, s_write),
	BUF(readv, 1, "iov", 32, s_readv, EF),
	BUF_PARTIAL(readv, "iov[0].iov_base", 64, s_readv_b0),
	BP_ROW(readv, 1, "iov[1].iov_base", 64, s_readv_b1,
	       RET(64), RET(64), EF, RET(96)),
	BUF(preadv, 1, "iov", 32, s_readv, EF),
	BUF_PARTIAL(preadv, "iov[0].iov_base", 64, s_readv_b0),
	BUF(writev, 1, "iov", 32, s_writev, EF),
	BUF_PARTIAL(writev, "iov[0].iov_base", 64, s_writev_b0),
	BP_ROW(writev, 1, "iov[1].iov_base", 64, s_writev_b1,
	       RET(64), RET(64), EF, RET(96)),
	BUF(pwritev, 1, "iov", 32, s_writev, EF),
	BUF_PARTIAL(pwritev, "iov[0].iov_base", 64, s_writev_b0),
	BUF(poll, 0, "fds", 8, s_poll, EF),
	BUF(ppoll, 0, "fds", 8, s_ppoll, EF),
	BP_ROW(ppoll, 2, "tsp", 16, s_ppoll, RET(1), EF, EF, EF),
	BP_ROW(ppoll, 3, "sigmask", 8, s_ppoll, RET(1), EF, EF, EF),
	BP_ROW(select, 1, "readfds", 8, s_select, RET(1), EF, EF, EF),
	BP_ROW(select, 2, "writefds", 8, s_select, RET(0), EF, EF, EF),
	BP_ROW(select, 3, "exceptfds", 8, s_select, RET(1), EF, EF, EF),
	BP_ROW(select, 4, "timeout", 16, s_select, RET(1), EF, EF, EF),
	BP_ROW(pselect6, 1, "readfds", 8, s_pselect6, RET(1), EF, EF, EF),
	BP_ROW(pselect6, 2, "writefds", 8, s_pselect6, RET(0), EF, EF, EF),
	BP_ROW(pselect6, 3, "exceptfds", 8, s_pselect6, RET(1), EF, EF, EF),
	BP_ROW(pselect6, 4, "timeout", 16, s_pselect6, RET(1), EF, EF, EF),
	BP_ROW(pselect6, 5, "sigmask", 16, s_pselect6, RET(1), EF, EF, EF),
	BP_ROW(pselect6, 5, "sigmask->ss", 8, s_pselect6_ss, RET(1), EF, EF, EF),
	BP_ROW(sendfile, 2, "offset", 8, s_sendfile, RET(64), EF, EF, EF),
	BUF(pipe, 0, "pipefd", 8, s_pipe, EF),
	BUF(pipe2, 0, "pipefd", 8, s_pipe, EF),
	BUF(ioctl, 2, "TCGETS termios", 36, s_tcgets, EF),
	BUF(ioctl, 2, "TCSETS termios", 36, s_tcsets, EF),
	BUF(ioctl, 2, "TIOCGWINSZ winsize", 8, s_tiocgwinsz, EF),
	BUF(ioctl, 2, "TIOCSWINSZ winsize", 8, s_tiocswinsz, EF),
	BUF(ioctl, 2, "FIONREAD of the console", 4, s_tty_fionread, EF),
	BUF(ioctl, 2, "TIOCOUTQ", 4, s_tiocoutq, EF),
	BUF(ioctl, 2, "TIOCGETD", 4, s_tiocgetd, EF),
	/* The console is no process's controlling terminal: ENOTTY, but
	 * only after TIOCSPGRP has read its argument. */
	BP_ROW(ioctl, 2, "TIOCGPGRP", 4, s_tiocgpgrp,
	       ENOTTY, ENOTTY, ENOTTY, ENOTTY),
	BUF(ioctl, 2, "TIOCSPGRP", 4, s_tiocspgrp, EF),
	BP_ROW(ioctl, 2, "TIOCGSID", 4, s_tiocgsid,
	       ENOTTY, ENOTTY, ENOTTY, ENOTTY),
	BUF(ioctl, 2, "FIONREAD of a pipe", 4, s_fionread, EF),
	BUF(ioctl, 2, "FIONBIO", 4, s_fionbio, EF),
	LOCK(fcntl, "F_GETLK flock", s_getlk),
	LOCK(fcntl, "F_SETLK flock", s_setlk),
	LOCK(fcntl, "F_OFD_GETLK flock", s_ofd_getlk),
	LOCK(fcntl, "F_OFD_SETLK flock", s_ofd_setlk),
};

BP_NONE_LIST = {
	BP_NONE(close, "a descriptor only"),
	BP_NONE(close_range, "descriptor numbers and flags"),
	BP_NONE(dup, "a descriptor only"),
	BP_NONE(dup2, "descriptors only"),
	BP_NONE(dup3, "descriptors and flags"),
	BP_NONE(lseek, "a descriptor, an offset and a whence"),
};

BP_TABLE_MAIN(rows)
