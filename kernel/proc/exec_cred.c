/*
 * The credentials execve gives the new program (Linux's bprm_fill_uid and
 * cap_bprm_creds_from_file, with capabilities reduced to "euid 0"):
 *
 *   - a set-user-ID file makes its owner the effective uid; a
 *     set-group-ID file with group execute makes its group the effective
 *     gid; neither on a nosuid mount (file_setid_ids);
 *   - the saved ids become the effective ones, whatever the file;
 *   - AT_SECURE tells the C library to distrust its environment whenever
 *     the effective ids would differ from the real ones.
 *
 * Like Linux's LSM_UNSAFE_SHARE, a caller that shares its fs context
 * (CLONE_FS) with another process runs the program with its real ids:
 * that process could change the cwd and umask of a privileged program
 * under it. Root keeps what the file gives, as with CAP_SETUID.
 */
#include <proc/task.h>
#include "exec.h"
#include <fs/fs.h>

/* Whether a task outside current's thread group uses its fs context. */
static bool fs_shared_outside_group(void)
{
	struct task *self = current, *t;
	unsigned int n = 0;

	spin_lock(&proc_tree_lock);
	list_for_each_entry(t, &self->group->threads, thread_link)
		n += t->fs == self->fs;
	spin_unlock(&proc_tree_lock);
	return fsctx_users(self->fs) > n;
}

void exec_cred_prepare(struct file *f, struct exec_image *img)
{
	const struct cred *c = &current->cred;
	uid_t uid;
	gid_t gid;

	file_setid_ids(f, &uid, &gid);
	img->euid = uid != (uid_t)-1 ? uid : c->euid;
	img->egid = gid != (gid_t)-1 ? gid : c->egid;
	img->secure = img->euid != c->uid || img->egid != c->gid;
	if (img->secure && c->euid != 0 && fs_shared_outside_group()) {
		img->euid = c->uid;	/* Linux: "no more than they had" */
		img->egid = c->gid;	/* (and AT_SECURE stays) */
	}
}

void exec_cred_commit(const struct exec_image *img)
{
	struct cred *c = &current->cred;

	c->euid = c->suid = img->euid;
	c->egid = c->sgid = img->egid;
}
