/*
 * Pure path-string helpers (kernel/fs/path.c): splitting a path into
 * components, building a path from the end, and lexical normalisation.
 * They touch no kernel state, so the host unit tests link them alone.
 */
#ifndef BASALT_FS_PATH_H
#define BASALT_FS_PATH_H

#include <types.h>

enum comp_type {
	COMP_NORMAL,
	COMP_DOT,	/* "." */
	COMP_DOTDOT,	/* ".." */
};

struct path_comp {
	const char *name;	/* not NUL-terminated */
	size_t len;
	enum comp_type type;
};

/*
 * Read the next component of the path at *p, skipping leading slashes.
 * Returns 1 and advances *p just past the component (so **p is '/' or
 * NUL), 0 when no component is left, or -ENAMETOOLONG when the component
 * is longer than NAME_MAX.
 */
int path_next_comp(const char **p, struct path_comp *c);

/* Whether nothing but slashes is left at p. */
bool path_at_end(const char *p);

/*
 * A path built backwards, component by component, from a leaf towards the
 * root, into a caller's buffer (getcwd, /proc/self/fd, /proc/mounts).
 */
struct pathbuf {
	char *buf;
	size_t pos;		/* the string starts at buf + pos */
	bool overflow;		/* something did not fit */
};

/* Start empty, with the terminating NUL at buf[size - 1]; size > 0. */
void pathbuf_init(struct pathbuf *pb, char *buf, size_t size);
/* Put "/" + name in front of what is there; sets overflow if no room. */
void pathbuf_prepend_comp(struct pathbuf *pb, const char *name, size_t len);
/* Put raw bytes in front. */
void pathbuf_prepend(struct pathbuf *pb, const char *s, size_t len);
/* The string: "/" when nothing was prepended. NULL after an overflow. */
const char *pathbuf_str(struct pathbuf *pb);

/*
 * Lexically normalise path into out (size bytes): drop empty and "."
 * components, let ".." remove the previous component (never going above
 * the start), strip leading and trailing slashes. "//a/./b/../c/" gives
 * "a/c"; "/" and "." give "". Returns the length, -ENAMETOOLONG (a
 * component longer than NAME_MAX or out too small).
 */
long path_normalize(const char *path, char *out, size_t size);

#endif
