/*
 * Path strings without any file system behind them: the component
 * iterator that path lookup (namei.c) runs on, the backwards builder used
 * to print paths, and lexical normalisation for the initramfs unpacker.
 * Everything here is pure, for the host unit tests (tests/unit/test_path.c).
 */
#include <types.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <lib/string.h>
#include "path.h"

int path_next_comp(const char **p, struct path_comp *c)
{
	const char *s = *p;
	size_t len = 0;

	while (*s == '/')
		s++;
	if (*s == '\0') {
		*p = s;
		return 0;
	}
	while (s[len] != '\0' && s[len] != '/')
		len++;
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	c->name = s;
	c->len = len;
	c->type = COMP_NORMAL;
	if (len == 1 && s[0] == '.')
		c->type = COMP_DOT;
	else if (len == 2 && s[0] == '.' && s[1] == '.')
		c->type = COMP_DOTDOT;
	*p = s + len;
	return 1;
}

bool path_at_end(const char *p)
{
	while (*p == '/')
		p++;
	return *p == '\0';
}

void pathbuf_init(struct pathbuf *pb, char *buf, size_t size)
{
	pb->buf = buf;
	pb->pos = size - 1;
	pb->overflow = false;
	buf[size - 1] = '\0';
}

void pathbuf_prepend(struct pathbuf *pb, const char *s, size_t len)
{
	if (pb->overflow || len > pb->pos) {
		pb->overflow = true;
		return;
	}
	pb->pos -= len;
	memcpy(pb->buf + pb->pos, s, len);
}

void pathbuf_prepend_comp(struct pathbuf *pb, const char *name, size_t len)
{
	pathbuf_prepend(pb, name, len);
	pathbuf_prepend(pb, "/", 1);
}

const char *pathbuf_str(struct pathbuf *pb)
{
	if (pb->overflow)
		return NULL;
	if (pb->buf[pb->pos] == '\0')
		pathbuf_prepend(pb, "/", 1);
	return pb->overflow ? NULL : pb->buf + pb->pos;
}

/* Remove the last component of out[0..len) and return the new length. */
static size_t normalize_pop(char *out, size_t len)
{
	while (len > 0 && out[len - 1] != '/')
		len--;
	return len > 0 ? len - 1 : 0;
}

long path_normalize(const char *path, char *out, size_t size)
{
	struct path_comp c;
	size_t len = 0;
	int r;

	if (size == 0)
		return -ENAMETOOLONG;
	while ((r = path_next_comp(&path, &c)) > 0) {
		if (c.type == COMP_DOT)
			continue;
		if (c.type == COMP_DOTDOT) {
			len = normalize_pop(out, len);
			continue;
		}
		if (len + (len > 0) + c.len >= size)
			return -ENAMETOOLONG;
		if (len > 0)
			out[len++] = '/';
		memcpy(out + len, c.name, c.len);
		len += c.len;
	}
	if (r < 0)
		return r;
	out[len] = '\0';
	return (long)len;
}
