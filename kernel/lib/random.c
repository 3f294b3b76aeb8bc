/*
 * The kernel's random number generator, behind getrandom(2), /dev/urandom
 * and any kernel user of random_bytes().
 *
 * Design (as Linux's crng, much reduced): a 256-bit base key under a
 * spinlock. Each request runs ChaCha20 once on the base key, keeps half of
 * that block as the next base key and uses the other half as the key of
 * the request's own stream, generated without the lock. Replacing the key
 * on every request ("fast key erasure") means a later compromise of the
 * kernel's memory reveals nothing about bytes already handed out.
 *
 * The seed comes from RDRAND when the CPU has it, always mixed with
 * timing jitter of the time-stamp counter, through the ChaCha20
 * permutation used as a mixing function. There is no entropy accounting
 * and no reseeding from interrupts: the generator is considered ready
 * once seeded, as Linux's is once its crng is initialised.
 */
#include <types.h>
#include <arch/cpu.h>
#include <lib/printk.h>
#include <lib/random.h>
#include <lib/string.h>
#include <sync/spinlock.h>

#define CHACHA_ROUNDS	20
#define JITTER_SAMPLES_RDRAND	64	/* RDRAND carries the seed */
#define JITTER_SAMPLES_ONLY	2048	/* timing jitter alone */

static struct {
	struct spinlock lock;
	uint8_t key[32];	/* guarded by lock */
	bool seeded;		/* guarded by lock */
} crng = { .lock = SPINLOCK_INIT("crng") };

/* Zero secrets in a way the compiler may not drop as a dead store. */
static void wipe(void *p, size_t n)
{
	memset(p, 0, n);
	__asm__ volatile("" : : "r"(p) : "memory");
}

static inline uint32_t rotl32(uint32_t v, int n)
{
	return (v << n) | (v >> (32 - n));
}

static inline uint32_t load_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline void store_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

#define QUARTER_ROUND(x, a, b, c, d)					\
	do {								\
		x[a] += x[b]; x[d] = rotl32(x[d] ^ x[a], 16);		\
		x[c] += x[d]; x[b] = rotl32(x[b] ^ x[c], 12);		\
		x[a] += x[b]; x[d] = rotl32(x[d] ^ x[a], 8);		\
		x[c] += x[d]; x[b] = rotl32(x[b] ^ x[c], 7);		\
	} while (0)

/* The 20 rounds plus the final addition of the input (RFC 8439 2.3). */
static void chacha20_permute(uint32_t out[16], const uint32_t in[16])
{
	uint32_t x[16];

	memcpy(x, in, sizeof(x));
	for (int i = 0; i < CHACHA_ROUNDS; i += 2) {
		QUARTER_ROUND(x, 0, 4, 8, 12);
		QUARTER_ROUND(x, 1, 5, 9, 13);
		QUARTER_ROUND(x, 2, 6, 10, 14);
		QUARTER_ROUND(x, 3, 7, 11, 15);
		QUARTER_ROUND(x, 0, 5, 10, 15);
		QUARTER_ROUND(x, 1, 6, 11, 12);
		QUARTER_ROUND(x, 2, 7, 8, 13);
		QUARTER_ROUND(x, 3, 4, 9, 14);
	}
	for (int i = 0; i < 16; i++)
		out[i] = x[i] + in[i];
	wipe(x, sizeof(x));
}

void chacha20_block(const uint8_t key[32], uint32_t counter,
		    const uint8_t nonce[12], uint8_t out[64])
{
	/* "expand 32-byte k" */
	uint32_t s[16] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574 };

	for (int i = 0; i < 8; i++)
		s[4 + i] = load_le32(key + 4 * i);
	s[12] = counter;
	for (int i = 0; i < 3; i++)
		s[13 + i] = load_le32(nonce + 4 * i);
	chacha20_permute(s, s);
	for (int i = 0; i < 16; i++)
		store_le32(out + 4 * i, s[i]);
	wipe(s, sizeof(s));
}

/* RDRAND may fail transiently; Intel advises ten retries. */
static bool rdrand64(uint64_t *v)
{
	for (int i = 0; i < 10; i++) {
		bool ok;

		__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok)
			return true;
	}
	return false;
}

/*
 * Absorb one 64-bit sample into the 16-word pool: XOR it into two words,
 * and stir the pool with the ChaCha20 permutation every eight samples.
 */
static void pool_mix(uint32_t pool[16], unsigned int i, uint64_t sample)
{
	pool[(2 * i) % 16] ^= (uint32_t)sample;
	pool[(2 * i + 1) % 16] ^= (uint32_t)(sample >> 32);
	if (i % 8 == 7)
		chacha20_permute(pool, pool);
}

/*
 * Gather a seed and mix it into the base key, keeping whatever entropy
 * the key already had. The time-stamp counter read around each stirring
 * of the pool varies with caches, interrupts and (under QEMU) the host.
 */
static bool crng_seed_locked(void)
{
	uint32_t pool[16];
	bool hw = cpu_has_rdrand;
	unsigned int jitter = hw ? JITTER_SAMPLES_RDRAND : JITTER_SAMPLES_ONLY;
	unsigned int n = 0;
	uint64_t v;

	for (int i = 0; i < 8; i++)
		pool[i] = load_le32(crng.key + 4 * i);
	for (int i = 8; i < 16; i++)
		pool[i] = 0x9e3779b9u * (uint32_t)i;
	for (int i = 0; hw && i < 16; i++) {
		if (!rdrand64(&v)) {
			hw = false;
			jitter = JITTER_SAMPLES_ONLY;
			break;
		}
		pool_mix(pool, n++, v);
	}
	for (unsigned int i = 0; i < jitter; i++)
		pool_mix(pool, n++, rdtsc());
	chacha20_permute(pool, pool);
	for (int i = 0; i < 8; i++)
		store_le32(crng.key + 4 * i, pool[i] ^ pool[8 + i]);
	wipe(pool, sizeof(pool));
	crng.seeded = true;
	return hw;
}

void random_init(void)
{
	bool hw;

	spin_lock(&crng.lock);
	hw = crng_seed_locked();
	spin_unlock(&crng.lock);
	pr_info("random: seeded from %s\n",
		hw ? "RDRAND and TSC jitter" : "TSC jitter");
}

/* Take this request's stream key and replace the base key. */
static void crng_next_key(uint8_t req_key[32])
{
	static const uint8_t zero_nonce[12];
	uint8_t block[64];

	spin_lock(&crng.lock);
	if (!crng.seeded)
		crng_seed_locked();
	chacha20_block(crng.key, 0, zero_nonce, block);
	memcpy(crng.key, block, 32);
	spin_unlock(&crng.lock);
	memcpy(req_key, block + 32, 32);
	wipe(block, sizeof(block));
}

void random_bytes(void *buf, size_t n)
{
	static const uint8_t zero_nonce[12];
	uint8_t key[32], block[64];
	uint8_t *out = buf;
	uint32_t counter = 0;

	if (n == 0)
		return;
	crng_next_key(key);
	while (n > 0) {
		size_t len = MIN(n, sizeof(block));

		/* 2^32 blocks is 256 GiB per request: take a fresh key first. */
		if (counter == UINT32_MAX) {
			crng_next_key(key);
			counter = 0;
		}
		chacha20_block(key, counter++, zero_nonce, block);
		memcpy(out, block, len);
		out += len;
		n -= len;
	}
	wipe(key, sizeof(key));
	wipe(block, sizeof(block));
}
