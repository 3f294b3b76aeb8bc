// UNIT_SOURCES: kernel/lib/random.c
/*
 * The kernel random generator: the ChaCha20 block function against the
 * RFC 8439 test vectors, and random_bytes() behaving like a generator
 * (every length fills exactly its buffer, outputs never repeat, bytes are
 * roughly uniform), with and without RDRAND.
 */
#include <string.h>
#include <cpuid.h>
#include <unistd.h>
#include <lib/random.h>
#include "unit.h"

/* The kernel's copy comes from arch/x86_64/cpufeatures.c. */
bool cpu_has_rdrand;

static bool host_has_rdrand(void)
{
	unsigned int a, b, c, d;

	return __get_cpuid(1, &a, &b, &c, &d) && (c & bit_RDRND);
}

/* RFC 8439 section 2.3.2: key 00..1f, nonce 0:0:0:9:0:0:0:4a:0:0:0:0. */
static void test_chacha20_rfc8439_block(void)
{
	static const uint8_t nonce[12] = { 0, 0, 0, 0x09, 0, 0, 0, 0x4a };
	static const uint8_t expect[64] = {
		0x10, 0xf1, 0xe7, 0xe4, 0xd1, 0x3b, 0x59, 0x15,
		0x50, 0x0f, 0xdd, 0x1f, 0xa3, 0x20, 0x71, 0xc4,
		0xc7, 0xd1, 0xf4, 0xc7, 0x33, 0xc0, 0x68, 0x03,
		0x04, 0x22, 0xaa, 0x9a, 0xc3, 0xd4, 0x6c, 0x4e,
		0xd2, 0x82, 0x64, 0x46, 0x07, 0x9f, 0xaa, 0x09,
		0x14, 0xc2, 0xd7, 0x05, 0xd9, 0x8b, 0x02, 0xa2,
		0xb5, 0x12, 0x9c, 0xd1, 0xde, 0x16, 0x4e, 0xb9,
		0xcb, 0xd0, 0x83, 0xe8, 0xa2, 0x50, 0x3c, 0x4e,
	};
	uint8_t key[32], out[64];

	for (int i = 0; i < 32; i++)
		key[i] = (uint8_t)i;
	chacha20_block(key, 1, nonce, out);
	UT_ASSERT(memcmp(out, expect, sizeof(out)) == 0);
}

/* RFC 8439 appendix A.1, test vector #1: all-zero key, nonce, counter. */
static void test_chacha20_zero_key(void)
{
	static const uint8_t zero[32];
	static const uint8_t expect[64] = {
		0x76, 0xb8, 0xe0, 0xad, 0xa0, 0xf1, 0x3d, 0x90,
		0x40, 0x5d, 0x6a, 0xe5, 0x53, 0x86, 0xbd, 0x28,
		0xbd, 0xd2, 0x19, 0xb8, 0xa0, 0x8d, 0xed, 0x1a,
		0xa8, 0x36, 0xef, 0xcc, 0x8b, 0x77, 0x0d, 0xc7,
		0xda, 0x41, 0x59, 0x7c, 0x51, 0x57, 0x48, 0x8d,
		0x77, 0x24, 0xe0, 0x3f, 0xb8, 0xd8, 0x4a, 0x37,
		0x6a, 0x43, 0xb8, 0xf4, 0x15, 0x18, 0xa1, 0x1c,
		0xc3, 0x87, 0xb6, 0x69, 0xb2, 0xee, 0x65, 0x86,
	};
	uint8_t out[64];

	chacha20_block(zero, 0, zero, out);
	UT_ASSERT(memcmp(out, expect, sizeof(out)) == 0);
}

/* Each length writes exactly its bytes: guards before and after stay. */
static void check_lengths(void)
{
	uint8_t buf[300];

	for (size_t n = 0; n <= 260; n++) {
		memset(buf, 0xcc, sizeof(buf));
		random_bytes(buf + 8, n);
		for (size_t i = 0; i < 8; i++)
			UT_ASSERT(buf[i] == 0xcc);
		for (size_t i = 8 + n; i < sizeof(buf); i++)
			UT_ASSERT(buf[i] == 0xcc);
	}
}

/* Consecutive outputs differ, and byte values are roughly uniform. */
static void check_output(void)
{
	static uint8_t a[1 << 16], b[1 << 16];
	unsigned int count[256] = { 0 };
	double chi2 = 0, expect = sizeof(a) / 256.0;

	random_bytes(a, sizeof(a));
	random_bytes(b, sizeof(b));
	UT_ASSERT(memcmp(a, b, sizeof(a)) != 0);
	for (size_t i = 0; i < sizeof(a); i++)
		count[a[i]]++;
	for (int v = 0; v < 256; v++)
		chi2 += (count[v] - expect) * (count[v] - expect) / expect;
	/* 255 degrees of freedom: p < 1e-9 beyond about 420. */
	UT_ASSERT(chi2 < 420);
}

static void test_random_jitter_only(void)
{
	cpu_has_rdrand = false;
	random_init();
	check_lengths();
	check_output();
}

static void test_random_rdrand(void)
{
	cpu_has_rdrand = host_has_rdrand();
	random_init();
	check_lengths();
	check_output();
}

/* Used before random_init(), the generator seeds itself. */
static void test_random_self_seeds(void)
{
	uint8_t a[32], zero[32] = { 0 };

	random_bytes(a, sizeof(a));
	UT_ASSERT(memcmp(a, zero, sizeof(a)) != 0);
	check_output();
}

/* Two boots (here: two fresh processes) must not produce the same bytes. */
static void test_random_seeds_differ(void)
{
	uint8_t first[32], second[32];
	int fds[2];

	UT_ASSERT(pipe(fds) == 0);
	if (fork() == 0) {
		random_init();
		random_bytes(first, sizeof(first));
		UT_ASSERT(write(fds[1], first, sizeof(first)) == sizeof(first));
		_exit(0);
	}
	random_init();
	random_bytes(second, sizeof(second));
	UT_ASSERT(read(fds[0], first, sizeof(first)) == sizeof(first));
	UT_ASSERT(memcmp(first, second, sizeof(first)) != 0);
}

UNIT_MAIN(UNIT_CASE(test_chacha20_rfc8439_block),
	  UNIT_CASE(test_chacha20_zero_key),
	  UNIT_CASE(test_random_jitter_only),
	  UNIT_CASE(test_random_rdrand),
	  UNIT_CASE(test_random_self_seeds),
	  UNIT_CASE(test_random_seeds_differ))
