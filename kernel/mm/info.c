/*
 * Read-only views of an address space for other subsystems: the area
 * list, sizes and memory use shown by /proc, and futex keys.
 */
#include <types.h>
#include <fs/file.h>
#include <fs/fs.h>
#include <mm/page.h>
#include <mm/vm.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include "vm_internal.h"

/* Linux's name for shared anonymous memory: the file shmem_zero_setup
 * makes, unlinked from its internal mount at once. */
#define ANON_SHARED_NAME	"/dev/zero (deleted)"

/* The areas Linux names without a file: the heap is every area that
 * overlaps [brk_start, brk] (with the data segment's area right below
 * it, when they touch), the stack the area holding the initial stack. */
static const char *area_name(const struct mm *mm, const struct vma *v)
{
	if (v->start <= mm->brk && v->end >= mm->brk_start && mm->brk_start)
		return "[heap]";
	if (v->start < USER_STACK_TOP && v->end >= USER_STACK_TOP)
		return "[stack]";
	return NULL;
}

/*
 * What v maps, as Linux's show_map_vma tells it: a file (with its device,
 * inode and offset), shared anonymous memory (Linux's unlinked shmem file
 * on device 0:1), a named kernel object (the vDSO, which Linux maps as a
 * private special mapping: 'p'), or anonymous memory (offset 0).
 */
static void area_describe(const struct mm *mm, const struct vma *v,
			  struct vm_area_info *out)
{
	const char *special = v->obj ? vm_object_name(v->obj) : NULL;
	uint64_t anon_ino = v->obj ? vm_object_anon_ino(v->obj) : 0;
	const struct vm_object_ops *ops = v->obj ? vm_object_ops(v->obj) : NULL;

	*out = (struct vm_area_info){
		.start = v->start, .end = v->end, .prot = (int)v->prot,
		.shared = (v->flags & VMA_SHARED) && !special,
	};
	if (v->file) {
		file_get(v->file);
		out->file = v->file;
		file_ident(v->file, &out->dev, &out->ino);
		out->offset = v->pgoff << PAGE_SHIFT;
	} else if (ops && ops->describe) {	/* a shm segment */
		out->dev = ANON_SHMEM_DEV;
		ops->describe(v->obj, out->name_buf, sizeof(out->name_buf),
			      &out->ino);
		out->offset = v->pgoff << PAGE_SHIFT;
		out->name = out->name_buf;
	} else if (anon_ino) {
		out->dev = ANON_SHMEM_DEV;
		out->ino = anon_ino;
		out->offset = v->pgoff << PAGE_SHIFT;
		out->name = ANON_SHARED_NAME;
	} else if (special) {
		out->name = special;
	} else {
		out->name = area_name(mm, v);
	}
}

size_t mm_get_areas(struct mm *mm, uint64_t addr, struct vm_area_info *out,
		    size_t max)
{
	size_t n = 0;
	struct vma *v;

	mutex_lock(&mm->lock);
	for (v = vma_find(&mm->vmas, addr); v && n < max;
	     v = vma_next(&mm->vmas, v), n++)
		area_describe(mm, v, &out[n]);
	mutex_unlock(&mm->lock);
	return n;
}

/*
 * One frame-holding PTE into the rollup, as Linux's smaps_account: a
 * page's share is split among the PTEs that map it. Their number is the
 * page's reference count less the object's own reference (every PTE
 * holds exactly one; a kernel path holding a page for a moment is not
 * told apart). Object pages count as dirty: Basalt does not track which
 * were written, and only memory backs them (Linux's tmpfs pages that
 * were written are dirty too); the vDSO's never are.
 */
static void rollup_pte(struct mm *mm, uint64_t va, pte_t *pte, void *arg)
{
	struct vm_rollup *r = arg;
	struct page *pg = phys_to_page(pte_phys(*pte));
	const struct vm_object *obj = pg->owner;
	uint32_t refs = __atomic_load_n(&pg->refcount, __ATOMIC_RELAXED);
	uint32_t maps = obj && refs > 1 ? refs - 1 : refs;
	uint64_t pss = (uint64_t)PAGE_SIZE << VM_PSS_SHIFT;
	bool dirty = (*pte & PTE_D) || (obj && !vm_object_name(obj));
	bool private = maps < 2;

	if (!private)
		pss /= maps;
	r->rss += PAGE_SIZE;
	r->pss += pss;
	if (*pte & PTE_A)
		r->referenced += PAGE_SIZE;
	if (!obj) {
		r->anonymous += PAGE_SIZE;
		r->pss_anon += pss;
	} else if (vm_object_name(obj)) {
		r->pss_file += pss;	/* the vDSO: Linux's are file pages */
	} else {
		r->pss_shmem += pss;
	}
	if (dirty) {
		r->pss_dirty += pss;
		*(private ? &r->private_dirty : &r->shared_dirty) += PAGE_SIZE;
	} else {
		*(private ? &r->private_clean : &r->shared_clean) += PAGE_SIZE;
	}
}

void mm_get_rollup(struct mm *mm, struct vm_rollup *r)
{
	struct vma *v;

	*r = (struct vm_rollup){ 0 };
	mutex_lock(&mm->lock);
	list_for_each_entry(v, &mm->vmas.list, link) {
		if (!r->end)
			r->start = v->start;
		r->end = v->end;
		mm_for_each_pte(mm, v->start, v->end, rollup_pte, r);
	}
	mutex_unlock(&mm->lock);
}

void mm_get_stats(struct mm *mm, struct mm_stats *st)
{
	struct vma *v;

	mutex_lock(&mm->lock);
	st->vm_pages = 0;
	list_for_each_entry(v, &mm->vmas.list, link)
		st->vm_pages += (v->end - v->start) >> PAGE_SHIFT;
	st->rss_pages = mm->rss;
	st->brk_start = mm->brk_start;
	st->brk = mm->brk;
	st->arg_start = mm->arg_start;
	st->arg_end = mm->arg_end;
	st->env_start = mm->env_start;
	st->env_end = mm->env_end;
	st->nr_areas = mm->vmas.count;
	mutex_unlock(&mm->lock);
}

void mm_set_arg_range(struct mm *mm, uint64_t start, uint64_t end)
{
	mutex_lock(&mm->lock);
	mm->arg_start = start;
	mm->arg_end = end;
	mutex_unlock(&mm->lock);
}

void mm_set_env_range(struct mm *mm, uint64_t start, uint64_t end)
{
	mutex_lock(&mm->lock);
	mm->env_start = start;
	mm->env_end = end;
	mutex_unlock(&mm->lock);
}

int vm_futex_key(struct mm *mm, uint64_t addr, bool write,
		 struct vm_futex_key *key)
{
	struct vma *v;
	int err = 0;

	mutex_lock(&mm->lock);
	v = vma_find(&mm->vmas, addr);
	if (!v || v->start > addr || !(v->prot & (PROT_READ | PROT_WRITE)) ||
	    (write && !(v->prot & PROT_WRITE))) {
		err = -EFAULT;
	} else if (v->flags & VMA_SHARED) {
		key->type = VM_FUTEX_OBJECT;
		key->base = v->obj->serial;
		key->offset = (v->pgoff << PAGE_SHIFT) + (addr - v->start);
	} else if (!v->obj && !(v->prot & PROT_WRITE)) {
		err = -EFAULT;
	} else {
		key->type = VM_FUTEX_MM;
		key->base = (uint64_t)mm;
		key->offset = addr;
	}
	mutex_unlock(&mm->lock);
	return err;
}
