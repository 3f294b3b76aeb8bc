/*
 * lockdep-lite (sync/lockdep.h): the lock classes, the graph of order
 * pairs between them, and the checks made as each task takes and
 * releases its locks.
 *
 * The tables are static and only grow: a class or a pair, once
 * published in its hash table, never changes, so the common case (a
 * pair seen before) is a lock-free lookup. Adding one takes graph_lock
 * (lockdep_graph_lock, itself untracked), which also covers the search
 * made when a pair is new: is the held lock reachable from the one being
 * taken? If so the new pair closes a cycle, and some interleaving of the
 * tasks that made its edges deadlocks.
 *
 * A report turns the checker off first, so that printing (which takes
 * printk_lock) does not come back here, then panics.
 */
#include <sync/lockdep.h>
#include <lib/printk.h>
#include <lib/string.h>
#include <lib/ksyms.h>

#define MAX_CLASSES	1024
#define CLASS_HASH	2048		/* power of two, >= 2 * MAX_CLASSES */
#define MAX_PAIRS	8192
#define PAIR_HASH	16384		/* power of two, >= 2 * MAX_PAIRS */
#define PATH_SHOWN	12		/* edges of a cycle printed */

struct lock_class {
	const char *name;
	uint8_t kind;			/* enum lockdep_kind */
	uint8_t sub;			/* subclass */
	uint16_t first_pair;		/* pairs from this class, a list */
};

/* "from was held when to was taken", first seen at from_ip / to_ip. */
struct lock_pair {
	uint16_t from, to;
	uint16_t next_from;		/* the next pair with the same from */
	uint64_t from_ip, to_ip;
};

bool lockdep_on;
bool lockdep_requested;

/* Index 0 of each table means "none": classes and pairs start at 1. */
static struct lock_class classes[MAX_CLASSES];	/* guarded by graph_lock */
static unsigned int nr_classes = 1;		/* guarded by graph_lock */
static uint16_t class_hash[CLASS_HASH];		/* atomic; set once */
static struct lock_pair pairs[MAX_PAIRS];	/* guarded by graph_lock */
static unsigned int nr_pairs = 1;		/* guarded by graph_lock */
static uint16_t pair_hash[PAIR_HASH];		/* atomic; set once */

/* The search's scratch space, guarded by graph_lock. */
static uint16_t bfs_queue[MAX_CLASSES];
static uint16_t bfs_via[MAX_CLASSES];		/* pair that reached a class */

void lockdep_enable(void)
{
	lockdep_requested = true;
	__atomic_store_n(&lockdep_on, true, __ATOMIC_RELEASE);
}

void lockdep_limits(unsigned int *nclasses, unsigned int *npairs)
{
	*nclasses = MAX_CLASSES - 1;
	*npairs = MAX_PAIRS - 1;
}

void lockdep_counts(unsigned int *nclasses, unsigned int *npairs)
{
	*nclasses = __atomic_load_n(&nr_classes, __ATOMIC_RELAXED) - 1;
	*npairs = __atomic_load_n(&nr_pairs, __ATOMIC_RELAXED) - 1;
}

/* Stop checking for good; true for the one caller that stopped it,
 * which says why (once, whatever the other CPUs find meanwhile). */
static bool lockdep_stop(void)
{
	return __atomic_exchange_n(&lockdep_on, false, __ATOMIC_ACQ_REL);
}

/* ---- Names for reports ------------------------------------------------ */

static const char *class_name(uint16_t c, char *buf, size_t size)
{
	const struct lock_class *k = &classes[c];

	if (!k->sub)
		return k->name;
	snprintf(buf, size, "%s/%u", k->name, k->sub);
	return buf;
}

static const char *where(uint64_t ip, char *buf, size_t size)
{
	uint64_t off;
	const char *fn = ksyms_lookup(ip, &off);

	if (fn)
		snprintf(buf, size, "%s+0x%lx", fn, (unsigned long)off);
	else
		snprintf(buf, size, "%#lx", (unsigned long)ip);
	return buf;
}

/* One line: "  A (taken at f+0x10) -> B (taken at g+0x20)". */
static void print_pair(const char *indent, uint16_t from, uint64_t from_ip,
		       uint16_t to, uint64_t to_ip)
{
	char n1[64], n2[64], w1[80], w2[80];

	pr_err("%s%s (taken at %s) -> %s (taken at %s)", indent,
	       class_name(from, n1, sizeof(n1)), where(from_ip, w1, sizeof(w1)),
	       class_name(to, n2, sizeof(n2)), where(to_ip, w2, sizeof(w2)));
}

/* ---- Classes ------------------------------------------------------------ */

static uint32_t class_key_hash(const char *name, unsigned int kind,
			       unsigned int sub)
{
	uint32_t h = 2166136261u;		/* FNV-1a */

	for (const char *p = name; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	h = (h ^ kind) * 16777619u;
	return (h ^ sub) * 16777619u;
}

/*
 * The class for (name, kind, sub), or 0 when the table is full. Found
 * without a lock when it exists; created under graph_lock when not.
 */
static uint16_t class_find(const char *name, unsigned int kind,
			   unsigned int sub)
{
	uint32_t i = class_key_hash(name, kind, sub);
	unsigned long flags = 0;
	bool locked = false;

	for (;; i++) {
		uint16_t c = __atomic_load_n(&class_hash[i & (CLASS_HASH - 1)],
					     __ATOMIC_ACQUIRE);
		if (c && classes[c].kind == kind && classes[c].sub == sub &&
		    !strcmp(classes[c].name, name)) {
			if (locked)
				lockdep_graph_unlock(flags);
			return c;
		}
		if (c)
			continue;
		if (!locked) {		/* retry the probe under the lock */
			flags = lockdep_graph_lock();
			locked = true;
			i = class_key_hash(name, kind, sub) - 1;
			continue;
		}
		if (nr_classes < MAX_CLASSES) {
			c = nr_classes++;
			classes[c] = (struct lock_class){
				.name = name, .kind = kind, .sub = sub };
			__atomic_store_n(&class_hash[i & (CLASS_HASH - 1)], c,
					 __ATOMIC_RELEASE);
		}
		lockdep_graph_unlock(flags);
		return c;
	}
}

/* The lock's class for subclass sub, through its cache; 0 if none. */
static uint16_t lock_class(uint16_t *cache, const char *name,
			   unsigned int kind, unsigned int sub)
{
	uint16_t c = __atomic_load_n(cache, __ATOMIC_RELAXED);

	if (!c) {
		c = class_find(name, kind, 0);
		__atomic_store_n(cache, c, __ATOMIC_RELAXED);
	}
	if (c && sub)			/* nested: its own class, not cached */
		c = class_find(name, kind, sub);
	return c;
}

/* ---- Pairs -------------------------------------------------------------- */

static uint32_t pair_slot(uint16_t from, uint16_t to)
{
	return ((uint32_t)from << 16 | to) * 2654435761u;
}

static bool pair_known(uint16_t from, uint16_t to)
{
	for (uint32_t i = pair_slot(from, to);; i++) {
		uint16_t p = __atomic_load_n(&pair_hash[i & (PAIR_HASH - 1)],
					     __ATOMIC_ACQUIRE);
		if (!p)
			return false;
		if (pairs[p].from == from && pairs[p].to == to)
			return true;
	}
}

/*
 * Is `target` reachable from `start` over recorded pairs? If so, fill
 * path[] with the pairs of one shortest way, last pair first, and return
 * its length (at most PATH_SHOWN kept); else 0. graph_lock held.
 */
static unsigned int graph_path(uint16_t start, uint16_t target,
			       uint16_t path[PATH_SHOWN], unsigned int *len)
{
	unsigned int head = 0, tail = 0;

	memset(bfs_via, 0, sizeof(bfs_via));
	bfs_queue[tail++] = start;
	while (head < tail) {
		uint16_t c = bfs_queue[head++];
		for (uint16_t p = classes[c].first_pair; p;
		     p = pairs[p].next_from) {
			uint16_t to = pairs[p].to;
			if (to == start || bfs_via[to])
				continue;
			bfs_via[to] = p;
			if (to != target) {
				bfs_queue[tail++] = to;
				continue;
			}
			*len = 0;
			for (uint16_t q = p; q; q = pairs[q].from == start ?
			     0 : bfs_via[pairs[q].from]) {
				if (*len < PATH_SHOWN)
					path[*len] = q;
				++*len;
			}
			return *len;
		}
	}
	return 0;
}

static noreturn void report_cycle(const struct lockdep_held *held,
				  uint16_t to, uint64_t ip,
				  const uint16_t path[], unsigned int len)
{
	pr_err("lockdep: lock order inversion");
	print_pair("  now:  ", held->class, held->ip, to, ip);
	pr_err("  but this order was seen before:");
	for (unsigned int i = len; i-- > 0;) {
		if (i >= PATH_SHOWN) {
			pr_err("        ... (%u more)", len - PATH_SHOWN);
			i = PATH_SHOWN;
			continue;
		}
		const struct lock_pair *p = &pairs[path[i]];
		print_pair("        ", p->from, p->from_ip, p->to, p->to_ip);
	}
	char n1[64], n2[64];
	panic("lockdep: %s taken while holding %s, the reverse of an order "
	      "seen before", class_name(to, n1, sizeof(n1)),
	      class_name(held->class, n2, sizeof(n2)));
}

/*
 * Record held -> to (to is being taken at ip). A pair seen before costs
 * a lookup; a new one is checked against the graph first.
 */
static void pair_add(const struct lockdep_held *held, uint16_t to,
		     uint64_t ip)
{
	uint16_t from = held->class, path[PATH_SHOWN];
	unsigned int len;

	if (pair_known(from, to))
		return;
	unsigned long flags = lockdep_graph_lock();
	if (pair_known(from, to)) {		/* another CPU added it */
		lockdep_graph_unlock(flags);
		return;
	}
	if (graph_path(to, from, path, &len)) {
		lockdep_stop();
		lockdep_graph_unlock(flags);
		report_cycle(held, to, ip, path, len);
	}
	if (nr_pairs == MAX_PAIRS) {
		bool say = lockdep_stop();
		lockdep_graph_unlock(flags);
		if (say)
			pr_warn("lockdep: all %d order pairs used; checking "
				"stops", MAX_PAIRS - 1);
		return;
	}
	uint16_t p = nr_pairs++;
	pairs[p] = (struct lock_pair){ .from = from, .to = to,
				       .next_from = classes[from].first_pair,
				       .from_ip = held->ip, .to_ip = ip };
	classes[from].first_pair = p;
	uint32_t i = pair_slot(from, to);
	while (pair_hash[i & (PAIR_HASH - 1)])
		i++;
	__atomic_store_n(&pair_hash[i & (PAIR_HASH - 1)], p, __ATOMIC_RELEASE);
	lockdep_graph_unlock(flags);
}

/* ---- Per-task checks --------------------------------------------------- */

static noreturn void report_recursion(const struct lockdep_held *held,
				      uint64_t ip)
{
	char buf[64], w1[80], w2[80];

	lockdep_stop();
	const char *n = class_name(held->class, buf, sizeof(buf));
	pr_err("lockdep: taking a second %s lock at %s, while holding one "
	       "taken at %s", n, where(ip, w1, sizeof(w1)),
	       where(held->ip, w2, sizeof(w2)));
	pr_err("  two locks of one class need a fixed order between them, "
	       "stated with spin_lock_nested/mutex_lock_nested");
	panic("lockdep: recursive locking of class %s", n);
}

/*
 * Order the lock being taken (class c) after those held: a second lock
 * of a held class is a recursion; otherwise pairs are recorded from the
 * newest held lock (and any trylocks above it: they ordered nothing),
 * the older ones being ordered before it already.
 */
static void check_order(struct lockdep_task *lt, uint16_t c, uint64_t ip)
{
	for (unsigned int i = lt->irq_base; i < lt->depth; i++)
		if (lt->held[i].class == c)
			report_recursion(&lt->held[i], ip);
	for (unsigned int i = lt->depth; i-- > lt->irq_base;) {
		pair_add(&lt->held[i], c, ip);
		if (!lt->held[i].trylock || !lockdep_on)
			break;
	}
}

static void held_push(struct lockdep_task *lt, const void *lock, uint16_t c,
		      bool trylock, uint64_t ip)
{
	if (lt->depth == LOCKDEP_MAX_HELD) {
		if (lockdep_stop())
			pr_warn("lockdep: a task holds more than %d locks; "
				"checking stops", LOCKDEP_MAX_HELD);
		return;
	}
	lt->held[lt->depth++] = (struct lockdep_held){
		.lock = lock, .ip = ip, .class = c, .trylock = trylock };
}

void lockdep_acquire(const void *lock, uint16_t *cache, const char *name,
		     enum lockdep_kind kind, unsigned int sub, bool trylock,
		     uint64_t ip)
{
	struct lockdep_task *lt = lockdep_current();

	if (!lt || !lockdep_on || *cache == LOCKDEP_CLASS_NONE)
		return;
	BUG_ON(sub >= LOCKDEP_SUBCLASSES);
	unsigned long flags = lockdep_irq_off();
	uint16_t c = lock_class(cache, name, kind, sub);
	if (!c && lockdep_stop())
		pr_warn("lockdep: all %d lock classes used; checking stops",
			MAX_CLASSES - 1);
	if (lockdep_on && !trylock)
		check_order(lt, c, ip);
	if (lockdep_on)
		held_push(lt, lock, c, trylock, ip);
	lockdep_irq_restore(flags);
}

void lockdep_adopt(const void *lock, uint16_t *cache, const char *name,
		   enum lockdep_kind kind)
{
	struct lockdep_task *lt = lockdep_current();

	if (!lt || !lockdep_on)
		return;
	unsigned long flags = lockdep_irq_off();
	uint16_t c = lock_class(cache, name, kind, 0);
	if (c && lockdep_on)
		held_push(lt, lock, c, true, 0);
	lockdep_irq_restore(flags);
}

void lockdep_release(const void *lock, uint16_t class, const char *name,
		     uint64_t ip)
{
	struct lockdep_task *lt = lockdep_current();

	if (!lt || !lockdep_on || class == LOCKDEP_CLASS_NONE)
		return;
	unsigned long flags = lockdep_irq_off();
	for (unsigned int i = lt->depth; lockdep_on && i-- > lt->irq_base;) {
		if (lt->held[i].lock != lock)
			continue;
		lt->depth--;
		memmove(&lt->held[i], &lt->held[i + 1],
			(lt->depth - i) * sizeof(lt->held[0]));
		lockdep_irq_restore(flags);
		return;
	}
	if (lockdep_on) {
		char w[80];
		lockdep_stop();
		panic("lockdep: %s released at %s, but this task (or "
		      "interrupt) did not take it", name, where(ip, w, sizeof(w)));
	}
	lockdep_irq_restore(flags);
}

/* ---- Interrupts --------------------------------------------------------- */

/*
 * An interrupt runs on whatever task it came in over. Spinlocks keep
 * interrupts off, so none may be held by the interrupted code; its
 * mutexes may be, but the handler never waits for them (it cannot
 * sleep), so its locks start a new, independent sequence above them.
 */
unsigned int lockdep_irq_enter(void)
{
	struct lockdep_task *lt = lockdep_current();

	if (!lt)
		return 0;
	unsigned int saved = lt->irq_base;
	for (unsigned int i = lt->irq_base; lockdep_on && i < lt->depth; i++) {
		if (classes[lt->held[i].class].kind != LOCKDEP_SPIN)
			continue;
		char w[80];
		lockdep_stop();
		panic("lockdep: interrupt taken while holding spinlock %s "
		      "(taken at %s)", classes[lt->held[i].class].name,
		      where(lt->held[i].ip, w, sizeof(w)));
	}
	lt->irq_base = lt->depth;
	return saved;
}

void lockdep_irq_exit(unsigned int saved)
{
	struct lockdep_task *lt = lockdep_current();

	if (!lt)
		return;
	if (lockdep_on && lt->depth != lt->irq_base) {
		char w[80];
		const struct lockdep_held *h = &lt->held[lt->depth - 1];
		lockdep_stop();
		panic("lockdep: interrupt handler returns holding %s (taken "
		      "at %s)", classes[h->class].name, where(h->ip, w, sizeof(w)));
	}
	lt->irq_base = saved;
}
