/*
 * keyhash: polynomial hashing mod 2^61 − 1 (keyhash.h; the hashing is
 * inline there, the key is made here).  Horner's rule,
 * h = (h + w) · r mod p for each word w, then the length as a last word,
 * so texts of different lengths are different polynomials too; a word is
 * 7 bytes (below 2^56 < p), so different texts never give equal words.
 */
#include "config.h"
#include "keyhash.h"

#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define P KEYHASH_P

void keyhash_key_random(struct keyhash_key *k)
{
	uint64_t v = 0;
	unsigned char b[8];
	size_t got = 0;
	while (got < sizeof b) {
		ssize_t n = getrandom(b + got, sizeof b - got, 0);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got == sizeof b) {
		memcpy(&v, b, sizeof v);
	} else {
		/* no entropy from the kernel: still different in every run */
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		v = (uint64_t)ts.tv_nsec * UINT64_C(0x9e3779b97f4a7c15) ^ (uint64_t)ts.tv_sec ^
		    (uint64_t)getpid() << 40 ^ (uint64_t)(uintptr_t)k;
	}
	v %= P;
	k->r = v ? v : 1;
}
