/* Parsing numbers written by user space (lib/parse.h). */
#include <lib/parse.h>
#include <uapi/errno.h>

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

int parse_long(const char *s, size_t len, long *out)
{
	size_t i = 0, digits = 0;
	bool neg = false;
	uint64_t v = 0, max;

	while (i < len && is_blank(s[i]))
		i++;
	if (i < len && s[i] == '-') {
		neg = true;
		i++;
	}
	max = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
		uint64_t d = (uint64_t)(s[i] - '0');

		if (v > (max - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
	}
	while (i < len && is_blank(s[i]))
		i++;
	if (!digits || i != len)
		return -EINVAL;
	*out = neg ? (long)(0 - v) : (long)v;
	return 0;
}
