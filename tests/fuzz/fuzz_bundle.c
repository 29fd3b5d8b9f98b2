/*
 * fuzz_bundle: libFuzzer target for the bundle readers: the envelope
 * (bundle_unpack, bundle_unseal, bundle_image: src/bundle.c, src/keys.c),
 * format 3's inflating, and the payload's check (sb_check:
 * src/store_bundle.c, a database image read in memory).
 *
 * The first byte picks the mode.  Even: the rest is the file as it came.
 * Odd: the rest is a file without its last lines, and the target adds a
 * right checksum line (and, for format 2, a right signature by a fixed
 * key), so the fuzzer gets past the checksum to the header, the signer,
 * the seal and its readers.  A sealed bundle is then opened with that same
 * key, a clear one inflated, and the image checked.  Checked: a payload
 * found lies inside the input and has the length the header says, an image
 * has the size the header says, every refusal has a message; nothing leaks
 * (ASan).  Build and run: tests/fuzz/run_bundle.sh.
 */
#include "config.h"
#include "bundle.h"
#include "keys.h"
#include "store_bundle.h"

#include <assert.h>
#include <nettle/sha2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct keys_own key;

static void fixed_key(void)
{
	static int done;
	if (done)
		return;
	for (int i = 0; i < KEYS_LEN; i++) {
		key.sign_priv[i] = (uint8_t)(i * 7 + 1);
		key.seal_priv[i] = (uint8_t)(i * 13 + 5);
	}
	keys_public(&key);
	done = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fixed_key();
	if (size == 0)
		return 0;
	bool repair = data[0] & 1;
	data++, size--;
	size_t cap = size + 72 + 137;
	uint8_t *buf = malloc(cap ? cap : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	size_t n = size;
	if (repair) {
		struct sha256_ctx c;
		uint8_t d[SHA256_DIGEST_SIZE];
		char hex[2 * KEYS_SIG_LEN + 1];
		sha256_init(&c);
		sha256_update(&c, n, buf);
		sha256_digest(&c, sizeof d, d);
		keys_hex(d, sizeof d, hex);
		n += (size_t)sprintf((char *)buf + n, "SHA256 %s", hex);
		buf[n++] = '\n';
		if (size >= 13 && memcmp(data, "JXZP-BUNDLE 1", 13) != 0) {
			/* as bundle_pack: over the digest of what the checksum covers */
			uint8_t sig[KEYS_SIG_LEN];
			keys_sign(&key, d, sizeof d, sig);
			keys_hex(sig, sizeof sig, hex);
			n += (size_t)sprintf((char *)buf + n, "ED25519 %s", hex);
			buf[n++] = '\n';
		}
	}
	struct bundle_info bi;
	const unsigned char *payload;
	char err[1024];
	if (bundle_unpack(buf, n, &bi, &payload, err, sizeof err) == BUNDLE_OK) {
		assert(payload >= buf && payload + bi.payload_len <= buf + n);
		assert(!bi.sealed || bi.n_readers > 0);
		unsigned char *plain = NULL;
		size_t plen = 0;
		int rc = bi.sealed ? bundle_unseal(&bi, payload, &key, 1, &plain, &plen, err, sizeof err) :
			bundle_image(&bi, payload, &plain, &plen, err, sizeof err);
		if (rc == BUNDLE_OK) {
			if (bi.version >= 3)
				assert(plen == bi.image_len);
			else
				assert(plen + (bi.sealed ? KEYS_TAG_LEN : 0) == bi.payload_len);
			if (sb_check(&bi, plain, plen, err, sizeof err) != BUNDLE_OK)
				assert(memchr(err, '\0', sizeof err) && err[0]);
		} else {
			assert(memchr(err, '\0', sizeof err) && err[0]);
		}
		free(plain);
		bundle_info_free(&bi);
	} else {
		assert(memchr(err, '\0', sizeof err) && err[0]);
	}
	free(buf);
	return 0;
}
