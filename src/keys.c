/*
 * keys: Ed25519, X25519, HKDF-SHA256 and AES-256-GCM from nettle, put
 * together for bundles (see keys.h).
 *
 * Why AES-256-GCM and not ChaCha20-Poly1305: nettle 3.8 (Debian 12) runs
 * GCM on the AES and carry-less multiply instructions every x86-64 office
 * PC of the last decade has: 860-1140 MB/s here against 430-445 MB/s for
 * ChaCha20-Poly1305 (the last line of tests/bench/keys.sh), and the issue
 * allows sealing 5% of a bundle's time.  GCM's weak points do not bite: software AES's
 * cache timing needs an attacker watching the machine while it seals (a
 * lost USB stick is attacked offline), and the 96-bit random nonce is used
 * once under a fresh random key per bundle (and per reader's wrap).
 */
#include "config.h"
#include "keys.h"

#include <errno.h>
#include <nettle/curve25519.h>
#include <nettle/eddsa.h>
#include <nettle/gcm.h>
#include <nettle/hkdf.h>
#include <nettle/hmac.h>
#include <nettle/memops.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

bool keys_random(void *buf, size_t n)
{
	uint8_t *p = buf;
	while (n) {
		ssize_t r = getrandom(p, n, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		p += r;
		n -= (size_t)r;
	}
	return true;
}

void keys_wipe(void *p, size_t n)
{
	volatile uint8_t *v = p;
	while (n--)
		*v++ = 0;
}

void keys_public(struct keys_own *k)
{
	ed25519_sha512_public_key(k->pub.sign, k->sign_priv);
	curve25519_mul_g(k->pub.seal, k->seal_priv);	/* clamps the scalar itself */
}

bool keys_generate(struct keys_own *k)
{
	if (!keys_random(k->sign_priv, KEYS_LEN) || !keys_random(k->seal_priv, KEYS_LEN))
		return false;
	keys_public(k);
	return true;
}

void keys_hex(const uint8_t *b, size_t n, char *out)
{
	static const char d[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = d[b[i] >> 4];
		out[2 * i + 1] = d[b[i] & 15];
	}
	out[2 * n] = 0;
}

static int nib(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

bool keys_unhex(const char *s, uint8_t *b, size_t n)
{
	if (!s || strlen(s) != 2 * n)
		return false;
	for (size_t i = 0; i < n; i++) {
		int h = nib(s[2 * i]), l = nib(s[2 * i + 1]);
		if (h < 0 || l < 0)
			return false;
		b[i] = (uint8_t)(h << 4 | l);
	}
	return true;
}

void keys_fingerprint(const struct keys_pub *p, char out[KEYS_FP_LEN])
{
	struct sha256_ctx c;
	uint8_t d[SHA256_DIGEST_SIZE];
	sha256_init(&c);
	sha256_update(&c, 16, (const uint8_t *)"jxzp-key-fp-1\0\0\0");
	sha256_update(&c, KEYS_LEN, p->sign);
	sha256_update(&c, KEYS_LEN, p->seal);
	sha256_digest(&c, sizeof d, d);
	size_t o = 0;
	for (int g = 0; g < 6; g++) {
		uint64_t v = 0;
		for (int i = 0; i < 5; i++)
			v = v << 8 | d[5 * g + i];	/* big-endian: the same on every machine */
		o += (size_t)snprintf(out + o, KEYS_FP_LEN - o, "%s%05u", g ? " " : "", (unsigned)(v % 100000));
	}
}

bool keys_fingerprint_match(const char *fp, const char *text)
{
	const char *a = fp, *b = text;
	for (;;) {
		while (*a == ' ')
			a++;
		while (*b == ' ' || *b == '-' || *b == '\t')
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		if (*a++ != *b++)
			return false;
	}
}

void keys_text(const struct keys_pub *p, char out[KEYS_TEXT_LEN])
{
	memcpy(out, KEYS_TEXT_PREFIX, 9);
	keys_hex(p->sign, KEYS_LEN, out + 9);
	keys_hex(p->seal, KEYS_LEN, out + 9 + 64);
}

bool keys_parse(const char *text, size_t len, struct keys_pub *p)
{
	const size_t pl = strlen(KEYS_TEXT_PREFIX);
	for (size_t i = 0; i + pl + 128 <= len; i++) {
		if (memcmp(text + i, KEYS_TEXT_PREFIX, pl) != 0)
			continue;
		char h[129];
		memcpy(h, text + i + pl, 128);
		h[128] = 0;
		if (i + pl + 128 < len && nib(text[i + pl + 128]) >= 0)
			return false;	/* longer than a key: not one */
		char s1[65], s2[65];
		memcpy(s1, h, 64);
		s1[64] = 0;
		memcpy(s2, h + 64, 65);
		return keys_unhex(s1, p->sign, KEYS_LEN) && keys_unhex(s2, p->seal, KEYS_LEN);
	}
	return false;
}

bool keys_equal(const struct keys_pub *a, const struct keys_pub *b)
{
	return memcmp(a, b, sizeof *a) == 0;
}

/* What is signed: a label and the SHA-512 of the file up to the signature. */
static void sig_message(const void *msg, size_t len, uint8_t out[14 + SHA512_DIGEST_SIZE])
{
	struct sha512_ctx c;
	memcpy(out, "jxzp-bundle-2", 14);	/* with its NUL */
	sha512_init(&c);
	sha512_update(&c, len, msg);
	sha512_digest(&c, SHA512_DIGEST_SIZE, out + 14);
}

void keys_sign(const struct keys_own *k, const void *msg, size_t len, uint8_t sig[KEYS_SIG_LEN])
{
	uint8_t m[14 + SHA512_DIGEST_SIZE];
	sig_message(msg, len, m);
	ed25519_sha512_sign(k->pub.sign, k->sign_priv, sizeof m, m, sig);
}

bool keys_verify(const struct keys_pub *p, const void *msg, size_t len, const uint8_t sig[KEYS_SIG_LEN])
{
	uint8_t m[14 + SHA512_DIGEST_SIZE];
	sig_message(msg, len, m);
	return ed25519_sha512_verify(p->sign, sizeof m, m, sig) == 1;
}

void keys_hkdf(const uint8_t *salt, size_t salt_len, const uint8_t *ikm, size_t ikm_len,
	       const uint8_t *info, size_t info_len, uint8_t *out, size_t out_len)
{
	struct hmac_sha256_ctx c;
	uint8_t prk[SHA256_DIGEST_SIZE];
	hmac_sha256_set_key(&c, salt_len, salt);
	hkdf_extract(&c, (nettle_hash_update_func *)hmac_sha256_update,
		     (nettle_hash_digest_func *)hmac_sha256_digest, SHA256_DIGEST_SIZE, ikm_len, ikm, prk);
	hmac_sha256_set_key(&c, sizeof prk, prk);
	hkdf_expand(&c, (nettle_hash_update_func *)hmac_sha256_update,
		    (nettle_hash_digest_func *)hmac_sha256_digest, SHA256_DIGEST_SIZE, info_len, info,
		    out_len, out);
	keys_wipe(prk, sizeof prk);
	keys_wipe(&c, sizeof c);
}

/* The wrapping key and nonce of one reader: HKDF over the X25519 secret,
 * bound to the ephemeral key, the reader's key and the signer's key. */
static bool kek(const uint8_t priv[KEYS_LEN], const uint8_t peer[KEYS_LEN], const uint8_t epk[KEYS_LEN],
		const uint8_t to[KEYS_LEN], const uint8_t signer[KEYS_LEN],
		uint8_t out[KEYS_LEN + KEYS_NONCE_LEN])
{
	static const uint8_t zero[KEYS_LEN];
	uint8_t shared[KEYS_LEN], info[15 + 3 * KEYS_LEN];
	curve25519_mul(shared, priv, peer);
	/* an all-zero secret: the peer's key is a low-order point */
	bool ok = !memeql_sec(shared, zero, KEYS_LEN);
	memcpy(info, "jxzp-seal-1", 12);
	memset(info + 12, 0, 3);
	memcpy(info + 15, epk, KEYS_LEN);
	memcpy(info + 15 + KEYS_LEN, to, KEYS_LEN);
	memcpy(info + 15 + 2 * KEYS_LEN, signer, KEYS_LEN);
	keys_hkdf((const uint8_t *)"jxzp-seal-1", 11, shared, sizeof shared, info, sizeof info, out,
		  KEYS_LEN + KEYS_NONCE_LEN);
	keys_wipe(shared, sizeof shared);
	return ok;
}

bool keys_wrap(const struct keys_pub *to, const uint8_t signer[KEYS_LEN], const uint8_t cek[KEYS_LEN],
	       uint8_t epk[KEYS_LEN], uint8_t wrapped[KEYS_WRAP_LEN])
{
	uint8_t e[KEYS_LEN], k[KEYS_LEN + KEYS_NONCE_LEN];
	if (!keys_random(e, sizeof e))
		return false;
	curve25519_mul_g(epk, e);
	bool ok = kek(e, to->seal, epk, to->seal, signer, k);
	keys_wipe(e, sizeof e);
	if (ok)
		keys_seal(k, k + KEYS_LEN, cek, KEYS_LEN, wrapped);
	keys_wipe(k, sizeof k);
	return ok;
}

bool keys_unwrap(const struct keys_own *me, const uint8_t signer[KEYS_LEN], const uint8_t epk[KEYS_LEN],
		 const uint8_t wrapped[KEYS_WRAP_LEN], uint8_t cek[KEYS_LEN])
{
	uint8_t k[KEYS_LEN + KEYS_NONCE_LEN];
	bool ok = kek(me->seal_priv, epk, epk, me->pub.seal, signer, k) &&
		  keys_open(k, k + KEYS_LEN, wrapped, KEYS_WRAP_LEN, cek);
	keys_wipe(k, sizeof k);
	return ok;
}

void keys_seal(const uint8_t cek[KEYS_LEN], const uint8_t nonce[KEYS_NONCE_LEN], const void *in, size_t n,
	       uint8_t *out)
{
	struct gcm_aes256_ctx c;
	gcm_aes256_set_key(&c, cek);
	gcm_aes256_set_iv(&c, KEYS_NONCE_LEN, nonce);
	gcm_aes256_encrypt(&c, n, out, in);
	gcm_aes256_digest(&c, KEYS_TAG_LEN, out + n);
	keys_wipe(&c, sizeof c);
}

bool keys_open(const uint8_t cek[KEYS_LEN], const uint8_t nonce[KEYS_NONCE_LEN], const uint8_t *in, size_t n,
	       uint8_t *out)
{
	struct gcm_aes256_ctx c;
	uint8_t tag[KEYS_TAG_LEN];
	if (n < KEYS_TAG_LEN)
		return false;
	gcm_aes256_set_key(&c, cek);
	gcm_aes256_set_iv(&c, KEYS_NONCE_LEN, nonce);
	gcm_aes256_decrypt(&c, n - KEYS_TAG_LEN, out, in);
	gcm_aes256_digest(&c, KEYS_TAG_LEN, tag);
	keys_wipe(&c, sizeof c);
	return memeql_sec(tag, in + n - KEYS_TAG_LEN, KEYS_TAG_LEN) != 0;
}
