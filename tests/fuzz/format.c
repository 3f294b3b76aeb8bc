/*
 * format.c - lines printed without stdio (workers may not touch TLS, and
 * stdio buffers would be copied into every forked worker). A line is
 * built in one buffer and written with one write(), so lines of several
 * processes never mix.
 */
#include "fuzz.h"
#include "sys.h"

void fz_put_str(struct fz_line *l, const char *s)
{
	while (*s && l->len < sizeof(l->buf) - 1)
		l->buf[l->len++] = *s++;
}

void fz_put_dec(struct fz_line *l, int64_t v)
{
	char d[24];
	int n = 0;
	uint64_t u = (uint64_t)v;

	if (v < 0) {
		fz_put_str(l, "-");
		u = -u;
	}
	do
		d[n++] = (char)('0' + u % 10);
	while ((u /= 10) && n < (int)sizeof(d));
	while (n > 0 && l->len < sizeof(l->buf) - 1)
		l->buf[l->len++] = d[--n];
}

void fz_put_hex(struct fz_line *l, uint64_t v)
{
	char d[16];
	int n = 0;

	fz_put_str(l, "0x");
	do
		d[n++] = "0123456789abcdef"[v & 15];
	while ((v >>= 4) && n < (int)sizeof(d));
	while (n > 0 && l->len < sizeof(l->buf) - 1)
		l->buf[l->len++] = d[--n];
}

void fz_emit(struct fz_line *l, int fd)
{
	l->buf[l->len++] = '\n';
	for (size_t off = 0; off < l->len;) {
		int64_t w = fz_sys(1, fd, l->buf + off, l->len - off);

		if (w <= 0)
			break;
		off += (size_t)w;
	}
	l->len = 0;
}

/* Small values in decimal, addresses and masks in hex. */
static void put_value(struct fz_line *l, uint64_t v)
{
	if ((int64_t)v >= -4096 && (int64_t)v <= 65536)
		fz_put_dec(l, (int64_t)v);
	else
		fz_put_hex(l, v);
}

void fz_put_record(struct fz_line *l, const struct fz_record *r)
{
	const char *name = fz_call_name(r->nr);

	fz_put_str(l, r->thread ? "buddy #" : "#");
	fz_put_dec(l, (int64_t)r->seq);
	fz_put_str(l, " ");
	if (name) {
		fz_put_str(l, name);
	} else {
		fz_put_str(l, "syscall_");
		fz_put_dec(l, r->nr);
	}
	fz_put_str(l, "(");
	for (int i = 0; i < 6; i++) {
		if (i)
			fz_put_str(l, ", ");
		put_value(l, r->arg[i]);
	}
	fz_put_str(l, ")");
	if (r->fail_nth) {
		fz_put_str(l, " [fail-nth ");
		fz_put_dec(l, r->fail_nth);
		fz_put_str(l, "]");
	}
	if (r->ret == FZ_PENDING) {
		fz_put_str(l, " (did not return)");
	} else {
		fz_put_str(l, " = ");
		put_value(l, (uint64_t)r->ret);
	}
}

static const char *const sig_names[] = {
	[1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [4] = "SIGILL",
	[5] = "SIGTRAP", [6] = "SIGABRT", [7] = "SIGBUS", [8] = "SIGFPE",
	[9] = "SIGKILL", [10] = "SIGUSR1", [11] = "SIGSEGV", [12] = "SIGUSR2",
	[13] = "SIGPIPE", [14] = "SIGALRM", [15] = "SIGTERM",
	[16] = "SIGSTKFLT", [17] = "SIGCHLD", [18] = "SIGCONT",
	[19] = "SIGSTOP", [20] = "SIGTSTP", [21] = "SIGTTIN", [22] = "SIGTTOU",
	[23] = "SIGURG", [24] = "SIGXCPU", [25] = "SIGXFSZ",
	[26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH", [29] = "SIGIO",
	[30] = "SIGPWR", [31] = "SIGSYS",
};

const char *fz_sig_name(int sig)
{
	if (sig > 0 && sig < (int)(sizeof(sig_names) / sizeof(sig_names[0])))
		return sig_names[sig];
	return "SIGRT";
}
