/*
 * cleanup.c - what the supervisor makes before a run and takes away after
 * it: the sandbox (two tmpfs mounts, with whatever the workers mounted
 * inside), the System V IPC objects the workers created, the host and
 * domain names (sethostname is fuzzed), and the reading of MemFree that says whether the kernel gave everything back.
 */
#define _GNU_SOURCE
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <unistd.h>

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return -1;
	if (write(fd, text, strlen(text)) < 0) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* The starting tree of the sandbox: names of paths.c, each kind once. */
static int populate(void)
{
	static const char *const dirs[] = { "d0", "d1", "d0/d1", "m0" };
	static const char *const files[] = { "f0", "f1", "d0/f0", "x0" };
	char path[128];
	uint8_t elf[256];
	size_t len = fz_tiny_elf(elf, sizeof(elf));
	int fd;

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), FZ_SANDBOX "/%s", dirs[i]);
		if (mkdir(path, 0777) < 0)
			return -1;
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), FZ_SANDBOX "/%s", files[i]);
		if (write_file(path, "fuzz sandbox file\n") < 0)
			return -1;
	}
	fd = open(FZ_SANDBOX "/e0", O_WRONLY | O_CREAT, 0755);
	if (fd < 0 || write(fd, elf, len) != (ssize_t)len || close(fd) < 0)
		return -1;
	if (mknod(FZ_SANDBOX "/p0", S_IFIFO | 0666, 0) < 0 ||
	    symlink("f0", FZ_SANDBOX "/l0") < 0 ||
	    symlink(FZ_SANDBOX "/d0", FZ_SANDBOX "/l1") < 0)
		return -1;
	return 0;
}

int fz_sandbox_make(void)
{
	if (access(FZ_ROOT, F_OK) == 0)
		fz_sandbox_remove();	/* left by an earlier run */
	if (mkdir(FZ_ROOT, 0755) < 0 ||
	    mount("tmpfs", FZ_ROOT, "tmpfs", 0, "size=16m,mode=755") < 0 ||
	    mkdir(FZ_ROOT "/dev", 0755) < 0 ||
	    mknod(FZ_ROOT "/dev/null", S_IFCHR | 0666, makedev(1, 3)) < 0 ||
	    mknod(FZ_ROOT "/dev/zero", S_IFCHR | 0666, makedev(1, 5)) < 0 ||
	    mkdir(FZ_SANDBOX, 01777) < 0 ||
	    mount("tmpfs", FZ_SANDBOX, "tmpfs", 0,
		  "size=16m,nr_inodes=4096,mode=1777") < 0 ||
	    populate() < 0)
		return -1;
	/*
	 * The supervisor works in the sandbox, so every worker starts there
	 * (fork) even when the name no longer leads to it: a worker may
	 * unmount the sandbox and then remove the directory it was mounted
	 * on (FZ_SANDBOX "/" is a sandbox name), and a worker forked
	 * after that whose own chdir(FZ_SANDBOX) fails would otherwise fuzz
	 * in the supervisor's "/" - seed 507 filled the root that way.
	 */
	return chdir(FZ_SANDBOX);
}

/* Undo /proc/mounts escapes ("\040" is a space) in place. */
static void unescape(char *s)
{
	char *d = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] && s[3]) {
			*d++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
				      (s[3] - '0'));
			s += 3;
		} else {
			*d++ = *s;
		}
	}
	*d = '\0';
}

/*
 * The mounts /proc/self/mounts lists under FZ_ROOT, printed; their count.
 * (A mount may be listed under a path that no longer leads to it - one
 * stacked above hides it - so they are not unmounted by name.)
 */
static int list_leftover_mounts(void)
{
	static char buf[65536];
	ssize_t n, len = 0;
	int count = 0, fd = open("/proc/self/mounts", O_RDONLY);

	if (fd < 0)
		return 0;
	while (len < (ssize_t)sizeof(buf) - 1 &&
	       (n = read(fd, buf + len, sizeof(buf) - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	/* Fields are separated by single spaces (the kernel escapes spaces
	 * in names, but not every byte sscanf would take for one). */
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		char *dir = strchr(line, ' '), *end;

		if (!dir)
			continue;
		end = strchr(++dir, ' ');
		if (end)
			*end = '\0';
		unescape(dir);
		if (strncmp(dir, FZ_ROOT, strlen(FZ_ROOT)) != 0 ||
		    (dir[strlen(FZ_ROOT)] != '/' && dir[strlen(FZ_ROOT)] != '\0'))
			continue;
		printf("fuzz: still mounted after umount2(\"%s\", MNT_DETACH):"
		       " %s\n", FZ_ROOT, dir);
		count++;
	}
	return count;
}

/* rm -r of what is left in the root file system (nothing, normally):
 * one pass over each directory; what cannot go is reported. */
static void remove_tree(int dirfd, const char *path, int depth)
{
	char buf[4096];
	long n;

	if (depth > 32)
		return;
	while ((n = syscall(SYS_getdents64, dirfd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);
			int sub;

			off += d->d_reclen;
			if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
				continue;
			if (unlinkat(dirfd, d->d_name, 0) == 0)
				continue;
			sub = openat(dirfd, d->d_name,
				     O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
			if (sub >= 0) {
				remove_tree(sub, d->d_name, depth + 1);
				close(sub);
			}
			if (unlinkat(dirfd, d->d_name, AT_REMOVEDIR) < 0)
				printf("fuzz: cannot remove %s/%s: %m\n", path,
				       d->d_name);
		}
	}
}

int fz_sandbox_remove(void)
{
	int fd;

	/* Out of the sandbox first: a cwd in it would keep it alive. */
	if (chdir("/") < 0)
		return -1;
	/* MNT_DETACH takes the whole tree under the mount (Linux's
	 * umount_tree): repeat only for mounts stacked on FZ_ROOT itself. */
	for (int i = 0; i < 4096; i++)
		if (umount2(FZ_ROOT, MNT_DETACH) < 0)
			break;
	if (errno != EINVAL && errno != ENOENT)
		printf("fuzz: umount2(%s): %m\n", FZ_ROOT);
	if (list_leftover_mounts())
		fz_print_mount_log();
	fd = open(FZ_ROOT, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	if (fd >= 0) {
		remove_tree(fd, FZ_ROOT, 0);
		close(fd);
	}
	return rmdir(FZ_ROOT) < 0 && access(FZ_ROOT, F_OK) == 0 ? -1 : 0;
}

/* ---- The names uname reports, which the workers may change ---- */

static struct utsname names;

void fz_names_save(void)
{
	if (uname(&names) < 0)
		perror("fuzz: uname");
}

/* Put back the names the tests after the fuzzer expect. */
void fz_names_restore(void)
{
	if (sethostname(names.nodename, strlen(names.nodename)) < 0 ||
	    setdomainname(names.domainname, strlen(names.domainname)) < 0)
		perror("fuzz: cannot restore the host and domain names");
}

/* ---- System V IPC: the ids there were before, to leave alone ---- */

#define MAX_OLD 256
enum { SHM, MSG, SEM, NKINDS };
static int old_ids[NKINDS][MAX_OLD];
static int nold[NKINDS];

/* The id at index idx of this kind, or -1. */
static long ipc_stat_any(int kind, int idx)
{
	static char buf[512];

	switch (kind) {
	case SHM: return syscall(SYS_shmctl, idx, 15 /* SHM_STAT_ANY */, buf);
	case MSG: return syscall(SYS_msgctl, idx, 13 /* MSG_STAT_ANY */, buf);
	default: return syscall(SYS_semctl, idx, 0, 20 /* SEM_STAT_ANY */, buf);
	}
}

static long ipc_max_index(int kind)
{
	static char buf[512];

	switch (kind) {
	case SHM: return syscall(SYS_shmctl, 0, 14 /* SHM_INFO */, buf);
	case MSG: return syscall(SYS_msgctl, 0, 12 /* MSG_INFO */, buf);
	default: return syscall(SYS_semctl, 0, 0, 19 /* SEM_INFO */, buf);
	}
}

static void ipc_rmid(int kind, long id)
{
	switch (kind) {
	case SHM: syscall(SYS_shmctl, id, 0, NULL); break;
	case MSG: syscall(SYS_msgctl, id, 0, NULL); break;
	default: syscall(SYS_semctl, id, 0, 0, NULL); break;
	}
}

static int was_there(int kind, long id)
{
	for (int i = 0; i < nold[kind]; i++)
		if (old_ids[kind][i] == id)
			return 1;
	return 0;
}

void fz_ipc_snapshot(void)
{
	for (int k = 0; k < NKINDS; k++) {
		long max = ipc_max_index(k);

		nold[k] = 0;
		for (long idx = 0; idx <= max && nold[k] < MAX_OLD; idx++) {
			long id = ipc_stat_any(k, (int)idx);

			if (id >= 0)
				old_ids[k][nold[k]++] = (int)id;
		}
	}
}

/* Removes the objects made since the snapshot; returns how many. */
int fz_ipc_remove_new(void)
{
	int removed = 0;

	for (int k = 0; k < NKINDS; k++) {
		long max = ipc_max_index(k);

		for (long idx = 0; idx <= max; idx++) {
			long id = ipc_stat_any(k, (int)idx);

			if (id >= 0 && !was_there(k, id)) {
				ipc_rmid(k, id);
				removed++;
			}
		}
	}
	return removed;
}

/* The number after `key` in the file at path, or -1. */
static long read_field(const char *path, const char *key)
{
	static char buf[8192];
	ssize_t n, len = 0;
	char *p;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	memset(buf, 0, sizeof(buf));
	while (len < (ssize_t)sizeof(buf) - 1 &&
	       (n = read(fd, buf + len, sizeof(buf) - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	p = strstr(buf, key);
	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

long fz_memfree_kb(void)
{
	return read_field("/proc/meminfo", "MemFree:");
}

/* Print the file at path, each line indented, under a title. */
static void print_file(const char *title, const char *path)
{
	static char buf[8192];
	ssize_t n, len = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return;
	while (len < (ssize_t)sizeof(buf) - 1 &&
	       (n = read(fd, buf + len, sizeof(buf) - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	printf("fuzz: %s:\n", title);
	for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n"))
		printf("    %s\n", l);
}

/*
 * After a leak: what is still there that a run may have made - every
 * process but init and us (/proc/PID/stat: a zombie shows as Z), the
 * mounts, the System V objects - and the kernel's own counts, as leads
 * to what holds the memory.
 */
void fz_print_leftovers(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	char path[64];

	while (d && (e = readdir(d)) != NULL) {
		int pid = atoi(e->d_name);

		if (pid <= 1 || pid == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		print_file("a process still there", path);
	}
	if (d)
		closedir(d);
	print_file("mounts", "/proc/mounts");
	print_file("kernel memory", "/proc/fault_inject");
	print_file("memory", "/proc/meminfo");
	print_file("shm", "/proc/sysvipc/shm");
	print_file("msg", "/proc/sysvipc/msg");
	print_file("sem", "/proc/sysvipc/sem");
}

/* Basalt with fault_inject: /proc/fault_inject counts to the byte. */
long fz_kmalloc_bytes(void)
{
	return read_field("/proc/fault_inject", "kmalloc_bytes ");
}

long fz_injected(void)
{
	long page = read_field("/proc/fault_inject", "injected_page ");
	long km = read_field("/proc/fault_inject", "injected_kmalloc ");

	return page < 0 || km < 0 ? -1 : page + km;
}
