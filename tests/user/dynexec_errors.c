/*
 * dynexec_errors.c - execve of a dynamic program whose interpreter is
 * missing or wrong fails as on Linux, before anything of the caller is
 * lost: ENOENT (no such file), EACCES (not executable, a directory), EIO
 * (shorter than an ELF header), ELIBBAD (not an x86-64 ELF file), and
 * ENOEXEC for a PT_INTERP path without its NUL. Each case copies the
 * glibc probe to /tmp and rewrites its PT_INTERP string in place.
 */
#include "loader.h"

#include <elf.h>

#define PROG "/tmp/dynexec-prog"
#define FAKE "/tmp/dynexec-ld"

/* Copy the probe to PROG with PT_INTERP naming interp (at most as long
 * as the original; the rest is NUL-padded). */
static void make_prog(const char *interp)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	char path[64] = "";
	int fd;

	copy_file(PROBE_GLIBC, PROG, 0755);
	fd = CHECK_OK(open(PROG, O_RDWR));
	CHECK_EQ(pread(fd, &eh, sizeof(eh), 0), (ssize_t)sizeof(eh));
	for (int i = 0; i < eh.e_phnum; i++) {
		CHECK_EQ(pread(fd, &ph, sizeof(ph), eh.e_phoff + i * sizeof(ph)),
			 (ssize_t)sizeof(ph));
		if (ph.p_type != PT_INTERP)
			continue;
		CHECK(strlen(interp) < ph.p_filesz && ph.p_filesz <= sizeof(path));
		strcpy(path, interp);
		CHECK_EQ(pwrite(fd, path, ph.p_filesz, ph.p_offset),
			 (ssize_t)ph.p_filesz);
		close(fd);
		return;
	}
	T_FAIL("no PT_INTERP in %s", PROBE_GLIBC);
}

static void exec_fails(int err)
{
	char *argv[] = { PROG, NULL };
	char *envp[] = { NULL };

	CHECK_ERR(execve(PROG, argv, envp), err);
	/* Still here, and still whole: */
	CHECK_OK(access(PROG, X_OK));
	unlink(PROG);
	unlink(FAKE);
}

static void case_missing_interp_enoent(void)
{
	make_prog("/tmp/no-such-ld.so");
	exec_fails(ENOENT);
}

static void case_interp_not_executable_eacces(void)
{
	copy_file(LDSO_GLIBC, FAKE, 0644);
	make_prog(FAKE);
	exec_fails(EACCES);
}

static void case_interp_directory_eacces(void)
{
	make_prog("/tmp");
	exec_fails(EACCES);
}

static void case_interp_short_file_eio(void)
{
	write_file(FAKE, "\177ELF", 4, 0755);
	make_prog(FAKE);
	exec_fails(EIO);
}

static void case_interp_text_elibbad(void)
{
	static const char text[] =
		"#!/bin/sh\n# a script is no interpreter for an ELF program\n"
		"exit 0\n";

	write_file(FAKE, text, sizeof(text) - 1, 0755);
	make_prog(FAKE);
	exec_fails(ELIBBAD);
}

/* An ELF file for another machine (e_machine patched: EM_AARCH64). */
static void case_interp_wrong_machine_elibbad(void)
{
	uint16_t machine = EM_AARCH64;
	int fd;

	copy_file(LDSO_GLIBC, FAKE, 0755);
	fd = CHECK_OK(open(FAKE, O_WRONLY));
	CHECK_EQ(pwrite(fd, &machine, 2, offsetof(Elf64_Ehdr, e_machine)), 2);
	close(fd);
	make_prog(FAKE);
	exec_fails(ELIBBAD);
}

/* The interpreter itself may be anything runnable that is ELF: here a
 * copy of ld.so at another path, which works. */
static void case_interp_copy_runs(void)
{
	static char out[4096];
	char *argv[] = { PROG, NULL };

	copy_file(LDSO_GLIBC, FAKE, 0755);
	make_prog(FAKE);
	CHECK_EXITED(run_capture(PROG, argv, out, sizeof(out)), 0);
	CHECK_EQ(fact_ul(out, "base_is_interp"), 1);
	unlink(PROG);
	unlink(FAKE);
}

/* PT_INTERP's last byte must be its NUL. */
static void case_interp_unterminated_enoexec(void)
{
	char path[28];

	memset(path, 'x', sizeof(path));
	memcpy(path, "/tmp/", 5);
	make_prog("");
	int fd = CHECK_OK(open(PROG, O_RDWR));
	Elf64_Ehdr eh;
	Elf64_Phdr ph;

	CHECK_EQ(pread(fd, &eh, sizeof(eh), 0), (ssize_t)sizeof(eh));
	for (int i = 0; i < eh.e_phnum; i++) {
		pread(fd, &ph, sizeof(ph), eh.e_phoff + i * sizeof(ph));
		if (ph.p_type == PT_INTERP && ph.p_filesz <= sizeof(path))
			CHECK_EQ(pwrite(fd, path, ph.p_filesz, ph.p_offset),
				 (ssize_t)ph.p_filesz);
	}
	close(fd);
	exec_fails(ENOEXEC);
}

static const struct t_case cases[] = {
	{ case_missing_interp_enoent, "missing-interp-enoent" },
	{ case_interp_not_executable_eacces, "interp-not-executable-eacces" },
	{ case_interp_directory_eacces, "interp-directory-eacces" },
	{ case_interp_short_file_eio, "interp-short-file-eio" },
	{ case_interp_text_elibbad, "interp-text-elibbad" },
	{ case_interp_wrong_machine_elibbad, "interp-wrong-machine-elibbad" },
	{ case_interp_copy_runs, "interp-copy-runs" },
	{ case_interp_unterminated_enoexec, "interp-unterminated-enoexec" },
};

int main(int argc, char **argv)
{
	return T_RUN(argc, argv, cases);
}
