/*
 * nonroot.c - what an unprivileged user may not do. Every case sets up
 * as root (files, IPC objects, processes), then forks a child that drops
 * to the user and group nobody (65534) and no supplementary groups
 * (setgroups(0), setgid, setuid, in that order, as login programs do) and
 * checks what Linux refuses it, and what it still allows:
 *
 *   files       permission bits on files and directories (read, write,
 *               execute, search), owner and group classes, the sticky
 *               bit's deletion rule, chmod/chown/utimes by a non-owner,
 *               setuid and setgid programs (and nosuid mounts);
 *   credentials the set*id transitions a user may make;
 *   signals     another user's process is EPERM, one's own is not,
 *               SIGCONT within the session is;
 *   IPC         mode bits, IPC_SET and IPC_RMID by a non-owner, the
 *               limits only root may raise;
 *   system      mount, umount, reboot, sethostname, setdomainname,
 *               chroot, mknod of a device, writing /proc/sys/kernel,
 *               raising a hard resource limit: all refused.
 *
 * Linux facts the cases pin down, found by running them on Linux 6.1:
 * - A process that is root only by its saved or real uid is still an
 *   ordinary process to the permission checks: they use the effective
 *   (file system) ids; access(2) alone uses the real ones.
 * - /proc/sys files check permission at every write, not only at open:
 *   a descriptor root opened is EPERM when a user writes through it
 *   (opening is EACCES).
 * - AT_SECURE is set whenever the new effective ids differ from the real
 *   ones, whether or not the file was set-user-ID.
 */
#define _GNU_SOURCE
#include "t.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/reboot.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <dirent.h>
#include <time.h>
#include <unistd.h>

#define NOBODY 65534
#define OTHER  1000		/* some other unprivileged user */

/* ---- helpers ---------------------------------------------------------- */

/* Drop every privilege for good: nobody, no supplementary groups. */
static void become_nobody(void)
{
	CHECK_OK(setgroups(0, NULL));
	CHECK_OK(setgid(NOBODY));
	CHECK_OK(setuid(NOBODY));
	CHECK_EQ(geteuid(), NOBODY);
}

/* Run fn in a child that dropped to nobody; it must finish its checks. */
static void as_nobody(void (*fn)(void))
{
	pid_t pid = t_fork();

	if (pid == 0) {
		become_nobody();
		fn();
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
}

/* Paths under /tmp unique to this run (the glibc and musl builds). */
static pid_t run_id;

static char *tmp_path(char *buf, const char *name)
{
	snprintf(buf, 128, "/tmp/nonroot-%d-%s", (int)run_id, name);
	return buf;
}

/* Paths made by as-root setup, shared with the nobody child. */
static char p_dir[128], p_file[128], p_sub[128], p_other[128];

/* A file with this mode, owner and group, and some bytes in it. */
static void make_file(const char *path, mode_t mode, uid_t uid, gid_t gid)
{
	int fd = (int)CHECK_OK(open(path, O_CREAT | O_EXCL | O_WRONLY, 0600));

	CHECK_EQ(write(fd, "data", 4), 4);
	CHECK_OK(close(fd));
	CHECK_OK(chown(path, uid, gid));
	CHECK_OK(chmod(path, mode));	/* after chown, which clears S_ISUID */
}

static void make_dir(const char *path, mode_t mode, uid_t uid, gid_t gid)
{
	CHECK_OK(mkdir(path, 0700));
	CHECK_OK(chown(path, uid, gid));
	CHECK_OK(chmod(path, mode));
}

/* open() must fail with exactly err; or succeed (the fd is closed). */
#define CHECK_OPEN_ERR(path, flags, err) CHECK_ERR(open((path), (flags)), (err))
#define CHECK_OPEN_OK(path, flags) CHECK_OK(close((int)CHECK_OK(open((path), (flags)))))

/* ---- permission bits on files ------------------------------------------- */

static void nobody_file_modes(void)
{
	char p[128];

	/* Others' bits for a file of root's. */
	CHECK_OPEN_ERR(tmp_path(p, "m600"), O_RDONLY, EACCES);
	CHECK_OPEN_ERR(p, O_WRONLY, EACCES);
	CHECK_OPEN_OK(tmp_path(p, "m644"), O_RDONLY);
	CHECK_OPEN_ERR(p, O_WRONLY, EACCES);
	CHECK_OPEN_ERR(p, O_RDWR, EACCES);
	CHECK_OPEN_ERR(p, O_RDONLY | O_TRUNC, EACCES);
	CHECK_ERR(truncate(p, 0), EACCES);
	CHECK_OPEN_OK(tmp_path(p, "m606"), O_RDWR);
	CHECK_OPEN_ERR(tmp_path(p, "m660"), O_RDONLY, EACCES);
	/* The group class: the file's group is nobody's. */
	CHECK_OPEN_OK(tmp_path(p, "g640"), O_RDONLY);
	CHECK_OPEN_ERR(p, O_WRONLY, EACCES);
	/* Classes are exclusive: the owner gets the owner bits only, a
	 * group member the group bits only, even when "others" has more. */
	CHECK_OPEN_ERR(tmp_path(p, "own077"), O_RDONLY, EACCES);
	CHECK_OPEN_ERR(tmp_path(p, "grp707"), O_RDONLY, EACCES);
	/* access() says the same; F_OK only needs the path. */
	CHECK_ERR(access(tmp_path(p, "m600"), R_OK), EACCES);
	CHECK_OK(access(p, F_OK));
	CHECK_OK(access(tmp_path(p, "m644"), R_OK));
	CHECK_ERR(access(p, W_OK), EACCES);
	CHECK_ERR(access(p, X_OK), EACCES);
	/* O_NOATIME on someone else's file. */
	CHECK_OPEN_ERR(tmp_path(p, "m606"), O_RDONLY | O_NOATIME, EPERM);
}

static void case_file_permission_bits(void)
{
	static const struct { const char *name; mode_t mode; uid_t uid; gid_t gid; }
	files[] = {
		{ "m600", 0600, 0, 0 }, { "m644", 0644, 0, 0 },
		{ "m606", 0606, 0, 0 }, { "m660", 0660, 0, 0 },
		{ "g640", 0640, 0, NOBODY }, { "own077", 0077, NOBODY, 0 },
		{ "grp707", 0707, 0, NOBODY },
	};
	char p[128];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		make_file(tmp_path(p, files[i].name), files[i].mode,
			  files[i].uid, files[i].gid);
	as_nobody(nobody_file_modes);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		CHECK_OK(unlink(tmp_path(p, files[i].name)));
}

/*
 * access() checks the real ids, open() the effective ones: a process
 * whose effective uid is nobody but whose real uid is root.
 */
static void case_access_uses_real_ids(void)
{
	char p[128];
	pid_t pid;

	make_file(tmp_path(p, "real"), 0600, 0, 0);
	pid = t_fork();
	if (pid == 0) {
		CHECK_OK(setresgid(0, NOBODY, 0));
		CHECK_OK(setresuid(0, NOBODY, 0));
		CHECK_OPEN_ERR(p, O_RDONLY, EACCES);
		CHECK_OK(access(p, R_OK | W_OK));
		CHECK_ERR(faccessat(AT_FDCWD, p, R_OK, AT_EACCESS), EACCES);
		/* The saved root makes the way back. */
		CHECK_OK(seteuid(0));
		CHECK_OPEN_OK(p, O_RDWR);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
	CHECK_OK(unlink(p));
}

/* ---- directories -------------------------------------------------------- */

static void nobody_dir_modes(void)
{
	char p[160];

	/* 0700: neither list nor search. */
	snprintf(p, sizeof(p), "%s/d700/f", p_dir);
	CHECK_ERR(access(p, F_OK), EACCES);
	CHECK_OPEN_ERR(p, O_RDONLY, EACCES);
	snprintf(p, sizeof(p), "%s/d700", p_dir);
	CHECK_OPEN_ERR(p, O_RDONLY | O_DIRECTORY, EACCES);
	CHECK_ERR(chdir(p), EACCES);
	/* 0711: search but not list. */
	snprintf(p, sizeof(p), "%s/d711/f", p_dir);
	CHECK_OPEN_OK(p, O_RDONLY);
	snprintf(p, sizeof(p), "%s/d711", p_dir);
	CHECK_OPEN_ERR(p, O_RDONLY | O_DIRECTORY, EACCES);
	CHECK_OK(chdir(p));
	CHECK_OPEN_OK("f", O_RDONLY);
	CHECK_OK(chdir("/"));
	/* 0744: list but not search. */
	snprintf(p, sizeof(p), "%s/d744", p_dir);
	DIR *d = opendir(p);
	CHECK(d != NULL);
	int names = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		names += strcmp(e->d_name, "f") == 0;
	CHECK_EQ(names, 1);
	closedir(d);
	struct stat st;
	snprintf(p, sizeof(p), "%s/d744/f", p_dir);
	CHECK_ERR(stat(p, &st), EACCES);
	CHECK_OK(chdir(p_dir));			/* p_dir itself is 0755 */
	CHECK_ERR(chdir("d744"), EACCES);
	/* 0755: no write: no create, unlink, mkdir, rename, link, symlink. */
	snprintf(p, sizeof(p), "%s/new", p_dir);
	CHECK_OPEN_ERR(p, O_CREAT | O_WRONLY, EACCES);
	CHECK_ERR(mkdir(p, 0755), EACCES);
	CHECK_ERR(mknod(p, S_IFIFO | 0644, 0), EACCES);
	CHECK_ERR(symlink("x", p), EACCES);
	snprintf(p, sizeof(p), "%s/d711/f", p_dir);
	CHECK_ERR(unlink(p), EACCES);
	CHECK_ERR(rename(p, "/tmp/nonroot-stolen"), EACCES);
	snprintf(p, sizeof(p), "%s/d711", p_dir);
	CHECK_ERR(rmdir(p), EACCES);
}

/* The same directory with write for all: create, and delete root's. */
static void nobody_dir_writable(void)
{
	char p[160], q[160];

	snprintf(p, sizeof(p), "%s/d777/mine", p_dir);
	CHECK_OK(close((int)CHECK_OK(open(p, O_CREAT | O_WRONLY, 0600))));
	struct stat st;
	CHECK_OK(stat(p, &st));
	CHECK_EQ(st.st_uid, NOBODY);
	CHECK_EQ(st.st_gid, NOBODY);
	CHECK_OK(unlink(p));
	/* No sticky bit: root's file goes too. */
	snprintf(p, sizeof(p), "%s/d777/f", p_dir);
	snprintf(q, sizeof(q), "%s/d777/g", p_dir);
	CHECK_OK(rename(p, q));
	CHECK_OK(unlink(q));
}

static void case_directory_permission_bits(void)
{
	static const mode_t modes[] = { 0700, 0711, 0744, 0777 };
	char p[160];

	make_dir(tmp_path(p_dir, "dirs"), 0755, 0, 0);
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		snprintf(p, sizeof(p), "%s/d%o", p_dir, modes[i]);
		make_dir(p, modes[i], 0, 0);
		snprintf(p, sizeof(p), "%s/d%o/f", p_dir, modes[i]);
		make_file(p, 0644, 0, 0);
	}
	as_nobody(nobody_dir_modes);
	as_nobody(nobody_dir_writable);
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		snprintf(p, sizeof(p), "%s/d%o/f", p_dir, modes[i]);
		if (modes[i] != 0777)
			CHECK_OK(unlink(p));
		snprintf(p, sizeof(p), "%s/d%o", p_dir, modes[i]);
		CHECK_OK(rmdir(p));
	}
	CHECK_OK(rmdir(p_dir));
}

/* ---- the sticky bit ----------------------------------------------------- */

static void nobody_sticky(void)
{
	char mine[128], q[160];
	struct stat st;

	/* /tmp is 1777: root's file there cannot be removed or replaced. */
	CHECK_OK(stat("/tmp", &st));
	CHECK_EQ(st.st_mode & 07777, 01777);
	CHECK_ERR(unlink(p_file), EPERM);
	CHECK_ERR(rmdir(p_sub), EPERM);
	CHECK_ERR(rename(p_file, tmp_path(mine, "moved")), EPERM);
	/* ... nor replaced by a rename onto it. */
	tmp_path(mine, "mine");
	CHECK_OK(close((int)CHECK_OK(open(mine, O_CREAT | O_WRONLY, 0666))));
	CHECK_ERR(rename(mine, p_file), EPERM);
	/* Writing it is a matter of its mode (0666), not of the sticky bit. */
	CHECK_OPEN_OK(p_file, O_WRONLY);
	/* One's own file goes as usual. */
	CHECK_OK(unlink(mine));
	/* In a sticky directory of one's own, anyone's file may go. */
	snprintf(q, sizeof(q), "%s/f", p_other);
	CHECK_OK(unlink(q));
}

static void case_sticky_tmp_deletion(void)
{
	char q[160];

	make_file(tmp_path(p_file, "sticky-f"), 0666, 0, 0);
	make_dir(tmp_path(p_sub, "sticky-d"), 0777, 0, 0);
	make_dir(tmp_path(p_other, "sticky-own"), 01777, NOBODY, NOBODY);
	snprintf(q, sizeof(q), "%s/f", p_other);
	make_file(q, 0644, 0, 0);
	as_nobody(nobody_sticky);
	CHECK_ERR(access(q, F_OK), ENOENT);
	CHECK_OK(unlink(p_file));
	CHECK_OK(rmdir(p_sub));
	CHECK_OK(rmdir(p_other));
}

/* ---- executing ---------------------------------------------------------- */

static void nobody_exec(void)
{
	char p[128], *argv[] = { "x", NULL }, *envp[] = { NULL };

	/* Not executable for nobody: EACCES before the content is read. */
	CHECK_ERR(execve(tmp_path(p, "x700"), argv, envp), EACCES);
	CHECK_ERR(execve(tmp_path(p, "x644"), argv, envp), EACCES);
	/* Executable: the permission passes; junk is not a program. */
	CHECK_ERR(execve(tmp_path(p, "x755"), argv, envp), ENOEXEC);
	/* A directory is never executed. */
	CHECK_ERR(execve("/tmp", argv, envp), EACCES);
}

/* Root may run any file that anyone may execute, but not one no one may. */
static void case_exec_permission(void)
{
	char p[128], *argv[] = { "x", NULL }, *envp[] = { NULL };

	make_file(tmp_path(p, "x700"), 0700, 0, 0);
	make_file(tmp_path(p, "x644"), 0644, 0, 0);
	make_file(tmp_path(p, "x755"), 0755, 0, 0);
	as_nobody(nobody_exec);
	CHECK_ERR(execve(tmp_path(p, "x644"), argv, envp), EACCES);
	CHECK_ERR(execve(tmp_path(p, "x700"), argv, envp), ENOEXEC);
	CHECK_OK(unlink(tmp_path(p, "x700")));
	CHECK_OK(unlink(tmp_path(p, "x644")));
	CHECK_OK(unlink(tmp_path(p, "x755")));
}

/* ---- owners, modes and times -------------------------------------------- */

static void nobody_attrs(void)
{
	char p[128];
	struct stat st;
	struct timespec times[2] = { { 1, 0 }, { 2, 0 } };

	/* Someone else's file: no chmod, chown or explicit times. */
	tmp_path(p, "root");
	CHECK_ERR(chmod(p, 0777), EPERM);
	CHECK_ERR(chown(p, NOBODY, NOBODY), EPERM);
	CHECK_ERR(chown(p, -1, NOBODY), EPERM);
	CHECK_ERR(utimensat(AT_FDCWD, p, times, 0), EPERM);
	/* "Now" needs write permission only (the file is 0646). */
	CHECK_OK(utimensat(AT_FDCWD, p, NULL, 0));
	CHECK_ERR(utimensat(AT_FDCWD, tmp_path(p, "root-ro"), NULL, 0), EACCES);
	/* One's own file: chmod yes; giving it away no; keeping it yes. */
	tmp_path(p, "own");
	CHECK_OK(chmod(p, 0640));
	CHECK_ERR(chown(p, 0, -1), EPERM);
	CHECK_ERR(chown(p, OTHER, -1), EPERM);
	CHECK_ERR(chown(p, -1, 0), EPERM);	/* not a member of group 0 */
	CHECK_OK(chown(p, NOBODY, NOBODY));
	CHECK_OK(utimensat(AT_FDCWD, p, times, 0));
	/* Set-group-ID is dropped when one is not in the file's group. */
	tmp_path(p, "own-gid0");
	CHECK_OK(chmod(p, 02755));
	CHECK_OK(stat(p, &st));
	CHECK_EQ(st.st_mode & 07777, 0755);
}

static void case_chmod_chown_utimes(void)
{
	char p[128];
	struct stat st;

	make_file(tmp_path(p, "root"), 0646, 0, 0);
	make_file(tmp_path(p, "root-ro"), 0644, 0, 0);
	make_file(tmp_path(p, "own"), 0600, NOBODY, NOBODY);
	make_file(tmp_path(p, "own-gid0"), 0755, NOBODY, 0);
	as_nobody(nobody_attrs);
	CHECK_OK(stat(tmp_path(p, "own"), &st));
	CHECK_EQ(st.st_mode & 07777, 0640);
	CHECK_EQ(st.st_mtime, 2);
	static const char *names[] = { "root", "root-ro", "own", "own-gid0" };
	for (int i = 0; i < 4; i++)
		CHECK_OK(unlink(tmp_path(p, names[i])));
}

/* A user who writes to a set-user-ID file makes it an ordinary one. */
static void nobody_write_suid(void)
{
	char p[128];
	int fd = (int)CHECK_OK(open(tmp_path(p, "suid-w"), O_WRONLY));

	CHECK_EQ(write(fd, "x", 1), 1);
	CHECK_OK(close(fd));
}

static void case_write_clears_setuid(void)
{
	char p[128];
	struct stat st;

	make_file(tmp_path(p, "suid-w"), 06777, 0, 0);
	as_nobody(nobody_write_suid);
	CHECK_OK(stat(p, &st));
	CHECK_EQ(st.st_mode & 07777, 0777);
	CHECK_OK(unlink(p));
}

/* ---- set-user-ID and set-group-ID programs ---------------------------- */

/* Copy this test program to path with the given owner and mode. */
static void copy_self(const char *path, mode_t mode, uid_t uid, gid_t gid)
{
	static char buf[65536];
	int in = (int)CHECK_OK(open(t_self(), O_RDONLY));
	int out = (int)CHECK_OK(open(path, O_CREAT | O_EXCL | O_WRONLY, 0700));
	ssize_t n;

	while ((n = read(in, buf, sizeof(buf))) > 0)
		CHECK_EQ(write(out, buf, n), n);
	CHECK_EQ(n, 0);
	CHECK_OK(close(in));
	CHECK_OK(close(out));
	CHECK_OK(chown(path, uid, gid));
	CHECK_OK(chmod(path, mode));
}

/*
 * Helper mode "--ids r e s rg eg sg secure": exit 0 when the process has
 * exactly these ids and AT_SECURE, else say what it has and exit 1.
 */
static int check_ids(char **want)
{
	uid_t r, e, s;
	gid_t rg, eg, sg;
	unsigned long secure = getauxval(AT_SECURE);
	char got[128];

	if (getresuid(&r, &e, &s) || getresgid(&rg, &eg, &sg))
		return 1;
	snprintf(got, sizeof(got), "%u %u %u %u %u %u %lu", r, e, s, rg, eg,
		 sg, secure);
	char w[128];
	snprintf(w, sizeof(w), "%s %s %s %s %s %s %s", want[0], want[1],
		 want[2], want[3], want[4], want[5], want[6]);
	if (strcmp(got, w) == 0)
		return 0;
	t_note("ids after exec: got \"%s\", want \"%s\"", got, w);
	return 1;
}

/* Exec the copy at path with "--ids" and the expectation; its status. */
static void exec_ids(const char *path, const char *want)
{
	char buf[128], *argv[10] = { "nonroot", "--ids" };
	int i = 2;

	snprintf(buf, sizeof(buf), "%s", want);
	for (char *s = strtok(buf, " "); s && i < 9; s = strtok(NULL, " "))
		argv[i++] = s;
	argv[i] = NULL;
	execv(path, argv);
	T_FAIL("execv %s: %s", path, t_errname(errno));
}

static void run_ids(const char *path, void (*setup)(void), const char *want)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		setup();
		exec_ids(path, want);
	}
	CHECK_EXITED(t_wait(pid), 0);
}

static void no_setup(void) { }

static void to_other_ids(void)
{
	CHECK_OK(setgroups(0, NULL));
	CHECK_OK(setresgid(OTHER, OTHER + 1, OTHER + 2));
	CHECK_OK(setresuid(OTHER, OTHER + 1, OTHER + 2));
}

/* execve: the saved ids become the effective ones (Basalt kept them). */
static void case_exec_sets_saved_ids(void)
{
	char p[128];

	copy_self(tmp_path(p, "plain"), 0755, 0, 0);
	run_ids(p, to_other_ids, "1000 1001 1001 1000 1001 1001 1");
	run_ids(p, become_nobody, "65534 65534 65534 65534 65534 65534 0");
	CHECK_OK(unlink(p));
}

/*
 * A set-user-ID file makes its owner the effective and saved uid
 * (set-group-ID likewise, for its group), and AT_SECURE tells the C
 * library so (Basalt ignored both bits).
 */
static void case_setuid_exec(void)
{
	char p[128];
	char want[128];

	copy_self(tmp_path(p, "suid"), 04755, 0, OTHER);
	run_ids(p, become_nobody, "65534 0 0 65534 65534 65534 1");
	CHECK_OK(unlink(p));
	copy_self(tmp_path(p, "sgid"), 02755, OTHER, OTHER);
	run_ids(p, become_nobody, "65534 65534 65534 65534 1000 1000 1");
	/* Root running a set-group-ID program of another group. */
	run_ids(p, no_setup, "0 0 0 0 1000 1000 1");
	CHECK_OK(unlink(p));
	/* Set-group-ID without group execute marks mandatory locking, not
	 * a set-group-ID program. */
	copy_self(tmp_path(p, "sgid-nox"), 02745, OTHER, OTHER);
	snprintf(want, sizeof(want), "%d %d %d %d %d %d 0", NOBODY, NOBODY,
		 NOBODY, NOBODY, NOBODY, NOBODY);
	run_ids(p, become_nobody, want);
	CHECK_OK(unlink(p));
}

/*
 * A process that shares its fs context (CLONE_FS) with another gains no
 * ids from a set-user-ID program (Linux's LSM_UNSAFE_SHARE): the other
 * could change the directory or umask under it. AT_SECURE is still set.
 */
static void nobody_exec_with_shared_fs(void)
{
	char p[128];
	pid_t pid = (pid_t)syscall(SYS_clone, CLONE_FS | SIGCHLD, 0, 0, 0, 0);

	CHECK(pid >= 0);
	if (pid == 0)
		exec_ids(tmp_path(p, "suid-fs"),
			 "65534 65534 65534 65534 65534 65534 1");
	CHECK_EXITED(t_wait(pid), 0);
}

static void case_setuid_exec_shared_fs(void)
{
	char p[128];

	copy_self(tmp_path(p, "suid-fs"), 04755, 0, 0);
	as_nobody(nobody_exec_with_shared_fs);
	CHECK_OK(unlink(p));
}

/* A nosuid mount ignores the bits. */
static void case_setuid_exec_nosuid_mount(void)
{
	char dir[128], p[160];

	make_dir(tmp_path(dir, "nosuid"), 0755, 0, 0);
	CHECK_OK(mount("nonroot", dir, "tmpfs", MS_NOSUID, "mode=0755"));
	snprintf(p, sizeof(p), "%s/suid", dir);
	copy_self(p, 04755, 0, 0);
	run_ids(p, become_nobody, "65534 65534 65534 65534 65534 65534 0");
	CHECK_OK(unlink(p));
	CHECK_OK(umount(dir));
	CHECK_OK(rmdir(dir));
}

/* ---- credentials -------------------------------------------------------- */

#define CHECK_RES(get, r, e, s)                                            \
	do {                                                               \
		unsigned int gr_, ge_, gs_;                                \
		CHECK_OK(get(&gr_, &ge_, &gs_));                           \
		CHECK_EQ(gr_, (r));                                        \
		CHECK_EQ(ge_, (e));                                        \
		CHECK_EQ(gs_, (s));                                        \
	} while (0)

static void nobody_setid(void)
{
	/* Nothing leads back to root. */
	CHECK_ERR(setuid(0), EPERM);
	CHECK_ERR(seteuid(0), EPERM);
	CHECK_ERR(setreuid(0, -1), EPERM);
	CHECK_ERR(setreuid(-1, 0), EPERM);
	CHECK_ERR(setresuid(-1, -1, 0), EPERM);
	CHECK_ERR(setgid(0), EPERM);
	CHECK_ERR(setregid(-1, 0), EPERM);
	CHECK_ERR(setresgid(0, -1, -1), EPERM);
	CHECK_ERR(setgroups(0, NULL), EPERM);
	gid_t g = NOBODY;
	CHECK_ERR(setgroups(1, &g), EPERM);
	/* Setting an id to what it is already is allowed. */
	CHECK_OK(setuid(NOBODY));
	CHECK_OK(setresuid(-1, NOBODY, -1));
	CHECK_OK(setgid(NOBODY));
	CHECK_RES(getresuid, NOBODY, NOBODY, NOBODY);
	CHECK_RES(getresgid, NOBODY, NOBODY, NOBODY);
	CHECK_EQ(getgroups(0, NULL), 0);
}

static void case_setuid_refused(void)
{
	as_nobody(nobody_setid);
}

/*
 * The transitions an unprivileged process may make among its own three
 * ids (real 1000, effective 1001, saved 1002), and how the saved id
 * follows (Linux kernel/sys.c).
 */
static void case_setid_transitions(void)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		CHECK_OK(setgroups(0, NULL));
		CHECK_OK(setresgid(OTHER, OTHER + 1, OTHER + 2));
		CHECK_OK(setresuid(OTHER, OTHER + 1, OTHER + 2));
		CHECK_ERR(setuid(0), EPERM);
		CHECK_ERR(setuid(OTHER + 3), EPERM);
		/* setuid, unprivileged: the effective id, to real or saved. */
		CHECK_OK(setuid(OTHER + 2));
		CHECK_RES(getresuid, OTHER, OTHER + 2, OTHER + 2);
		CHECK_OK(setuid(OTHER));
		CHECK_RES(getresuid, OTHER, OTHER, OTHER + 2);
		/* setresuid: any of the three into any slot. */
		CHECK_OK(setresuid(OTHER + 2, OTHER, -1));
		CHECK_RES(getresuid, OTHER + 2, OTHER, OTHER + 2);
		CHECK_ERR(setresuid(-1, -1, OTHER + 1), EPERM);
		CHECK_OK(setresuid(OTHER, OTHER + 2, OTHER));
		CHECK_RES(getresuid, OTHER, OTHER + 2, OTHER);
		/* setreuid: swapping real and effective keeps the way back;
		 * the saved id becomes the new effective one. */
		CHECK_OK(setreuid(OTHER + 2, OTHER));
		CHECK_RES(getresuid, OTHER + 2, OTHER, OTHER);
		CHECK_ERR(setreuid(OTHER + 5, -1), EPERM);
		/* Effective id only, to the real one: saved stays. */
		CHECK_OK(setreuid(-1, OTHER + 2));
		CHECK_RES(getresuid, OTHER + 2, OTHER + 2, OTHER);
		/* The group ids follow the same rules. */
		CHECK_ERR(setgid(0), EPERM);
		CHECK_OK(setgid(OTHER + 2));
		CHECK_RES(getresgid, OTHER, OTHER + 2, OTHER + 2);
		CHECK_OK(setregid(OTHER + 2, OTHER));
		CHECK_RES(getresgid, OTHER + 2, OTHER, OTHER);
		CHECK_ERR(setresgid(OTHER + 1, -1, -1), EPERM);
		_exit(0);
	}
	CHECK_EXITED(t_wait(pid), 0);
}

/* ---- signals ------------------------------------------------------------ */

/* A process that waits for a signal, pause() forever, once set up. */
static pid_t spawn_waiter(void (*setup)(void))
{
	volatile int *ready = t_shared_ints();
	pid_t pid = t_fork();

	if (pid == 0) {
		if (setup)
			setup();
		t_post(ready, 1);
		for (;;)
			pause();
	}
	t_await(ready, 1);
	return pid;
}

static pid_t p_root, p_root_real_nobody;

static void nobody_kill(void)
{
	/* Another user's processes: no signal, not even the null one. */
	CHECK_ERR(kill(p_root, SIGTERM), EPERM);
	CHECK_ERR(kill(p_root, 0), EPERM);
	CHECK_ERR(kill(1, 0), EPERM);
	CHECK_ERR(kill(1, SIGKILL), EPERM);
	CHECK_ERR(syscall(SYS_tkill, p_root, SIGTERM), EPERM);
	CHECK_ERR(syscall(SYS_tgkill, p_root, p_root, SIGTERM), EPERM);
	/* No such process is still ESRCH. */
	CHECK_ERR(kill(0x3fffffff, 0), ESRCH);
	/* A process whose real uid is nobody's may be signalled, although
	 * its effective uid is root's. */
	CHECK_OK(kill(p_root_real_nobody, 0));
	CHECK_OK(kill(p_root_real_nobody, SIGKILL));
	/* One's own process. */
	pid_t mine = spawn_waiter(NULL);
	CHECK_OK(kill(mine, SIGKILL));
	CHECK_SIGNALED(t_wait(mine), SIGKILL);
}

static void real_nobody(void)
{
	CHECK_OK(setresuid(NOBODY, 0, 0));
}

static void case_kill_permissions(void)
{
	p_root = spawn_waiter(NULL);
	p_root_real_nobody = spawn_waiter(real_nobody);
	as_nobody(nobody_kill);
	CHECK_SIGNALED(t_wait(p_root_real_nobody), SIGKILL);
	CHECK_OK(kill(p_root, SIGKILL));
	CHECK_SIGNALED(t_wait(p_root), SIGKILL);
}

/*
 * SIGCONT may go to another user's process in one's own session, so a
 * shell can continue a job that changed its uid (Basalt said EPERM);
 * outside the session it is EPERM like every other signal.
 */
static void nobody_sigcont(void)
{
	CHECK_OK(kill(p_root, SIGCONT));
	CHECK_ERR(kill(p_root, SIGTERM), EPERM);
	CHECK_OK(setsid());
	CHECK_ERR(kill(p_root, SIGCONT), EPERM);
}

static void case_sigcont_same_session_allowed(void)
{
	p_root = spawn_waiter(NULL);
	as_nobody(nobody_sigcont);
	CHECK_OK(kill(p_root, SIGKILL));
	CHECK_SIGNALED(t_wait(p_root), SIGKILL);
}

/* ---- System V IPC ------------------------------------------------------- */

static int ipc_shm, ipc_shm_r, ipc_msg, ipc_msg_own, ipc_sem;

static void nobody_ipc(void)
{
	struct shmid_ds sds = { 0 };
	struct msqid_ds mds = { 0 };
	struct semid_ds ds = { 0 };
	struct sembuf op = { 0, 1, IPC_NOWAIT };

	/* 0600 objects of root's. */
	CHECK(shmat(ipc_shm, NULL, SHM_RDONLY) == (void *)-1 && errno == EACCES);
	CHECK_ERR(shmctl(ipc_shm, IPC_STAT, &sds), EACCES);
	CHECK_ERR(msgsnd(ipc_msg, &(struct { long t; char c; }){ 1, 0 }, 1,
			 IPC_NOWAIT), EACCES);
	CHECK_ERR(semop(ipc_sem, &op, 1), EACCES);
	CHECK_ERR(semctl(ipc_sem, 0, GETVAL), EACCES);
	/* A non-owner may neither change nor remove them. */
	CHECK_ERR(shmctl(ipc_shm, IPC_RMID, NULL), EPERM);
	CHECK_ERR(shmctl(ipc_shm, IPC_SET, &sds), EPERM);
	CHECK_ERR(msgctl(ipc_msg, IPC_RMID, NULL), EPERM);
	CHECK_ERR(msgctl(ipc_msg, IPC_SET, &mds), EPERM);
	CHECK_ERR(semctl(ipc_sem, 0, IPC_RMID), EPERM);
	CHECK_ERR(semctl(ipc_sem, 0, IPC_SET, &ds), EPERM);
	/* 0644: reading is allowed, writing is not. */
	void *p = shmat(ipc_shm_r, NULL, SHM_RDONLY);
	CHECK(p != (void *)-1);
	CHECK_OK(shmdt(p));
	CHECK(shmat(ipc_shm_r, NULL, 0) == (void *)-1 && errno == EACCES);
	CHECK_OK(shmctl(ipc_shm_r, IPC_STAT, &sds));
	/* Locking memory: only the owner, and only within RLIMIT_MEMLOCK. */
	CHECK_ERR(shmctl(ipc_shm_r, SHM_LOCK, NULL), EPERM);
	int own = (int)CHECK_OK(shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	CHECK_OK(setrlimit(RLIMIT_MEMLOCK, &(struct rlimit){ 0, 0 }));
	CHECK_ERR(shmctl(own, SHM_LOCK, NULL), EPERM);
	CHECK_OK(shmctl(own, IPC_RMID, NULL));
	/* Owner of a queue (root set it so), but only root raises its size
	 * beyond msgmnb. */
	CHECK_OK(msgctl(ipc_msg_own, IPC_STAT, &mds));
	CHECK_EQ(mds.msg_perm.uid, NOBODY);
	mds.msg_qbytes = 16384 + 1;
	CHECK_ERR(msgctl(ipc_msg_own, IPC_SET, &mds), EPERM);
	mds.msg_qbytes = 100;
	CHECK_OK(msgctl(ipc_msg_own, IPC_SET, &mds));
	/* Having set msg_perm.uid, the owner may remove it. */
	CHECK_OK(msgctl(ipc_msg_own, IPC_RMID, NULL));
	/* Objects of one's own are one's own to remove. */
	int id = (int)CHECK_OK(semget(IPC_PRIVATE, 1, IPC_CREAT | 0600));
	CHECK_OK(semctl(id, 0, IPC_STAT, &ds));
	CHECK_EQ(ds.sem_perm.cuid, NOBODY);
	CHECK_OK(semctl(id, 0, IPC_RMID));
}

static void case_ipc_permissions(void)
{
	struct msqid_ds mds;

	ipc_shm = (int)CHECK_OK(shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	ipc_shm_r = (int)CHECK_OK(shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0644));
	ipc_msg = (int)CHECK_OK(msgget(IPC_PRIVATE, IPC_CREAT | 0600));
	ipc_msg_own = (int)CHECK_OK(msgget(IPC_PRIVATE, IPC_CREAT | 0600));
	ipc_sem = (int)CHECK_OK(semget(IPC_PRIVATE, 1, IPC_CREAT | 0600));
	CHECK_OK(msgctl(ipc_msg_own, IPC_STAT, &mds));
	mds.msg_perm.uid = NOBODY;
	CHECK_OK(msgctl(ipc_msg_own, IPC_SET, &mds));
	as_nobody(nobody_ipc);
	CHECK_ERR(msgctl(ipc_msg_own, IPC_STAT, &mds), EINVAL);
	CHECK_OK(shmctl(ipc_shm, IPC_RMID, NULL));
	CHECK_OK(shmctl(ipc_shm_r, IPC_RMID, NULL));
	CHECK_OK(msgctl(ipc_msg, IPC_RMID, NULL));
	CHECK_OK(semctl(ipc_sem, 0, IPC_RMID));
}

/* ---- the system's own state --------------------------------------------- */

static void nobody_system(void)
{
	char p[128];

	CHECK_ERR(mount("none", "/tmp", "tmpfs", 0, NULL), EPERM);
	CHECK_ERR(mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY, NULL), EPERM);
	CHECK_ERR(umount2("/proc", 0), EPERM);
	CHECK_ERR(umount2("/proc", MNT_DETACH), EPERM);
	CHECK_ERR(syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
			  LINUX_REBOOT_CMD_CAD_OFF, NULL), EPERM);
	CHECK_ERR(syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
			  LINUX_REBOOT_CMD_POWER_OFF, NULL), EPERM);
	CHECK_ERR(sethostname("mine", 4), EPERM);
	CHECK_ERR(setdomainname("mine", 4), EPERM);
	CHECK_ERR(chroot("/tmp"), EPERM);
	/* Devices need CAP_MKNOD; a FIFO needs nothing. */
	CHECK_ERR(mknod(tmp_path(p, "null"), S_IFCHR | 0666, makedev(1, 3)),
		  EPERM);
	CHECK_ERR(mknod(p, S_IFBLK | 0666, makedev(7, 0)), EPERM);
	CHECK_OK(mknod(tmp_path(p, "fifo"), S_IFIFO | 0600, 0));
	CHECK_OK(unlink(p));
}

static void case_system_calls_refused(void)
{
	struct utsname before, after;

	CHECK_OK(uname(&before));
	as_nobody(nobody_system);
	CHECK_OK(uname(&after));
	CHECK_EQ(strcmp(before.nodename, after.nodename), 0);
	CHECK_EQ(strcmp(before.domainname, after.domainname), 0);
}

/* Root changes the host and domain names; uname shows them (Basalt had
 * no sethostname or setdomainname). */
static void case_sethostname_root(void)
{
	struct utsname u, saved;
	char big[70];

	CHECK_OK(uname(&saved));
	CHECK_OK(sethostname("nonroot-test", 12));
	CHECK_OK(setdomainname("example", 7));
	CHECK_OK(uname(&u));
	CHECK_EQ(strcmp(u.nodename, "nonroot-test"), 0);
	CHECK_EQ(strcmp(u.domainname, "example"), 0);
	/* The length counts; no NUL is needed, and a shorter name clears
	 * the rest. */
	CHECK_OK(sethostname("abcdef", 3));
	CHECK_OK(uname(&u));
	CHECK_EQ(strcmp(u.nodename, "abc"), 0);
	memset(big, 'x', sizeof(big));
	CHECK_ERR(sethostname(big, 65), EINVAL);
	CHECK_ERR(syscall(SYS_sethostname, big, -1), EINVAL);
	CHECK_ERR(sethostname(T_KERNEL_TEXT, 4), EFAULT);
	CHECK_OK(sethostname(big, 64));
	CHECK_OK(uname(&u));
	CHECK_EQ(strlen(u.nodename), 64);
	CHECK_OK(sethostname(saved.nodename, strlen(saved.nodename)));
	CHECK_OK(setdomainname(saved.domainname, strlen(saved.domainname)));
	CHECK_OK(uname(&u));
	CHECK_EQ(strcmp(u.nodename, saved.nodename), 0);
	CHECK_EQ(strcmp(u.domainname, saved.domainname), 0);
}

/* ---- /proc/sys/kernel --------------------------------------------------- */

static const char *const sysctls[] = {
	"msgmax", "msgmnb", "msgmni", "sem", "shmall", "shmmax", "shmmni",
};
static int sysctl_fd;

static void nobody_sysctl(void)
{
	char p[64];

	for (size_t i = 0; i < sizeof(sysctls) / sizeof(sysctls[0]); i++) {
		snprintf(p, sizeof(p), "/proc/sys/kernel/%s", sysctls[i]);
		CHECK_OPEN_ERR(p, O_WRONLY, EACCES);
		CHECK_OPEN_ERR(p, O_RDWR, EACCES);
		CHECK_OPEN_ERR(p, O_WRONLY | O_TRUNC, EACCES);
		CHECK_OPEN_OK(p, O_RDONLY);
	}
	/* A descriptor root opened is checked again at each write. */
	CHECK_ERR(write(sysctl_fd, "32000\n", 6), EPERM);
}

static void case_proc_sys_kernel_write_refused(void)
{
	char before[64], after[64];
	int fd = (int)CHECK_OK(open("/proc/sys/kernel/msgmni", O_RDONLY));
	ssize_t n = read(fd, before, sizeof(before) - 1);

	CHECK(n > 0);
	before[n] = 0;
	CHECK_OK(close(fd));
	sysctl_fd = (int)CHECK_OK(open("/proc/sys/kernel/msgmni", O_WRONLY));
	as_nobody(nobody_sysctl);
	CHECK_OK(close(sysctl_fd));
	fd = (int)CHECK_OK(open("/proc/sys/kernel/msgmni", O_RDONLY));
	n = read(fd, after, sizeof(after) - 1);
	CHECK(n > 0);
	after[n] = 0;
	CHECK_OK(close(fd));
	CHECK_EQ(strcmp(before, after), 0);
}

/* ---- resource limits ---------------------------------------------------- */

static void nobody_rlimit(void)
{
	struct rlimit rl, now;

	CHECK_OK(getrlimit(RLIMIT_NOFILE, &rl));
	/* The soft limit may go anywhere up to the hard one. */
	CHECK_OK(setrlimit(RLIMIT_NOFILE, &(struct rlimit){ 10, rl.rlim_max }));
	CHECK_OK(setrlimit(RLIMIT_NOFILE, &rl));
	/* Raising the hard limit is refused, and changes nothing. */
	CHECK_ERR(setrlimit(RLIMIT_NOFILE,
			    &(struct rlimit){ rl.rlim_cur, rl.rlim_max + 1 }),
		  EPERM);
	CHECK_OK(getrlimit(RLIMIT_NOFILE, &now));
	CHECK_EQ(now.rlim_max, rl.rlim_max);
	/* Lowering it is for good. */
	CHECK_OK(setrlimit(RLIMIT_NOFILE, &(struct rlimit){ 64, 64 }));
	CHECK_ERR(setrlimit(RLIMIT_NOFILE, &(struct rlimit){ 64, 65 }), EPERM);
	CHECK_ERR(setrlimit(RLIMIT_NOFILE, &rl), EPERM);
	/* The case lowered RLIMIT_CORE's hard limit to 0 before the fork. */
	CHECK_ERR(prlimit(0, RLIMIT_CORE, &(struct rlimit){ 0, RLIM_INFINITY },
			  NULL), EPERM);
	CHECK_OK(setrlimit(RLIMIT_CPU, &(struct rlimit){ 100, 100 }));
	CHECK_ERR(setrlimit(RLIMIT_CPU, &(struct rlimit){ 100, 101 }), EPERM);
}

static void case_rlimit_hard_raise_refused(void)
{
	struct rlimit core = { 0, 0 };

	/* A hard limit below infinity, for prlimit to be refused. */
	CHECK_OK(setrlimit(RLIMIT_CORE, &core));
	as_nobody(nobody_rlimit);
	/* Root may raise it again. */
	CHECK_OK(setrlimit(RLIMIT_CORE, &(struct rlimit){ 0, RLIM_INFINITY }));
}

static const struct t_case cases[] = {
	{ case_file_permission_bits, "file_permission_bits" },
	{ case_access_uses_real_ids, "access_uses_real_ids" },
	{ case_directory_permission_bits, "directory_permission_bits" },
	{ case_sticky_tmp_deletion, "sticky_tmp_deletion" },
	{ case_exec_permission, "exec_permission" },
	{ case_chmod_chown_utimes, "chmod_chown_utimes" },
	{ case_write_clears_setuid, "write_clears_setuid" },
	{ case_exec_sets_saved_ids, "exec_sets_saved_ids" },
	{ case_setuid_exec, "setuid_exec" },
	{ case_setuid_exec_shared_fs, "setuid_exec_shared_fs" },
	{ case_setuid_exec_nosuid_mount, "setuid_exec_nosuid_mount" },
	{ case_setuid_refused, "setuid_refused" },
	{ case_setid_transitions, "setid_transitions" },
	{ case_kill_permissions, "kill_permissions" },
	{ case_sigcont_same_session_allowed, "sigcont_same_session_allowed" },
	{ case_ipc_permissions, "ipc_permissions" },
	{ case_system_calls_refused, "system_calls_refused" },
	{ case_sethostname_root, "sethostname_root" },
	{ case_proc_sys_kernel_write_refused, "proc_sys_kernel_write_refused" },
	{ case_rlimit_hard_raise_refused, "rlimit_hard_raise_refused" },
};

int main(int argc, char **argv)
{
	if (argc == 9 && strcmp(argv[1], "--ids") == 0)
		return check_ids(argv + 2);
	run_id = getpid();
	return T_RUN(argc, argv, cases);
}
