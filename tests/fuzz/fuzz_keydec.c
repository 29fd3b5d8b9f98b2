/*
 * fuzz_keydec: libFuzzer target for ui/keydec, the screen's input decoder.
 * Any bytes in: every character out is a Unicode scalar value; for valid
 * UTF-8 the characters are exactly libunistring's decoding of it; and after
 * any bytes whatever, a valid character that follows comes out whole
 * (one bad byte loses nothing after it).
 * Build and run: tests/fuzz/run_keydec.sh [seconds]
 */
#include "config.h"
#include "keydec.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct keydec d;
	keydec_init(&d);
	ucs4_t *out = malloc((size + 8) * sizeof *out);
	size_t n = 0;
	assert(out);
	for (size_t i = 0; i < size; i++) {
		int r = keydec_feed(&d, data[i]);
		assert(r >= KD_BAD);
		if (r >= 0) {
			assert(r <= 0x10ffff && (r < 0xd800 || r > 0xdfff));
			out[n++] = (ucs4_t)r;
		}
	}
	if (u8_check(data, size) == NULL) {
		assert(d.need == 0);	/* valid text ends on a character boundary */
		size_t m = 0;
		for (size_t i = 0; i < size;) {
			ucs4_t uc;
			int k = u8_mbtouc(&uc, data + i, size - i);
			assert(k > 0 && m < n && out[m] == uc);
			m++;
			i += (size_t)k;
		}
		assert(m == n);
	}
	/* "中" after whatever came comes out whole: a sequence left open is
	 * dropped by 中's first byte, which starts afresh */
	static const uint8_t zh[3] = { 0xe4, 0xb8, 0xad };
	int got = -1;
	for (int i = 0; i < 3; i++)
		got = keydec_feed(&d, zh[i]);
	assert(got == 0x4e2d);
	keydec_flush(&d);
	free(out);
	return 0;
}
