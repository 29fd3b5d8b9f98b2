/*
 * fuzz_bundle: libFuzzer target for the bundle envelope reader
 * (bundle_unpack, bundle_unseal: src/bundle.c, src/keys.c).
 *
 * The first byte picks the mode.  Even: the rest is the file as it came.
 * Odd: the rest is a file without its last lines, and the target adds a
 * right checksum line (and, for format 2, a right signature by a fixed
 * key), so the fuzzer gets past the checksum to the header, the signer,
 * the seal and its readers.  A sealed bundle is then opened with that same
 * key.  Checked: a payload found lies inside the input and has the length
 * the header says; nothing leaks (ASan).  Build and run: tests/fuzz/run_bundle.sh.
 */
#include "config.h"
#include "bundle.h"
#include "keys.h"

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
			uint8_t sig[KEYS_SIG_LEN];
			keys_sign(&key, buf, n, sig);
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
		if (bi.sealed) {
			unsigned char *plain = NULL;
			size_t plen = 0;
			if (bundle_unseal(&bi, payload, &key, 1, &plain, &plen, err, sizeof err) == BUNDLE_OK)
				assert(plen + KEYS_TAG_LEN == bi.payload_len);
			free(plain);
		}
		bundle_info_free(&bi);
	} else {
		assert(memchr(err, '\0', sizeof err) && err[0]);
	}
	free(buf);
	return 0;
}
