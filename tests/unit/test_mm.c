// UNIT_SOURCES: kernel/arch/x86_64/paging.c kernel/mm/vma.c kernel/mm/vm_object.c kernel/mm/vm_object_tree.c kernel/mm/rmap.c kernel/mm/tlb_gather.c kernel/mm/map.c kernel/mm/fault.c kernel/mm/mm.c kernel/mm/brk.c kernel/mm/mmap.c kernel/mm/mprotect.c kernel/mm/madvise.c kernel/mm/mremap.c kernel/mm/info.c kernel/mm/page_alloc.c kernel/mm/page_pcp.c kernel/mm/overcommit.c
/*
 * Address spaces end to end on the host: the real page-table code
 * (arch/x86_64/paging.c) over fake physical memory, with a fake CR3/TLB.
 * Faults are driven by calling vm_fault as the trap handler would. Each
 * case ends with the runner's check that every frame went back, which is
 * the "memory is really freed" promise: frames, page tables, areas and
 * objects after munmap, brk shrink, fork+exit and mm teardown.
 */
#include <types.h>
#include <arch/paging.h>
#include <lib/string.h>
#include <fs/fs.h>
#include <mm/page.h>
#include <mm/vm.h>
#include <mm/vm_object.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include "../../kernel/mm/vm_internal.h"
#include "unit.h"
#include "fake_mmu.h"

#define RW		(PROT_READ | PROT_WRITE)
#define ANON_PRIV	(MAP_ANONYMOUS | MAP_PRIVATE)
#define ANON_SHARED	(MAP_ANONYMOUS | MAP_SHARED)
#define UFAULT_W	(FAULT_USER | FAULT_WRITE)


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

/* ---- Cases ---------------------------------------------------------- */

static void test_create_destroy(void)
{
	uint64_t free0;
	struct mm *mm;

	setup(512);
	free0 = page_count_free();
	mm = mm_create();
	UT_ASSERT(mm);
	UT_ASSERT_EQ(page_count_free(), free0 - 1);	/* just the root */
	UT_ASSERT(pte_of(mm, 0) == 0);
	UT_ASSERT_EQ(((pte_t *)phys_to_virt(mm->root))[511],
		     0x1000 | PTE_P | PTE_W);	/* kernel half shared */
	UT_ASSERT_EQ(vm_map_anon(mm, 0x400000, 0x3000, PROT_READ | PROT_EXEC), 0);
	UT_ASSERT_EQ(vm_write(mm, 0x400ffe, "hello", 6), 0);	/* crosses */
	UT_ASSERT_EQ(vm_map_anon(mm, USER_STACK_TOP - USER_STACK_SIZE,
				 USER_STACK_SIZE, RW), 0);
	UT_ASSERT_EQ(vm_zero(mm, USER_STACK_TOP - 100, 100), 0);
	UT_ASSERT_EQ(vm_write(mm, 0x500000, "x", 1), -EFAULT);	/* unmapped */
	UT_ASSERT_EQ(peek(mm, 0x401002), 'o');
	UT_ASSERT_EQ(mm->rss, 3);
	pt_switch(mm->root);
	mm_put(mm);				/* leaves the active root */
	UT_ASSERT(fake_cr3 == kernel_root);
	UT_ASSERT_EQ(page_count_free(), free0);
	teardown();
}

static void test_fault_lazy(void)
{
	struct mm *mm;
	uint64_t a, free1;

	setup(512);
	mm = mm_create();
	free1 = page_count_free();
	a = xmmap(mm, 0, 16 * PAGE_SIZE, RW, ANON_PRIV);
	UT_ASSERT_EQ(a, MMAP_BASE - 16 * PAGE_SIZE);	/* top-down */
	UT_ASSERT_EQ(page_count_free(), free1);		/* nothing yet */
	UT_ASSERT_EQ(vm_fault(mm, a + 3 * PAGE_SIZE + 5, UFAULT_W), 0);
	UT_ASSERT_EQ(page_count_free(), free1 - 4);	/* frame + 3 tables */
	UT_ASSERT(pte_of(mm, a + 3 * PAGE_SIZE) & PTE_W);
	UT_ASSERT(pte_of(mm, a + 3 * PAGE_SIZE) & PTE_NX);
	UT_ASSERT(pte_of(mm, a + 3 * PAGE_SIZE) & PTE_U);
	UT_ASSERT_EQ(peek(mm, a + 3 * PAGE_SIZE + 5), 0);
	UT_ASSERT_EQ(vm_fault(mm, a, FAULT_USER), 0);	/* read: a frame */
	UT_ASSERT_EQ(mm->rss, 2);
	mm_put(mm);
	teardown();
}

static void test_fault_refused(void)
{
	struct mm *mm;
	uint64_t ro, none, rw;

	setup(512);
	mm = mm_create();
	ro = xmmap(mm, 0, PAGE_SIZE, PROT_READ, ANON_PRIV);
	none = xmmap(mm, 0, PAGE_SIZE, PROT_NONE, ANON_PRIV);
	rw = xmmap(mm, 0, PAGE_SIZE, RW, ANON_PRIV);
	UT_ASSERT_EQ(vm_fault(mm, ro, UFAULT_W), -EACCES);
	UT_ASSERT_EQ(vm_fault(mm, ro, FAULT_USER), 0);
	UT_ASSERT_EQ(vm_fault(mm, ro, FAULT_USER | FAULT_PRESENT), -EACCES);
	UT_ASSERT_EQ(vm_fault(mm, none, FAULT_USER), -EACCES);
	UT_ASSERT_EQ(vm_fault(mm, rw, FAULT_USER | FAULT_EXEC), -EACCES);
	UT_ASSERT_EQ(vm_fault(mm, 0x1000, FAULT_USER), -EFAULT);
	UT_ASSERT_EQ(vm_fault(mm, USER_TOP, FAULT_USER), -EFAULT);
	UT_ASSERT_EQ(vm_fault(NULL, rw, FAULT_USER), -EFAULT);
	mm_put(mm);
	teardown();
}

static void test_fork_cow(void)
{
	struct mm *parent, *child;
	uint64_t a;
	struct page *pg;

	setup(512);
	parent = mm_create();
	a = xmmap(parent, 0, 2 * PAGE_SIZE, RW, ANON_PRIV);
	UT_ASSERT_EQ(vm_fault(parent, a, UFAULT_W), 0);
	poke(parent, a, 'A');
	pg = frame_of(parent, a);
	child = mm_fork(parent);
	UT_ASSERT(child);
	/* One frame, two read-only COW mappings. */
	UT_ASSERT(frame_of(child, a) == pg);
	UT_ASSERT_EQ(pg->refcount, 2);
	UT_ASSERT(!(pte_of(parent, a) & PTE_W) && (pte_of(parent, a) & PTE_COW));
	UT_ASSERT(!(pte_of(child, a) & PTE_W));
	UT_ASSERT(pte_of(child, a + PAGE_SIZE) == 0);	/* untouched stays so */
	/* The child's write copies; the parent keeps its data. */
	UT_ASSERT_EQ(vm_fault(child, a, UFAULT_W | FAULT_PRESENT), 0);
	UT_ASSERT(frame_of(child, a) != pg);
	UT_ASSERT(pte_of(child, a) & PTE_W);
	UT_ASSERT_EQ(pg->refcount, 1);
	poke(child, a, 'B');
	UT_ASSERT_EQ(peek(parent, a), 'A');
	UT_ASSERT_EQ(peek(child, a), 'B');
	/* The parent is the last user now: no copy, just writable again. */
	UT_ASSERT_EQ(vm_fault(parent, a, UFAULT_W | FAULT_PRESENT), 0);
	UT_ASSERT(frame_of(parent, a) == pg);
	UT_ASSERT(pte_of(parent, a) & PTE_W);
	UT_ASSERT(!(pte_of(parent, a) & PTE_COW));
	mm_put(child);
	mm_put(parent);
	teardown();
}

static void test_fork_exit_cycles(void)
{
	struct mm *parent;
	uint64_t a, free1;

	setup(1024);
	parent = mm_create();
	a = xmmap(parent, 0, 8 * PAGE_SIZE, RW, ANON_PRIV);
	xmmap(parent, 0, 4 * PAGE_SIZE, RW, ANON_SHARED);
	mutex_lock(&parent->lock);	/* mm_populate's contract */
	UT_ASSERT_EQ(mm_populate(parent, a, a + 8 * PAGE_SIZE, true), 0);
	mutex_unlock(&parent->lock);
	free1 = page_count_free();
	for (int i = 0; i < 300; i++) {
		struct mm *child = mm_fork(parent);

		UT_ASSERT(child);
		UT_ASSERT_EQ(vm_fault(child, a + (i % 8) * PAGE_SIZE,
				      UFAULT_W | FAULT_PRESENT), 0);
		mm_put(child);
		UT_ASSERT_EQ(page_count_free(), free1);
	}
	mm_put(parent);
	teardown();
}

static void test_shared_across_fork(void)
{
	struct mm *parent, *child;
	struct vma *v;
	uint64_t a;

	setup(512);
	parent = mm_create();
	a = xmmap(parent, 0, 3 * PAGE_SIZE, RW, ANON_SHARED);
	poke(parent, a + PAGE_SIZE, 'p');
	child = mm_fork(parent);
	v = vma_find(&child->vmas, a);
	UT_ASSERT(v->obj && vm_object_nattach(v->obj) == 2);
	UT_ASSERT(pte_of(child, a + PAGE_SIZE) & PTE_W);	/* no COW */
	poke(child, a + PAGE_SIZE, 'c');
	UT_ASSERT_EQ(peek(parent, a + PAGE_SIZE), 'c');
	UT_ASSERT_EQ(vm_fault(child, a + 2 * PAGE_SIZE, UFAULT_W), 0);
	poke(child, a + 2 * PAGE_SIZE, 'z');
	UT_ASSERT_EQ(peek(parent, a + 2 * PAGE_SIZE), 'z');
	mm_put(parent);
	UT_ASSERT_EQ(vm_object_nattach(v->obj), 1);
	UT_ASSERT_EQ(peek(child, a + PAGE_SIZE), 'c');
	mm_put(child);
	teardown();
}

struct mmap_case {
	const char *what;
	uint64_t addr, len;
	unsigned long prot, flags;
	int fd;
	uint64_t off;
	long want;
};

static void test_mmap_errors(void)
{
	static const struct mmap_case cases[] = {
		{ "len 0", 0, 0, RW, ANON_PRIV, -1, 0, -EINVAL },
		{ "no type", 0, 4096, RW, MAP_ANONYMOUS, -1, 0, -EINVAL },
		{ "shared_validate", 0, 4096, RW,
		  MAP_ANONYMOUS | MAP_SHARED_VALIDATE, -1, 0, -EINVAL },
		{ "offset", 0, 4096, RW, ANON_PRIV, -1, 100, -EINVAL },
		{ "fixed unaligned", 0x10000123, 4096, RW,
		  ANON_PRIV | MAP_FIXED, -1, 0, -EINVAL },
		{ "fixed beyond top", USER_TOP - 4096, 8192, RW,
		  ANON_PRIV | MAP_FIXED, -1, 0, -ENOMEM },
		{ "huge len", 0, -8192UL, RW, ANON_PRIV, -1, 0, -ENOMEM },
		{ "len wraps", 0, -1UL, RW, ANON_PRIV, -1, 0, -ENOMEM },
		{ "fixed low", 0x1000, 4096, RW, ANON_PRIV | MAP_FIXED, -1, 0,
		  -EPERM },
		{ "noreplace", 0x20000000, 4096, RW,
		  ANON_PRIV | MAP_FIXED_NOREPLACE, -1, 0, -EEXIST },
		{ "shared growsdown", 0, 4096, RW, ANON_SHARED | MAP_GROWSDOWN,
		  -1, 0, -EINVAL },
		{ "hugetlb", 0, 4096, RW, ANON_PRIV | MAP_HUGETLB, -1, 0,
		  -ENOMEM },
		{ "fixed ok", 0x20001000, 4096, RW, ANON_PRIV | MAP_FIXED, -1, 0,
		  0x20001000 },
		{ "noreplace ok", 0x20002000, 4096, RW,
		  ANON_PRIV | MAP_FIXED_NOREPLACE, -1, 0, 0x20002000 },
		{ "unknown prot bits ignored", 0x20003000, 4096, 0x30 | RW,
		  ANON_PRIV | MAP_FIXED, -1, 0, 0x20003000 },
	};
	struct mm *mm;

	setup(512);
	mm = mm_create();
	xmmap(mm, 0x20000000, 4096, RW, ANON_PRIV | MAP_FIXED);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct mmap_case *c = &cases[i];
		long r = vm_mmap(mm, c->addr, c->len, c->prot, c->flags, NULL,
				 c->off, false);

		if (r != c->want)
			unit_fail(__FILE__, __LINE__, "%s: got %ld, want %ld",
				  c->what, r, c->want);
	}
	/* Root may map low. */
	UT_ASSERT_EQ(vm_mmap(mm, 0x1000, 4096, RW, ANON_PRIV | MAP_FIXED, NULL,
			     0, true), 0x1000);
	UT_ASSERT_EQ(vma_find(&mm->vmas, 0x20003000)->prot, RW);
	mm_put(mm);
	teardown();
}

static void test_mmap_placement(void)
{
	struct mm *mm;
	uint64_t a, b, c;

	setup(512);
	mm = mm_create();
	a = xmmap(mm, 0, 4 * PAGE_SIZE, RW, ANON_PRIV);
	b = xmmap(mm, 0, PAGE_SIZE, PROT_READ, ANON_PRIV);
	UT_ASSERT_EQ(a, MMAP_BASE - 4 * PAGE_SIZE);
	UT_ASSERT_EQ(b, a - PAGE_SIZE);
	/* A free hint is taken (rounded down), a busy one is not. */
	UT_ASSERT_EQ(xmmap(mm, 0x30000010, PAGE_SIZE, RW, ANON_PRIV),
		     0x30000000);
	c = xmmap(mm, a, PAGE_SIZE, RW, ANON_PRIV);
	UT_ASSERT(c != a);
	UT_ASSERT_EQ(xmmap(mm, 0x100, PAGE_SIZE, RW, ANON_PRIV), MMAP_MIN_ADDR);
	/* MAP_32BIT lands in the second GiB. */
	c = xmmap(mm, 0, PAGE_SIZE, RW, ANON_PRIV | MAP_32BIT);
	UT_ASSERT(c >= MMAP_32BIT_LOW && c < MMAP_32BIT_HIGH);
	/* An unmapped hole is reused. */
	UT_ASSERT_EQ(vm_munmap(mm, a, 4 * PAGE_SIZE), 0);
	UT_ASSERT_EQ(xmmap(mm, 0, 2 * PAGE_SIZE, RW, ANON_PRIV),
		     MMAP_BASE - 2 * PAGE_SIZE);
	mm_put(mm);
	teardown();
}

static void touch(struct mm *mm, uint64_t a, uint64_t len)
{
	for (uint64_t p = a; p < a + len; p += PAGE_SIZE)
		UT_ASSERT_EQ(vm_fault(mm, p, UFAULT_W), 0);
}

static void test_munmap_frees(void)
{
	struct mm *mm;
	uint64_t a, free1;

	setup(1024);
	mm = mm_create();
	free1 = page_count_free();
	for (int i = 0; i < 50; i++) {
		a = xmmap(mm, 0, 1 << 20, RW, i & 1 ? ANON_SHARED : ANON_PRIV);
		touch(mm, a, 1 << 20);
		UT_ASSERT(page_count_free() < free1 - 256);
		UT_ASSERT_EQ(vm_munmap(mm, a, 1 << 20), 0);
		UT_ASSERT_EQ(page_count_free(), free1);	/* tables too */
		UT_ASSERT_EQ(mm->vmas.count, 0);
	}
	/* Errors, and unmapping nothing. */
	UT_ASSERT_EQ(vm_munmap(mm, 0x10000001, 4096), -EINVAL);
	UT_ASSERT_EQ(vm_munmap(mm, 0x10000000, 0), -EINVAL);
	UT_ASSERT_EQ(vm_munmap(mm, USER_TOP + 4096, 4096), -EINVAL);
	UT_ASSERT_EQ(vm_munmap(mm, USER_TOP - 4096, 8192), -EINVAL);
	UT_ASSERT_EQ(vm_munmap(mm, 0x10000000, 4096), 0);
	/* A hole in the middle: two areas, the frames in it freed. */
	a = xmmap(mm, 0, 8 * PAGE_SIZE, RW, ANON_PRIV);
	touch(mm, a, 8 * PAGE_SIZE);
	free1 = page_count_free();
	UT_ASSERT_EQ(vm_munmap(mm, a + 2 * PAGE_SIZE, 3 * PAGE_SIZE - 100), 0);
	UT_ASSERT_EQ(page_count_free(), free1 + 3);
	UT_ASSERT_EQ(mm->vmas.count, 2);
	UT_ASSERT(pte_of(mm, a + 2 * PAGE_SIZE) == 0);
	UT_ASSERT_EQ(vm_fault(mm, a + 3 * PAGE_SIZE, FAULT_USER), -EFAULT);
	mm_put(mm);
	teardown();
}

static void test_mprotect(void)
{
	struct mm *mm, *child;
	uint64_t a, free1;

	setup(512);
	mm = mm_create();
	a = xmmap(mm, 0, 4 * PAGE_SIZE, RW, ANON_PRIV);
	touch(mm, a, 4 * PAGE_SIZE);
	poke(mm, a + PAGE_SIZE, 'k');
	UT_ASSERT_EQ(vm_mprotect(mm, a + PAGE_SIZE, PAGE_SIZE, PROT_READ), 0);
	UT_ASSERT_EQ(mm->vmas.count, 3);
	UT_ASSERT(!(pte_of(mm, a + PAGE_SIZE) & PTE_W));
	UT_ASSERT(pte_of(mm, a) & PTE_W);
	UT_ASSERT_EQ(vm_fault(mm, a + PAGE_SIZE, UFAULT_W | FAULT_PRESENT),
		     -EACCES);
	/* PROT_NONE keeps the frame but no access; data survives. */
	free1 = page_count_free();
	UT_ASSERT_EQ(vm_mprotect(mm, a + PAGE_SIZE, 1, PROT_NONE), 0);
	UT_ASSERT(!(pte_of(mm, a + PAGE_SIZE) & PTE_P));
	UT_ASSERT(pte_of(mm, a + PAGE_SIZE) & PTE_PROTNONE);
	UT_ASSERT_EQ(vm_fault(mm, a + PAGE_SIZE, FAULT_USER), -EACCES);
	UT_ASSERT_EQ(vm_mprotect(mm, a + PAGE_SIZE, 1, RW | PROT_EXEC), 0);
	UT_ASSERT_EQ(page_count_free(), free1);
	UT_ASSERT(pte_of(mm, a + PAGE_SIZE) & PTE_W);
	UT_ASSERT(!(pte_of(mm, a + PAGE_SIZE) & PTE_NX));
	UT_ASSERT_EQ(peek(mm, a + PAGE_SIZE), 'k');
	UT_ASSERT_EQ(vm_mprotect(mm, a, 4 * PAGE_SIZE, RW), 0);
	UT_ASSERT_EQ(mm->vmas.count, 1);		/* merged back */
	/* COW pages stay read-only when the area becomes writable again. */
	child = mm_fork(mm);
	UT_ASSERT_EQ(vm_mprotect(mm, a, PAGE_SIZE, PROT_READ), 0);
	UT_ASSERT_EQ(vm_mprotect(mm, a, PAGE_SIZE, RW), 0);
	UT_ASSERT(!(pte_of(mm, a) & PTE_W));
	mm_put(child);
	/* Errors. */
	UT_ASSERT_EQ(vm_mprotect(mm, a + 1, PAGE_SIZE, RW), -EINVAL);
	UT_ASSERT_EQ(vm_mprotect(mm, a, PAGE_SIZE, 0x10), -EINVAL);
	UT_ASSERT_EQ(vm_mprotect(mm, a, 0, 0x10), 0);
	UT_ASSERT_EQ(vm_mprotect(mm, a, 5 * PAGE_SIZE, PROT_READ), -ENOMEM);
	UT_ASSERT_EQ(vm_mprotect(mm, a, -PAGE_SIZE, PROT_READ), -ENOMEM);
	UT_ASSERT_EQ(vm_mprotect(mm, a, PAGE_SIZE, RW | PROT_GROWSDOWN),
		     -EINVAL);
	UT_ASSERT_EQ(vm_mprotect(mm, a, PAGE_SIZE,
				 RW | PROT_GROWSDOWN | PROT_GROWSUP), -EINVAL);
	UT_ASSERT_EQ(vm_mprotect(mm, 0x10000, PAGE_SIZE, RW), -ENOMEM);
	mm_put(mm);
	teardown();
}

static void test_brk(void)
{
	struct mm *mm;
	uint64_t base = 0x601000, free1;

	setup(512);
	mm = mm_create();
	vm_set_brk(mm, base);
	free1 = page_count_free();
	UT_ASSERT_EQ(vm_brk(mm, 0), base);
	UT_ASSERT_EQ(vm_brk(mm, base - 1), base);	/* below start */
	UT_ASSERT_EQ(vm_brk(mm, base + 10000), base + 10000);
	UT_ASSERT_EQ(vm_fault(mm, base + 9999, UFAULT_W), 0);
	UT_ASSERT_EQ(vm_fault(mm, base + 3 * PAGE_SIZE, UFAULT_W), -EFAULT);
	UT_ASSERT_EQ(vm_brk(mm, base + 3 * PAGE_SIZE + 1), base + 3 * PAGE_SIZE + 1);
	touch(mm, base, 4 * PAGE_SIZE);
	UT_ASSERT_EQ(mm->vmas.count, 1);		/* one heap area */
	UT_ASSERT_EQ(vm_brk(mm, base + 1), base + 1);	/* shrink */
	UT_ASSERT_EQ(mm->rss, 1);
	UT_ASSERT_EQ(vm_brk(mm, base), base);
	UT_ASSERT_EQ(page_count_free(), free1);
	/* Growing into a mapping (with its guard page) is refused. */
	xmmap(mm, base + 4 * PAGE_SIZE, PAGE_SIZE, RW, ANON_PRIV | MAP_FIXED);
	UT_ASSERT_EQ(vm_brk(mm, base + 3 * PAGE_SIZE + 1), base);
	UT_ASSERT_EQ(vm_brk(mm, base + 3 * PAGE_SIZE), base + 3 * PAGE_SIZE);
	UT_ASSERT_EQ(vm_brk(mm, USER_TOP + PAGE_SIZE), base + 3 * PAGE_SIZE);
	mm_put(mm);
	teardown();
}

static void test_madvise(void)
{
	struct mm *mm, *child;
	uint64_t p, s, w;

	setup(512);
	mm = mm_create();
	p = xmmap(mm, 0, 2 * PAGE_SIZE, RW, ANON_PRIV);
	s = xmmap(mm, 0, 2 * PAGE_SIZE, RW, ANON_SHARED);
	poke(mm, p, 'p');
	poke(mm, s, 's');
	UT_ASSERT_EQ(vm_madvise(mm, p, 2 * PAGE_SIZE, MADV_DONTNEED), 0);
	UT_ASSERT_EQ(peek(mm, p), 0);			/* private: zeroes */
	UT_ASSERT_EQ(vm_madvise(mm, s, PAGE_SIZE, MADV_DONTNEED), 0);
	UT_ASSERT(pte_of(mm, s) == 0);
	UT_ASSERT_EQ(peek(mm, s), 's');			/* shared: kept */
	UT_ASSERT_EQ(vm_madvise(mm, s, PAGE_SIZE, MADV_FREE), -EINVAL);
	UT_ASSERT_EQ(vm_madvise(mm, p, PAGE_SIZE, 77), -EINVAL);
	UT_ASSERT_EQ(vm_madvise(mm, p + 1, PAGE_SIZE, MADV_NORMAL), -EINVAL);
	UT_ASSERT_EQ(vm_madvise(mm, p, 0, MADV_NORMAL), 0);
	UT_ASSERT_EQ(vm_madvise(mm, 0x10000, PAGE_SIZE, MADV_NORMAL), -ENOMEM);
	UT_ASSERT_EQ(vm_madvise(mm, p + PAGE_SIZE, 2 * PAGE_SIZE,
				MADV_WILLNEED), -ENOMEM);	/* hole at the end */
	/* Fork-time advice. */
	w = xmmap(mm, 0, PAGE_SIZE, RW, ANON_PRIV);
	poke(mm, w, 'w');
	poke(mm, p, 'p');
	UT_ASSERT_EQ(vm_madvise(mm, w, PAGE_SIZE, MADV_WIPEONFORK), 0);
	UT_ASSERT_EQ(vm_madvise(mm, s, PAGE_SIZE, MADV_WIPEONFORK), -EINVAL);
	UT_ASSERT_EQ(vm_madvise(mm, p, PAGE_SIZE, MADV_DONTFORK), 0);
	child = mm_fork(mm);
	UT_ASSERT_EQ(peek(child, w), 0);
	UT_ASSERT_EQ(vm_read(child, p, &(char){0}, 1), -EFAULT);
	UT_ASSERT_EQ(peek(child, p + PAGE_SIZE), 0);
	mm_put(child);
	UT_ASSERT_EQ(vm_madvise(mm, p, PAGE_SIZE, MADV_DOFORK), 0);
	UT_ASSERT_EQ(vma_find(&mm->vmas, p)->end, p + 2 * PAGE_SIZE);
	UT_ASSERT_EQ(vm_madvise(mm, p, PAGE_SIZE, MADV_POPULATE_WRITE), 0);
	mm_put(mm);
	teardown();
}

static void test_populate(void)
{
	struct mm *mm;
	uint64_t a;

	setup(512);
	mm = mm_create();
	a = xmmap(mm, 0, 8 * PAGE_SIZE, RW, ANON_PRIV | MAP_POPULATE);
	UT_ASSERT_EQ(mm->rss, 8);
	UT_ASSERT(pte_of(mm, a) & PTE_W);
	mm_put(mm);
	teardown();
}

static int closes;
static void count_close(struct vm_object *obj) { closes++; }
static const struct vm_object_ops shm_like = { .close = count_close };

static void test_object_attach(void)
{
	struct mm *mm, *child;
	struct vm_object *obj;
	uint64_t a = 0x40000000, free0;
	long r;

	setup(512);
	closes = 0;
	mm = mm_create();
	free0 = page_count_free();
	obj = vm_object_create(4 * PAGE_SIZE);
	vm_object_set_ops(obj, &shm_like, NULL);
	r = vm_map_object(mm, a, 4 * PAGE_SIZE, PROT_READ, obj, 0,
			  VM_MAP_NOREPLACE | VM_MAP_NOWRITE);
	UT_ASSERT_EQ(r, a);
	UT_ASSERT_EQ(vm_map_object(mm, a, PAGE_SIZE, PROT_READ, obj, 0,
				   VM_MAP_NOREPLACE), -EEXIST);
	UT_ASSERT_EQ(vm_map_object(mm, 0, PAGE_SIZE, PROT_READ, obj, 4, 0),
		     -EINVAL);			/* beyond the object */
	UT_ASSERT_EQ(vm_map_object(mm, 0, PAGE_SIZE, RW, obj, 0,
				   VM_MAP_NOWRITE), -EINVAL);
	UT_ASSERT_EQ(vm_mprotect(mm, a, PAGE_SIZE, RW), -EACCES);
	UT_ASSERT_EQ(vm_fault(mm, a + PAGE_SIZE, FAULT_USER), 0);
	UT_ASSERT_EQ(vm_object_resident(obj), 1);
	/* Fragments made by munmap are all detached by one shmdt. */
	UT_ASSERT_EQ(vm_munmap(mm, a + 2 * PAGE_SIZE, PAGE_SIZE), 0);
	UT_ASSERT_EQ(vm_object_nattach(obj), 2);
	child = mm_fork(mm);
	UT_ASSERT_EQ(vm_object_nattach(obj), 4);
	UT_ASSERT_EQ(vm_unmap_object(mm, a + PAGE_SIZE, &shm_like), -EINVAL);
	UT_ASSERT_EQ(vm_unmap_object(mm, a, NULL), -EINVAL);	/* not ours */
	UT_ASSERT_EQ(vm_unmap_object(mm, a, &shm_like), 0);
	UT_ASSERT_EQ(mm->vmas.count, 0);
	UT_ASSERT_EQ(vm_object_nattach(obj), 2);
	vm_object_put(obj);		/* IPC_RMID: the child keeps it alive */
	UT_ASSERT_EQ(vm_object_resident(obj), 1);
	mm_put(child);			/* exit: the last attachment */
	UT_ASSERT_EQ(closes, 5);	/* 1 munmap'ed piece + 2 + 2 */
	UT_ASSERT_EQ(page_count_free(), free0);
	mm_put(mm);
	teardown();
}

static void test_areas_info(void)
{
	struct mm *mm;
	struct vm_area_info info[6];
	struct mm_stats st;
	struct vm_futex_key k1, k2;
	uint64_t s;

	setup(512);
	mm = mm_create();
	/* The data segment ends where the break starts, as exec leaves it. */
	UT_ASSERT_EQ(vm_map_anon(mm, 0x5ff000, PAGE_SIZE, RW), 0);
	vm_set_brk(mm, 0x600000);
	UT_ASSERT_EQ(vm_brk(mm, 0x602000), 0x602000);
	UT_ASSERT_EQ(vm_map_anon(mm, USER_STACK_TOP - USER_STACK_SIZE,
				 USER_STACK_SIZE, RW), 0);
	s = xmmap(mm, 0, 2 * PAGE_SIZE, RW, ANON_SHARED);
	UT_ASSERT_EQ(vm_mprotect(mm, s + PAGE_SIZE, PAGE_SIZE, PROT_READ), 0);
	UT_ASSERT_EQ(mm_get_areas(mm, 0, info, 6), 5);
	/* Linux 6.1 keeps the break's area apart from the data segment and
	 * names every area overlapping [brk_start, brk] [heap]. */
	UT_ASSERT(info[0].end == 0x600000 && !strcmp(info[0].name, "[heap]"));
	UT_ASSERT(info[1].start == 0x600000 && info[1].end == 0x602000);
	UT_ASSERT(!strcmp(info[1].name, "[heap]") && !info[1].shared);
	UT_ASSERT(!info[1].file && !info[1].offset && !info[1].dev &&
		  !info[1].ino);
	/* Shared anonymous memory is Linux's "/dev/zero (deleted)" on 0:1,
	 * one inode number per object, with page offsets. */
	UT_ASSERT(info[2].shared && info[3].shared);
	UT_ASSERT(!strcmp(info[2].name, "/dev/zero (deleted)"));
	UT_ASSERT(info[2].dev == ANON_SHMEM_DEV);
	UT_ASSERT(info[3].dev == ANON_SHMEM_DEV);
	UT_ASSERT(info[2].ino && info[3].ino == info[2].ino);
	UT_ASSERT_EQ(info[2].offset, 0);
	UT_ASSERT_EQ(info[3].offset, PAGE_SIZE);
	UT_ASSERT_EQ(info[3].prot, PROT_READ);
	UT_ASSERT(info[4].name && !strcmp(info[4].name, "[stack]"));
	UT_ASSERT_EQ(mm_get_areas(mm, info[2].end, info, 6), 2);
	mm_get_stats(mm, &st);
	UT_ASSERT_EQ(st.vm_pages, 1 + 2 + 2 + USER_STACK_SIZE / PAGE_SIZE);
	UT_ASSERT_EQ(st.nr_areas, 5);
	UT_ASSERT_EQ(vm_futex_key(mm, s + 8, false, &k1), 0);
	UT_ASSERT_EQ(vm_futex_key(mm, 0x600008, true, &k2), 0);
	UT_ASSERT(k1.type == VM_FUTEX_OBJECT && k1.offset == 8);
	UT_ASSERT(k2.type == VM_FUTEX_MM && k2.base == (uint64_t)mm &&
		  k2.offset == 0x600008);
	/* The second page of s is read-only now: a key to read, not write. */
	UT_ASSERT_EQ(vm_futex_key(mm, s + PAGE_SIZE, false, &k2), 0);
	UT_ASSERT(k2.type == VM_FUTEX_OBJECT && k2.base == k1.base &&
		  k2.offset == PAGE_SIZE);
	UT_ASSERT_EQ(vm_futex_key(mm, s + PAGE_SIZE, true, &k2), -EFAULT);
	UT_ASSERT_EQ(vm_futex_key(mm, 0x10000, false, &k1), -EFAULT);
	UT_ASSERT_EQ(mm_users(mm), 1);
	mm_put(mm);
	teardown();
}

/* smaps_rollup's sums: each page's share split among the PTEs mapping it. */
static void test_rollup(void)
{
	const uint64_t page_pss = (uint64_t)PAGE_SIZE << VM_PSS_SHIFT;
	struct vm_rollup r;
	struct mm *mm, *child;
	uint64_t s;

	setup(512);
	mm = mm_create();
	UT_ASSERT_EQ(vm_map_anon(mm, 0x400000, 2 * PAGE_SIZE, RW), 0);
	s = xmmap(mm, 0, PAGE_SIZE, RW, ANON_SHARED);
	poke(mm, 0x400000, 1);
	poke(mm, s, 1);
	mm_get_rollup(mm, &r);
	UT_ASSERT(r.start == 0x400000 && r.end == s + PAGE_SIZE);
	UT_ASSERT_EQ(r.rss, 2 * PAGE_SIZE);
	UT_ASSERT_EQ(r.anonymous, PAGE_SIZE);
	UT_ASSERT_EQ(r.pss, 2 * page_pss);
	UT_ASSERT(r.pss_anon == page_pss && r.pss_shmem == page_pss);
	UT_ASSERT_EQ(r.pss_file, 0);
	/* The fake MMU sets no dirty bits: only the object page is dirty. */
	UT_ASSERT(r.private_dirty == PAGE_SIZE && r.private_clean == PAGE_SIZE);
	UT_ASSERT(r.shared_clean == 0 && r.shared_dirty == 0);
	child = mm_fork(mm);
	UT_ASSERT(child);
	mm_get_rollup(mm, &r);
	UT_ASSERT_EQ(r.rss, 2 * PAGE_SIZE);
	UT_ASSERT_EQ(r.pss, page_pss);		/* both pages mapped twice */
	UT_ASSERT(r.shared_dirty == PAGE_SIZE && r.shared_clean == PAGE_SIZE);
	UT_ASSERT(r.private_dirty == 0 && r.private_clean == 0);
	mm_put(child);
	mm_put(mm);
	mm = mm_create();
	mm_get_rollup(mm, &r);
	UT_ASSERT(r.start == 0 && r.end == 0 && r.rss == 0 && r.pss == 0);
	mm_put(mm);
	teardown();
}

static void test_sparse_huge(void)
{
	struct mm *mm, *child;
	uint64_t a, len = 64UL << 30, free1;

	setup(512);
	mm = mm_create();
	free1 = page_count_free();
	a = xmmap(mm, 0, len, RW, ANON_PRIV | MAP_NORESERVE);
	xmmap(mm, 0, 1UL << 40, PROT_NONE, ANON_PRIV | MAP_NORESERVE);
	UT_ASSERT_EQ(vm_fault(mm, a, UFAULT_W), 0);
	UT_ASSERT_EQ(vm_fault(mm, a + len - 1, UFAULT_W), 0);
	child = mm_fork(mm);
	UT_ASSERT_EQ(child->rss, 2);
	mm_put(child);
	UT_ASSERT_EQ(vm_munmap(mm, a, len), 0);
	UT_ASSERT_EQ(mm->vmas.count, 1);
	UT_ASSERT_EQ(page_count_free(), free1);
	mm_put(mm);
	teardown();
}

/*
 * The overcommit heuristic (vm.overcommit_memory = 0): a single request
 * for more than RAM is refused, wherever it comes from; what is not
 * counted (read-only, MAP_NORESERVE, memory already counted) is not;
 * mode 1 refuses nothing, and mode 2 is refused.
 */
static void test_overcommit(void)
{
	struct mm *mm;
	uint64_t base = 0x601000, big, a, b;

	setup(512);
	big = (page_count_total() + 1) * PAGE_SIZE;
	mm = mm_create();
	vm_set_brk(mm, base);
	UT_ASSERT_EQ(vm_mmap(mm, 0, big, RW, ANON_PRIV, NULL, 0, false),
		     -ENOMEM);
	UT_ASSERT_EQ(vm_mmap(mm, 0, big, RW, ANON_SHARED, NULL, 0, false),
		     -ENOMEM);
	UT_ASSERT_EQ(vm_brk(mm, base + big), base);
	/* Read-only: not counted until it is made writable. */
	a = xmmap(mm, 0, big, PROT_READ, ANON_PRIV);
	UT_ASSERT_EQ(vm_mprotect(mm, a, big, RW), -ENOMEM);
	UT_ASSERT_EQ(vm_mprotect(mm, a, PAGE_SIZE, RW), 0);
	UT_ASSERT(vma_find(&mm->vmas, a)->flags & VMA_ACCOUNT);
	UT_ASSERT(!(vma_find(&mm->vmas, a + PAGE_SIZE)->flags & VMA_ACCOUNT));
	UT_ASSERT_EQ(vm_munmap(mm, a, big), 0);
	/* Growing a counted area by more than RAM; a MAP_NORESERVE one. */
	a = xmmap(mm, 0, PAGE_SIZE, RW, ANON_PRIV);
	UT_ASSERT_EQ(vm_mremap(mm, a, PAGE_SIZE, big + PAGE_SIZE,
			       MREMAP_MAYMOVE, 0, false), -ENOMEM);
	b = xmmap(mm, 0, PAGE_SIZE, RW, ANON_PRIV | MAP_NORESERVE);
	b = vm_mremap(mm, b, PAGE_SIZE, big, MREMAP_MAYMOVE, 0, false);
	UT_ASSERT(b > 0);
	UT_ASSERT_EQ(vm_munmap(mm, b, big), 0);
	/* Mode 1 grants anything; fork then asks again for counted areas. */
	UT_ASSERT_EQ(vm_set_overcommit_mode(OVERCOMMIT_NEVER), -EINVAL);
	UT_ASSERT_EQ(vm_set_overcommit_mode(OVERCOMMIT_ALWAYS), 0);
	b = xmmap(mm, 0, big, RW, ANON_PRIV);
	UT_ASSERT_EQ(vm_set_overcommit_mode(OVERCOMMIT_GUESS), 0);
	UT_ASSERT(mm_fork(mm) == NULL);
	UT_ASSERT_EQ(vm_munmap(mm, b, big), 0);
	UT_ASSERT_EQ(vm_munmap(mm, a, PAGE_SIZE), 0);
	mm_put(mm);
	teardown();
}

/* ---- Random operations on a few related address spaces ------------- */

struct inv {
	struct mm *mm;
	uint64_t frames;
};

/* Every frame-holding PTE agrees with its area and the page counts. */
static void inv_one(pte_t *pte, uint64_t va, void *arg)
{
	struct inv *c = arg;
	pte_t e = *pte;
	struct vma *v = vma_find(&c->mm->vmas, va);
	struct page *pg = phys_to_page(pte_phys(e));

	UT_ASSERT(pte_holds_frame(e));
	UT_ASSERT(v && v->start <= va);
	UT_ASSERT(pg->refcount >= 1);
	UT_ASSERT(!(e & PTE_SHARED) == !(v->flags & VMA_SHARED));
	UT_ASSERT(!(e & PTE_P) == !(v->prot & (PROT_READ | PROT_WRITE |
					       PROT_EXEC)));
	if (e & PTE_W) {
		UT_ASSERT(v->prot & PROT_WRITE);
		if (!(v->flags & VMA_SHARED))
			UT_ASSERT_EQ(pg->refcount, 1);
	}
	c->frames++;
}

static void check_mm(struct mm *mm)
{
	struct inv c = { mm, 0 };

	pt_for_each_leaf(mm->root, 0, USER_TOP, inv_one, &c);
	UT_ASSERT_EQ(c.frames, mm->rss);
}

#define WIN_LOW		0x10000000UL
#define WIN_PAGES	256
#define WIN_HIGH	(WIN_LOW + WIN_PAGES * PAGE_SIZE)

static uint64_t rand_addr(void)
{
	return WIN_LOW + unit_rand_below(WIN_PAGES) * PAGE_SIZE;
}

static uint64_t rand_len(void)
{
	return (1 + unit_rand_below(32)) * PAGE_SIZE;
}

/* mremap with random flags; what lands outside the window moves back
 * into it (or goes), so the window keeps exercising everything. */
static void random_mremap(struct mm *mm, uint64_t a)
{
	static const unsigned long flags[] = {
		0, MREMAP_MAYMOVE, MREMAP_MAYMOVE | MREMAP_FIXED,
		MREMAP_MAYMOVE | MREMAP_DONTUNMAP,
		MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP,
	};
	unsigned long f = flags[unit_rand_below(ARRAY_SIZE(flags))];
	uint64_t old_len = unit_rand_below(4) ? rand_len() : 0;
	struct vma *v = vma_find(&mm->vmas, a);
	uint64_t new_len;
	long r;

	if (v && v->start <= a && unit_rand_below(4))	/* mostly in one area */
		old_len = MIN(old_len, v->end - a);
	new_len = (f & MREMAP_DONTUNMAP) ? old_len : rand_len();
	r = vm_mremap(mm, a, old_len, new_len, f, rand_addr(), false);

	if (r < 0 || (r >= (long)WIN_LOW && r < (long)WIN_HIGH))
		return;
	if (vm_mremap(mm, r, new_len, new_len,
		      MREMAP_MAYMOVE | MREMAP_FIXED, rand_addr(), false) < 0)
		vm_munmap(mm, r, new_len);
}

static void random_op(struct mm **mms, int *n)
{
	struct mm *mm = mms[unit_rand_below(*n)];
	int prots[] = { PROT_NONE, PROT_READ, RW, RW | PROT_EXEC };
	int prot = prots[unit_rand_below(4)];
	uint64_t a = rand_addr();

	switch (unit_rand_below(10)) {
	case 0:
		vm_mmap(mm, a, rand_len(), prot, MAP_FIXED |
			(unit_rand_below(3) ? ANON_PRIV : ANON_SHARED), NULL, 0,
			false);
		break;
	case 1:
		vm_munmap(mm, a, rand_len());
		break;
	case 2:
		vm_mprotect(mm, a, rand_len(), prot);
		break;
	case 3: case 4:
		for (int i = 0; i < 8; i++)
			vm_fault(mm, a + i * PAGE_SIZE + unit_rand_below(PAGE_SIZE),
				 FAULT_USER |
				 (unit_rand_below(2) ? FAULT_WRITE : 0));
		break;
	case 5:
		vm_write(mm, a, "data", 4);	/* may hit unmapped: fine */
		break;
	case 6:
		if (*n < 4)
			mms[(*n)++] = mm_fork(mm);
		break;
	case 7:
		if (*n > 1) {
			int i = unit_rand_below(*n);

			mm_put(mms[i]);
			mms[i] = mms[--*n];
		}
		break;
	case 8:
		vm_madvise(mm, a, rand_len(), unit_rand_below(2) ?
			   MADV_DONTNEED : MADV_DONTFORK);
		break;
	case 9:
		random_mremap(mm, a);
		break;
	}
}

static void test_random_spaces(void)
{
	struct mm *mms[4];
	uint64_t peak = 0, forks = 0;
	int n = 1;

	setup(4096);
	mms[0] = mm_create();
	for (int i = 0; i < 5000; i++) {
		uint64_t rss = 0;

		random_op(mms, &n);
		for (int j = 0; j < n; j++) {
			check_mm(mms[j]);
			rss += mms[j]->rss;
		}
		peak = MAX(peak, rss);
		forks += n > 1;
	}
	UT_ASSERT(peak > 100 && forks > 1000);	/* the run did something */
	while (n)
		mm_put(mms[--n]);
	teardown();
}

/* Map obj private (a MAP_PRIVATE file mapping) at a, fixed. */
static void map_private_object(struct mm *mm, uint64_t a, uint64_t len,
			       struct vm_object *obj)
{
	struct map_request req = {
		.addr = a, .len = len, .prot = RW, .maxprot = RW | PROT_EXEC,
		.obj = obj, .map_flags = VM_MAP_FIXED,
	};

	mutex_lock(&mm->lock);
	UT_ASSERT_EQ(mm_map(mm, &req), (long)a);
	mutex_unlock(&mm->lock);
}

/*
 * A file's object mapped shared in one address space and private in
 * another: faults see the object's pages, a private write copies, and
 * shrinking the object takes every page beyond the end out of both
 * (private copies too), while a punched hole keeps private copies.
 */
static void test_object_rmap(void)
{
	uint64_t a = 0x40000000, free0;
	struct vm_object *obj;
	struct mm *mm, *other;
	struct page *pg;

	setup(512);
	mm = mm_create();
	other = mm_create();
	free0 = page_count_free();
	obj = vm_object_create(8 * PAGE_SIZE);
	UT_ASSERT_EQ(vm_map_object(mm, a, 8 * PAGE_SIZE, RW, obj, 0,
				   VM_MAP_FIXED), a);
	map_private_object(other, a, 8 * PAGE_SIZE, obj);
	for (uint64_t i = 0; i < 8; i++) {
		UT_ASSERT_EQ(vm_fault(mm, a + i * PAGE_SIZE, UFAULT_W), 0);
		UT_ASSERT_EQ(vm_fault(other, a + i * PAGE_SIZE, FAULT_USER), 0);
		UT_ASSERT(frame_of(mm, a + i * PAGE_SIZE) ==
			  frame_of(other, a + i * PAGE_SIZE));
	}
	/* A private write copies; the object's page is untouched. */
	UT_ASSERT_EQ(vm_fault(other, a + 6 * PAGE_SIZE,
			      UFAULT_W | FAULT_PRESENT), 0);
	pg = frame_of(other, a + 6 * PAGE_SIZE);
	UT_ASSERT(pg != frame_of(mm, a + 6 * PAGE_SIZE) && !pg->owner);
	UT_ASSERT(pte_of(other, a + 6 * PAGE_SIZE) & PTE_W);
	/* A hole: shared and uncopied private entries go, the copy stays. */
	vm_object_punch(obj, 5 * PAGE_SIZE, 7 * PAGE_SIZE);
	UT_ASSERT(!pte_of(mm, a + 5 * PAGE_SIZE));
	UT_ASSERT(!pte_of(other, a + 5 * PAGE_SIZE));
	UT_ASSERT(frame_of(other, a + 6 * PAGE_SIZE) == pg);
	UT_ASSERT(pte_of(mm, a + 7 * PAGE_SIZE));
	/* Shrinking: everything beyond the end goes, from both; a fault
	 * there is SIGBUS (-EIO). */
	vm_object_set_size(obj, 2 * PAGE_SIZE);
	for (uint64_t i = 2; i < 8; i++) {
		UT_ASSERT(!pte_of(mm, a + i * PAGE_SIZE));
		UT_ASSERT(!pte_of(other, a + i * PAGE_SIZE));
	}
	UT_ASSERT(pte_of(mm, a + PAGE_SIZE) && pte_of(other, a + PAGE_SIZE));
	UT_ASSERT_EQ(vm_fault(mm, a + 3 * PAGE_SIZE, FAULT_USER), -EIO);
	UT_ASSERT_EQ(vm_fault(other, a + 3 * PAGE_SIZE, UFAULT_W), -EIO);
	UT_ASSERT_EQ(vm_object_resident(obj), 2);
	/* Growing makes the pages reachable again, as zeros. */
	vm_object_set_size(obj, 8 * PAGE_SIZE);
	UT_ASSERT_EQ(vm_fault(other, a + 3 * PAGE_SIZE, FAULT_USER), 0);
	UT_ASSERT_EQ(((char *)page_to_virt(frame_of(other,
					a + 3 * PAGE_SIZE)))[0], 0);
	vm_object_put(obj);
	mm_put(other);
	mm_put(mm);
	UT_ASSERT_EQ(page_count_free(), free0 + 2);	/* the two roots */
	teardown();
}

/*
 * Shoot-down batching (mm/tlb_gather.c): munmap of a few pages is one
 * shoot-down over exactly the range, made before any frame is freed; a
 * range with more frames than a batch holds is flushed batch by batch,
 * each flush again before its frames go; a COW break shoots down the
 * one page whose frame changed, and an mprotect the area.
 */
static void test_shootdown_batching(void)
{
	struct mm *mm;
	uint64_t a, free0;

	setup(1024);
	mm = mm_create();
	a = xmmap(mm, 0, 8 * PAGE_SIZE, RW, ANON_PRIV);
	touch(mm, a, 8 * PAGE_SIZE);
	free0 = page_count_free();
	shootdowns.calls = 0;
	UT_ASSERT_EQ(vm_munmap(mm, a + PAGE_SIZE, 3 * PAGE_SIZE), 0);
	UT_ASSERT_EQ(shootdowns.calls, 1UL);
	UT_ASSERT_EQ(shootdowns.start, a + PAGE_SIZE);
	UT_ASSERT_EQ(shootdowns.end, a + 4 * PAGE_SIZE);
	UT_ASSERT_EQ(shootdowns.free_frames, free0);	/* nothing freed yet */
	UT_ASSERT_EQ(page_count_free(), free0 + 3);

	/* 100 frames: batches of TLB_GATHER_PAGES, each flushed first. */
	a = xmmap(mm, 0, 100 * PAGE_SIZE, RW, ANON_PRIV);
	touch(mm, a, 100 * PAGE_SIZE);
	free0 = page_count_free();
	shootdowns.calls = 0;
	UT_ASSERT_EQ(vm_munmap(mm, a, 100 * PAGE_SIZE), 0);
	UT_ASSERT_EQ(shootdowns.calls, (100UL + TLB_GATHER_PAGES - 1) /
				       TLB_GATHER_PAGES);
	/* The last flush came before the last batch and the tables. */
	UT_ASSERT(shootdowns.free_frames < page_count_free());
	UT_ASSERT(shootdowns.free_frames >= free0 + 100 - TLB_GATHER_PAGES);

	/* mprotect: one shoot-down of the area, nothing freed. */
	a = xmmap(mm, 0, 4 * PAGE_SIZE, RW, ANON_PRIV);
	touch(mm, a, 4 * PAGE_SIZE);
	shootdowns.calls = 0;
	UT_ASSERT_EQ(vm_mprotect(mm, a, 4 * PAGE_SIZE, PROT_READ), 0);
	UT_ASSERT_EQ(shootdowns.calls, 1UL);
	UT_ASSERT_EQ(shootdowns.start, a);
	UT_ASSERT_EQ(shootdowns.end, a + 4 * PAGE_SIZE);
	UT_ASSERT_EQ(vm_munmap(mm, a, 4 * PAGE_SIZE), 0);

	/* COW: fork shoots down the parent; a copy shoots down its page; the
	 * last user's write (no copy) needs none. */
	struct mm *child;
	a = xmmap(mm, 0, 2 * PAGE_SIZE, RW, ANON_PRIV);
	touch(mm, a, 2 * PAGE_SIZE);
	shootdowns.calls = 0;
	child = mm_fork(mm);
	UT_ASSERT(child);
	UT_ASSERT_EQ(shootdowns.calls, 1UL);
	UT_ASSERT_EQ(vm_fault(mm, a + PAGE_SIZE, UFAULT_W | FAULT_PRESENT), 0);
	UT_ASSERT_EQ(shootdowns.calls, 2UL);
	UT_ASSERT_EQ(shootdowns.start, a + PAGE_SIZE);
	UT_ASSERT_EQ(shootdowns.end, a + 2 * PAGE_SIZE);
	mm_put(child);
	UT_ASSERT_EQ(vm_fault(mm, a, UFAULT_W | FAULT_PRESENT), 0);
	UT_ASSERT_EQ(shootdowns.calls, 2UL);
	mm_put(mm);
	teardown();
}

UNIT_MAIN(UNIT_CASE(test_create_destroy), UNIT_CASE(test_shootdown_batching), UNIT_CASE(test_fault_lazy),
	  UNIT_CASE(test_fault_refused), UNIT_CASE(test_fork_cow),
	  UNIT_CASE(test_fork_exit_cycles), UNIT_CASE(test_shared_across_fork),
	  UNIT_CASE(test_mmap_errors), UNIT_CASE(test_mmap_placement),
	  UNIT_CASE(test_munmap_frees), UNIT_CASE(test_mprotect),
	  UNIT_CASE(test_brk), UNIT_CASE(test_madvise),
	  UNIT_CASE(test_populate), UNIT_CASE(test_object_attach),
	  UNIT_CASE(test_object_rmap),
	  UNIT_CASE(test_areas_info), UNIT_CASE(test_rollup),
	  UNIT_CASE(test_sparse_huge), UNIT_CASE(test_overcommit),
	  UNIT_CASE(test_random_spaces))
