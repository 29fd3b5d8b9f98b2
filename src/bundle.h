/*
 * bundle: forms carried between machines on a file (spec/cli.md, `jxzp bundle`).
 *
 * A bundle holds the whole current rows of the forms a database changed
 * since it last wrote one (or every form with all), their new history rows,
 * comments, and the values each field has held and lost.  Applying it merges
 * field by field in one transaction: a field only the sender changed is
 * taken, a field only this side changed is kept, a field changed on both
 * sides is a conflict kept for a person (the local value stays until
 * bundle_resolve).  The same bundle twice changes nothing.
 *
 * The file: a line "JXZP-BUNDLE 1", one line of JSON (format, version,
 * origin database uuid, role, time, units with their sequence numbers,
 * counts), the payload (an SQLite database image), and a last line
 * "SHA256 <hex>" over everything before it.  A file that is empty, foreign,
 * truncated, altered or of a newer format is refused whole, and nothing is
 * written.  Files are written 0600, through a temporary file and rename.
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
#include "store.h"

#define BUNDLE_VERSION 1	/* the file format this jxzp writes and reads */

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
	size_t payload_len;
	char sha256[65];
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
	bundle_progress_fn *progress;	/* may be NULL; total = forms, in a few coarse steps */
	void *progress_arg;
};

/* Write the bundle to path.  BUNDLE_EMPTY (no file written) when nothing
 * changed.  What it holds is put in *out (free with bundle_info_free). */
int bundle_create(struct store *s, const struct bundle_opts *o, const char *path,
		  struct bundle_info *out, char *err, size_t errlen);

/* Check a file whole, reading only: format, checksum, payload.  Needs no
 * database. */
int bundle_verify(const char *path, struct bundle_info *out, char *err, size_t errlen);

struct bundle_result {
	bool already;		/* applied before: nothing changed */
	int64_t forms_new, forms_updated, forms_unchanged;
	int64_t conflicts;	/* fields kept as conflicts by this bundle */
	int64_t settled;	/* conflicts the other side settled */
};
/* Merge a bundle in one transaction.  touched (may be NULL) is called after
 * the commit with the local id of every form added or changed, so the caller
 * can refresh their cached summaries. */
int bundle_apply(struct store *s, const char *path, struct bundle_result *r,
		 void (*touched)(struct store *s, int64_t id, void *arg), void *arg,
		 char *err, size_t errlen);
/* The same, calling progress (may be NULL) once per form merged: total =
 * the forms in the bundle. */
int bundle_apply_progress(struct store *s, const char *path, struct bundle_result *r,
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

/* For tests and tools: the file for a header and payload, and back. */
int bundle_pack(const struct bundle_info *bi, const void *payload, size_t len,
		unsigned char **out, size_t *outlen);
int bundle_unpack(const unsigned char *buf, size_t len, struct bundle_info *out,
		  const unsigned char **payload, char *err, size_t errlen);

#endif
