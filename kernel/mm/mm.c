/*
 * Address-space lifetime: creating an empty mm, the copy-on-write copy
 * made by fork, reference counting, switching the CPU to an mm, and the
 * teardown that gives every frame, area, object reference and page-table
 * page back when the last reference goes.
 */
#include <types.h>
#include <arch/paging.h>
#include <lib/printk.h>
#include <mm/kmalloc.h>
#include <mm/oom.h>
#include <mm/page.h>
#include <mm/vm.h>
#include <mm/vm_object.h>
#include <fs/fs.h>
#include <fs/file.h>
#include <uapi/errno.h>
#include "vm_internal.h"
#include "tlb.h"

struct mm *mm_create(void)
{
	struct mm *mm = kzalloc(sizeof(*mm));

	if (!mm)
		return NULL;
	mm->root = pt_create();
	if (!mm->root) {
		kfree(mm);
		return NULL;
	}
	mm->refcount = 1;
	mutex_init(&mm->lock, "mm");
	vma_set_init(&mm->vmas);
	mm->mmap_base = MMAP_BASE;
	return mm;
}

void mm_get(struct mm *mm)
{
	uint32_t old = __atomic_fetch_add(&mm->refcount, 1, __ATOMIC_RELAXED);

	BUG_ON(old == 0);
}

unsigned int mm_users(struct mm *mm)
{
	return __atomic_load_n(&mm->refcount, __ATOMIC_RELAXED);
}

bool mm_tryget(struct mm *mm)
{
	uint32_t old = __atomic_load_n(&mm->refcount, __ATOMIC_RELAXED);

	do {
		if (old == 0)
			return false;	/* being torn down */
	} while (!__atomic_compare_exchange_n(&mm->refcount, &old, old + 1,
					      false, __ATOMIC_ACQUIRE,
					      __ATOMIC_RELAXED));
	return true;
}

static void zap_one_noflush(struct mm *mm, uint64_t va, pte_t *pte, void *arg)
{
	struct page *pg = phys_to_page(pte_phys(*pte));

	*pte = 0;
	mm->rss--;
	page_put(pg);
}

/*
 * Last reference: nobody else can reach mm, so no lock is needed. TLB
 * entries need no flush page by page: first every CPU that still has
 * the root loaded (lazily: tlb.c) leaves it, which drops them all.
 */
static void mm_destroy(struct mm *mm)
{
	struct vma *v, *n;

	tlb_release_mm(mm);

	list_for_each_entry_safe(v, n, &mm->vmas.list, link) {
		mm_for_each_pte(mm, v->start, v->end, zap_one_noflush, NULL);
		list_del(&v->link);
		vma_destroy(v);
	}
	BUG_ON(mm->rss != 0);
	if (mm->exe_file)
		file_exe_release(mm->exe_file);
	pt_destroy(mm->root);
	oom_mm_gone(mm);	/* a victim's memory is back */
	kfree(mm);
}

void mm_put(struct mm *mm)
{
	uint32_t old = __atomic_fetch_sub(&mm->refcount, 1, __ATOMIC_ACQ_REL);

	BUG_ON(old == 0);
	if (old == 1)
		mm_destroy(mm);
}

int mm_set_exe_file(struct mm *mm, struct file *f)
{
	int err = file_deny_write(f);

	if (err)
		return err;
	file_get(f);
	mm->exe_file = f;
	return 0;
}

struct file *mm_get_exe_file(struct mm *mm)
{
	/* Set once, before mm is first used, and kept until it dies. */
	struct file *f = mm->exe_file;

	if (f)
		file_get(f);
	return f;
}

struct fork_ctx {
	struct mm *child;
	int err;
	bool wrprotected;		/* parent PTEs lost PTE_W: flush */
};

/*
 * Share one frame with the child. Private frames become read-only in
 * both (the first write copies, see fault.c); object frames are shared
 * as they are.
 */
static void fork_one(struct mm *parent, uint64_t va, pte_t *pte, void *arg)
{
	struct fork_ctx *ctx = arg;
	pte_t *cpte, e = *pte;

	if (ctx->err)
		return;
	cpte = pt_walk(ctx->child->root, va, true);
	if (!cpte) {
		ctx->err = -ENOMEM;
		return;
	}
	if (!(e & PTE_SHARED)) {
		if (e & PTE_W)
			ctx->wrprotected = true;
		e = (e & ~PTE_W) | PTE_COW;
		*pte = e;
	}
	page_get(phys_to_page(pte_phys(e)));
	*cpte = e;
	ctx->child->rss++;
}

/* Give the child a copy of area v (its own object reference, its PTEs).
 * Counted memory is counted again for the child, as Linux's dup_mmap. */
static int fork_area(struct mm *parent, struct vma *v, struct fork_ctx *ctx)
{
	struct vma *c;

	if ((v->flags & VMA_ACCOUNT) &&
	    vm_enough_memory((v->end - v->start) >> PAGE_SHIFT))
		return -ENOMEM;
	c = vma_clone(v, v->start, v->end);
	if (!c)
		return -ENOMEM;
	c->mm = ctx->child;
	/* Parent areas are sorted, so appending keeps the child sorted. */
	list_add_tail(&c->link, &ctx->child->vmas.list);
	ctx->child->vmas.count++;
	if (!(v->flags & VMA_WIPEONFORK))
		mm_for_each_pte(parent, v->start, v->end, fork_one, ctx);
	return ctx->err;
}

struct mm *mm_fork(struct mm *parent)
{
	struct fork_ctx ctx = { .child = mm_create() };
	struct vma *v;

	if (!ctx.child)
		return NULL;
	mutex_lock(&parent->lock);
	/* Held so that rmap_zap, which may find the child through an
	 * object as soon as its areas exist, waits for the copied PTEs.
	 * Nested: a parent's lock always comes before its new child's, and
	 * nothing that holds the child's waits for the parent's. */
	mutex_lock_nested(&ctx.child->lock, 1);
	ctx.child->brk_start = parent->brk_start;
	ctx.child->brk = parent->brk;
	ctx.child->arg_start = parent->arg_start;
	ctx.child->arg_end = parent->arg_end;
	ctx.child->auxv_start = parent->auxv_start;
	ctx.child->auxv_end = parent->auxv_end;
	ctx.child->env_start = parent->env_start;
	ctx.child->env_end = parent->env_end;
	ctx.child->mmap_base = parent->mmap_base;
	list_for_each_entry(v, &parent->vmas.list, link) {
		if (v->flags & VMA_DONTFORK)
			continue;
		if (fork_area(parent, v, &ctx) < 0) {
			ctx.err = -ENOMEM;
			break;
		}
	}
	/* The parent runs on: its writable TLB entries must go, on every
	 * CPU where its threads run. */
	if (ctx.wrprotected)
		tlb_flush_mm(parent);
	if (parent->exe_file)
		ctx.child->exe_file = file_exe_dup(parent->exe_file);
	mutex_unlock(&ctx.child->lock);
	mutex_unlock(&parent->lock);
	if (ctx.err) {
		mm_put(ctx.child);
		return NULL;
	}
	return ctx.child;
}
