/*
 * Unit tests of src/keys and the bundle envelope's signature and seal.
 * Known answers: RFC 8032 (Ed25519, test 1), RFC 7748 (X25519, 6.1),
 * RFC 5869 (HKDF-SHA256, test 1), AES-256-GCM test case 15 of McGrew and
 * Viega's GCM specification; keys_sign and the fingerprint on fixed keys
 * as Python's cryptography package computes them (another
 * implementation, not this code).
 */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <nettle/eddsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "keys.h"

static void unhex(const char *h, uint8_t *out, size_t n)
{
	assert_true(keys_unhex(h, out, n));
}

static void hexeq(const uint8_t *b, size_t n, const char *want)
{
	char *h = malloc(2 * n + 1);
	keys_hex(b, n, h);
	assert_string_equal(h, want);
	free(h);
}

#define RFC8032_PRIV "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
#define RFC8032_PUB "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
#define RFC7748_A "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"
#define RFC7748_A_PUB "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"
#define RFC7748_B "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"

static void fixed_key(struct keys_own *k)
{
	unhex(RFC8032_PRIV, k->sign_priv, KEYS_LEN);
	unhex(RFC7748_A, k->seal_priv, KEYS_LEN);
	keys_public(k);
}

static void ed25519_rfc8032(void **state)
{
	(void)state;
	struct keys_own k;
	uint8_t sig[KEYS_SIG_LEN];
	fixed_key(&k);
	hexeq(k.pub.sign, KEYS_LEN, RFC8032_PUB);
	ed25519_sha512_sign(k.pub.sign, k.sign_priv, 0, (const uint8_t *)"", sig);
	hexeq(sig, sizeof sig, "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
			       "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
	/* keys_sign: Ed25519 over the label and SHA-512 of the message */
	keys_sign(&k, "abc", 3, sig);
	hexeq(sig, sizeof sig, "9c61a9101391fa616dd665fc246d670fb498b14def7ce2c96ac74e51b1ae1900"
			       "ae189257d3838dea6c42ef48c62ac4d81f345d21dc220540b1cee628b9569606");
	assert_true(keys_verify(&k.pub, "abc", 3, sig));
	assert_false(keys_verify(&k.pub, "abd", 3, sig));
	sig[10] ^= 1;
	assert_false(keys_verify(&k.pub, "abc", 3, sig));
}

static void x25519_rfc7748(void **state)
{
	(void)state;
	struct keys_own a, b;
	fixed_key(&a);
	hexeq(a.pub.seal, KEYS_LEN, RFC7748_A_PUB);
	unhex(RFC7748_B, b.seal_priv, KEYS_LEN);
	unhex(RFC8032_PRIV, b.sign_priv, KEYS_LEN);
	keys_public(&b);
	hexeq(b.pub.seal, KEYS_LEN, "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
}

static void hkdf_rfc5869(void **state)
{
	(void)state;
	uint8_t ikm[22], salt[13], info[10], okm[42];
	memset(ikm, 0x0b, sizeof ikm);
	unhex("000102030405060708090a0b0c", salt, sizeof salt);
	unhex("f0f1f2f3f4f5f6f7f8f9", info, sizeof info);
	keys_hkdf(salt, sizeof salt, ikm, sizeof ikm, info, sizeof info, okm, sizeof okm);
	hexeq(okm, sizeof okm, "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
			       "34007208d5b887185865");
}

static void aes256_gcm(void **state)
{
	(void)state;
	uint8_t key[32], nonce[12], pt[64], ct[64 + KEYS_TAG_LEN], back[64];
	unhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", key, sizeof key);
	unhex("cafebabefacedbaddecaf888", nonce, sizeof nonce);
	unhex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
	      "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255", pt, sizeof pt);
	keys_seal(key, nonce, pt, sizeof pt, ct);
	hexeq(ct, sizeof ct, "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
			     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad"
			     "b094dac5d93471bdec1a502270e3cc6c");
	assert_true(keys_open(key, nonce, ct, sizeof ct, back));
	assert_memory_equal(back, pt, sizeof pt);
	ct[5] ^= 0x40;
	assert_false(keys_open(key, nonce, ct, sizeof ct, back));
	ct[5] ^= 0x40;
	ct[sizeof ct - 1] ^= 1;	/* the tag */
	assert_false(keys_open(key, nonce, ct, sizeof ct, back));
}

/* The fingerprint of one key is a fixed string: the same on every machine. */
static void fingerprint_is_stable(void **state)
{
	(void)state;
	struct keys_own k;
	char fp[KEYS_FP_LEN], kt[KEYS_TEXT_LEN];
	fixed_key(&k);
	keys_fingerprint(&k.pub, fp);
	assert_string_equal(fp, "79307 22486 95587 90712 52673 95248");
	assert_true(keys_fingerprint_match(fp, "79307-22486-95587-90712-52673-95248"));
	assert_true(keys_fingerprint_match(fp, "793072248695587907125267395248"));
	assert_false(keys_fingerprint_match(fp, "79307 22486 95587 90712 52673 95249"));
	assert_false(keys_fingerprint_match(fp, "79307 22486"));
	keys_text(&k.pub, kt);
	assert_string_equal(kt, "jxzp-key:" RFC8032_PUB RFC7748_A_PUB);
	struct keys_pub p;
	char file[300];
	snprintf(file, sizeof file, "# a comment\n%s\nfingerprint %s\n", kt, fp);
	assert_true(keys_parse(file, strlen(file), &p));
	assert_true(keys_equal(&p, &k.pub));
	kt[40] = 'x';
	assert_false(keys_parse(kt, strlen(kt), &p));
	assert_false(keys_parse("jxzp-key:00", 11, &p));
}

static void wrap_for_the_reader_only(void **state)
{
	(void)state;
	struct keys_own me, other, signer;
	uint8_t cek[KEYS_LEN], epk[KEYS_LEN], wrap[KEYS_WRAP_LEN], back[KEYS_LEN];
	assert_true(keys_generate(&me) && keys_generate(&other) && keys_generate(&signer));
	assert_true(keys_random(cek, sizeof cek));
	assert_true(keys_wrap(&me.pub, signer.pub.sign, cek, epk, wrap));
	assert_true(keys_unwrap(&me, signer.pub.sign, epk, wrap, back));
	assert_memory_equal(back, cek, sizeof cek);
	assert_false(keys_unwrap(&other, signer.pub.sign, epk, wrap, back));
	/* bound to the signer: re-signed by another key, it does not open */
	assert_false(keys_unwrap(&me, other.pub.sign, epk, wrap, back));
	wrap[0] ^= 1;
	assert_false(keys_unwrap(&me, signer.pub.sign, epk, wrap, back));
	/* a low-order point as the ephemeral key: refused, not a zero key */
	uint8_t zero[KEYS_LEN] = { 0 };
	assert_false(keys_unwrap(&me, signer.pub.sign, zero, wrap, back));
}

/* The envelope: signed, sealed, and every byte covered. */
static void envelope_signed_and_sealed(void **state)
{
	(void)state;
	struct keys_own signer, reader, stranger;
	assert_true(keys_generate(&signer) && keys_generate(&reader) && keys_generate(&stranger));
	struct bundle_unit u = { .unit = (char *)"北京市丰台区", .seq = 1 };
	struct bundle_info bi = { .version = BUNDLE_VERSION, .origin = "01234567-89ab-cdef-0123-456789abcdef",
				  .role = "unit", .created = "2026-12-01T00:00:00.000Z", .units = &u, .n_units = 1,
				  .forms = 1 };
	static const char payload[] = "the payload: budget figures 738.62892";
	unsigned char *file;
	size_t flen;
	assert_int_equal(bundle_pack_signed(&bi, payload, sizeof payload, &signer, &reader.pub, 1, &file, &flen),
			 BUNDLE_OK);
	assert_null(memmem(file, flen, "738.62892", 9));	/* nothing in clear */
	struct bundle_info out;
	const unsigned char *pl;
	char err[512];
	assert_int_equal(bundle_unpack(file, flen, &out, &pl, err, sizeof err), BUNDLE_OK);
	assert_true(out.is_signed && out.sealed);
	assert_true(keys_equal(&out.signer, &signer.pub));
	unsigned char *plain;
	size_t plen;
	assert_int_equal(bundle_unseal(&out, pl, &reader, 1, &plain, &plen, err, sizeof err), BUNDLE_OK);
	assert_int_equal(plen, sizeof payload);
	assert_memory_equal(plain, payload, plen);
	free(plain);
	assert_int_equal(bundle_unseal(&out, pl, &stranger, 1, &plain, &plen, err, sizeof err), BUNDLE_REFUSED);
	assert_non_null(strstr(err, "sealed for another database"));
	bundle_info_free(&out);

	/* every byte flipped, at a few places in each part: refused */
	size_t at[] = { 3, 20, 200, flen / 2, flen - 140, flen - 100, flen - 10 };
	for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
		file[at[i]] ^= 0x04;
		assert_int_not_equal(bundle_unpack(file, flen, &out, &pl, err, sizeof err), BUNDLE_OK);
		file[at[i]] ^= 0x04;
	}
	free(file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ed25519_rfc8032),
		cmocka_unit_test(x25519_rfc7748),
		cmocka_unit_test(hkdf_rfc5869),
		cmocka_unit_test(aes256_gcm),
		cmocka_unit_test(fingerprint_is_stable),
		cmocka_unit_test(wrap_for_the_reader_only),
		cmocka_unit_test(envelope_signed_and_sealed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
