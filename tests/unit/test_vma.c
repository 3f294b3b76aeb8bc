// UNIT_SOURCES: kernel/mm/vma.c kernel/mm/vm_object.c kernel/mm/vm_object_tree.c kernel/mm/page_alloc.c kernel/mm/page_pcp.c
/*
 * The VMA set (kernel/mm/vma.c) and memory objects (kernel/mm/vm_object.c,
 * vm_object_tree.c): lookup, insertion with merging, splitting, removing
 * sub-ranges (leaving 0, 1 or 2 pieces), the mprotect walk with Linux's
 * partial-failure semantics, top-down gap search, MAP_FIXED-style
 * replacement, object reference and attachment counting, populating
 * (fallocate), and a random run checked against a page-by-page model.
 */
#include <types.h>
#include <lib/list.h>
#include <lib/string.h>
#include <mm/page.h>
#include <mm/vm_object.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include "../../kernel/mm/vma.h"
#include "unit.h"

#define P(n)	((uint64_t)(n) * PAGE_SIZE)
#define RW	(PROT_READ | PROT_WRITE)
#define RWX	(PROT_READ | PROT_WRITE | PROT_EXEC)

static struct vma *mk(uint64_t start, uint64_t end, unsigned int prot)
{
	struct vma *v = vma_create(start, end, prot, RWX, 0, NULL, 0);

	UT_ASSERT(v);
	return v;
}

/* Free every area left in s and every area on a detached list. */
static void drain(struct list_head *l)
{
	struct vma *v, *n;

	list_for_each_entry_safe(v, n, l, link) {
		list_del(&v->link);
		vma_destroy(v);
	}
}

static void set_free(struct vma_set *s)
{
	drain(&s->list);
	s->count = 0;
	s->cache = NULL;
}

/* Sorted, disjoint, aligned, counted; optionally no mergeable neighbours. */
static void check_set(struct vma_set *s)
{
	struct vma *v, *prev = NULL;
	unsigned int n = 0;

	list_for_each_entry(v, &s->list, link) {
		UT_ASSERT(v->start < v->end);
		UT_ASSERT(IS_ALIGNED(v->start | v->end, PAGE_SIZE));
		if (prev) {
			UT_ASSERT(prev->end <= v->start);
			UT_ASSERT(!(prev->end == v->start &&
				    prev->prot == v->prot &&
				    prev->flags == v->flags && !v->obj &&
				    !prev->obj));
		}
		prev = v;
		n++;
	}
	UT_ASSERT_EQ(n, s->count);
}

/* Assert the areas of s are exactly the given [start, end, prot] list. */
static void expect(struct vma_set *s, const uint64_t (*want)[3], size_t n)
{
	struct vma *v = vma_first(s);

	check_set(s);
	for (size_t i = 0; i < n; i++, v = vma_next(s, v)) {
		UT_ASSERT(v);
		UT_ASSERT_EQ(v->start, want[i][0]);
		UT_ASSERT_EQ(v->end, want[i][1]);
		UT_ASSERT_EQ(v->prot, want[i][2]);
	}
	UT_ASSERT(v == NULL);
}
#define EXPECT(s, ...)							\
	do {								\
		static const uint64_t w_[][3] = { __VA_ARGS__ };	\
		expect((s), w_, ARRAY_SIZE(w_));			\
	} while (0)
#define EXPECT_EMPTY(s) expect((s), NULL, 0)

static void test_insert_find(void)
{
	struct vma_set s;
	struct vma *a, *b;

	vma_set_init(&s);
	UT_ASSERT(vma_find(&s, 0) == NULL);
	a = vma_insert(&s, mk(P(10), P(20), RW));
	b = vma_insert(&s, mk(P(30), P(40), PROT_READ));
	vma_insert(&s, mk(P(1), P(2), RW));
	EXPECT(&s, { P(1), P(2), RW }, { P(10), P(20), RW },
	       { P(30), P(40), PROT_READ });
	UT_ASSERT(vma_find(&s, P(5)) == a);	/* first area ending above */
	UT_ASSERT(vma_find(&s, P(10)) == a);
	UT_ASSERT(vma_find(&s, P(20) - 1) == a);
	UT_ASSERT(vma_find(&s, P(20)) == b);
	UT_ASSERT(vma_find(&s, P(40)) == NULL);
	UT_ASSERT(vma_find_intersection(&s, P(20), P(30)) == NULL);
	UT_ASSERT(vma_find_intersection(&s, P(20), P(31)) == b);
	UT_ASSERT(vma_range_mapped(&s, P(10), P(20)));
	UT_ASSERT(!vma_range_mapped(&s, P(10), P(21)));
	UT_EXPECT_PANIC(vma_insert(&s, mk(P(15), P(16), RW)));
	set_free(&s);
}

static void test_insert_merges(void)
{
	struct vma_set s;

	vma_set_init(&s);
	vma_insert(&s, mk(P(10), P(20), RW));
	vma_insert(&s, mk(P(30), P(40), RW));
	vma_insert(&s, mk(P(20), P(30), RW));	/* bridges both */
	EXPECT(&s, { P(10), P(40), RW });
	vma_insert(&s, mk(P(40), P(41), PROT_READ));	/* differs: no merge */
	vma_insert(&s, mk(P(9), P(10), RW));
	EXPECT(&s, { P(9), P(40), RW }, { P(40), P(41), PROT_READ });
	set_free(&s);
}

/* A file's private anonymous memory (/dev/zero MAP_PRIVATE) keeps its
 * file offset for /proc/<pid>/maps: areas merge only where it runs on. */
static struct vma *mk_file(uint64_t start, uint64_t end, struct file *f,
			   uint64_t pgoff)
{
	struct vma *v = vma_create(start, end, RW, RWX, 0, NULL, pgoff);

	UT_ASSERT(v);
	vma_set_file(v, f);	/* the shim's file_get does nothing */
	return v;
}

static void test_file_anon_merges(void)
{
	static char fake_file;
	struct file *f = (struct file *)&fake_file;
	struct vma_set s;
	struct vma *v;

	vma_set_init(&s);
	vma_insert(&s, mk_file(P(10), P(12), f, 5));
	vma_insert(&s, mk_file(P(12), P(14), f, 9));	/* offsets jump */
	vma_insert(&s, mk(P(14), P(16), RW));		/* no file */
	UT_ASSERT_EQ(s.count, 3);
	v = vma_insert(&s, mk_file(P(8), P(10), f, 3));	/* runs on */
	UT_ASSERT(v->start == P(8) && v->end == P(12) && v->pgoff == 3);
	UT_ASSERT_EQ(s.count, 3);
	set_free(&s);
}

static void test_split_middle(void)
{
	struct vma_set s;
	struct vma *v, *n;
	struct vm_object *obj;

	unit_mem_init(64);
	obj = vm_object_create(P(10));
	vma_set_init(&s);
	v = vma_insert(&s, vma_create(P(100), P(110), RW, RWX, VMA_SHARED,
				      obj, 0));
	UT_ASSERT_EQ(vm_object_nattach(obj), 1);
	n = vma_split(&s, v, P(104));
	UT_ASSERT(n);
	UT_ASSERT_EQ(v->end, P(104));
	UT_ASSERT_EQ(n->start, P(104));
	UT_ASSERT_EQ(n->end, P(110));
	UT_ASSERT_EQ(n->pgoff, 4);		/* keeps the object offset */
	UT_ASSERT(n->obj == obj);
	UT_ASSERT_EQ(vm_object_nattach(obj), 2);
	UT_ASSERT_EQ(s.count, 2);
	UT_ASSERT_EQ(vma_split_at(&s, P(104)), 0);	/* on a boundary: no-op */
	UT_ASSERT_EQ(s.count, 2);
	/* Contiguous pieces of one object merge back. */
	UT_ASSERT(vma_merge(&s, n) == v);
	UT_ASSERT_EQ(v->end, P(110));
	UT_ASSERT_EQ(vm_object_nattach(obj), 1);
	UT_EXPECT_PANIC(vma_split(&s, v, P(100)));
	set_free(&s);
	UT_ASSERT_EQ(vm_object_nattach(obj), 0);
	vm_object_put(obj);
}

static void test_detach_pieces(void)
{
	struct vma_set s;
	LIST_HEAD(out);

	vma_set_init(&s);
	/* Middle: two pieces stay. */
	vma_insert(&s, mk(P(10), P(20), RW));
	UT_ASSERT_EQ(vma_detach_range(&s, P(12), P(15), &out), 0);
	EXPECT(&s, { P(10), P(12), RW }, { P(15), P(20), RW });
	UT_ASSERT_EQ(list_first_entry(&out, struct vma, link)->start, P(12));
	UT_ASSERT_EQ(list_first_entry(&out, struct vma, link)->end, P(15));
	drain(&out);
	/* Head and tail: one piece each. */
	UT_ASSERT_EQ(vma_detach_range(&s, P(10), P(11), &out), 0);
	UT_ASSERT_EQ(vma_detach_range(&s, P(19), P(20), &out), 0);
	EXPECT(&s, { P(11), P(12), RW }, { P(15), P(19), RW });
	drain(&out);
	/* Everything, across a hole: nothing stays. */
	UT_ASSERT_EQ(vma_detach_range(&s, P(0), P(100), &out), 0);
	EXPECT_EMPTY(&s);
	drain(&out);
	/* Nothing mapped there: success, nothing removed. */
	vma_insert(&s, mk(P(10), P(20), RW));
	UT_ASSERT_EQ(vma_detach_range(&s, P(30), P(40), &out), 0);
	UT_ASSERT(list_empty(&out));
	EXPECT(&s, { P(10), P(20), RW });
	set_free(&s);
}

static void test_detach_many(void)
{
	struct vma_set s;
	LIST_HEAD(out);
	struct vma *v;
	int n = 0;

	vma_set_init(&s);
	vma_insert(&s, mk(P(0), P(4), RW));
	vma_insert(&s, mk(P(4), P(8), PROT_READ));
	vma_insert(&s, mk(P(10), P(12), RW));
	vma_insert(&s, mk(P(12), P(16), PROT_NONE));
	UT_ASSERT_EQ(vma_detach_range(&s, P(2), P(14), &out), 0);
	EXPECT(&s, { P(0), P(2), RW }, { P(14), P(16), PROT_NONE });
	list_for_each_entry(v, &out, link)
		n++;
	UT_ASSERT_EQ(n, 4);			/* in address order: */
	v = list_first_entry(&out, struct vma, link);
	UT_ASSERT_EQ(v->start, P(2));
	v = list_entry(out.prev, struct vma, link);
	UT_ASSERT_EQ(v->end, P(14));
	drain(&out);
	set_free(&s);
}

/* Simulates mmap(MAP_FIXED): detach what is there, insert the new area. */
static void map_fixed(struct vma_set *s, uint64_t start, uint64_t end,
		      unsigned int prot)
{
	LIST_HEAD(out);

	UT_ASSERT_EQ(vma_detach_range(s, start, end, &out), 0);
	drain(&out);
	vma_insert(s, mk(start, end, prot));
}

static void test_map_fixed_replace(void)
{
	struct vma_set s;

	vma_set_init(&s);
	map_fixed(&s, P(10), P(20), RW);
	map_fixed(&s, P(14), P(16), PROT_READ);
	EXPECT(&s, { P(10), P(14), RW }, { P(14), P(16), PROT_READ },
	       { P(16), P(20), RW });
	map_fixed(&s, P(12), P(18), RW);	/* merges all back */
	EXPECT(&s, { P(10), P(20), RW });
	map_fixed(&s, P(5), P(25), PROT_EXEC);
	EXPECT(&s, { P(5), P(25), PROT_EXEC });
	set_free(&s);
}

struct apply_log {
	int calls;
	uint64_t start[8], end[8];
};

static void log_apply(struct vma *v, unsigned int old, void *arg)
{
	struct apply_log *log = arg;

	UT_ASSERT(log->calls < 8);
	UT_ASSERT(old != v->prot);
	log->start[log->calls] = v->start;
	log->end[log->calls++] = v->end;
}

static const struct vma_protect_ops log_ops = { .apply = log_apply };

static void test_protect_split_merge(void)
{
	struct vma_set s;
	struct apply_log log = { 0 };

	vma_set_init(&s);
	vma_insert(&s, mk(P(10), P(20), RW));
	UT_ASSERT_EQ(vma_protect(&s, P(12), P(15), PROT_READ, &log_ops,
				 &log), 0);
	EXPECT(&s, { P(10), P(12), RW }, { P(12), P(15), PROT_READ },
	       { P(15), P(20), RW });
	UT_ASSERT_EQ(log.calls, 1);
	UT_ASSERT_EQ(log.start[0], P(12));
	UT_ASSERT_EQ(log.end[0], P(15));
	/* Back to RW: one area again. */
	UT_ASSERT_EQ(vma_protect(&s, P(12), P(15), RW, &log_ops, &log), 0);
	EXPECT(&s, { P(10), P(20), RW });
	/* Unchanged protection: no call, no split. */
	UT_ASSERT_EQ(vma_protect(&s, P(11), P(13), RW, &log_ops, &log), 0);
	UT_ASSERT_EQ(log.calls, 2);
	EXPECT(&s, { P(10), P(20), RW });
	/* Across two areas with different protections. */
	vma_insert(&s, mk(P(20), P(30), PROT_READ));
	UT_ASSERT_EQ(vma_protect(&s, P(15), P(25), PROT_NONE, &log_ops,
				 &log), 0);
	EXPECT(&s, { P(10), P(15), RW }, { P(15), P(25), PROT_NONE },
	       { P(25), P(30), PROT_READ });
	set_free(&s);
}

static void test_protect_errors(void)
{
	struct vma_set s;
	struct apply_log log = { 0 };
	struct vma *v;

	vma_set_init(&s);
	vma_insert(&s, mk(P(10), P(20), RW));
	vma_insert(&s, mk(P(30), P(40), RW));
	/* Starting in a hole: nothing changes. */
	UT_ASSERT_EQ(vma_protect(&s, P(5), P(15), PROT_READ, &log_ops,
				 &log), -ENOMEM);
	UT_ASSERT_EQ(log.calls, 0);
	EXPECT(&s, { P(10), P(20), RW }, { P(30), P(40), RW });
	/* A hole later: Linux keeps the change made before it. */
	UT_ASSERT_EQ(vma_protect(&s, P(15), P(35), PROT_READ, &log_ops,
				 &log), -ENOMEM);
	EXPECT(&s, { P(10), P(15), RW }, { P(15), P(20), PROT_READ },
	       { P(30), P(40), RW });
	/* maxprot forbids the change: -EACCES. */
	v = vma_insert(&s, vma_create(P(50), P(60), PROT_READ,
				      PROT_READ | PROT_EXEC, 0, NULL, 0));
	UT_ASSERT_EQ(vma_protect(&s, P(50), P(60), RW, &log_ops, &log),
		     -EACCES);
	UT_ASSERT_EQ(v->prot, PROT_READ);
	UT_ASSERT_EQ(vma_protect(&s, P(50), P(52), PROT_EXEC, &log_ops,
				 &log), 0);
	set_free(&s);
}

/* Refuses areas that start at or above the address in *arg. */
static int admit_below(struct vma *v, uint64_t start, uint64_t end,
		       unsigned int prot, void *arg)
{
	UT_ASSERT(start >= v->start && end <= v->end && start < end);
	return start >= *(uint64_t *)arg ? -ENOMEM : 0;
}

static void count_apply(struct vma *v, unsigned int old, void *arg) {}

/* admit stops the walk before anything of the refused area changes. */
static void test_protect_admit(void)
{
	static const struct vma_protect_ops ops = {
		.admit = admit_below, .apply = count_apply,
	};
	uint64_t limit = P(30);
	struct vma_set s;

	vma_set_init(&s);
	vma_insert(&s, mk(P(10), P(20), RW));
	vma_insert(&s, mk(P(20), P(40), PROT_READ));
	/* Both parts admitted: changed and merged into one area. */
	UT_ASSERT_EQ(vma_protect(&s, P(15), P(35), PROT_NONE, &ops, &limit),
		     0);
	EXPECT(&s, { P(10), P(15), RW }, { P(15), P(35), PROT_NONE },
	       { P(35), P(40), PROT_READ });
	/* The second area is refused: the first keeps its change (as
	 * after a hole), the refused one is not even split. */
	limit = P(12);
	UT_ASSERT_EQ(vma_protect(&s, P(10), P(38), PROT_EXEC, &ops, &limit),
		     -ENOMEM);
	EXPECT(&s, { P(10), P(15), PROT_EXEC }, { P(15), P(35), PROT_NONE },
	       { P(35), P(40), PROT_READ });
	set_free(&s);
}

static void test_gap_topdown(void)
{
	struct vma_set s;
	uint64_t a;

	vma_set_init(&s);
	UT_ASSERT(vma_find_gap(&s, P(4), P(1), P(100), &a));
	UT_ASSERT_EQ(a, P(96));
	vma_insert(&s, mk(P(90), P(100), RW));
	vma_insert(&s, mk(P(50), P(88), RW));
	UT_ASSERT(vma_find_gap(&s, P(2), P(1), P(100), &a));
	UT_ASSERT_EQ(a, P(88));			/* exactly fits */
	UT_ASSERT(vma_find_gap(&s, P(3), P(1), P(100), &a));
	UT_ASSERT_EQ(a, P(47));			/* below the 2-page gap */
	UT_ASSERT(!vma_find_gap(&s, P(60), P(1), P(100), &a));
	UT_ASSERT(!vma_find_gap(&s, P(3), P(48), P(100), &a));
	/* An area above high does not matter; one across high lowers it. */
	vma_insert(&s, mk(P(200), P(210), RW));
	UT_ASSERT(vma_find_gap(&s, P(5), P(100), P(205), &a));
	UT_ASSERT_EQ(a, P(195));
	UT_ASSERT(vma_find_gap(&s, P(5), P(100), P(150), &a));
	UT_ASSERT_EQ(a, P(145));
	UT_ASSERT(!vma_find_gap(&s, P(5), P(203), P(205), &a));
	UT_ASSERT(!vma_find_gap(&s, 0, P(0), P(10), &a));
	set_free(&s);
}

static void test_split_limit(void)
{
	struct vma_set s;
	struct vma *v;
	LIST_HEAD(out);

	vma_set_init(&s);
	v = vma_insert(&s, mk(P(10), P(20), RW));
	s.count = VMA_MAX_COUNT;		/* pretend the map is full */
	UT_ASSERT(vma_split(&s, v, P(15)) == NULL);
	UT_ASSERT_EQ(vma_detach_range(&s, P(12), P(14), &out), -ENOMEM);
	UT_ASSERT(list_empty(&out));
	UT_ASSERT_EQ(v->start, P(10));
	UT_ASSERT_EQ(v->end, P(20));
	/* One split possible, the second not: the first is undone. */
	s.count = VMA_MAX_COUNT - 1;
	UT_ASSERT_EQ(vma_detach_range(&s, P(12), P(14), &out), -ENOMEM);
	UT_ASSERT(list_empty(&out));
	s.count = 1;
	EXPECT(&s, { P(10), P(20), RW });
	set_free(&s);
}

/* ---- Memory objects ------------------------------------------------- */

static int released;
static int opens, closes;
static void obj_release(struct vm_object *obj) { released++; }
static void obj_open(struct vm_object *obj) { opens++; }
static void obj_close(struct vm_object *obj) { closes++; }
static const struct vm_object_ops watched_ops = {
	.open = obj_open, .close = obj_close, .release = obj_release,
};

/* The page at index with VMO_ALLOC (the test holds no extra reference). */
static struct page *obj_page(struct vm_object *obj, uint64_t index)
{
	struct page *pg;

	if (vm_object_page(obj, index, VMO_ALLOC | VMO_IN_SIZE, &pg))
		return NULL;
	page_put(pg);			/* the object keeps its own */
	return pg;
}

static void test_object_pages(void)
{
	struct vm_object *obj;
	struct page *a, *b, *pg;
	uint64_t free0;

	unit_mem_init(256);
	free0 = page_count_free();
	obj = vm_object_create(P(100) + 1);	/* 101 pages reachable */
	UT_ASSERT_EQ(vm_object_size(obj), P(100) + 1);
	a = obj_page(obj, 0);
	b = obj_page(obj, 100);
	UT_ASSERT(a && b && a != b);
	UT_ASSERT(obj_page(obj, 0) == a);	/* same page again */
	UT_ASSERT(obj_page(obj, 101) == NULL);	/* beyond the size */
	UT_ASSERT_EQ(vm_object_page(obj, 101, VMO_IN_SIZE, &pg), -ENXIO);
	UT_ASSERT_EQ(vm_object_page(obj, 50, 0, &pg), -ENOENT);
	UT_ASSERT_EQ(vm_object_resident(obj), 2);
	UT_ASSERT(a->owner == obj);
	for (size_t i = 0; i < PAGE_SIZE; i++)
		UT_ASSERT(((char *)page_to_virt(b))[i] == 0);
	UT_ASSERT_EQ(page_count_free(), free0 - 2);
	vm_object_get(obj);
	vm_object_put(obj);
	UT_ASSERT_EQ(page_count_free(), free0 - 2);
	vm_object_put(obj);			/* last: pages go back */
	UT_ASSERT_EQ(page_count_free(), free0);
}

/* A file's object: it grows, shrinks, gets holes, and is searched. */
static void test_object_resize(void)
{
	struct vm_object *obj = NULL;
	struct page *pg;
	uint64_t free0;

	unit_mem_init(256);
	free0 = page_count_free();
	obj = vm_object_create(0);
	UT_ASSERT(obj);
	/* Pages beyond the size may be filled (a write extending a file). */
	for (uint64_t i = 0; i < 8; i++) {
		UT_ASSERT_EQ(vm_object_page(obj, i, VMO_ALLOC, &pg), 0);
		memset(page_to_virt(pg), 'x', PAGE_SIZE);
		page_put(pg);
	}
	UT_ASSERT_EQ(vm_object_page(obj, 1000000, VMO_ALLOC, &pg), 0);
	page_put(pg);
	vm_object_set_size(obj, P(1000001));
	UT_ASSERT_EQ(vm_object_resident(obj), 9);
	/* Shrinking frees what lies beyond and zeroes the last page's tail. */
	vm_object_set_size(obj, P(5) + 10);
	UT_ASSERT_EQ(vm_object_resident(obj), 6);
	UT_ASSERT_EQ(vm_object_page(obj, 5, 0, &pg), 0);
	UT_ASSERT(((char *)page_to_virt(pg))[9] == 'x');
	UT_ASSERT(((char *)page_to_virt(pg))[10] == 0);
	page_put(pg);
	/* Punching keeps partial pages (zeroed) and frees whole ones. */
	vm_object_punch(obj, P(1) + 100, P(4) + 7);
	UT_ASSERT_EQ(vm_object_resident(obj), 4);	/* 0, 1, 4, 5 */
	UT_ASSERT_EQ(vm_object_page(obj, 1, 0, &pg), 0);
	UT_ASSERT(((char *)page_to_virt(pg))[99] == 'x');
	UT_ASSERT(((char *)page_to_virt(pg))[100] == 0);
	page_put(pg);
	UT_ASSERT_EQ(vm_object_page(obj, 4, 0, &pg), 0);
	UT_ASSERT(((char *)page_to_virt(pg))[6] == 0);
	UT_ASSERT(((char *)page_to_virt(pg))[7] == 'x');
	page_put(pg);
	/* Seeking data and holes walks the tree. */
	UT_ASSERT_EQ(vm_object_seek(obj, 0, 6, true), 0);
	UT_ASSERT_EQ(vm_object_seek(obj, 0, 6, false), 2);
	UT_ASSERT_EQ(vm_object_seek(obj, 2, 6, true), 4);
	UT_ASSERT_EQ(vm_object_seek(obj, 4, 6, false), 6);
	UT_ASSERT_EQ(vm_object_seek(obj, 6, 1ULL << 40, true), 1ULL << 40);
	UT_ASSERT_EQ(vm_object_seek(obj, 6, 1ULL << 40, false), 6);
	vm_object_set_size(obj, 0);
	UT_ASSERT_EQ(vm_object_resident(obj), 0);
	UT_ASSERT_EQ(vm_object_seek(obj, 0, 1ULL << 50, true), 1ULL << 50);
	vm_object_put(obj);
	UT_ASSERT_EQ(page_count_free(), free0);
}

/* A charge hook like tmpfs's size= limit: at most charge_limit pages. */
static long charged, charge_limit;

static int limited_charge(struct vm_object *obj, long npages)
{
	if (npages > 0 && charged + npages > charge_limit)
		return -ENOSPC;
	charged += npages;
	return 0;
}

static const struct vm_object_ops limited_ops = { .charge = limited_charge };

/* fallocate's populate: all or nothing, and new pages are holes to seek. */
static void test_object_populate(void)
{
	struct vm_object *obj;
	struct page *pg;
	uint64_t free0;

	unit_mem_init(256);
	free0 = page_count_free();
	charged = 0;
	charge_limit = 12;
	obj = vm_object_create(P(100));
	vm_object_set_ops(obj, &limited_ops, NULL);
	UT_ASSERT(obj_page(obj, 3));			/* written data */
	UT_ASSERT_EQ(vm_object_populate(obj, 0, 8), 0);
	UT_ASSERT_EQ(vm_object_resident(obj), 8);
	UT_ASSERT_EQ(charged, 8);
	/* Populated pages read as zeros but are holes until written. */
	UT_ASSERT_EQ(vm_object_page(obj, 5, 0, &pg), 0);
	UT_ASSERT(((char *)page_to_virt(pg))[100] == 0);
	page_put(pg);
	UT_ASSERT_EQ(vm_object_seek(obj, 0, 100, true), 3);
	UT_ASSERT_EQ(vm_object_seek(obj, 0, 100, false), 0);
	UT_ASSERT_EQ(vm_object_seek(obj, 3, 100, false), 4);
	UT_ASSERT_EQ(vm_object_seek(obj, 4, 100, true), 100);
	UT_ASSERT(obj_page(obj, 5));			/* a fault or write */
	UT_ASSERT_EQ(vm_object_seek(obj, 4, 100, true), 5);
	/* A failed call takes back what it added, and only that; pages it
	 * met that were populated before count as data from then on. */
	UT_ASSERT_EQ(vm_object_populate(obj, 6, 20), -ENOSPC);
	UT_ASSERT_EQ(vm_object_resident(obj), 8);
	UT_ASSERT_EQ(charged, 8);
	UT_ASSERT_EQ(vm_object_seek(obj, 6, 100, true), 6);
	UT_ASSERT_EQ(vm_object_seek(obj, 6, 100, false), 8);
	UT_ASSERT_EQ(vm_object_page(obj, 9, 0, &pg), -ENOENT);
	/* Far away: new tree levels and nodes, all given back on failure. */
	UT_ASSERT_EQ(vm_object_populate(obj, 1ULL << 30, (1ULL << 30) + 5),
		     -ENOSPC);
	UT_ASSERT_EQ(vm_object_resident(obj), 8);
	UT_ASSERT_EQ(vm_object_populate(obj, 1ULL << 30, (1ULL << 30) + 4), 0);
	UT_ASSERT_EQ(charged, 12);
	/* Populating again turns the remaining holes into data. */
	UT_ASSERT_EQ(vm_object_populate(obj, 0, 8), 0);
	UT_ASSERT_EQ(vm_object_seek(obj, 0, 8, false), 8);
	vm_object_punch(obj, P(1), P(2));
	UT_ASSERT_EQ(vm_object_seek(obj, 0, 8, false), 1);
	UT_ASSERT_EQ(charged, 11);
	vm_object_put(obj);
	UT_ASSERT_EQ(charged, 0);
	UT_ASSERT_EQ(page_count_free(), free0);
}

static void test_object_lifetime(void)
{
	struct vma_set s;
	struct vm_object *obj;
	struct vma *v;
	LIST_HEAD(out);

	unit_mem_init(64);
	released = opens = closes = 0;
	obj = vm_object_create(P(8));
	vm_object_set_ops(obj, &watched_ops, NULL);
	vma_set_init(&s);
	v = vma_insert(&s, vma_create(P(10), P(18), RW, RWX, VMA_SHARED,
				      obj, 0));
	UT_ASSERT(obj_page(obj, 3));
	vm_object_put(obj);		/* like IPC_RMID: only the VMA is left */
	UT_ASSERT_EQ(released, 0);
	UT_ASSERT_EQ(opens, 1);
	/* Split pieces of a watched object never merge back (shm nattch). */
	UT_ASSERT(vma_split(&s, v, P(14)));
	UT_ASSERT_EQ(vm_object_nattach(obj), 2);
	UT_ASSERT_EQ(opens, 2);
	vma_merge(&s, v);
	UT_ASSERT_EQ(s.count, 2);
	UT_ASSERT_EQ(vma_detach_range(&s, P(10), P(14), &out), 0);
	drain(&out);
	UT_ASSERT_EQ(closes, 1);
	UT_ASSERT_EQ(released, 0);
	set_free(&s);			/* last attachment: everything goes */
	UT_ASSERT_EQ(closes, 2);
	UT_ASSERT_EQ(released, 1);
}

/* ---- Random operations against a page model ------------------------- */

#define MODEL_PAGES 64
#define UNMAPPED    0xff

static void model_check(struct vma_set *s, const uint8_t *model)
{
	check_set(s);
	for (unsigned int p = 0; p < MODEL_PAGES; p++) {
		struct vma *v = vma_find(s, P(p));
		uint8_t got = (v && v->start <= P(p)) ? v->prot : UNMAPPED;

		if (got != model[p])
			unit_fail(__FILE__, __LINE__, "page %u: prot %u, model %u",
				  p, got, model[p]);
	}
}

static void nop_apply(struct vma *v, unsigned int old, void *arg) {}
static const struct vma_protect_ops nop_ops = { .apply = nop_apply };

static void test_random_model(void)
{
	struct vma_set s;
	uint8_t model[MODEL_PAGES];

	vma_set_init(&s);
	memset(model, UNMAPPED, sizeof(model));
	for (int i = 0; i < 20000; i++) {
		unsigned int a = unit_rand_below(MODEL_PAGES);
		unsigned int b = a + 1 + unit_rand_below(MODEL_PAGES - a);
		unsigned int prot = unit_rand_below(4);
		LIST_HEAD(out);
		int err, op = unit_rand_below(3);

		if (op == 0) {
			map_fixed(&s, P(a), P(b), prot);
			memset(model + a, prot, b - a);
		} else if (op == 1) {
			UT_ASSERT_EQ(vma_detach_range(&s, P(a), P(b), &out), 0);
			drain(&out);
			memset(model + a, UNMAPPED, b - a);
		} else {
			unsigned int p = a;

			err = vma_protect(&s, P(a), P(b), prot, &nop_ops, NULL);
			while (p < b && model[p] != UNMAPPED)
				model[p++] = prot;
			UT_ASSERT_EQ(err, p == b ? 0 : -ENOMEM);
		}
		model_check(&s, model);
	}
	set_free(&s);
}

UNIT_MAIN(UNIT_CASE(test_insert_find), UNIT_CASE(test_insert_merges),
	  UNIT_CASE(test_file_anon_merges),
	  UNIT_CASE(test_split_middle), UNIT_CASE(test_detach_pieces),
	  UNIT_CASE(test_detach_many), UNIT_CASE(test_map_fixed_replace),
	  UNIT_CASE(test_protect_split_merge), UNIT_CASE(test_protect_errors),
	  UNIT_CASE(test_protect_admit),
	  UNIT_CASE(test_gap_topdown), UNIT_CASE(test_split_limit),
	  UNIT_CASE(test_object_pages), UNIT_CASE(test_object_resize),
	  UNIT_CASE(test_object_populate), UNIT_CASE(test_object_lifetime),
	  UNIT_CASE(test_random_model))
