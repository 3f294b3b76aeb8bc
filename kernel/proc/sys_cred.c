/*
 * Credentials: the get*id and set*id system calls on current->cred.
 *
 * The rules are Linux's (kernel/sys.c) with capabilities reduced to their
 * traditional meaning: a task holds CAP_SETUID and CAP_SETGID exactly when
 * its effective uid is 0. That matches Linux's own uid-0 emulation
 * (cap_emulate_setxuid) for every sequence of these calls. There is no
 * separate fsuid/fsgid: Linux sets it to the effective id in every call
 * here, and file access in Basalt checks the effective id.
 *
 * Credentials belong to one task and only that task changes them, so no
 * lock is needed. POSIX wants set*id to act on the whole process; C
 * libraries do that themselves by running the call in every thread, as
 * on Linux, where credentials are also per-thread at the system-call
 * level. Supplementary groups (setgroups/getgroups) are an immutable,
 * shared array, replaced whole by setgroups as Linux's group_info is;
 * permission checks consult them through cred_in_group.
 */
#include <types.h>
#include <uapi/errno.h>
#include <mm/uaccess.h>
#include <proc/task.h>
#include <proc/prctl.h>
#include <mm/kmalloc.h>
#include <syscall/syscall.h>

#define ID_UNCHANGED ((uint32_t)-1)	/* "leave this id alone" */

static bool capable_setid(const struct cred *c)
{
	return c->euid == 0;
}

SYSCALL_DEFINE0(getuid) { return current->cred.uid; }
SYSCALL_DEFINE0(geteuid) { return current->cred.euid; }
SYSCALL_DEFINE0(getgid) { return current->cred.gid; }
SYSCALL_DEFINE0(getegid) { return current->cred.egid; }

/* Linux stops at the first failing put_user. */
static long put_res_ids(uint32_t r, uint32_t e, uint32_t s,
			uint32_t __user *rp, uint32_t __user *ep,
			uint32_t __user *sp)
{
	if (put_user(r, rp) || put_user(e, ep) || put_user(s, sp))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE3(getresuid, uid_t __user *, ruid, uid_t __user *, euid,
		uid_t __user *, suid)
{
	const struct cred *c = &current->cred;

	return put_res_ids(c->uid, c->euid, c->suid, ruid, euid, suid);
}

SYSCALL_DEFINE3(getresgid, gid_t __user *, rgid, gid_t __user *, egid,
		gid_t __user *, sgid)
{
	const struct cred *c = &current->cred;

	return put_res_ids(c->gid, c->egid, c->sgid, rgid, egid, sgid);
}

/*
 * setuid/setgid: privileged, all three ids change; otherwise only the
 * effective id, and only to the real or saved id. -1 is never a valid id.
 */
SYSCALL_DEFINE1(setuid, uid_t, uid)
{
	struct cred *c = &current->cred;

	if (uid == ID_UNCHANGED)
		return -EINVAL;
	if (capable_setid(c))
		c->uid = c->suid = uid;
	else if (uid != c->uid && uid != c->suid)
		return -EPERM;
	if (uid != c->euid)
		prctl_creds_changed();
	c->euid = uid;
	return 0;
}

SYSCALL_DEFINE1(setgid, gid_t, gid)
{
	struct cred *c = &current->cred;

	if (gid == ID_UNCHANGED)
		return -EINVAL;
	if (capable_setid(c))
		c->gid = c->sgid = gid;
	else if (gid != c->gid && gid != c->sgid)
		return -EPERM;
	if (gid != c->egid)
		prctl_creds_changed();
	c->egid = gid;
	return 0;
}

/*
 * setreuid/setregid, on the three ids of one kind. An unprivileged caller
 * may set the real id to the real or effective id, and the effective id
 * to any of the three. The saved id follows the new effective id when the
 * real id is set or the effective id becomes different from the old real.
 */
static long set_re_ids(uint32_t *r, uint32_t *e, uint32_t *s, bool priv,
		       uint32_t nr, uint32_t ne)
{
	if (nr != ID_UNCHANGED && nr != *r && nr != *e && !priv)
		return -EPERM;
	if (ne != ID_UNCHANGED && ne != *r && ne != *e && ne != *s && !priv)
		return -EPERM;
	if (nr != ID_UNCHANGED || (ne != ID_UNCHANGED && ne != *r))
		*s = ne != ID_UNCHANGED ? ne : *e;
	if (nr != ID_UNCHANGED)
		*r = nr;
	if (ne != ID_UNCHANGED)
		*e = ne;
	return 0;
}

SYSCALL_DEFINE2(setreuid, uid_t, ruid, uid_t, euid)
{
	struct cred *c = &current->cred;
	uint32_t old = c->euid;
	long r = set_re_ids(&c->uid, &c->euid, &c->suid, capable_setid(c),
				  ruid, euid);

	if (c->euid != old)
		prctl_creds_changed();
	return r;
}

SYSCALL_DEFINE2(setregid, gid_t, rgid, gid_t, egid)
{
	struct cred *c = &current->cred;
	uint32_t old = c->egid;
	long r = set_re_ids(&c->gid, &c->egid, &c->sgid, capable_setid(c),
				  rgid, egid);

	if (c->egid != old)
		prctl_creds_changed();
	return r;
}

/*
 * setresuid/setresgid: an unprivileged caller may set each id to any of
 * the current real, effective or saved ids; -1 leaves an id alone.
 */
static bool id_is_current(uint32_t id, uint32_t r, uint32_t e, uint32_t s)
{
	return id == ID_UNCHANGED || id == r || id == e || id == s;
}

static long set_res_ids(uint32_t *r, uint32_t *e, uint32_t *s, bool priv,
			uint32_t nr, uint32_t ne, uint32_t ns)
{
	if (!priv && !(id_is_current(nr, *r, *e, *s) &&
		       id_is_current(ne, *r, *e, *s) &&
		       id_is_current(ns, *r, *e, *s)))
		return -EPERM;
	if (nr != ID_UNCHANGED)
		*r = nr;
	if (ne != ID_UNCHANGED)
		*e = ne;
	if (ns != ID_UNCHANGED)
		*s = ns;
	return 0;
}

SYSCALL_DEFINE3(setresuid, uid_t, ruid, uid_t, euid, uid_t, suid)
{
	struct cred *c = &current->cred;
	uint32_t old = c->euid;
	long r = set_res_ids(&c->uid, &c->euid, &c->suid, capable_setid(c),
				   ruid, euid, suid);

	if (c->euid != old)
		prctl_creds_changed();
	return r;
}

SYSCALL_DEFINE3(setresgid, gid_t, rgid, gid_t, egid, gid_t, sgid)
{
	struct cred *c = &current->cred;
	uint32_t old = c->egid;
	long r = set_res_ids(&c->gid, &c->egid, &c->sgid, capable_setid(c),
				   rgid, egid, sgid);

	if (c->egid != old)
		prctl_creds_changed();
	return r;
}

#define NGROUPS_MAX	65536		/* Linux's limit */

void groups_get(struct group_info *gi)
{
	if (gi)
		__atomic_add_fetch(&gi->refcount, 1, __ATOMIC_RELAXED);
}

void groups_put(struct group_info *gi)
{
	if (gi && __atomic_sub_fetch(&gi->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(gi);
}

bool cred_in_supplementary(const struct cred *c, gid_t gid)
{
	const struct group_info *gi = c->groups;

	for (unsigned int i = 0; gi && i < gi->ngroups; i++)
		if (gi->gid[i] == gid)
			return true;
	return false;
}

bool cred_in_group(const struct cred *c, gid_t gid)
{
	return c->egid == gid || cred_in_supplementary(c, gid);
}

/* Linux: a negative size is EINVAL; 0 asks for the count; a size smaller
 * than the count is EINVAL. */
SYSCALL_DEFINE2(getgroups, int, size, gid_t __user *, list)
{
	const struct group_info *gi = current->cred.groups;
	unsigned int n = gi ? gi->ngroups : 0;

	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return n;
	if ((unsigned int)size < n)
		return -EINVAL;
	if (n && copy_to_user(list, gi->gid, n * sizeof(gid_t)))
		return -EFAULT;
	return n;
}

/* Root (CAP_SETGID) replaces the supplementary groups; EINVAL beyond
 * NGROUPS_MAX, as Linux. */
SYSCALL_DEFINE2(setgroups, int, size, const gid_t __user *, list)
{
	struct cred *c = &current->cred;
	struct group_info *gi = NULL;

	if (!capable_setid(c))
		return -EPERM;
	if (size < 0 || size > NGROUPS_MAX)
		return -EINVAL;
	if (size) {
		gi = kmalloc(sizeof(*gi) + (size_t)size * sizeof(gid_t));
		if (!gi)
			return -ENOMEM;
		gi->refcount = 1;
		gi->ngroups = (unsigned int)size;
		if (copy_from_user(gi->gid, list, (size_t)size * sizeof(gid_t))) {
			kfree(gi);
			return -EFAULT;
		}
	}
	struct group_info *old = c->groups;

	spin_lock(&proc_tree_lock);	/* procfs reads other tasks' */
	c->groups = gi;
	spin_unlock(&proc_tree_lock);
	groups_put(old);
	return 0;
}
