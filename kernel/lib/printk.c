/*
 * printk: formats a message, prefixes it with the time since boot, and
 * writes it to the console. A spinlock keeps lines from interleaving.
 */
#include <lib/printk.h>
#include <lib/string.h>
#include <sync/spinlock.h>
#include <drivers/console.h>
#include <proc/sched.h>

int printk_level = LOG_INFO;
static struct spinlock printk_lock = SPINLOCK_INIT("printk");

/* The console is raw: turn each "\n" into "\r\n" for terminals. */
static void printk_emit(const char *s, size_t n)
{
	size_t start = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\n')
			continue;
		console_write(s + start, i - start);
		console_write("\r\n", 2);
		start = i + 1;
	}
	console_write(s + start, n - start);
}

void printk(int level, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	if (level > printk_level)
		return;
	uint64_t ns = clock_monotonic_ns();
	n = snprintf(line, sizeof(line), "[%5lu.%06lu] ",
		     (unsigned long)(ns / 1000000000),
		     (unsigned long)(ns / 1000 % 1000000));
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	if (line[n - 1] != '\n')
		line[n++] = '\n';
	spin_lock(&printk_lock);
	printk_emit(line, n);
	spin_unlock(&printk_lock);
}
