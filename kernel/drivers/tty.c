/*
 * Terminals: Linux's N_TTY line discipline, for the console (/dev/console
 * 5:1 and /dev/tty 5:0, over console_write() for output and the UART
 * receive interrupt, tty_receive_char, for input) and for the
 * pseudo-terminals of pty.c (over their master side). TIOCSTI types too.
 * How it behaves, and how it is tested on both kernels: docs/tty.md.
 *
 * Input goes into a ring buffer. In canonical mode (ICANON) it is edited
 * there (ERASE, KILL, WERASE, LNEXT, REPRINT) and becomes readable a line
 * at a time, when NL, EOL, EOL2 or EOF arrives; a per-byte flag marks
 * where lines end and which ends are EOF (not passed to the reader). In
 * non-canonical mode every byte is readable at once and VMIN/VTIME decide
 * when read() returns. ISIG characters send signals to the foreground
 * process group, ECHO* echo the input, ICRNL/INLCR/IGNCR/ISTRIP translate
 * it, and OPOST/ONLCR/OCRNL translate output.
 *
 * Locking: tty.wq.lock (a spinlock, taken with interrupts off) guards all
 * of struct tty. The interrupt handler takes only that lock and writes
 * echoes under it, so tty_ops.write must be safe there (tty_ldisc.h).
 * Readers sleep on tty.wq and copy to user space after dropping it.
 *
 * Sessions: the proc code has no controlling-terminal field yet, so the
 * tty remembers the session that acquired it (TIOCSCTTY) and treats
 * "current->sid == tty.session" as "this is my controlling terminal".
 */
#include <types.h>
#include <fs/file.h>
#include <fs/chrdev.h>
#include <drivers/console.h>
#include <drivers/tty.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/uaccess.h>
#include <proc/task.h>
#include <sync/waitq.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/signal.h>
#include <uapi/termios.h>
#include <uapi/poll.h>
#include <fs/poll.h>
#include "tty_ldisc.h"

/*
 * Signal delivery belongs to the proc code; until it provides these they
 * resolve to NULL and ISIG characters, SIGWINCH and SIGTTOU are not sent.
 * signal_kill_pgrp may be called from interrupt context.
 */
int signal_kill_pgrp(pid_t pgrp, int sig) __attribute__((weak));

#define TTY_F_EOL	0x1	/* a line ends after this byte */
#define TTY_F_EOF	0x2	/* ...and the byte is EOF: not returned */

static struct tty console_tty;
static const struct file_ops console_ops;
static int tty_job_check(struct tty *t, int sig);
static int tty_io_job_check(struct file *f, struct tty *t, int sig);

static void tty_default_termios(struct termios *t)
{
	static const cc_t cc[NCCS] = {
		[VINTR] = 003, [VQUIT] = 034, [VERASE] = 0177, [VKILL] = 025,
		[VEOF] = 004, [VTIME] = 0, [VMIN] = 1, [VSTART] = 021,
		[VSTOP] = 023, [VSUSP] = 032, [VREPRINT] = 022,
		[VDISCARD] = 017, [VWERASE] = 027, [VLNEXT] = 026,
	};

	memset(t, 0, sizeof(*t));
	t->c_iflag = ICRNL | IXON;
	t->c_oflag = OPOST | ONLCR;
	/* What Linux's 8250 console gives ttyS0 (console=ttyS0: 9600n8). */
	t->c_cflag = B9600 | CS8 | CREAD | HUPCL | CLOCAL;
	t->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE |
		     IEXTEN;
	memcpy(t->c_cc, cc, sizeof(cc));
}

/* ---- Output ------------------------------------------------------------ */

/* The cursor column after output byte c (already OPOST-translated), as
 * Linux's do_output_char counts it; only with OPOST, as Linux. */
static void tty_move_column(struct tty *t, unsigned char c)
{
	tcflag_t oflag = t->termios.c_oflag;

	if (!(oflag & OPOST))
		return;
	if (c == '\r' || (c == '\n' && (oflag & ONLRET)))
		t->column = 0;
	else if (c == '\t')
		t->column = (t->column | 7) + 1;
	else if (c == '\b')
		t->column -= t->column > 0;
	else if (c >= 0x20 && c != 0x7f && (c & 0xc0) != 0x80)
		t->column++;	/* printable, not a UTF-8 continuation */
	if (c == '\r' || c == '\n')
		t->canon_column = t->column;
}

/* To the screen: the far end's write. wq.lock held. */
static void tty_out(struct tty *t, const char *buf, size_t len)
{
	spin_assert_held(&t->wq.lock);
	for (size_t i = 0; i < len; i++)
		tty_move_column(t, (unsigned char)buf[i]);
	t->ops->write(t, buf, len);
}

/* OPOST translation of c into out (room for 2); returns the length. */
static size_t tty_opost(tcflag_t oflag, char c, char *out)
{
	if (oflag & OPOST) {
		if (c == '\n' && (oflag & ONLCR)) {
			out[0] = '\r';
			out[1] = '\n';
			return 2;
		}
		if (c == '\r' && (oflag & OCRNL))
			c = '\n';
	}
	out[0] = c;
	return 1;
}

static void tty_put_raw(struct tty *t, char c)
{
	char out[2];

	tty_out(t, out, tty_opost(t->termios.c_oflag, c, out));
}

static bool is_ctl(unsigned char c)
{
	return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f;
}

/* Echo c as the terminal shows it: control characters as ^X. */
static void tty_echo(struct tty *t, unsigned char c)
{
	char caret[2] = { '^', (char)(c ^ 0100) };

	if ((t->termios.c_lflag & ECHOCTL) && is_ctl(c))
		tty_out(t, caret, 2);
	else
		tty_put_raw(t, (char)c);
}

/* ---- Input ------------------------------------------------------------- */

static unsigned int tty_count(const struct tty *t)
{
	return t->head - t->tail;
}

static void tty_put(struct tty *t, unsigned char c, uint8_t flag)
{
	t->buf[t->head % TTY_BUF] = (char)c;
	t->flag[t->head % TTY_BUF] = flag;
	t->head++;
	if (flag)
		t->canon = t->head;
}

static void tty_flush_input(struct tty *t)
{
	t->head = t->tail = t->canon = 0;
	t->lnext = t->erasing = false;
}

/* Columns the echo of c took, TAB aside (as Linux's eraser counts). */
static unsigned int tty_echo_width(const struct tty *t, unsigned char c)
{
	if (is_ctl(c) || c == '\n')	/* ^X, or nothing without ECHOCTL */
		return (t->termios.c_lflag & ECHOCTL) ? 2 : 0;
	return (c & 0xc0) != 0x80;	/* a UTF-8 continuation takes none */
}

/*
 * Backspaces over a TAB just erased (the line now ends before it): its
 * width is what takes the column of the rest of the line to the next
 * multiple of 8, counted from the previous TAB or from the column the
 * line began at (Linux's eraser and ECHO_OP_ERASE_TAB).
 */
static void tty_echo_erase_tab(struct tty *t)
{
	unsigned int cols = 0, i = t->head;
	bool after_tab = false;

	while (i != t->canon) {
		unsigned char c = (unsigned char)t->buf[--i % TTY_BUF];

		if (c == '\t') {
			after_tab = true;
			break;
		}
		cols += tty_echo_width(t, c);
	}
	if (!after_tab)
		cols += t->canon_column;
	for (cols = 8 - (cols & 7); cols; cols--)
		tty_out(t, "\b", 1);
}

/* Erase the echo of the byte c that is being removed. */
static void tty_echo_erase(struct tty *t, unsigned char c)
{
	/* A control character echoed as ^X takes two columns; unechoed
	 * (no ECHOCTL), none, as in Linux's eraser(). */
	unsigned int cols = tty_echo_width(t, c);

	if (!(t->termios.c_lflag & ECHO))
		return;
	if (c == '\t') {
		tty_echo_erase_tab(t);
		return;
	}
	while (cols--)
		tty_out(t, "\b \b", 3);
}

/* Word characters for WERASE: Linux's (BSD's ALTWERASE) alnum and '_'. */
static bool is_word_char(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '_';
}

/* ECHOPRT shows erased bytes between '\' and '/': close the '\'. */
static void tty_finish_erasing(struct tty *t)
{
	if (t->erasing)
		tty_out(t, "/", 1);
	t->erasing = false;
}

/* Echo the erasure of prev by ERASE, WERASE or KILL c. */
static void tty_echo_erased(struct tty *t, unsigned char c,
			    unsigned char prev, bool by_erase)
{
	tcflag_t lflag = t->termios.c_lflag;

	if (!(lflag & ECHO))
		return;
	if (lflag & ECHOPRT) {		/* hardcopy: print what goes */
		if (!t->erasing)
			tty_out(t, "\\", 1);
		t->erasing = true;
		tty_echo(t, prev);
	} else if (by_erase && !(lflag & ECHOE)) {
		tty_echo(t, c);		/* only ERASE echoes itself */
	} else {
		tty_echo_erase(t, prev);
	}
}

/* ERASE, WERASE and KILL, within the line being typed (Linux's
 * eraser(): nothing at all, not even an echo, on an empty line). */
static void tty_erase(struct tty *t, unsigned char c)
{
	tcflag_t lflag = t->termios.c_lflag;
	bool kill = c == t->termios.c_cc[VKILL];
	bool werase = c == t->termios.c_cc[VWERASE];
	bool seen_word = false;	/* WERASE: a word character was erased */

	if (t->head == t->canon)
		return;
	if (kill && (!(lflag & ECHOE) || !(lflag & ECHOK) ||
		     !(lflag & ECHOKE) || !(lflag & ECHO))) {
		t->head = t->canon;
		if (lflag & ECHO) {
			tty_finish_erasing(t);
			tty_echo(t, c);
			if (lflag & ECHOK)
				tty_put_raw(t, '\n');
		}
		return;
	}
	while (t->head != t->canon) {
		unsigned char prev = (unsigned char)t->buf[(t->head - 1) %
							   TTY_BUF];
		bool word = is_word_char(prev);

		/* WERASE erases what follows the word, then the word. */
		if (werase && seen_word && !word)
			break;
		seen_word |= word;
		t->head--;
		tty_echo_erased(t, c, prev, !kill && !werase);
		if (!kill && !werase)
			break;
	}
	if (t->head == t->canon && (lflag & ECHO))
		tty_finish_erasing(t);
}

/* Output flow control (Linux's stop_tty/start_tty); wq.lock held.
 * Writers sleeping on wq are woken by the caller once it drops it. */
static void tty_stop(struct tty *t)
{
	spin_assert_held(&t->wq.lock);
	if (t->stopped)
		return;
	t->stopped = true;
	if (t->ops->flow)
		t->ops->flow(t, true);
}

static void tty_start(struct tty *t)
{
	if (!t->stopped || t->tco_stopped)
		return;
	t->stopped = false;
	if (t->ops->flow)
		t->ops->flow(t, false);
}

/* IXON's START and STOP; true if c was one (and is consumed). */
static bool tty_flow_char(struct tty *t, unsigned char c)
{
	if (c == t->termios.c_cc[VSTART])
		tty_start(t);
	else if (c == t->termios.c_cc[VSTOP])
		tty_stop(t);
	else
		return false;
	return true;
}

/* ISIG characters; true if c was one (and is consumed). */
static bool tty_isig(struct tty *t, unsigned char c)
{
	const cc_t *cc = t->termios.c_cc;
	int sig = c == cc[VINTR] ? SIGINT : c == cc[VQUIT] ? SIGQUIT :
		  c == cc[VSUSP] ? SIGTSTP : 0;

	if (!sig)
		return false;
	if (!(t->termios.c_lflag & NOFLSH))
		tty_flush_input(t);
	if (t->termios.c_iflag & IXON)	/* output resumes, for the echo */
		tty_start(t);
	if (t->termios.c_lflag & ECHO)
		tty_echo(t, c);
	t->signal = sig;
	return true;
}

/* Canonical-mode special characters; true if c was consumed. */
static bool tty_canon_special(struct tty *t, unsigned char c)
{
	const cc_t *cc = t->termios.c_cc;
	bool iexten = t->termios.c_lflag & IEXTEN;

	if (c == cc[VERASE] || c == cc[VKILL] ||
	    (iexten && c == cc[VWERASE])) {
		tty_erase(t, c);
		return true;
	}
	if (iexten && c == cc[VLNEXT]) {
		t->lnext = true;
		if (t->termios.c_lflag & ECHO) {
			tty_finish_erasing(t);
			if (t->termios.c_lflag & ECHOCTL)
				tty_out(t, "^\b", 2);
		}
		return true;
	}
	/* Without ECHO, REPRINT is an ordinary byte (as Linux's). */
	if (iexten && c == cc[VREPRINT] && (t->termios.c_lflag & ECHO)) {
		tty_finish_erasing(t);
		tty_echo(t, c);
		tty_put_raw(t, '\n');
		for (unsigned int i = t->canon; i != t->head; i++)
			tty_echo(t, (unsigned char)t->buf[i % TTY_BUF]);
		return true;
	}
	if (c == cc[VEOF]) {
		if (tty_count(t) < TTY_BUF)
			tty_put(t, c, TTY_F_EOL | TTY_F_EOF);
		return true;
	}
	return false;
}

/* Whether c ends a canonical line (and is passed to the reader). */
static bool tty_is_eol(const struct tty *t, unsigned char c)
{
	const cc_t *cc = t->termios.c_cc;

	return c == '\n' || (cc[VEOL] && c == cc[VEOL]) ||
	       ((t->termios.c_lflag & IEXTEN) && cc[VEOL2] &&
		c == cc[VEOL2]);
}

/* One received byte; wq.lock held. A c_cc value of 0 is disabled. */
static void tty_input(struct tty *t, unsigned char c)
{
	tcflag_t iflag = t->termios.c_iflag, lflag = t->termios.c_lflag;
	bool canon = lflag & ICANON, eol;

	spin_assert_held(&t->wq.lock);
	if (iflag & ISTRIP)
		c &= 0x7f;
	if (!t->lnext) {
		if (c == '\r' && (iflag & IGNCR))
			return;
		if (c == '\r' && (iflag & ICRNL))
			c = '\n';
		else if (c == '\n' && (iflag & INLCR))
			c = '\r';
		/* Flow control comes first, as in Linux's n_tty. */
		if (c && (iflag & IXON) && tty_flow_char(t, c))
			return;
		if (c && (lflag & ISIG) && tty_isig(t, c))
			return;
	}
	if ((iflag & IXON) && (iflag & IXANY))	/* any other byte restarts */
		tty_start(t);
	if (!t->lnext && c && canon && tty_canon_special(t, c))
		return;
	eol = canon && !t->lnext && tty_is_eol(t, c);
	t->lnext = false;	/* its "^\b" is overwritten by c's echo */
	/* Keep the last byte of a full buffer for the end of the line. */
	if (tty_count(t) >= TTY_BUF - (canon && !eol ? 1U : 0U))
		return;
	if (lflag & ECHO) {
		if (!eol)
			tty_finish_erasing(t);
		if (t->head == t->canon)	/* where the line begins */
			t->canon_column = t->column;
		tty_echo(t, c);
	} else if (eol && c == '\n' && (lflag & ECHONL)) {
		tty_echo(t, c);
	}
	tty_put(t, c, eol ? TTY_F_EOL : 0);
	if (!canon)
		t->canon = t->head;
}

void tty_receive(struct tty *t, char c)
{
	int sig;
	pid_t pgrp;

	spin_lock(&t->wq.lock);
	tty_input(t, (unsigned char)c);
	sig = t->signal;
	pgrp = t->pgrp;
	t->signal = 0;
	spin_unlock(&t->wq.lock);
	waitq_wake_all(&t->wq);
	poll_notify(&t->poll, 0);
	/* Outside the tty lock: signal code takes its own locks. */
	if (sig && pgrp > 0 && signal_kill_pgrp)
		signal_kill_pgrp(pgrp, sig);
}

void tty_receive_char(char c)
{
	tty_receive(&console_tty, c);
}

/* ---- Reading ----------------------------------------------------------- */

/* Bytes a read could take now: complete lines, or everything in raw. */
static unsigned int tty_readable(const struct tty *t)
{
	if (t->termios.c_lflag & ICANON)
		return t->canon - t->tail;
	return tty_count(t);
}

/* Move up to len readable bytes into kbuf (one line at most in
 * canonical mode, its EOF marker consumed but not copied). */
static size_t tty_take(struct tty *t, char *kbuf, size_t len)
{
	bool canon = t->termios.c_lflag & ICANON;
	size_t n = 0;

	while (n < len && t->tail != (canon ? t->canon : t->head)) {
		unsigned int i = t->tail % TTY_BUF;

		t->tail++;
		if (canon && (t->flag[i] & TTY_F_EOF))
			break;
		kbuf[n++] = t->buf[i];
		if (canon && (t->flag[i] & TTY_F_EOL))
			break;
	}
	return n;
}

/*
 * Sleep until the read can complete, as VMIN/VTIME say in raw mode:
 * MIN=0,TIME=0 never waits; MIN=0,TIME>0 waits up to TIME for one byte;
 * MIN>0 waits for MIN bytes (or len), with TIME>0 as an inter-byte timer
 * once the first byte came. wq.lock held; 0, -EAGAIN or -ERESTARTSYS.
 */
static int tty_wait(struct tty *t, size_t len, bool nonblock)
{
	spin_assert_held(&t->wq.lock);
	for (;;) {
		bool canon = t->termios.c_lflag & ICANON;
		unsigned int vmin = t->termios.c_cc[VMIN];
		uint64_t vtime = t->termios.c_cc[VTIME] * 100000000ULL;
		unsigned int have = tty_readable(t);
		/* MIN=0 with TIME>0 still waits (up to TIME) for a byte. */
		size_t need = canon || (!vmin && vtime) ? 1 :
			      MIN((size_t)vmin, len);
		int err;

		if (have >= need || (have && (canon || nonblock)) || t->hung_up)
			return 0;	/* hung up: what is left, then EOF */
		if (nonblock)
			return -EAGAIN;
		if (!canon && vtime && (vmin == 0 || have > 0)) {
			err = waitq_sleep_timeout(&t->wq, vtime);
			if (err == -ETIMEDOUT)
				return 0;
		} else {
			err = waitq_sleep(&t->wq);
		}
		if (err)
			return err;
	}
}

ssize_t tty_file_read(struct file *f, struct iobuf *io, off_t *pos)
{
	struct tty *t = f->private;
	size_t len = MIN(io->len, (size_t)TTY_BUF);
	char *kbuf = kmalloc(len);
	ssize_t n;
	int err;

	if (!kbuf)
		return -ENOMEM;
	err = tty_io_job_check(f, t, SIGTTIN);
	if (err) {
		kfree(kbuf);
		return err;
	}
	spin_lock(&t->wq.lock);
	err = tty_wait(t, len, f->flags & O_NONBLOCK);
	n = err ? err : (ssize_t)tty_take(t, kbuf, len);
	spin_unlock(&t->wq.lock);
	if (n > 0) {	/* what did not reach the reader is lost, as on Linux */
		n = (ssize_t)iobuf_copy_out(io, 0, kbuf, (size_t)n);
		if (!n)
			n = -EFAULT;
	}
	kfree(kbuf);
	return n;
}

/* ---- Writing ----------------------------------------------------------- */

ssize_t tty_file_write(struct file *f, struct iobuf *io, off_t *pos)
{
	struct tty *t = f->private;
	char in[128], out[2 * sizeof(in)];
	size_t done = 0;
	int err = (__atomic_load_n(&t->termios.c_lflag, __ATOMIC_RELAXED) &
		   TOSTOP) ? tty_io_job_check(f, t, SIGTTOU) : 0;

	if (err)
		return err;

	while (done < io->len) {
		size_t want = MIN(io->len - done, sizeof(in)), m = 0;
		size_t n = iobuf_copy_in(in, io, done, want);
		tcflag_t oflag;
		bool hung_up;
		int err = 0;

		if (!n)
			return done ? (ssize_t)done : -EFAULT;
		spin_lock(&t->wq.lock);
		/* Stopped output (IXON, TCOOFF) holds writers, as n_tty's. */
		while (t->stopped && !t->hung_up && !err)
			err = (f->flags & O_NONBLOCK) ? -EAGAIN :
			      waitq_sleep(&t->wq);
		oflag = t->termios.c_oflag;
		hung_up = t->hung_up;
		spin_unlock(&t->wq.lock);
		for (size_t i = 0; i < n; i++)
			m += tty_opost(oflag, in[i], out + m);
		if (err)
			;
		else if (hung_up)
			err = -EIO;
		else if (t->ops->wait_room)
			err = t->ops->wait_room(t, m);
		if (err)
			return done ? (ssize_t)done : err;
		spin_lock(&t->wq.lock);
		tty_out(t, out, m);
		spin_unlock(&t->wq.lock);
		done += n;
		if (n < want)
			break;		/* the bytes before a fault count */
	}
	return (ssize_t)done;
}

/* ---- ioctl ------------------------------------------------------------- */

static bool tty_is_ctty(struct tty *t);

/* TIOCSTI: push a byte into the input as if typed (so it is edited,
 * echoed and may signal). Only on one's controlling terminal, unless
 * privileged (Linux: CAP_SYS_ADMIN; here, euid 0). */
static long tty_sti(struct tty *t, const char __user *p)
{
	char c;

	if (!tty_is_ctty(t) && current->cred.euid != 0)
		return -EPERM;
	if (get_user(c, p))
		return -EFAULT;
	tty_receive(t, c);
	return 0;
}

/* Is t the caller's controlling terminal? (See the sessions note.) */
static bool tty_is_ctty(struct tty *t)
{
	pid_t sid;

	spin_lock(&proc_tree_lock);
	sid = task_sid(current);
	spin_unlock(&proc_tree_lock);
	return sid && __atomic_load_n(&t->session, __ATOMIC_RELAXED) == sid;
}

/*
 * Job control (Linux's tty_check_change and job_control): a process of
 * this terminal's session outside its foreground group that reads it
 * (SIGTTIN), writes it with TOSTOP (SIGTTOU) or changes its settings
 * (SIGTTOU) gets the signal and the call restarts once it is continued;
 * the proc code decides the EIO cases (signal ignored or blocked, or an
 * orphaned group). 0: go ahead.
 */
static int tty_job_check(struct tty *t, int sig)
{
	pid_t pgrp;

	if (!tty_is_ctty(t))
		return 0;
	spin_lock(&t->wq.lock);
	pgrp = t->pgrp;
	spin_unlock(&t->wq.lock);
	return signal_job_control(pgrp, sig);
}

/* Reads and writes: /dev/console never stops its user (Linux's
 * job_control and n_tty_write skip the redirected console); /dev/tty
 * does. */
static int tty_io_job_check(struct file *f, struct tty *t, int sig)
{
	return f->ops == &console_ops ? 0 : tty_job_check(t, sig);
}

static long tty_set_termios(struct tty *t, unsigned int cmd,
			    const struct termios __user *arg)
{
	struct termios nt;
	bool was_canon;

	if (copy_from_user(&nt, arg, sizeof(nt)))
		return -EFAULT;
	spin_lock(&t->wq.lock);
	was_canon = t->termios.c_lflag & ICANON;
	t->termios = nt;
	if (!(nt.c_iflag & IXON))	/* Linux's n_tty_set_termios */
		tty_start(t);
	if (cmd == TCSETSF)
		tty_flush_input(t);
	if (was_canon && !(nt.c_lflag & ICANON)) {
		t->canon = t->head;	/* a partial line becomes readable */
	} else if (!was_canon && (nt.c_lflag & ICANON) && tty_count(t)) {
		t->flag[(t->head - 1) % TTY_BUF] |= TTY_F_EOL;
		t->canon = t->head;
	}
	spin_unlock(&t->wq.lock);
	waitq_wake_all(&t->wq);
	poll_notify(&t->poll, 0);
	return 0;
}

/* TCXONC: TCOOFF/TCOON stop and start output (only TCOON undoes
 * TCOOFF); TCIOFF/TCION send STOP/START to the far end, as Linux's. */
static long tty_xonc(struct tty *t, unsigned long arg)
{
	cc_t c;

	if (arg > TCION)
		return -EINVAL;
	spin_lock(&t->wq.lock);
	if (arg == TCOOFF && !t->tco_stopped) {
		t->tco_stopped = true;
		tty_stop(t);
	} else if (arg == TCOON && t->tco_stopped) {
		t->tco_stopped = false;
		tty_start(t);
	} else if (arg == TCIOFF || arg == TCION) {
		c = t->termios.c_cc[arg == TCIOFF ? VSTOP : VSTART];
		/* Raw (no OPOST), and past a stop, as tty_send_xchar. */
		if (c && t->stopped && t->ops->flow)
			t->ops->flow(t, false);
		if (c)
			t->ops->write(t, (const char *)&c, 1);
		if (c && t->stopped && t->ops->flow)
			t->ops->flow(t, true);
	}
	spin_unlock(&t->wq.lock);
	waitq_wake_all(&t->wq);
	return 0;
}

/* FIONREAD: canonical mode counts complete lines, less EOF markers. */
static int tty_inq(struct tty *t)
{
	unsigned int n = 0;

	spin_lock(&t->wq.lock);
	if (t->termios.c_lflag & ICANON) {
		for (unsigned int i = t->tail; i != t->canon; i++)
			n += !(t->flag[i % TTY_BUF] & TTY_F_EOF);
	} else {
		n = tty_count(t);
	}
	spin_unlock(&t->wq.lock);
	return (int)n;
}

/* TIOCSCTTY: the calling session leader acquires the terminal. */
static long tty_set_ctty(struct tty *t, unsigned long steal)
{
	pid_t sid, pgid, tgid = current->tgid;
	long err = 0;

	spin_lock(&proc_tree_lock);
	sid = task_sid(current);
	pgid = task_pgid(current);
	spin_unlock(&proc_tree_lock);
	spin_lock(&t->wq.lock);
	if (sid && t->session == sid)
		err = 0;
	else if (sid != tgid)
		err = -EPERM;
	else if (t->session && !(steal == 1 && current->cred.euid == 0))
		err = -EPERM;
	else {
		t->session = sid;
		t->pgrp = pgid;
	}
	spin_unlock(&t->wq.lock);
	return err;
}

struct pgrp_probe {
	pid_t pgrp, sid;
	bool exists;		/* some process has the id as pid or group */
	bool in_session;	/* ...and one of group pgrp is in session sid */
};

static void pgrp_probe_one(struct task *p, void *arg)
{
	struct pgrp_probe *q = arg;
	bool member = task_pgid(p) == q->pgrp;

	q->exists |= member || p->tgid == q->pgrp;
	q->in_session |= member && task_sid(p) == q->sid;
}

/* TIOCSPGRP's check of the new group, as Linux's: an id nobody has is
 * -ESRCH, a group with no member in the caller's session -EPERM. */
static int tty_check_pgrp(pid_t pgrp)
{
	struct pgrp_probe q = { .pgrp = pgrp };

	spin_lock(&proc_tree_lock);
	q.sid = task_sid(current);
	task_for_each_process(pgrp_probe_one, &q);
	spin_unlock(&proc_tree_lock);
	if (!q.exists)
		return -ESRCH;
	return q.in_session ? 0 : -EPERM;
}

static long tty_pgrp_ioctl(struct tty *t, unsigned int cmd, pid_t __user *p)
{
	pid_t v = 0;
	int err;

	/* As Linux's tiocspgrp: the new group is read and checked before
	 * the terminal is (a bad pointer is EFAULT on any terminal). */
	if (cmd == TIOCSPGRP) {
		if (get_user(v, p))
			return -EFAULT;
		if (v < 0)
			return -EINVAL;
	}
	if (!tty_is_ctty(t))
		return -ENOTTY;
	switch (cmd) {
	case TIOCGPGRP:
		return put_user(t->pgrp, p) ? -EFAULT : 0;
	case TIOCGSID:
		return put_user(t->session, p) ? -EFAULT : 0;
	case TIOCSPGRP:
		err = tty_check_pgrp(v);
		if (err)
			return err;
		spin_lock(&t->wq.lock);
		t->pgrp = v;
		spin_unlock(&t->wq.lock);
		return 0;
	default:		/* TIOCNOTTY */
		spin_lock(&t->wq.lock);
		if (current->tgid == t->session)
			t->session = t->pgrp = 0;
		spin_unlock(&t->wq.lock);
		return 0;
	}
}

static long tty_winsize(struct tty *t, unsigned int cmd,
			struct winsize __user *p)
{
	struct winsize ws;
	bool changed;
	pid_t pgrp;

	if (cmd == TIOCGWINSZ)
		return copy_to_user(p, &t->winsize, sizeof(ws)) ? -EFAULT : 0;
	if (copy_from_user(&ws, p, sizeof(ws)))
		return -EFAULT;
	spin_lock(&t->wq.lock);
	changed = memcmp(&ws, &t->winsize, sizeof(ws)) != 0;
	t->winsize = ws;
	pgrp = t->pgrp;
	spin_unlock(&t->wq.lock);
	if (changed && pgrp > 0 && signal_kill_pgrp)
		signal_kill_pgrp(pgrp, SIGWINCH);
	return 0;
}

long tty_file_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	return tty_ioctl(f->private, cmd, arg);
}

long tty_ioctl(struct tty *t, unsigned int cmd, unsigned long arg)
{
	void __user *p = (void __user *)arg;
	long err;

	switch (cmd) {	/* the calls that change the terminal */
	case TCSETS: case TCSETSW: case TCSETSF: case TCFLSH: case TCSBRK:
	case TIOCSPGRP: case TCXONC:
		err = tty_job_check(t, SIGTTOU);
		if (err)
			return cmd == TIOCSPGRP && err == -EIO ? -ENOTTY : err;
	}
	switch (cmd) {
	case TCGETS:
		return copy_to_user(p, &t->termios, sizeof(t->termios)) ?
			-EFAULT : 0;
	case TCSETS:
	case TCSETSW:		/* output is synchronous: nothing to drain */
	case TCSETSF:
		return tty_set_termios(t, cmd, p);
	case TIOCGWINSZ:
	case TIOCSWINSZ:
		return tty_winsize(t, cmd, p);
	case FIONREAD:
		return put_user(tty_inq(t), (int __user *)p) ? -EFAULT : 0;
	case TIOCOUTQ:
		return put_user(0, (int __user *)p) ? -EFAULT : 0;
	case TIOCSTI:
		return tty_sti(t, p);
	case TCFLSH:
		if (arg > TCIOFLUSH)
			return -EINVAL;
		if (arg != TCOFLUSH) {
			spin_lock(&t->wq.lock);
			tty_flush_input(t);
			spin_unlock(&t->wq.lock);
		}
		return 0;
	case TCSBRK:
		return 0;	/* drain: output is already on the wire */
	case TCXONC:
		return tty_xonc(t, arg);
	case TIOCGETD:
		return put_user(N_TTY, (int __user *)p) ? -EFAULT : 0;
	case TIOCSCTTY:
		return tty_set_ctty(t, arg);
	case TIOCGPGRP:
	case TIOCSPGRP:
	case TIOCGSID:
	case TIOCNOTTY:
		return tty_pgrp_ioctl(t, cmd, p);
	default:
		return -ENOTTY;
	}
}

/* Readable as read() would see it: in raw mode with VTIME 0, only once
 * VMIN bytes are in (Linux's input_available_p for poll). */
struct poll_head *tty_file_poll_head(struct file *f)
{
	return &((struct tty *)f->private)->poll;
}

unsigned int tty_file_poll(struct file *f)
{
	struct tty *t = f->private;
	unsigned int mask = POLLOUT | POLLWRNORM, need = 1;

	spin_lock(&t->wq.lock);
	if (!(t->termios.c_lflag & ICANON) && !t->termios.c_cc[VTIME] &&
	    t->termios.c_cc[VMIN])
		need = t->termios.c_cc[VMIN];
	if (tty_readable(t) >= need || t->hung_up)
		mask |= POLLIN | POLLRDNORM;
	if (t->hung_up)
		mask |= POLLHUP;
	spin_unlock(&t->wq.lock);
	return mask;
}

/* ---- Opening ----------------------------------------------------------- */

static int console_open(struct inode *inode, struct file *f)
{
	f->private = &console_tty;
	file_nonseekable(f);
	return 0;
}

/* /dev/tty is the caller's controlling terminal: -ENXIO without one. */
static int dev_tty_open(struct inode *inode, struct file *f)
{
	if (!tty_is_ctty(&console_tty))
		return -ENXIO;
	return console_open(inode, f);
}

off_t tty_file_llseek(struct file *f, off_t off, int whence)
{
	return -ESPIPE;
}

static const struct file_ops console_ops = {
	.open = console_open,
	.read = tty_file_read,
	.write = tty_file_write,
	.llseek = tty_file_llseek,
	.ioctl = tty_file_ioctl,
	.poll = tty_file_poll,
	.poll_head = tty_file_poll_head,
};

static const struct file_ops dev_tty_ops = {
	.open = dev_tty_open,
	.read = tty_file_read,
	.write = tty_file_write,
	.llseek = tty_file_llseek,
	.ioctl = tty_file_ioctl,
	.poll = tty_file_poll,
	.poll_head = tty_file_poll_head,
};

void tty_setup(struct tty *t, const struct tty_ops *ops, void *driver)
{
	memset(t, 0, sizeof(*t));
	waitq_init(&t->wq, "tty");
	poll_head_init(&t->poll, "tty poll");
	t->ops = ops;
	t->driver = driver;
	tty_default_termios(&t->termios);
}

void tty_hangup(struct tty *t)
{
	spin_lock(&t->wq.lock);
	t->hung_up = true;
	spin_unlock(&t->wq.lock);
	waitq_wake_all(&t->wq);
	poll_notify(&t->poll, 0);
}

static void console_tty_write(struct tty *t, const char *buf, size_t len)
{
	console_write(buf, len);
}

static const struct tty_ops console_tty_ops = {
	.write = console_tty_write,
};

/*
 * The console is the first serial port: Linux names it ttyS0, char 4:64,
 * and that is the number a shell on Linux's serial console shows in
 * /proc/<pid>/stat, so Basalt's console tty gives the same.
 */
#define CONSOLE_TTY_DEV	MKDEV(4, 64)

/* Whether t is session sid's terminal; its foreground group if so. */
bool tty_session_is(struct tty *t, pid_t sid, pid_t *fg)
{
	if (!sid || __atomic_load_n(&t->session, __ATOMIC_RELAXED) != sid)
		return false;
	*fg = __atomic_load_n(&t->pgrp, __ATOMIC_RELAXED);
	return true;
}

/*
 * The session sid lets go of t if t is its terminal: t belongs to no
 * session now and the old foreground group (returned, or -1 if t was not
 * sid's) is to be told. Atomic, not under wq.lock: pty.c calls it with
 * pty_lock held, which ranks below the tty's lock.
 */
pid_t tty_session_drop(struct tty *t, pid_t sid)
{
	if (!sid || !__atomic_compare_exchange_n(&t->session, &sid, 0, false,
						 __ATOMIC_SEQ_CST,
						 __ATOMIC_SEQ_CST))
		return -1;
	return __atomic_exchange_n(&t->pgrp, 0, __ATOMIC_SEQ_CST);
}

/*
 * A session leader's process ended (Linux's disassociate_ctty(1)): its
 * controlling terminal's foreground group gets SIGHUP and the terminal
 * is free for another session's TIOCSCTTY. Linux hangs up a terminal
 * that is not a pty here, but never the files opened as /dev/console;
 * Basalt's console files are all those (docs/tty.md).
 */
void tty_session_exit(pid_t sid)
{
	pid_t fg = tty_session_drop(&console_tty, sid);

	if (fg < 0)
		fg = pty_session_drop(sid);
	if (fg > 0 && signal_kill_pgrp)
		signal_kill_pgrp(fg, SIGHUP);
}

bool tty_of_session(pid_t sid, dev_t *dev, pid_t *fg)
{
	if (tty_session_is(&console_tty, sid, fg)) {
		*dev = CONSOLE_TTY_DEV;
		return true;
	}
	return pty_of_session(sid, dev, fg);
}

void tty_init(void)
{
	tty_setup(&console_tty, &console_tty_ops, NULL);
	chrdev_register(5, 1, &console_ops);
	chrdev_register(5, 0, &dev_tty_ops);
	pty_init();
}
