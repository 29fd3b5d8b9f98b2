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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "num.h"
#include "schema.h"
#include "store_core.h"
#include "store_int.h"

#define APP_ID 0x6a787a70	/* "jxzp" in PRAGMA application_id */
#define DEFAULT_BUSY_MS 5000

const char *const store_grade_key[STORE_GRADES] = { "优", "良", "中", "差" };


/* ---- statements ---------------------------------------------------------- */

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

/* ---- errors -------------------------------------------------------------- */

int sc_seterr(struct store *s, int code, const char *fmt, ...)
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
int sc_dberr(struct store *s, int rc)
{
	const char *detail = sqlite3_errmsg(s->db);
	/* a full disk seen as an I/O error (creating the -wal or -shm file,
	 * growing it) is a full disk too, for every command */
	int e = s->db ? sqlite3_system_errno(s->db) : 0;
	if ((rc & 0xff) == SQLITE_FULL || e == ENOSPC || e == EDQUOT) {
		s->full = true;
		return sc_seterr(s, STORE_ERR, _("the disk is full: the change was not saved"));
	}
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return sc_seterr(s, STORE_LOCKED,
				 _("the database is locked by another program (waited %d ms); try again"),
				 s->busy_ms);
	case SQLITE_READONLY:
		return sc_seterr(s, STORE_READONLY, _("the database cannot be written (%s)"), detail);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return sc_seterr(s, STORE_CORRUPT, _("not a jxzp database, or a damaged one (%s)"), detail);
	case SQLITE_CANTOPEN:
		return sc_seterr(s, STORE_ERR, _("cannot open the database (%s)"), detail);
	case SQLITE_IOERR:
		return sc_seterr(s, STORE_ERR, _("cannot read or write the database (%s)"), detail);
	case SQLITE_NOMEM:
		return sc_seterr(s, STORE_ERR, _("out of memory"));
	}
	return sc_seterr(s, STORE_ERR, _("database error: %s"), detail);
}

/* ---- small helpers ------------------------------------------------------- */

sqlite3_stmt *sc_prep(struct store *s, sqlite3_stmt **slot, const char *sql)
{
	if (!*slot) {
		int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL);
		if (rc != SQLITE_OK) {
			sc_dberr(s, rc);
			sqlite3_finalize(*slot);
			*slot = NULL;
			return NULL;
		}
	}
	return *slot;
}

/* A cached statement, reset and ready to bind. */
sqlite3_stmt *sc_q(struct store *s, int which)
{
	sqlite3_stmt *st = sc_prep(s, &s->q[which], qsql[which]);
	if (st) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
	return st;
}
/* Run a statement that returns no rows; leaves it reset. */
int sc_run(struct store *s, sqlite3_stmt *st)
{
	if (!st)
		return STORE_ERR;
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return sc_dberr(s, rc);
	return STORE_OK;
}

static int exec(struct store *s, const char *sql)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? STORE_OK : sc_dberr(s, rc);
}

/* ISO 8601 UTC with milliseconds: 2026-11-25T12:15:37.123Z */
void sc_now_iso(char buf[32])
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(buf, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, 32 - n, ".%03uZ", (unsigned)(ts.tv_nsec / 1000000 % 1000));
}

enum form_status sc_status_parse(const char *t)
{
	for (int i = 0; i < 4; i++)
		if (t && strcmp(t, status_key[i]) == 0)
			return (enum form_status)i;
	return STATUS_DRAFT;
}

/* A decimal as an integer sort key: value * 10^6, or false. */
bool sc_sort_key(const char *text, int64_t *out)
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

int sc_grade_rank(const char *g)
{
	static const char *const order[] = { "差", "低", "中", "良", "优" };
	for (int i = 0; i < 5; i++)
		if (strcmp(g, order[i]) == 0)
			return i + 1;
	return 0;
}

/* ---- transactions -------------------------------------------------------- */

/* Begin a write transaction, or a savepoint inside one. */
int sc_tx_begin(struct store *s, bool write)
{
	if (s->depth && s->flat) {	/* the batch as a whole is the unit */
		s->depth++;
		return STORE_OK;
	}
	int which = s->depth ? Q_SAVEPOINT : write ? Q_BEGIN : Q_BEGIN_READ;
	if (!s->depth)
		s->lost = s->flat = s->spoiled = false;
	int rc = sc_run(s, sc_q(s, which));
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
		rc = sc_run(s, sc_q(s, Q_ROLLBACK));
	} else {
		rc = sc_run(s, sc_q(s, Q_ROLLBACK_TO));
		if (rc == STORE_OK)
			rc = sc_run(s, sc_q(s, Q_RELEASE));
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
		return sc_seterr(s, STORE_ERR, _("the transaction was lost (rolled back after an error)"));
	}
	if (s->depth > 1 && s->flat) {
		s->depth--;
		return STORE_OK;
	}
	if (s->depth == 1 && s->spoiled) {
		tx_rollback(s);
		return sc_seterr(s, STORE_ERR,
				 _("the whole batch was rolled back after an error; nothing of it was saved"));
	}
	int rc = sc_run(s, sc_q(s, s->depth == 1 ? Q_COMMIT : Q_RELEASE));
	if (rc != STORE_OK) {
		tx_rollback(s);
		return rc;
	}
	s->depth--;
	return STORE_OK;
}

/* End a transaction: commit if rc is OK, else roll back and keep rc. */
int sc_tx_end(struct store *s, int rc)
{
	if (rc == STORE_OK)
		return tx_commit(s);
	tx_rollback(s);
	return rc;
}

int store_begin(struct store *s) { return sc_tx_begin(s, true); }
int store_begin_all_or_nothing(struct store *s)
{
	if (s->depth)	/* inside a batch: an ordinary savepoint */
		return sc_tx_begin(s, true);
	int rc = sc_tx_begin(s, true);
	if (rc == STORE_OK)
		s->flat = true;
	return rc;
}
int store_commit(struct store *s)
{
	if (s->depth == 0 && s->lost) {
		s->lost = false;
		return sc_seterr(s, STORE_ERR,
				 _("the whole batch was rolled back after an error; nothing of it was saved"));
	}
	if (s->depth == 0)
		return sc_seterr(s, STORE_ERR, _("no transaction to commit"));
	return tx_commit(s);
}
int store_rollback(struct store *s)
{
	if (s->depth == 0 && s->lost) {
		s->lost = false;
		return STORE_OK;
	}
	if (s->depth == 0)
		return sc_seterr(s, STORE_ERR, _("no transaction to roll back"));
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
			return sc_seterr(s, STORE_ERR, _("%s is not a directory"), dir);
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
			rc = sc_seterr(s, STORE_NOTFOUND, _("no such database: the folder %s does not exist"), p);
			break;
		}
		if (mkdir(p, 0700) == 0) {
			if (s->n_made < (int)(sizeof s->made / sizeof s->made[0]))
				s->made[s->n_made++] = xstrdup(p);
		} else if (errno != EEXIST) {
			int e = errno;
			rc = sc_seterr(s, e == EACCES || e == EROFS || e == EPERM ? STORE_READONLY : STORE_ERR,
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
			rc = sc_seterr(s, STORE_ERR, _("cannot open the database (%s)"), strerror(errno));
			goto out;
		}
		if (!s->create) {
			rc = sc_seterr(s, STORE_NOTFOUND, _("no such database (nothing was created)"));
			goto out;
		}
		int fd = open(s->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0) {
			int e = errno;
			rc = sc_seterr(s, e == EACCES || e == EROFS || e == EPERM ? STORE_READONLY : STORE_ERR,
				       _("cannot create the database (%s)"), strerror(e));
			goto out;
		}
		if (s->n_made < (int)(sizeof s->made / sizeof s->made[0]))
			s->made[s->n_made++] = xstrdup(s->path);
		if (fchmod(fd, 0600) != 0)	/* whatever the umask was */
			rc = sc_seterr(s, STORE_ERR, _("cannot create the database (%s)"), strerror(errno));
		close(fd);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = sc_seterr(s, STORE_ERR, _("not a jxzp database (not a regular file)"));
		goto out;
	}
	/* Mode bits too, not only access(): root may write anything, but a
	 * file someone made read-only is a statement we respect. */
	if ((st.st_mode & 0222) == 0 || access(s->path, W_OK) != 0) {
		rc = sc_seterr(s, STORE_READONLY, _("the database file is read-only"));
		goto out;
	}
	if (access(dir, W_OK) != 0) {
		rc = sc_seterr(s, STORE_READONLY,
			       _("the directory %s is read-only (the database needs to write beside its file)"),
			       dir);
		goto out;
	}
	if (st.st_size == 0) {
		/* not one we made just now (that is created above): someone
		 * else's empty file, refused like any other non-database */
		rc = sc_seterr(s, STORE_CORRUPT, _("not a jxzp database (an empty file)"));
		goto out;
	}
	{
		unsigned char h[100];
		int fd = open(s->path, O_RDONLY | O_CLOEXEC);
		ssize_t n = fd < 0 ? -1 : read(fd, h, sizeof h);
		if (fd >= 0)
			close(fd);
		if (n < 0) {
			rc = sc_seterr(s, STORE_ERR, _("cannot read the database (%s)"), strerror(errno));
			goto out;
		}
		if (n < 16 || memcmp(h, "SQLite format 3", 16) != 0) {
			rc = sc_seterr(s, STORE_CORRUPT, _("not a jxzp database (file is not SQLite)"));
			goto out;
		}
		unsigned page = n >= 18 ? (unsigned)(h[16] << 8 | h[17]) : 0;
		if (page == 1)
			page = 65536;
		if (n < 100 || page < 512 || (page & (page - 1)) || st.st_size % page) {
			rc = sc_seterr(s, STORE_CORRUPT, _("the database is damaged (truncated or a bad header)"));
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
	return rc == SQLITE_OK || rc == SQLITE_DONE ? STORE_OK : sc_dberr(s, rc);
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
		const char *g = sc_col_str(sel, 2);
		sqlite3_bind_int64(upd, 1, sqlite3_column_int64(sel, 0));
		if (sc_sort_key(sc_col_str(sel, 1), &k))
			sqlite3_bind_int64(upd, 2, k);
		else
			sqlite3_bind_null(upd, 2);
		if (g)
			sqlite3_bind_int(upd, 3, sc_grade_rank(g));
		else
			sqlite3_bind_null(upd, 3);
		if (sc_sort_key(sc_col_str(sel, 3), &k))
			sqlite3_bind_int64(upd, 4, k);
		else
			sqlite3_bind_null(upd, 4);
		rc = sqlite3_step(upd);
		sqlite3_reset(upd);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	return rc == SQLITE_DONE || rc == SQLITE_OK ? STORE_OK : sc_dberr(s, rc);
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
	    sqlite3_step(st) == SQLITE_ROW && sc_col_str(st, 0) && *sc_col_str(st, 0)) {
		snprintf(s->db_uuid, sizeof s->db_uuid, "%s", sc_col_str(st, 0));
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
		rc = sc_seterr(s, STORE_NEWER,
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
			rc = sc_seterr(s, STORE_ERR, _("cannot upgrade the database to schema %d (%s)"),
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
		snprintf(s->db_uuid, sizeof s->db_uuid, "%s", sc_col_str(st, 0) ? sc_col_str(st, 0) : "");
		r = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (r != SQLITE_OK) {
		rc = sc_dberr(s, r);
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
		return sc_seterr(s, STORE_CORRUPT,
				 _("not a jxzp database (an SQLite database of another program)"));
	if (uv > latest_schema())
		return sc_seterr(s, STORE_NEWER,
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
const char *sc_os_user(struct store *s)
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
		rc = sc_seterr(s, STORE_ERR, _("no database file given"));
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
		rc = s->db ? sc_dberr(s, r) : sc_seterr(s, STORE_ERR, _("out of memory"));
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
		snprintf(mode, sizeof mode, "%s", sc_col_str(st, 0) ? sc_col_str(st, 0) : "");
	sqlite3_finalize(st);
	if (r != SQLITE_ROW) {
		rc = sc_dberr(s, r);
		goto fail;
	}
	if (strcmp(mode, "wal") != 0) {
		rc = sc_seterr(s, STORE_ERR, _("cannot switch the database to WAL mode (it stays %s)"), mode);
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

/* ---- for the store's other files (store_int.h) ---------------------------- */

sqlite3 *store_int_db(struct store *s) { return s->db; }
const char *store_int_user(struct store *s) { return sc_os_user(s); }
int store_int_dberr(struct store *s, int rc) { return sc_dberr(s, rc); }
int store_int_read_begin(struct store *s) { return sc_tx_begin(s, false); }
int store_int_end(struct store *s, int rc) { return sc_tx_end(s, rc); }
