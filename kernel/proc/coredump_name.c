/*
 * kernel.core_pattern expansion (see coredump_name.h). The output grows
 * through one small writer that remembers overflow, so each specifier is
 * one line; the escaping of names mirrors Linux's cn_esc_printf.
 */
#include "coredump_name.h"
#include <lib/printk.h>
#include <lib/string.h>
#include <uapi/errno.h>

struct name_out {
	char *buf;
	size_t size, len;
	bool overflow;
};

static void out_str(struct name_out *o, const char *s)
{
	size_t n = strlen(s);

	if (o->len + n >= o->size) {
		o->overflow = true;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void out_num(struct name_out *o, long long v, bool is_unsigned)
{
	char num[24];

	if (is_unsigned)
		snprintf(num, sizeof(num), "%llu", (unsigned long long)v);
	else
		snprintf(num, sizeof(num), "%lld", v);
	out_str(o, num);
}

/* A name component: no '/' (it would choose another directory), never
 * empty, "." or "..". */
static void out_escaped(struct name_out *o, const char *s)
{
	size_t from = o->len;

	out_str(o, s && *s ? s : "!");
	if (o->overflow)
		return;
	if (!strcmp(o->buf + from, ".") || !strcmp(o->buf + from, ".."))
		o->buf[from] = '!';
	for (size_t i = from; i < o->len; i++)
		if (o->buf[i] == '/')
			o->buf[i] = '!';
}

static const char *last_part(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	return slash ? slash + 1 : path;
}

/* One specifier; returns whether it was %p. */
static bool out_spec(struct name_out *o, char c,
		     const struct core_name_info *ci)
{
	switch (c) {
	case '%': out_str(o, "%"); break;
	case 'p': out_num(o, ci->pid, false); return true;
	case 'P': out_num(o, ci->pid, false); break;
	case 'i': case 'I': out_num(o, ci->tid, false); break;
	case 'u': out_num(o, ci->uid, true); break;
	case 'g': out_num(o, ci->gid, true); break;
	case 'd': out_num(o, ci->dumpable, false); break;
	case 's': out_num(o, ci->sig, false); break;
	case 't': out_num(o, ci->time, false); break;
	case 'c': out_num(o, (long long)ci->limit, true); break;
	case 'h': out_escaped(o, ci->host); break;
	case 'e': out_escaped(o, ci->comm); break;
	case 'E': out_escaped(o, ci->exe); break;
	case 'f': out_escaped(o, last_part(ci->exe)); break;
	default: break;		/* unknown: dropped, as Linux */
	}
	return false;
}

int core_name_format(char *out, size_t size, const struct core_name_info *ci)
{
	struct name_out o = { out, size, 0, size == 0 };
	bool pid_seen = false;

	if (size)
		out[0] = '\0';
	for (const char *p = ci->pattern; *p && !o.overflow; p++) {
		char lit[2] = { *p, '\0' };

		if (*p != '%') {
			out_str(&o, lit);
			continue;
		}
		if (!*++p)
			break;		/* a trailing '%' */
		pid_seen |= out_spec(&o, *p, ci);
	}
	if (ci->uses_pid && !pid_seen) {
		out_str(&o, ".");
		out_num(&o, ci->pid, false);
	}
	return o.overflow ? -ENAMETOOLONG : 0;
}
