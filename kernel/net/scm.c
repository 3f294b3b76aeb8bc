/*
 * What AF_UNIX messages carry beside data (struct unix_scm): passed
 * files (SCM_RIGHTS) and credentials. Each passed file holds a reference
 * while in flight; a passed socket's file also counts in its socket's
 * inflight, which the garbage collector (unix_gc.c) compares with the
 * file's references to find sockets only messages keep alive.
 */
#include "unix.h"
#include <lib/string.h>
#include <mm/kmalloc.h>

void unix_scm_free(struct unix_scm *scm)
{
	if (!scm)
		return;
	for (unsigned int i = 0; i < scm->nfiles; i++)
		file_put(scm->files[i]);
	kfree(scm);
}

/* Sockets in flight, all told: the GC has nothing to do at 0. */
static unsigned long inflight_total;	/* unix_wq.lock */

void unix_scm_inflight(struct unix_scm *scm, int delta)
{
	spin_assert_held(&unix_wq.lock);
	for (unsigned int i = 0; i < scm->nfiles; i++) {
		struct unix_sock *u = unix_of_file(scm->files[i]);

		if (u) {
			u->inflight += (unsigned int)delta;
			inflight_total += (unsigned long)delta;
		}
	}
}

bool unix_inflight_any(void)
{
	return __atomic_load_n(&inflight_total, __ATOMIC_RELAXED) != 0;
}

struct unix_scm *unix_scm_dup(const struct unix_scm *scm)
{
	size_t size = sizeof(*scm) + scm->nfiles * sizeof(scm->files[0]);
	struct unix_scm *copy = kmalloc(size);

	if (!copy)
		return NULL;
	memcpy(copy, scm, size);
	for (unsigned int i = 0; i < copy->nfiles; i++)
		file_get(copy->files[i]);
	return copy;
}
