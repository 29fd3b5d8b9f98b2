/*
 * store_form: a form's rows in the store (see store.h): the columns behind
 * field paths, history, loading, inserting, and saving one field or a whole
 * form.  Part of the store core (store_core.h).
 */
#include "config.h"
#include "store.h"

#include <assert.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "input.h"
#include "numtext.h"
#include "store_core.h"

/* ---- the columns behind field paths -------------------------------------- */

/* Header fields: path and column, in the order of the H_COLS select list. */
static const struct { const char *path, *col; } hcols[] = {
	{ "year", "year" }, { "project", "project" }, { "department", "department" },
	{ "unit", "unit" }, { "lead", "lead" }, { "phone", "phone" },
	{ "goals.expected", "goals_expected" }, { "goals.achieved", "goals_achieved" },
	{ "total.weight", "total_weight" }, { "total.score", "total_score" },
	{ "total.grade", "total_grade" }, { "layout", "layout" }, { "ruleset", "ruleset" },
};
_Static_assert(sizeof hcols / sizeof hcols[0] == N_HCOLS, "N_HCOLS counts hcols");

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

/* The path grammar of form.c, without needing a loaded form. */
bool sc_resolve(const char *path, struct where *w)
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
	size_t idx;
	const char *rest;
	if (row_path(path, &idx, &rest)) {
		if (*rest != '.')
			return false;
		for (int k = 0; k < IND_FIELDS; k++)
			if (strcmp(rest + 1, ind_field_key[k]) == 0) {
				*w = (struct where){ .t = T_IND, .col = k, .ind = idx };
				return true;
			}
	}
	return false;
}

/* ---- history ------------------------------------------------------------- */

int sc_history_add(struct store *s, const char *form_uuid, const char *path,
		   const char *old_value, const char *new_value, const char *at)
{
	sqlite3_stmt *st = sc_q(s, Q_INS_HIST);
	if (!st)
		return STORE_ERR;
	char uuid[37];
	uuid_make(uuid);
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, form_uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, path, -1, SQLITE_STATIC);
	sc_bind_str(st, 4, old_value);
	sc_bind_str(st, 5, new_value);
	sqlite3_bind_text(st, 6, at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, sc_os_user(s), -1, SQLITE_STATIC);
	return sc_run(s, st);
}

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
	sqlite3_stmt *st = sc_q(s, Q_ROW_INDEX);
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
	int rc = sc_tx_begin(s, false);
	if (rc != STORE_OK)
		return rc;
	if ((rc = sc_form_uuid_of(s, id, false, uuid)) != STORE_OK)
		return sc_tx_end(s, rc);
	sqlite3_stmt *st = sc_q(s, Q_HISTORY);
	if (!st)
		return sc_tx_end(s, STORE_ERR);
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		struct history_row h = {
			.form_id = id, .path = sc_col_str(st, 0), .old_value = sc_col_str(st, 1),
			.new_value = sc_col_str(st, 2), .at = sc_col_str(st, 3), .user = sc_col_str(st, 4),
		};
		char now[128];
		if (h.path && row_path_now(s, h.path, now, sizeof now))
			h.path = now;
		if (fn(&h, arg))
			break;
	}
	rc = r == SQLITE_ROW || r == SQLITE_DONE ? STORE_OK : sc_dberr(s, r);
	sqlite3_reset(st);
	return sc_tx_end(s, rc);
}

/* ---- the form's header row ------------------------------------------------- */

/* Step Q_HEADER for a live form id: STORE_OK with the row current, or a code. */
int sc_header(struct store *s, int64_t id, sqlite3_stmt **out)
{
	sqlite3_stmt *st = sc_q(s, Q_HEADER);
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
		return sc_seterr(s, STORE_NOTFOUND, _("no form with id %lld"), (long long)id);
	return sc_dberr(s, r);
}

int sc_refuse_readonly(struct store *s, int64_t id, enum form_status st)
{
	if (st == STATUS_SUBMITTED)
		return sc_seterr(s, STORE_READONLY,
				 _("form %lld has been submitted and cannot be changed until a reviewer returns it"),
				 (long long)id);
	if (st == STATUS_APPROVED)
		return sc_seterr(s, STORE_READONLY, _("form %lld has been approved and cannot be changed"),
				 (long long)id);
	return STORE_OK;
}

int sc_stale(struct store *s, int64_t id, int64_t expected, int64_t now)
{
	return sc_seterr(s, STORE_STALE, _("form %lld changed since it was loaded (version %lld, now %lld): reload it"),
			 (long long)id, (long long)expected, (long long)now);
}

/* After a constraint failure on the (unit, year, project) key: name the
 * form that holds it.  Returns STORE_EXISTS, or 0 if it was something else. */
int sc_key_taken(struct store *s, const char *unit, int year, const char *project,
		 const char *uuid)
{
	sqlite3_stmt *st = sc_q(s, Q_KEY_ID);
	int rc = 0;
	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, unit ? unit : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, year);
	sqlite3_bind_text(st, 3, project ? project : "", -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		rc = sc_seterr(s, STORE_EXISTS, _("a form for %s, %d, %s already exists (id %lld)"),
			       unit, year, project, (long long)sqlite3_column_int64(st, 0));
	sqlite3_reset(st);
	if (rc || !uuid)
		return rc;
	st = sc_q(s, Q_UUID_ID);
	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		rc = sc_seterr(s, STORE_EXISTS, _("a form with uuid %s is already in the database (id %lld)"),
			       uuid, (long long)sqlite3_column_int64(st, 0));
	sqlite3_reset(st);
	return rc;
}

static int check_key(struct store *s, const struct form *f)
{
	if (!f->unit || !*f->unit || !f->project || !*f->project || f->year < 1900 || f->year > 2999)
		return sc_seterr(s, STORE_ERR, _("a form needs a unit, a year and a project"));
	if (!f->layout || !layout_find(f->layout))
		return sc_seterr(s, STORE_ERR, _("unknown layout %s"), f->layout ? f->layout : "(none)");
	if (!f->ruleset || !*f->ruleset)
		return sc_seterr(s, STORE_ERR, _("a form needs a rule set"));
	return STORE_OK;
}

/* ---- load ---------------------------------------------------------------- */

static int load_form(struct store *s, int64_t id, struct form **out)
{
	sqlite3_stmt *h;
	*out = NULL;
	int rc = sc_header(s, id, &h);
	if (rc != STORE_OK)
		return rc;
	struct form *f = calloc(1, sizeof *f);
	if (!f)
		abort();
	f->id = id;
	snprintf(f->uuid, sizeof f->uuid, "%s", sc_col_str(h, HDR_UUID));
	f->version = sqlite3_column_int64(h, HDR_VERSION);
	f->status = sc_status_parse(sc_col_str(h, HDR_STATUS));
	f->return_reason = xstrdup(sc_col_str(h, HDR_REASON));
	f->updated = xstrdup(sc_col_str(h, HDR_UPDATED));
	f->year = sqlite3_column_int(h, HDR_COL0 + HC_YEAR);
	for (int i = 1; i < N_HCOLS; i++)
		*hslot(f, i) = xstrdup(sc_col_str(h, HDR_COL0 + i));
	sqlite3_reset(h);

	sqlite3_stmt *st = sc_q(s, Q_FUNDS);
	int r = SQLITE_ERROR;
	if (st) {
		sqlite3_bind_text(st, 1, f->uuid, -1, SQLITE_STATIC);
		while ((r = sqlite3_step(st)) == SQLITE_ROW) {
			const char *row = sc_col_str(st, 0);
			for (int k = 0; k < FUND_ROWS; k++)
				if (row && strcmp(row, fund_row_key[k]) == 0)
					for (int c = 0; c < FUND_COLS; c++)
						f->funds[k][c] = xstrdup(sc_col_str(st, 1 + c));
		}
		sqlite3_reset(st);
	}
	if (r == SQLITE_DONE && (st = sc_q(s, Q_INDS))) {
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
			snprintf(in->uuid, sizeof in->uuid, "%s", sc_col_str(st, 0));
			for (int k = 0; k < IND_FIELDS; k++)
				in->v[k] = xstrdup(sc_col_str(st, 1 + k));
		}
		sqlite3_reset(st);
	}
	if (r != SQLITE_DONE) {
		form_free(f);
		return st ? sc_dberr(s, r) : STORE_ERR;
	}
	*out = f;
	return STORE_OK;
}

int store_load(struct store *s, int64_t id, struct form **out)
{
	*out = NULL;
	int rc = sc_tx_begin(s, false);	/* one snapshot for the three selects */
	if (rc != STORE_OK)
		return rc;
	return sc_tx_end(s, load_form(s, id, out));
}

/* ---- insert -------------------------------------------------------------- */

static void bind_header(sqlite3_stmt *st, const struct form *f)
{
	sqlite3_bind_int(st, 6 + HC_YEAR, f->year);
	for (int i = 1; i < N_HCOLS; i++)
		sc_bind_str(st, 6 + i, *hslot((struct form *)f, i));
}

static int insert_fund(struct store *s, const struct form *f, int r)
{
	sqlite3_stmt *st = sc_q(s, Q_INS_FUND);
	if (!st)
		return STORE_ERR;
	sqlite3_bind_text(st, 1, f->uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, fund_row_key[r], -1, SQLITE_STATIC);
	for (int c = 0; c < FUND_COLS; c++)
		sc_bind_str(st, 3 + c, f->funds[r][c]);
	return sc_run(s, st);
}

static int write_indicator(struct store *s, int which, const char *form_uuid,
			   const struct indicator *in, size_t pos)
{
	sqlite3_stmt *st = sc_q(s, which);
	if (!st)
		return STORE_ERR;
	sqlite3_bind_text(st, 1, in->uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, form_uuid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (int64_t)pos);
	for (int k = 0; k < IND_FIELDS; k++)
		sc_bind_str(st, 4 + k, in->v[k]);
	return sc_run(s, st);
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
		return sc_seterr(s, STORE_BADVALUE, "%s", why);
	if ((rc = check_key(s, f)) != STORE_OK)
		return rc;
	if ((rc = sc_tx_begin(s, true)) != STORE_OK)
		return rc;
	sc_now_iso(at);
	sqlite3_stmt *st = sc_q(s, Q_INS_FORM);
	if (!st)
		return sc_tx_end(s, STORE_ERR);
	sqlite3_bind_text(st, 1, f->uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, status_key[f->status], -1, SQLITE_STATIC);
	sc_bind_str(st, 4, f->return_reason);
	sqlite3_bind_text(st, 5, at, -1, SQLITE_STATIC);
	bind_header(st, f);
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		if ((r & 0xff) != SQLITE_CONSTRAINT || !(rc = sc_key_taken(s, f->unit, f->year, f->project, f->uuid)))
			rc = sc_dberr(s, r);
		return sc_tx_end(s, rc);
	}
	/* the trigger form_local_new (schema 003) gave it its local id */
	if ((st = sc_q(s, Q_UUID_ID)) == NULL)
		return sc_tx_end(s, STORE_ERR);
	sqlite3_bind_text(st, 1, f->uuid, -1, SQLITE_STATIC);
	r = sqlite3_step(st);
	int64_t id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (r != SQLITE_ROW)
		return sc_tx_end(s, r == SQLITE_DONE ? sc_seterr(s, STORE_ERR, _("database error: %s"),
								 "no form_local row") : sc_dberr(s, r));
	for (int k = 0; k < FUND_ROWS && rc == STORE_OK; k++)
		rc = insert_fund(s, f, k);
	for (size_t i = 0; i < f->n_ind && rc == STORE_OK; i++) {
		if (!f->ind[i].uuid[0])
			uuid_make(f->ind[i].uuid);
		rc = write_indicator(s, Q_INS_IND, f->uuid, &f->ind[i], i);
	}
	if ((rc = sc_tx_end(s, rc)) != STORE_OK)
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
		return sc_prep(s, &s->set_form[w->col], sql);
	case T_FUND:
		snprintf(sql, sizeof sql, "UPDATE fund SET %s = ?1 WHERE form_uuid = ?3 AND row = ?4",
			 fund_col_key[w->col]);
		return sc_prep(s, &s->set_fund[w->col], sql);
	case T_IND:
		snprintf(sql, sizeof sql, "UPDATE indicator SET %s = ?1 WHERE uuid = ?3",
			 ind_field_key[w->col]);
		return sc_prep(s, &s->set_ind[w->col], sql);
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
			return sc_seterr(s, STORE_ERR, _("the year must be a number such as 2024"));
		*year = (int)y;
	} else if ((col == HC_UNIT || col == HC_PROJECT) && (!value || !*value)) {
		return sc_seterr(s, STORE_ERR, _("a form needs a unit, a year and a project"));
	} else if (col == HC_LAYOUT && !layout_find(value)) {
		return sc_seterr(s, STORE_ERR, _("unknown layout (beijing-2021, district-2023, district-2024)"));
	} else if (col == HC_RULESET && (!value || !*value)) {
		return sc_seterr(s, STORE_ERR, _("a form needs a rule set"));
	}
	return STORE_OK;
}

static int save_field(struct store *s, int64_t id, int64_t expected, const char *path,
		      const char *value, int64_t *new_version)
{
	struct where w;
	static const struct form empty;	/* header and fund paths need no rows */
	if (!sc_resolve(path, &w))
		return sc_seterr(s, STORE_BADPATH, _("unknown field path: %s"), path ? path : "(none)");
	char why[400];
	if (input_check(path, value, why, sizeof why) != 0)	/* the one input rule */
		return sc_seterr(s, STORE_BADVALUE, "%s", why);
	assert(w.t == T_IND || form_path_valid(&empty, path));

	sqlite3_stmt *h;
	int rc = sc_header(s, id, &h);
	if (rc != STORE_OK)
		return rc;
	char uuid[37], cur_unit[512], cur_project[512];
	snprintf(uuid, sizeof uuid, "%s", sc_col_str(h, HDR_UUID));
	int64_t version = sqlite3_column_int64(h, HDR_VERSION);
	enum form_status status = sc_status_parse(sc_col_str(h, HDR_STATUS));
	int cur_year = sqlite3_column_int(h, HDR_COL0 + HC_YEAR);
	char *old = NULL;
	if (w.t == T_FORM)
		old = xstrdup(sc_col_str(h, HDR_COL0 + w.col));
	/* the key as it is, for the message if the change collides */
	snprintf(cur_unit, sizeof cur_unit, "%s", sc_col_str(h, HDR_COL0 + HC_UNIT));
	snprintf(cur_project, sizeof cur_project, "%s", sc_col_str(h, HDR_COL0 + HC_PROJECT));
	sqlite3_reset(h);

	char row_uuid[37] = "";
	int year = 0;
	if (version != expected)
		rc = sc_stale(s, id, expected, version);
	else if ((rc = sc_refuse_readonly(s, id, status)) != STORE_OK)
		;
	else if (w.t == T_FORM)
		rc = check_value(s, w.col, value, &year);
	else {
		sqlite3_stmt *st = sc_q(s, w.t == T_FUND ? Q_FUND_ROW : Q_IND_AT);
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
				old = xstrdup(sc_col_str(st, 1 + w.col));
				snprintf(row_uuid, sizeof row_uuid, "%s", sc_col_str(st, 0));
			} else if (r == SQLITE_DONE && w.t == T_IND) {
				rc = sc_seterr(s, STORE_BADPATH, _("form %lld has no indicator row %zu (%s)"),
					       (long long)id, w.ind + 1, path);
			} else if (r != SQLITE_DONE) {
				rc = sc_dberr(s, r);
			}	/* a fund row never written: inserted below */
			sqlite3_reset(st);
		}
	}
	char year_text[16];
	if (rc == STORE_OK && w.t == T_FORM && w.col == HC_YEAR) {
		snprintf(year_text, sizeof year_text, "%d", year);	/* " 2024" is 2024 */
		value = year_text;
	}
	if (rc != STORE_OK || sc_str_eq(old, value)) {
		free(old);
		if (rc == STORE_OK)
			*new_version = version;	/* nothing changed, nothing written */
		return rc;
	}

	char at[32];
	sc_now_iso(at);
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
		sc_bind_str(st, 1, value);
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
			rc = sc_key_taken(s, w.col == HC_UNIT ? value : cur_unit,
					  w.col == HC_YEAR ? year : cur_year,
					  w.col == HC_PROJECT ? value : cur_project, NULL);
		free(old);
		return rc ? rc : sc_dberr(s, r);
	}
	if (w.t == T_FUND && sqlite3_changes(s->db) == 0) {
		struct form tmp = { 0 };
		snprintf(tmp.uuid, sizeof tmp.uuid, "%s", uuid);
		tmp.funds[w.row][w.col] = (char *)value;
		rc = insert_fund(s, &tmp, w.row);
	}
	if (rc == STORE_OK && w.t != T_FORM) {
		if ((st = sc_q(s, Q_BUMP))) {
			sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
			rc = sc_run(s, st);
		} else {
			rc = STORE_ERR;
		}
	}
	char hpath[96];
	if (w.t == T_IND)
		row_hist_path(hpath, sizeof hpath, row_uuid, ind_field_key[w.col]);
	if (rc == STORE_OK)
		rc = sc_history_add(s, uuid, w.t == T_IND ? hpath : path, old, value, at);
	free(old);
	if (rc == STORE_OK)
		*new_version = version + 1;
	return rc;
}

int store_save_field(struct store *s, int64_t id, int64_t expected_version,
		     const char *path, const char *value, int64_t *new_version)
{
	int rc = sc_tx_begin(s, true);
	if (rc != STORE_OK)
		return rc;
	int64_t v = expected_version;
	char *plain = numtext_normalise(path, value);	/* figures in one spelling */
	rc = sc_tx_end(s, save_field(s, id, expected_version, path, plain ? plain : value, &v));
	free(plain);
	if (rc == STORE_OK && new_version)
		*new_version = v;
	return rc;
}

/* ---- whole form ---------------------------------------------------------- */

static int bump(struct store *s, const char *uuid, const char *at)
{
	sqlite3_stmt *st = sc_q(s, Q_BUMP);
	if (!st)
		return STORE_ERR;
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
	return sc_run(s, st);
}

static int save_header(struct store *s, const struct form *old, const struct form *f,
		       const char *at, bool *changed)
{
	char a[FORM_SCRATCH], b[FORM_SCRATCH];
	int rc = STORE_OK;
	bool head = false;
	for (int i = 0; i < N_HCOLS && rc == STORE_OK; i++) {
		const char *ov = form_get(old, hcols[i].path, a), *nv = form_get(f, hcols[i].path, b);
		if (!sc_str_eq(ov, nv)) {
			head = true;
			rc = sc_history_add(s, f->uuid, hcols[i].path, ov, nv, at);
		}
	}
	if (rc != STORE_OK || !head)
		return rc;
	*changed = true;
	sqlite3_stmt *st = sc_q(s, Q_UPD_FORM);
	if (!st)
		return STORE_ERR;
	sqlite3_bind_text(st, 1, f->uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, at, -1, SQLITE_STATIC);
	bind_header(st, f);
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	if (r != SQLITE_DONE && ((r & 0xff) != SQLITE_CONSTRAINT ||
				 !(rc = sc_key_taken(s, f->unit, f->year, f->project, NULL))))
		rc = sc_dberr(s, r);
	return rc;
}

static int save_funds(struct store *s, const struct form *old, const struct form *f,
		      const char *at, bool *changed)
{
	int rc = STORE_OK;
	for (int r = 0; r < FUND_ROWS && rc == STORE_OK; r++) {
		bool row = false;
		for (int c = 0; c < FUND_COLS && rc == STORE_OK; c++)
			if (!sc_str_eq(old->funds[r][c], f->funds[r][c])) {
				char path[64];
				snprintf(path, sizeof path, "funds.%s.%s", fund_row_key[r], fund_col_key[c]);
				row = true;
				rc = sc_history_add(s, f->uuid, path, old->funds[r][c], f->funds[r][c], at);
			}
		if (rc != STORE_OK || !row)
			continue;
		*changed = true;
		sqlite3_stmt *st = sc_q(s, Q_UPD_FUND);
		if (!st)
			return STORE_ERR;
		sqlite3_bind_text(st, 1, f->uuid, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, fund_row_key[r], -1, SQLITE_STATIC);
		for (int c = 0; c < FUND_COLS; c++)
			sc_bind_str(st, 3 + c, f->funds[r][c]);
		if ((rc = sc_run(s, st)) == STORE_OK && sqlite3_changes(s->db) == 0)
			rc = insert_fund(s, f, r);
	}
	return rc;
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
	sqlite3_stmt *st = sc_q(s, Q_COMMENT_ROWS);
	if (!st)
		return STORE_ERR;
	sqlite3_bind_text(st, 1, f->uuid, -1, SQLITE_STATIC);
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *path = sc_col_str(st, 1), *rest;
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
		snprintf(c->uuid, sizeof c->uuid, "%s", sc_col_str(st, 0));
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
	int rc = r == SQLITE_DONE ? STORE_OK : sc_dberr(s, r);
	sqlite3_reset(st);
	for (size_t k = 0; k < n && rc == STORE_OK; k++) {
		char note[300];
		if (ch[k].path) {
			st = sc_q(s, Q_COMMENT_MOVE);
			if (!st) {
				rc = STORE_ERR;
				break;
			}
			sqlite3_bind_text(st, 2, ch[k].path, -1, SQLITE_STATIC);
		} else {
			st = sc_q(s, Q_COMMENT_ORPHAN);
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
		rc = sc_run(s, st);
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
			if (!sc_str_eq(ov, in->v[k])) {
				char path[96];
				row_hist_path(path, sizeof path, in->uuid, ind_field_key[k]);
				diff = true;
				rc = sc_history_add(s, f->uuid, path, ov, in->v[k], at);
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
		sqlite3_stmt *st = sc_q(s, Q_DEL_IND);
		if (!st)
			return STORE_ERR;
		sqlite3_bind_text(st, 1, old->ind[j].uuid, -1, SQLITE_STATIC);
		rc = sc_run(s, st);
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
		rc = sc_history_add(s, f->uuid, "indicators", o, n, at);
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
		return sc_seterr(s, STORE_BADVALUE, "%s", why);
	int rc = load_form(s, f->id, &old);
	if (rc != STORE_OK)
		return rc;
	bool head = false;
	if (strcmp(old->uuid, f->uuid) != 0)
		rc = sc_seterr(s, STORE_ERR, _("form %lld is a different form (uuid %s, not %s)"),
			       (long long)f->id, old->uuid, f->uuid);
	else if (old->version != f->version)
		rc = sc_stale(s, f->id, f->version, old->version);
	else if ((rc = sc_refuse_readonly(s, f->id, old->status)) != STORE_OK)
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
	int rc = sc_tx_begin(s, true);
	if (rc != STORE_OK)
		return rc;
	sc_now_iso(at);
	if ((rc = sc_tx_end(s, save_form(s, f, at, &changed))) != STORE_OK)
		return rc;
	if (changed) {
		f->version++;
		set_str(&f->updated, at);
	}
	return STORE_OK;
}
