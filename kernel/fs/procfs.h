/*
 * procfs internals shared by procfs.c (the file system) and the
 * procfs_*.c files that say what the files contain. See docs/procfs.md.
 */
#ifndef BASALT_FS_PROCFS_H
#define BASALT_FS_PROCFS_H

#include "vfs.h"

/*
 * The text of an open procfs file, generated whole when it is opened.
 * It is kept in page-sized chunks, so a long text (the maps of a process
 * with thousands of areas) needs no large contiguous allocation.
 */
struct proc_text;
/* Append; -ENOMEM when out of memory or beyond PROC_TEXT_MAX bytes. */
int proc_text_add(struct proc_text *t, const char *s, size_t len);
int proc_text_printf(struct proc_text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define PROC_TEXT_MAX	(16UL << 20)

/* One name in a procfs directory. */
struct proc_entry {
	const char *name;
	mode_t mode;			/* S_IFREG/S_IFLNK/S_IFDIR | perms */
	/* Files: write the contents into buf; return the length, or
	 * -ENOMEM when size is too small (the caller retries larger). */
	long (*show)(char *buf, size_t size, pid_t pid);
	/* Files of any length, instead of show: append the contents to t;
	 * 0 or -errno (the open fails with it). */
	int (*generate)(struct proc_text *t, pid_t pid);
	/* The same for a file about one descriptor (fdinfo/<n>). */
	int (*generate_fd)(struct proc_text *t, pid_t pid, int fd);
	/* Files showing a named value, instead of show (/proc/sys): the
	 * value of arg into buf, as show; and, if set, a write of len bytes
	 * to it (0 or -errno). */
	const char *arg;
	long (*show_arg)(const char *arg, char *buf, size_t size);
	int (*write_arg)(const char *arg, const char *buf, size_t len);
	/* A write to a file of a pid directory: 0 or -errno. */
	int (*write_pid)(pid_t pid, const char *buf, size_t len);
	/* Symlinks (namespace_lock held): the target, as get_link. */
	int (*link)(char *buf, size_t size, pid_t pid, int fd);
	/* A link Linux makes a "magic link" (one that jumps to an open
	 * object, not a name): what RESOLVE_NO_MAGICLINKS refuses. */
	bool magic;
	/* Files with operations of their own instead of a text made at
	 * open (fail-nth: read and written without allocating). */
	const struct file_ops *fops;
	/* If set, the entry exists only while this says so. */
	bool (*present)(void);
	const struct proc_entry *children;	/* directories */
	size_t nchildren;
	enum { PROC_NUM_NONE, PROC_NUM_PIDS, PROC_NUM_FDS,
	       PROC_NUM_TASKS, PROC_NUM_FDINFO } numbered;
	bool self_only;			/* only in the caller's own pid dir */
};

extern const struct proc_entry proc_root_dir;	/* /proc itself */
extern const struct proc_entry proc_pid_dir;	/* /proc/<pid> */
extern const struct proc_entry proc_fd_link;	/* /proc/<pid>/fd/<n> */
extern const struct proc_entry proc_fdinfo_file; /* /proc/<pid>/fdinfo/<n> */

/* /proc/locks (locks_proc.c). */
int locks_proc_generate(struct proc_text *t, pid_t pid);

/* The current thread group, whose pid directory has everything. */
pid_t proc_self_tgid(void);

/* The pid of the directory an open procfs file is in (0: none). */
pid_t proc_file_pid(const struct file *f);

/* procfs_fault.c: /proc/<pid>/fail-nth and /proc/fault_inject, present
 * with fault injection. */
extern const struct file_ops proc_fail_nth_ops;
extern const struct file_ops proc_sysrq_ops;
bool proc_fault_inject_present(void);
long proc_fault_inject_show(char *buf, size_t size, pid_t pid);
/* /proc/lockdep_stats (procfs_lockdep.c), only with "lockdep". */
bool proc_lockdep_present(void);
long proc_lockdep_show(char *buf, size_t size, pid_t pid);

/* procfs_sys.c: the entries of /proc/sys (the kernel's tunables). */
#define PROC_SYS_N	3		/* fs, kernel, vm */
extern const struct proc_entry proc_sys_entries[PROC_SYS_N];
/* procfs_ipc.c: the entries of /proc/sysvipc (System V IPC objects). */
#define PROC_SYSVIPC_N	3		/* msg, sem, shm */
extern const struct proc_entry proc_sysvipc_entries[PROC_SYSVIPC_N];

/* procfs_maps.c: /proc/<pid>/maps and /proc/<pid>/smaps_rollup. */
int maps_generate(struct proc_text *t, pid_t pid);
int smaps_rollup_generate(struct proc_text *t, pid_t pid);
/* pid's mm with a reference (NULL if it has none: a zombie); -ESRCH if
 * there is no such process, -EACCES if the caller may not read it. */
struct mm;
int proc_mm_get(pid_t pid, struct mm **mm);

/* Whether the caller may see t's memory and files (Linux's ptrace read
 * check; procfs_maps.c). proc_tree_lock held. */
struct task;
bool proc_may_read(const struct task *t);
/* procfs_files.c: process pid's file at fd (a reference, and whether it
 * is close-on-exec) or NULL, also when the caller may not see it. Whether
 * fd is open, and the lowest open fd >= from (or -1), as fd/ (only for
 * who may see the files) or fdinfo/ (for anyone) lists them. */
struct file *proc_fd_get(pid_t pid, int fd, bool *cloexec);
bool proc_fd_open(pid_t pid, int fd, bool fdinfo);
long proc_next_fd(pid_t pid, int from, bool fdinfo);

/* procfs_system.c: files about the whole machine. */
long version_show(char *buf, size_t size, pid_t pid);
long uptime_show(char *buf, size_t size, pid_t pid);
long loadavg_show(char *buf, size_t size, pid_t pid);
long stat_show(char *buf, size_t size, pid_t pid);
long cpuinfo_show(char *buf, size_t size, pid_t pid);
long interrupts_show(char *buf, size_t size, pid_t pid);

/* procfs_config.c: /proc/config.gz. */
int config_gz_generate(struct proc_text *t, pid_t pid);

/* procfs_pid.c: the text files of a pid directory, as the members of
 * struct proc_entry they fill. */
long pid_stat_show(char *buf, size_t size, pid_t pid);
long pid_statm_show(char *buf, size_t size, pid_t pid);
int pid_status_generate(struct proc_text *t, pid_t pid);
long pid_comm_show(char *buf, size_t size, pid_t pid);
int pid_comm_write(pid_t pid, const char *buf, size_t len);
long pid_cmdline_show(char *buf, size_t size, pid_t pid);
long pid_environ_show(char *buf, size_t size, pid_t pid);
int pid_limits_generate(struct proc_text *t, pid_t pid);

#endif
