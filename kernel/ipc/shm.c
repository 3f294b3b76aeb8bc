/*
 * System V shared memory: shmget, shmat, shmdt, shmctl, with Linux's
 * semantics and errno order (its ipc/shm.c), and the lifetime design of
 * MISSION.md §1.
 *
 * A segment is a memory object (mm/vm_object.h) plus this record. Its
 * lifetime is nothing but the object's references: the id table holds
 * one, each attachment (a VMA) holds one. IPC_RMID takes the segment out
 * of the table at once (its key and id name nothing from then on) and
 * drops the table's reference; the last detach (shmdt, munmap of the
 * range, exit, execve) drops the last one, and the object's release hook
 * frees this record. There is no "deleted" flag to get wrong, so a removed
 * segment can be neither leaked nor attached again.
 *
 * Basalt's one deliberate difference from Linux: Linux keeps a removed
 * but still attached segment findable by its id (mode SHM_DEST, key 0) and
 * even lets it be attached again; here its id names nothing (shmat and
 * shmctl give EINVAL), which is the original design's rule. Its memory
 * stays counted in SHM_INFO's shm_tot and shm_rss until it is freed.
 *
 * Locks: shm_ids.lock (the table) is taken by every call, never while an
 * mm lock is held, and released before mapping or unmapping: the object
 * hooks below run under mm->lock and take only seg->lock and shm_all_lock
 * (spinlocks), so no cycle can form.
 */
#include <types.h>
#include <lib/list.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <ipc/ipc.h>
#include <mm/kmalloc.h>
#include <mm/page.h>
#include <mm/uaccess.h>
#include <mm/vm.h>
#include <mm/vm_object.h>
#include <proc/task.h>
#include <sync/spinlock.h>
#include <syscall/syscall.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include <uapi/resource.h>
#include "util.h"

#define SHMMIN		1
/* SHM_HUGETLB's page size, log2, in flag bits 26..31 (0: the default). */
#define SHM_HUGE_SHIFT	26
#define SHM_HUGE_MASK	0x3f

struct shm_seg {
	struct kern_ipc_perm perm;	/* under shm_ids.lock while listed */
	struct vm_object *obj;		/* fixed; the table's reference */
	uint64_t segsz;			/* fixed: bytes, as asked */
	pid_t cpid;			/* fixed */
	uid_t locked_uid;		/* shm_ids.lock: charged for SHM_LOCK */
	struct spinlock lock;		/* guards the fields below */
	int64_t atime, dtime, ctime;
	pid_t lpid;
	struct list_head all;		/* in shm_all: every live segment */
};

static struct ipc_ids shm_ids;
static struct spinlock shm_all_lock = SPINLOCK_INIT("shm_all");
static LIST_HEAD(shm_all);		/* listed or removed, until freed */
static uint64_t shm_tot;		/* shm_all_lock: pages of them all */

static uint64_t seg_pages(const struct shm_seg *seg)
{
	return ALIGN_UP(seg->segsz, PAGE_SIZE) >> PAGE_SHIFT;
}

/* ---- The memory object's hooks (called under the mapping mm's lock) -- */

/* An attachment starts: shmat, fork, or a split (Linux's shm_open). */
static void shm_obj_open(struct vm_object *obj)
{
	struct shm_seg *seg = vm_object_priv(obj);

	spin_lock(&seg->lock);
	seg->atime = ipc_now();
	seg->lpid = ipc_caller_pid();
	spin_unlock(&seg->lock);
}

/* An attachment ends: shmdt, munmap, exit, execve (Linux's shm_close). */
static void shm_obj_close(struct vm_object *obj)
{
	struct shm_seg *seg = vm_object_priv(obj);

	spin_lock(&seg->lock);
	seg->dtime = ipc_now();
	seg->lpid = ipc_caller_pid();
	spin_unlock(&seg->lock);
}

/* The last reference is gone: the pages already went back. */
static void shm_obj_release(struct vm_object *obj)
{
	struct shm_seg *seg = vm_object_priv(obj);

	spin_lock(&shm_all_lock);
	list_del(&seg->all);
	shm_tot -= seg_pages(seg);
	spin_unlock(&shm_all_lock);
	kfree(seg);
}

/* /proc/<pid>/maps: Linux names an attachment "/SYSV<key> (deleted)" on
 * the shm file system, with the id as inode number. */
static void shm_obj_describe(struct vm_object *obj, char *name, size_t size,
			     ino_t *ino)
{
	struct shm_seg *seg = vm_object_priv(obj);

	snprintf(name, size, "/SYSV%08x (deleted)", (unsigned int)seg->perm.key);
	*ino = (ino_t)seg->perm.id;
}

static const struct vm_object_ops shm_obj_ops = {
	.open = shm_obj_open,
	.close = shm_obj_close,
	.release = shm_obj_release,
	.describe = shm_obj_describe,
};

/* ---- shmget ----------------------------------------------------------- */

/* Linux's newseg: a new segment of params->size bytes. shm_ids.lock. */
static int shm_newseg(struct ipc_params *params)
{
	uint64_t size = params->size, pages;
	struct shm_seg *seg;
	int id;

	if (size < SHMMIN || size > __atomic_load_n(&ipc_limits.shm_ctlmax,
						    __ATOMIC_RELAXED))
		return -EINVAL;
	pages = ALIGN_UP(size, PAGE_SIZE) >> PAGE_SHIFT;
	if (pages == 0)
		return -ENOSPC;		/* the size wrapped */
	if (params->flg & SHM_HUGETLB) {
		unsigned int log = (params->flg >> SHM_HUGE_SHIFT) & SHM_HUGE_MASK;

		/* x86-64 has 2 MiB and 1 GiB pages, none reserved. */
		return log && log != 21 && log != 30 ? -EINVAL : -ENOMEM;
	}
	/* The overcommit policy (Linux's shmem_acct_size), unless the
	 * caller asks for no reservation. */
	if (!(params->flg & SHM_NORESERVE) && vm_enough_memory(pages))
		return -ENOMEM;
	seg = kzalloc(sizeof(*seg));
	if (!seg)
		return -ENOMEM;
	seg->obj = vm_object_create(pages << PAGE_SHIFT);
	if (!seg->obj) {
		kfree(seg);
		return -ENOMEM;
	}
	seg->segsz = size;
	seg->cpid = ipc_caller_pid();
	seg->ctime = ipc_now();
	spin_init(&seg->lock, "shm_seg");
	spin_lock(&shm_all_lock);
	if (shm_tot + pages < shm_tot ||
	    shm_tot + pages > __atomic_load_n(&ipc_limits.shm_ctlall,
					      __ATOMIC_RELAXED)) {
		spin_unlock(&shm_all_lock);
		vm_object_put(seg->obj);
		kfree(seg);
		return -ENOSPC;
	}
	shm_tot += pages;
	list_add_tail(&seg->all, &shm_all);
	spin_unlock(&shm_all_lock);
	/* From here the object's release frees seg and its accounting. */
	vm_object_set_ops(seg->obj, &shm_obj_ops, seg);
	id = ipc_addid(&shm_ids, &seg->perm, params->key, params->flg,
		       (unsigned int)__atomic_load_n(&ipc_limits.shm_ctlmni,
						     __ATOMIC_RELAXED));
	if (id < 0)
		vm_object_put(seg->obj);
	return id;
}

/* An existing segment may be opened only for no more than its size. */
static int shm_more_checks(struct kern_ipc_perm *p, struct ipc_params *params)
{
	struct shm_seg *seg = container_of(p, struct shm_seg, perm);

	return seg->segsz < params->size ? -EINVAL : 0;
}

static const struct ipc_get_ops shm_get_ops = {
	.getnew = shm_newseg,
	.more_checks = shm_more_checks,
};

static long ksys_shmget(key_t key, uint64_t size, int shmflg)
{
	struct ipc_params params = { .key = key, .flg = shmflg, .size = size };

	return ipcget(&shm_ids, &shm_get_ops, &params);
}

/* ---- shmat / shmdt ---------------------------------------------------- */

/* The segment with this id, with an object reference; -EINVAL if none,
 * -EACCES if the caller may not attach it for acc (rwx bits). */
static int shm_get_object(int shmid, int acc, struct vm_object **obj,
			  uint64_t *len)
{
	struct kern_ipc_perm *p;
	int err = -EINVAL;

	mutex_lock(&shm_ids.lock);
	p = ipc_obtain(&shm_ids, shmid);
	if (p) {
		struct shm_seg *seg = container_of(p, struct shm_seg, perm);

		err = ipcperms(p, acc);
		if (!err) {
			vm_object_get(seg->obj);
			*obj = seg->obj;
			*len = ALIGN_UP(seg->segsz, PAGE_SIZE);
		}
	}
	mutex_unlock(&shm_ids.lock);
	return err;
}

/* Linux's do_shmat: the address the segment is attached at, or -errno. */
static long do_shmat(int shmid, uint64_t addr, int shmflg)
{
	unsigned int flags = 0, prot = PROT_READ;
	struct vm_object *obj = NULL;
	uint64_t len = 0;
	int acc = 0444;
	long r;

	if (shmid < 0)
		return -EINVAL;
	if (addr) {
		if (addr & (SHMLBA - 1)) {
			if (!(shmflg & SHM_RND))
				return -EINVAL;
			addr &= ~(uint64_t)(SHMLBA - 1);
			if (!addr && (shmflg & SHM_REMAP))
				return -EINVAL;
		}
		flags = (shmflg & SHM_REMAP) ? VM_MAP_FIXED : VM_MAP_NOREPLACE;
	} else if (shmflg & SHM_REMAP) {
		return -EINVAL;
	}
	if (shmflg & SHM_RDONLY)
		flags |= VM_MAP_NOWRITE;	/* mprotect may not add it */
	else {
		prot |= PROT_WRITE;
		acc |= 0222;
	}
	if (shmflg & SHM_EXEC) {
		prot |= PROT_EXEC;
		acc |= 0111;
	}
	r = shm_get_object(shmid, acc, &obj, &len);
	if (r < 0)
		return r;
	/* Over another mapping only with SHM_REMAP: Linux says EINVAL. */
	r = vm_map_object(current->mm, addr, len, (int)prot, obj, 0, flags);
	if (r == -EEXIST)
		r = -EINVAL;
	vm_object_put(obj);		/* the attachment holds its own */
	return r;
}

SYSCALL_DEFINE3(shmat, int, shmid, unsigned long, addr, int, shmflg)
{
	return do_shmat(shmid, addr, shmflg);
}

SYSCALL_DEFINE1(shmdt, unsigned long, addr)
{
	return vm_unmap_object(current->mm, addr, &shm_obj_ops);
}

SYSCALL_DEFINE3(shmget, int, key, size_t, size, int, shmflg)
{
	return ksys_shmget(key, size, shmflg);
}

/* ---- shmctl ----------------------------------------------------------- */

static void shm_fill_info(struct shm_info *si)
{
	struct shm_seg *seg;

	memset(si, 0, sizeof(*si));
	si->used_ids = (int32_t)shm_ids.in_use;
	spin_lock(&shm_all_lock);
	si->shm_tot = shm_tot;
	list_for_each_entry(seg, &shm_all, all)
		si->shm_rss += vm_object_resident(seg->obj);
	spin_unlock(&shm_all_lock);
}

/* IPC_INFO and SHM_INFO: the highest index in use, or -errno. */
static long shmctl_info(int cmd, void __user *buf)
{
	union {
		struct shminfo64 info;
		struct shm_info si;
	} u;
	size_t len;
	long idx;

	memset(&u, 0, sizeof(u));
	mutex_lock(&shm_ids.lock);
	if (cmd == IPC_INFO) {
		u.info.shmmax = __atomic_load_n(&ipc_limits.shm_ctlmax,
						__ATOMIC_RELAXED);
		u.info.shmmin = SHMMIN;
		u.info.shmmni = u.info.shmseg = __atomic_load_n(
			&ipc_limits.shm_ctlmni, __ATOMIC_RELAXED);
		u.info.shmall = __atomic_load_n(&ipc_limits.shm_ctlall,
						__ATOMIC_RELAXED);
		len = sizeof(u.info);
	} else {
		shm_fill_info(&u.si);
		len = sizeof(u.si);
	}
	idx = ipc_max_idx(&shm_ids);
	mutex_unlock(&shm_ids.lock);
	return copy_to_user(buf, &u, len) ? -EFAULT : idx;
}

/* What IPC_STAT reports of seg. shm_ids.lock held. */
static void shm_fill_stat(struct shm_seg *seg, struct shmid64_ds *ds)
{
	mutex_assert_held(&shm_ids.lock);
	memset(ds, 0, sizeof(*ds));
	ipc_fill_perm(&seg->perm, &ds->shm_perm);
	ds->shm_segsz = seg->segsz;
	ds->shm_cpid = seg->cpid;
	ds->shm_nattch = vm_object_nattach(seg->obj);
	spin_lock(&seg->lock);
	ds->shm_atime = seg->atime;
	ds->shm_dtime = seg->dtime;
	ds->shm_ctime = seg->ctime;
	ds->shm_lpid = seg->lpid;
	spin_unlock(&seg->lock);
}

/* IPC_STAT, SHM_STAT, SHM_STAT_ANY: 0 (IPC_STAT) or the id, or -errno. */
static long shmctl_stat(int shmid, int cmd, void __user *buf)
{
	struct shmid64_ds ds;
	struct kern_ipc_perm *p;
	long r;

	mutex_lock(&shm_ids.lock);
	p = cmd == IPC_STAT ? ipc_obtain(&shm_ids, shmid)
			    : ipc_obtain_idx(&shm_ids, shmid);
	if (!p) {
		r = -EINVAL;
	} else if (cmd != SHM_STAT_ANY && ipcperms(p, 0444)) {
		r = -EACCES;
	} else {
		shm_fill_stat(container_of(p, struct shm_seg, perm), &ds);
		r = cmd == IPC_STAT ? 0 : p->id;
	}
	mutex_unlock(&shm_ids.lock);
	if (r >= 0 && copy_to_user(buf, &ds, sizeof(ds)))
		r = -EFAULT;
	return r;
}

/* IPC_RMID: out of the table now, freed with the last attachment. */
static void shm_rmid(struct shm_seg *seg)
{
	ipc_rmid(&shm_ids, &seg->perm);
	vm_object_put(seg->obj);	/* may free seg */
}

/* Pages of locked segments charged to uid (removed ones too, until freed). */
static uint64_t shm_locked_pages(uid_t uid)
{
	struct shm_seg *seg;
	uint64_t n = 0;

	spin_lock(&shm_all_lock);
	list_for_each_entry(seg, &shm_all, all)
		if ((seg->perm.mode & SHM_LOCKED) && seg->locked_uid == uid)
			n += seg_pages(seg);
	spin_unlock(&shm_all_lock);
	return n;
}

/*
 * SHM_LOCK and SHM_UNLOCK (Linux's shmctl_do_lock and user_shm_lock):
 * nothing is ever swapped, so locking is a flag, but it is charged as
 * Linux charges it. Without root (CAP_IPC_LOCK) only the owner or creator
 * may do it (EPERM), locking needs a non-zero RLIMIT_MEMLOCK (EPERM), and
 * the segments a user locked must fit in it (ENOMEM). shm_ids.lock held.
 */
static long shm_lock(struct shm_seg *seg, bool lock)
{
	const struct cred *c = &current->cred;
	uint64_t limit = current->rlimits[RLIMIT_MEMLOCK][0];

	mutex_assert_held(&shm_ids.lock);
	if (c->euid != 0) {
		if (c->euid != seg->perm.uid && c->euid != seg->perm.cuid)
			return -EPERM;
		if (lock && limit == 0)
			return -EPERM;
	}
	if (!lock) {
		seg->perm.mode &= ~(mode_t)SHM_LOCKED;
		return 0;
	}
	if (seg->perm.mode & SHM_LOCKED)
		return 0;
	if (c->euid != 0 && limit != RLIM_INFINITY &&
	    shm_locked_pages(c->euid) + seg_pages(seg) > limit >> PAGE_SHIFT)
		return -ENOMEM;
	seg->locked_uid = c->euid;
	seg->perm.mode |= SHM_LOCKED;
	return 0;
}

/* IPC_SET, IPC_RMID, SHM_LOCK, SHM_UNLOCK: 0 or -errno. */
static long shmctl_change(int shmid, int cmd, void __user *buf)
{
	struct shmid64_ds ds;
	struct kern_ipc_perm *p;
	struct shm_seg *seg;
	long r = 0;

	if (cmd == IPC_SET && copy_from_user(&ds, buf, sizeof(ds)))
		return -EFAULT;
	mutex_lock(&shm_ids.lock);
	p = ipc_obtain(&shm_ids, shmid);
	if (!p) {
		mutex_unlock(&shm_ids.lock);
		return -EINVAL;
	}
	seg = container_of(p, struct shm_seg, perm);
	if (cmd == SHM_LOCK || cmd == SHM_UNLOCK)
		r = shm_lock(seg, cmd == SHM_LOCK);
	else if (!ipc_may_change(p))
		r = -EPERM;
	else if (cmd == IPC_RMID)
		shm_rmid(seg);
	else
		r = ipc_set_perm(p, &ds.shm_perm);
	if (!r && cmd == IPC_SET) {
		spin_lock(&seg->lock);
		seg->ctime = ipc_now();
		spin_unlock(&seg->lock);
	}
	mutex_unlock(&shm_ids.lock);
	return r;
}

static long ksys_shmctl(int shmid, int cmd, void __user *buf)
{
	if (cmd < 0 || shmid < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case SHM_INFO:
		return shmctl_info(cmd, buf);
	case IPC_STAT:
	case SHM_STAT:
	case SHM_STAT_ANY:
		return shmctl_stat(shmid, cmd, buf);
	case IPC_SET:
	case IPC_RMID:
	case SHM_LOCK:
	case SHM_UNLOCK:
		return shmctl_change(shmid, cmd, buf);
	}
	return -EINVAL;
}

SYSCALL_DEFINE3(shmctl, int, shmid, int, cmd, void __user *, buf)
{
	return ksys_shmctl(shmid, cmd, buf);
}

/* ---- /proc/sysvipc/shm ------------------------------------------------ */

int shm_proc_show(ipc_emit_fn emit, void *ctx)
{
	static const char head[] =
		"       key      shmid perms                  size  cpid  lpid "
		"nattch   uid   gid  cuid  cgid      atime      dtime      "
		"ctime                   rss                  swap\n";
	char line[256];
	int err = emit(ctx, head, sizeof(head) - 1);

	mutex_lock(&shm_ids.lock);
	for (int i = 0; !err && i <= shm_ids.max_idx; i++) {
		struct kern_ipc_perm *p = shm_ids.slot[i];
		struct shmid64_ds ds;
		int n;

		if (!p)
			continue;
		shm_fill_stat(container_of(p, struct shm_seg, perm), &ds);
		n = snprintf(line, sizeof(line),
			"%10d %10d  %4o %21lu %5d %5d  %5lu %5u %5u %5u %5u "
			"%10ld %10ld %10ld %21lu %21lu\n",
			p->key, p->id, p->mode, (unsigned long)ds.shm_segsz,
			ds.shm_cpid, ds.shm_lpid, (unsigned long)ds.shm_nattch,
			p->uid, p->gid, p->cuid, p->cgid, (long)ds.shm_atime,
			(long)ds.shm_dtime, (long)ds.shm_ctime,
			(unsigned long)(vm_object_resident(
				container_of(p, struct shm_seg, perm)->obj) <<
				PAGE_SHIFT), 0UL);
		err = emit(ctx, line, (size_t)n);
	}
	mutex_unlock(&shm_ids.lock);
	return err;
}

void shm_init(void)
{
	ipc_ids_init(&shm_ids, "shm_ids");
}
