/*
 * What the procfs files say, and the tables that lay the tree out:
 *
 *   /proc/filesystems  the mountable file systems
 *   /proc/meminfo      memory in Linux's exact format; MemFree is the page
 *                      allocator's free count, exact, so tests can check
 *                      that nothing leaked
 *   /proc/mounts       -> self/mounts, as in Linux
 *   /proc/self         -> the caller's pid
 *   /proc/<pid>/comm   any live process
 *   /proc/<pid>/stat   any live process (what ps and top read)
 *   /proc/<pid>/cmdline  any live process
 *   /proc/<pid>/maps, smaps_rollup  any process whose memory the caller
 *                      may see (procfs_maps.c)
 *   /proc/<pid>/{cwd,root,fd/<n>,mounts}  the caller's own process only
 *                      (other processes' file tables are not reachable
 *                      safely yet)
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

/* snprintf that reports overflow as -ENOMEM (the caller retries). */
static long show_done(int len, size_t size)
{
	return (len < 0 || (size_t)len >= size) ? -ENOMEM : len;
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

static long comm_show(char *buf, size_t size, pid_t pid)
{
	char comm[sizeof(current->comm)];
	struct task *t;

	spin_lock(&proc_tree_lock);
	t = task_find(pid);
	if (t)
		memcpy(comm, t->comm, sizeof(comm));
	spin_unlock(&proc_tree_lock);
	if (!t)
		return -ESRCH;
	comm[sizeof(comm) - 1] = '\0';
	return show_done(snprintf(buf, size, "%s\n", comm), size);
}

/* What /proc/<pid>/stat reports, copied out under proc_tree_lock. */
struct stat_snapshot {
	char comm[16];
	char state;
	pid_t ppid, pgid, sid;
	uint64_t cpu_ns, start_ns, rss_limit;
	struct mm *mm;			/* with a reference, or NULL */
};

static int stat_snapshot(pid_t pid, struct stat_snapshot *s)
{
	struct task *t;

	spin_lock(&proc_tree_lock);
	t = task_find(pid);
	if (t) {
		memcpy(s->comm, t->comm, sizeof(s->comm));
		s->comm[sizeof(s->comm) - 1] = '\0';
		s->state = t->exited ? 'Z' :
			   t->state == TASK_SLEEPING ? 'S' : 'R';
		struct task *parent = task_parent(t);

		s->ppid = parent ? parent->tgid : 0;
		s->pgid = task_pgid(t);
		s->sid = task_sid(t);
		s->cpu_ns = t->cpu_ns;
		s->start_ns = t->start_ns;
		s->rss_limit = t->rlimits[5][0];	/* RLIMIT_RSS */
		s->mm = t->mm;
		if (s->mm)
			mm_get(s->mm);
	}
	spin_unlock(&proc_tree_lock);
	return t ? 0 : -ESRCH;
}

/*
 * Linux's 52 fields. Basalt keeps no fault counts and does not split CPU
 * time into user and system, so minflt/majflt are 0 and all CPU time is
 * reported as utime; times are in clock ticks (USER_HZ = 100).
 */
static long stat_show(char *buf, size_t size, pid_t pid)
{
	struct stat_snapshot s;
	struct mm_stats ms = { 0 };
	int err = stat_snapshot(pid, &s);

	if (err)
		return err;
	if (s.mm) {
		mm_get_stats(s.mm, &ms);
		mm_put(s.mm);
	}
	int len = snprintf(buf, size,
		"%d (%s) %c %d %d %d 0 -1 0 0 0 0 0 %lu 0 0 0 20 0 1 0 %lu "
		"%lu %lu %lu 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 %lu "
		"0 0 0 0 0\n",
		pid, s.comm, s.state, s.ppid, s.pgid, s.sid,
		(unsigned long)(s.cpu_ns / 10000000),
		(unsigned long)(s.start_ns / 10000000),
		(unsigned long)(ms.vm_pages * PAGE_SIZE),
		(unsigned long)ms.rss_pages, (unsigned long)s.rss_limit,
		(unsigned long)ms.brk_start);
	return show_done(len, size);
}

/*
 * The argv strings, NUL-separated, read from the process's memory as
 * Linux does (a process may overwrite them). Empty once it has no memory.
 */
static long cmdline_show(char *buf, size_t size, pid_t pid)
{
	struct stat_snapshot s;
	struct mm_stats ms;
	int err = stat_snapshot(pid, &s);

	if (err)
		return err;
	if (!s.mm)
		return 0;
	mm_get_stats(s.mm, &ms);
	size_t len = ms.arg_end - ms.arg_start;
	if (len > size)
		len = (size_t)-1;	/* ask for a bigger buffer */
	else if (len && vm_read(s.mm, ms.arg_start, buf, len))
		len = 0;
	mm_put(s.mm);
	return len == (size_t)-1 ? -ENOMEM : (long)len;
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

static int cwd_link(char *buf, size_t size, pid_t pid, int fd)
{
	struct path p;

	fsctx_cwd(&p);
	return path_link(buf, size, &p);
}

static int root_link(char *buf, size_t size, pid_t pid, int fd)
{
	struct path p;

	fsctx_root(&p);
	return path_link(buf, size, &p);
}

static int fd_link(char *buf, size_t size, pid_t pid, int fd)
{
	struct file *f = fd_get(fd);
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
	{ .name = "cmdline", .mode = S_IFREG | 0444, .show = cmdline_show },
	{ .name = "comm", .mode = S_IFREG | 0644, .show = comm_show },
	{ .name = "cwd", .mode = S_IFLNK | 0777, .link = cwd_link,
	  .self_only = true },
	{ .name = "fd", .mode = S_IFDIR | 0500, .numbered = PROC_NUM_FDS,
	  .self_only = true },
	{ .name = "maps", .mode = S_IFREG | 0444, .generate = maps_generate },
	{ .name = "mounts", .mode = S_IFREG | 0444, .show = mounts_file_show,
	  .self_only = true },
	{ .name = "stat", .mode = S_IFREG | 0444, .show = stat_show },
	{ .name = "task", .mode = S_IFDIR | 0555, .numbered = PROC_NUM_TASKS },
	{ .name = "root", .mode = S_IFLNK | 0777, .link = root_link,
	  .self_only = true },
	{ .name = "smaps_rollup", .mode = S_IFREG | 0444,
	  .generate = smaps_rollup_generate },
	{ .name = "fail-nth", .mode = S_IFREG | 0644,
	  .fops = &proc_fail_nth_ops, .present = proc_fault_inject_present,
	  .self_only = true },
};

static const struct proc_entry root_entries[] = {
	{ .name = "filesystems", .mode = S_IFREG | 0444,
	  .show = filesystems_file_show },
	{ .name = "locks", .mode = S_IFREG | 0444,
	  .generate = locks_proc_generate },
	{ .name = "meminfo", .mode = S_IFREG | 0444, .show = meminfo_show },
	{ .name = "mounts", .mode = S_IFLNK | 0777, .link = mounts_link },
	{ .name = "self", .mode = S_IFLNK | 0777, .link = self_link },
	{ .name = "sys", .mode = S_IFDIR | 0555, .children = proc_sys_entries,
	  .nchildren = PROC_SYS_N },
	{ .name = "sysvipc", .mode = S_IFDIR | 0555,
	  .children = proc_sysvipc_entries, .nchildren = PROC_SYSVIPC_N },
	{ .name = "fault_inject", .mode = S_IFREG | 0444,
	  .show = proc_fault_inject_show, .present = proc_fault_inject_present },
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
	.name = "<fd>", .mode = S_IFLNK | 0700, .link = fd_link,
};
