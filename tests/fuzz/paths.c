/*
 * paths.c - path names for fuzzed calls. Everything a fuzzed call may
 * create, change or remove lies in the sandbox, FZ_SANDBOX, a tmpfs the
 * supervisor mounts and unmounts: relative names are resolved from a
 * worker's working directory, which is in the sandbox (chdir is only given
 * sandbox names), and no generated name contains "..", starts with '/'
 * outside the sandbox, or names a device. Calls that only look (open,
 * stat, access, readlink) may also see a few files of /proc (their own
 * and other processes') and the sandbox's copies of /dev/null and
 * /dev/zero.
 */
#include "fuzz.h"
#include "sys.h"

#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Relative to the sandbox; absolute versions get FZ_SANDBOX "/" before. */
static const char *const sandbox_names[] = {
	"f0", "f1", "f2", "d0", "d1", "d0/f0", "d0/d1", "d0/d1/f0", "d1/f1",
	"l0", "l1", "p0", "p1", "m0", "m0/f0", "x0", "e0", "e0",
};

static const char *const odd_names[] = {
	"", ".", "./f0", "f0/", "d0//f0", "d0/.", "d0/./f1", "d0/", "f0/x",
	"l0/", "l0/f0", "/", "//",
};

/* Look, do not touch: only K_PATH_RO arguments get these. */
static const char *const system_names[] = {
	FZ_ROOT "/dev/null", FZ_ROOT "/dev/zero", "/proc/meminfo",
	"/proc/self/maps",
	"/proc/self/stat", "/proc/self/cmdline", "/proc/self/comm",
	"/proc/self/mounts", "/proc/self", "/proc/self/fd", "/proc/self/task",
	"/proc/sysvipc/shm", "/proc/sysvipc/msg", "/proc/sysvipc/sem",
	"/proc/filesystems", "/proc/self/smaps_rollup", "/proc",
};

/*
 * /proc/PID/ENTRY of another process: a sibling worker, init, the
 * supervisor, a child, one that does not exist; reading them races with
 * what those processes do. Never cwd, root or fd/N: those links lead
 * out of the sandbox (to "/", to the supervisor's console).
 */
static char *proc_path(struct fz_worker *w)
{
	static const char *const entries[] = {
		"maps", "stat", "cmdline", "comm", "smaps_rollup", "mounts",
		"fd", "task", "",
	};
	struct fz_shared *sh = w->sh;
	struct fz_line l = { .len = 0 };
	int64_t pid;
	char *p;

	switch (fz_below(&w->rng, 6)) {
	case 0: case 1:
		pid = sh->slot[fz_below(&w->rng, sh->nworkers)].pid; break;
	case 2: pid = 1; break;
	case 3: pid = sh->supervisor_pid; break;
	case 4: pid = w->children[fz_below(&w->rng, 8)]; break;
	default: pid = 99999; break;
	}
	fz_put_str(&l, "/proc/");
	fz_put_dec(&l, pid);
	fz_put_str(&l, "/");
	fz_put_str(&l, entries[fz_below(&w->rng, sizeof(entries) /
						 sizeof(entries[0]))]);
	p = fz_scratch(w, l.len + 1);
	memcpy(p, l.buf, l.len);
	p[l.len] = '\0';
	return p;
}

static char *put(struct fz_worker *w, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *p = fz_scratch(w, la + lb + 1);

	memcpy(p, a, la);
	memcpy(p + la, b, lb + 1);
	return p;
}

/* Random bytes without NUL, no leading '/' and no "..". */
static char *garbage(struct fz_worker *w)
{
	size_t len = 1 + fz_below(&w->rng, 40);
	char *p = fz_scratch(w, len + 1);

	for (size_t i = 0; i < len; i++) {
		char c = (char)(1 + fz_below(&w->rng, 255));

		if ((i == 0 && c == '/') || (c == '.' && i && p[i - 1] == '.'))
			c = 'g';
		p[i] = c;
	}
	p[len] = '\0';
	return p;
}

/* A name longer than NAME_MAX, or a path longer than PATH_MAX. */
static char *too_long(struct fz_worker *w)
{
	size_t len = fz_one_in(&w->rng, 2) ? 256 + fz_below(&w->rng, 64) :
					     4096 + fz_below(&w->rng, 64);
	char *p = fz_scratch(w, len + 1);

	for (size_t i = 0; i < len; i++)
		p[i] = (len > 1000 && i % 8 == 7) ? '/' : 'a';
	p[len] = '\0';
	return p;
}

/*
 * A pointer that is no valid string: unreadable, or in the read-only page
 * (whose bytes hold no '/' or '.', so they name nothing outside the
 * working directory) with its end running into the PROT_NONE page. Not
 * fz_bad_ptr(): the vDSO and our code hold bytes that could spell an
 * absolute path.
 */
static uint64_t bad_path(struct fz_worker *w)
{
	uint64_t p = fz_bad_ptr(w);

	if (p == (uint64_t)(uintptr_t)fz_restorer ||
	    (w->vdso && p - w->vdso < FZ_PAGE))
		return 0;
	return p;
}

uint64_t fz_path(struct fz_worker *w, int system)
{
	uint64_t r = fz_below(&w->rng, 20);
	const char *name;

	if (system && r < 2)
		return (uint64_t)(uintptr_t)proc_path(w);
	if (system && r < 6)
		return (uint64_t)(uintptr_t)put(w, system_names[
			fz_below(&w->rng, N(system_names))], "");
	if (r < 8) {
		name = sandbox_names[fz_below(&w->rng, N(sandbox_names))];
		return (uint64_t)(uintptr_t)put(w, "", name);
	}
	if (r < 13) {
		name = sandbox_names[fz_below(&w->rng, N(sandbox_names))];
		return (uint64_t)(uintptr_t)put(w, FZ_SANDBOX "/", name);
	}
	if (r < 15) {
		name = odd_names[fz_below(&w->rng, N(odd_names))];
		/* "/" and "//" only inside the sandbox: "/tmp/fuzz//" */
		return (uint64_t)(uintptr_t)put(w, name[0] == '/' ?
						FZ_SANDBOX : "", name);
	}
	if (r < 16)
		return (uint64_t)(uintptr_t)garbage(w);
	if (r < 17)
		return (uint64_t)(uintptr_t)too_long(w);
	return bad_path(w);
}
