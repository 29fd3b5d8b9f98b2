/*
 * store: the SQLite database of forms, drafts per unit and year.
 *
 * The only part of jxzp that speaks SQL.  The schema is the numbered
 * migrations of schema/, compiled in; opening a database migrates it forward
 * (PRAGMA user_version).  WAL, a busy timeout, files created 0600.  Saving one
 * field is one transaction that also writes a history row and bumps the
 * form's version; a save made against a stale version changes nothing.
 *
 * Errors come back as a negative STORE_* code with a one-line English message
 * in store_errmsg() that names the file.
 */
#ifndef JXZP_STORE_H
#define JXZP_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include "form.h"

enum {
	STORE_OK = 0,
	STORE_ERR = -1,		/* I/O, full disk, constraint, ... */
	STORE_NOTFOUND = -2,	/* no form with that id */
	STORE_STALE = -3,	/* the form changed since it was loaded */
	STORE_READONLY = -4,	/* database or form cannot be written */
	STORE_LOCKED = -5,	/* another process holds the lock past the timeout */
	STORE_CORRUPT = -6,	/* not a database, or a damaged one */
	STORE_BADPATH = -7,	/* unknown field path */
	STORE_NEWER = -8,	/* schema newer than this program knows */
};

struct store;

/* Open (creating it and its directory, 0700/0600, if missing) and migrate.
 * On failure returns NULL and sets *err (static or owned by errbuf). */
struct store *store_open(const char *path, char *errbuf, size_t errlen, int *code);
void store_close(struct store *s);
const char *store_errmsg(const struct store *s);
const char *store_path(const struct store *s);
int store_schema_version(const struct store *s);
const char *store_db_uuid(const struct store *s);

/* The default database path: $JXZP_DB, else $XDG_DATA_HOME/jxzp/jxzp.db,
 * else ~/.local/share/jxzp/jxzp.db.  Written into buf. */
const char *store_default_path(char *buf, size_t len);

/* Forms. */
int store_insert(struct store *s, struct form *f);	/* sets f->id, f->version, f->updated */
int store_load(struct store *s, int64_t id, struct form **out);
int store_delete(struct store *s, int64_t id);		/* kept in history */
/* One field, one transaction, one history row.  expected_version is what the
 * caller loaded; on success *new_version is the form's new version. */
int store_save_field(struct store *s, int64_t id, int64_t expected_version,
		     const char *path, const char *value, int64_t *new_version);
/* Whole-form replace (used by import and row add/delete/move), with history
 * rows for each field that changed. */
int store_save_form(struct store *s, struct form *f);
int store_set_status(struct store *s, int64_t id, int64_t expected_version,
		     enum form_status to, const char *reason);

/* Cached figures the rules computed, so lists never load whole forms. */
int store_set_summary(struct store *s, int64_t id, const char *score,
		      const char *grade, int errors);

struct form_row {
	int64_t id;
	int year;
	const char *unit, *project, *department, *status, *updated;
	const char *score, *grade;	/* computed, may be NULL */
	int errors;
	int64_t version;
};
struct store_filter {
	const char *unit;	/* exact, or NULL */
	int year;		/* 0 = any */
	const char *status;	/* or NULL */
	const char *text;	/* substring of unit/project/department, or NULL */
};
/* Calls fn for each matching form, ordered by unit, year, project. */
int store_list(struct store *s, const struct store_filter *flt,
	       int (*fn)(const struct form_row *r, void *arg), void *arg);

struct history_row {
	int64_t form_id;
	const char *path, *old_value, *new_value, *at, *user;
};
int store_history(struct store *s, int64_t id,
		  int (*fn)(const struct history_row *r, void *arg), void *arg);

/* Transactions for batch work (import of many forms). */
int store_begin(struct store *s);
int store_commit(struct store *s);
int store_rollback(struct store *s);

#endif
