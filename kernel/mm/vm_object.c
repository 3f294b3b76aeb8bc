/*
 * Memory objects: refcounted, lazily filled arrays of pages indexed by
 * page offset (see mm/vm_object.h for the lifetime rules). One object
 * holds a tmpfs file's data, a shared anonymous mapping or a shm segment.
 * This file owns an object's life (creation, references, the last put),
 * its owner's hooks and attributes, and the list of VMAs that map it;
 * the pages themselves, and every operation on them, are in
 * vm_object_tree.c.
 *
 * obj->lock guards the tree, size and resident count; obj->map_lock (a
 * spinlock, innermost) guards the list of VMAs mapping the object, which
 * rmap.c walks to take pages out of every mapping.
 */
#include <types.h>
#include <lib/printk.h>
#include <mm/kmalloc.h>
#include <mm/vm_object.h>
#include <uapi/mman.h>
#include "vm_internal.h"

struct vm_object *vm_object_create(uint64_t size)
{
	static uint64_t next_serial = 1;	/* atomic */
	struct vm_object *obj;

	if (size > (uint64_t)INT64_MAX)
		return NULL;
	obj = kzalloc(sizeof(*obj));
	if (!obj)
		return NULL;
	obj->refcount = 1;
	obj->size = size;
	obj->serial = __atomic_fetch_add(&next_serial, 1, __ATOMIC_RELAXED);
	mutex_init(&obj->lock, "vm_object");
	spin_init(&obj->map_lock, "vm_object_maps");
	list_init(&obj->mappings);
	return obj;
}

struct vm_object *vm_object_create_anon(uint64_t size)
{
	static uint64_t next_ino = 1;	/* atomic */
	struct vm_object *obj = vm_object_create(size);

	if (obj)
		obj->anon_ino = __atomic_fetch_add(&next_ino, 1,
						   __ATOMIC_RELAXED);
	return obj;
}

uint64_t vm_object_anon_ino(const struct vm_object *obj)
{
	return obj->anon_ino;
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

void vm_object_put(struct vm_object *obj)
{
	uint32_t old = __atomic_fetch_sub(&obj->refcount, 1, __ATOMIC_ACQ_REL);

	BUG_ON(old == 0);
	if (old != 1)
		return;
	BUG_ON(obj->nattach != 0);
	vm_object_free_tree(obj);
	if (obj->nr_resident && obj->ops && obj->ops->charge)
		obj->ops->charge(obj, -(long)obj->nr_resident);
	if (obj->ops && obj->ops->release)
		obj->ops->release(obj);
	kfree(obj);
}

uint64_t vm_object_size(const struct vm_object *obj)
{
	return __atomic_load_n(&obj->size, __ATOMIC_RELAXED);
}

unsigned int vm_object_nattach(const struct vm_object *obj)
{
	return __atomic_load_n(&obj->nattach, __ATOMIC_RELAXED);
}

unsigned int vm_object_writable_maps(const struct vm_object *obj)
{
	return __atomic_load_n(&obj->nr_writable, __ATOMIC_RELAXED);
}

uint64_t vm_object_resident(const struct vm_object *obj)
{
	return __atomic_load_n(&obj->nr_resident, __ATOMIC_RELAXED);
}

void vm_object_set_name(struct vm_object *obj, const char *name)
{
	obj->name = name;
}

const char *vm_object_name(const struct vm_object *obj)
{
	return obj->name;
}

unsigned int vm_object_seals(const struct vm_object *obj)
{
	return __atomic_load_n(&obj->seals, __ATOMIC_RELAXED);
}

void vm_object_set_seals(struct vm_object *obj, unsigned int seals)
{
	__atomic_store_n(&obj->seals, seals, __ATOMIC_RELAXED);
}

/* Shared and writable through mprotect: counts against F_SEAL_WRITE. */
static bool vma_writable_shared(const struct vma *v)
{
	return (v->flags & VMA_SHARED) && (v->maxprot & PROT_WRITE);
}

/* A new VMA maps obj: it owns one reference and counts as an attachment. */
void vm_object_attach(struct vm_object *obj, struct vma *v)
{
	vm_object_get(obj);
	__atomic_fetch_add(&obj->nattach, 1, __ATOMIC_RELAXED);
	if (vma_writable_shared(v))
		__atomic_fetch_add(&obj->nr_writable, 1, __ATOMIC_RELAXED);
	spin_lock(&obj->map_lock);
	list_add_tail(&v->obj_link, &obj->mappings);
	spin_unlock(&obj->map_lock);
	if (obj->ops && obj->ops->open)
		obj->ops->open(obj);
}

void vm_object_detach(struct vm_object *obj, struct vma *v)
{
	spin_lock(&obj->map_lock);
	list_del(&v->obj_link);
	spin_unlock(&obj->map_lock);
	if (vma_writable_shared(v))
		__atomic_fetch_sub(&obj->nr_writable, 1, __ATOMIC_RELAXED);
	__atomic_fetch_sub(&obj->nattach, 1, __ATOMIC_RELAXED);
	if (obj->ops && obj->ops->close)
		obj->ops->close(obj);
	vm_object_put(obj);
}
