/*
 * printk: formats a message, prefixes it with the time since boot, keeps
 * it in the kernel log ring and, when its level is within the console
 * level, writes it to the console. A spinlock keeps lines from
 * interleaving and guards the ring.
 *
 * The ring (what syslog(2) and `dmesg` read, kernel/lib/syslog.c) holds
 * whole records as Linux's syslog(2) shows them: "<level>[    s.usec]
 * text\n". Positions in it are byte counts since boot that only grow;
 * byte p lives at log_buf[p % LOG_BUF_LEN]. When a new record does not
 * fit, the oldest whole records are dropped. Every record is kept,
 * whatever its level: the console level only decides what is printed, as
 * in Linux.
 */
#include <lib/printk.h>
#include <lib/string.h>
#include <sync/spinlock.h>
#include <drivers/console.h>
#include <proc/sched.h>
#include <uapi/errno.h>

int printk_level = LOG_INFO;
static struct spinlock printk_lock = SPINLOCK_INIT("printk");

/* Guarded by printk_lock. */
static char log_buf[LOG_BUF_LEN];
static uint64_t log_head;		/* start of the oldest record kept */
static uint64_t log_tail;		/* end of the newest record */
static uint64_t log_head_seq;		/* sequence number of the oldest */

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

static char log_byte(uint64_t pos)
{
	return log_buf[pos % LOG_BUF_LEN];
}

/* Append a record of n <= LOG_BUF_LEN bytes ending in '\n', dropping
 * the oldest records until it fits. printk_lock held. */
static void log_store(const char *s, size_t n)
{
	spin_assert_held(&printk_lock);
	while (log_tail + n - log_head > LOG_BUF_LEN) {
		while (log_byte(log_head++) != '\n')
			;
		log_head_seq++;
	}
	for (size_t i = 0; i < n; i++)
		log_buf[(log_tail + i) % LOG_BUF_LEN] = s[i];
	log_tail += n;
}

/* "<pri>[    s.usec] ": the record's prefix; its length. *ts is where
 * the console's part (from the timestamp on) starts. */
static int log_prefix(char *line, size_t size, unsigned int pri, int *ts)
{
	uint64_t ns = clock_monotonic_ns();

	*ts = snprintf(line, size, "<%u>", pri);
	return *ts + snprintf(line + *ts, size - (size_t)*ts, "[%5lu.%06lu] ",
			      (unsigned long)(ns / 1000000000),
			      (unsigned long)(ns / 1000 % 1000000));
}

/* Keep the record line[0..n) (newline added if missing) and print it
 * from ts on if its level is within the console level. */
static void log_commit(char *line, int n, size_t size, int ts, int level)
{
	if (n > (int)size - 2)
		n = (int)size - 2;
	if (line[n - 1] != '\n')
		line[n++] = '\n';
	spin_lock(&printk_lock);
	log_store(line, (size_t)n);
	if (level <= __atomic_load_n(&printk_level, __ATOMIC_RELAXED))
		printk_emit(line + ts, (size_t)n - ts);
	spin_unlock(&printk_lock);
}

void printk(int level, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n, ts;

	n = log_prefix(line, sizeof(line), (unsigned int)level, &ts);
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	log_commit(line, n, sizeof(line), ts, level);
}

void log_user(unsigned int pri, const char *text, size_t len)
{
	char line[LOG_LINE_MAX + 64];
	int n, ts;

	n = log_prefix(line, sizeof(line), pri, &ts);
	len = MIN(len, sizeof(line) - 2 - (size_t)n);
	memcpy(line + n, text, len);
	log_commit(line, n + (int)len, sizeof(line), ts, (int)(pri & 7));
}

int log_read_record(uint64_t *pos, uint64_t *seq, char *dst, size_t size)
{
	size_t n = 0;
	int r;

	spin_lock(&printk_lock);
	if (*pos < log_head) {
		/* Records were dropped before this reader got them. */
		*pos = log_head;
		*seq = log_head_seq;
		r = -EPIPE;
	} else {
		while (*pos + n < log_tail && n < size &&
		       (dst[n] = log_byte(*pos + n)) != '\n')
			n++;
		if (*pos + n == log_tail)
			r = 0;			/* nothing to read */
		else if (n == size)
			r = -EINVAL;		/* the record does not fit */
		else {
			*pos += n + 1;
			(*seq)++;
			r = (int)n;
		}
	}
	spin_unlock(&printk_lock);
	return r;
}

void log_start(uint64_t *pos, uint64_t *seq)
{
	spin_lock(&printk_lock);
	*pos = log_head;
	*seq = log_head_seq;
	spin_unlock(&printk_lock);
}

uint64_t log_end(void)
{
	uint64_t end;

	spin_lock(&printk_lock);
	end = log_tail;
	spin_unlock(&printk_lock);
	return end;
}

size_t log_unread(uint64_t pos)
{
	size_t n;

	spin_lock(&printk_lock);
	n = (size_t)(log_tail - MAX(pos, log_head));
	spin_unlock(&printk_lock);
	return n;
}

/* Copy [from, from + n) of the ring to dst. printk_lock held. */
static void log_copy(uint64_t from, char *dst, size_t n)
{
	spin_assert_held(&printk_lock);
	for (size_t i = 0; i < n; i++)
		dst[i] = log_byte(from + i);
}

size_t log_read_next(uint64_t *pos, char *dst, size_t size)
{
	size_t n = 0;

	spin_lock(&printk_lock);
	uint64_t from = MAX(*pos, log_head);
	size_t avail = (size_t)(log_tail - from);

	/* The last record end within the window; none: a partial record. */
	for (size_t i = 0; i < MIN(avail, size); i++)
		if (log_byte(from + i) == '\n')
			n = i + 1;
	if (n == 0)
		n = MIN(avail, size);
	log_copy(from, dst, n);
	*pos = from + n;
	spin_unlock(&printk_lock);
	return n;
}

size_t log_read_newest(uint64_t from, char *dst, size_t size)
{
	size_t n;

	spin_lock(&printk_lock);
	from = MAX(from, log_head);
	if (log_tail - from > size) {
		/* Start at the first record that begins in the window. */
		from = log_tail - size;
		while (from < log_tail && log_byte(from - 1) != '\n')
			from++;
	}
	n = (size_t)(log_tail - from);
	log_copy(from, dst, n);
	spin_unlock(&printk_lock);
	return n;
}
