/*
 * The System V IPC limits of the (one) IPC namespace, with Linux's
 * defaults for a 64-bit kernel, and their /proc/sys/kernel files: read by
 * anyone, written by root, each within the range Linux's sysctl table
 * allows (a value out of it is -EINVAL).
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
	"msgmax", "msgmnb", "msgmni", "shmall", "shmmax", "shmmni", NULL,
};

static const struct knob *knob_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(knobs); i++)
		if (!strcmp(knobs[i].name, name))
			return &knobs[i];
	return NULL;
}

int ipc_sysctl_read(const char *name, char *buf, size_t size)
{
	const struct knob *k = knob_find(name);

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

int ipc_sysctl_write(const char *name, const char *text, size_t len)
{
	const struct knob *k = knob_find(name);
	uint64_t v;

	if (!k)
		return -ENOENT;
	if (current->cred.euid != 0)
		return -EPERM;
	if (parse_u64(text, len, &v) < 0 || v > k->max)
		return -EINVAL;
	__atomic_store_n(k->value, v, __ATOMIC_RELAXED);
	return 0;
}
