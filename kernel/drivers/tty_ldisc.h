/*
 * The line discipline's view of a terminal, shared by the drivers in this
 * directory that put a terminal on something: the console (tty.c) and the
 * pseudo-terminals (pty.c). Not for other subsystems: they open ttys
 * through the character-device table.
 */
#ifndef BASALT_DRIVERS_TTY_LDISC_H
#define BASALT_DRIVERS_TTY_LDISC_H

#include <types.h>
#include <fs/file.h>
#include <fs/poll.h>
#include <sync/waitq.h>
#include <uapi/termios.h>

struct tty;

/* What the terminal's far end provides. */
struct tty_ops {
	/* Put len bytes on the screen (echo and output, after OPOST); may
	 * drop what does not fit. Called in any context, possibly with
	 * tty.wq.lock held and interrupts off: must not sleep. */
	void (*write)(struct tty *t, const char *buf, size_t len);
	/* Sleep until write takes len bytes whole; 0, -EIO (the far end is
	 * gone) or -ERESTARTSYS. NULL: write always takes everything. */
	int (*wait_room)(struct tty *t, size_t len);
	/* Output was stopped (IXON's STOP, TCOOFF) or started again: hold
	 * what write puts on the screen from now on, or let it all go.
	 * wq.lock held; must not sleep. NULL: the screen is never held. */
	void (*flow)(struct tty *t, bool stopped);
};

#define TTY_BUF		4096	/* N_TTY_BUF_SIZE */

struct tty {
	struct waitq wq;		/* wq.lock guards everything below */
	const struct tty_ops *ops;	/* fixed */
	void *driver;			/* the driver's, fixed */
	struct termios termios;
	struct winsize winsize;
	char buf[TTY_BUF];
	uint8_t flag[TTY_BUF];
	/* Free-running indices: data is [tail, head), complete (canonical)
	 * lines are [tail, canon). */
	unsigned int head, tail, canon;
	bool lnext;			/* the next byte is literal */
	bool erasing;			/* ECHOPRT: inside "\...erased" */
	bool hung_up;			/* reads see end of file, writes EIO */
	bool stopped;			/* output stopped: writers wait */
	bool tco_stopped;		/* ...by TCOOFF: only TCOON starts it */
	/* The screen's cursor column as output moved it (OPOST), and where
	 * the line being typed began: what erasing a TAB rubs out. */
	unsigned int column, canon_column;
	pid_t session;			/* 0: nobody's controlling tty */
	pid_t pgrp;			/* foreground process group */
	int signal;			/* to send once the lock is dropped */
	struct poll_head poll;		/* epoll's wake-ups (fs/poll.h) */
};

/* A terminal in Linux's initial mode, its far end ops. */
void tty_setup(struct tty *t, const struct tty_ops *ops, void *driver);
/* One byte typed at t (the far end's input); any context. */
void tty_receive(struct tty *t, char c);
/* The far end is gone: readers get end of file, writers -EIO. */
void tty_hangup(struct tty *t);

/* ioctl(2) on terminal t (arg a user pointer or value). */
long tty_ioctl(struct tty *t, unsigned int cmd, unsigned long arg);

/* Boot: register /dev/ptmx (pty.c). */
void pty_init(void);
/* Whether t is session sid's terminal; *fg its foreground group if so. */
bool tty_session_is(struct tty *t, pid_t sid, pid_t *fg);
/* Session sid gives t up: its old foreground group, or -1 if t was not
 * sid's terminal. */
pid_t tty_session_drop(struct tty *t, pid_t sid);
/* tty_session_drop on the pseudo-terminal of session sid (pty.c). */
pid_t pty_session_drop(pid_t sid);
/* tty_of_session (drivers/tty.h) among the pseudo-terminals (pty.c). */
bool pty_of_session(pid_t sid, dev_t *dev, pid_t *fg);

/* File operations on a terminal whose file's private is the struct tty. */
ssize_t tty_file_read(struct file *f, struct iobuf *io, off_t *pos);
ssize_t tty_file_write(struct file *f, struct iobuf *io, off_t *pos);
long tty_file_ioctl(struct file *f, unsigned int cmd, unsigned long arg);
unsigned int tty_file_poll(struct file *f);
struct poll_head *tty_file_poll_head(struct file *f);
off_t tty_file_llseek(struct file *f, off_t off, int whence);

#endif
