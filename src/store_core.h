/*
 * store_core: the inside of struct store, shared by the files of the
 * store's core and nothing else (the store's other files speak through
 * store_int.h):
 *   store.c        open and migrate, statements, errors, transactions
 *   store_form.c   a form's rows: field paths, history, load, insert, save
 *   store_state.c  status, deletion, cached figures, lists, comments
 */
#ifndef JXZP_STORE_CORE_H
#define JXZP_STORE_CORE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "store.h"
#include "store_int.h"

/* Header fields (hcols in store_form.c), the columns kept by index. */
#define N_HCOLS 13
enum { HC_YEAR = 0, HC_PROJECT = 1, HC_UNIT = 3, HC_LAYOUT = 11, HC_RULESET = 12 };

/* The select list of a form's header; header column i is at HDR_COL0 + i. */
#define H_COLS "f.uuid, f.version, f.status, f.return_reason, f.updated, " \
	"f.year, f.project, f.department, f.unit, f.lead, f.phone, f.goals_expected, " \
	"f.goals_achieved, f.total_weight, f.total_score, f.total_grade, f.layout, f.ruleset"
enum { HDR_UUID, HDR_VERSION, HDR_STATUS, HDR_REASON, HDR_UPDATED, HDR_COL0 };

/* Where a field path points. */
enum tbl { T_FORM, T_FUND, T_IND };
struct where {
	enum tbl t;
	int col;	/* hcols index, fund_col, or ind_field */
	int row;	/* fund_row */
	size_t ind;	/* indicator position */
};
/* The path grammar of form.c, without needing a loaded form. */
bool sc_resolve(const char *path, struct where *w);

/* The statements, prepared once (qsql in store.c). */
enum {
	Q_BEGIN, Q_BEGIN_READ, Q_COMMIT, Q_ROLLBACK, Q_SAVEPOINT, Q_RELEASE, Q_ROLLBACK_TO,
	Q_HEADER, Q_FUNDS, Q_INDS, Q_IND_AT, Q_FUND_ROW,
	Q_INS_FORM, Q_INS_FUND, Q_INS_IND, Q_INS_HIST,
	Q_UPD_FORM, Q_UPD_FUND, Q_UPD_IND, Q_DEL_IND, Q_BUMP,
	Q_KEY_ID, Q_UUID_ID, Q_LOCAL_UUID,
	Q_STATUS, Q_DELETE, Q_SUMMARY, Q_RATE,
	Q_HISTORY, Q_COMMENT_ADD, Q_COMMENTS, Q_COMMENTS_ALL, Q_COMMENT_RESOLVE,
	Q_COMMENT_ROWS, Q_COMMENT_MOVE, Q_COMMENT_ORPHAN, Q_ROW_INDEX,
	Q_GONE, Q_RESTORE,
	Q_N
};

struct store {
	sqlite3 *db;
	char *path;
	char err[640];
	char db_uuid[37];
	char user[64];
	int schema;
	int depth;		/* open transactions: 1 = BEGIN, more = savepoints */
	bool lost;		/* sqlite rolled a whole batch back under store_begin */
	bool flat;		/* store_begin_all_or_nothing: no savepoints inside */
	bool spoiled;		/* a call inside a flat batch failed */
	bool full;		/* the disk was found full (store_disk_full) */
	bool create;		/* store_open may create the file (not store_open_existing) */
	char *made[16];		/* what this open created, to remove if it fails */
	int n_made;
	int busy_ms;
	sqlite3_stmt *q[Q_N];
	sqlite3_stmt *set_form[N_HCOLS];	/* one column of one field, per column */
	sqlite3_stmt *set_fund[FUND_COLS];
	sqlite3_stmt *set_ind[IND_FIELDS];
};

/* Errors: the message set, the code returned. */
int sc_seterr(struct store *s, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A failed sqlite call as a STORE_* code and a message. */
int sc_dberr(struct store *s, int rc);

sqlite3_stmt *sc_prep(struct store *s, sqlite3_stmt **slot, const char *sql);
/* A cached statement, reset and ready to bind. */
sqlite3_stmt *sc_q(struct store *s, int which);
/* Run a statement that returns no rows; leaves it reset. */
int sc_run(struct store *s, sqlite3_stmt *st);

static inline void sc_bind_str(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static inline const char *sc_col_str(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	const char *t = (const char *)sqlite3_column_text(st, i);
	return t ? t : "";
}

static inline bool sc_str_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* ISO 8601 UTC with milliseconds: 2026-11-25T12:15:37.123Z */
void sc_now_iso(char buf[32]);
enum form_status sc_status_parse(const char *t);
/* The OS user who makes a change (looked up at the first change). */
const char *sc_os_user(struct store *s);

/* Begin a write (or read) transaction, or a savepoint inside one; end it:
 * commit if rc is OK, else roll back and keep rc. */
int sc_tx_begin(struct store *s, bool write);
int sc_tx_end(struct store *s, int rc);

/* store_form.c */
int sc_history_add(struct store *s, const char *form_uuid, const char *path,
		   const char *old_value, const char *new_value, const char *at);
/* Step Q_HEADER for a live form id: STORE_OK with the row current, or a code. */
int sc_header(struct store *s, int64_t id, sqlite3_stmt **out);
int sc_refuse_readonly(struct store *s, int64_t id, enum form_status st);
int sc_stale(struct store *s, int64_t id, int64_t expected, int64_t now);
/* After a constraint failure on the (unit, year, project) key: name the
 * form that holds it.  Returns STORE_EXISTS, or 0 if it was something else. */
int sc_key_taken(struct store *s, const char *unit, int year, const char *project,
		 const char *uuid);

/* store_state.c: the uuid of a form id (live ones only if live). */
int sc_form_uuid_of(struct store *s, int64_t id, bool live, char uuid[37]);

#endif
