/*
 * store: the SQLite database of forms (see store.h).
 *
 * Promises:
 * - Opening never changes a file it refuses: a foreign, damaged, read-only,
 *   locked or newer database is checked by reading only (the 16-byte header
 *   by hand, then sqlite reads) before anything writes, and comes back as
 *   NULL with one line naming the file.
 * - Every write is one transaction (a savepoint inside store_begin), so a
 *   failing call changes nothing, and a call that returned STORE_OK survives
 *   the process being killed: WAL with synchronous=NORMAL.  NORMAL in WAL
 *   mode loses no committed transaction when the process dies (the WAL is
 *   written before COMMIT returns; only fsync is deferred to checkpoints), and
 *   only the last transactions before a power loss or OS crash can be lost.
 *   FULL would fsync on every keystroke's autosave: tests/bench/store.sh
 *   measured 0.3-0.5 ms a save with NORMAL, 3-5 ms with FULL, here.
 * - Statements are prepared once and kept (the screen saves as people type).
 * - Money sums are exact: SQL hands the texts to jx_sum(), which adds them
 *   with num, never with SQL's REAL.
 */
#include "config.h"
#include "store.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "input.h"
#include "num.h"
#include "numtext.h"
#include "schema.h"

#define APP_ID 0x6a787a70	/* "jxzp" in PRAGMA application_id */
#define DEFAULT_BUSY_MS 5000

const char *const store_grade_key[STORE_GRADES] = { "优", "良", "中", "差" };

/* ---- the columns behind field paths -------------------------------------- */

/* Header fields: path and column, in the order of the H_COLS select list. */
static const struct { const char *path, *col; } hcols[] = {
	{ "year", "year" }, { "project", "project" }, { "department", "department" },
	{ "unit", "unit" }, { "lead", "lead" }, { "phone", "phone" },
	{ "goals.expected", "goals_expected" }, { "goals.achieved", "goals_achieved" },
	{ "total.weight", "total_weight" }, { "total.score", "total_score" },
	{ "total.grade", "total_grade" }, { "layout", "layout" }, { "ruleset", "ruleset" },
};
#define N_HCOLS ((int)(sizeof hcols / sizeof hcols[0]))
enum { HC_YEAR = 0, HC_PROJECT = 1, HC_UNIT = 3, HC_LAYOUT = 11, HC_RULESET = 12 };

static char **hslot(struct form *f, int i)
{
	switch (i) {
	case 1: return &f->project;
	case 2: return &f->department;
	case 3: return &f->unit;
	case 4: return &f->lead;
	case 5: return &f->phone;
	case 6: return &f->goals_expected;
	case 7: return &f->goals_achieved;
	case 8: return &f->total_weight;
	case 9: return &f->total_score;
	case 10: return &f->total_grade;
	case 11: return &f->layout;
	case 12: return &f->ruleset;
	}
	assert(0 && "year has no string slot");
	return NULL;
}

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
static bool resolve(const char *path, struct where *w)
{
	if (!path)
		return false;
	for (int i = 0; i < N_HCOLS; i++)
		if (strcmp(path, hcols[i].path) == 0) {
			*w = (struct where){ .t = T_FORM, .col = i };
			return true;
		}
	if (strncmp(path, "funds.", 6) == 0) {
		const char *p = path + 6;
		for (int r = 0; r < FUND_ROWS; r++) {
			size_t n = strlen(fund_row_key[r]);
			if (strncmp(p, fund_row_key[r], n) || p[n] != '.')
				continue;
			for (int c = 0; c < FUND_COLS; c++)
				if (strcmp(p + n + 1, fund_col_key[c]) == 0) {
					*w = (struct where){ .t = T_FUND, .col = c, .row = r };
					return true;
				}
		}
		return false;
	}
	if (strncmp(path, "indicators[", 11) == 0) {
		const char *p = path + 11;
		size_t idx = 0;
		int digits = 0;
		for (; *p >= '0' && *p <= '9'; p++, digits++) {
			idx = idx * 10 + (size_t)(*p - '0');
			if (idx > 1000000)
				return false;
		}
		if (!digits || p[0] != ']' || p[1] != '.')
			return false;
		for (int k = 0; k < IND_FIELDS; k++)
			if (strcmp(p + 2, ind_field_key[k]) == 0) {
				*w = (struct where){ .t = T_IND, .col = k, .ind = idx };
				return true;
			}
	}
	return false;
}

/* ---- statements ---------------------------------------------------------- */

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
static const char *const qsql[Q_N] = {
	[Q_BEGIN] = "BEGIN IMMEDIATE",
	[Q_BEGIN_READ] = "BEGIN",
	[Q_COMMIT] = "COMMIT",
	[Q_ROLLBACK] = "ROLLBACK",
	[Q_SAVEPOINT] = "SAVEPOINT jxzp",
	[Q_RELEASE] = "RELEASE jxzp",
	[Q_ROLLBACK_TO] = "ROLLBACK TO jxzp",
	[Q_HEADER] = "SELECT " H_COLS " FROM form_local l JOIN form f ON f.uuid = l.form_uuid"
		     " WHERE l.id = ?1 AND f.deleted = 0",
	[Q_FUNDS] = "SELECT row, initial, budget, spent, weight, rate, score FROM fund WHERE form_uuid = ?1",
	[Q_INDS] = "SELECT uuid, level1, level2, name, nature, target, unit_of_measure, actual,"
		   " weight, score, deviation FROM indicator WHERE form_uuid = ?1 ORDER BY pos, uuid",
	/* indicators[N] is the row N of the form as loaded (Q_INDS's order):
	 * positions merged from two machines may tie or leave gaps, and the
	 * row's identity below the path is its uuid */
	[Q_IND_AT] = "SELECT uuid, level1, level2, name, nature, target, unit_of_measure, actual,"
		     " weight, score, deviation FROM indicator WHERE form_uuid = ?1"
		     " ORDER BY pos, uuid LIMIT 1 OFFSET ?2",
	[Q_FUND_ROW] = "SELECT row, initial, budget, spent, weight, rate, score FROM fund"
		       " WHERE form_uuid = ?1 AND row = ?2",
	[Q_INS_FORM] = "INSERT INTO form (uuid, version, status, return_reason, updated, year, project,"
		       " department, unit, lead, phone, goals_expected, goals_achieved, total_weight,"
		       " total_score, total_grade, layout, ruleset, created)"
		       " VALUES (?1, 1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
		       " ?17, ?18, ?5)",
	[Q_INS_FUND] = "INSERT INTO fund (form_uuid, row, initial, budget, spent, weight, rate, score)"
		       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[Q_INS_IND] = "INSERT INTO indicator (uuid, form_uuid, pos, level1, level2, name, nature,"
		      " target, unit_of_measure, actual, weight, score, deviation)"
		      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	[Q_INS_HIST] = "INSERT INTO history (uuid, form_uuid, path, old_value, new_value, at, user)"
		       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[Q_UPD_FORM] = "UPDATE form SET year = ?6, project = ?7, department = ?8, unit = ?9,"
		       " lead = ?10, phone = ?11, goals_expected = ?12, goals_achieved = ?13,"
		       " total_weight = ?14, total_score = ?15, total_grade = ?16, layout = ?17,"
		       " ruleset = ?18, version = version + 1, updated = ?5 WHERE uuid = ?1",
	[Q_UPD_FUND] = "UPDATE fund SET initial = ?3, budget = ?4, spent = ?5, weight = ?6,"
		       " rate = ?7, score = ?8 WHERE form_uuid = ?1 AND row = ?2",
	[Q_UPD_IND] = "UPDATE indicator SET pos = ?3, level1 = ?4, level2 = ?5, name = ?6,"
		      " nature = ?7, target = ?8, unit_of_measure = ?9, actual = ?10, weight = ?11,"
		      " score = ?12, deviation = ?13 WHERE uuid = ?1 AND form_uuid = ?2",
	[Q_DEL_IND] = "DELETE FROM indicator WHERE uuid = ?1",
	[Q_BUMP] = "UPDATE form SET version = version + 1, updated = ?2 WHERE uuid = ?1",
	[Q_KEY_ID] = "SELECT l.id FROM form f JOIN form_local l ON l.form_uuid = f.uuid"
		     " WHERE f.unit = ?1 AND f.year = ?2 AND f.project = ?3 AND f.deleted = 0",
	[Q_UUID_ID] = "SELECT l.id FROM form_local l WHERE l.form_uuid = ?1",
	[Q_LOCAL_UUID] = "SELECT form_uuid FROM form_local WHERE id = ?1",
	[Q_STATUS] = "UPDATE form SET status = ?2, return_reason = ?3, version = version + 1,"
		     " updated = ?4 WHERE uuid = ?1",
	[Q_DELETE] = "UPDATE form SET deleted = 1, version = version + 1, updated = ?2 WHERE uuid = ?1",
	[Q_SUMMARY] = "UPDATE form_local SET score = ?2, grade = ?3, errors = ?4, score_key = ?5,"
		      " grade_rank = ?6 WHERE id = ?1 AND live = 1",
	[Q_RATE] = "UPDATE form_local SET rate = ?2, rate_key = ?3 WHERE id = ?1 AND live = 1",
	[Q_HISTORY] = "SELECT path, old_value, new_value, at, user FROM history"
		      " WHERE form_uuid = ?1 ORDER BY at, rowid",
	[Q_COMMENT_ADD] = "INSERT INTO comment (uuid, form_uuid, path, author, at, text)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[Q_COMMENTS] = "SELECT uuid, path, author, at, text, resolved FROM comment"
		       " WHERE form_uuid = ?1 AND resolved = 0 ORDER BY at, rowid",
	[Q_COMMENTS_ALL] = "SELECT uuid, path, author, at, text, resolved FROM comment"
			   " WHERE form_uuid = ?1 ORDER BY at, rowid",
	[Q_COMMENT_RESOLVE] = "UPDATE comment SET resolved = 1 WHERE uuid = ?1",
	/* comments on indicator rows, which name the row by its position */
	[Q_COMMENT_ROWS] = "SELECT uuid, path FROM comment WHERE form_uuid = ?1"
			   " AND substr(path, 1, 11) = 'indicators['",
	[Q_COMMENT_MOVE] = "UPDATE comment SET path = ?2 WHERE uuid = ?1",
	[Q_COMMENT_ORPHAN] = "UPDATE comment SET path = NULL, resolved = 1, text = text || ?2"
			     " WHERE uuid = ?1",
	/* a form by id, deleted or not: what restoring it needs */
	[Q_GONE] = "SELECT f.uuid, f.deleted, f.unit, f.year, f.project FROM form_local l"
		   " JOIN form f ON f.uuid = l.form_uuid WHERE l.id = ?1",
	[Q_RESTORE] = "UPDATE form SET deleted = 0, version = version + 1, updated = ?2 WHERE uuid = ?1",
	/* where a row is now, in Q_INDS's order */
	[Q_ROW_INDEX] = "SELECT (SELECT count(*) FROM indicator i2 WHERE i2.form_uuid = i.form_uuid"
			" AND (i2.pos < i.pos OR (i2.pos = i.pos AND i2.uuid < i.uuid)))"
			" FROM indicator i WHERE i.uuid = ?1",
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

/* ---- errors -------------------------------------------------------------- */

static int seterr(struct store *s, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int seterr(struct store *s, int code, const char *fmt, ...)
{
	char msg[480];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(s->err, sizeof s->err, "%s: %s", s->path, msg);
	return code;
}

/* A failed sqlite call as a STORE_* code and a message. */
static int dberr(struct store *s, int rc)
{
	const char *detail = sqlite3_errmsg(s->db);
	/* a full disk seen as an I/O error (creating the -wal or -shm file,
	 * growing it) is a full disk too, for every command */
	int e = s->db ? sqlite3_system_errno(s->db) : 0;
	if ((rc & 0xff) == SQLITE_FULL || e == ENOSPC || e == EDQUOT) {
		s->full = true;
		return seterr(s, STORE_ERR, _("the disk is full: the change was not saved"));
	}
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return seterr(s, STORE_LOCKED,
			      _("the database is locked by another program (waited %d ms); try again"),
			      s->busy_ms);
	case SQLITE_READONLY:
		return seterr(s, STORE_READONLY, _("the database cannot be written (%s)"), detail);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return seterr(s, STORE_CORRUPT, _("not a jxzp database, or a damaged one (%s)"), detail);
	case SQLITE_CANTOPEN:
		return seterr(s, STORE_ERR, _("cannot open the database (%s)"), detail);
	case SQLITE_IOERR:
		return seterr(s, STORE_ERR, _("cannot read or write the database (%s)"), detail);
	case SQLITE_NOMEM:
		return seterr(s, STORE_ERR, _("out of memory"));
	}
	return seterr(s, STORE_ERR, _("database error: %s"), detail);
}

/* ---- small helpers ------------------------------------------------------- */

static sqlite3_stmt *prep(struct store *s, sqlite3_stmt **slot, const char *sql)
{
	if (!*slot) {
		int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL);
		if (rc != SQLITE_OK) {
			dberr(s, rc);
			sqlite3_finalize(*slot);
			*slot = NULL;
			return NULL;
		}
	}
	return *slot;
}

/* A cached statement, reset and ready to bind. */
static sqlite3_stmt *Q(struct store *s, int which)
{
	sqlite3_stmt *st = prep(s, &s->q[which], qsql[which]);
	if (st) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
	return st;
}

static void bind_str(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static const char *col_str(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	const char *t = (const char *)sqlite3_column_text(st, i);
	return t ? t : "";
}

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* Run a statement that returns no rows; leaves it reset. */
static int run(struct store *s, sqlite3_stmt *st)
{
	if (!st)
		return STORE_ERR;
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return dberr(s, rc);
	return STORE_OK;
}

static int exec(struct store *s, const char *sql)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? STORE_OK : dberr(s, rc);
}

/* ISO 8601 UTC with milliseconds: 2026-11-25T12:15:37.123Z */
static void now_iso(char buf[32])
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(buf, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, 32 - n, ".%03uZ", (unsigned)(ts.tv_nsec / 1000000 % 1000));
}

/* A status as people read it (status_key is the stored word). */
static const char *status_name(enum form_status st)
{
	static const char *const name[4] = { N_("draft"), N_("submitted"), N_("returned"), N_("approved") };
	return _(name[st]);
}

static enum form_status status_parse(const char *t)
{
	for (int i = 0; i < 4; i++)
		if (t && strcmp(t, status_key[i]) == 0)
			return (enum form_status)i;
	return STATUS_DRAFT;
}

/* A decimal as an integer sort key: value * 10^6, or false. */
static bool sort_key(const char *text, int64_t *out)
{
	char buf[64];
	num v;
	if (!text)
		return false;
	size_t n = strlen(text);
	while (n && (text[n - 1] == ' ' || text[n - 1] == '%'))
		n--;
	if (n == 0 || n >= sizeof buf)
		return false;
	memcpy(buf, text, n);
	buf[n] = 0;
	if (!num_parse(buf, &v))
		return false;
	v = num_round(v, 6);
	int64_t k = v.coef;
	for (int sc = v.scale; sc < 6; sc++) {
		if (k > INT64_MAX / 10 || k < INT64_MIN / 10)
			return false;
		k *= 10;
	}
	*out = k;
	return true;
}

static int grade_rank(const char *g)
{
	static const char *const order[] = { "差", "低", "中", "良", "优" };
	for (int i = 0; i < 5; i++)
		if (strcmp(g, order[i]) == 0)
			return i + 1;
	return 0;
}

/* ---- transactions -------------------------------------------------------- */

/* Begin a write transaction, or a savepoint inside one. */
static int tx_begin(struct store *s, bool write)
{
	if (s->depth && s->flat) {	/* the batch as a whole is the unit */
		s->depth++;
		return STORE_OK;
	}
	int which = s->depth ? Q_SAVEPOINT : write ? Q_BEGIN : Q_BEGIN_READ;
	if (!s->depth)
		s->lost = s->flat = s->spoiled = false;
	int rc = run(s, Q(s, which));
	if (rc == STORE_OK)
		s->depth++;
	return rc;
}

static int tx_rollback(struct store *s)
{
	if (s->depth == 0)
		return STORE_OK;
	if (sqlite3_get_autocommit(s->db)) {	/* sqlite already rolled back (full disk, I/O) */
		s->lost = s->depth > 1;
		s->depth = 0;
		return STORE_OK;
	}
	if (s->depth > 1 && s->flat) {	/* cannot undo only itself: spoils the batch */
		s->spoiled = true;
		s->depth--;
		return STORE_OK;
	}
	char keep[sizeof s->err];
	memcpy(keep, s->err, sizeof keep);	/* the error that made us roll back */
	int rc;
	if (s->depth == 1) {
		rc = run(s, Q(s, Q_ROLLBACK));
	} else {
		rc = run(s, Q(s, Q_ROLLBACK_TO));
		if (rc == STORE_OK)
			rc = run(s, Q(s, Q_RELEASE));
	}
	s->depth--;
	memcpy(s->err, keep, sizeof keep);
	return rc;
}

static int tx_commit(struct store *s)
{
	assert(s->depth > 0);
	if (sqlite3_get_autocommit(s->db)) {
		s->depth = 0;
		return seterr(s, STORE_ERR, _("the transaction was lost (rolled back after an error)"));
	}
	if (s->depth > 1 && s->flat) {
		s->depth--;
		return STORE_OK;
	}
	if (s->depth == 1 && s->spoiled) {
		tx_rollback(s);
		return seterr(s, STORE_ERR,
			      _("the whole batch was rolled back after an error; nothing of it was saved"));
	}
	int rc = run(s, Q(s, s->depth == 1 ? Q_COMMIT : Q_RELEASE));
	if (rc != STORE_OK) {
		tx_rollback(s);
		return rc;
	}
	s->depth--;
	return STORE_OK;
}

/* End a transaction: commit if rc is OK, else roll back and keep rc. */
static int tx_end(struct store *s, int rc)
{
	if (rc == STORE_OK)
		return tx_commit(s);
	tx_rollback(s);
	return rc;
}

int store_begin(struct store *s) { return tx_begin(s, true); }
int store_begin_all_or_nothing(struct store *s)
{
	if (s->depth)	/* inside a batch: an ordinary savepoint */
		return tx_begin(s, true);
	int rc = tx_begin(s, true);
	if (rc == STORE_OK)
		s->flat = true;
	return rc;
}
int store_commit(struct store *s)
{
	if (s->depth == 0 && s->lost) {
		s->lost = false;
		return seterr(s, STORE_ERR,
			      _("the whole batch was rolled back after an error; nothing of it was saved"));
	}
	if (s->depth == 0)
		return seterr(s, STORE_ERR, _("no transaction to commit"));
	return tx_commit(s);
}
int store_rollback(struct store *s)
{
	if (s->depth == 0 && s->lost) {
		s->lost = false;
		return STORE_OK;
	}
	if (s->depth == 0)
		return seterr(s, STORE_ERR, _("no transaction to roll back"));
	return tx_rollback(s);
}

/* ---- exact sums in SQL ----------------------------------------------------- */

struct numagg {
	num sum;
	int64_t n;
	bool overflow;
};

/* A figure's value; false for absent, empty or unreadable. */
static bool value_num(sqlite3_value *v, num *out)
{
	if (sqlite3_value_type(v) == SQLITE_NULL)
		return false;
	const char *t = (const char *)sqlite3_value_text(v);
	return t && *t && num_parse(t, out);
}

static void agg_step(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	struct numagg *a = sqlite3_aggregate_context(cx, sizeof *a);
	num v;
	if (!a || !value_num(argv[0], &v))
		return;
	if (!num_add(a->sum, v, &a->sum))
		a->overflow = true;
	a->n++;
}

static void sum_final(sqlite3_context *cx)
{
	struct numagg *a = sqlite3_aggregate_context(cx, 0);
	char buf[NUM_BUFSZ];
	if (a && a->overflow) {
		sqlite3_result_error(cx, "a sum is too large for exact decimals", -1);
		return;
	}
	sqlite3_result_text(cx, num_str(a ? a->sum : num_from_int(0), buf), -1, SQLITE_TRANSIENT);
}

static void avg_final(sqlite3_context *cx)
{
	struct numagg *a = sqlite3_aggregate_context(cx, 0);
	char buf[NUM_BUFSZ];
	num q;
	if (!a || a->n == 0) {
		sqlite3_result_null(cx);
		return;
	}
	if (a->overflow || !num_div_at(a->sum, num_from_int(a->n), 2, NUM_HALF_AWAY, &q)) {
		sqlite3_result_error(cx, "an average is too large for exact decimals", -1);
		return;
	}
	sqlite3_result_text(cx, num_fixed(q, 2, buf), -1, SQLITE_TRANSIENT);
}

/* 1 if a figure is absent, empty, or readable by num; 0 if num cannot read it. */
static void readable(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	num v;
	const char *t = (const char *)sqlite3_value_text(argv[0]);
	sqlite3_result_int(cx, !t || !*t || num_parse(t, &v));
}

/* ---- open ---------------------------------------------------------------- */

/* mkdir -p, new directories 0700. */
static int make_dirs(struct store *s, const char *dir)
{
	struct stat st;
	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return seterr(s, STORE_ERR, _("%s is not a directory"), dir);
		return STORE_OK;
	}
	char *p = xstrdup(dir);
	int rc = STORE_OK;
	for (char *q = p + 1; ; q++) {
		if (*q != '/' && *q != 0)
			continue;
		char c = *q;
		*q = 0;
		if (!s->create && access(p, F_OK) != 0) {
			rc = seterr(s, STORE_NOTFOUND, _("no such database: the folder %s does not exist"), p);
			break;
		}
		if (mkdir(p, 0700) == 0) {
			if (s->n_made < (int)(sizeof s->made / sizeof s->made[0]))
				s->made[s->n_made++] = xstrdup(p);
		} else if (errno != EEXIST) {
			int e = errno;
			rc = seterr(s, e == EACCES || e == EROFS || e == EPERM ? STORE_READONLY : STORE_ERR,
				    _("cannot create the directory %s (%s)"), p, strerror(e));
			break;
		}
		*q = c;
		if (!c)
			break;
	}
	free(p);
	return rc;
}

static char *dir_of(const char *path)
{
	char *d = xstrdup(path);
	char *slash = strrchr(d, '/');
	if (!slash) {
		free(d);
		return xstrdup(".");
	}
	if (slash == d)
		slash[1] = 0;
	else
		*slash = 0;
	return d;
}

/* Create the file 0600 if missing; refuse what sqlite must not touch.
 * Reads only: a refused file is left exactly as it was. */
static int check_file(struct store *s)
{
	char *dir = dir_of(s->path);
	int rc = make_dirs(s, dir);
	struct stat st;
	if (rc != STORE_OK)
		goto out;
	if (stat(s->path, &st) != 0) {
		if (errno != ENOENT) {
			rc = seterr(s, STORE_ERR, _("cannot open the database (%s)"), strerror(errno));
			goto out;
		}
		if (!s->create) {
			rc = seterr(s, STORE_NOTFOUND, _("no such database (nothing was created)"));
			goto out;
		}
		int fd = open(s->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0) {
			int e = errno;
			rc = seterr(s, e == EACCES || e == EROFS || e == EPERM ? STORE_READONLY : STORE_ERR,
				    _("cannot create the database (%s)"), strerror(e));
			goto out;
		}
		if (s->n_made < (int)(sizeof s->made / sizeof s->made[0]))
			s->made[s->n_made++] = xstrdup(s->path);
		if (fchmod(fd, 0600) != 0)	/* whatever the umask was */
			rc = seterr(s, STORE_ERR, _("cannot create the database (%s)"), strerror(errno));
		close(fd);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = seterr(s, STORE_ERR, _("not a jxzp database (not a regular file)"));
		goto out;
	}
	/* Mode bits too, not only access(): root may write anything, but a
	 * file someone made read-only is a statement we respect. */
	if ((st.st_mode & 0222) == 0 || access(s->path, W_OK) != 0) {
		rc = seterr(s, STORE_READONLY, _("the database file is read-only"));
		goto out;
	}
	if (access(dir, W_OK) != 0) {
		rc = seterr(s, STORE_READONLY,
			    _("the directory %s is read-only (the database needs to write beside its file)"),
			    dir);
		goto out;
	}
	if (st.st_size == 0) {
		/* not one we made just now (that is created above): someone
		 * else's empty file, refused like any other non-database */
		rc = seterr(s, STORE_CORRUPT, _("not a jxzp database (an empty file)"));
		goto out;
	}
	{
		unsigned char h[100];
		int fd = open(s->path, O_RDONLY | O_CLOEXEC);
		ssize_t n = fd < 0 ? -1 : read(fd, h, sizeof h);
		if (fd >= 0)
			close(fd);
		if (n < 0) {
			rc = seterr(s, STORE_ERR, _("cannot read the database (%s)"), strerror(errno));
			goto out;
		}
		if (n < 16 || memcmp(h, "SQLite format 3", 16) != 0) {
			rc = seterr(s, STORE_CORRUPT, _("not a jxzp database (file is not SQLite)"));
			goto out;
		}
		unsigned page = n >= 18 ? (unsigned)(h[16] << 8 | h[17]) : 0;
		if (page == 1)
			page = 65536;
		if (n < 100 || page < 512 || (page & (page - 1)) || st.st_size % page) {
			rc = seterr(s, STORE_CORRUPT, _("the database is damaged (truncated or a bad header)"));
			goto out;
		}
	}
out:
	free(dir);
	return rc;
}

static int pragma_int(struct store *s, const char *sql, int *out)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*out = sqlite3_column_int(st, 0);
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_OK || rc == SQLITE_DONE ? STORE_OK : dberr(s, rc);
}

static int latest_schema(void)
{
	return schema_n_migrations ? schema_migrations[schema_n_migrations - 1].version : 0;
}

/* Migration 2 adds sort keys; fill them from the cached texts. */
static int fill_sort_keys(struct store *s)
{
	sqlite3_stmt *sel = NULL, *upd = NULL;
	int rc = sqlite3_prepare_v2(s->db, "SELECT id, score, grade, rate FROM form_local", -1, &sel, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(s->db, "UPDATE form_local SET score_key = ?2, grade_rank = ?3,"
					" rate_key = ?4 WHERE id = ?1", -1, &upd, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(sel)) == SQLITE_ROW) {
		int64_t k;
		const char *g = col_str(sel, 2);
		sqlite3_bind_int64(upd, 1, sqlite3_column_int64(sel, 0));
		if (sort_key(col_str(sel, 1), &k))
			sqlite3_bind_int64(upd, 2, k);
		else
			sqlite3_bind_null(upd, 2);
		if (g)
			sqlite3_bind_int(upd, 3, grade_rank(g));
		else
			sqlite3_bind_null(upd, 3);
		if (sort_key(col_str(sel, 3), &k))
			sqlite3_bind_int64(upd, 4, k);
		else
			sqlite3_bind_null(upd, 4);
		rc = sqlite3_step(upd);
		sqlite3_reset(upd);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	return rc == SQLITE_DONE || rc == SQLITE_OK ? STORE_OK : dberr(s, rc);
}

/* The usual open: the file has every migration, our id and its UUID.  Read
 * in one read transaction, no write lock: a reader (the list, a reviewer's
 * pager) opens while another program writes — an import of a province holds
 * the write lock for minutes; only writing waits for it. */
static bool up_to_date(struct store *s)
{
	sqlite3_stmt *st = NULL;
	bool ok = false;
	if (exec(s, "BEGIN") != STORE_OK)
		return false;
	int uv = 0, appid = 0;
	if (pragma_int(s, "PRAGMA user_version", &uv) == STORE_OK && uv == latest_schema() &&
	    pragma_int(s, "PRAGMA application_id", &appid) == STORE_OK && appid == APP_ID &&
	    sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key = 'db_uuid'", -1, &st,
			       NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && col_str(st, 0) && *col_str(st, 0)) {
		snprintf(s->db_uuid, sizeof s->db_uuid, "%s", col_str(st, 0));
		s->schema = uv;
		ok = true;
	}
	sqlite3_finalize(st);
	sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	s->err[0] = '\0';	/* what failed here is found again below */
	return ok;
}

/* Apply the migrations the file lacks, each in its own transaction, then
 * make sure the database has its UUID.  BEGIN IMMEDIATE first: it also
 * tells whether another program holds the write lock. */
static int migrate(struct store *s)
{
	if (up_to_date(s))
		return STORE_OK;
	int rc = exec(s, "BEGIN IMMEDIATE");
	if (rc != STORE_OK)
		return rc;
	int uv = 0, appid = 0;
	if ((rc = pragma_int(s, "PRAGMA user_version", &uv)) != STORE_OK)
		goto fail;
	if (uv > latest_schema()) {	/* a newer jxzp got here between our checks */
		rc = seterr(s, STORE_NEWER,
			    _("the database was made by a newer jxzp (schema %d; this jxzp knows up to %d)"),
			    uv, latest_schema());
		goto fail;
	}
	for (int i = 0; i < schema_n_migrations; i++) {
		const struct schema_migration *m = &schema_migrations[i];
		if (m->version <= uv)
			continue;
		char *msg = NULL;
		if (sqlite3_exec(s->db, m->sql, NULL, NULL, &msg) != SQLITE_OK) {
			rc = seterr(s, STORE_ERR, _("cannot upgrade the database to schema %d (%s)"),
				    m->version, msg ? msg : "?");
			sqlite3_free(msg);
			goto fail;
		}
		if (m->version == 2 && (rc = fill_sort_keys(s)) != STORE_OK)
			goto fail;
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", m->version);
		if ((rc = exec(s, sql)) != STORE_OK || (rc = exec(s, "COMMIT")) != STORE_OK ||
		    (rc = exec(s, "BEGIN IMMEDIATE")) != STORE_OK)
			goto fail;
		uv = m->version;
	}
	s->schema = uv;
	if ((rc = pragma_int(s, "PRAGMA application_id", &appid)) != STORE_OK)
		goto fail;
	if (appid == 0) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA application_id = %d", APP_ID);
		if ((rc = exec(s, sql)) != STORE_OK)
			goto fail;
	}
	sqlite3_stmt *st = NULL;
	char uuid[37];
	uuid_make(uuid);
	int r = sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO meta (key, value) VALUES ('db_uuid', ?1)",
				   -1, &st, NULL);
	if (r == SQLITE_OK) {
		sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
		r = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (r == SQLITE_DONE)
		r = sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key = 'db_uuid'", -1, &st, NULL);
	if (r == SQLITE_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(s->db_uuid, sizeof s->db_uuid, "%s", col_str(st, 0) ? col_str(st, 0) : "");
		r = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (r != SQLITE_OK) {
		rc = dberr(s, r);
		goto fail;
	}
	return exec(s, "COMMIT");
fail:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* Reading only: is this a jxzp database we know how to open? */
static int check_schema(struct store *s)
{
	int uv = 0, appid = 0, tables = 0, ours3 = 0;
	int rc;
	/* The two header fields first (read from page 1, no schema needed):
	 * a file stamped with our application id is ours, and the scans of
	 * sqlite_master that tell an unstamped one are left out of every
	 * ordinary open (a sixth of what open costs besides the schema). */
	if ((rc = pragma_int(s, "PRAGMA user_version", &uv)) != STORE_OK ||
	    (rc = pragma_int(s, "PRAGMA application_id", &appid)) != STORE_OK)
		return rc;
	if (appid != APP_ID &&
	    ((rc = pragma_int(s, "SELECT count(*) FROM sqlite_master", &tables)) != STORE_OK ||
	     (rc = pragma_int(s, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
			      " AND name IN ('meta', 'form', 'form_local')", &ours3)) != STORE_OK))
		return rc;
	bool ours = appid == APP_ID || (appid == 0 && ((uv > 0 && ours3 == 3) ||
						       (uv == 0 && tables == 0)));
	if (!ours)
		return seterr(s, STORE_CORRUPT,
			      _("not a jxzp database (an SQLite database of another program)"));
	if (uv > latest_schema())
		return seterr(s, STORE_NEWER,
			      _("the database was made by a newer jxzp (schema %d; this jxzp knows up to %d)"),
			      uv, latest_schema());
	return STORE_OK;
}

static void register_functions(struct store *s)
{
	int fl = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
	sqlite3_create_function(s->db, "jx_sum", 1, fl, NULL, NULL, agg_step, sum_final);
	sqlite3_create_function(s->db, "jx_avg", 1, fl, NULL, NULL, agg_step, avg_final);
	sqlite3_create_function(s->db, "jx_readable", 1, fl, NULL, readable, NULL, NULL);
}

/* The OS user who makes a change, looked up at the first change, not at
 * open: getpwuid may ask nscd over a socket, and a command that only reads
 * (jxzp list, the screen opening a form) should open none. */
static const char *os_user(struct store *s)
{
	if (!s->user[0]) {
		const char *u = NULL;
#ifndef JXZP_NO_NSS	/* a static C library would ask nscd over a socket */
		struct passwd *pw = getpwuid(geteuid());
		u = pw && pw->pw_name && *pw->pw_name ? pw->pw_name : NULL;
#endif
		if (!u || !*u)
			u = getenv("LOGNAME");
		if (!u || !*u)
			u = getenv("USER");
		if (u && *u)
			snprintf(s->user, sizeof s->user, "%s", u);
		else
			snprintf(s->user, sizeof s->user, "uid %u", (unsigned)geteuid());
	}
	return s->user;
}

/* A database that could not be made leaves nothing behind: the file, its
 * -wal and -shm, and the folders this open created. */
static void unmake(struct store *s)
{
	for (int i = s->n_made - 1; i >= 0; i--) {
		if (strcmp(s->made[i], s->path) == 0) {
			static const char *const side[] = { "-wal", "-shm", "-journal" };
			for (size_t k = 0; k < sizeof side / sizeof side[0]; k++) {
				char buf[4200];
				snprintf(buf, sizeof buf, "%s%s", s->path, side[k]);
				unlink(buf);
			}
			unlink(s->path);
		} else {
			rmdir(s->made[i]);
		}
	}
}

static struct store *open_store(const char *path, int busy_ms, bool create, char *errbuf,
				size_t errlen, int *code)
{
	struct store *s = calloc(1, sizeof *s);
	int rc;
	if (!s)
		abort();
	s->path = xstrdup(path ? path : "");
	s->busy_ms = busy_ms;
	s->create = create;
	if (!*s->path) {
		rc = seterr(s, STORE_ERR, _("no database file given"));
		goto fail;
	}
	if ((rc = check_file(s)) != STORE_OK)
		goto fail;
	/* No memory statistics: nothing reads them, and keeping them takes a
	 * global mutex around each of sqlite's mallocs (half a million for an
	 * import of 1,500 forms).  Only possible before sqlite is initialised;
	 * later (a second store, a test that opened sqlite itself) it is
	 * refused, harmlessly. */
	static bool configured;
	if (!configured) {
		configured = true;
		(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	}
	int r = sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (r != SQLITE_OK) {
		rc = s->db ? dberr(s, r) : seterr(s, STORE_ERR, _("out of memory"));
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, busy_ms);
	if ((rc = check_schema(s)) != STORE_OK)
		goto fail;
	/* Only now may anything write. */
	char mode[16] = "";
	sqlite3_stmt *st = NULL;
	r = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
	if (r == SQLITE_OK && (r = sqlite3_step(st)) == SQLITE_ROW)
		snprintf(mode, sizeof mode, "%s", col_str(st, 0) ? col_str(st, 0) : "");
	sqlite3_finalize(st);
	if (r != SQLITE_ROW) {
		rc = dberr(s, r);
		goto fail;
	}
	if (strcmp(mode, "wal") != 0) {
		rc = seterr(s, STORE_ERR, _("cannot switch the database to WAL mode (it stays %s)"), mode);
		goto fail;
	}
	/* A page cache big enough that a batch (an import of thousands of
	 * forms, one transaction) keeps its dirty pages in memory: with the
	 * default 2 MiB sqlite spills them to the WAL over and over (uuid keys
	 * touch pages all over their indexes), a million writes for 10,000
	 * forms.  Pages are allocated as used, so a small database costs
	 * nothing more. */
	if ((rc = exec(s, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;"
			  " PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY")) != STORE_OK)
		goto fail;
	if ((rc = migrate(s)) != STORE_OK)
		goto fail;
	register_functions(s);
	*code = STORE_OK;
	return s;
fail:
	snprintf(errbuf, errlen, "%s", s->err);
	*code = rc;
	if (s->db) {
		sqlite3_close(s->db);	/* before its files go */
		s->db = NULL;
	}
	unmake(s);
	store_close(s);
	return NULL;
}

struct store *store_open_timeout(const char *path, int busy_ms, char *errbuf, size_t errlen,
				 int *code)
{
	return open_store(path, busy_ms, true, errbuf, errlen, code);
}

struct store *store_open(const char *path, char *errbuf, size_t errlen, int *code)
{
	return open_store(path, DEFAULT_BUSY_MS, true, errbuf, errlen, code);
}

struct store *store_open_existing(const char *path, char *errbuf, size_t errlen, int *code)
{
	return open_store(path, DEFAULT_BUSY_MS, false, errbuf, errlen, code);
}

bool store_disk_full(const struct store *s)
{
	return s->full;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->db && !sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	for (int i = 0; i < Q_N; i++)
		sqlite3_finalize(s->q[i]);
	for (int i = 0; i < N_HCOLS; i++)
		sqlite3_finalize(s->set_form[i]);
	for (int i = 0; i < FUND_COLS; i++)
		sqlite3_finalize(s->set_fund[i]);
	for (int i = 0; i < IND_FIELDS; i++)
		sqlite3_finalize(s->set_ind[i]);
	sqlite3_close(s->db);
	for (int i = 0; i < s->n_made; i++)
		free(s->made[i]);
	free(s->path);
	free(s);
}

const char *store_errmsg(const struct store *s) { return s->err; }
const char *store_path(const struct store *s) { return s->path; }
int store_schema_version(const struct store *s) { return s->schema; }
const char *store_db_uuid(const struct store *s) { return s->db_uuid; }

const char *store_default_path(char *buf, size_t len)
{
	const char *e = getenv("JXZP_DB");
	const char *x = getenv("XDG_DATA_HOME");
	if (e && *e) {
		snprintf(buf, len, "%s", e);
	} else if (x && *x == '/') {
		snprintf(buf, len, "%s/jxzp/jxzp.db", x);
	} else {
		const char *home = getenv("HOME");
#ifndef JXZP_NO_NSS
		if (!home || !*home) {
			struct passwd *pw = getpwuid(geteuid());
			home = pw && pw->pw_dir ? pw->pw_dir : NULL;
		}
#endif
		if (!home || !*home)
			home = ".";
		snprintf(buf, len, "%s/.local/share/jxzp/jxzp.db", home);
	}
	return buf;
}

/* ---- history ------------------------------------------------------------- */

static int history_add(struct store *s, const char *form_uuid, const char *path,
		       const char *old_value, const char *new_value, const char *at)
{
	sqlite3_stmt *st = Q(s, Q_INS_HIST);
	if (!st)
		return STORE_ERR;
	char uuid[37];
	uuid_make(uuid);
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, form_uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, path, -1, SQLITE_STATIC);
	bind_str(st, 4, old_value);
	bind_str(st, 5, new_value);
	sqlite3_bind_text(st, 6, at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, os_user(s), -1, SQLITE_STATIC);
	return run(s, st);
}

/* The uuid of a form id; live forms only if live. */
static int form_uuid_of(struct store *s, int64_t id, bool live, char uuid[37]);

/* History names an indicator row by its identity, "indicators[@UUID].FIELD"
 * (row_hist_path), so a row moved later, or a history row from another
 * machine whose rows were numbered otherwise, still names the right row:
 * shown as where the row is now, "indicators[N].FIELD", or
 * "indicators[deleted:1a2b3c4d].FIELD" for a row no longer here. */
static void row_hist_path(char *buf, size_t len, const char *row_uuid, const char *field)
{
	snprintf(buf, len, "indicators[@%s].%s", row_uuid, field);
}

static bool row_path_now(struct store *s, const char *path, char *buf, size_t len)
{
	if (strncmp(path, "indicators[@", 12) != 0 || strlen(path) < 12 + 36 + 2 || path[48] != ']')
		return false;
	char row[37];
	snprintf(row, sizeof row, "%.36s", path + 12);
	sqlite3_stmt *st = Q(s, Q_ROW_INDEX);
	if (!st)
		return false;
	sqlite3_bind_text(st, 1, row, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(buf, len, "indicators[%lld]%s", (long long)sqlite3_column_int64(st, 0), path + 49);
	else
		snprintf(buf, len, "indicators[deleted:%.8s]%s", row, path + 49);
	sqlite3_reset(st);
	return true;
}

int store_history(struct store *s, int64_t id,
		  int (*fn)(const struct history_row *r, void *arg), void *arg)
{
	char uuid[37];
	int rc = tx_begin(s, false);
	if (rc != STORE_OK)
		return rc;
	if ((rc = form_uuid_of(s, id, false, uuid)) != STORE_OK)
		return tx_end(s, rc);
	sqlite3_stmt *st = Q(s, Q_HISTORY);
	if (!st)
		return tx_end(s, STORE_ERR);
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		struct history_row h = {
			.form_id = id, .path = col_str(st, 0), .old_value = col_str(st, 1),
			.new_value = col_str(st, 2), .at = col_str(st, 3), .user = col_str(st, 4),
		};
		char now[128];
		if (h.path && row_path_now(s, h.path, now, sizeof now))
			h.path = now;
		if (fn(&h, arg))
			break;
	}
	rc = r == SQLITE_ROW || r == SQLITE_DONE ? STORE_OK : dberr(s, r);
	sqlite3_reset(st);
	return tx_end(s, rc);
}

/* ---- the form's header row ------------------------------------------------- */

/* Step Q_HEADER for a live form id: STORE_OK with the row current, or a code. */
static int header(struct store *s, int64_t id, sqlite3_stmt **out)
{
	sqlite3_stmt *st = Q(s, Q_HEADER);
	if (!st)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, id);
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		*out = st;
		return STORE_OK;
	}
	sqlite3_reset(st);
	if (r == SQLITE_DONE)
		return seterr(s, STORE_NOTFOUND, _("no form with id %lld"), (long long)id);
	return dberr(s, r);
}

static int refuse_readonly(struct store *s, int64_t id, enum form_status st)
{
	if (st == STATUS_SUBMITTED)
		return seterr(s, STORE_READONLY,
			      _("form %lld has been submitted and cannot be changed until a reviewer returns it"),
			      (long long)id);
	if (st == STATUS_APPROVED)
		return seterr(s, STORE_READONLY, _("form %lld has been approved and cannot be changed"),
			      (long long)id);
	return STORE_OK;
}

static int stale(struct store *s, int64_t id, int64_t expected, int64_t now)
{
	return seterr(s, STORE_STALE, _("form %lld changed since it was loaded (version %lld, now %lld): reload it"),
		      (long long)id, (long long)expected, (long long)now);
}

/* After a constraint failure on the (unit, year, project) key: name the
 * form that holds it.  Returns STORE_EXISTS, or 0 if it was something else. */
static int key_taken(struct store *s, const char *unit, int year, const char *project,
		     const char *uuid)
{
	sqlite3_stmt *st = Q(s, Q_KEY_ID);
	int rc = 0;
	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, unit ? unit : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, year);
	sqlite3_bind_text(st, 3, project ? project : "", -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		rc = seterr(s, STORE_EXISTS, _("a form for %s, %d, %s already exists (id %lld)"),
			    unit, year, project, (long long)sqlite3_column_int64(st, 0));
	sqlite3_reset(st);
	if (rc || !uuid)
		return rc;
	st = Q(s, Q_UUID_ID);
	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		rc = seterr(s, STORE_EXISTS, _("a form with uuid %s is already in the database (id %lld)"),
			    uuid, (long long)sqlite3_column_int64(st, 0));
	sqlite3_reset(st);
	return rc;
}

static int check_key(struct store *s, const struct form *f)
{
	if (!f->unit || !*f->unit || !f->project || !*f->project || f->year < 1900 || f->year > 2999)
		return seterr(s, STORE_ERR, _("a form needs a unit, a year and a project"));
	if (!f->layout || !layout_find(f->layout))
		return seterr(s, STORE_ERR, _("unknown layout %s"), f->layout ? f->layout : "(none)");
	if (!f->ruleset || !*f->ruleset)
		return seterr(s, STORE_ERR, _("a form needs a rule set"));
	return STORE_OK;
}

/* ---- load ---------------------------------------------------------------- */

static int load_form(struct store *s, int64_t id, struct form **out)
{
	sqlite3_stmt *h;
	*out = NULL;
	int rc = header(s, id, &h);
	if (rc != STORE_OK)
		return rc;
	struct form *f = calloc(1, sizeof *f);
	if (!f)
		abort();
	f->id = id;
	snprintf(f->uuid, sizeof f->uuid, "%s", col_str(h, HDR_UUID));
	f->version = sqlite3_column_int64(h, HDR_VERSION);
	f->status = status_parse(col_str(h, HDR_STATUS));
	f->return_reason = xstrdup(col_str(h, HDR_REASON));
	f->updated = xstrdup(col_str(h, HDR_UPDATED));
	f->year = sqlite3_column_int(h, HDR_COL0 + HC_YEAR);
	for (int i = 1; i < N_HCOLS; i++)
		*hslot(f, i) = xstrdup(col_str(h, HDR_COL0 + i));
	sqlite3_reset(h);

	sqlite3_stmt *st = Q(s, Q_FUNDS);
	int r = SQLITE_ERROR;
	if (st) {
		sqlite3_bind_text(st, 1, f->uuid, -1, SQLITE_STATIC);
		while ((r = sqlite3_step(st)) == SQLITE_ROW) {
			const char *row = col_str(st, 0);
			for (int k = 0; k < FUND_ROWS; k++)
				if (row && strcmp(row, fund_row_key[k]) == 0)
					for (int c = 0; c < FUND_COLS; c++)
						f->funds[k][c] = xstrdup(col_str(st, 1 + c));
		}
		sqlite3_reset(st);
	}
	if (r == SQLITE_DONE && (st = Q(s, Q_INDS))) {
		sqlite3_bind_text(st, 1, f->uuid, -1, SQLITE_STATIC);
		while ((r = sqlite3_step(st)) == SQLITE_ROW) {
			/* appended here, not by form_add_indicator: that draws a
			 * fresh uuid (a getrandom call) the stored one overwrites */
			if (f->n_ind == f->cap_ind) {
				size_t cap = f->cap_ind ? f->cap_ind * 2 : 8;
				struct indicator *p = realloc(f->ind, cap * sizeof *p);
				if (!p)
					abort();
				f->ind = p;
				f->cap_ind = cap;
			}
			struct indicator *in = &f->ind[f->n_ind++];
			memset(in, 0, sizeof *in);
			snprintf(in->uuid, sizeof in->uuid, "%s", col_str(st, 0));
			for (int k = 0; k < IND_FIELDS; k++)
				in->v[k] = xstrdup(col_str(st, 1 + k));
		}
		sqlite3_reset(st);
	}
	if (r != SQLITE_DONE) {
		form_free(f);
		return st ? dberr(s, r) : STORE_ERR;
	}
	*out = f;
	return STORE_OK;
}

int store_load(struct store *s, int64_t id, struct form **out)
{
	*out = NULL;
	int rc = tx_begin(s, false);	/* one snapshot for the three selects */
	if (rc != STORE_OK)
		return rc;
	return tx_end(s, load_form(s, id, out));
}

/* ---- insert -------------------------------------------------------------- */

static void bind_header(sqlite3_stmt *st, const struct form *f)
{
	sqlite3_bind_int(st, 6 + HC_YEAR, f->year);
	for (int i = 1; i < N_HCOLS; i++)
		bind_str(st, 6 + i, *hslot((struct form *)f, i));
}

static int insert_fund(struct store *s, const struct form *f, int r)
{
	sqlite3_stmt *st = Q(s, Q_INS_FUND);
	if (!st)
		return STORE_ERR;
	sqlite3_bind_text(st, 1, f->uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, fund_row_key[r], -1, SQLITE_STATIC);
	for (int c = 0; c < FUND_COLS; c++)
		bind_str(st, 3 + c, f->funds[r][c]);
	return run(s, st);
}

static int write_indicator(struct store *s, int which, const char *form_uuid,
			   const struct indicator *in, size_t pos)
{
	sqlite3_stmt *st = Q(s, which);
	if (!st)
		return STORE_ERR;
	sqlite3_bind_text(st, 1, in->uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, form_uuid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (int64_t)pos);
	for (int k = 0; k < IND_FIELDS; k++)
		bind_str(st, 4 + k, in->v[k]);
	return run(s, st);
}

int store_insert(struct store *s, struct form *f)
{
	char at[32];
	int rc;
	numtext_normalise_form(f);	/* figures in one spelling */
	if (!f->uuid[0])
		uuid_make(f->uuid);
	if (!f->layout)
		f->layout = xstrdup(DEFAULT_LAYOUT);
	if (!f->ruleset)
		f->ruleset = xstrdup(DEFAULT_RULESET);
	char why[400];
	if (input_check_form(f, why, sizeof why) != 0)	/* the one input rule */
		return seterr(s, STORE_BADVALUE, "%s", why);
	if ((rc = check_key(s, f)) != STORE_OK)
		return rc;
	if ((rc = tx_begin(s, true)) != STORE_OK)
		return rc;
	now_iso(at);
	sqlite3_stmt *st = Q(s, Q_INS_FORM);
	if (!st)
		return tx_end(s, STORE_ERR);
	sqlite3_bind_text(st, 1, f->uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, status_key[f->status], -1, SQLITE_STATIC);
	bind_str(st, 4, f->return_reason);
	sqlite3_bind_text(st, 5, at, -1, SQLITE_STATIC);
	bind_header(st, f);
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		if ((r & 0xff) != SQLITE_CONSTRAINT || !(rc = key_taken(s, f->unit, f->year, f->project, f->uuid)))
			rc = dberr(s, r);
		return tx_end(s, rc);
	}
	/* the trigger form_local_new (schema 003) gave it its local id */
	if ((st = Q(s, Q_UUID_ID)) == NULL)
		return tx_end(s, STORE_ERR);
	sqlite3_bind_text(st, 1, f->uuid, -1, SQLITE_STATIC);
	r = sqlite3_step(st);
	int64_t id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (r != SQLITE_ROW)
		return tx_end(s, r == SQLITE_DONE ? seterr(s, STORE_ERR, _("database error: %s"),
							   "no form_local row") : dberr(s, r));
	for (int k = 0; k < FUND_ROWS && rc == STORE_OK; k++)
		rc = insert_fund(s, f, k);
	for (size_t i = 0; i < f->n_ind && rc == STORE_OK; i++) {
		if (!f->ind[i].uuid[0])
			uuid_make(f->ind[i].uuid);
		rc = write_indicator(s, Q_INS_IND, f->uuid, &f->ind[i], i);
	}
	if ((rc = tx_end(s, rc)) != STORE_OK)
		return rc;
	f->id = id;
	f->version = 1;
	set_str(&f->updated, at);
	return STORE_OK;
}

/* ---- one field ------------------------------------------------------------- */

static sqlite3_stmt *set_stmt(struct store *s, const struct where *w)
{
	char sql[160];
	switch (w->t) {
	case T_FORM:
		snprintf(sql, sizeof sql, "UPDATE form SET %s = ?1, version = version + 1,"
			 " updated = ?2 WHERE uuid = ?3", hcols[w->col].col);
		return prep(s, &s->set_form[w->col], sql);
	case T_FUND:
		snprintf(sql, sizeof sql, "UPDATE fund SET %s = ?1 WHERE form_uuid = ?3 AND row = ?4",
			 fund_col_key[w->col]);
		return prep(s, &s->set_fund[w->col], sql);
	case T_IND:
		snprintf(sql, sizeof sql, "UPDATE indicator SET %s = ?1 WHERE uuid = ?3",
			 ind_field_key[w->col]);
		return prep(s, &s->set_ind[w->col], sql);
	}
	return NULL;
}

/* Is value acceptable for a header column?  The rules of form_set, plus the
 * key columns that a stored form cannot be without. */
static int check_value(struct store *s, int col, const char *value, int *year)
{
	if (col == HC_YEAR) {
		char *end;
		long y = value ? strtol(value, &end, 10) : 0;
		if (!value || *end || end == value || y < 1900 || y > 2999)
			return seterr(s, STORE_ERR, _("the year must be a number such as 2024"));
		*year = (int)y;
	} else if ((col == HC_UNIT || col == HC_PROJECT) && (!value || !*value)) {
		return seterr(s, STORE_ERR, _("a form needs a unit, a year and a project"));
	} else if (col == HC_LAYOUT && !layout_find(value)) {
		return seterr(s, STORE_ERR, _("unknown layout (beijing-2021, district-2023, district-2024)"));
	} else if (col == HC_RULESET && (!value || !*value)) {
		return seterr(s, STORE_ERR, _("a form needs a rule set"));
	}
	return STORE_OK;
}

static int save_field(struct store *s, int64_t id, int64_t expected, const char *path,
		      const char *value, int64_t *new_version)
{
	struct where w;
	static const struct form empty;	/* header and fund paths need no rows */
	if (!resolve(path, &w))
		return seterr(s, STORE_BADPATH, _("unknown field path: %s"), path ? path : "(none)");
	char why[400];
	if (input_check(path, value, why, sizeof why) != 0)	/* the one input rule */
		return seterr(s, STORE_BADVALUE, "%s", why);
	assert(w.t == T_IND || form_path_valid(&empty, path));

	sqlite3_stmt *h;
	int rc = header(s, id, &h);
	if (rc != STORE_OK)
		return rc;
	char uuid[37], cur_unit[512], cur_project[512];
	snprintf(uuid, sizeof uuid, "%s", col_str(h, HDR_UUID));
	int64_t version = sqlite3_column_int64(h, HDR_VERSION);
	enum form_status status = status_parse(col_str(h, HDR_STATUS));
	int cur_year = sqlite3_column_int(h, HDR_COL0 + HC_YEAR);
	char *old = NULL;
	if (w.t == T_FORM)
		old = xstrdup(col_str(h, HDR_COL0 + w.col));
	/* the key as it is, for the message if the change collides */
	snprintf(cur_unit, sizeof cur_unit, "%s", col_str(h, HDR_COL0 + HC_UNIT));
	snprintf(cur_project, sizeof cur_project, "%s", col_str(h, HDR_COL0 + HC_PROJECT));
	sqlite3_reset(h);

	char row_uuid[37] = "";
	int year = 0;
	if (version != expected)
		rc = stale(s, id, expected, version);
	else if ((rc = refuse_readonly(s, id, status)) != STORE_OK)
		;
	else if (w.t == T_FORM)
		rc = check_value(s, w.col, value, &year);
	else {
		sqlite3_stmt *st = Q(s, w.t == T_FUND ? Q_FUND_ROW : Q_IND_AT);
		if (!st) {
			rc = STORE_ERR;
		} else {
			sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
			if (w.t == T_FUND)
				sqlite3_bind_text(st, 2, fund_row_key[w.row], -1, SQLITE_STATIC);
			else
				sqlite3_bind_int64(st, 2, (int64_t)w.ind);
			int r = sqlite3_step(st);
			if (r == SQLITE_ROW) {
				old = xstrdup(col_str(st, 1 + w.col));
				snprintf(row_uuid, sizeof row_uuid, "%s", col_str(st, 0));
			} else if (r == SQLITE_DONE && w.t == T_IND) {
				rc = seterr(s, STORE_BADPATH, _("form %lld has no indicator row %zu (%s)"),
					    (long long)id, w.ind + 1, path);
			} else if (r != SQLITE_DONE) {
				rc = dberr(s, r);
			}	/* a fund row never written: inserted below */
			sqlite3_reset(st);
		}
	}
	char year_text[16];
	if (rc == STORE_OK && w.t == T_FORM && w.col == HC_YEAR) {
		snprintf(year_text, sizeof year_text, "%d", year);	/* " 2024" is 2024 */
		value = year_text;
	}
	if (rc != STORE_OK || str_eq(old, value)) {
		free(old);
		if (rc == STORE_OK)
			*new_version = version;	/* nothing changed, nothing written */
		return rc;
	}

	char at[32];
	now_iso(at);
	sqlite3_stmt *st = set_stmt(s, &w);
	if (!st) {
		free(old);
		return STORE_ERR;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (w.t == T_FORM && w.col == HC_YEAR)
		sqlite3_bind_int(st, 1, year);
	else
		bind_str(st, 1, value);
	if (w.t == T_FORM) {
		sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, uuid, -1, SQLITE_STATIC);
	} else if (w.t == T_FUND) {
		sqlite3_bind_text(st, 3, uuid, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, fund_row_key[w.row], -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_text(st, 3, row_uuid, -1, SQLITE_STATIC);
	}
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		rc = 0;
		if ((r & 0xff) == SQLITE_CONSTRAINT && w.t == T_FORM)
			rc = key_taken(s, w.col == HC_UNIT ? value : cur_unit,
				       w.col == HC_YEAR ? year : cur_year,
				       w.col == HC_PROJECT ? value : cur_project, NULL);
		free(old);
		return rc ? rc : dberr(s, r);
	}
	if (w.t == T_FUND && sqlite3_changes(s->db) == 0) {
		struct form tmp = { 0 };
		snprintf(tmp.uuid, sizeof tmp.uuid, "%s", uuid);
		tmp.funds[w.row][w.col] = (char *)value;
		rc = insert_fund(s, &tmp, w.row);
	}
	if (rc == STORE_OK && w.t != T_FORM) {
		if ((st = Q(s, Q_BUMP))) {
			sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
			rc = run(s, st);
		} else {
			rc = STORE_ERR;
		}
	}
	char hpath[96];
	if (w.t == T_IND)
		row_hist_path(hpath, sizeof hpath, row_uuid, ind_field_key[w.col]);
	if (rc == STORE_OK)
		rc = history_add(s, uuid, w.t == T_IND ? hpath : path, old, value, at);
	free(old);
	if (rc == STORE_OK)
		*new_version = version + 1;
	return rc;
}

int store_save_field(struct store *s, int64_t id, int64_t expected_version,
		     const char *path, const char *value, int64_t *new_version)
{
	int rc = tx_begin(s, true);
	if (rc != STORE_OK)
		return rc;
	int64_t v = expected_version;
	char *plain = numtext_normalise(path, value);	/* figures in one spelling */
	rc = tx_end(s, save_field(s, id, expected_version, path, plain ? plain : value, &v));
	free(plain);
	if (rc == STORE_OK && new_version)
		*new_version = v;
	return rc;
}

/* ---- whole form ---------------------------------------------------------- */

static int bump(struct store *s, const char *uuid, const char *at)
{
	sqlite3_stmt *st = Q(s, Q_BUMP);
	if (!st)
		return STORE_ERR;
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
	return run(s, st);
}

static int save_header(struct store *s, const struct form *old, const struct form *f,
		       const char *at, bool *changed)
{
	char a[FORM_SCRATCH], b[FORM_SCRATCH];
	int rc = STORE_OK;
	bool head = false;
	for (int i = 0; i < N_HCOLS && rc == STORE_OK; i++) {
		const char *ov = form_get(old, hcols[i].path, a), *nv = form_get(f, hcols[i].path, b);
		if (!str_eq(ov, nv)) {
			head = true;
			rc = history_add(s, f->uuid, hcols[i].path, ov, nv, at);
		}
	}
	if (rc != STORE_OK || !head)
		return rc;
	*changed = true;
	sqlite3_stmt *st = Q(s, Q_UPD_FORM);
	if (!st)
		return STORE_ERR;
	sqlite3_bind_text(st, 1, f->uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, at, -1, SQLITE_STATIC);
	bind_header(st, f);
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	if (r != SQLITE_DONE && ((r & 0xff) != SQLITE_CONSTRAINT ||
				 !(rc = key_taken(s, f->unit, f->year, f->project, NULL))))
		rc = dberr(s, r);
	return rc;
}

static int save_funds(struct store *s, const struct form *old, const struct form *f,
		      const char *at, bool *changed)
{
	int rc = STORE_OK;
	for (int r = 0; r < FUND_ROWS && rc == STORE_OK; r++) {
		bool row = false;
		for (int c = 0; c < FUND_COLS && rc == STORE_OK; c++)
			if (!str_eq(old->funds[r][c], f->funds[r][c])) {
				char path[64];
				snprintf(path, sizeof path, "funds.%s.%s", fund_row_key[r], fund_col_key[c]);
				row = true;
				rc = history_add(s, f->uuid, path, old->funds[r][c], f->funds[r][c], at);
			}
		if (rc != STORE_OK || !row)
			continue;
		*changed = true;
		sqlite3_stmt *st = Q(s, Q_UPD_FUND);
		if (!st)
			return STORE_ERR;
		sqlite3_bind_text(st, 1, f->uuid, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, fund_row_key[r], -1, SQLITE_STATIC);
		for (int c = 0; c < FUND_COLS; c++)
			bind_str(st, 3 + c, f->funds[r][c]);
		if ((rc = run(s, st)) == STORE_OK && sqlite3_changes(s->db) == 0)
			rc = insert_fund(s, f, r);
	}
	return rc;
}

/* The row position N of a path "indicators[N]..." and where its rest
 * starts; false for any other path. */
static bool row_path(const char *path, size_t *n, const char **rest)
{
	if (!path || strncmp(path, "indicators[", 11) != 0)
		return false;
	const char *p = path + 11;
	size_t v = 0;
	int digits = 0;
	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		v = v * 10 + (size_t)(*p - '0');
		if (v > 1000000)
			return false;
	}
	if (!digits || *p != ']')
		return false;
	*n = v;
	*rest = p + 1;
	return true;
}

/* Comments name an indicator row by its position ("indicators[3].actual"):
 * when rows were added, removed or moved, each comment follows its row to
 * the row's new position, and a comment on a row that is gone is resolved,
 * its path cleared (it would name another row) and the old path kept in a
 * note.  Rows are matched by uuid; runs inside save_form's transaction. */
static int renumber_comments(struct store *s, const struct form *old, const struct form *f)
{
	struct change {
		char uuid[37];
		char *path;	/* new path, or NULL: the row was deleted */
		char *was;
	} *ch = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *st = Q(s, Q_COMMENT_ROWS);
	if (!st)
		return STORE_ERR;
	sqlite3_bind_text(st, 1, f->uuid, -1, SQLITE_STATIC);
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *path = col_str(st, 1), *rest;
		size_t j;
		if (!row_path(path, &j, &rest) || j >= old->n_ind)
			continue;	/* names no row that was there: left as it is */
		size_t i = 0;
		while (i < f->n_ind && strcmp(f->ind[i].uuid, old->ind[j].uuid) != 0)
			i++;
		bool kept = i < f->n_ind;
		if (kept && i == j)
			continue;	/* the row kept its place */
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			struct change *p = realloc(ch, cap * sizeof *p);
			if (!p)
				abort();
			ch = p;
		}
		struct change *c = &ch[n++];
		snprintf(c->uuid, sizeof c->uuid, "%s", col_str(st, 0));
		c->was = xstrdup(path);
		c->path = NULL;
		if (kept) {
			size_t len = strlen(rest) + 32;
			c->path = malloc(len);
			if (!c->path)
				abort();
			snprintf(c->path, len, "indicators[%zu]%s", i, rest);
		}
	}
	int rc = r == SQLITE_DONE ? STORE_OK : dberr(s, r);
	sqlite3_reset(st);
	for (size_t k = 0; k < n && rc == STORE_OK; k++) {
		char note[300];
		if (ch[k].path) {
			st = Q(s, Q_COMMENT_MOVE);
			if (!st) {
				rc = STORE_ERR;
				break;
			}
			sqlite3_bind_text(st, 2, ch[k].path, -1, SQLITE_STATIC);
		} else {
			st = Q(s, Q_COMMENT_ORPHAN);
			if (!st) {
				rc = STORE_ERR;
				break;
			}
			/* the old path, so a reader can still tell what it was about
			 * (the msgid the bundle's conflicts use for a deleted row) */
			snprintf(note, sizeof note, "\n(%s: %s)", _("the row deleted"), ch[k].was);
			sqlite3_bind_text(st, 2, note, -1, SQLITE_STATIC);
		}
		sqlite3_bind_text(st, 1, ch[k].uuid, -1, SQLITE_STATIC);
		rc = run(s, st);
	}
	for (size_t k = 0; k < n; k++) {
		free(ch[k].path);
		free(ch[k].was);
	}
	free(ch);
	return rc;
}

/* Indicator rows, matched by uuid: changed fields are history rows at their
 * new position; rows added, removed or moved are one history row
 * "indicators" with the uuids in order before and after. */
static int save_indicators(struct store *s, const struct form *old, struct form *f,
			   const char *at, bool *changed)
{
	int rc = STORE_OK;
	for (size_t i = 0; i < f->n_ind && rc == STORE_OK; i++) {
		struct indicator *in = &f->ind[i];
		const struct indicator *was = NULL;
		size_t at_old = 0;
		if (!in->uuid[0])
			uuid_make(in->uuid);
		for (size_t j = 0; j < old->n_ind && !was; j++)
			if (strcmp(old->ind[j].uuid, in->uuid) == 0) {
				was = &old->ind[j];
				at_old = j;
			}
		bool diff = !was || at_old != i;
		for (int k = 0; k < IND_FIELDS && rc == STORE_OK; k++) {
			const char *ov = was ? was->v[k] : NULL;
			if (!str_eq(ov, in->v[k])) {
				char path[96];
				row_hist_path(path, sizeof path, in->uuid, ind_field_key[k]);
				diff = true;
				rc = history_add(s, f->uuid, path, ov, in->v[k], at);
			}
		}
		if (rc == STORE_OK && diff) {
			*changed = true;
			rc = write_indicator(s, was ? Q_UPD_IND : Q_INS_IND, f->uuid, in, i);
		}
	}
	for (size_t j = 0; j < old->n_ind && rc == STORE_OK; j++) {
		bool kept = false;
		for (size_t i = 0; i < f->n_ind && !kept; i++)
			kept = strcmp(old->ind[j].uuid, f->ind[i].uuid) == 0;
		if (kept)
			continue;
		*changed = true;
		sqlite3_stmt *st = Q(s, Q_DEL_IND);
		if (!st)
			return STORE_ERR;
		sqlite3_bind_text(st, 1, old->ind[j].uuid, -1, SQLITE_STATIC);
		rc = run(s, st);
	}
	bool order = old->n_ind != f->n_ind;
	for (size_t i = 0; i < f->n_ind && !order; i++)
		order = strcmp(old->ind[i].uuid, f->ind[i].uuid) != 0;
	if (rc == STORE_OK && order) {
		size_t lo = old->n_ind * 37 + 1, ln = f->n_ind * 37 + 1;
		char *o = calloc(1, lo), *n = calloc(1, ln);
		if (!o || !n)
			abort();
		for (size_t j = 0, len = 0; j < old->n_ind; j++)
			len += (size_t)snprintf(o + len, lo - len, "%s%s", j ? "," : "", old->ind[j].uuid);
		for (size_t i = 0, len = 0; i < f->n_ind; i++)
			len += (size_t)snprintf(n + len, ln - len, "%s%s", i ? "," : "", f->ind[i].uuid);
		rc = history_add(s, f->uuid, "indicators", o, n, at);
		free(o);
		free(n);
		if (rc == STORE_OK)
			rc = renumber_comments(s, old, f);
	}
	return rc;
}

static int save_form(struct store *s, struct form *f, const char *at, bool *changed)
{
	struct form *old;
	char why[400];
	if (input_check_form(f, why, sizeof why) != 0)	/* the one input rule */
		return seterr(s, STORE_BADVALUE, "%s", why);
	int rc = load_form(s, f->id, &old);
	if (rc != STORE_OK)
		return rc;
	bool head = false;
	if (strcmp(old->uuid, f->uuid) != 0)
		rc = seterr(s, STORE_ERR, _("form %lld is a different form (uuid %s, not %s)"),
			    (long long)f->id, old->uuid, f->uuid);
	else if (old->version != f->version)
		rc = stale(s, f->id, f->version, old->version);
	else if ((rc = refuse_readonly(s, f->id, old->status)) != STORE_OK)
		;
	else if ((rc = check_key(s, f)) != STORE_OK)
		;
	else if ((rc = save_header(s, old, f, at, &head)) == STORE_OK &&
		 (rc = save_funds(s, old, f, at, changed)) == STORE_OK)
		rc = save_indicators(s, old, f, at, changed);
	if (rc == STORE_OK && *changed && !head)	/* the header update bumps by itself */
		rc = bump(s, f->uuid, at);
	*changed = *changed || head;
	form_free(old);
	return rc;
}

int store_save_form(struct store *s, struct form *f)
{
	char at[32];
	bool changed = false;
	numtext_normalise_form(f);	/* figures in one spelling */
	int rc = tx_begin(s, true);
	if (rc != STORE_OK)
		return rc;
	now_iso(at);
	if ((rc = tx_end(s, save_form(s, f, at, &changed))) != STORE_OK)
		return rc;
	if (changed) {
		f->version++;
		set_str(&f->updated, at);
	}
	return STORE_OK;
}

/* ---- status ---------------------------------------------------------------- */

static bool allowed(enum form_status from, enum form_status to)
{
	return (to == STATUS_SUBMITTED && (from == STATUS_DRAFT || from == STATUS_RETURNED)) ||
	       (from == STATUS_SUBMITTED && (to == STATUS_RETURNED || to == STATUS_APPROVED));
}

static bool blank(const char *t)
{
	for (; t && *t; t++)
		if (*t != ' ' && *t != '\t' && *t != '\n' && *t != '\r')
			return false;
	return true;
}

static int set_status(struct store *s, int64_t id, int64_t expected, enum form_status to,
		      const char *reason)
{
	sqlite3_stmt *h;
	int rc = header(s, id, &h);
	if (rc != STORE_OK)
		return rc;
	char uuid[37];
	snprintf(uuid, sizeof uuid, "%s", col_str(h, HDR_UUID));
	int64_t version = sqlite3_column_int64(h, HDR_VERSION);
	enum form_status from = status_parse(col_str(h, HDR_STATUS));
	char *old_reason = xstrdup(col_str(h, HDR_REASON));
	sqlite3_reset(h);

	const char *new_reason = to == STATUS_RETURNED ? reason : NULL;
	char at[32];
	now_iso(at);
	if (version != expected)
		rc = stale(s, id, expected, version);
	else if (!allowed(from, to))
		rc = seterr(s, STORE_BADSTATE,
			    _("form %lld is %s and cannot become %s (draft and returned forms are submitted; "
			      "a submitted form is returned or approved)"),
			    (long long)id, status_name(from), status_name(to));
	else if (to == STATUS_RETURNED && blank(reason))
		rc = seterr(s, STORE_BADSTATE, _("a form is returned with a reason"));
	if (rc == STORE_OK) {
		sqlite3_stmt *st = Q(s, Q_STATUS);
		if (!st) {
			rc = STORE_ERR;
		} else {
			sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, status_key[to], -1, SQLITE_STATIC);
			bind_str(st, 3, new_reason);
			sqlite3_bind_text(st, 4, at, -1, SQLITE_STATIC);
			rc = run(s, st);
		}
	}
	if (rc == STORE_OK)
		rc = history_add(s, uuid, "status", status_key[from], status_key[to], at);
	if (rc == STORE_OK && !str_eq(old_reason, new_reason))
		rc = history_add(s, uuid, "return_reason", old_reason, new_reason, at);
	free(old_reason);
	return rc;
}

int store_set_status(struct store *s, int64_t id, int64_t expected_version,
		     enum form_status to, const char *reason)
{
	if ((unsigned)to > STATUS_APPROVED)
		return seterr(s, STORE_BADSTATE, _("unknown status"));
	int rc = tx_begin(s, true);
	if (rc != STORE_OK)
		return rc;
	return tx_end(s, set_status(s, id, expected_version, to, reason));
}

/* ---- delete -------------------------------------------------------------- */

static int delete_form(struct store *s, int64_t id)
{
	sqlite3_stmt *h;
	int rc = header(s, id, &h);
	if (rc != STORE_OK)
		return rc;
	char uuid[37];
	snprintf(uuid, sizeof uuid, "%s", col_str(h, HDR_UUID));
	enum form_status status = status_parse(col_str(h, HDR_STATUS));
	sqlite3_reset(h);
	if ((rc = refuse_readonly(s, id, status)) != STORE_OK)
		return rc;
	char at[32];
	now_iso(at);
	sqlite3_stmt *st = Q(s, Q_DELETE);
	if (!st)
		return STORE_ERR;
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
	if ((rc = run(s, st)) != STORE_OK)
		return rc;
	return history_add(s, uuid, "deleted", "0", "1", at);
}

int store_delete(struct store *s, int64_t id)
{
	int rc = tx_begin(s, true);
	if (rc != STORE_OK)
		return rc;
	return tx_end(s, delete_form(s, id));
}

/* The undoing of delete_form: a deletion only sets a flag, so the form's
 * rows, comments and history are all still there. */
static int restore_form(struct store *s, int64_t id)
{
	sqlite3_stmt *st = Q(s, Q_GONE);
	if (!st)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, id);
	int r = sqlite3_step(st);
	if (r != SQLITE_ROW) {
		sqlite3_reset(st);
		return r == SQLITE_DONE ? seterr(s, STORE_NOTFOUND, _("no form with id %lld"), (long long)id)
					: dberr(s, r);
	}
	char uuid[37], unit[512], project[1024];
	snprintf(uuid, sizeof uuid, "%s", col_str(st, 0));
	bool deleted = sqlite3_column_int(st, 1) != 0;
	snprintf(unit, sizeof unit, "%s", col_str(st, 2));
	int year = sqlite3_column_int(st, 3);
	snprintf(project, sizeof project, "%s", col_str(st, 4));
	sqlite3_reset(st);
	if (!deleted)
		return seterr(s, STORE_BADSTATE, _("form %lld is not deleted: there is nothing to restore"),
			      (long long)id);
	/* a live form took its unit, year and project since: say which */
	if ((r = key_taken(s, unit, year, project, NULL)) != 0)
		return r;
	char at[32];
	now_iso(at);
	if (!(st = Q(s, Q_RESTORE)))
		return STORE_ERR;
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
	if ((r = run(s, st)) != STORE_OK)
		return r;
	return history_add(s, uuid, "deleted", "1", "0", at);
}

int store_restore(struct store *s, int64_t id)
{
	int rc = tx_begin(s, true);
	if (rc != STORE_OK)
		return rc;
	return tx_end(s, restore_form(s, id));
}

/* ---- cached figures ---------------------------------------------------------- */

static int local_update(struct store *s, int64_t id, sqlite3_stmt *st)
{
	int rc = run(s, st);
	if (rc == STORE_OK && sqlite3_changes(s->db) == 0)
		rc = seterr(s, STORE_NOTFOUND, _("no form with id %lld"), (long long)id);
	return rc;
}

int store_set_summary(struct store *s, int64_t id, const char *score,
		      const char *grade, int errors)
{
	sqlite3_stmt *st = Q(s, Q_SUMMARY);
	int64_t k;
	if (!st)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, id);
	bind_str(st, 2, score);
	bind_str(st, 3, grade);
	sqlite3_bind_int(st, 4, errors);
	if (sort_key(score, &k))
		sqlite3_bind_int64(st, 5, k);
	if (grade)
		sqlite3_bind_int(st, 6, grade_rank(grade));
	return local_update(s, id, st);
}

int store_set_rate(struct store *s, int64_t id, const char *rate)
{
	sqlite3_stmt *st = Q(s, Q_RATE);
	int64_t k;
	if (!st)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, id);
	bind_str(st, 2, rate);
	if (sort_key(rate, &k))
		sqlite3_bind_int64(st, 3, k);
	return local_update(s, id, st);
}

/* ---- lists ----------------------------------------------------------------- */

/* WHERE terms for a filter, with named parameters bound by bind_filter.
 * "f.deleted = 0" word for word: it is what lets sqlite use the partial
 * indexes form_key and form_status. */
static void filter_sql(char *buf, size_t len, const struct store_filter *flt)
{
	snprintf(buf, len, "f.deleted = 0%s%s%s%s",
		 flt && flt->unit ? " AND f.unit = :unit" : "",
		 flt && flt->year ? " AND f.year = :year" : "",
		 flt && flt->status ? " AND f.status = :status" : "",
		 flt && flt->text && *flt->text
		 ? " AND (instr(f.unit, :text) > 0 OR instr(f.project, :text) > 0"
		   " OR instr(coalesce(f.department, ''), :text) > 0)" : "");
}

static void bind_filter(sqlite3_stmt *st, const struct store_filter *flt)
{
	if (!flt)
		return;
	int i;
	if ((i = sqlite3_bind_parameter_index(st, ":unit")))
		sqlite3_bind_text(st, i, flt->unit, -1, SQLITE_STATIC);
	if ((i = sqlite3_bind_parameter_index(st, ":year")))
		sqlite3_bind_int(st, i, flt->year);
	if ((i = sqlite3_bind_parameter_index(st, ":status")))
		sqlite3_bind_text(st, i, flt->status, -1, SQLITE_STATIC);
	if ((i = sqlite3_bind_parameter_index(st, ":text")))
		sqlite3_bind_text(st, i, flt->text, -1, SQLITE_STATIC);
}

static int query_rows(struct store *s, const char *sql, const struct store_filter *flt,
		      int64_t limit, int64_t offset,
		      int (*fn)(const struct form_row *r, void *arg), void *arg)
{
	sqlite3_stmt *st;
	int r = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (r != SQLITE_OK)
		return dberr(s, r);
	bind_filter(st, flt);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":limit"), limit);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":offset"), offset);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		struct form_row row = {
			.id = sqlite3_column_int64(st, 0), .year = sqlite3_column_int(st, 1),
			.unit = col_str(st, 2), .project = col_str(st, 3),
			.department = col_str(st, 4), .status = col_str(st, 5),
			.updated = col_str(st, 6), .score = col_str(st, 7), .grade = col_str(st, 8),
			.errors = sqlite3_column_int(st, 9), .version = sqlite3_column_int64(st, 10),
			.uuid = col_str(st, 11), .budget = col_str(st, 12), .spent = col_str(st, 13),
			.rate = col_str(st, 14),
		};
		if (fn(&row, arg))
			break;
	}
	int rc = r == SQLITE_ROW || r == SQLITE_DONE ? STORE_OK : dberr(s, r);
	sqlite3_finalize(st);
	return rc;
}

int store_page(struct store *s, const struct store_filter *flt, enum store_sort by,
	       bool desc, size_t offset, size_t limit,
	       int (*fn)(const struct form_row *r, void *arg), void *arg)
{
	if ((unsigned)by > SORT_UPDATED)
		return seterr(s, STORE_ERR, _("unknown sort order"));
	char where[400], ord[200], inner[1000], sql[2000];
	filter_sql(where, sizeof where, flt);
	const char *d = desc ? "DESC" : "ASC";
	bool cached = by == SORT_SCORE || by == SORT_GRADE || by == SORT_RATE;
	bool status_only = !(flt && (flt->unit || flt->year || (flt->text && *flt->text)));
	const char *key = by == SORT_SCORE ? "score_key" : by == SORT_GRADE ? "grade_rank" : "rate_key";
	/* The same direction on every term, so one index serves both ways. */
	switch (by) {
	case SORT_UNIT:
		snprintf(ord, sizeof ord, "f.unit %s, f.year %s, f.project %s", d, d, d);
		break;
	case SORT_STATUS:
		snprintf(ord, sizeof ord, "f.status %s, f.unit %s, f.year %s, f.project %s", d, d, d, d);
		break;
	case SORT_UPDATED:
		snprintf(ord, sizeof ord, "f.updated %s, f.rowid %s", d, d);
		break;
	default:
		snprintf(ord, sizeof ord, "l.%s %s, l.id %s", key, d, d);
	}
	/* Where the rows come from, and the condition on them.  Sorted by a
	 * cached figure with at most a status filter: form_local's own partial
	 * indexes (by figure, or status then figure) lead.  Otherwise the
	 * planner's choice: form_key, form_status, form_live_updated, or with
	 * a unit filter form_key and a sort of the few. */
	char cond[400];
	const char *from;
	if (cached && status_only) {
		from = "form_local l CROSS JOIN form f ON f.uuid = l.form_uuid";
		snprintf(cond, sizeof cond, "l.live = 1%s",
			 flt && flt->status ? " AND l.status = :status" : "");
	} else {
		from = "form f JOIN form_local l ON l.form_uuid = f.uuid";
		snprintf(cond, sizeof cond, "%s", where);
	}
	static const char cols[] =
		"l.id, f.year, f.unit, f.project, f.department, f.status, f.updated,"
		" l.score, l.grade, l.errors, f.version, f.uuid, t.budget, t.spent, l.rate";
	if (offset == 0) {	/* the first page, or the whole list: one pass */
		snprintf(sql, sizeof sql, "SELECT %s FROM %s"
			 " LEFT JOIN fund t ON t.form_uuid = f.uuid AND t.row = 'total'"
			 " WHERE %s ORDER BY %s LIMIT :limit OFFSET :offset", cols, from, cond, ord);
	} else {
		/* Deep in the list: first the page's keys alone, skipping OFFSET
		 * rows inside one index without looking forms up (a MATERIALIZED
		 * CTE), then the page's rows. */
		if (cached)
			snprintf(inner, sizeof inner, "SELECT l.id AS k FROM %s WHERE %s"
				 " ORDER BY %s LIMIT :limit OFFSET :offset",
				 status_only ? "form_local l" : from, cond, ord);
		else
			snprintf(inner, sizeof inner, "SELECT f.rowid AS k FROM form f WHERE %s"
				 " ORDER BY %s LIMIT :limit OFFSET :offset", cond, ord);
		snprintf(sql, sizeof sql, "WITH p AS MATERIALIZED (%s) SELECT %s FROM p %s"
			 " LEFT JOIN fund t ON t.form_uuid = f.uuid AND t.row = 'total'"
			 " ORDER BY %s", inner, cols,
			 cached ? "JOIN form_local l ON l.id = p.k JOIN form f ON f.uuid = l.form_uuid"
				: "JOIN form f ON f.rowid = p.k JOIN form_local l ON l.form_uuid = f.uuid",
			 ord);
	}
	int64_t lim = limit > INT64_MAX ? -1 : (int64_t)limit;
	int64_t off = offset > INT64_MAX ? INT64_MAX : (int64_t)offset;
	return query_rows(s, sql, flt, lim, off, fn, arg);
}

int store_list(struct store *s, const struct store_filter *flt,
	       int (*fn)(const struct form_row *r, void *arg), void *arg)
{
	return store_page(s, flt, SORT_UNIT, false, 0, SIZE_MAX, fn, arg);
}

int store_count(struct store *s, const struct store_filter *flt, size_t *n)
{
	char where[400], sql[600];
	sqlite3_stmt *st;
	filter_sql(where, sizeof where, flt);
	if (!(flt && (flt->unit || flt->year || (flt->text && *flt->text))))
		/* every live form, or one status: the tally (schema 010), not a scan */
		snprintf(sql, sizeof sql, "SELECT coalesce(sum(n), 0) FROM form_tally%s",
			 flt && flt->status ? " WHERE status = :status" : "");
	else
		snprintf(sql, sizeof sql, "SELECT count(*) FROM form f WHERE %s", where);
	int r = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (r != SQLITE_OK)
		return dberr(s, r);
	bind_filter(st, flt);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		*n = (size_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return r == SQLITE_ROW ? STORE_OK : dberr(s, r);
}

int store_summary(struct store *s, const struct store_filter *flt,
		  int (*fn)(const struct summary_row *r, void *arg), void *arg)
{
	char where[400], sql[1400];
	sqlite3_stmt *st;
	filter_sql(where, sizeof where, flt);
	snprintf(sql, sizeof sql,
		 "SELECT f.unit, f.year, count(*),"
		 " jx_sum(CASE WHEN jx_readable(t.spent) THEN t.budget END),"
		 " jx_sum(CASE WHEN jx_readable(t.budget) THEN t.spent END),"
		 " jx_avg(l.score), count(l.score),"
		 " sum(l.grade = '优'), sum(l.grade = '良'), sum(l.grade = '中'), sum(l.grade = '差'),"
		 " sum(l.errors > 0), sum(NOT (jx_readable(t.budget) AND jx_readable(t.spent)))"
		 " FROM form f JOIN form_local l ON l.form_uuid = f.uuid"
		 " LEFT JOIN fund t ON t.form_uuid = f.uuid AND t.row = 'total'"
		 " WHERE %s GROUP BY f.unit, f.year ORDER BY f.unit, f.year", where);
	int r = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (r != SQLITE_OK)
		return dberr(s, r);
	bind_filter(st, flt);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		char rate[NUM_BUFSZ];
		num b, p, q;
		struct summary_row row = {
			.unit = col_str(st, 0), .year = sqlite3_column_int(st, 1),
			.forms = sqlite3_column_int64(st, 2),
			.budget = col_str(st, 3), .spent = col_str(st, 4),
			.avg_score = col_str(st, 5), .scored = sqlite3_column_int64(st, 6),
			.with_errors = sqlite3_column_int64(st, 11),
			.unreadable = sqlite3_column_int64(st, 12),
		};
		for (int g = 0; g < STORE_GRADES; g++)
			row.grades[g] = sqlite3_column_int64(st, 7 + g);
		if (row.budget && row.spent && num_parse(row.budget, &b) && num_parse(row.spent, &p) &&
		    !num_is_zero(b) && num_muldiv(p, num_from_int(100), b, 2, NUM_HALF_AWAY, &q))
			row.rate = num_fixed(q, 2, rate);
		if (fn(&row, arg))
			break;
	}
	int rc = r == SQLITE_ROW || r == SQLITE_DONE ? STORE_OK : dberr(s, r);
	sqlite3_finalize(st);
	return rc;
}

/* ---- comments ---------------------------------------------------------------- */

/* The uuid of a form id (live ones only if live). */
static int form_uuid_of(struct store *s, int64_t id, bool live, char uuid[37])
{
	if (live) {
		sqlite3_stmt *h;
		int rc = header(s, id, &h);
		if (rc == STORE_OK) {
			snprintf(uuid, 37, "%s", col_str(h, HDR_UUID));
			sqlite3_reset(h);
		}
		return rc;
	}
	sqlite3_stmt *st = Q(s, Q_LOCAL_UUID);
	if (!st)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, id);
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		snprintf(uuid, 37, "%s", col_str(st, 0));
	sqlite3_reset(st);
	if (r == SQLITE_ROW)
		return STORE_OK;
	return r == SQLITE_DONE ? seterr(s, STORE_NOTFOUND, _("no form with id %lld"), (long long)id)
				: dberr(s, r);
}

int store_comment_add(struct store *s, int64_t id, const char *path, const char *text,
		      char uuid_out[37])
{
	struct where w;
	char form[37], uuid[37], at[32];
	if (path && !resolve(path, &w))
		return seterr(s, STORE_BADPATH, _("unknown field path: %s"), path);
	if (blank(text))
		return seterr(s, STORE_ERR, _("a comment needs some text"));
	int rc = form_uuid_of(s, id, true, form);
	if (rc != STORE_OK)
		return rc;
	sqlite3_stmt *st = Q(s, Q_COMMENT_ADD);
	if (!st)
		return STORE_ERR;
	uuid_make(uuid);
	now_iso(at);
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, form, -1, SQLITE_STATIC);
	bind_str(st, 3, path);
	sqlite3_bind_text(st, 4, os_user(s), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, text, -1, SQLITE_STATIC);
	if ((rc = run(s, st)) == STORE_OK && uuid_out)
		memcpy(uuid_out, uuid, 37);
	return rc;
}

int store_comment_list(struct store *s, int64_t id, bool all,
		       int (*fn)(const struct comment_row *r, void *arg), void *arg)
{
	char form[37];
	int rc = tx_begin(s, false);
	if (rc != STORE_OK)
		return rc;
	if ((rc = form_uuid_of(s, id, false, form)) != STORE_OK)
		return tx_end(s, rc);
	sqlite3_stmt *st = Q(s, all ? Q_COMMENTS_ALL : Q_COMMENTS);
	if (!st)
		return tx_end(s, STORE_ERR);
	sqlite3_bind_text(st, 1, form, -1, SQLITE_STATIC);
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		struct comment_row c = {
			.form_id = id, .uuid = col_str(st, 0), .path = col_str(st, 1),
			.author = col_str(st, 2), .at = col_str(st, 3), .text = col_str(st, 4),
			.resolved = sqlite3_column_int(st, 5) != 0,
		};
		if (fn(&c, arg))
			break;
	}
	rc = r == SQLITE_ROW || r == SQLITE_DONE ? STORE_OK : dberr(s, r);
	sqlite3_reset(st);
	return tx_end(s, rc);
}

int store_comment_resolve(struct store *s, const char *uuid)
{
	sqlite3_stmt *st = Q(s, Q_COMMENT_RESOLVE);
	if (!st)
		return STORE_ERR;
	bind_str(st, 1, uuid);
	int rc = run(s, st);
	if (rc == STORE_OK && sqlite3_changes(s->db) == 0)
		rc = seterr(s, STORE_NOTFOUND, _("no comment with uuid %s"), uuid ? uuid : "(none)");
	return rc;
}

/* ---- for the store's other files (store_int.h) ---------------------------- */
/* (included here, not at the top, so this block is the whole change) */
#include "store_int.h"

sqlite3 *store_int_db(struct store *s) { return s->db; }
const char *store_int_user(struct store *s) { return os_user(s); }
int store_int_dberr(struct store *s, int rc) { return dberr(s, rc); }
void store_int_filter_sql(char *buf, size_t len, const struct store_filter *flt)
{
	filter_sql(buf, len, flt);
}
void store_int_filter_bind(sqlite3_stmt *st, const struct store_filter *flt) { bind_filter(st, flt); }
int store_int_read_begin(struct store *s) { return tx_begin(s, false); }
int store_int_end(struct store *s, int rc) { return tx_end(s, rc); }
