/*
 * What /proc/<pid>/maps and /proc/<pid>/smaps_rollup say, in Linux 6.1's
 * exact format (fs/proc/task_mmu.c).
 *
 * mm/ describes the areas (mm_get_areas, under mm->lock) and hands over a
 * reference to each mapped file; the file's path is made here afterwards,
 * under namespace_lock, which ranks above mm->lock. The areas are fetched
 * a batch at a time, so the text of a process with thousands of areas
 * costs one page-sized chunk per ~50 lines and never holds mm->lock long.
 * Like Linux, a process changing its mappings while its maps are being
 * generated may appear partly before and partly after the change; every
 * line is a real area and lines stay in ascending order.
 */
#include "procfs.h"
#include <lib/string.h>
#include <lib/printk.h>
#include <mm/kmalloc.h>
#include <mm/vm.h>
#include <proc/task.h>
#include <uapi/mman.h>

#define MAPS_BATCH	16	/* areas fetched per hold of mm->lock */
/* A line's head padded to 72 columns, then one space before the name:
 * Linux's seq_setwidth(m, 25 + sizeof(void *) * 6 - 1) and seq_pad. */
#define MAPS_PADDED	"%-72s "
#define MAPS_HEAD_MAX	128

/*
 * Whether the caller may see pid's memory: Linux's mm_access check
 * (ptrace_may_access, PTRACE_MODE_READ_FSCREDS) for a kernel whose only
 * capability is euid 0: the same thread group, root, or a caller whose
 * euid and egid match all of the target's user and group ids.
 */
bool proc_may_read(const struct task *t)
{
	const struct cred *me = &current->cred, *c = &t->cred;

	if (t->tgid == current->tgid || me->euid == 0)
		return true;
	return me->euid == c->uid && me->euid == c->euid &&
	       me->euid == c->suid && me->egid == c->gid &&
	       me->egid == c->egid && me->egid == c->sgid;
}

/* procfs.h */
int proc_mm_get(pid_t pid, struct mm **mm)
{
	struct task *t;
	int err = 0;

	*mm = NULL;
	spin_lock(&proc_tree_lock);
	t = task_find(pid);
	if (!t)
		err = -ESRCH;
	else if (!proc_may_read(t))
		err = -EACCES;
	else if ((*mm = t->mm) != NULL)
		mm_get(*mm);
	spin_unlock(&proc_tree_lock);
	return err;
}

/* s with each newline as "\012", as Linux's seq_file_path(m, f, "\n"). */
static int maps_add_escaped(struct proc_text *t, const char *s)
{
	const char *nl;
	int err = 0;

	while (!err && (nl = strchr(s, '\n')) != NULL) {
		err = proc_text_add(t, s, (size_t)(nl - s));
		if (!err)
			err = proc_text_add(t, "\\012", 4);
		s = nl + 1;
	}
	return err ? err : proc_text_add(t, s, strlen(s));
}

/* The path of f as d_path gives it (" (deleted)" once unlinked; a
 * memfd as "/memfd:NAME (deleted)"). NULL if too long. */
static const char *maps_file_path(struct file *f, char *buf)
{
	struct path p = { f->mnt, f->dentry };
	const char *s;

	mutex_lock(&namespace_lock);
	s = path_to_string(&p, buf, PATH_MAX);
	mutex_unlock(&namespace_lock);
	return IS_ERR(s) ? NULL : s;
}

/*
 * One line: "start-end perms offset major:minor inode ", then, for a
 * named area, spaces up to column 72, one more, and the name. path_buf
 * is PATH_MAX bytes of scratch space.
 */
static int maps_line(struct proc_text *t, const struct vm_area_info *a,
		     char *path_buf)
{
	const char *name = a->file ? maps_file_path(a->file, path_buf)
				   : a->name;
	char head[MAPS_HEAD_MAX];
	int err;

	snprintf(head, sizeof(head),
		 "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ",
		 (unsigned long)a->start, (unsigned long)a->end,
		 a->prot & PROT_READ ? 'r' : '-',
		 a->prot & PROT_WRITE ? 'w' : '-',
		 a->prot & PROT_EXEC ? 'x' : '-', a->shared ? 's' : 'p',
		 (unsigned long)a->offset, MAJOR(a->dev), MINOR(a->dev),
		 (unsigned long)a->ino);
	if (!name)
		return proc_text_printf(t, "%s\n", head);
	err = proc_text_printf(t, MAPS_PADDED, head);
	if (!err)
		err = maps_add_escaped(t, name);
	return err ? err : proc_text_add(t, "\n", 1);
}

int maps_generate(struct proc_text *t, pid_t pid)
{
	struct vm_area_info *areas;
	char *path_buf;
	struct mm *mm;
	uint64_t addr = 0;
	size_t n;
	int err = proc_mm_get(pid, &mm);

	if (err || !mm)
		return err;		/* no memory: an empty file */
	areas = kmalloc(MAPS_BATCH * sizeof(*areas));
	path_buf = kmalloc(PATH_MAX);
	if (!areas || !path_buf)
		err = -ENOMEM;
	while (!err && (n = mm_get_areas(mm, addr, areas, MAPS_BATCH)) > 0) {
		for (size_t i = 0; i < n; i++) {
			if (!err)
				err = maps_line(t, &areas[i], path_buf);
			file_put(areas[i].file);
		}
		addr = areas[n - 1].end;
	}
	kfree(path_buf);
	kfree(areas);
	mm_put(mm);
	return err;
}

/*
 * Linux's __show_smap in rollup mode: every field it prints, "%-16s%8lu
 * kB". Basalt has no swap, huge pages, lazily freed pages or mlock, so
 * those are 0, as they are on a Linux that uses none of them.
 */
int smaps_rollup_generate(struct proc_text *t, pid_t pid)
{
	struct vm_rollup r;
	struct mm *mm;
	char head[MAPS_HEAD_MAX];
	int err = proc_mm_get(pid, &mm);

	if (err)
		return err;
	if (!mm)
		return -ESRCH;		/* as Linux's read (here: the open) */
	mm_get_rollup(mm, &r);
	mm_put(mm);
	const struct { const char *name; uint64_t bytes; } lines[] = {
		{ "Rss:", r.rss },
		{ "Pss:", r.pss >> VM_PSS_SHIFT },
		{ "Pss_Dirty:", r.pss_dirty >> VM_PSS_SHIFT },
		{ "Pss_Anon:", r.pss_anon >> VM_PSS_SHIFT },
		{ "Pss_File:", r.pss_file >> VM_PSS_SHIFT },
		{ "Pss_Shmem:", r.pss_shmem >> VM_PSS_SHIFT },
		{ "Shared_Clean:", r.shared_clean },
		{ "Shared_Dirty:", r.shared_dirty },
		{ "Private_Clean:", r.private_clean },
		{ "Private_Dirty:", r.private_dirty },
		{ "Referenced:", r.referenced },
		{ "Anonymous:", r.anonymous },
		{ "LazyFree:", 0 }, { "AnonHugePages:", 0 },
		{ "ShmemPmdMapped:", 0 }, { "FilePmdMapped:", 0 },
		{ "Shared_Hugetlb:", 0 }, { "Private_Hugetlb:", 0 },
		{ "Swap:", 0 }, { "SwapPss:", 0 }, { "Locked:", 0 },
	};

	snprintf(head, sizeof(head), "%08lx-%08lx ---p 00000000 00:00 0 ",
		 (unsigned long)r.start, (unsigned long)r.end);
	err = proc_text_printf(t, MAPS_PADDED "[rollup]\n", head);
	for (size_t i = 0; i < ARRAY_SIZE(lines) && !err; i++)
		err = proc_text_printf(t, "%-16s%8lu kB\n", lines[i].name,
				       (unsigned long)(lines[i].bytes >> 10));
	return err;
}
