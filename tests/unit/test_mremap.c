// UNIT_SOURCES: kernel/arch/x86_64/paging.c kernel/mm/vma.c kernel/mm/vm_object.c kernel/mm/vm_object_tree.c kernel/mm/rmap.c kernel/mm/tlb_gather.c kernel/mm/map.c kernel/mm/fault.c kernel/mm/mm.c kernel/mm/brk.c kernel/mm/mmap.c kernel/mm/mprotect.c kernel/mm/madvise.c kernel/mm/mremap.c kernel/mm/msync.c kernel/mm/mincore.c kernel/mm/info.c kernel/mm/page_alloc.c kernel/mm/page_pcp.c kernel/mm/overcommit.c
/*
 * mremap, msync, mincore and madvise on object mappings, on the host: the
 * real mm code over fake physical memory with a fake MMU (as test_mm.c).
 * Moves are checked frame by frame (the same struct page ends up at the
 * new address: nothing is copied), and every case ends with the runner's
 * check that each frame and page table went back.
 */
#include <types.h>
#include <arch/paging.h>
#include <lib/string.h>
#include <mm/page.h>
#include <mm/uaccess.h>
#include <mm/vm.h>
#include <mm/vm_object.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/mman.h>
#include "../../kernel/mm/vm_internal.h"
#include "unit.h"
#include "fake_mmu.h"

#define P		PAGE_SIZE
#define RW		(PROT_READ | PROT_WRITE)
#define ANON_PRIV	(MAP_ANONYMOUS | MAP_PRIVATE)
#define ANON_SHARED	(MAP_ANONYMOUS | MAP_SHARED)
#define UFAULT_W	(FAULT_USER | FAULT_WRITE)
#define MAYMOVE		MREMAP_MAYMOVE
#define FIXED		(MREMAP_MAYMOVE | MREMAP_FIXED)
#define DONTUNMAP	(MREMAP_MAYMOVE | MREMAP_DONTUNMAP)

/* ---- User copies ---------------------------------------------------- */

/* "User" buffers are host memory; addresses below 64 KiB fault. */
#define BAD_VEC	((unsigned char *)0x1000)

int copy_to_user(void __user *dst, const void *src, size_t n)
{
	if ((uintptr_t)dst < 0x10000)
		return -EFAULT;
	memcpy(dst, src, n);
	return 0;
}

static long remap(struct mm *mm, uint64_t addr, uint64_t old_len,
		  uint64_t new_len, unsigned long flags, uint64_t new_addr)
{
	return vm_mremap(mm, addr, old_len, new_len, flags, new_addr, false);
}

static char peek(struct mm *mm, uint64_t va)
{
	char c;

	UT_ASSERT_EQ(vm_read(mm, va, &c, 1), 0);
	return c;
}

static void poke(struct mm *mm, uint64_t va, char c)
{
	UT_ASSERT_EQ(vm_write(mm, va, &c, 1), 0);
}

static bool mapped(struct mm *mm, uint64_t va)
{
	char c;

	return vm_read(mm, va, &c, 1) == 0;
}

/* Map obj private (a MAP_PRIVATE file mapping) at a, fixed. */
static void map_private_object(struct mm *mm, uint64_t a, uint64_t len,
			       struct vm_object *obj, uint64_t pgoff)
{
	struct map_request req = {
		.addr = a, .len = len, .prot = RW, .maxprot = RW | PROT_EXEC,
		.obj = obj, .pgoff = pgoff, .map_flags = VM_MAP_FIXED,
	};

	mutex_lock(&mm->lock);
	UT_ASSERT_EQ(mm_map(mm, &req), (long)a);
	mutex_unlock(&mm->lock);
}

/* Put byte c at the start of page index of obj (allocating it). */
static void obj_fill(struct vm_object *obj, uint64_t index, char c)
{
	struct page *pg;

	UT_ASSERT_EQ(vm_object_page(obj, index, VMO_ALLOC, &pg), 0);
	*(char *)page_to_virt(pg) = c;
	page_put(pg);
}

static bool obj_has(struct vm_object *obj, uint64_t index)
{
	struct page *pg;

	if (vm_object_page(obj, index, 0, &pg))
		return false;
	page_put(pg);
	return true;
}

static int opens, closes;
static void count_open(struct vm_object *obj) { opens++; }
static void count_close(struct vm_object *obj) { closes++; }
static const struct vm_object_ops shm_like = {
	.open = count_open, .close = count_close,
};

/* ---- mremap --------------------------------------------------------- */

static void test_mremap_shrink(void)
{
	uint64_t a = 0x10000000, free1;
	struct mm *mm;

	setup(512);
	mm = mm_create();
	xmmap(mm, a, 4 * P, RW, ANON_PRIV | MAP_FIXED);
	for (int i = 0; i < 4; i++)
		poke(mm, a + i * P, 'a' + i);
	free1 = page_count_free();
	UT_ASSERT_EQ(remap(mm, a, 4 * P, 2 * P + 1, 0, 0), a);	/* 3 pages */
	UT_ASSERT_EQ(vma_find(&mm->vmas, a)->end, a + 3 * P);
	UT_ASSERT_EQ(mm->rss, 3);
	UT_ASSERT_EQ(page_count_free(), free1 + 1);
	UT_ASSERT_EQ(peek(mm, a + 2 * P), 'c');
	UT_ASSERT_EQ(remap(mm, a, 3 * P, 3 * P, 0, 0), a);	/* a no-op */
	UT_ASSERT_EQ(remap(mm, a, 9 * P, 9 * P, 0, 0), a);	/* not checked */
	/* Shrinking is munmap of the tail, across areas and holes. */
	xmmap(mm, a + 5 * P, 2 * P, PROT_READ, ANON_PRIV | MAP_FIXED);
	UT_ASSERT_EQ(remap(mm, a, 7 * P, P, 0, 0), a);
	UT_ASSERT_EQ(mm->vmas.count, 1);
	UT_ASSERT_EQ(mm->rss, 1);
	UT_ASSERT(!mapped(mm, a + P) && !mapped(mm, a + 5 * P));
	/* A tail leaving the user half is munmap's -EINVAL. */
	UT_ASSERT_EQ(remap(mm, a, USER_TOP, P, 0, 0), -EINVAL);
	UT_ASSERT_EQ(peek(mm, a), 'a');
	mm_put(mm);
	teardown();
}

static void test_mremap_grow_in_place(void)
{
	uint64_t a = 0x10000000, s = 0x20000000, top = USER_TOP - 2 * P;
	struct vm_object *obj;
	struct mm *mm;
	struct vma *v;

	setup(512);
	mm = mm_create();
	xmmap(mm, a, 2 * P, RW, ANON_PRIV | MAP_FIXED);
	poke(mm, a, 'x');
	poke(mm, a + P, 'y');
	xmmap(mm, a + 4 * P, P, RW, ANON_PRIV | MAP_FIXED);	/* a blocker */
	UT_ASSERT_EQ(remap(mm, a, 2 * P, 4 * P, 0, 0), a);	/* fills the gap */
	v = vma_find(&mm->vmas, a);
	UT_ASSERT(v->start == a && v->end == a + 4 * P);
	UT_ASSERT_EQ(mm->vmas.count, 2);	/* touching, not merged (6.1) */
	UT_ASSERT_EQ(peek(mm, a + P), 'y');
	UT_ASSERT_EQ(peek(mm, a + 3 * P), 0);
	UT_ASSERT_EQ(remap(mm, a, 4 * P, 5 * P, 0, 0), -ENOMEM);	/* blocked */
	UT_ASSERT_EQ(remap(mm, a, P, 2 * P, 0, 0), -ENOMEM);	/* not the end */
	/* Not past the top of the user half. */
	xmmap(mm, top, P, RW, ANON_PRIV | MAP_FIXED);
	UT_ASSERT_EQ(remap(mm, top, P, 3 * P, 0, 0), -ENOMEM);
	UT_ASSERT_EQ(remap(mm, top, P, 2 * P, 0, 0), top);
	/* An object area grows over the object's following pages, and
	 * pages beyond the object are SIGBUS, as on Linux. */
	obj = vm_object_create(4 * P);
	obj_fill(obj, 2, 'c');
	obj_fill(obj, 3, 'd');
	UT_ASSERT_EQ(vm_map_object(mm, s, 2 * P, RW, obj, 0, VM_MAP_FIXED), s);
	UT_ASSERT_EQ(remap(mm, s, 2 * P, 6 * P, 0, 0), s);
	UT_ASSERT_EQ(peek(mm, s + 2 * P), 'c');
	UT_ASSERT_EQ(peek(mm, s + 3 * P), 'd');
	UT_ASSERT_EQ(vm_fault(mm, s + 4 * P, FAULT_USER), -EIO);
	UT_ASSERT_EQ(vm_object_nattach(obj), 1);
	vm_object_put(obj);
	mm_put(mm);
	teardown();
}

static void test_mremap_move(void)
{
	uint64_t a = 0x10000000, n, b = 0x30000000, free1;
	struct page *pg0, *pg1;
	struct mm *mm;

	setup(512);
	mm = mm_create();
	xmmap(mm, a, 2 * P, RW, ANON_PRIV | MAP_FIXED);
	xmmap(mm, a + 2 * P, P, PROT_READ, ANON_PRIV | MAP_FIXED);
	poke(mm, a, 'm');
	poke(mm, a + P, 'n');
	pg0 = frame_of(mm, a);
	pg1 = frame_of(mm, a + P);
	n = remap(mm, a, 2 * P, 4 * P, MAYMOVE, 0);
	UT_ASSERT_EQ(n, MMAP_BASE - 4 * P);	/* placed like mmap */
	/* The entries moved: same frames, same references, same rss. */
	UT_ASSERT(frame_of(mm, n) == pg0 && frame_of(mm, n + P) == pg1);
	UT_ASSERT_EQ(pg0->refcount, 1);
	UT_ASSERT(pte_of(mm, n) & PTE_W);
	UT_ASSERT_EQ(mm->rss, 2);
	UT_ASSERT(pte_of(mm, a) == 0 && !mapped(mm, a));
	UT_ASSERT_EQ(peek(mm, n + P), 'n');
	UT_ASSERT_EQ(peek(mm, n + 3 * P), 0);
	UT_ASSERT_EQ(mm->vmas.count, 2);
	/* Part of an area, holding a PROT_NONE frame. */
	UT_ASSERT_EQ(vm_mprotect(mm, n + P, P, PROT_NONE), 0);
	UT_ASSERT_EQ(remap(mm, n + P, P, P, FIXED, b), b);
	UT_ASSERT(frame_of(mm, b) == pg1);
	UT_ASSERT(pte_of(mm, b) & PTE_PROTNONE);
	UT_ASSERT_EQ(mm->vmas.count, 4);	/* n, b, n + 2P, a + 2P */
	UT_ASSERT_EQ(vm_mprotect(mm, b, P, RW), 0);
	UT_ASSERT_EQ(peek(mm, b), 'n');
	/* There and back: the same frames and page tables as before. */
	free1 = page_count_free();
	UT_ASSERT_EQ(remap(mm, b, P, P, FIXED, 0x7000000000UL), 0x7000000000UL);
	UT_ASSERT_EQ(remap(mm, 0x7000000000UL, P, P, FIXED, b), b);
	UT_ASSERT_EQ(page_count_free(), free1);
	UT_ASSERT(frame_of(mm, b) == pg1);
	mm_put(mm);
	teardown();
}

static void test_mremap_fixed(void)
{
	uint64_t a = 0x10000000, t = 0x20000000, x = 0x40000000, free1;
	struct mm *mm;

	setup(512);
	mm = mm_create();
	xmmap(mm, a, 2 * P, RW, ANON_PRIV | MAP_FIXED);
	poke(mm, a, 'a');
	poke(mm, a + P, 'b');
	xmmap(mm, t, 3 * P, RW, ANON_PRIV | MAP_FIXED);
	for (int i = 0; i < 3; i++)
		poke(mm, t + i * P, 't');
	free1 = page_count_free();
	UT_ASSERT_EQ(remap(mm, a, 2 * P, 2 * P, MREMAP_FIXED, t), -EINVAL);
	UT_ASSERT_EQ(remap(mm, a, 2 * P, 2 * P, FIXED, t + 1), -EINVAL);
	UT_ASSERT_EQ(remap(mm, a, 2 * P, 2 * P, FIXED, a + P), -EINVAL);
	UT_ASSERT_EQ(remap(mm, a, 2 * P, 2 * P, FIXED, a - P), -EINVAL);
	UT_ASSERT_EQ(remap(mm, a, 2 * P, 2 * P, FIXED, USER_TOP - P), -EINVAL);
	UT_ASSERT_EQ(remap(mm, a, 2 * P, 2 * P, FIXED, 0x1000), -EPERM);
	UT_ASSERT_EQ(vm_mremap(mm, a, P, P, FIXED, 0x1000, true), 0x1000);
	UT_ASSERT_EQ(vm_mremap(mm, 0x1000, P, P, FIXED, a, true), a);
	UT_ASSERT_EQ(page_count_free(), free1);
	/* Replaces what is at t: its two frames go, one table empties. */
	UT_ASSERT_EQ(remap(mm, a, 2 * P, 2 * P, FIXED, t), t);
	UT_ASSERT_EQ(page_count_free(), free1 + 2 + 1);
	UT_ASSERT_EQ(peek(mm, t), 'a');
	UT_ASSERT_EQ(peek(mm, t + P), 'b');
	UT_ASSERT_EQ(peek(mm, t + 2 * P), 't');
	UT_ASSERT_EQ(mm->vmas.count, 1);	/* merged with the rest of t */
	/* Shrink, then move. */
	UT_ASSERT_EQ(remap(mm, t, 3 * P, P, FIXED, a), a);
	UT_ASSERT_EQ(peek(mm, a), 'a');
	UT_ASSERT(!mapped(mm, t) && !mapped(mm, t + 2 * P));
	UT_ASSERT_EQ(mm->rss, 1);
	/* As on Linux, the target is unmapped before the old range is
	 * checked, and stays unmapped when that check fails. */
	xmmap(mm, x, P, RW, ANON_PRIV | MAP_FIXED);
	UT_ASSERT_EQ(remap(mm, a, 3 * P, 3 * P, FIXED, x), -EFAULT);
	UT_ASSERT(!mapped(mm, x));
	mm_put(mm);
	teardown();
}

static void test_mremap_dontunmap(void)
{
	uint64_t a = 0x10000000, n, s, m = 0x60000000, f = 0x70000000;
	uint64_t vd = 0x72000000;
	struct vm_object *obj, *vdso;
	struct mm *mm;

	setup(512);
	mm = mm_create();
	xmmap(mm, a, 2 * P, RW, ANON_PRIV | MAP_FIXED);
	poke(mm, a, 'd');
	poke(mm, a + P, 'e');
	UT_ASSERT_EQ(remap(mm, a, 2 * P, 2 * P, MREMAP_DONTUNMAP, 0), -EINVAL);
	UT_ASSERT_EQ(remap(mm, a, 2 * P, 3 * P, DONTUNMAP, 0), -EINVAL);
	UT_ASSERT_EQ(remap(mm, a, 2 * P, 2 * P - 1, DONTUNMAP, 0), -EINVAL);
	UT_ASSERT_EQ(remap(mm, a, 3 * P, 3 * P, DONTUNMAP, 0), -EFAULT);
	n = remap(mm, a, 2 * P, 2 * P, DONTUNMAP, 0);
	UT_ASSERT_EQ(n, MMAP_BASE - 2 * P);
	UT_ASSERT_EQ(mm->rss, 2);
	UT_ASSERT_EQ(peek(mm, n + P), 'e');
	/* The old range stays, empty: private memory reads zeroes. */
	UT_ASSERT(pte_of(mm, a) == 0);
	UT_ASSERT_EQ(peek(mm, a), 0);
	UT_ASSERT_EQ(mm->vmas.count, 2);
	/* new_addr is a hint without FIXED. */
	UT_ASSERT_EQ(remap(mm, n, 2 * P, 2 * P, DONTUNMAP, 0x50000000),
		     0x50000000);
	/* Shared: the old range refaults the object's pages. */
	s = xmmap(mm, 0, 2 * P, RW, ANON_SHARED);
	poke(mm, s, 's');
	UT_ASSERT_EQ(remap(mm, s, 2 * P, 2 * P, DONTUNMAP | MREMAP_FIXED, m), m);
	UT_ASSERT(pte_of(mm, s) == 0);
	UT_ASSERT_EQ(peek(mm, s), 's');
	poke(mm, m, 't');
	UT_ASSERT_EQ(peek(mm, s), 't');
	UT_ASSERT_EQ(vm_object_nattach(vma_find(&mm->vmas, s)->obj), 2);
	/* A private file mapping: the old range shows the file again. */
	obj = vm_object_create(P);
	obj_fill(obj, 0, 'f');
	map_private_object(mm, f, P, obj, 0);
	poke(mm, f, 'c');				/* a private copy */
	UT_ASSERT_EQ(remap(mm, f, P, P, DONTUNMAP | MREMAP_FIXED, f + 16 * P),
		     f + 16 * P);
	UT_ASSERT_EQ(peek(mm, f + 16 * P), 'c');
	UT_ASSERT_EQ(peek(mm, f), 'f');
	vm_object_put(obj);
	/* A special mapping (VM_DONTEXPAND) is never left behind or grown. */
	vdso = vm_object_create(2 * P);
	vm_object_set_name(vdso, "[vdso]");
	UT_ASSERT_EQ(vm_map_object(mm, vd, P, PROT_READ, vdso, 0, VM_MAP_FIXED),
		     vd);
	UT_ASSERT_EQ(remap(mm, vd, P, P, DONTUNMAP, 0), -EINVAL);
	UT_ASSERT_EQ(remap(mm, vd, P, 2 * P, MAYMOVE, 0), -EFAULT);
	UT_ASSERT_EQ(remap(mm, vd, 0, P, MAYMOVE, 0), -EINVAL);	/* private */
	UT_ASSERT_EQ(remap(mm, vd, P, P, FIXED, vd + P), vd + P);
	vm_object_put(vdso);
	mm_put(mm);
	teardown();
}

struct mremap_case {
	const char *what;
	uint64_t addr, old_len, new_len;
	unsigned long flags;
	uint64_t new_addr;
	long want;
};

static void test_mremap_errors(void)
{
	const uint64_t a = 0x10000000, hole = 0x50000000;
	static const struct mremap_case cases[] = {
		{ "unaligned", a + 1, P, P, 0, 0, -EINVAL },
		{ "unknown flag", a, P, P, 8, 0, -EINVAL },
		{ "new_len 0", a, P, 0, 0, 0, -EINVAL },
		{ "new_len wraps", a, P, -1UL, MAYMOVE, 0, -EINVAL },
		{ "fixed alone", a, P, P, MREMAP_FIXED, hole, -EINVAL },
		{ "flags before lookup", hole, P, P, MREMAP_FIXED, 0, -EINVAL },
		{ "unmapped", hole, P, P, 0, 0, -EFAULT },
		{ "unmapped before new_addr", hole, P, P, FIXED, 1, -EFAULT },
		{ "spans two areas", a, 3 * P, 4 * P, MAYMOVE, 0, -EFAULT },
		{ "duplicate private", a, 0, P, MAYMOVE, 0, -EINVAL },
		{ "no room in place", a, 2 * P, 3 * P, 0, 0, -ENOMEM },
		{ "no room at all", a, 2 * P, USER_TOP, MAYMOVE, 0, -ENOMEM },
	};
	struct mm *mm;

	setup(512);
	mm = mm_create();
	xmmap(mm, a, 2 * P, RW, ANON_PRIV | MAP_FIXED);
	xmmap(mm, a + 2 * P, P, PROT_READ, ANON_PRIV | MAP_FIXED);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct mremap_case *c = &cases[i];
		long r = remap(mm, c->addr, c->old_len, c->new_len, c->flags,
			       c->new_addr);

		if (r != c->want)
			unit_fail(__FILE__, __LINE__, "%s: got %ld, want %ld",
				  c->what, r, c->want);
	}
	UT_ASSERT_EQ(mm->vmas.count, 2);	/* nothing changed */
	/* The area-count limit, with Linux's margins (pretend to be near). */
	mm->vmas.count = VMA_MAX_COUNT - 5;
	UT_ASSERT_EQ(remap(mm, a, P, P, FIXED, hole), -ENOMEM);
	mm->vmas.count = VMA_MAX_COUNT - 3;
	UT_ASSERT_EQ(remap(mm, a, 2 * P, 4 * P, MAYMOVE, 0), -ENOMEM);
	UT_ASSERT_EQ(remap(mm, a, 2 * P, P, 0, 0), a);	/* shrinking is fine */
	mm->vmas.count = 2;		/* a's first page, the blocker */
	UT_ASSERT(!mapped(mm, hole) && !mapped(mm, a + P));
	mm_put(mm);
	teardown();
}

/* old_len 0 on a shared area: a second mapping of the same pages. */
static void test_mremap_duplicate(void)
{
	struct vm_object *obj;
	struct mm *mm;
	uint64_t s, d;

	setup(512);
	mm = mm_create();
	s = xmmap(mm, 0, 2 * P, RW, ANON_SHARED);
	poke(mm, s + P, 'q');
	obj = vma_find(&mm->vmas, s)->obj;
	UT_ASSERT_EQ(remap(mm, s, 0, 2 * P, 0, 0), -ENOMEM);
	d = remap(mm, s, 0, 2 * P, MAYMOVE, 0);
	UT_ASSERT(d != s && (long)d > 0);
	UT_ASSERT_EQ(vm_object_nattach(obj), 2);
	UT_ASSERT_EQ(peek(mm, d + P), 'q');
	poke(mm, d, 'r');
	UT_ASSERT_EQ(peek(mm, s), 'r');
	UT_ASSERT_EQ(remap(mm, s + P, 0, P, FIXED, 0x30000000), 0x30000000);
	UT_ASSERT_EQ(peek(mm, 0x30000000), 'q');
	UT_ASSERT_EQ(vm_object_nattach(obj), 3);
	UT_ASSERT_EQ(mm->vmas.count, 3);
	mm_put(mm);
	teardown();
}

/* Areas of an object whose owner counts them (shm's nattch): a move
 * keeps the count, a partial move splits (one more), as on Linux. */
static void test_mremap_shm_nattch(void)
{
	uint64_t a = 0x20000000, b = 0x30000000;
	struct vm_object *obj;
	struct mm *mm;

	setup(512);
	opens = closes = 0;
	mm = mm_create();
	obj = vm_object_create(4 * P);
	vm_object_set_ops(obj, &shm_like, NULL);
	UT_ASSERT_EQ(vm_map_object(mm, a, 4 * P, RW, obj, 0, VM_MAP_FIXED), a);
	poke(mm, a + P, 'h');
	UT_ASSERT_EQ(remap(mm, a, 4 * P, 4 * P, FIXED, b), b);
	UT_ASSERT_EQ(vm_object_nattach(obj), 1);
	UT_ASSERT_EQ(opens - closes, 1);
	UT_ASSERT_EQ(peek(mm, b + P), 'h');
	UT_ASSERT_EQ(remap(mm, b + P, P, P, FIXED, a), a);
	UT_ASSERT_EQ(vm_object_nattach(obj), 3);
	UT_ASSERT_EQ(opens - closes, 3);
	UT_ASSERT_EQ(vma_find(&mm->vmas, a)->pgoff, 1);
	UT_ASSERT_EQ(peek(mm, a), 'h');
	vm_object_put(obj);			/* IPC_RMID */
	UT_ASSERT_EQ(vm_munmap(mm, a, P), 0);
	UT_ASSERT_EQ(vm_munmap(mm, b, 4 * P), 0);
	UT_ASSERT_EQ(opens, closes);
	mm_put(mm);
	teardown();
}

/* Moving pages shared copy-on-write with a child keeps them shared. */
static void test_mremap_cow(void)
{
	uint64_t a = 0x10000000, n = 0x30000000;
	struct mm *parent, *child;
	struct page *pg;

	setup(512);
	parent = mm_create();
	xmmap(parent, a, 2 * P, RW, ANON_PRIV | MAP_FIXED);
	poke(parent, a, 'p');
	pg = frame_of(parent, a);
	child = mm_fork(parent);
	UT_ASSERT_EQ(remap(parent, a, 2 * P, 2 * P, FIXED, n), n);
	UT_ASSERT(frame_of(parent, n) == pg && frame_of(child, a) == pg);
	UT_ASSERT_EQ(pg->refcount, 2);
	UT_ASSERT(!(pte_of(parent, n) & PTE_W) && (pte_of(parent, n) & PTE_COW));
	poke(parent, n, 'x');			/* copies */
	UT_ASSERT(frame_of(parent, n) != pg);
	UT_ASSERT_EQ(peek(child, a), 'p');
	mm_put(child);
	UT_ASSERT_EQ(peek(parent, n), 'x');
	mm_put(parent);
	teardown();
}

/* ---- mincore -------------------------------------------------------- */

static void test_mincore(void)
{
	static unsigned char vec[5000];
	uint64_t a = 0x10000000, s = 0x20000000, p = 0x30000000, big;
	struct vm_object *obj;
	struct mm *mm, *other;

	setup(512);
	mm = mm_create();
	other = mm_create();
	xmmap(mm, a, 4 * P, RW, ANON_PRIV | MAP_FIXED);
	poke(mm, a + P, 1);
	poke(mm, a + 3 * P, 1);
	memset(vec, 0xee, sizeof(vec));
	UT_ASSERT_EQ(vm_mincore(mm, a, 4 * P, vec), 0);
	UT_ASSERT(vec[0] == 0 && vec[1] == 1 && vec[2] == 0 && vec[3] == 1);
	UT_ASSERT_EQ(vec[4], 0xee);
	UT_ASSERT_EQ(vm_mincore(mm, a + P, P + 1, vec), 0);	/* 2 pages */
	UT_ASSERT(vec[0] == 1 && vec[1] == 0 && vec[2] == 0);
	UT_ASSERT_EQ(vm_mincore(mm, a, 0, vec), 0);
	/* Errors, in Linux's order. */
	UT_ASSERT_EQ(vm_mincore(mm, a + 1, P, BAD_VEC), -EINVAL);
	UT_ASSERT_EQ(vm_mincore(mm, USER_TOP - P, 2 * P, BAD_VEC), -ENOMEM);
	UT_ASSERT_EQ(vm_mincore(mm, a, 2 * P,
				(unsigned char *)(USER_TOP - 1)), -EFAULT);
	UT_ASSERT_EQ(vm_mincore(mm, a, P, BAD_VEC), -EFAULT);
	UT_ASSERT_EQ(vm_mincore(mm, 0x50000000, P, vec), -ENOMEM);
	/* A hole: what comes before it is written, then -ENOMEM. */
	xmmap(mm, a + 5 * P, P, RW, ANON_PRIV | MAP_FIXED);
	memset(vec, 0xee, sizeof(vec));
	UT_ASSERT_EQ(vm_mincore(mm, a, 6 * P, vec), -ENOMEM);
	UT_ASSERT(vec[1] == 1 && vec[3] == 1 && vec[4] == 0xee);
	/* Object pages are resident when the object has them, mapped here
	 * or not; a private file mapping too. */
	obj = vm_object_create(4 * P);
	obj_fill(obj, 2, 'o');
	UT_ASSERT_EQ(vm_map_object(mm, s, 4 * P, RW, obj, 0, VM_MAP_FIXED), s);
	map_private_object(mm, p, 3 * P, obj, 1);
	UT_ASSERT_EQ(vm_map_object(other, s, 4 * P, RW, obj, 0, VM_MAP_FIXED),
		     s);
	poke(other, s + 3 * P, 'x');		/* not mapped in mm */
	UT_ASSERT_EQ(vm_fault(mm, s, FAULT_USER), 0);
	UT_ASSERT_EQ(vm_mincore(mm, s, 4 * P, vec), 0);
	UT_ASSERT(vec[0] == 1 && vec[1] == 0 && vec[2] == 1 && vec[3] == 1);
	UT_ASSERT_EQ(vm_mincore(mm, p, 3 * P, vec), 0);
	UT_ASSERT(vec[0] == 0 && vec[1] == 1 && vec[2] == 1);
	vm_object_put(obj);
	/* More than one batch (PAGE_SIZE entries) of a sparse area. */
	big = xmmap(mm, 0, 5000 * P, RW, ANON_PRIV | MAP_NORESERVE);
	poke(mm, big, 1);
	poke(mm, big + 4500 * P, 1);
	memset(vec, 0xee, sizeof(vec));
	UT_ASSERT_EQ(vm_mincore(mm, big, 5000 * P, vec), 0);
	for (int i = 0; i < 5000; i++)
		UT_ASSERT_EQ(vec[i], i == 0 || i == 4500);
	mm_put(other);
	mm_put(mm);
	teardown();
}

/* ---- msync ---------------------------------------------------------- */

struct msync_case {
	const char *what;
	uint64_t start, len;
	int flags;
	int want;
};

static void test_msync(void)
{
	const uint64_t a = 0x10000000;
	static const struct msync_case cases[] = {
		{ "unknown flag", a, P, 8, -EINVAL },
		{ "negative flags", a, P, -1, -EINVAL },
		{ "unaligned", a + 1, P, MS_SYNC, -EINVAL },
		{ "async and sync", a, P, MS_ASYNC | MS_SYNC, -EINVAL },
		{ "flag before alignment", a + 1, P, 8, -EINVAL },
		{ "len 0", a, 0, MS_SYNC, 0 },
		{ "len 0 unmapped", 0x50000000, 0, MS_SYNC, 0 },
		{ "mapped", a, 2 * P, MS_SYNC, 0 },
		{ "mapped async", a, 2 * P - 5, MS_ASYNC, 0 },
		{ "invalidate", a, 2 * P, MS_INVALIDATE, 0 },
		{ "no flags", a, P, 0, 0 },
		{ "hole inside", a, 4 * P, MS_SYNC, -ENOMEM },
		{ "hole inside async", a, 4 * P, MS_ASYNC, -ENOMEM },
		{ "starts in hole", a + 2 * P, 2 * P, MS_INVALIDATE, -ENOMEM },
		{ "ends in hole", a + 3 * P, 2 * P, MS_SYNC, -ENOMEM },
		{ "nothing above", 0x50000000, P, MS_SYNC, -ENOMEM },
		{ "end wraps", a, -a, MS_SYNC, -ENOMEM },
		{ "len rounds to 0", a, -1UL, MS_SYNC, 0 },
	};
	struct mm *mm;

	setup(512);
	mm = mm_create();
	xmmap(mm, a, 2 * P, RW, ANON_SHARED | MAP_FIXED);
	xmmap(mm, a + 3 * P, P, RW, ANON_PRIV | MAP_FIXED);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct msync_case *c = &cases[i];
		int r = vm_msync(mm, c->start, c->len, c->flags);

		if (r != c->want)
			unit_fail(__FILE__, __LINE__, "%s: got %d, want %d",
				  c->what, r, c->want);
	}
	mm_put(mm);
	teardown();
}

/* ---- madvise on object mappings ------------------------------------- */

static void test_madvise_objects(void)
{
	uint64_t a = 0x10000000, s = 0x20000000, p = 0x30000000;
	uint64_t r = 0x40000000, o = 0x50000000, e = 0x60000000;
	struct vm_object *obj, *small;
	struct mm *mm, *other;

	setup(512);
	mm = mm_create();
	other = mm_create();
	obj = vm_object_create(4 * P);
	xmmap(mm, a, P, RW, ANON_PRIV | MAP_FIXED);
	UT_ASSERT_EQ(vm_map_object(mm, s, 4 * P, RW, obj, 0, VM_MAP_FIXED), s);
	map_private_object(mm, p, 4 * P, obj, 0);
	UT_ASSERT_EQ(vm_map_object(mm, r, 4 * P, PROT_READ, obj, 0,
				   VM_MAP_FIXED | VM_MAP_NOWRITE), r);
	UT_ASSERT_EQ(vm_map_object(mm, o, 2 * P, RW, obj, 1, VM_MAP_FIXED), o);
	UT_ASSERT_EQ(vm_map_object(other, s, 4 * P, RW, obj, 0, VM_MAP_FIXED),
		     s);
	for (int i = 0; i < 4; i++)
		poke(mm, s + i * P, '0' + i);
	UT_ASSERT_EQ(peek(other, s + P), '1');
	/* Which areas take which advice. */
	UT_ASSERT_EQ(vm_madvise(mm, a, P, MADV_REMOVE), -EINVAL);
	UT_ASSERT_EQ(vm_madvise(mm, p, P, MADV_REMOVE), -EACCES);
	UT_ASSERT_EQ(vm_madvise(mm, r, P, MADV_REMOVE), -EACCES);
	UT_ASSERT_EQ(vm_madvise(mm, s, P, MADV_FREE), -EINVAL);
	UT_ASSERT_EQ(vm_madvise(mm, p, P, MADV_FREE), -EINVAL);
	UT_ASSERT_EQ(vm_madvise(mm, a, P, MADV_FREE), 0);
	UT_ASSERT_EQ(vm_madvise(mm, p, P, MADV_WIPEONFORK), -EINVAL);
	UT_ASSERT_EQ(vm_madvise(mm, s, P, MADV_WIPEONFORK), -EINVAL);
	UT_ASSERT_EQ(vm_madvise(mm, p, 4 * P, MADV_WILLNEED), 0);
	/* DONTNEED on a private file mapping drops its copies. */
	poke(mm, p + 3 * P, 'X');
	UT_ASSERT_EQ(peek(mm, s + 3 * P), '3');
	UT_ASSERT_EQ(vm_madvise(mm, p + 3 * P, P, MADV_DONTNEED), 0);
	UT_ASSERT_EQ(peek(mm, p + 3 * P), '3');
	/* DONTNEED on a shared mapping keeps the data in the object. */
	UT_ASSERT_EQ(vm_madvise(mm, s, 4 * P, MADV_DONTNEED), 0);
	UT_ASSERT(pte_of(mm, s) == 0);
	UT_ASSERT_EQ(peek(mm, s), '0');
	/* Sealed data cannot be punched (shmem_fallocate's -EPERM). */
	vm_object_set_seals(obj, F_SEAL_FUTURE_WRITE);
	UT_ASSERT_EQ(vm_madvise(mm, s, P, MADV_REMOVE), -EPERM);
	vm_object_set_seals(obj, 0);
	/* REMOVE punches the object: gone from every mapping, in every
	 * process, but a private copy stays. */
	poke(mm, p + 2 * P, 'C');
	UT_ASSERT_EQ(peek(mm, o), '1');
	UT_ASSERT_EQ(vm_madvise(mm, s + P, 2 * P, MADV_REMOVE), 0);
	UT_ASSERT(!obj_has(obj, 1) && !obj_has(obj, 2));
	UT_ASSERT(obj_has(obj, 0) && obj_has(obj, 3));
	UT_ASSERT(pte_of(other, s + P) == 0 && pte_of(mm, o) == 0);
	UT_ASSERT_EQ(peek(other, s + 2 * P), 0);
	UT_ASSERT_EQ(peek(mm, p + 2 * P), 'C');
	UT_ASSERT_EQ(peek(mm, s + 3 * P), '3');
	/* At an offset: the area's own pages of the object. */
	poke(mm, o + P, 'k');			/* object page 2 */
	UT_ASSERT_EQ(vm_madvise(mm, o + P, P, MADV_REMOVE), 0);
	UT_ASSERT(!obj_has(obj, 2) && obj_has(obj, 3));
	/* What counts is that the area may be made writable (the oracle's
	 * VM_MAYWRITE), not its protection now. */
	UT_ASSERT_EQ(vm_mprotect(mm, s + 3 * P, P, PROT_READ), 0);
	UT_ASSERT_EQ(vm_madvise(mm, s + 3 * P, P, MADV_REMOVE), 0);
	UT_ASSERT(!obj_has(obj, 3));
	/* Populating beyond the end of an object is SIGBUS: -EFAULT. */
	small = vm_object_create(P);
	map_private_object(mm, e, 2 * P, small, 0);
	UT_ASSERT_EQ(vm_madvise(mm, e, 2 * P, MADV_POPULATE_READ), -EFAULT);
	vm_object_put(small);
	vm_object_put(obj);
	mm_put(other);
	mm_put(mm);
	teardown();
}

UNIT_MAIN(UNIT_CASE(test_mremap_shrink), UNIT_CASE(test_mremap_grow_in_place),
	  UNIT_CASE(test_mremap_move), UNIT_CASE(test_mremap_fixed),
	  UNIT_CASE(test_mremap_dontunmap), UNIT_CASE(test_mremap_errors),
	  UNIT_CASE(test_mremap_duplicate), UNIT_CASE(test_mremap_shm_nattch),
	  UNIT_CASE(test_mremap_cow), UNIT_CASE(test_mincore),
	  UNIT_CASE(test_msync), UNIT_CASE(test_madvise_objects))
