/*
 * worker_setup.c - what a worker does before its first call: default
 * signal dispositions, its scratch pages and arena, the sandbox's basic
 * names put back, descriptors of every kind, and the address ranges its
 * own mm calls must leave alone (from /proc/self/maps).
 */
#define _GNU_SOURCE
#include "worker.h"
#include "sys.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>

static void set_action(int sig, uint64_t handler)
{
	uint64_t act[4] = { handler, 0x04000000 /* SA_RESTORER */,
			    (uint64_t)(uintptr_t)fz_restorer, 0 };

	fz_sys(13, sig, act, 0, 8);
}

/* Default dispositions (the supervisor ignores everything), nothing
 * blocked, and the watchdog's signal interrupts without killing. */
void fz_setup_signals(void)
{
	uint64_t none = 0;

	for (int sig = 1; sig <= 64; sig++)
		if (sig != 9 && sig != 19)
			set_action(sig, 0);
	set_action(FZ_WAKE_SIG, (uint64_t)(uintptr_t)fz_handler);
	fz_sys(14, 2 /* SIG_SETMASK */, &none, 0, 8);
}

/* Random bytes that spell no path outside the working directory, and
 * whose last 512 bytes hold no NUL (strings that run into PROT_NONE). */
static void fill_readonly(struct fz_worker *w, uint8_t *p)
{
	fz_fill(w, p, FZ_PAGE);
	for (size_t i = 0; i < FZ_PAGE; i++) {
		if (p[i] == '/' || p[i] == '.')
			p[i] = 'r';
		if (i >= FZ_PAGE - 512 && p[i] == 0)
			p[i] = 'z';
	}
}

/* Scratch: FZ_SCRATCH_RW pages, one read-only, one PROT_NONE. */
int fz_setup_scratch(struct fz_worker *w)
{
	size_t rw = FZ_SCRATCH_RW * FZ_PAGE;
	int64_t s = fz_sys(9, 0, rw + 2 * FZ_PAGE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (s < 0)
		return -1;
	w->scratch = (uint8_t *)s;
	fill_readonly(w, w->scratch + rw);
	if (fz_sys(10, s + rw, FZ_PAGE, PROT_READ) < 0 ||
	    fz_sys(10, s + rw + FZ_PAGE, FZ_PAGE, PROT_NONE) < 0)
		return -1;
	return 0;
}

/* The arena: FZ_ARENA_PAGES pages, then the PROT_NONE fence. */
int fz_setup_arena(struct fz_worker *w)
{
	size_t arena = FZ_ARENA_PAGES * FZ_PAGE;
	int64_t a = fz_sys(9, 0, arena + FZ_PAGE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (a < 0)
		return -1;
	w->arena = (uint8_t *)a;
	fz_fill(w, w->arena, arena);
	return fz_sys(10, a + arena, FZ_PAGE, PROT_NONE) < 0 ? -1 : 0;
}

/* FZ_SANDBOX "/e0", the program (elf.c), if no one removed it. */
static void put_program(void)
{
	uint8_t elf[256];
	size_t len = fz_tiny_elf(elf, sizeof(elf));
	int64_t fd = fz_sys(2, FZ_SANDBOX "/e0", O_WRONLY | O_CREAT | O_EXCL,
			    0755);

	if (fd < 0)
		return;
	fz_sys(1, fd, elf, len);
	fz_sys(3, fd);
}

/* Put back the sandbox's basic names that earlier workers removed, so
 * that the names paths.c draws mostly exist. */
static void refresh_sandbox(void)
{
	static const char *const dirs[] = { FZ_SANDBOX "/d0", FZ_SANDBOX "/d1",
					    FZ_SANDBOX "/d0/d1",
					    FZ_SANDBOX "/m0" };
	static const char *const files[] = { FZ_SANDBOX "/f0", FZ_SANDBOX "/f1",
					     FZ_SANDBOX "/d0/f0",
					     FZ_SANDBOX "/x0" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		fz_sys(83, dirs[i], 0777);		/* mkdir */
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		fz_sys(3, fz_sys(2, files[i], O_WRONLY | O_CREAT, 0666));
	fz_sys(133, FZ_SANDBOX "/p0", 010666, 0);	/* mknod: FIFOs */
	fz_sys(133, FZ_SANDBOX "/p1", 010666, 0);
	fz_sys(88, "f0", FZ_SANDBOX "/l0");		/* symlink */
	fz_sys(88, FZ_SANDBOX "/d0", FZ_SANDBOX "/l1");
	put_program();
}

/* Descriptors of every kind, dense from 0: the fd values drawn later are
 * small numbers, so most of them name one of these. */
int fz_setup_fds(struct fz_worker *w)
{
	int32_t p[2];
	int64_t null = fz_sys(2, FZ_ROOT_DEV "/null", O_RDWR);

	if (null < 0)
		return -1;
	for (int fd = 0; fd < 3; fd++)
		fz_sys(33, null, fd);			/* dup2 */
	fz_sys(436, 3, ~0U, 0);				/* close_range */
	fz_note_fd(w, 2);
	refresh_sandbox();
	fz_note_fd(w, fz_sys(2, FZ_SANDBOX "/f0", O_RDWR | O_CREAT, 0644));
	fz_note_fd(w, fz_sys(2, FZ_SANDBOX, O_RDONLY | O_DIRECTORY));
	if (fz_sys(22, p) == 0) {
		fz_note_fd(w, p[0]);
		fz_note_fd(w, p[1]);
	}
	fz_note_fd(w, fz_sys(319, "fuzz", 0));		/* memfd_create */
	fz_note_fd(w, fz_sys(2, FZ_ROOT_DEV "/zero", O_RDWR));
	fz_note_fd(w, fz_sys(2, "/proc/self/maps", O_RDONLY));
	fz_note_fd(w, fz_sys(2, FZ_SANDBOX "/p0", O_RDWR | O_NONBLOCK));
	fz_note_fd(w, fz_sys(2, FZ_SANDBOX "/d0", O_RDONLY | O_DIRECTORY));
	/* chdir: into what the name leads to now; if nothing, the worker
	 * stays where the supervisor works (the sandbox, cleanup.c). */
	fz_sys(80, FZ_SANDBOX);
	return 0;
}

static uint64_t parse_hex(const char **p)
{
	uint64_t v = 0;

	for (;; (*p)++) {
		char c = **p;

		if (c >= '0' && c <= '9')
			v = v * 16 + (uint64_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (uint64_t)(c - 'a' + 10);
		else
			return v;
	}
}

/* Protect [s, e) minus the arena, which fuzzed mm calls may change. */
static void protect(struct fz_worker *w, uint64_t s, uint64_t e)
{
	uint64_t as = (uint64_t)(uintptr_t)w->arena;
	uint64_t ae = as + FZ_ARENA_PAGES * FZ_PAGE;

	if (s < as && e > as) {
		protect(w, s, as);
		s = as;
	}
	if (s < ae && e > ae) {
		protect(w, ae, e);
		e = ae;
	}
	if ((s >= as && e <= ae) || w->nprotected == FZ_MAX_PROTECTED)
		return;
	w->protected[w->nprotected].start = s;
	w->protected[w->nprotected++].end = e;
}

/* One line of /proc/self/maps: protect it unless it is the vDSO. */
static void map_line(struct fz_worker *w, const char *line, const char *end)
{
	const char *p = line;
	uint64_t s = parse_hex(&p), e;
	int vdso = 0, stack = 0;

	if (*p++ != '-')
		return;
	e = parse_hex(&p);
	for (const char *q = p; q + 6 <= end; q++) {
		if (!memcmp(q, "[vdso]", 6) || !memcmp(q, "[vvar]", 6))
			vdso = 1;
		if (!memcmp(q, "[stack", 6))
			stack = 1;
	}
	if (vdso) {
		if (!memcmp(end - 6, "[vdso]", 6))
			w->vdso = s;
		return;
	}
	if (stack)	/* leave it room to grow */
		s = s > 256 * FZ_PAGE ? s - 256 * FZ_PAGE : 0;
	protect(w, s, e);
}

int fz_setup_protected(struct fz_worker *w)
{
	static char buf[16384];	/* static: the stack is precious */
	size_t len = 0;
	int64_t n, fd = fz_sys(2, "/proc/self/maps", O_RDONLY);

	if (fd < 0)
		return -1;
	while (len < sizeof(buf) &&
	       (n = fz_sys(0, fd, buf + len, sizeof(buf) - len)) > 0)
		len += (size_t)n;
	fz_sys(3, fd);
	for (char *line = buf, *nl; line < buf + len; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(buf + len - line));
		if (!nl)
			nl = buf + len;
		map_line(w, line, nl);
	}
	return w->nprotected ? 0 : -1;
}
