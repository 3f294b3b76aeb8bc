/*
 * The System V IPC id table and permission rules (see util.h). The table
 * is an array of slots that grows by doubling up to IPCMNI, so the
 * namespace limits (thousands of ids) cost memory only when used.
 */
#include <types.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <ipc/ipc.h>
#include <mm/kmalloc.h>
#include <proc/sched.h>
#include <proc/task.h>
#include <uapi/errno.h>
#include "util.h"

#define FIRST_CAPACITY	16

void ipc_init(void)
{
	shm_init();
	msg_init();
	sem_init();
}

void ipc_ids_init(struct ipc_ids *ids, const char *name)
{
	memset(ids, 0, sizeof(*ids));
	mutex_init(&ids->lock, name);
	ids->max_idx = -1;
	ids->last_idx = -1;
}

/* Room for index idx; -ENOMEM. */
static int ids_grow(struct ipc_ids *ids, unsigned int idx)
{
	unsigned int cap = ids->capacity ? ids->capacity : FIRST_CAPACITY;
	struct kern_ipc_perm **slot;

	while (cap <= idx)
		cap *= 2;
	cap = MIN(cap, (unsigned int)IPCMNI);
	slot = kzalloc(cap * sizeof(*slot));
	if (!slot)
		return -ENOMEM;
	if (ids->slot)
		memcpy(slot, ids->slot, ids->capacity * sizeof(*slot));
	kfree(ids->slot);
	ids->slot = slot;
	ids->capacity = cap;
	return 0;
}

/*
 * The index for a new object, as Linux 6.1's ipc_idr_alloc: the first
 * free one after the last given out, cycling through
 * max(in_use * 3 / 2, 64) slots (so a freed id is not reused at once),
 * from 0 again when none is free there.
 */
static int ids_free_index(const struct ipc_ids *ids)
{
	unsigned int range = MIN(MAX(ids->in_use * 3 / 2, 64U),
				 (unsigned int)IPCMNI);

	for (unsigned int n = 0; n < range; n++) {
		unsigned int i = (unsigned int)(ids->last_idx + 1 + (int)n) %
				 range;

		if (i >= ids->capacity || !ids->slot[i])
			return (int)i;
	}
	return -1;
}

int ipc_addid(struct ipc_ids *ids, struct kern_ipc_perm *p, key_t key,
	      int flg, unsigned int limit)
{
	int idx;

	mutex_assert_held(&ids->lock);
	if (ids->in_use >= MIN(limit, (unsigned int)IPCMNI))
		return -ENOSPC;
	idx = ids_free_index(ids);
	if (idx < 0)
		return -ENOSPC;
	if ((unsigned int)idx >= ids->capacity && ids_grow(ids, idx) < 0)
		return -ENOMEM;
	/* A new sequence only when an index is reused, as Linux does. */
	if (idx <= ids->last_idx && ++ids->seq > IPCID_SEQ_MAX)
		ids->seq = 0;
	ids->last_idx = idx;
	p->seq = (uint16_t)ids->seq;
	p->id = (int)(ids->seq << IPCMNI_SHIFT) + idx;
	p->key = key;
	p->uid = p->cuid = current->cred.euid;
	p->gid = p->cgid = current->cred.egid;
	p->mode = (mode_t)flg & 0777;
	ids->slot[idx] = p;
	ids->in_use++;
	ids->max_idx = MAX(ids->max_idx, idx);
	return p->id;
}

void ipc_rmid(struct ipc_ids *ids, struct kern_ipc_perm *p)
{
	int idx = p->id & (IPCMNI - 1);

	BUG_ON(ids->slot[idx] != p);
	ids->slot[idx] = NULL;
	ids->in_use--;
	p->key = IPC_PRIVATE;
	while (ids->max_idx >= 0 && !ids->slot[ids->max_idx])
		ids->max_idx--;
	if (ids->in_use == 0) {		/* an empty table costs nothing */
		kfree(ids->slot);
		ids->slot = NULL;
		ids->capacity = 0;
	}
}

struct kern_ipc_perm *ipc_findkey(struct ipc_ids *ids, key_t key)
{
	mutex_assert_held(&ids->lock);
	for (int i = 0; i <= ids->max_idx; i++)
		if (ids->slot[i] && ids->slot[i]->key == key)
			return ids->slot[i];
	return NULL;
}

struct kern_ipc_perm *ipc_obtain_idx(struct ipc_ids *ids, int idx)
{
	mutex_assert_held(&ids->lock);
	idx &= IPCMNI - 1;		/* Linux's ipcid_to_idx */
	if (idx > ids->max_idx)
		return NULL;
	return ids->slot[idx];
}

struct kern_ipc_perm *ipc_obtain(struct ipc_ids *ids, int id)
{
	struct kern_ipc_perm *p;

	mutex_assert_held(&ids->lock);
	if (id < 0)
		return NULL;
	p = ipc_obtain_idx(ids, id & (IPCMNI - 1));
	return p && p->id == id ? p : NULL;
}

int ipc_max_idx(struct ipc_ids *ids)
{
	return MAX(ids->max_idx, 0);
}

int ipcget(struct ipc_ids *ids, const struct ipc_get_ops *ops,
	   struct ipc_params *params)
{
	struct kern_ipc_perm *p;
	int err;

	mutex_lock(&ids->lock);
	p = params->key == IPC_PRIVATE ? NULL :
		ipc_findkey(ids, params->key);
	if (!p) {
		if (params->key != IPC_PRIVATE && !(params->flg & IPC_CREAT))
			err = -ENOENT;
		else
			err = ops->getnew(params);
	} else if ((params->flg & IPC_CREAT) && (params->flg & IPC_EXCL)) {
		err = -EEXIST;
	} else {
		err = ops->more_checks ? ops->more_checks(p, params) : 0;
		if (!err)
			err = ipcperms(p, params->flg);
		if (!err)
			err = p->id;
	}
	mutex_unlock(&ids->lock);
	return err;
}

int ipcperms(const struct kern_ipc_perm *p, int flg)
{
	const struct cred *c = &current->cred;
	unsigned int requested = (unsigned int)(flg >> 6 | flg >> 3 | flg);
	unsigned int granted = p->mode;

	if (c->euid == p->cuid || c->euid == p->uid)
		granted >>= 6;
	else if (cred_in_group(c, p->cgid) || cred_in_group(c, p->gid))
		granted >>= 3;
	/* Root stands in for CAP_IPC_OWNER. */
	if ((requested & ~granted & 07) && c->euid != 0)
		return -EACCES;
	return 0;
}

bool ipc_may_change(const struct kern_ipc_perm *p)
{
	uid_t euid = current->cred.euid;

	return euid == 0 || euid == p->uid || euid == p->cuid;
}

int ipc_set_perm(struct kern_ipc_perm *p, const struct ipc64_perm *in)
{
	if (in->uid == (uid_t)-1 || in->gid == (gid_t)-1)
		return -EINVAL;		/* no such id (Linux's uid_valid) */
	p->uid = in->uid;
	p->gid = in->gid;
	p->mode = (p->mode & ~0777U) | (in->mode & 0777);
	return 0;
}

void ipc_fill_perm(const struct kern_ipc_perm *p, struct ipc64_perm *out)
{
	memset(out, 0, sizeof(*out));
	out->key = p->key;
	out->uid = p->uid;
	out->gid = p->gid;
	out->cuid = p->cuid;
	out->cgid = p->cgid;
	out->mode = p->mode;
	out->seq = p->seq;
}

pid_t ipc_caller_pid(void)
{
	return current->tgid;
}

int64_t ipc_now(void)
{
	return (int64_t)(clock_realtime_ns() / 1000000000ULL);
}
