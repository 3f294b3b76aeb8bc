/*
 * Memory objects: refcounted, lazily filled arrays of pages indexed by
 * page offset (see mm/vm_object.h for the lifetime rules).
 *
 * The pages hang off a small radix tree of 64-slot nodes, so a sparse
 * object (a large MAP_SHARED|MAP_NORESERVE area, a big shm segment of
 * which a few pages are touched) costs memory only for what is used.
 * Interior nodes point to nodes; the bottom level points to struct page.
 * Every page in the tree holds one page reference owned by the object;
 * page-table entries that map it hold their own.
 */
#include <types.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/page.h>
#include <mm/vm_object.h>
#include <sync/mutex.h>
#include "vma.h"

#define NODE_SHIFT	6
#define NODE_SLOTS	(1U << NODE_SHIFT)

struct obj_node {
	void *slot[NODE_SLOTS];		/* struct obj_node *, or struct page * */
};

struct vm_object {
	uint32_t refcount;		/* atomic */
	uint32_t nattach;		/* atomic: VMAs mapping the object */
	uint64_t npages;		/* size in pages, fixed */
	unsigned int height;		/* tree levels; root covers 64^height */
	const struct vm_object_ops *ops;	/* fixed once mapped */
	void *priv;
	struct mutex lock;		/* guards root and nr_resident */
	struct obj_node *root;
	uint64_t nr_resident;
};

struct vm_object *vm_object_create(uint64_t size)
{
	struct vm_object *obj;
	uint64_t npages = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;

	if (size == 0 || npages == 0 || npages > (1UL << 52))
		return NULL;
	obj = kzalloc(sizeof(*obj));
	if (!obj)
		return NULL;
	obj->refcount = 1;
	obj->npages = npages;
	obj->height = 1;
	while (obj->height * NODE_SHIFT < 64 &&
	       (npages - 1) >> (obj->height * NODE_SHIFT))
		obj->height++;
	mutex_init(&obj->lock, "vm_object");
	return obj;
}

void vm_object_set_ops(struct vm_object *obj, const struct vm_object_ops *ops,
		       void *priv)
{
	obj->ops = ops;
	obj->priv = priv;
}

void *vm_object_priv(const struct vm_object *obj)
{
	return obj->priv;
}

const struct vm_object_ops *vm_object_ops(const struct vm_object *obj)
{
	return obj->ops;
}

void vm_object_get(struct vm_object *obj)
{
	uint32_t old = __atomic_fetch_add(&obj->refcount, 1, __ATOMIC_RELAXED);

	BUG_ON(old == 0);
}

/* Free a subtree at `level` (0: its slots are pages) and its pages. */
static void node_free(struct obj_node *n, unsigned int level)
{
	for (unsigned int i = 0; i < NODE_SLOTS; i++) {
		if (!n->slot[i])
			continue;
		if (level == 0)
			page_put(n->slot[i]);
		else
			node_free(n->slot[i], level - 1);
	}
	kfree(n);
}

void vm_object_put(struct vm_object *obj)
{
	uint32_t old = __atomic_fetch_sub(&obj->refcount, 1, __ATOMIC_ACQ_REL);

	BUG_ON(old == 0);
	if (old != 1)
		return;
	BUG_ON(obj->nattach != 0);
	if (obj->root)
		node_free(obj->root, obj->height - 1);
	if (obj->ops && obj->ops->release)
		obj->ops->release(obj);
	kfree(obj);
}

/* The bottom-level slot for index, creating nodes; NULL without memory. */
static void **object_slot(struct vm_object *obj, uint64_t index)
{
	void **slot = (void **)&obj->root;

	for (int level = obj->height - 1; level >= 0; level--) {
		struct obj_node *n = *slot;

		if (!n) {
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

struct page *vm_object_get_page(struct vm_object *obj, uint64_t index)
{
	struct page *pg = NULL;
	void **slot;

	if (index >= obj->npages)
		return NULL;
	mutex_lock(&obj->lock);
	slot = object_slot(obj, index);
	if (slot) {
		pg = *slot;
		if (!pg) {
			pg = alloc_page_zeroed();
			if (pg) {
				*slot = pg;
				obj->nr_resident++;
			}
		}
	}
	mutex_unlock(&obj->lock);
	return pg;
}

uint64_t vm_object_size(const struct vm_object *obj)
{
	return obj->npages << PAGE_SHIFT;
}

unsigned int vm_object_nattach(const struct vm_object *obj)
{
	return __atomic_load_n(&obj->nattach, __ATOMIC_RELAXED);
}

uint64_t vm_object_resident(const struct vm_object *obj)
{
	return __atomic_load_n(&obj->nr_resident, __ATOMIC_RELAXED);
}

/* A new VMA maps obj: it owns one reference and counts as an attachment. */
void vm_object_attach(struct vm_object *obj)
{
	vm_object_get(obj);
	__atomic_fetch_add(&obj->nattach, 1, __ATOMIC_RELAXED);
	if (obj->ops && obj->ops->open)
		obj->ops->open(obj);
}

void vm_object_detach(struct vm_object *obj)
{
	__atomic_fetch_sub(&obj->nattach, 1, __ATOMIC_RELAXED);
	if (obj->ops && obj->ops->close)
		obj->ops->close(obj);
	vm_object_put(obj);
}
