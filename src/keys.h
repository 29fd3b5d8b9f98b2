/*
 * keys: the cryptography of signed and sealed bundles, all from nettle
 * (hogweed for the curves).  Pure but for keys_random (getrandom(2)): no
 * SQL, no files; src/store_keys.c keeps the keys, src/bundle.c uses them.
 *
 * A database has one key pair of each kind: Ed25519 to sign its bundles,
 * X25519 to receive sealed ones.  Its public key is the two public halves
 * together (64 bytes), written "jxzp-key:" + 128 hex digits; its
 * fingerprint is six groups of five digits, read aloud over the telephone
 * (SHA-256 of the key, five bytes a group, each mod 100000: about 100
 * bits, the same on every machine).
 *
 * Sealing (keys_wrap/keys_seal): the payload is encrypted once with a
 * random 256-bit key under AES-256-GCM (why: keys.c); that key is wrapped for each
 * reader with its own ephemeral X25519 agreement, the wrapping key derived
 * by HKDF-SHA256 over the shared secret, with the ephemeral public key,
 * the reader's public key and the signer's public key in its info (so a
 * bundle re-signed by another key cannot be opened).
 */
#ifndef JXZP_KEYS_H
#define JXZP_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KEYS_LEN 32		/* every key half and the payload key */
#define KEYS_SIG_LEN 64
#define KEYS_NONCE_LEN 12
#define KEYS_TAG_LEN 16
#define KEYS_WRAP_LEN (KEYS_LEN + KEYS_TAG_LEN)
#define KEYS_FP_LEN 36		/* "12345 12345 12345 12345 12345 12345" + NUL */
#define KEYS_TEXT_PREFIX "jxzp-key:"
#define KEYS_TEXT_LEN (9 + 128 + 1)

struct keys_pub {
	uint8_t sign[KEYS_LEN];	/* Ed25519 */
	uint8_t seal[KEYS_LEN];	/* X25519 */
};

struct keys_own {
	struct keys_pub pub;
	uint8_t sign_priv[KEYS_LEN], seal_priv[KEYS_LEN];
};

/* n bytes from the kernel's generator; false if it fails. */
bool keys_random(void *buf, size_t n);
/* A new pair of each kind; false if there is no randomness. */
bool keys_generate(struct keys_own *k);
/* The public halves of private ones (for a key read back from storage). */
void keys_public(struct keys_own *k);
void keys_wipe(void *p, size_t n);

void keys_fingerprint(const struct keys_pub *p, char out[KEYS_FP_LEN]);
/* Does text hold the same digits as fp (spaces and dashes ignored)? */
bool keys_fingerprint_match(const char *fp, const char *text);
void keys_text(const struct keys_pub *p, char out[KEYS_TEXT_LEN]);
/* The first "jxzp-key:..." in text (a key file, a line pasted). */
bool keys_parse(const char *text, size_t len, struct keys_pub *p);
bool keys_equal(const struct keys_pub *a, const struct keys_pub *b);

/* Ed25519 over "jxzp-bundle-2" NUL SHA-512(msg).  A bundle signs the
 * SHA-256 of its body (what its checksum line holds), so the file is read
 * once for both. */
void keys_sign(const struct keys_own *k, const void *msg, size_t len, uint8_t sig[KEYS_SIG_LEN]);
bool keys_verify(const struct keys_pub *p, const void *msg, size_t len, const uint8_t sig[KEYS_SIG_LEN]);

/* Wrap the payload key cek for reader to: epk and wrapped go in the header.
 * False if there is no randomness. */
bool keys_wrap(const struct keys_pub *to, const uint8_t signer[KEYS_LEN], const uint8_t cek[KEYS_LEN],
	       uint8_t epk[KEYS_LEN], uint8_t wrapped[KEYS_WRAP_LEN]);
/* False unless it was wrapped for me by that signer, unaltered. */
bool keys_unwrap(const struct keys_own *me, const uint8_t signer[KEYS_LEN], const uint8_t epk[KEYS_LEN],
		 const uint8_t wrapped[KEYS_WRAP_LEN], uint8_t cek[KEYS_LEN]);
/* AES-256-GCM: out gets n + KEYS_TAG_LEN bytes. */
void keys_seal(const uint8_t cek[KEYS_LEN], const uint8_t nonce[KEYS_NONCE_LEN], const void *in, size_t n,
	       uint8_t *out);
/* n counts the tag; out gets n - KEYS_TAG_LEN bytes, to be used only when
 * it returns true. */
bool keys_open(const uint8_t cek[KEYS_LEN], const uint8_t nonce[KEYS_NONCE_LEN], const uint8_t *in, size_t n,
	       uint8_t *out);

/* HKDF-SHA256 (RFC 5869), for the wrapping key; here for the tests too. */
void keys_hkdf(const uint8_t *salt, size_t salt_len, const uint8_t *ikm, size_t ikm_len,
	       const uint8_t *info, size_t info_len, uint8_t *out, size_t out_len);

/* Hex, lower case, and back (false on anything else or a wrong length). */
void keys_hex(const uint8_t *b, size_t n, char *out);
bool keys_unhex(const char *s, uint8_t *b, size_t n);

#endif
