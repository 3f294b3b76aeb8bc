/*
 * coredump.h - what the core dump tests (coredump*.c) share: a scratch
 * directory, the kernel.core_pattern knobs set for a case and put back,
 * a child that dies of a signal with RLIMIT_CORE set, and a reader of
 * the ELF core file it leaves (header, program headers, notes). Include
 * once per program, after t.h.
 */
#ifndef BASALT_TESTS_COREDUMP_H
#define BASALT_TESTS_COREDUMP_H

#define _GNU_SOURCE
#include "t.h"

#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef NT_SIGINFO
#define NT_SIGINFO 0x53494749
#endif
#ifndef NT_FILE
#define NT_FILE 0x46494c45
#endif

#define CD_DIR "/tmp/coredump-test"

/* Remove path and everything under it (the scratch tree is small). */
static void cd_rm_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char sub[512];

	if (!d) {
		unlink(path);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		cd_rm_tree(sub);
	}
	closedir(d);
	rmdir(path);
}

/*
 * A fresh, empty, world-writable directory, the working directory from
 * now on. It is one fixed path, emptied each time, so the cores of
 * earlier cases (which end with _exit) do not pile up in memory.
 */
static void cd_enter_scratch(void)
{
	mkdir("/tmp", 01777);
	CHECK_OK(chdir("/"));
	cd_rm_tree(CD_DIR);
	CHECK_OK(mkdir(CD_DIR, 0777));
	CHECK_OK(chmod(CD_DIR, 0777));
	CHECK_OK(chdir(CD_DIR));
}

static void cd_write_knob(const char *name, const char *value)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/kernel/%s", name);
	fd = CHECK_OK(open(path, O_WRONLY));
	CHECK_EQ(write(fd, value, strlen(value)), (long)strlen(value));
	close(fd);
}

static inline void cd_read_knob(const char *name, char *buf, size_t size)
{
	char path[128];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/sys/kernel/%s", name);
	fd = CHECK_OK(open(path, O_RDONLY));
	n = CHECK_OK(read(fd, buf, size - 1));
	buf[n] = '\0';
	close(fd);
}

/* The defaults the tests assume, and that every case leaves behind. */
static void cd_defaults(void)
{
	cd_write_knob("core_pattern", "core");
	cd_write_knob("core_uses_pid", "0");
}

static inline void cd_set_limit(rlim_t cur)
{
	struct rlimit rl = { cur, RLIM_INFINITY };

	CHECK_OK(setrlimit(RLIMIT_CORE, &rl));
}

/* Fork a child that sets its core limit and runs fn, which must die of
 * a signal; returns the wait status (*pid: the child). */
static int cd_crash(void (*fn)(void), rlim_t limit, pid_t *pid)
{
	pid_t p = t_fork();

	if (p == 0) {
		struct rlimit rl = { limit, RLIM_INFINITY };

		setrlimit(RLIMIT_CORE, &rl);
		fn();
		_exit(T_FAILED);	/* it should have died */
	}
	if (pid)
		*pid = p;
	return t_wait(p);
}

static void cd_check_dumped(int status, int sig)
{
	CHECK_SIGNALED(status, sig);
	if (!WCOREDUMP(status))
		T_FAIL("status %#x: killed by %d but WCOREDUMP is not set",
		       status, sig);
}

static inline void cd_check_not_dumped(int status, int sig)
{
	CHECK_SIGNALED(status, sig);
	if (WCOREDUMP(status))
		T_FAIL("status %#x: WCOREDUMP set, want no core", status);
}

static inline int cd_exists(const char *name)
{
	struct stat st;

	return lstat(name, &st) == 0;
}

/* ---- reading a core file -------------------------------------------- */

/* An address nothing maps, hidden from the compiler. */
static int *volatile cd_bad_pointer = (int *)0x10;

struct core {
	unsigned char *data;
	size_t size;
	Elf64_Ehdr *eh;
	Elf64_Phdr *ph;
};

static void core_load(struct core *c, const char *name)
{
	struct stat st;
	int fd = CHECK_OK(open(name, O_RDONLY));
	size_t got = 0;

	CHECK_OK(fstat(fd, &st));
	CHECK(S_ISREG(st.st_mode));
	CHECK(st.st_size >= (off_t)sizeof(Elf64_Ehdr));
	c->size = (size_t)st.st_size;
	c->data = malloc(c->size);
	CHECK(c->data != NULL);
	while (got < c->size) {
		ssize_t n = CHECK_OK(read(fd, c->data + got, c->size - got));

		CHECK(n > 0);
		got += (size_t)n;
	}
	close(fd);
	c->eh = (Elf64_Ehdr *)c->data;
	CHECK(memcmp(c->eh->e_ident, ELFMAG, SELFMAG) == 0);
	CHECK_EQ(c->eh->e_ident[EI_CLASS], ELFCLASS64);
	CHECK_EQ(c->eh->e_type, ET_CORE);
	CHECK_EQ(c->eh->e_machine, EM_X86_64);
	CHECK_EQ(c->eh->e_phentsize, sizeof(Elf64_Phdr));
	CHECK(c->eh->e_phnum >= 2);
	CHECK(c->eh->e_phoff + c->eh->e_phnum * sizeof(Elf64_Phdr) <= c->size);
	c->ph = (Elf64_Phdr *)(c->data + c->eh->e_phoff);
	CHECK_EQ(c->ph[0].p_type, PT_NOTE);
	CHECK(c->ph[0].p_offset + c->ph[0].p_filesz <= c->size);
}

static void core_free(struct core *c)
{
	free(c->data);
}

/* The n-th (from 0) note of this type and its size; NULL if none. */
static void *core_note(struct core *c, uint32_t type, int nth, size_t *size)
{
	unsigned char *p = c->data + c->ph[0].p_offset;
	unsigned char *end = p + c->ph[0].p_filesz;

	while (p + sizeof(Elf64_Nhdr) <= end) {
		Elf64_Nhdr *h = (Elf64_Nhdr *)p;
		unsigned char *desc = p + sizeof(*h) + ((h->n_namesz + 3) & ~3u);

		if (h->n_type == type && nth-- == 0) {
			if (size)
				*size = h->n_descsz;
			return desc;
		}
		p = desc + ((h->n_descsz + 3) & ~3u);
	}
	return NULL;
}

static inline int core_count_notes(struct core *c, uint32_t type)
{
	int n = 0;

	while (core_note(c, type, n, NULL))
		n++;
	return n;
}

/* Where the byte at virtual address va is in the file; NULL if it is
 * not dumped. */
static inline unsigned char *core_at(struct core *c, uint64_t va)
{
	for (int i = 1; i < c->eh->e_phnum; i++) {
		Elf64_Phdr *p = &c->ph[i];

		if (p->p_type == PT_LOAD && va >= p->p_vaddr &&
		    va < p->p_vaddr + p->p_filesz &&
		    p->p_offset + (va - p->p_vaddr) < c->size)
			return c->data + p->p_offset + (va - p->p_vaddr);
	}
	return NULL;
}

#endif
