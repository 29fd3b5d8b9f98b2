/*
 * keyhash: a keyed hash for digests that stand for texts (the rules'
 * memo).  A polynomial over the integers mod p = 2^61 − 1 evaluated at a
 * random point r (Carter and Wegman's universal hashing): two different
 * texts of at most n 7-byte words give the same digest for at most n + 1
 * of the p values of r, so with r secret and random, nobody can make a
 * text that has another text's digest except by chance, at most
 * (n + 1) / 2^61 (2^-58 for a cell of 40 bytes, 2^-47 at 64 KiB).
 * Keyed SipHash would do the same at four times the instructions, which
 * the screen pays on every keystroke (tests/bench/rules.sh), and none of
 * the Debian libraries jxzp links (nettle, libunistring, SQLite, jansson)
 * has SipHash.
 */
#ifndef JXZP_KEYHASH_H
#define JXZP_KEYHASH_H

#include <stddef.h>
#include <stdint.h>

#define KEYHASH_P ((UINT64_C(1) << 61) - 1)

struct keyhash_key {
	uint64_t r;		/* 1 .. p − 1 */
};

/* A key from getrandom(2) (or, if the kernel gives nothing, from the
 * clock, the process id and an address: never the same twice). */
void keyhash_key_random(struct keyhash_key *k);
/* The digest of len bytes (below p), and of n words (digests, small
 * numbers; each taken mod p).  Inline: the memo hashes every cell of a
 * form on every run. */
static inline uint64_t keyhash(const struct keyhash_key *k, const void *data, size_t len);
static inline uint64_t keyhash_words(const struct keyhash_key *k, const uint64_t *w, size_t n);

/* a · b mod p, up to a multiple of p: a < 2^63, b < p give a result
 * below 2^62 (a 61-bit fold twice); keyhash_final makes it exact */
static inline uint64_t keyhash_mul(uint64_t a, uint64_t b)
{
	unsigned __int128 z = (unsigned __int128)a * b;
	uint64_t s = ((uint64_t)z & KEYHASH_P) + (uint64_t)(z >> 61);
	return (s & KEYHASH_P) + (s >> 61);
}

static inline uint64_t keyhash_final(uint64_t h)
{
	h = (h & KEYHASH_P) + (h >> 61);
	return h >= KEYHASH_P ? h - KEYHASH_P : h;
}

static inline uint64_t keyhash(const struct keyhash_key *k, const void *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data;
	uint64_t h = 0, r = k->r;
	size_t i = 0;
	for (; i + 8 <= len; i += 7) {	/* 8 bytes read, 7 used */
		uint64_t w;
		__builtin_memcpy(&w, p + i, 8);
		h = keyhash_mul(h + (w & UINT64_C(0x00ffffffffffffff)), r);
	}
	if (i < len) {
		uint64_t w = 0;
		__builtin_memcpy(&w, p + i, len - i);
		h = keyhash_mul(h + w, r);
	}
	return keyhash_final(keyhash_mul(h + (uint64_t)len, r));
}

static inline uint64_t keyhash_words(const struct keyhash_key *k, const uint64_t *w, size_t n)
{
	uint64_t h = 0;
	for (size_t i = 0; i < n; i++)
		h = keyhash_mul(h + (w[i] % KEYHASH_P), k->r);
	return keyhash_final(keyhash_mul(h + n, k->r));
}

#endif
