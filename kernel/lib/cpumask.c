/*
 * Sets of CPUs as text (lib/cpumask.h): Linux's two sysfs formats, a
 * list of ranges and a hexadecimal mask.
 */
#include <lib/cpumask.h>
#include <lib/printk.h>

/* Append c at *len if it fits (room left for the NUL). */
static void put(char *buf, size_t size, size_t *len, char c)
{
	if (*len + 1 < size)
		buf[*len] = c;
	(*len)++;
}

static size_t terminate(char *buf, size_t size, size_t len)
{
	if (size)
		buf[len < size ? len : size - 1] = '\0';
	return len;
}

size_t cpumask_print_list(char *buf, size_t size, cpumask_t m)
{
	size_t len = 0;
	unsigned int a = 0, b;
	const unsigned int bits = 8 * sizeof(cpumask_t);

	while (a < bits) {
		if (!cpumask_test(m, a)) {
			a++;
			continue;
		}
		for (b = a; b + 1 < bits && cpumask_test(m, b + 1); b++)
			;
		len += (size_t)snprintf(buf + (len < size ? len : 0),
					len < size ? size - len : 0,
					b == a ? "%s%u" : "%s%u-%u",
					len ? "," : "", a, b);
		a = b + 1;
	}
	put(buf, size, &len, '\n');
	return terminate(buf, size, len);
}

size_t cpumask_print_hex(char *buf, size_t size, cpumask_t m,
			 unsigned int nbits)
{
	unsigned int digits = (nbits + 3) / 4;
	size_t len = 0;

	for (unsigned int i = digits; i-- > 0;) {
		put(buf, size, &len, "0123456789abcdef"[(m >> (4 * i)) & 0xf]);
		if (i && i % 8 == 0)		/* 32 bits per group */
			put(buf, size, &len, ',');
	}
	put(buf, size, &len, '\n');
	return terminate(buf, size, len);
}
