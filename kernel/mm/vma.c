/*
 * The ordered set of virtual memory areas of an address space: lookup,
 * split, merge, range removal, the mprotect walk and top-down gap search.
 * Pure bookkeeping with no page-table or CPU knowledge (see vma.h), so the
 * same file is unit-tested on the host. Callers hold mm->lock.
 */
#include <types.h>
#include <lib/list.h>
#include <lib/printk.h>
#include <mm/kmalloc.h>
#include <mm/layout.h>
#include <mm/vm_object.h>
#include <fs/file.h>
#include <uapi/errno.h>
#include "vma.h"

void vma_set_init(struct vma_set *s)
{
	list_init(&s->list);
	s->count = 0;
	s->cache = NULL;
}

struct vma *vma_create(uint64_t start, uint64_t end, unsigned int prot,
		       unsigned int maxprot, unsigned int flags,
		       struct vm_object *obj, uint64_t pgoff)
{
	struct vma *v = kzalloc(sizeof(*v));

	if (!v)
		return NULL;
	list_init(&v->link);
	v->start = start;
	v->end = end;
	v->prot = prot;
	v->maxprot = maxprot;
	v->flags = flags;
	v->obj = obj;
	v->pgoff = pgoff;
	list_init(&v->obj_link);
	if (obj)
		vm_object_attach(obj, v);
	return v;
}

struct vma *vma_clone(const struct vma *v, uint64_t start, uint64_t end)
{
	struct vma *n = vma_create(start, end, v->prot, v->maxprot, v->flags,
				   v->obj, v->pgoff +
				   ((start - v->start) >> PAGE_SHIFT));

	if (n) {
		n->mm = v->mm;
		vma_set_file(n, v->file);
	}
	return n;
}

void vma_set_file(struct vma *v, struct file *f)
{
	if (f)
		file_get(f);
	file_put(v->file);
	v->file = f;
}

void vma_destroy(struct vma *v)
{
	BUG_ON(!list_empty(&v->link));
	if (v->obj)
		vm_object_detach(v->obj, v);
	file_put(v->file);
	kfree(v);
}

struct vma *vma_first(struct vma_set *s)
{
	if (list_empty(&s->list))
		return NULL;
	return list_first_entry(&s->list, struct vma, link);
}

struct vma *vma_next(struct vma_set *s, struct vma *v)
{
	if (v->link.next == &s->list)
		return NULL;
	return list_entry(v->link.next, struct vma, link);
}

struct vma *vma_prev(struct vma_set *s, struct vma *v)
{
	if (v->link.prev == &s->list)
		return NULL;
	return list_entry(v->link.prev, struct vma, link);
}

struct vma *vma_find(struct vma_set *s, uint64_t addr)
{
	struct vma *v = s->cache;

	if (v && v->start <= addr && addr < v->end)
		return v;
	list_for_each_entry(v, &s->list, link) {
		if (v->end > addr) {
			s->cache = v;
			return v;
		}
	}
	return NULL;
}

struct vma *vma_find_intersection(struct vma_set *s, uint64_t start,
				  uint64_t end)
{
	struct vma *v = vma_find(s, start);

	return v && v->start < end ? v : NULL;
}

/* Unlink v from the set (it is not freed). */
static void vma_unlink(struct vma_set *s, struct vma *v)
{
	if (s->cache == v)
		s->cache = NULL;
	list_del(&v->link);
	s->count--;
}

struct vma *vma_split(struct vma_set *s, struct vma *v, uint64_t addr)
{
	struct vma *n;

	BUG_ON(addr <= v->start || addr >= v->end || !IS_ALIGNED(addr, PAGE_SIZE));
	if (s->count >= VMA_MAX_COUNT)
		return NULL;
	n = vma_clone(v, addr, v->end);
	if (!n)
		return NULL;
	v->end = addr;
	list_add(&n->link, &v->link);
	s->count++;
	return n;
}

int vma_split_at(struct vma_set *s, uint64_t addr)
{
	struct vma *v = vma_find(s, addr);

	if (!v || v->start >= addr)
		return 0;
	return vma_split(s, v, addr) ? 0 : -ENOMEM;
}

/*
 * Whether b can be absorbed into a, which ends where b starts. As in
 * Linux, areas of objects whose owner watches each VMA (ops->close, e.g.
 * shm, whose nattch counts VMAs) are never merged.
 */
static bool vma_compatible(const struct vma *a, const struct vma *b)
{
	const struct vm_object_ops *ops;

	if (a->end != b->start || a->prot != b->prot ||
	    a->maxprot != b->maxprot || a->flags != b->flags ||
	    a->obj != b->obj || a->file != b->file)
		return false;
	if (!a->obj && !a->file)
		return true;		/* anonymous memory: no offsets */
	ops = a->obj ? vm_object_ops(a->obj) : NULL;
	if (ops && ops->close)
		return false;
	return a->pgoff + ((a->end - a->start) >> PAGE_SHIFT) == b->pgoff;
}

/* Absorb b (following a) into a and free b. */
static void vma_absorb(struct vma_set *s, struct vma *a, struct vma *b)
{
	a->end = b->end;
	vma_unlink(s, b);
	vma_destroy(b);
}

struct vma *vma_merge(struct vma_set *s, struct vma *v)
{
	struct vma *prev = vma_prev(s, v), *next = vma_next(s, v);

	if (next && vma_compatible(v, next))
		vma_absorb(s, v, next);
	if (prev && vma_compatible(prev, v)) {
		vma_absorb(s, prev, v);
		v = prev;
	}
	return v;
}

int vma_detach_range(struct vma_set *s, uint64_t start, uint64_t end,
		     struct list_head *out)
{
	struct vma *v, *next;

	if (vma_split_at(s, start) < 0)
		return -ENOMEM;
	if (vma_split_at(s, end) < 0) {
		/* Undo the first split so that failure changes nothing. */
		v = vma_find(s, start);
		if (v && v->start == start && vma_prev(s, v))
			vma_merge(s, v);
		return -ENOMEM;
	}
	for (v = vma_find(s, start); v && v->start < end; v = next) {
		next = vma_next(s, v);
		vma_unlink(s, v);
		list_add_tail(&v->link, out);
	}
	return 0;
}

struct vma *vma_insert(struct vma_set *s, struct vma *v)
{
	struct vma *after = vma_find(s, v->start);

	BUG_ON(v->start >= v->end);
	BUG_ON(after && after->start < v->end);
	if (after)
		list_add_tail(&v->link, &after->link);	/* just before it */
	else
		list_add_tail(&v->link, &s->list);
	s->count++;
	return vma_merge(s, v);
}

bool vma_range_mapped(struct vma_set *s, uint64_t start, uint64_t end)
{
	struct vma *v = vma_find(s, start);

	while (start < end) {
		if (!v || v->start > start)
			return false;
		start = v->end;
		v = vma_next(s, v);
	}
	return true;
}

/* Merge the areas that overlap [start, end] with their neighbours. */
static void vma_merge_range(struct vma_set *s, uint64_t start, uint64_t end)
{
	struct vma *v = vma_find(s, start ? start - 1 : 0);

	while (v && v->start <= end) {
		v = vma_merge(s, v);
		v = vma_next(s, v);
	}
}

int vma_protect(struct vma_set *s, uint64_t start, uint64_t end,
		unsigned int prot, const struct vma_protect_ops *ops,
		void *arg)
{
	uint64_t pos = start;
	struct vma *v = vma_find(s, start);
	unsigned int old;
	int err = 0;

	if (!v || v->start > start)
		return -ENOMEM;
	while (pos < end) {
		if (!v || v->start > pos) {
			err = -ENOMEM;
			break;
		}
		if (prot & ~v->maxprot) {
			err = -EACCES;
			break;
		}
		if (v->prot != prot) {
			if (ops->admit && (err = ops->admit(v, pos,
					MIN(v->end, end), prot, arg)))
				break;
			if ((v->start < pos && !(v = vma_split(s, v, pos))) ||
			    (v->end > end && !vma_split(s, v, end))) {
				err = -ENOMEM;
				break;
			}
			old = v->prot;
			v->prot = prot;
			ops->apply(v, old, arg);
		}
		pos = MIN(v->end, end);
		v = vma_next(s, v);
	}
	vma_merge_range(s, start, pos);
	return err;
}

bool vma_find_gap(struct vma_set *s, uint64_t len, uint64_t low,
		  uint64_t high, uint64_t *addr)
{
	struct vma *v = list_empty(&s->list) ? NULL :
		list_entry(s->list.prev, struct vma, link);
	uint64_t top = high, bottom;

	if (len == 0 || high < low || len > high - low)
		return false;
	/* Gaps from the highest down: [end of v, top) with v walking down. */
	for (;; v = vma_prev(s, v)) {
		bottom = v ? MAX(v->end, low) : low;
		if (top > bottom && top - bottom >= len) {
			*addr = top - len;
			return true;
		}
		if (!v || v->start <= low)
			return false;
		top = MIN(top, v->start);
	}
}
