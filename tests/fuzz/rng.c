/*
 * rng.c - the fuzzer's random numbers: xoshiro256** seeded through
 * splitmix64, so a run is a function of its printed seed. Every worker
 * generation has its own stream, seeded with (seed, slot, generation).
 */
#include "fuzz.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void fz_rng_seed(struct fz_rng *r, uint64_t seed, uint64_t a, uint64_t b)
{
	uint64_t x = seed ^ (a * 0x100000001b3ULL) ^ (b << 32) ^ b;

	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t fz_rand(struct fz_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t fz_below(struct fz_rng *r, uint64_t n)
{
	return fz_rand(r) % n;	/* the bias is irrelevant here */
}

int fz_one_in(struct fz_rng *r, uint64_t n)
{
	return fz_below(r, n) == 0;
}
