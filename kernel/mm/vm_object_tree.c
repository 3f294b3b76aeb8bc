/*
 * A memory object's pages (mm/vm_object.h): the page tree, looking pages
 * up and filling them, and the operations on ranges of them (truncate,
 * punch, fallocate, SEEK_DATA/SEEK_HOLE). The object itself, its
 * references and its mappings are vm_object.c's.
 *
 * The pages hang off a radix tree of 64-slot nodes that grows in height
 * as higher indices are used, so a sparse object (a 1 TiB file with a few
 * pages written, a big shm segment of which a few pages are touched)
 * costs memory only for what is used. Interior nodes point to nodes; the
 * bottom level points to struct page. Every page in the tree holds one
 * page reference owned by the object and has page->owner set to it;
 * page-table entries that map it hold their own.
 *
 * A bottom-level slot may carry SLOT_UNWRITTEN in bit 0 of the pointer: a
 * page that vm_object_populate (fallocate) allocated and nothing has
 * written or mapped since. It reads as zeros and counts as resident, but
 * SEEK_DATA takes it for a hole, as Linux does with its fallocated,
 * !Uptodate shmem folios; a lookup with VMO_ALLOC (write, fault) clears
 * the bit. Only this file sees slots: always go through slot_page().
 *
 * obj->lock guards the tree, size and resident count.
 */
#include <types.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/page.h>
#include <mm/vm_object.h>
#include <proc/sched.h>
#include <uapi/errno.h>
#include "vm_internal.h"

#define NODE_SHIFT	6
#define NODE_SLOTS	(1U << NODE_SHIFT)
#define MAX_HEIGHT	9		/* 54 bits of page index */

struct obj_node {
	void *slot[NODE_SLOTS];		/* struct obj_node *, or struct page * */
};

#define SLOT_UNWRITTEN	1UL

static struct page *slot_page(void *slot)
{
	return (struct page *)((uintptr_t)slot & ~SLOT_UNWRITTEN);
}

static bool slot_unwritten(void *slot)
{
	return (uintptr_t)slot & SLOT_UNWRITTEN;
}

/* Indices below 64^height fit; height 0 is the empty tree. */
static bool tree_fits(const struct vm_object *obj, uint64_t index)
{
	return obj->height >= MAX_HEIGHT || (obj->height > 0 &&
	       index < (1ULL << (NODE_SHIFT * obj->height)));
}

/* The page leaves the object: its owner and the object's reference go. */
static void object_page_release(struct page *pg)
{
	pg->owner = NULL;
	page_put(pg);
}

/* Free a subtree at `level` (0: its slots are pages) and its pages. */
static void node_free(struct obj_node *n, unsigned int level)
{
	for (unsigned int i = 0; i < NODE_SLOTS; i++) {
		if (!n->slot[i])
			continue;
		if (level == 0)
			object_page_release(slot_page(n->slot[i]));
		else
			node_free(n->slot[i], level - 1);
	}
	kfree(n);
}

void vm_object_free_tree(struct vm_object *obj)
{
	if (obj->root)
		node_free(obj->root, obj->height - 1);
}

/* ---- Looking pages up ------------------------------------------------- */

/*
 * The bottom-level slot for index. With create, missing nodes (and tree
 * height) are added; NULL then means out of memory. Without, NULL means
 * the page is absent. Caller holds obj->lock.
 */
static void **object_slot(struct vm_object *obj, uint64_t index, bool create)
{
	void **slot;

	mutex_assert_held(&obj->lock);
	while (!tree_fits(obj, index)) {
		if (!create)
			return NULL;
		if (obj->root) {	/* the old tree becomes slot 0 */
			struct obj_node *n = kzalloc(sizeof(*n));

			if (!n)
				return NULL;
			n->slot[0] = obj->root;
			obj->root = n;
		}
		obj->height++;
	}
	slot = (void **)&obj->root;
	for (int level = (int)obj->height - 1; level >= 0; level--) {
		struct obj_node *n = *slot;

		if (!n) {
			if (!create)
				return NULL;
			n = kzalloc(sizeof(*n));
			if (!n)
				return NULL;
			*slot = n;
		}
		slot = &n->slot[(index >> (level * NODE_SHIFT)) &
				(NODE_SLOTS - 1)];
	}
	return slot;
}

/* A zeroed page for slot, charged to the owner; 0 or -errno. obj->lock. */
static int object_fill(struct vm_object *obj, void **slot)
{
	struct page *pg;
	int err;

	if (obj->ops && obj->ops->charge) {
		err = obj->ops->charge(obj, 1);
		if (err)
			return err;
	}
	pg = alloc_pages_flags(0, ALLOC_ZERO | ALLOC_USER);	/* file data */
	if (!pg) {
		if (obj->ops && obj->ops->charge)
			obj->ops->charge(obj, -1);
		return -ENOMEM;
	}
	pg->owner = obj;
	*slot = pg;
	obj->nr_resident++;
	return 0;
}

int vm_object_page(struct vm_object *obj, uint64_t index, unsigned int flags,
		   struct page **out)
{
	void **slot;
	int err = 0;

	mutex_lock(&obj->lock);
	if ((flags & VMO_IN_SIZE) &&
	    index >= ALIGN_UP(obj->size, PAGE_SIZE) >> PAGE_SHIFT) {
		err = -ENXIO;
		goto out;
	}
	slot = object_slot(obj, index, flags & VMO_ALLOC);
	if (!slot) {
		err = (flags & VMO_ALLOC) ? -ENOMEM : -ENOENT;
		goto out;
	}
	if (!*slot) {
		if (!(flags & VMO_ALLOC))
			err = -ENOENT;
		else
			err = object_fill(obj, slot);
	}
	if (!err) {
		if (flags & VMO_ALLOC)
			*slot = slot_page(*slot);	/* written from now on */
		*out = slot_page(*slot);
		page_get(*out);
	}
out:
	mutex_unlock(&obj->lock);
	return err;
}

void vm_object_lookup_range(struct vm_object *obj, uint64_t index, size_t n,
			    struct page **pages)
{
	uint64_t end;

	mutex_lock(&obj->lock);
	end = ALIGN_UP(obj->size, PAGE_SIZE) >> PAGE_SHIFT;
	for (size_t i = 0; i < n; i++) {
		void **slot = index + i < end ?
			object_slot(obj, index + i, false) : NULL;

		/* An unwritten (fallocated) page is left to a real fault,
		 * which marks it written before it is mapped. */
		pages[i] = slot && !slot_unwritten(*slot) ? *slot : NULL;
		if (pages[i])
			page_get(pages[i]);
	}
	mutex_unlock(&obj->lock);
}

/* ---- Truncate, punch, fallocate --------------------------------------- */

/*
 * Take the pages of [first, last) out of the subtree n (at level, first
 * index base) onto list `gone` (only the SLOT_UNWRITTEN ones if
 * unwritten), freeing nodes that become empty; true if n is now empty.
 * Caller holds obj->lock.
 */
static bool node_cut(struct vm_object *obj, struct obj_node *n,
		     unsigned int level, uint64_t base, uint64_t first,
		     uint64_t last, bool unwritten, struct list_head *gone)
{
	uint64_t span = 1ULL << (NODE_SHIFT * level);
	bool empty = true;

	mutex_assert_held(&obj->lock);
	for (unsigned int i = 0; i < NODE_SLOTS; i++) {
		uint64_t start = base + i * span;

		if (!n->slot[i])
			continue;
		if (start + span <= first || start >= last ||
		    (level == 0 && unwritten && !slot_unwritten(n->slot[i]))) {
			empty = false;
		} else if (level == 0) {
			struct page *pg = slot_page(n->slot[i]);

			list_add_tail(&pg->list, gone);
			n->slot[i] = NULL;
			obj->nr_resident--;
		} else if (node_cut(obj, n->slot[i], level - 1, start, first,
				    last, unwritten, gone)) {
			kfree(n->slot[i]);
			n->slot[i] = NULL;
		} else {
			empty = false;
		}
	}
	return empty;
}

/* Remove pages [first, last) from the tree onto `gone` (only unwritten
 * ones if unwritten). obj->lock held. */
static void object_cut(struct vm_object *obj, uint64_t first, uint64_t last,
		       bool unwritten, struct list_head *gone)
{
	long before = (long)obj->nr_resident;

	mutex_assert_held(&obj->lock);
	if (!obj->root || first >= last)
		return;
	if (node_cut(obj, obj->root, obj->height - 1, 0, first, last,
		     unwritten, gone)) {
		kfree(obj->root);
		obj->root = NULL;
		obj->height = 0;
	}
	if (obj->ops && obj->ops->charge && before != (long)obj->nr_resident)
		obj->ops->charge(obj, (long)obj->nr_resident - before);
}

/* Zero bytes [from, to) of page index if present (within one page). */
static void object_zero_part(struct vm_object *obj, uint64_t index,
			     size_t from, size_t to)
{
	void **slot = object_slot(obj, index, false);

	if (slot && *slot && from < to)
		memset((char *)page_to_virt(slot_page(*slot)) + from, 0,
		       to - from);
}

/* Drop the object's hold on pages cut out, after mappings let go. */
static void release_list(struct list_head *gone)
{
	struct page *pg, *n;

	list_for_each_entry_safe(pg, n, gone, list) {
		list_del(&pg->list);
		object_page_release(pg);
		cond_resched();
	}
}

void vm_object_set_size(struct vm_object *obj, uint64_t size)
{
	uint64_t first = ALIGN_UP(size, PAGE_SIZE) >> PAGE_SHIFT;
	LIST_HEAD(gone);
	bool shrink;

	mutex_lock(&obj->lock);
	shrink = size < obj->size;
	if (shrink) {
		object_cut(obj, first, UINT64_MAX, false, &gone);
		if (size % PAGE_SIZE)
			object_zero_part(obj, size >> PAGE_SHIFT,
					 size % PAGE_SIZE, PAGE_SIZE);
	}
	__atomic_store_n(&obj->size, size, __ATOMIC_RELAXED);
	mutex_unlock(&obj->lock);
	/* Faults now see the new size; take out what is still mapped. */
	if (shrink)
		rmap_zap(obj, first, UINT64_MAX, true);
	release_list(&gone);
}

void vm_object_punch(struct vm_object *obj, uint64_t start, uint64_t end)
{
	uint64_t first = ALIGN_UP(start, PAGE_SIZE) >> PAGE_SHIFT;
	uint64_t last = end >> PAGE_SHIFT;
	LIST_HEAD(gone);

	if (start >= end)
		return;
	mutex_lock(&obj->lock);
	if (start % PAGE_SIZE)
		object_zero_part(obj, start >> PAGE_SHIFT, start % PAGE_SIZE,
				 MIN(PAGE_SIZE, start % PAGE_SIZE + end - start));
	if (end % PAGE_SIZE && (end >> PAGE_SHIFT) >= first)
		object_zero_part(obj, end >> PAGE_SHIFT, 0, end % PAGE_SIZE);
	object_cut(obj, first, last, false, &gone);
	mutex_unlock(&obj->lock);
	if (first < last)
		rmap_zap(obj, first, last, false);
	release_list(&gone);
}

int vm_object_populate(struct vm_object *obj, uint64_t first, uint64_t last)
{
	LIST_HEAD(gone);
	uint64_t i;
	int err = 0;

	mutex_lock(&obj->lock);
	for (i = first; i < last; i++) {
		void **slot = object_slot(obj, i, true);

		if (!slot) {
			err = -ENOMEM;
			break;
		}
		if (*slot) {
			/* There before: it is data now (Linux initialises a
			 * fallocated page met again), never undone below. */
			*slot = slot_page(*slot);
			continue;
		}
		err = object_fill(obj, slot);
		if (err)
			break;
		*slot = (void *)((uintptr_t)*slot | SLOT_UNWRITTEN);
		cond_resched();	/* obj->lock, a mutex, still keeps faults out */
	}
	/*
	 * All or nothing: the unwritten pages of [first, i] are exactly the
	 * ones added above (obj->lock kept faults out, so none is mapped);
	 * slot i is in the range only to free nodes made for it.
	 */
	if (err)
		object_cut(obj, first, i + 1, true, &gone);
	mutex_unlock(&obj->lock);
	release_list(&gone);
	return err;
}

/* ---- SEEK_DATA, SEEK_HOLE --------------------------------------------- */

/* vm_object_seek in subtree n (at level, first index base). obj->lock. */
static uint64_t node_seek(struct obj_node *n, unsigned int level,
			  uint64_t base, uint64_t index, uint64_t end, bool data)
{
	uint64_t span = 1ULL << (NODE_SHIFT * level);

	for (unsigned int i = 0; i < NODE_SLOTS && base + i * span < end;
	     i++) {
		uint64_t start = base + i * span, r;

		if (start + span <= index)
			continue;
		if (!n->slot[i]) {
			if (!data)
				return MAX(start, index);
			continue;
		}
		if (level == 0) {
			if (data != slot_unwritten(n->slot[i]))
				return MAX(start, index);
			continue;
		}
		r = node_seek(n->slot[i], level - 1, start, index, end, data);
		if (r < end)
			return r;
	}
	return end;
}

uint64_t vm_object_seek(struct vm_object *obj, uint64_t index, uint64_t end,
			bool data)
{
	uint64_t r;

	if (index >= end)
		return end;
	mutex_lock(&obj->lock);
	if (!obj->root)
		r = data ? end : index;
	else if (!tree_fits(obj, index))
		r = data ? end : index;
	else
		r = node_seek(obj->root, obj->height - 1, 0, index, end, data);
	/* Indices beyond the tree's reach are holes. */
	if (!data && r == end && obj->height < MAX_HEIGHT) {
		uint64_t reach = 1ULL << (NODE_SHIFT * obj->height);

		if (reach < end)
			r = MAX(reach, index);
	}
	mutex_unlock(&obj->lock);
	return MIN(r, end);
}
