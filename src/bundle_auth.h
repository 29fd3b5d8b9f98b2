/*
 * bundle_auth: what a bundle may do, from who signed it (issue 16).
 *
 * Pure: the signer's standing comes from store_keys, the decisions are
 * made here.  bundle.c admits or refuses a bundle whole before it is
 * merged (bundle_auth_admit); the merge in store_bundle.c asks once per
 * form whether the signer may touch it (bundle_auth_form) and whether it
 * has the office's powers (bundle_auth_office: return and approve).
 *
 * The rule:
 * - signed by the office key trusted here: the office's powers;
 * - signed by a key trusted for units: only forms of those units, in the
 *   bundle and here, and only submitting (as a unit always could);
 * - signed by a key not trusted here, or revoked: refused whole;
 * - unsigned (a bundle of a jxzp before keys): refused unless the person
 *   says --accept-unsigned, and then with a unit's powers over the units
 *   its header names, never the office's: it cannot return or approve.
 */
#ifndef JXZP_BUNDLE_AUTH_H
#define JXZP_BUNDLE_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include "keys.h"

enum signer_state {
	SIGNER_UNSIGNED,	/* an old bundle, without a signature */
	SIGNER_UNKNOWN,		/* a sound signature by a key not trusted here */
	SIGNER_REVOKED,
	SIGNER_UNIT,		/* a key trusted here for units */
	SIGNER_OFFICE,		/* the office key trusted here */
	SIGNER_SELF,		/* this database's own key */
};

struct bundle_auth {
	enum signer_state state;
	struct keys_pub key;
	char fp[KEYS_FP_LEN];
	char revoked_at[32];
	char **units;		/* SIGNER_UNIT: the units it speaks for */
	size_t n_units;
	bool office;		/* decided by admit: may return and approve */
	bool unsigned_ok;	/* --accept-unsigned */
};
void bundle_auth_free(struct bundle_auth *au);

struct bundle_info;
/* May the bundle be applied at all?  BUNDLE_OK, or BUNDLE_REFUSED with one
 * line naming the signer and what would change that (the command that
 * trusts the key). */
int bundle_auth_admit(struct bundle_auth *au, const struct bundle_info *bi, const char *file,
		      char *err, size_t errlen);
/* May the signer change a form of unit theirs (as it comes in the bundle)
 * that is of unit here (NULL: new here)?  NULL, or why not. */
const char *bundle_auth_form(const struct bundle_auth *au, const char *theirs, const char *here);
/* The office's powers?  False without an admitted signer. */
bool bundle_auth_office(const struct bundle_auth *au);

/* One line for people: "the office's key 12345 …", "a key not trusted
 * here: 12345 …", "unsigned". */
void bundle_auth_describe(const struct bundle_auth *au, char *buf, size_t len);

#endif
