/*
 * The mapping core shared by mmap, munmap, brk, execve and shmat/shmdt:
 * choosing an address, inserting an area over whatever was there, and
 * removing a range together with the frames and page tables behind it.
 * The VMA bookkeeping itself lives in vma.c; this file ties it to the
 * page tables.
 */
#include <types.h>
#include <arch/paging.h>
#include <lib/printk.h>
#include <mm/page.h>
#include <mm/vm.h>
#include <mm/vm_object.h>
#include <fs/fs.h>
#include <proc/rlimit.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include "vm_internal.h"
#include "tlb.h"

pte_t vma_pte_bits(const struct vma *v)
{
	pte_t e = (v->flags & VMA_SHARED) ? PTE_SHARED : 0;

	if (!(v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
		return e | PTE_PROTNONE;	/* holds the frame, no access */
	e |= PTE_P | PTE_U;
	if (!(v->prot & PROT_EXEC))
		e |= pt_nx_bit();
	if ((v->flags & VMA_SHARED) && (v->prot & PROT_WRITE))
		e |= PTE_W;
	return e;
}

struct pte_walk {
	struct mm *mm;
	void (*fn)(struct mm *mm, uint64_t va, pte_t *pte, void *arg);
	void *arg;
};

static void pte_walk_one(pte_t *pte, uint64_t va, void *arg)
{
	struct pte_walk *w = arg;

	if (pte_holds_frame(*pte))
		w->fn(w->mm, va, pte, w->arg);
}

void mm_for_each_pte(struct mm *mm, uint64_t start, uint64_t end,
		     void (*fn)(struct mm *mm, uint64_t va, pte_t *pte,
				void *arg),
		     void *arg)
{
	struct pte_walk w = { mm, fn, arg };

	mm_assert_locked(mm);
	pt_for_each_leaf(mm->root, start, end, pte_walk_one, &w);
}

static void zap_one(struct mm *mm, uint64_t va, pte_t *pte, void *arg)
{
	struct page *pg = phys_to_page(pte_phys(*pte));

	*pte = 0;
	mm->rss--;
	tlb_gather_page(arg, va, pg);
}

void mm_zap_gather(struct mm *mm, uint64_t start, uint64_t end,
		   struct tlb_gather *g)
{
	mm_assert_locked(mm);
	mm_for_each_pte(mm, start, end, zap_one, g);
}

void mm_free_tables_gather(struct mm *mm, uint64_t start, uint64_t end,
			   struct tlb_gather *g)
{
	mm_assert_locked(mm);
	if (pt_free_range(mm->root, start, end, &g->tables))
		g->flush_all = true;	/* paging-structure caches too */
}

void mm_zap_range(struct mm *mm, uint64_t start, uint64_t end)
{
	struct tlb_gather g;

	tlb_gather_init(&g, mm);
	mm_zap_gather(mm, start, end, &g);
	tlb_gather_finish(&g);
}

void mm_free_tables(struct mm *mm, uint64_t start, uint64_t end)
{
	struct tlb_gather g;

	tlb_gather_init(&g, mm);
	mm_free_tables_gather(mm, start, end, &g);
	tlb_gather_finish(&g);
}

int mm_unmap(struct mm *mm, uint64_t start, uint64_t end)
{
	mm_assert_locked(mm);
	LIST_HEAD(gone);
	struct tlb_gather g;
	struct vma *v, *n;
	int err;

	err = vma_detach_range(&mm->vmas, start, end, &gone);
	if (err || list_empty(&gone))
		return err;
	/* One shoot-down for the whole range, before anything is freed. */
	tlb_gather_init(&g, mm);
	list_for_each_entry(v, &gone, link)
		mm_zap_gather(mm, v->start, v->end, &g);
	mm_free_tables_gather(mm, start, end, &g);
	tlb_gather_finish(&g);
	list_for_each_entry_safe(v, n, &gone, link) {
		list_del(&v->link);
		vma_destroy(v);
	}
	return 0;
}

/* Linux's get_unmapped_area() for anonymous and object mappings. */
static long mm_get_unmapped_area(struct mm *mm, const struct map_request *req)
{
	uint64_t len = req->len, addr = req->addr;
	uint64_t low = MMAP_MIN_ADDR, high = mm->mmap_base;

	if (len > USER_TOP)
		return -ENOMEM;
	if (req->map_flags & (VM_MAP_FIXED | VM_MAP_NOREPLACE)) {
		if (addr > USER_TOP - len)
			return -ENOMEM;
		if (!IS_ALIGNED(addr, PAGE_SIZE))
			return -EINVAL;
		if (req->check_min_addr && addr < MMAP_MIN_ADDR)
			return -EPERM;
		return addr;
	}
	if (req->map_32bit) {
		low = MMAP_32BIT_LOW;
		high = MMAP_32BIT_HIGH;
	}
	if (addr) {
		addr = MAX(ALIGN_DOWN(addr, PAGE_SIZE), MMAP_MIN_ADDR);
		if (addr <= USER_TOP - len &&
		    !vma_find_intersection(&mm->vmas, addr, addr + len))
			return addr;
	}
	if (vma_find_gap(&mm->vmas, len, low, high, &addr))
		return addr;
	if (!req->map_32bit &&
	    vma_find_gap(&mm->vmas, len, low, USER_TOP, &addr))
		return addr;
	return -ENOMEM;
}

/* Linux's is_data_mapping: private and writable, and not the stack. */
static bool is_data(unsigned int prot, unsigned int flags, uint64_t end)
{
	return (prot & PROT_WRITE) && !(flags & (VMA_SHARED | VMA_GROWSDOWN)) &&
	       end != USER_STACK_TOP;
}

bool mm_may_expand(struct mm *mm, uint64_t npages, bool data)
{
	uint64_t total = 0, dpages = 0;
	struct vma *v;

	mm_assert_locked(mm);
	list_for_each_entry(v, &mm->vmas.list, link) {
		uint64_t n = (v->end - v->start) >> PAGE_SHIFT;

		total += n;
		if (is_data(v->prot, v->flags, v->end))
			dpages += n;
	}
	return rlimit_may_expand_vm(total, dpages, npages, data);
}

/* RLIMIT_AS and RLIMIT_DATA (Linux's mmap_region): what a FIXED mapping
 * replaces is not counted twice. */
static bool map_may_expand(struct mm *mm, const struct map_request *req,
			   uint64_t addr)
{
	uint64_t end = addr + req->len, over = 0, over_data = 0, total = 0,
		 dpages = 0;
	struct vma *v;

	list_for_each_entry(v, &mm->vmas.list, link) {
		uint64_t n = (v->end - v->start) >> PAGE_SHIFT;
		uint64_t lo = MAX(v->start, addr), hi = MIN(v->end, end);
		bool d = is_data(v->prot, v->flags, v->end);

		total += n;
		dpages += d ? n : 0;
		if (lo < hi) {
			over += (hi - lo) >> PAGE_SHIFT;
			over_data += d ? (hi - lo) >> PAGE_SHIFT : 0;
		}
	}
	return rlimit_may_expand_vm(total - over, dpages - over_data,
				    req->len >> PAGE_SHIFT,
				    is_data(req->prot, req->vma_flags, end));
}

long mm_map_at(struct mm *mm, const struct map_request *req, uint64_t addr)
{
	struct vma *v;
	int err;

	mm_assert_locked(mm);
	if (!map_may_expand(mm, req, addr))
		return -ENOMEM;
	v = vma_create(addr, addr + req->len, req->prot, req->maxprot,
		       req->vma_flags, req->obj, req->pgoff);
	if (!v)
		return -ENOMEM;
	v->mm = mm;
	vma_set_file(v, req->file);
	/* Made before unmapping, so a failure leaves the old mapping. */
	if (req->map_flags & VM_MAP_FIXED) {
		err = mm_unmap(mm, addr, addr + req->len);
		if (err) {
			vma_destroy(v);
			return err;
		}
	}
	/* Linux asks only now: a refused FIXED mapping leaves a hole. */
	if (req->charge && vm_enough_memory(req->charge)) {
		vma_destroy(v);
		return -ENOMEM;
	}
	vma_insert(&mm->vmas, v);
	return addr;
}

long mm_map(struct mm *mm, const struct map_request *req)
{
	long addr;

	mm_assert_locked(mm);
	if (mm->vmas.count > VMA_MAX_COUNT)
		return -ENOMEM;
	addr = mm_get_unmapped_area(mm, req);
	if (addr < 0)
		return addr;
	if ((req->map_flags & VM_MAP_NOREPLACE) &&
	    vma_find_intersection(&mm->vmas, addr, addr + req->len))
		return -EEXIST;
	return mm_map_at(mm, req, addr);
}

long mm_pick_address(struct mm *mm, const struct map_request *req)
{
	mm_assert_locked(mm);
	if (mm->vmas.count > VMA_MAX_COUNT)
		return -ENOMEM;
	return mm_get_unmapped_area(mm, req);
}

/* execve's private writable memory is counted memory (VMA_ACCOUNT), as
 * Linux's bss (vm_brk_flags), data segment and stack are; it is not
 * asked for: a program's image is small. */
static unsigned int exec_vma_flags(int prot)
{
	return (prot & PROT_WRITE) ? VMA_ACCOUNT : 0;
}

int vm_map_anon(struct mm *mm, uint64_t addr, uint64_t len, int prot)
{
	struct map_request req = {
		.addr = addr, .len = len,
		.prot = prot & (PROT_READ | PROT_WRITE | PROT_EXEC),
		.maxprot = PROT_READ | PROT_WRITE | PROT_EXEC,
		.vma_flags = exec_vma_flags(prot),
		.map_flags = VM_MAP_FIXED,
	};
	long r;

	if (!IS_ALIGNED(addr | len, PAGE_SIZE) || len == 0)
		return -EINVAL;
	mutex_lock(&mm->lock);
	r = mm_map(mm, &req);
	mutex_unlock(&mm->lock);
	return r < 0 ? (int)r : 0;
}

int vm_map_file(struct mm *mm, uint64_t addr, uint64_t len, int prot,
		struct file *f, uint64_t pgoff)
{
	struct map_request req = {
		.addr = addr, .len = len,
		.prot = prot & (PROT_READ | PROT_WRITE | PROT_EXEC),
		.maxprot = PROT_READ | PROT_WRITE | PROT_EXEC,
		.vma_flags = exec_vma_flags(prot),
		.file = f, .pgoff = pgoff,
		.map_flags = VM_MAP_FIXED,
	};
	long r;

	if (!IS_ALIGNED(addr | len, PAGE_SIZE) || len == 0)
		return -EINVAL;
	r = file_mmap_object(f, false, len, &req.obj);
	if (r)
		return (int)r;
	if (!req.obj)
		req.file = NULL;
	mutex_lock(&mm->lock);
	r = mm_map(mm, &req);
	mutex_unlock(&mm->lock);
	if (req.obj)
		vm_object_put(req.obj);
	return r < 0 ? (int)r : 0;
}

long vm_find_free(struct mm *mm, uint64_t len, uint64_t align)
{
	uint64_t span = len + align - PAGE_SIZE, addr;
	bool found;

	if (len == 0 || len > USER_TOP || span < len)
		return -ENOMEM;
	mutex_lock(&mm->lock);
	found = vma_find_gap(&mm->vmas, span, MMAP_MIN_ADDR, mm->mmap_base,
			     &addr) ||
		vma_find_gap(&mm->vmas, span, MMAP_MIN_ADDR, USER_TOP, &addr);
	mutex_unlock(&mm->lock);
	/* The top of the gap keeps the area as high as mmap would. */
	return found ? (long)ALIGN_DOWN(addr + span - len, align) : -ENOMEM;
}

long vm_map_object(struct mm *mm, uint64_t addr, uint64_t len, int prot,
		   struct vm_object *obj, uint64_t pgoff, unsigned int flags)
{
	uint64_t npages = vm_object_size(obj) >> PAGE_SHIFT;
	struct map_request req = {
		.addr = addr, .len = len,
		.prot = prot & (PROT_READ | PROT_WRITE | PROT_EXEC),
		.maxprot = PROT_READ | PROT_WRITE | PROT_EXEC,
		.vma_flags = VMA_SHARED,
		.obj = obj, .pgoff = pgoff,
		.map_flags = flags & (VM_MAP_FIXED | VM_MAP_NOREPLACE),
	};
	long r;

	if (flags & VM_MAP_NOWRITE)
		req.maxprot &= ~PROT_WRITE;
	if (!IS_ALIGNED(addr | len, PAGE_SIZE) || len == 0 ||
	    pgoff > npages || (len >> PAGE_SHIFT) > npages - pgoff ||
	    (req.prot & ~req.maxprot))
		return -EINVAL;
	mutex_lock(&mm->lock);
	r = mm_map(mm, &req);
	mutex_unlock(&mm->lock);
	return r;
}

/* shmdt's matching rule: v maps obj's page (v->start - addr) / PAGE_SIZE. */
static bool vma_is_attach(const struct vma *v, uint64_t addr,
			  const struct vm_object_ops *ops)
{
	return v->obj && vm_object_ops(v->obj) == ops &&
	       (v->start - addr) / PAGE_SIZE == v->pgoff;
}

int vm_unmap_object(struct mm *mm, uint64_t addr,
		    const struct vm_object_ops *ops)
{
	struct vma *v, *next;
	struct vm_object *obj = NULL;
	uint64_t size = 0;

	if (!IS_ALIGNED(addr, PAGE_SIZE))
		return -EINVAL;
	mutex_lock(&mm->lock);
	for (v = vma_find(&mm->vmas, addr); v; v = next) {
		next = vma_next(&mm->vmas, v);
		if (vma_is_attach(v, addr, ops)) {
			obj = v->obj;
			size = vm_object_size(obj);
			mm_unmap(mm, v->start, v->end);	/* whole area: no split */
			v = next;
			break;
		}
	}
	/* Other fragments of the same attachment, within its size. */
	for (; obj && v && v->end - addr <= size; v = next) {
		next = vma_next(&mm->vmas, v);
		if (v->obj == obj && vma_is_attach(v, addr, ops))
			mm_unmap(mm, v->start, v->end);
	}
	mutex_unlock(&mm->lock);
	return obj ? 0 : -EINVAL;
}
