/*
 * store_keys: the SQL behind keys (schema/008-keys.sql), on the store's
 * connection.  The crypto is src/keys.c; what a key may do is
 * src/bundle_auth.c.  Errors are STORE_* codes with store_errmsg().
 */
#ifndef JXZP_STORE_KEYS_H
#define JXZP_STORE_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include "keys.h"
#include "store.h"

/* This database's current key pair, made (and committed) if it has none. */
int store_key_own(struct store *s, struct keys_own *out);
/* Every own pair, the current one first, replaced ones after (to open
 * bundles sealed to an older key).  Free with free(); *n may be 0. */
int store_key_own_all(struct store *s, struct keys_own **out, size_t *n);
/* A new current pair; the old one is kept only to open sealed bundles. */
int store_key_replace(struct store *s, struct keys_own *out);

/* What this database knows of a key. */
struct key_standing {
	bool revoked;
	char revoked_at[32];
	bool office;		/* trusted as the office */
	char **units;		/* the units it is trusted for */
	size_t n_units;
};
void key_standing_free(struct key_standing *ks);
int store_key_standing(struct store *s, const struct keys_pub *p, struct key_standing *out);

/* Trust p for unit (NULL: as the office, replacing the office key trusted
 * before; *replaced says whether there was one).  STORE_BADSTATE when it is
 * revoked, or is this database's own key. */
int store_key_trust(struct store *s, const struct keys_pub *p, const char *unit, bool *replaced);
/* Revoke p: never trusted again here.  STORE_BADSTATE for this database's
 * own key; STORE_OK too when it was not trusted (it still is refused). */
int store_key_revoke(struct store *s, const struct keys_pub *p);
/* A key known here (trusted or revoked) whose fingerprint is fp. */
int store_key_find(struct store *s, const char *fp, struct keys_pub *out);

/* Every trusted or revoked key: role "office", "unit" or "revoked". */
struct key_row {
	struct keys_pub pub;
	const char *role, *unit, *at;
};
int store_key_each(struct store *s, int (*fn)(const struct key_row *r, void *arg), void *arg);

/* The keys a bundle of these units is sealed to: the trusted office keys
 * and the keys trusted for any of the units, none revoked.  *missing gets
 * the first unit (or "" for the office) nobody here can read for, when
 * office_needed or a unit lacks a key; NULL when all are covered.  Free
 * *out with free() and *missing too. */
int store_key_readers(struct store *s, char *const *units, size_t n_units, bool office_db,
		      struct keys_pub **out, size_t *n, char **missing);

#endif
