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
	STORE_BADSTATE = -9,	/* a status change the workflow does not allow */
	STORE_EXISTS = -10,	/* a live form with that unit, year, project exists */
	STORE_BADVALUE = -11,	/* text the input rule refuses (src/input.h) */
};

struct store;

/* Open (creating it and its directory, 0700/0600, if missing) and migrate.
 * A zero-byte file is refused (STORE_CORRUPT) like any non-database; a
 * database this call created and could not finish (a full disk) is removed
 * with its -wal, -shm and the folders it made.
 * On failure returns NULL, writes one line naming the file into errbuf and
 * sets *code: STORE_CORRUPT (not SQLite, damaged, another program's),
 * STORE_READONLY (read-only file or directory), STORE_LOCKED, STORE_NEWER,
 * STORE_ERR.  A file it refuses is left byte for byte as it was.
 * Durability: WAL with synchronous=NORMAL: a call that returned STORE_OK
 * survives the process being killed; a power loss may lose the last ones. */
struct store *store_open(const char *path, char *errbuf, size_t errlen, int *code);
/* The same with the busy timeout in milliseconds (store_open uses 5000). */
struct store *store_open_timeout(const char *path, int busy_ms, char *errbuf,
				 size_t errlen, int *code);
/* The same for commands that only use a database that exists: a missing
 * file or folder is STORE_NOTFOUND naming it, and nothing is created. */
struct store *store_open_existing(const char *path, char *errbuf, size_t errlen, int *code);
void store_close(struct store *s);
/* Has any call found the disk full (its message says so)?  The command
 * line then exits 2. */
bool store_disk_full(const struct store *s);
const char *store_errmsg(const struct store *s);
const char *store_path(const struct store *s);
int store_schema_version(const struct store *s);
const char *store_db_uuid(const struct store *s);

/* The default database path: $JXZP_DB, else $XDG_DATA_HOME/jxzp/jxzp.db,
 * else ~/.local/share/jxzp/jxzp.db.  Written into buf. */
const char *store_default_path(char *buf, size_t len);

/* Forms. */
/* Stores f as it is (its status and return_reason too; an importer sets
 * draft).  Needs unit, project and a year 1900..2999; a live form with the
 * same unit, year and project, or the same uuid, is STORE_EXISTS naming its
 * id.  Gives missing uuids to the form and its rows; sets f->id,
 * f->version (1) and f->updated. */
int store_insert(struct store *s, struct form *f);
/* store_insert, store_save_field and store_save_form refuse text that
 * breaks the input rule (src/input.h: invalid UTF-8, control characters,
 * too long) with STORE_BADVALUE and input_check's message: nothing written. */
/* Live forms only: a deleted id is STORE_NOTFOUND.  *out is NULL on error. */
int store_load(struct store *s, int64_t id, struct form **out);
/* Marks the form deleted (kept, with a history row "deleted"); it is no
 * longer listed or loadable and frees its unit, year, project.  Submitted
 * and approved forms are STORE_READONLY. */
int store_delete(struct store *s, int64_t id);
/* Brings a deleted form back as it was deleted (history row "deleted",
 * 1 → 0; a new version, so bundles carry it).  STORE_NOTFOUND for an id
 * never known, STORE_BADSTATE for a live form, STORE_EXISTS when a live
 * form has taken its unit, year and project since (the message names it). */
int store_restore(struct store *s, int64_t id);
/* One field, one transaction, one history row.  expected_version is what the
 * caller loaded; on success *new_version is the form's new version.
 * Refused: STORE_STALE (another save came first: nothing written),
 * STORE_READONLY (submitted or approved), STORE_BADPATH (no such path or
 * indicator row), STORE_EXISTS (unit/year/project taken), STORE_ERR (a
 * year that is not one, an unknown layout, an empty unit or project).
 * The value it already has: STORE_OK, nothing written, version unchanged.
 * History: form uuid, path, old, new, UTC time to the millisecond, OS user. */
int store_save_field(struct store *s, int64_t id, int64_t expected_version,
		     const char *path, const char *value, int64_t *new_version);
/* Whole-form replace (used by import and row add/delete/move), with history
 * rows for each field that changed.  f->version must be the stored one
 * (else STORE_STALE); status and return_reason are not touched (see
 * store_set_status).  Indicators are matched by uuid: a changed field is a
 * history row at its new position, and rows added, removed or moved are one
 * history row "indicators" with the row uuids before and after, comma
 * separated.  On success f->version and f->updated follow the database
 * (unchanged if nothing changed). */
int store_save_form(struct store *s, struct form *f);
/* The workflow: draft -> submitted, returned -> submitted,
 * submitted -> returned (reason required, kept in form.return_reason until
 * the form is submitted again), submitted -> approved.  Anything else is
 * STORE_BADSTATE.  Each change is a history row ("status"; the reason as
 * "return_reason") and bumps the version. */
int store_set_status(struct store *s, int64_t id, int64_t expected_version,
		     enum form_status to, const char *reason);

/* Cached figures the rules computed, so lists never load whole forms.
 * Local to this database: no history, no version bump. */
int store_set_summary(struct store *s, int64_t id, const char *score,
		      const char *grade, int errors);
/* The 执行率 the rules computed ("99.94%" or "99.94"; NULL = none). */
int store_set_rate(struct store *s, int64_t id, const char *rate);

struct form_row {
	int64_t id;
	int year;
	const char *unit, *project, *department, *status, *updated;
	const char *score, *grade;	/* computed, may be NULL */
	int errors;
	int64_t version;
	const char *uuid;
	const char *budget, *spent;	/* funds.total.budget / .spent as typed, may be NULL */
	const char *rate;		/* cached by store_set_rate, may be NULL */
};
struct store_filter {
	const char *unit;	/* exact, or NULL */
	int year;		/* 0 = any */
	const char *status;	/* or NULL */
	const char *text;	/* substring of unit/project/department, or NULL */
};
/* Calls fn for each matching form, ordered by unit, year, project; stops
 * when fn returns non-zero.  The strings in a row are valid during the call
 * only (also for store_page, store_summary, store_comment_list and
 * store_history). */
int store_list(struct store *s, const struct store_filter *flt,
	       int (*fn)(const struct form_row *r, void *arg), void *arg);

/* The reviewer's pager: one page of a sorted listing, by indexed queries
 * (never every form).  Ties are broken so pages never overlap: by unit,
 * year, project for SORT_UNIT and SORT_STATUS, by id for score, grade and
 * rate, by when it was made for SORT_UPDATED.  Ascending puts forms without
 * a score, grade or rate first; grades rank 差 < 低 < 中 < 良 < 优; status
 * sorts by its stored word (approved, draft, returned, submitted).  With no
 * filter or a status filter, a page deep in the list skips inside one index
 * (about 10 ms at offset 50,000 of 100,000 forms); with a unit, year or
 * text filter the matching forms are sorted. */
enum store_sort { SORT_UNIT, SORT_SCORE, SORT_GRADE, SORT_RATE, SORT_STATUS, SORT_UPDATED };
int store_page(struct store *s, const struct store_filter *flt, enum store_sort by,
	       bool desc, size_t offset, size_t limit,
	       int (*fn)(const struct form_row *r, void *arg), void *arg);
/* Every live form or those of one status: read from a tally (schema 010),
 * not counted; with a unit, year or text filter, counted. */
int store_count(struct store *s, const struct store_filter *flt, size_t *n);

/* Per unit and year, ordered by unit, year.  Sums are exact (num, from the
 * text of funds.total.budget / .spent); a form whose budget or spent num
 * cannot read ("10万元") is left out of both sums, so the rate compares like
 * with like, and counted in unreadable. */
#define STORE_GRADES 4
extern const char *const store_grade_key[STORE_GRADES];	/* "优", "良", "中", "差" */
struct summary_row {
	const char *unit;
	int year;
	int64_t forms;
	const char *budget, *spent;	/* exact sums, "0" if none */
	const char *rate;		/* spent / budget in %, 2 decimals; NULL if budget is 0 */
	const char *avg_score;		/* 2 decimals, over forms with a score; NULL if none */
	int64_t scored;			/* forms with a cached score */
	int64_t grades[STORE_GRADES];	/* forms per grade, in store_grade_key order */
	int64_t with_errors;		/* forms whose cached errors > 0 */
	int64_t unreadable;		/* forms whose budget or spent num cannot read */
};
int store_summary(struct store *s, const struct store_filter *flt,
		  int (*fn)(const struct summary_row *r, void *arg), void *arg);

/* Reviewers' comments on a form or one of its fields (path NULL = the whole
 * form).  The author is the OS user.  uuid_out (may be NULL) gets the new
 * comment's uuid. */
struct comment_row {
	int64_t form_id;
	const char *uuid, *path, *author, *at, *text;
	bool resolved;
};
int store_comment_add(struct store *s, int64_t id, const char *path, const char *text,
		      char uuid_out[37]);
/* In the order written; resolved ones too if all is true. */
int store_comment_list(struct store *s, int64_t id, bool all,
		       int (*fn)(const struct comment_row *r, void *arg), void *arg);
int store_comment_resolve(struct store *s, const char *uuid);

struct history_row {
	int64_t form_id;
	const char *path, *old_value, *new_value, *at, *user;
};
/* Oldest first; deleted forms too (their id stays known). */
int store_history(struct store *s, int64_t id,
		  int (*fn)(const struct history_row *r, void *arg), void *arg);

/* Transactions for batch work (import of many forms).  They nest: an inner
 * begin is a savepoint, and a failing call inside a batch undoes only itself
 * (except a full disk or an I/O error, after which sqlite may have rolled
 * the whole batch back: store_commit then says so with STORE_ERR). */
int store_begin(struct store *s);
/* A batch that is kept whole or not at all (import: a file's forms are all
 * stored or none): calls inside it take no savepoint of their own (which
 * would copy every page each call touches), so a call that fails inside it
 * spoils the batch: store_commit then rolls it all back and says so with
 * STORE_ERR.  Inside another batch it is an ordinary store_begin. */
int store_begin_all_or_nothing(struct store *s);
int store_commit(struct store *s);
int store_rollback(struct store *s);

#endif
