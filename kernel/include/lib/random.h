/*
 * Kernel randomness (kernel/lib/random.c): a ChaCha20 generator with
 * fast key erasure, seeded from RDRAND and CPU timing jitter.
 */
#ifndef BASALT_LIB_RANDOM_H
#define BASALT_LIB_RANDOM_H

#include <types.h>

/* Fill buf with n cryptographically unpredictable bytes; never blocks. */
void random_bytes(void *buf, size_t n);

/*
 * Seed the generator. Call once at boot, after CPU features are known
 * (cpu_has_rdrand); random_bytes() seeds itself if called earlier, but
 * then without RDRAND.
 */
void random_init(void);

/*
 * The ChaCha20 block function of RFC 8439 (formerly 7539): 64 bytes of
 * key stream for key, 32-bit block counter and 96-bit nonce.
 */
void chacha20_block(const uint8_t key[32], uint32_t counter,
		    const uint8_t nonce[12], uint8_t out[64]);

#endif
