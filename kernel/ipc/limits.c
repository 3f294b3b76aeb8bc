/*
 * The System V IPC limits of the (one) IPC namespace, with Linux's
 * defaults for a 64-bit kernel, and their /proc/sys/kernel files: read by
 * anyone, written by root, each within the range Linux's sysctl table
 * allows (a value out of it is -EINVAL). "sem" is the odd one: four ints
 * in one file, written as Linux's proc_dointvec writes a vector.
 */
#include <types.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <ipc/ipc.h>
#include <proc/task.h>
#include <uapi/errno.h>
#include "util.h"

struct ipc_limits ipc_limits = {
	.shm_ctlmax = UINT64_MAX - (1UL << 24),	/* Linux's SHMMAX */
	.shm_ctlall = UINT64_MAX - (1UL << 24),	/* SHMALL */
	.shm_ctlmni = 4096,			/* SHMMNI */
	.msg_ctlmax = 8192,			/* MSGMAX */
	.msg_ctlmnb = 16384,			/* MSGMNB */
	.msg_ctlmni = 32000,			/* MSGMNI */
	/* SEMMSL, SEMMNS (= SEMMSL * SEMMNI), SEMOPM, SEMMNI */
	.sem_ctls = { 32000, 1024000000, 500, 32000 },
};

struct knob {
	const char *name;
	uint64_t *value;
	uint64_t max;
};

static const struct knob knobs[] = {
	{ "shmmax", &ipc_limits.shm_ctlmax, UINT64_MAX },
	{ "shmall", &ipc_limits.shm_ctlall, UINT64_MAX },
	{ "shmmni", &ipc_limits.shm_ctlmni, IPCMNI },
	{ "msgmax", &ipc_limits.msg_ctlmax, INT32_MAX },
	{ "msgmnb", &ipc_limits.msg_ctlmnb, INT32_MAX },
	{ "msgmni", &ipc_limits.msg_ctlmni, IPCMNI },
};

const char *const ipc_sysctl_names[] = {
	"msgmax", "msgmnb", "msgmni", "sem", "shmall", "shmmax", "shmmni",
	NULL,
};

static const struct knob *knob_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(knobs); i++)
		if (!strcmp(knobs[i].name, name))
			return &knobs[i];
	return NULL;
}

/* "32000\t1024000000\t500\t32000\n", as proc_dointvec prints a vector. */
static int sem_sysctl_read(char *buf, size_t size)
{
	int v[4];

	for (int i = 0; i < 4; i++)
		v[i] = __atomic_load_n(&ipc_limits.sem_ctls[i],
				       __ATOMIC_RELAXED);
	return snprintf(buf, size, "%d\t%d\t%d\t%d\n", v[0], v[1], v[2],
			v[3]);
}

int ipc_sysctl_read(const char *name, char *buf, size_t size)
{
	const struct knob *k = knob_find(name);

	if (!strcmp(name, "sem"))
		return sem_sysctl_read(buf, size);
	if (!k)
		return -ENOENT;
	return snprintf(buf, size, "%lu\n",
			(unsigned long)__atomic_load_n(k->value,
						       __ATOMIC_RELAXED));
}

/* A decimal number, spaces and one trailing newline around it. */
static int parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0, digits = 0;

	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
		if (v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
		i++;
	if (!digits || i != len)
		return -EINVAL;
	*out = v;
	return 0;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\v' || c == '\f';
}

/*
 * One decimal int at s[*i] (after spaces), followed by a space or the
 * end: 0, 1 if only spaces were left, or -EINVAL (proc_get_long).
 */
static int parse_int(const char *s, size_t len, size_t *i, int *out)
{
	uint64_t v = 0;
	size_t digits = 0;
	bool neg = false;

	while (*i < len && is_space(s[*i]))
		(*i)++;
	if (*i == len)
		return 1;
	if (s[*i] == '-') {
		neg = true;
		(*i)++;
	}
	for (; *i < len && s[*i] >= '0' && s[*i] <= '9'; (*i)++, digits++) {
		v = v * 10 + (uint64_t)(s[*i] - '0');
		if (v > (uint64_t)INT32_MAX + 1)
			return -EINVAL;
	}
	if (!digits || (*i < len && s[*i] != ' ' && s[*i] != '\t' &&
			s[*i] != '\n'))
		return -EINVAL;
	if (!neg && v > INT32_MAX)
		return -EINVAL;
	*out = neg ? (int)-(int64_t)v : (int)v;
	return 0;
}

/*
 * Linux's proc_ipc_sem_dointvec: up to four ints, each stored as it is
 * parsed (so "1 2 x" stores two and fails); then SEMMNI outside
 * 0..IPCMNI, or any failure, puts the old SEMMNI back (-ERANGE for the
 * range). Nothing parsed at all is -EINVAL.
 */
static int sem_sysctl_write(const char *text, size_t len)
{
	int old_mni = __atomic_load_n(&ipc_limits.sem_ctls[SEM_CTL_MNI],
				      __ATOMIC_RELAXED);
	int n = 0, err = 0, v, mni;
	size_t i = 0;

	while (n < 4 && (err = parse_int(text, len, &i, &v)) == 0)
		__atomic_store_n(&ipc_limits.sem_ctls[n++], v,
				 __ATOMIC_RELAXED);
	if (err > 0)
		err = 0;
	if (!n)
		return err ? err : -EINVAL;
	mni = __atomic_load_n(&ipc_limits.sem_ctls[SEM_CTL_MNI],
			      __ATOMIC_RELAXED);
	if (!err && (mni < 0 || mni > IPCMNI))
		err = -ERANGE;
	if (err)
		__atomic_store_n(&ipc_limits.sem_ctls[SEM_CTL_MNI], old_mni,
				 __ATOMIC_RELAXED);
	return err;
}

int ipc_sysctl_write(const char *name, const char *text, size_t len)
{
	const struct knob *k = knob_find(name);
	uint64_t v;

	if (!k && strcmp(name, "sem"))
		return -ENOENT;
	if (current->cred.euid != 0)
		return -EPERM;
	if (!k)
		return sem_sysctl_write(text, len);
	if (parse_u64(text, len, &v) < 0 || v > k->max)
		return -EINVAL;
	__atomic_store_n(k->value, v, __ATOMIC_RELAXED);
	return 0;
}
