/*
 * calls.c - the calls the fuzzer makes, and the kind of each argument.
 *
 * The table holds every call Basalt implements (each issued on Linux too,
 * with the same arguments) except the ones that would end the run or the
 * machine - see docs/security.md, "The syscall fuzzer", for the list and
 * the reasons - plus "enosys", numbers no kernel assigns, to exercise the
 * dispatcher's bound. Calls with a fixup (fix_*.c) get their arguments
 * adjusted or are refused when the drawn values would hurt the harness
 * rather than the kernel. Weight is the relative frequency (0 means 4).
 */
#define _GNU_SOURCE
#include "fixups.h"

#include <fcntl.h>
#include <sys/mman.h>

#define OPEN_FLAGS (O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC |   \
	O_APPEND | O_NONBLOCK | O_DSYNC | O_ASYNC | O_DIRECT | O_LARGEFILE | \
	O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | O_SYNC | O_PATH | \
	O_TMPFILE)
#define AT_FLAGS (0x100 | 0x200 | 0x400 | 0x800 | 0x1000 | 0x6000)
#define MAP_FLAGS (MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | \
	MAP_32BIT | MAP_GROWSDOWN | MAP_DENYWRITE | MAP_EXECUTABLE |         \
	MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK |           \
	MAP_STACK | MAP_HUGETLB | MAP_FIXED_NOREPLACE | 0x80000)
#define WAIT_FLAGS (1 | 2 | 4 | 8 | 0x01000000 | 0x20000000 | 0x40000000 | \
	0x80000000ULL)
#define IPC_FLAGS (0777 | 01000 | 02000 | 04000)
#define MOUNT_FLAGS (0x3fffffULL | (1 << 24) | (1 << 25))

static const int64_t fcntl_cmds[] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 15, 16, 36, 37, 38, 1024, 1025,
	1026, 1030, 1031, 1032, 1033, 1034, FZ_END
};
static const int64_t ioctl_cmds[] = {
	0x5401, 0x5402, 0x5403, 0x540e, 0x540f, 0x5410, 0x5412, 0x5413,
	0x5414, 0x541b, 0x5421, 0x5422, 0x5450, 0x5451, 0x5452, 0x5460,
	0x80086601, 0x40086602, 0x80045430, 0x80081272, 0xc0109428,
	0x4004940c, FZ_END
};
static const int64_t seek_whence[] = { 0, 1, 2, 3, 4, 5, -1, FZ_END };
static const int64_t madv_cmds[] = {
	0, 1, 2, 3, 4, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
	22, 23, 24, FZ_END
};
static const int64_t shmctl_cmds[] = { 0, 1, 2, 3, 11, 12, 13, 14, 15,
				       FZ_END };
static const int64_t msgctl_cmds[] = { 0, 1, 2, 3, 11, 12, 13, FZ_END };
static const int64_t semctl_cmds[] = { 0, 1, 2, 3, 11, 12, 13, 14, 15, 16,
				       17, 18, 19, 20, FZ_END };
static const int64_t sigprocmask_how[] = { 0, 1, 2, 3, -1, FZ_END };
static const int64_t futex_ops[] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 128, 129, 137, 138,
	0x100, 0x109, FZ_END
};
static const int64_t prctl_codes[] = { 0x1001, 0x1002, 0x1003, 0x1004,
				       0x1011, 0x1021, 0x1022, 0x1023,
				       0x3001, 0x3002, FZ_END };
static const int64_t waitid_types[] = { 0, 1, 2, 3, 4, FZ_END };

#define W(n) .weight = (n)

const struct fz_call fz_calls[] = {
	/* Files and descriptors. */
	{ 0, "read", { K_FD, K_BUF_OUT, K_LEN }, W(8) },
	{ 1, "write", { K_FD, K_BUF_IN, K_LEN }, W(8) },
	{ 2, "open", { K_PATH_RO, K_FLAGS, K_MODE }, OPEN_FLAGS, W(8),
	  .fixup = fix_open, .after = after_fd },
	{ 3, "close", { K_FD }, W(3) },
	{ 4, "stat", { K_PATH_RO, K_BUF_OUT } },
	{ 5, "fstat", { K_FD, K_BUF_OUT } },
	{ 6, "lstat", { K_PATH_RO, K_BUF_OUT } },
	{ 7, "poll", { K_NONE, K_SMALL, K_INT }, .fixup = fix_poll },
	{ 8, "lseek", { K_FD, K_OFF, K_CMD }, .cmds = seek_whence, W(6) },
	{ 16, "ioctl", { K_FD, K_CMD, K_INT }, .cmds = ioctl_cmds,
	  .fixup = fix_ioctl },
	{ 17, "pread64", { K_FD, K_BUF_OUT, K_LEN, K_OFF }, W(6) },
	{ 18, "pwrite64", { K_FD, K_BUF_IN, K_LEN, K_OFF }, W(6) },
	{ 19, "readv", { K_FD, K_IOVEC, K_SMALL }, W(6) },
	{ 20, "writev", { K_FD, K_IOVEC, K_SMALL }, W(6) },
	{ 21, "access", { K_PATH_RO, K_SMALL } },
	{ 22, "pipe", { K_BUF_OUT }, .after = after_pipe },
	{ 23, "select", { K_SMALL, K_NONE, K_NONE, K_NONE, K_TIMESPEC },
	  .fixup = fix_select },
	{ 32, "dup", { K_FD }, .after = after_fd },
	{ 33, "dup2", { K_FD, K_FD }, .after = after_fd },
	{ 40, "sendfile", { K_FD, K_FD, K_BUF_OUT, K_LEN },
	  .fixup = fix_sendfile },
	{ 72, "fcntl", { K_FD, K_CMD, K_INT }, .cmds = fcntl_cmds, W(6),
	  .fixup = fix_fcntl, .after = after_fd },
	{ 74, "fsync", { K_FD }, W(1) },
	{ 75, "fdatasync", { K_FD }, W(1) },
	{ 76, "truncate", { K_PATH, K_OFF } },
	{ 77, "ftruncate", { K_FD, K_OFF }, W(6) },
	{ 217, "getdents64", { K_FD, K_BUF_OUT, K_LEN }, W(6) },
	{ 79, "getcwd", { K_BUF_OUT, K_LEN } },
	{ 80, "chdir", { K_PATH }, W(2) },
	{ 81, "fchdir", { K_FD }, W(2) },
	{ 82, "rename", { K_PATH, K_PATH }, W(6) },
	{ 83, "mkdir", { K_PATH, K_MODE }, W(6) },
	{ 84, "rmdir", { K_PATH }, W(6) },
	{ 85, "creat", { K_PATH, K_MODE }, .after = after_fd },
	{ 86, "link", { K_PATH, K_PATH } },
	{ 87, "unlink", { K_PATH }, W(6) },
	{ 88, "symlink", { K_PATH, K_PATH } },
	{ 89, "readlink", { K_PATH_RO, K_BUF_OUT, K_LEN } },
	{ 90, "chmod", { K_PATH, K_MODE } },
	{ 91, "fchmod", { K_FD, K_MODE } },
	{ 92, "chown", { K_PATH, K_UID, K_UID } },
	{ 93, "fchown", { K_FD, K_UID, K_UID } },
	{ 94, "lchown", { K_PATH, K_UID, K_UID } },
	{ 95, "umask", { K_MODE }, W(1) },
	{ 132, "utime", { K_PATH, K_TIMESPEC } },
	{ 133, "mknod", { K_PATH, K_MODE, K_INT }, .fixup = fix_mknod },
	{ 137, "statfs", { K_PATH_RO, K_BUF_OUT } },
	{ 138, "fstatfs", { K_FD, K_BUF_OUT } },
	{ 161, "chroot", { K_PATH }, W(1) },
	{ 162, "sync", { K_NONE }, W(1) },
	{ 165, "mount", { K_PATH, K_PATH, K_NONE, K_FLAGS, K_BUF_IN },
	  MOUNT_FLAGS, .fixup = fix_mount },
	{ 166, "umount2", { K_PATH, K_SMALL }, .fixup = fix_umount2 },
	{ 235, "utimes", { K_PATH, K_TIMESPEC } },
	{ 257, "openat", { K_DIRFD, K_PATH_RO, K_FLAGS, K_MODE }, OPEN_FLAGS,
	  W(8), .fixup = fix_openat, .after = after_fd },
	{ 258, "mkdirat", { K_DIRFD, K_PATH, K_MODE } },
	{ 259, "mknodat", { K_DIRFD, K_PATH, K_MODE, K_INT },
	  .fixup = fix_mknodat },
	{ 260, "fchownat", { K_DIRFD, K_PATH, K_UID, K_UID, K_FLAGS },
	  AT_FLAGS },
	{ 261, "futimesat", { K_DIRFD, K_PATH, K_TIMESPEC } },
	{ 262, "newfstatat", { K_DIRFD, K_PATH_RO, K_BUF_OUT, K_FLAGS },
	  AT_FLAGS },
	{ 263, "unlinkat", { K_DIRFD, K_PATH, K_FLAGS }, AT_FLAGS, W(6) },
	{ 264, "renameat", { K_DIRFD, K_PATH, K_DIRFD, K_PATH } },
	{ 265, "linkat", { K_DIRFD, K_PATH, K_DIRFD, K_PATH, K_FLAGS },
	  AT_FLAGS },
	{ 266, "symlinkat", { K_PATH, K_DIRFD, K_PATH } },
	{ 267, "readlinkat", { K_DIRFD, K_PATH_RO, K_BUF_OUT, K_LEN } },
	{ 268, "fchmodat", { K_DIRFD, K_PATH, K_MODE, K_FLAGS }, AT_FLAGS },
	{ 269, "faccessat", { K_DIRFD, K_PATH_RO, K_SMALL } },
	{ 439, "faccessat2", { K_DIRFD, K_PATH_RO, K_SMALL, K_FLAGS },
	  AT_FLAGS },
	{ 270, "pselect6", { K_SMALL, K_NONE, K_NONE, K_NONE, K_TIMESPEC,
			     K_NONE }, .fixup = fix_pselect6 },
	{ 271, "ppoll", { K_NONE, K_SMALL, K_TIMESPEC, K_SIGSET, K_SIGSETSZ },
	  .fixup = fix_ppoll },
	{ 280, "utimensat", { K_DIRFD, K_PATH, K_TIMESPEC, K_FLAGS },
	  AT_FLAGS },
	{ 285, "fallocate", { K_FD, K_FLAGS, K_OFF, K_LEN }, 0x7f,
	  .fixup = fix_fallocate },
	{ 292, "dup3", { K_FD, K_FD, K_FLAGS }, O_CLOEXEC, .after = after_fd },
	{ 293, "pipe2", { K_BUF_OUT, K_FLAGS },
	  O_CLOEXEC | O_NONBLOCK | O_DIRECT, .after = after_pipe },
	{ 295, "preadv", { K_FD, K_IOVEC, K_SMALL, K_OFF } },
	{ 296, "pwritev", { K_FD, K_IOVEC, K_SMALL, K_OFF } },
	{ 306, "syncfs", { K_FD }, W(1) },
	{ 316, "renameat2", { K_DIRFD, K_PATH, K_DIRFD, K_PATH, K_FLAGS }, 7 },
	{ 319, "memfd_create", { K_PATH, K_FLAGS }, 0x1f, .after = after_fd },
	{ 332, "statx", { K_DIRFD, K_PATH_RO, K_FLAGS, K_INT, K_BUF_OUT },
	  AT_FLAGS },
	{ 436, "close_range", { K_FD, K_FD, K_FLAGS }, 6, W(1) },

	/* Memory. */
	{ 9, "mmap", { K_ADDR, K_MMLEN, K_PROT, K_FLAGS, K_FD, K_OFF },
	  MAP_FLAGS, W(10), .fixup = fix_mmap, .after = after_map },
	{ 10, "mprotect", { K_ADDR, K_MMLEN, K_PROT }, W(8),
	  .fixup = fix_mprotect },
	{ 11, "munmap", { K_ADDR, K_MMLEN }, W(8), .fixup = fix_munmap },
	{ 12, "brk", { K_ADDR }, .fixup = fix_brk },
	{ 25, "mremap", { K_ADDR, K_MMLEN, K_MMLEN, K_FLAGS, K_ADDR }, 7,
	  W(8), .fixup = fix_mremap, .after = after_mremap },
	{ 26, "msync", { K_ADDR, K_MMLEN, K_FLAGS }, 7 },
	{ 27, "mincore", { K_ADDR, K_MMLEN, K_BUF_OUT } },
	{ 28, "madvise", { K_ADDR, K_MMLEN, K_CMD }, .cmds = madv_cmds, W(6),
	  .fixup = fix_madvise },

	/* Signals. */
	{ 13, "rt_sigaction", { K_SIG, K_NONE, K_BUF_OUT, K_SIGSETSZ }, W(6),
	  .fixup = fix_rt_sigaction },
	{ 14, "rt_sigprocmask", { K_CMD, K_SIGSET, K_BUF_OUT, K_SIGSETSZ },
	  .cmds = sigprocmask_how },
	{ 15, "rt_sigreturn", { K_NONE }, W(1), .how = FZ_SIGRETURN,
	  .fixup = fix_rt_sigreturn },
	{ 34, "pause", { K_NONE }, W(1) },
	{ 62, "kill", { K_PID, K_SIG }, .fixup = fix_kill },
	{ 127, "rt_sigpending", { K_BUF_OUT, K_SIGSETSZ } },
	{ 128, "rt_sigtimedwait", { K_SIGSET, K_BUF_OUT, K_TIMESPEC,
				    K_SIGSETSZ } },
	{ 200, "tkill", { K_PID, K_SIG }, .fixup = fix_tkill },
	{ 234, "tgkill", { K_PID, K_PID, K_SIG }, .fixup = fix_tgkill },

	/* Processes. */
	{ 56, "clone", { K_FLAGS, K_ADDR, K_BUF_OUT, K_BUF_OUT, K_ADDR },
	  0xffffffffULL, W(3), .how = FZ_FORKLIKE, .fixup = fix_clone,
	  .after = after_child },
	{ 57, "fork", { K_NONE }, W(2), .how = FZ_FORKLIKE,
	  .after = after_child },
	{ 58, "vfork", { K_NONE }, W(2), .how = FZ_FORKLIKE,
	  .after = after_child },
	{ 435, "clone3", { K_NONE, K_LEN }, W(3), .how = FZ_FORKLIKE,
	  .fixup = fix_clone3, .after = after_child },
	{ 59, "execve", { K_PATH, K_NONE, K_NONE }, W(2), .fixup = fix_execve },
	{ 60, "exit", { K_INT }, W(1) },
	{ 231, "exit_group", { K_INT }, W(1) },
	{ 61, "wait4", { K_PID, K_BUF_OUT, K_FLAGS, K_BUF_OUT }, WAIT_FLAGS,
	  .fixup = fix_wait },
	{ 247, "waitid", { K_CMD, K_PID, K_BUF_OUT, K_FLAGS, K_BUF_OUT },
	  WAIT_FLAGS, .cmds = waitid_types, .fixup = fix_wait },
	{ 39, "getpid", { K_NONE }, W(1) },
	{ 186, "gettid", { K_NONE }, W(1) },
	{ 110, "getppid", { K_NONE }, W(1) },
	{ 111, "getpgrp", { K_NONE }, W(1) },
	{ 109, "setpgid", { K_PID, K_PID }, .fixup = fix_setpgid },
	{ 121, "getpgid", { K_PID } },
	{ 124, "getsid", { K_PID } },
	{ 112, "setsid", { K_NONE }, W(2) },
	{ 102, "getuid", { K_NONE }, W(1) },
	{ 104, "getgid", { K_NONE }, W(1) },
	{ 107, "geteuid", { K_NONE }, W(1) },
	{ 108, "getegid", { K_NONE }, W(1) },
	{ 105, "setuid", { K_UID }, W(2) },
	{ 106, "setgid", { K_UID }, W(2) },
	{ 113, "setreuid", { K_UID, K_UID }, W(2) },
	{ 114, "setregid", { K_UID, K_UID }, W(2) },
	{ 117, "setresuid", { K_UID, K_UID, K_UID }, W(2) },
	{ 119, "setresgid", { K_UID, K_UID, K_UID }, W(2) },
	{ 118, "getresuid", { K_BUF_OUT, K_BUF_OUT, K_BUF_OUT } },
	{ 120, "getresgid", { K_BUF_OUT, K_BUF_OUT, K_BUF_OUT } },
	{ 115, "getgroups", { K_SMALL, K_BUF_OUT } },
	{ 116, "setgroups", { K_SMALL, K_BUF_IN } },
	{ 97, "getrlimit", { K_RES, K_BUF_OUT } },
	{ 160, "setrlimit", { K_RES, K_BUF_IN } },
	{ 302, "prlimit64", { K_PID, K_RES, K_BUF_IN, K_BUF_OUT },
	  .fixup = fix_prlimit64 },
	{ 158, "arch_prctl", { K_CMD, K_ADDR }, .cmds = prctl_codes },
	{ 218, "set_tid_address", { K_BUF_OUT } },
	{ 273, "set_robust_list", { K_BUF_IN, K_LEN },
	  .fixup = fix_set_robust_list },
	{ 274, "get_robust_list", { K_PID, K_BUF_OUT, K_BUF_OUT } },
	{ 202, "futex", { K_BUF_OUT, K_CMD, K_INT, K_TIMESPEC, K_BUF_OUT,
			  K_INT }, .cmds = futex_ops, W(6) },
	{ 449, "futex_waitv", { K_BUF_IN, K_SMALL, K_FLAGS, K_TIMESPEC,
				K_CLOCK }, 0, .fixup = fix_futex_waitv },
	{ 24, "sched_yield", { K_NONE }, W(1) },

	/* Time and information. */
	{ 35, "nanosleep", { K_TIMESPEC, K_BUF_OUT } },
	{ 230, "clock_nanosleep", { K_CLOCK, K_FLAGS, K_TIMESPEC, K_BUF_OUT },
	  1 },
	{ 228, "clock_gettime", { K_CLOCK, K_BUF_OUT } },
	{ 229, "clock_getres", { K_CLOCK, K_BUF_OUT } },
	{ 96, "gettimeofday", { K_BUF_OUT, K_BUF_OUT } },
	{ 201, "time", { K_BUF_OUT }, W(1) },
	{ 63, "uname", { K_BUF_OUT }, W(1) },
	/* The names are put back after the run (cleanup.c). */
	{ 170, "sethostname", { K_BUF_IN, K_LEN }, W(1) },
	{ 171, "setdomainname", { K_BUF_IN, K_LEN }, W(1) },
	{ 99, "sysinfo", { K_BUF_OUT }, W(1) },
	{ 318, "getrandom", { K_BUF_OUT, K_LEN, K_FLAGS }, 7 },

	/* System V IPC. */
	{ 29, "shmget", { K_IPCKEY, K_MMLEN, K_FLAGS }, IPC_FLAGS | 010000,
	  .after = after_ipcget },
	{ 30, "shmat", { K_IPCID, K_ADDR, K_FLAGS }, 0170000,
	  .fixup = fix_shmat, .after = after_shmat },
	{ 31, "shmctl", { K_IPCID, K_CMD, K_BUF_OUT }, .cmds = shmctl_cmds },
	{ 67, "shmdt", { K_ADDR }, .fixup = fix_shmdt },
	{ 64, "semget", { K_IPCKEY, K_SMALL, K_FLAGS }, IPC_FLAGS,
	  .after = after_ipcget },
	{ 65, "semop", { K_IPCID, K_BUF_IN, K_SMALL }, .fixup = fix_semop },
	{ 220, "semtimedop", { K_IPCID, K_BUF_IN, K_SMALL, K_TIMESPEC },
	  .fixup = fix_semop },
	{ 66, "semctl", { K_IPCID, K_SMALL, K_CMD, K_BUF_OUT },
	  .cmds = semctl_cmds },
	{ 68, "msgget", { K_IPCKEY, K_FLAGS }, IPC_FLAGS,
	  .after = after_ipcget },
	{ 69, "msgsnd", { K_IPCID, K_BUF_IN, K_LEN, K_FLAGS }, 070000,
	  .fixup = fix_msgsnd },
	{ 70, "msgrcv", { K_IPCID, K_BUF_OUT, K_LEN, K_INT, K_FLAGS },
	  0170000, .fixup = fix_msgrcv },
	{ 71, "msgctl", { K_IPCID, K_CMD, K_BUF_OUT }, .cmds = msgctl_cmds },

	/* Numbers no kernel assigns: the dispatcher must say ENOSYS. */
	{ -1, "enosys", { K_NONE }, W(1), .fixup = fix_enosys },
};

const int fz_ncalls = (int)(sizeof(fz_calls) / sizeof(fz_calls[0]));

const char *fz_call_name(int64_t nr)
{
	for (int i = 0; i < fz_ncalls; i++)
		if (fz_calls[i].nr == nr && nr >= 0)
			return fz_calls[i].name;
	return NULL;
}
