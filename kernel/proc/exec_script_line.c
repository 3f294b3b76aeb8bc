/*
 * The "#!" line: the interpreter's name and its one optional argument,
 * found as Linux's load_script finds them (see proc/script.h). The line
 * ends at the first newline, looked for up to the first NUL; blanks are
 * spaces and tabs; the name ends at a blank or NUL; the argument is the
 * rest of the line, blanks inside it kept, trailing ones trimmed.
 */
#include <proc/script.h>
#include <uapi/errno.h>

static bool spacetab(char c)
{
	return c == ' ' || c == '\t';
}

/* The first char in [first, last] that is not a blank, or NULL. */
static char *next_non_spacetab(char *first, char *last)
{
	for (; first <= last; first++)
		if (!spacetab(*first))
			return first;
	return NULL;
}

/* The first blank or NUL in [first, last], or NULL. */
static char *next_terminator(char *first, char *last)
{
	for (; first <= last; first++)
		if (spacetab(*first) || !*first)
			return first;
	return NULL;
}

int script_parse_line(char *buf, char **name, char **arg)
{
	char *buf_end = buf + SCRIPT_HEAD_SIZE - 1;
	char *i_end = NULL, *i_sep;

	/* The newline, looked for up to the first NUL (strnchr). */
	for (char *p = buf; p <= buf_end && *p && !i_end; p++)
		if (*p == '\n')
			i_end = p;

	if (!i_end) {
		i_end = next_non_spacetab(buf + 2, buf_end);
		if (!i_end || !next_terminator(i_end, buf_end))
			return -ENOEXEC;	/* blank, or a cut name */
		i_end = buf_end;
	}
	while (spacetab(i_end[-1]))
		i_end--;
	*name = next_non_spacetab(buf + 2, i_end);
	if (!*name || *name == i_end)
		return -ENOEXEC;		/* no interpreter named */
	*arg = NULL;
	i_sep = next_terminator(*name, i_end);
	if (i_sep && *i_sep != '\0')
		*arg = next_non_spacetab(i_sep, i_end);
	*i_end = '\0';
	if (i_sep)
		*i_sep = '\0';
	return 0;
}
