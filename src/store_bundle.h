/*
 * store_bundle: the SQL behind bundles (part of the store room; used only by
 * src/bundle.c).  Works on its own connection to the store's file, so the
 * store's cached statements and transactions are never disturbed; payloads
 * are SQLite database images built and read in an attached in-memory
 * database, never on disk.
 */
#ifndef JXZP_STORE_BUNDLE_H
#define JXZP_STORE_BUNDLE_H

#include "bundle.h"

struct sb_create;

/* Build the payload of a bundle inside an open write transaction: fills
 * bi (origin, role, units and their new sequence numbers, counts) and the
 * payload.  Then sb_create_end commits (the file was written) or rolls
 * back.  BUNDLE_EMPTY when no form matches. */
int sb_create_begin(struct store *s, const struct bundle_opts *o, struct bundle_info *bi,
		    unsigned char **payload, size_t *len, struct sb_create **h,
		    char *err, size_t errlen);
int sb_create_end(struct sb_create *h, bool commit, char *err, size_t errlen);

/* Is the payload a sound bundle database whose counts match bi?  Reads only,
 * in a private in-memory connection. */
int sb_check(const struct bundle_info *bi, const void *payload, size_t len,
	     char *err, size_t errlen);

/* The figures the list caches of a form (store_set_summary and
 * store_set_rate): "" where the rules could not work one out. */
struct sb_summary {
	char score[16], grade[8], rate[16];
	int errors;
};
struct form;
typedef void sb_score_fn(const struct form *f, struct sb_summary *out, void *arg);

/* Merge the payload; with score, the figures of every form it changed are
 * worked out by it and cached in the same transaction. */
int sb_apply(struct store *s, const struct bundle_info *bi, const void *payload, size_t len,
	     struct bundle_result *r, int64_t **touched, size_t *n_touched,
	     bundle_progress_fn *progress, void *progress_arg,
	     sb_score_fn *score, void *score_arg, char *err, size_t errlen);

int sb_conflicts(struct store *s, int64_t form_id,
		 int (*fn)(const struct bundle_conflict *c, void *arg), void *arg);
int sb_resolve(struct store *s, int64_t form_id, const char *path, bool keep_theirs,
	       char *err, size_t errlen);
int sb_role(struct store *s, char role[8], char *err, size_t errlen);

#endif
