/*
 * What the procfs files say, and the tables that lay the tree out:
 *
 *   /proc/filesystems  the mountable file systems
 *   /proc/meminfo      memory in Linux's exact format; MemFree is the page
 *                      allocator's free count, exact, so tests can check
 *                      that nothing leaked
 *   /proc/mounts       -> self/mounts, as in Linux
 *   /proc/self         -> the caller's pid
 *   /proc/<pid>/{comm,stat,statm,status,cmdline,limits}  any live
 *                      process (procfs_pid.c)
 *   /proc/<pid>/{environ,exe,maps,smaps_rollup}  any process whose memory
 *                      the caller may see (procfs_pid.c, procfs_maps.c)
 *   /proc/<pid>/{cwd,root,fd/<n>,fdinfo/<n>}  any process whose memory
 *                      the caller may see
 *   /proc/<pid>/{mounts,mountinfo}  the caller's own process only (the
 *                      mounts are listed as seen from the caller's root)
 *   /proc/{version,uptime,loadavg,stat,cpuinfo}  procfs_system.c
 *   /proc/config.gz    procfs_config.c
 *   /proc/sys          procfs_sys.c
 */
#include "procfs.h"
#include <lib/string.h>
#include <lib/printk.h>
#include <mm/page.h>
#include <mm/kmalloc.h>
#include <mm/vm.h>
#include <proc/task.h>

pid_t proc_self_tgid(void)
{
	return current->tgid;
}


/* Linux's show_val_kb: the name padded to 16 columns, 8 for the value. */
static int meminfo_line(char *buf, size_t size, const char *name,
			uint64_t kb)
{
	return snprintf(buf, size, "%-16s%8lu kB\n", name, (unsigned long)kb);
}

static long meminfo_show(char *buf, size_t size, pid_t pid)
{
	struct kmalloc_stats ks;
	uint64_t free_kb = page_count_free() * 4;
	uint64_t shmem_kb = tmpfs_pages_total() * 4;
	const struct { const char *name; uint64_t kb; } lines[] = {
		{ "MemTotal:", page_count_total() * 4 },
		{ "MemFree:", free_kb },
		{ "MemAvailable:", free_kb },	/* nothing is reclaimable */
		{ "Buffers:", 0 },
		{ "Cached:", shmem_kb },	/* Linux counts shmem here */
		{ "SwapCached:", 0 },
		{ "SwapTotal:", 0 },
		{ "SwapFree:", 0 },
		{ "Shmem:", shmem_kb },
		{ "KReclaimable:", 0 },
		{ "Slab:", 0 },
		{ "SReclaimable:", 0 },
		{ "SUnreclaim:", 0 },
	};
	size_t len = 0;

	kmalloc_get_stats(&ks);
	for (size_t i = 0; i < ARRAY_SIZE(lines); i++) {
		uint64_t kb = lines[i].kb;

		if (!strcmp(lines[i].name, "Slab:") ||
		    !strcmp(lines[i].name, "SUnreclaim:"))
			kb = ks.slab_pages * 4;
		len += (size_t)meminfo_line(buf + len, size - len,
					    lines[i].name, kb);
		if (len >= size)
			return -ENOMEM;
	}
	return (long)len;
}

static long filesystems_file_show(char *buf, size_t size, pid_t pid)
{
	return filesystems_show(buf, size);
}

static long mounts_file_show(char *buf, size_t size, pid_t pid)
{
	return mounts_show(buf, size);
}

static long mountinfo_file_show(char *buf, size_t size, pid_t pid)
{
	return mountinfo_show(buf, size);
}

/* Symlink targets: copy s to buf, return its full length. */
static int link_copy(char *buf, size_t size, const char *s)
{
	size_t len = strlen(s);

	memcpy(buf, s, MIN(len, size));
	return (int)len;
}

static int self_link(char *buf, size_t size, pid_t pid, int fd)
{
	char num[16];

	snprintf(num, sizeof(num), "%d", proc_self_tgid());
	return link_copy(buf, size, num);
}

/* <tgid>/task/<tid>, as Linux's /proc/thread-self. */
static int thread_self_link(char *buf, size_t size, pid_t pid, int fd)
{
	char s[40];

	snprintf(s, sizeof(s), "%d/task/%d", proc_self_tgid(), current->tid);
	return link_copy(buf, size, s);
}

static int mounts_link(char *buf, size_t size, pid_t pid, int fd)
{
	return link_copy(buf, size, "self/mounts");
}

/* The path p as a link target (namespace_lock held); drops p. */
static int path_link(char *buf, size_t size, struct path *p)
{
	char *tmp = kmalloc(PATH_MAX);
	const char *s;
	int r;

	mutex_assert_held(&namespace_lock);
	if (!tmp) {
		path_put(p);
		return -ENOMEM;
	}
	s = path_to_string(p, tmp, PATH_MAX);
	r = IS_ERR(s) ? (int)PTR_ERR(s) : link_copy(buf, size, s);
	kfree(tmp);
	path_put(p);
	return r;
}

/* A process's cwd or root: for who may read its memory (Linux's ptrace
 * check: EACCES), ENOENT once it has exited. */
static int fs_link(char *buf, size_t size, pid_t pid, bool root)
{
	struct task *t;
	struct path p;
	int err;

	spin_lock(&proc_tree_lock);
	t = task_find(pid);
	err = !t ? -ENOENT : !proc_may_read(t) ? -EACCES :
	      fsctx_task_path(t, root, &p);
	spin_unlock(&proc_tree_lock);
	return err ? err : path_link(buf, size, &p);
}

static int cwd_link(char *buf, size_t size, pid_t pid, int fd)
{
	return fs_link(buf, size, pid, false);
}

static int root_link(char *buf, size_t size, pid_t pid, int fd)
{
	return fs_link(buf, size, pid, true);
}

/* The program the process runs (Linux: only for who may read its
 * memory, else EACCES; a process without memory has none, ENOENT). */
static int exe_link(char *buf, size_t size, pid_t pid, int fd)
{
	struct mm *mm;
	struct file *f;
	struct path p;
	int err = proc_mm_get(pid, &mm);

	if (err)
		return err;
	if (!mm)
		return -ENOENT;
	f = mm_get_exe_file(mm);
	mm_put(mm);
	if (!f)
		return -ENOENT;
	p.mnt = f->mnt;
	p.dentry = f->dentry;
	path_get(&p);
	file_put(f);
	return path_link(buf, size, &p);
}

/*
 * Another process's open files: who may read its memory may see them
 * (Linux's ptrace read check for fd/ links and fdinfo/ files); which
 * descriptors are open shows in fdinfo/ to anyone, as in Linux. The table
 * is taken with a reference under proc_tree_lock, where it changes.
 * -ESRCH (no such process or no table) or -EACCES.
 */
static int proc_files_get(pid_t pid, bool check, struct files_table **ft)
{
	struct task *t;
	int err = 0;

	*ft = NULL;
	spin_lock(&proc_tree_lock);
	t = task_find(pid);
	if (!t)
		err = -ESRCH;
	else if (check && !proc_may_read(t))
		err = -EACCES;
	else if (!(*ft = files_of_task(t)))
		err = -ESRCH;
	spin_unlock(&proc_tree_lock);
	return err;
}

static struct file *fd_get_checked(pid_t pid, int fd, bool check,
				   bool *cloexec, int *err)
{
	struct files_table *ft;
	struct file *f = NULL;

	*err = proc_files_get(pid, check, &ft);
	if (!*err) {
		f = files_fd_get(ft, fd, cloexec);
		files_put(ft);
		if (!f)
			*err = -ENOENT;
	}
	return f;
}

struct file *proc_fd_get(pid_t pid, int fd, bool *cloexec)
{
	int err;

	return fd_get_checked(pid, fd, true, cloexec, &err);
}

bool proc_fd_open(pid_t pid, int fd, bool fdinfo)
{
	int err;
	struct file *f = fd_get_checked(pid, fd, !fdinfo, NULL, &err);

	file_put(f);
	return f != NULL;
}

long proc_next_fd(pid_t pid, int from, bool fdinfo)
{
	struct files_table *ft;
	long fd = -1;

	if (!proc_files_get(pid, !fdinfo, &ft)) {
		fd = files_next_fd(ft, from);
		files_put(ft);
	}
	return fd;
}

/*
 * /proc/<pid>/fdinfo/<fd>: Linux's seq_show, its first four lines (the
 * rest depends on the kind of file: eventfd counts, inotify watches...).
 * The flags are the open flags, with O_CLOEXEC for a close-on-exec
 * descriptor, in octal.
 */
static int fdinfo_generate(struct proc_text *t, pid_t pid, int fd)
{
	bool cloexec = false;
	unsigned int flags;
	int err;
	struct file *f = fd_get_checked(pid, fd, true, &cloexec, &err);

	if (!f)
		return err;
	flags = __atomic_load_n(&f->flags, __ATOMIC_RELAXED);
	if (cloexec)
		flags |= O_CLOEXEC;
	err = proc_text_printf(t, "pos:\t%ld\nflags:\t0%o\nmnt_id:\t%d\n"
			       "ino:\t%lu\n", (long)f->pos, flags,
			       f->mnt ? f->mnt->id : 0,
			       (unsigned long)f->inode->ino);
	file_put(f);
	return err;
}

static int fd_link(char *buf, size_t size, pid_t pid, int fd)
{
	struct file *f = proc_fd_get(pid, fd, NULL);
	struct path p;

	if (!f)
		return -ENOENT;
	p.mnt = f->mnt;
	p.dentry = f->dentry;
	path_get(&p);
	file_put(f);
	return path_link(buf, size, &p);
}

static const struct proc_entry pid_entries[] = {
	{ .name = "cmdline", .mode = S_IFREG | 0444,
	  .show = pid_cmdline_show },
	{ .name = "comm", .mode = S_IFREG | 0644, .show = pid_comm_show,
	  .write_pid = pid_comm_write },
	{ .name = "cwd", .mode = S_IFLNK | 0777, .link = cwd_link,
	  .magic = true },
	{ .name = "environ", .mode = S_IFREG | 0400,
	  .show = pid_environ_show },
	{ .name = "exe", .mode = S_IFLNK | 0777, .link = exe_link,
	  .magic = true },
	{ .name = "fd", .mode = S_IFDIR | 0500, .numbered = PROC_NUM_FDS },
	{ .name = "fdinfo", .mode = S_IFDIR | 0555,
	  .numbered = PROC_NUM_FDINFO },
	{ .name = "limits", .mode = S_IFREG | 0444,
	  .generate = pid_limits_generate },
	{ .name = "maps", .mode = S_IFREG | 0444, .generate = maps_generate },
	{ .name = "mountinfo", .mode = S_IFREG | 0444,
	  .show = mountinfo_file_show, .self_only = true },
	{ .name = "mounts", .mode = S_IFREG | 0444, .show = mounts_file_show,
	  .self_only = true },
	{ .name = "stat", .mode = S_IFREG | 0444, .show = pid_stat_show },
	{ .name = "statm", .mode = S_IFREG | 0444, .show = pid_statm_show },
	{ .name = "status", .mode = S_IFREG | 0444,
	  .generate = pid_status_generate },
	{ .name = "task", .mode = S_IFDIR | 0555, .numbered = PROC_NUM_TASKS },
	{ .name = "root", .mode = S_IFLNK | 0777, .link = root_link,
	  .magic = true },
	{ .name = "smaps_rollup", .mode = S_IFREG | 0444,
	  .generate = smaps_rollup_generate },
	{ .name = "fail-nth", .mode = S_IFREG | 0644,
	  .fops = &proc_fail_nth_ops, .present = proc_fault_inject_present,
	  .self_only = true },
};

static const struct proc_entry root_entries[] = {
	{ .name = "config.gz", .mode = S_IFREG | 0444,
	  .generate = config_gz_generate },
	{ .name = "cpuinfo", .mode = S_IFREG | 0444, .show = cpuinfo_show },
	{ .name = "filesystems", .mode = S_IFREG | 0444,
	  .show = filesystems_file_show },
	{ .name = "interrupts", .mode = S_IFREG | 0444,
	  .show = interrupts_show },
	{ .name = "loadavg", .mode = S_IFREG | 0444, .show = loadavg_show },
	{ .name = "locks", .mode = S_IFREG | 0444,
	  .generate = locks_proc_generate },
	{ .name = "meminfo", .mode = S_IFREG | 0444, .show = meminfo_show },
	{ .name = "mounts", .mode = S_IFLNK | 0777, .link = mounts_link },
	{ .name = "self", .mode = S_IFLNK | 0777, .link = self_link },
	{ .name = "stat", .mode = S_IFREG | 0444, .show = stat_show },
	{ .name = "sys", .mode = S_IFDIR | 0555, .children = proc_sys_entries,
	  .nchildren = PROC_SYS_N },
	{ .name = "sysrq-trigger", .mode = S_IFREG | 0200,
	  .fops = &proc_sysrq_ops },
	{ .name = "sysvipc", .mode = S_IFDIR | 0555,
	  .children = proc_sysvipc_entries, .nchildren = PROC_SYSVIPC_N },
	{ .name = "thread-self", .mode = S_IFLNK | 0777,
	  .link = thread_self_link },
	{ .name = "uptime", .mode = S_IFREG | 0444, .show = uptime_show },
	{ .name = "version", .mode = S_IFREG | 0444, .show = version_show },
	{ .name = "fault_inject", .mode = S_IFREG | 0444,
	  .show = proc_fault_inject_show, .present = proc_fault_inject_present },
	{ .name = "lockdep_stats", .mode = S_IFREG | 0444,
	  .show = proc_lockdep_show, .present = proc_lockdep_present },
};

const struct proc_entry proc_root_dir = {
	.name = "/", .mode = S_IFDIR | 0555, .children = root_entries,
	.nchildren = ARRAY_SIZE(root_entries), .numbered = PROC_NUM_PIDS,
};

const struct proc_entry proc_pid_dir = {
	.name = "<pid>", .mode = S_IFDIR | 0555, .children = pid_entries,
	.nchildren = ARRAY_SIZE(pid_entries),
};

const struct proc_entry proc_fd_link = {
	.name = "<fd>", .mode = S_IFLNK | 0700, .link = fd_link, .magic = true,
};

const struct proc_entry proc_fdinfo_file = {
	.name = "<fdinfo>", .mode = S_IFREG | 0444,
	.generate_fd = fdinfo_generate,
};
