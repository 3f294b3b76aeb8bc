/*
 * session.c - types at a program through a pseudo-terminal, as a person
 * would, and checks what the screen shows (a small `expect`).
 *
 * usage: session [-n NAME] SCRIPT COMMAND [ARG...]
 *
 * COMMAND runs on the slave side of a new pseudo-terminal (forkpty), so
 * it sees a terminal on its standard input, output and error: here it is
 * scripts/qemu.sh booting `make run`'s image, whose serial console is
 * that terminal. SCRIPT says what to type and what to wait for, one step
 * a line ('#' starts a comment; TEXT is the rest of the line, or a
 * "quoted string", with the C escapes \r \n \t \b \e \\ \" \xHH):
 *
 *   timeout SECONDS   how long expect and exit wait from now on (60)
 *   section NAME      a named group of steps: one PASS, FAIL or SKIP
 *   send TEXT         type TEXT (all at once)
 *   expect TEXT       wait until TEXT appears after the last match
 *   then TEXT         the screen must go on with exactly TEXT right
 *                     after the last match (nothing in between)
 *   exit STATUS       wait until COMMAND exits, with STATUS
 *   skip-if TEXT      skip the rest of this section if TEXT shows on
 *                     the screen while it runs (a kernel that says a
 *                     feature is missing), running its onskip steps
 *   skip-on-timeout   a timeout in this section skips it, not fails it
 *   onskip STEP       a step (send/expect) run only if the section skips
 *
 * A skipped section prints "NAME: SKIP section (why)", never a PASS, and
 * with SESSION_STRICT=1 in the environment every skip is a failure (for
 * when the features are in). After a failed section the run stops. The
 * last line is "NAME: N passed, N failed, N skipped" (sections); the
 * screen's whole transcript goes to NAME.log in the current directory
 * unless SESSION_LOG names another file. Exit status 0 when nothing
 * failed. The child's process group is killed at the end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <termios.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *name = "session";
static int master = -1;
static pid_t child;
static int child_status = -1;		/* wait status once it exited */
static FILE *logf;

static char *screen;			/* everything the child printed */
static size_t screen_len, screen_cap;
static size_t matched;			/* expect searches from here */
static size_t section_start;		/* skip-if searches from here */

static int timeout_s = 60;
static int passed, failed, skipped;

static void say(const char *fmt, ...)
{
	va_list ap;

	printf("%s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Take in what the child printed within ms; false once it has exited. */
static bool pump(int ms)
{
	struct pollfd p = { .fd = master, .events = POLLIN };
	char buf[4096];
	ssize_t n;

	if (poll(&p, 1, ms) <= 0 || (n = read(master, buf, sizeof(buf))) <= 0) {
		if (child_status < 0 && waitpid(child, &child_status,
						WNOHANG) <= 0)
			child_status = -1;
		return child_status < 0;
	}
	if (screen_len + (size_t)n + 1 > screen_cap) {
		screen_cap = 2 * (screen_len + (size_t)n + 1);
		screen = realloc(screen, screen_cap);
		if (!screen)
			abort();
	}
	memcpy(screen + screen_len, buf, (size_t)n);
	screen_len += (size_t)n;
	screen[screen_len] = 0;
	fwrite(buf, 1, (size_t)n, logf);
	fflush(logf);
	return true;
}

/* Where text (len bytes) is in the screen from `from`, or NULL. */
static const char *find(size_t from, const char *text, size_t len)
{
	if (!len)
		return screen ? screen + from : "";
	return screen_len > from ?
		memmem(screen + from, screen_len - from, text, len) : NULL;
}

/* Decode TEXT's escapes in place; returns its length. */
static size_t unescape(char *s)
{
	char *out = s, *in = s;
	bool quoted = *in == '"';

	if (quoted)
		in++;
	for (; *in && !(quoted && *in == '"'); in++) {
		if (*in != '\\' || !in[1]) {
			*out++ = *in;
			continue;
		}
		switch (*++in) {
		case 'r': *out++ = '\r'; break;
		case 'n': *out++ = '\n'; break;
		case 't': *out++ = '\t'; break;
		case 'b': *out++ = '\b'; break;
		case 'e': *out++ = 033; break;
		case 'x':
			*out++ = (char)strtol((char[]){ in[1], in[2], 0 },
					      NULL, 16);
			in += 2;
			break;
		default: *out++ = *in; break;
		}
	}
	return (size_t)(out - s);
}

/* The outcome of a step. */
enum result { OK, TIMEOUT, MARKER, BROKEN };

struct section {
	char name[64];
	char marker[128];		/* skip-if text, "" if none */
	size_t marker_len;
	bool skip_on_timeout;
	char onskip[8][256];		/* steps run when skipping */
	int nonskip;
};

static bool marker_seen(const struct section *s)
{
	return s->marker_len && find(section_start, s->marker, s->marker_len);
}

static enum result do_expect(const struct section *s, const char *text,
			     size_t len)
{
	double end = now() + timeout_s;

	for (;;) {
		const char *at = find(matched, text, len);

		if (at) {
			matched = (size_t)(at - screen) + len;
			return OK;
		}
		if (marker_seen(s))
			return MARKER;
		if (now() > end)
			return TIMEOUT;
		if (!pump(100) && !find(matched, text, len))
			return BROKEN;	/* exited without printing it */
	}
}

static enum result do_then(const char *text, size_t len)
{
	double end = now() + timeout_s;

	while (screen_len - matched < len) {
		if (now() > end)
			return TIMEOUT;
		if (!pump(100) && screen_len - matched < len)
			return BROKEN;
	}
	if (memcmp(screen + matched, text, len))
		return BROKEN;
	matched += len;
	return OK;
}

static enum result do_exit(int want)
{
	double end = now() + timeout_s;

	while (child_status < 0 && now() < end)
		pump(100);
	if (child_status < 0)
		return TIMEOUT;
	if (!WIFEXITED(child_status) || WEXITSTATUS(child_status) != want) {
		say("exit status %#x, want exit(%d)", child_status, want);
		return BROKEN;
	}
	return OK;
}

static enum result do_send(const char *text, size_t len)
{
	if (write(master, text, len) != (ssize_t)len)
		return BROKEN;
	pump(0);
	return OK;
}

/* One step; the word is the first token of line, arg the rest. */
static enum result step(struct section *s, char *word, char *arg)
{
	size_t len = arg ? unescape(arg) : 0;

	if (!strcmp(word, "send"))
		return do_send(arg, len);
	if (!strcmp(word, "expect"))
		return do_expect(s, arg, len);
	if (!strcmp(word, "then"))
		return do_then(arg, len);
	if (!strcmp(word, "exit"))
		return do_exit(atoi(arg));
	if (!strcmp(word, "timeout")) {
		timeout_s = atoi(arg);
		return OK;
	}
	if (!strcmp(word, "skip-if")) {
		memcpy(s->marker, arg, len < sizeof(s->marker) ? len : 0);
		s->marker_len = len < sizeof(s->marker) ? len : 0;
		return OK;
	}
	if (!strcmp(word, "skip-on-timeout")) {
		s->skip_on_timeout = true;
		return OK;
	}
	say("unknown step '%s'", word);
	return BROKEN;
}

/* Split "word rest" in place; rest is NULL if there is none. */
static char *split(char *line, char **rest)
{
	char *sp = strchr(line, ' ');

	*rest = NULL;
	if (sp) {
		*sp = 0;
		*rest = sp + 1;
	}
	return line;
}

/* The section ends: count it. Returns false if the run must stop. */
static bool finish(struct section *s, enum result r, const char *why)
{
	bool strict = getenv("SESSION_STRICT") &&
		      !strcmp(getenv("SESSION_STRICT"), "1");

	if (!s->name[0] && r == OK)
		return true;
	if (r == MARKER || (r == TIMEOUT && s->skip_on_timeout)) {
		const char *reason = r == MARKER ? "the kernel said it" :
						   "timed out";

		if (strict) {
			say("FAIL %s (SESSION_STRICT: %s)", s->name, reason);
			failed++;
			return false;
		}
		say("SKIP %s (%s%s%.*s)", s->name, reason,
		    r == MARKER ? ": " : "", (int)s->marker_len, s->marker);
		skipped++;
		s->marker_len = 0;	/* it has been seen: stop looking */
		for (int i = 0; i < s->nonskip; i++) {
			char *arg, *word = split(s->onskip[i], &arg);

			if (step(s, word, arg) != OK) {
				say("FAIL %s (its onskip steps failed)",
				    s->name);
				failed++;
				return false;
			}
		}
		return true;
	}
	if (r == OK) {
		say("PASS %s", s->name);
		passed++;
		return true;
	}
	say("FAIL %s (%s)", s->name, why);
	failed++;
	return false;
}

/* The last bytes of the screen, escaped, to show what went wrong. */
static void show_tail(void)
{
	size_t from = screen_len > 300 ? screen_len - 300 : 0;

	printf("%s: the screen ended with: \"", name);
	for (size_t i = from; i < screen_len; i++) {
		unsigned char c = (unsigned char)screen[i];

		if (c == '\n')
			printf("\\n");
		else if (c < 32 || c > 126 || c == '"' || c == '\\')
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	printf("\"\n");
}

static int run(FILE *script)
{
	struct section s = { 0 };
	enum result r = OK;
	char line[512], why[600] = "";
	bool stop = false;

	while (!stop && fgets(line, sizeof(line), script)) {
		char *arg, *word;

		line[strcspn(line, "\n")] = 0;
		if (!line[0] || line[0] == '#')
			continue;
		word = split(line, &arg);
		if (!strcmp(word, "section")) {
			stop = !finish(&s, r, why);
			memset(&s, 0, sizeof(s));
			snprintf(s.name, sizeof(s.name), "%s", arg ? arg : "");
			section_start = matched;
			r = OK;
			continue;
		}
		if (!strcmp(word, "onskip") && arg &&
		    s.nonskip < (int)(sizeof(s.onskip) / sizeof(s.onskip[0]))) {
			snprintf(s.onskip[s.nonskip++], sizeof(s.onskip[0]),
				 "%s", arg);
			continue;
		}
		if (r != OK)
			continue;	/* the section is already decided */
		snprintf(why, sizeof(why), "%s %s: %s", word, arg ? arg : "",
			 "");
		r = step(&s, word, arg);
		snprintf(why + strlen(why), sizeof(why) - strlen(why), "%s",
			 r == TIMEOUT ? "timed out" : r == BROKEN ?
			 "not on the screen, or the program ended" : "");
	}
	if (!stop)
		stop = !finish(&s, r, why);
	if (failed)
		show_tail();
	say("%d passed, %d failed, %d skipped", passed, failed, skipped);
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *logname;
	char lognamebuf[256];
	struct termios tio = { 0 };
	FILE *script;
	int opt, status;

	while ((opt = getopt(argc, argv, "+n:")) != -1) {
		if (opt != 'n')
			return 2;
		name = optarg;
	}
	if (argc - optind < 2) {
		fprintf(stderr, "usage: session [-n NAME] SCRIPT COMMAND...\n");
		return 2;
	}
	script = fopen(argv[optind], "r");
	if (!script) {
		perror(argv[optind]);
		return 2;
	}
	snprintf(lognamebuf, sizeof(lognamebuf), "%s.log", name);
	logname = getenv("SESSION_LOG") ? getenv("SESSION_LOG") : lognamebuf;
	logf = fopen(logname, "w");
	if (!logf) {
		perror(logname);
		return 2;
	}
	/* A raw terminal the size of a classic console: what the guest
	 * prints reaches us unchanged (no second CR before each NL). */
	cfmakeraw(&tio);
	child = forkpty(&master, NULL, &tio,
			&(struct winsize){ .ws_row = 24, .ws_col = 80 });
	if (child < 0) {
		perror("forkpty");
		return 2;
	}
	if (child == 0) {
		execvp(argv[optind + 1], argv + optind + 1);
		perror(argv[optind + 1]);
		_exit(127);
	}
	say("running %s, transcript in %s", argv[optind + 1], logname);
	status = run(script);
	/* The child leads its own session and group (forkpty's setsid). */
	if (child_status < 0) {
		kill(-child, SIGTERM);
		for (int i = 0; i < 50 && waitpid(child, NULL, WNOHANG) == 0;
		     i++)
			usleep(100000);
		kill(-child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	return status;
}
