/*
 * mkcpio: write a "newc" cpio archive (the initramfs format Linux and
 * Basalt unpack) from a list file, without needing root.
 *
 * The list format is the one of Linux's usr/gen_init_cpio, one entry a line:
 *
 *   dir   NAME MODE UID GID
 *   file  NAME LOCATION MODE UID GID
 *   nod   NAME MODE UID GID c|b MAJ MIN
 *   slink NAME TARGET MODE UID GID
 *   pipe  NAME MODE UID GID
 *   sock  NAME MODE UID GID
 *
 * MODE is octal permission bits (the type comes from the keyword); NAME is
 * the path inside the archive (a leading '/' is dropped, as the kernel
 * expects); LOCATION is a host file. Blank lines and '#' comments are
 * skipped. Device nodes are why this tool exists: /dev/console must be in
 * the archive before the kernel starts /init, and only root may mknod.
 *
 * The output is deterministic: every mtime is 0 and inode numbers are
 * given in list order, so the same list and files give the same bytes.
 *
 * Usage: mkcpio LIST > archive.cpio   (LIST may be "-" for standard input)
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_LINE 4096

static const char *list_name;
static unsigned line_no;
static unsigned next_ino = 721;		/* where gen_init_cpio starts too */
static unsigned long long offset;	/* bytes written so far */

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mkcpio: %s:%u: ", list_name, line_no);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void put_bytes(const void *p, size_t n)
{
	if (fwrite(p, 1, n, stdout) != n)
		die("write error: %s", strerror(errno));
	offset += n;
}

/* newc aligns each header+name and each data block to 4 bytes. */
static void pad_to(unsigned align)
{
	static const char zeros[512];	/* align is at most 512 */

	if (offset % align)
		put_bytes(zeros, align - offset % align);
}

struct entry {
	const char *name;	/* without a leading '/' */
	unsigned mode;		/* type bits | permission bits */
	unsigned uid, gid;
	unsigned nlink;
	unsigned size;
	unsigned rmajor, rminor;
};

static void put_header(const struct entry *e)
{
	char hdr[111];
	size_t namesize = strlen(e->name) + 1;

	if (namesize > MAX_LINE)
		die("name too long");

	/* magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor,
	 * devminor, rdevmajor, rdevminor, namesize, check */
	snprintf(hdr, sizeof(hdr),
		 "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 next_ino++, e->mode, e->uid, e->gid, e->nlink, 0u, e->size,
		 0u, 0u, e->rmajor, e->rminor, (unsigned)namesize, 0u);
	put_bytes(hdr, 110);
	put_bytes(e->name, namesize);
	pad_to(4);
}

static const char *strip_slash(const char *name)
{
	while (*name == '/')
		name++;
	if (*name == '\0')
		die("empty name");
	return name;
}

static unsigned parse_num(const char *s, int base, const char *what)
{
	char *end;
	unsigned long v;

	if (!s)
		die("missing %s", what);
	errno = 0;
	v = strtoul(s, &end, base);
	if (errno || *end || end == s || v > 0xffffffffUL)
		die("bad %s '%s'", what, s);
	return (unsigned)v;
}

/* Splits the rest of the line into at most max fields; returns the count. */
static int split(char *s, char **f, int max)
{
	int n = 0;
	char *tok;

	while (n < max && (tok = strtok(n ? NULL : s, " \t\r\n")))
		f[n++] = tok;
	if (n == max && strtok(NULL, " \t\r\n"))
		die("too many fields");
	return n;
}

static void add_simple(char *args, unsigned type, unsigned nlink)
{
	char *f[4];
	struct entry e = { 0 };

	if (split(args, f, 4) != 4)
		die("expected NAME MODE UID GID");
	e.name = strip_slash(f[0]);
	e.mode = type | parse_num(f[1], 8, "mode");
	e.uid = parse_num(f[2], 10, "uid");
	e.gid = parse_num(f[3], 10, "gid");
	e.nlink = nlink;
	put_header(&e);
}

static void add_nod(char *args)
{
	char *f[7];
	struct entry e = { 0 };

	if (split(args, f, 7) != 7)
		die("expected NAME MODE UID GID c|b MAJ MIN");
	if (strcmp(f[4], "c") && strcmp(f[4], "b"))
		die("device type must be c or b, not '%s'", f[4]);
	e.name = strip_slash(f[0]);
	e.mode = (f[4][0] == 'c' ? S_IFCHR : S_IFBLK) |
		 parse_num(f[1], 8, "mode");
	e.uid = parse_num(f[2], 10, "uid");
	e.gid = parse_num(f[3], 10, "gid");
	e.nlink = 1;
	e.rmajor = parse_num(f[5], 10, "major");
	e.rminor = parse_num(f[6], 10, "minor");
	put_header(&e);
}

static void add_slink(char *args)
{
	char *f[5];
	struct entry e = { 0 };

	if (split(args, f, 5) != 5)
		die("expected NAME TARGET MODE UID GID");
	e.name = strip_slash(f[0]);
	e.mode = S_IFLNK | parse_num(f[2], 8, "mode");
	e.uid = parse_num(f[3], 10, "uid");
	e.gid = parse_num(f[4], 10, "gid");
	e.nlink = 1;
	/* The target without its NUL, as GNU cpio writes it (gen_init_cpio
	 * adds a NUL; Linux accepts both, and readers need not strip it). */
	e.size = (unsigned)strlen(f[1]);
	put_header(&e);
	put_bytes(f[1], e.size);
	pad_to(4);
}

static void add_file(char *args)
{
	char *f[5], buf[65536];
	struct entry e = { 0 };
	struct stat st;
	FILE *in;
	size_t n;
	unsigned left;

	if (split(args, f, 5) != 5)
		die("expected NAME LOCATION MODE UID GID");
	in = fopen(f[1], "rb");
	if (!in || fstat(fileno(in), &st) < 0)
		die("%s: %s", f[1], strerror(errno));
	if (!S_ISREG(st.st_mode))
		die("%s: not a regular file", f[1]);
	e.name = strip_slash(f[0]);
	e.mode = S_IFREG | parse_num(f[2], 8, "mode");
	e.uid = parse_num(f[3], 10, "uid");
	e.gid = parse_num(f[4], 10, "gid");
	e.nlink = 1;
	if (st.st_size > 0xffffffffLL)
		die("%s: too large for newc", f[1]);
	e.size = (unsigned)st.st_size;
	put_header(&e);
	for (left = e.size; left; left -= n) {
		n = fread(buf, 1, left < sizeof(buf) ? left : sizeof(buf), in);
		if (n == 0)
			die("%s: short read", f[1]);
		put_bytes(buf, n);
	}
	fclose(in);
	pad_to(4);
}

static void add_line(char *line)
{
	char *kw, *args;

	line[strcspn(line, "#")] = '\0';
	kw = line + strspn(line, " \t\r\n");
	if (*kw == '\0')
		return;
	args = kw + strcspn(kw, " \t\r\n");
	if (*args)
		*args++ = '\0';

	if (!strcmp(kw, "dir"))
		add_simple(args, S_IFDIR, 2);
	else if (!strcmp(kw, "file"))
		add_file(args);
	else if (!strcmp(kw, "nod"))
		add_nod(args);
	else if (!strcmp(kw, "slink"))
		add_slink(args);
	else if (!strcmp(kw, "pipe"))
		add_simple(args, S_IFIFO, 1);
	else if (!strcmp(kw, "sock"))
		add_simple(args, S_IFSOCK, 1);
	else
		die("unknown entry type '%s'", kw);
}

int main(int argc, char **argv)
{
	char line[MAX_LINE];
	struct entry trailer = { .name = "TRAILER!!!", .nlink = 1 };
	FILE *list;

	if (argc != 2) {
		fprintf(stderr, "usage: mkcpio LIST > archive.cpio\n");
		return 2;
	}
	list_name = argv[1];
	list = strcmp(list_name, "-") ? fopen(list_name, "r") : stdin;
	if (!list) {
		fprintf(stderr, "mkcpio: %s: %s\n", list_name, strerror(errno));
		return 1;
	}
	while (fgets(line, sizeof(line), list)) {
		line_no++;
		if (!strchr(line, '\n') && !feof(list))
			die("line too long");
		add_line(line);
	}
	if (ferror(list))
		die("read error");

	/* The trailer has inode 0 in gen_init_cpio; keep the same bytes. */
	next_ino = 0;
	put_header(&trailer);
	pad_to(512);
	if (fflush(stdout) != 0)
		die("write error: %s", strerror(errno));
	return 0;
}
