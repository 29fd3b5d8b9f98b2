/*
 * bundle: forms carried between machines on a file (spec/cli.md, `jxzp bundle`).
 *
 * A bundle holds the forms a database changed since it last wrote one (or
 * every form with all), their new history rows, comments, and the values
 * each field has held and lost.  A form it sent before travels as what
 * changed since (the form row's changed fields, its changed rows: format
 * 3, store_bundle_make.c); a form new to the chain travels whole.  Applying it merges
 * field by field in one transaction: a field only the sender changed is
 * taken, a field only this side changed is kept, a field changed on both
 * sides is a conflict kept for a person (the local value stays until
 * bundle_resolve).  The same bundle twice changes nothing.
 *
 * The file: a line "JXZP-BUNDLE 2", one line of JSON (format, version,
 * origin database uuid, role, time, units with their sequence numbers,
 * counts, the signer's public key, and for a sealed bundle the nonce and
 * the payload key wrapped for each reader), the payload (an SQLite
 * database image, or its ChaCha20-Poly1305 ciphertext when sealed), a line
 * "SHA256 <hex>" over everything before it, and a last line
 * "ED25519 <hex>": the signer's signature over everything before it
 * (src/keys.h).  From format 3 the database image is deflated (zlib)
 * before it is sealed, and the header says its size (image_bytes).
 * Format 2 is the same with the image as it is and every form whole;
 * format 1 (before keys) also without the signer, the seal and the last
 * line.  A file that is empty, foreign, truncated,
 * altered or of a newer format is refused whole, and nothing is written.
 * Files are written 0600, through a temporary file and rename.
 *
 * What a bundle may do follows from its signer, as trusted here
 * (src/bundle_auth.h): not from the role its header claims.
 *
 * Sequence numbers: each database numbers its bundles per unit (a chain per
 * unit, so the office's bundle for one unit does not leave a gap in
 * another's).  A bundle whose earlier ones (same origin, same unit) were not
 * applied here is refused naming them, unless it was made with all (a full
 * bundle stands alone).
 *
 * Roles: a database is a unit's machine unless `bundle create --office` made
 * it the reviewing office (kept in meta.role).  A unit's bundle may only
 * submit (draft or returned -> submitted), never return or approve, and may
 * not change the fields of a form that is submitted or approved here (such
 * changes are kept as conflicts).  Every bundle may change only forms of
 * the units its header names.
 */
#ifndef JXZP_BUNDLE_H
#define JXZP_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "keys.h"
#include "store.h"

#define BUNDLE_VERSION 3	/* the file format this jxzp writes (and 1 and 2, before it, it reads) */

enum {
	BUNDLE_OK = 0,
	BUNDLE_ERR = -1,	/* I/O or the database */
	BUNDLE_DAMAGED = -2,	/* not a bundle, damaged, truncated, newer format */
	BUNDLE_REFUSED = -3,	/* a sound bundle this database must not take */
	BUNDLE_EMPTY = -4,	/* bundle_create: nothing changed since the last bundle */
	BUNDLE_NOTFOUND = -5,	/* bundle_resolve: no such form or conflict */
};

struct bundle_unit {
	char *unit;
	int64_t seq;		/* this bundle's number in the origin's chain for the unit */
};

struct bundle_info {
	int version;
	char origin[37];	/* the database that wrote it */
	char role[8];		/* "unit" or "office" */
	char created[32];	/* ISO 8601 UTC */
	bool full;		/* made with all: every form of its units */
	struct bundle_unit *units;
	size_t n_units;
	int64_t forms, changes, comments;	/* changes = history rows carried */
	size_t payload_len;	/* as in the file: the ciphertext and tag when sealed */
	size_t image_len;	/* format 3: the database image's bytes once inflated */
	char sha256[65];
	bool is_signed;		/* format 2: signer holds the key whose signature checked */
	struct keys_pub signer;
	bool sealed;
	uint8_t nonce[KEYS_NONCE_LEN];
	struct bundle_reader {
		struct keys_pub key;	/* the reader's */
		uint8_t epk[KEYS_LEN];
		uint8_t wrap[KEYS_WRAP_LEN];
	} *readers;
	size_t n_readers;
	/* bundle_create: why it is not sealed (the unit nobody here can read
	 * for, "" for the office), NULL when sealed or --clear */
	char *unsealed_for;
	/* bundle_apply: who signed it and what it may do, for the merge */
	const struct bundle_auth *auth;
};
void bundle_info_free(struct bundle_info *bi);
/* "3 forms, 1 change, 0 comments" (each count in its own plural) in the
 * interface's language, into buf. */
void bundle_counts_text(char *buf, size_t len, long long forms, long long changes, long long comments);
/* "1 conflict", "2 conflicts", likewise. */
void bundle_conflicts_text(char *buf, size_t len, long long conflicts);

/* Progress of a create or apply: done of total, done never falls and the
 * last call has done == total.  Called inside the transaction: it must not
 * touch the database (draw, nothing more). */
typedef void bundle_progress_fn(void *arg, size_t done, size_t total);

struct bundle_opts {
	const char *unit;	/* only this unit, or NULL */
	int year;		/* only this year, or 0 */
	bool all;		/* every form, not only the changed ones */
	bool office;		/* mark this database as the office first */
	bool clear;		/* not sealed, on purpose */
	bundle_progress_fn *progress;	/* may be NULL; total = forms, in a few coarse steps */
	void *progress_arg;
};

/* Write the bundle to path.  BUNDLE_EMPTY (no file written) when nothing
 * changed.  What it holds is put in *out (free with bundle_info_free). */
int bundle_create(struct store *s, const struct bundle_opts *o, const char *path,
		  struct bundle_info *out, char *err, size_t errlen);

/* Check a file whole, reading only: format, checksum, signature, payload
 * (not a sealed one's: see bundle_check).  Needs no database. */
int bundle_verify(const char *path, struct bundle_info *out, char *err, size_t errlen);
struct bundle_auth;
/* The same at a database: a sealed payload is opened with its key and
 * checked too, and *au (may be NULL; free with bundle_auth_free) says who
 * signed it as this database knows them.  Refuses a sealed bundle that is
 * not for this database, with one line. */
int bundle_check(struct store *s, const char *path, struct bundle_info *out, struct bundle_auth *au,
		 char *err, size_t errlen);

struct bundle_result {
	bool already;		/* applied before: nothing changed */
	int64_t forms_new, forms_updated, forms_unchanged;
	int64_t conflicts;	/* fields kept as conflicts by this bundle */
	int64_t settled;	/* conflicts the other side settled */
};
/* Merge a bundle in one transaction, with the cached summaries (score,
 * grade, errors, 执行率: what the lists show) of the forms it added or
 * changed worked out again in it.  touched (may be NULL) is called after the
 * commit with the local id of every such form. */
int bundle_apply(struct store *s, const char *path, struct bundle_result *r,
		 void (*touched)(struct store *s, int64_t id, void *arg), void *arg,
		 char *err, size_t errlen);
/* The same, calling progress (may be NULL) once per form merged: total =
 * the forms in the bundle. */
int bundle_apply_progress(struct store *s, const char *path, struct bundle_result *r,
			  void (*touched)(struct store *s, int64_t id, void *arg), void *arg,
			  bundle_progress_fn *progress, void *progress_arg,
			  char *err, size_t errlen);

struct bundle_apply_opts {
	bool accept_unsigned;	/* take a format 1 bundle, with a unit's powers only */
};
/* bundle_apply_progress with options (NULL: the defaults). */
int bundle_apply_with(struct store *s, const char *path, const struct bundle_apply_opts *o,
		      struct bundle_result *r,
		      void (*touched)(struct store *s, int64_t id, void *arg), void *arg,
		      bundle_progress_fn *progress, void *progress_arg,
		      char *err, size_t errlen);

/* Open conflicts, ordered by form and field. */
struct bundle_conflict {
	int64_t form_id;
	const char *form_uuid, *unit, *project;
	int year;
	const char *path;		/* the field path today, e.g. "indicators[2].actual" */
	const char *mine, *theirs;	/* NULL = absent */
	const char *mine_origin, *theirs_origin;	/* database uuids */
	const char *at;
	const char *tbl, *rk, *col;	/* where it lives (rk: fund row or indicator uuid) */
};
/* form_id 0 = every form.  fn returning non-zero stops early. */
int bundle_conflicts_for(struct store *s, int64_t form_id,
			 int (*fn)(const struct bundle_conflict *c, void *arg), void *arg);
/* Settle one conflict: keep mine or take theirs, with a history row.  The
 * decision travels in the next bundle. */
int bundle_resolve(struct store *s, int64_t form_id, const char *path, bool keep_theirs,
		   char *err, size_t errlen);

/* The role of this database: "office" or "unit". */
int bundle_role(struct store *s, char role[8], char *err, size_t errlen);

/* For tests and tools: the file for a header and payload (a database
 * image), and back.  bundle_pack writes format 1 (unsigned, as before
 * keys); bundle_pack_signed this jxzp's format, signed by signer and sealed
 * to the readers (none: clear); bundle_pack_version the same in format 2
 * or 3.  bundle_unpack checks the signature, not who made it; the payload
 * comes out as in the file: bundle_unseal opens a sealed one with one of
 * mine, bundle_image gives a clear one's image (both inflate format 3). */
int bundle_pack(const struct bundle_info *bi, const void *payload, size_t len,
		unsigned char **out, size_t *outlen);
int bundle_pack_signed(const struct bundle_info *bi, const void *payload, size_t len,
		       const struct keys_own *signer, const struct keys_pub *readers, size_t n_readers,
		       unsigned char **out, size_t *outlen);
int bundle_pack_version(const struct bundle_info *bi, int version, const void *payload, size_t len,
			const struct keys_own *signer, const struct keys_pub *readers, size_t n_readers,
			unsigned char **out, size_t *outlen);
int bundle_unpack(const unsigned char *buf, size_t len, struct bundle_info *out,
		  const unsigned char **payload, char *err, size_t errlen);
/* BUNDLE_REFUSED with one line when none of mine can open it; *plain is
 * the image, malloc'd. */
int bundle_unseal(const struct bundle_info *bi, const unsigned char *payload, const struct keys_own *mine,
		  size_t n_mine, unsigned char **plain, size_t *plain_len, char *err, size_t errlen);
/* A clear bundle's image, malloc'd: BUNDLE_DAMAGED when it does not inflate. */
int bundle_image(const struct bundle_info *bi, const unsigned char *payload, unsigned char **img,
		 size_t *img_len, char *err, size_t errlen);

#endif
