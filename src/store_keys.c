/*
 * store_keys: the SQL of keys (see store_keys.h and schema/008-keys.sql).
 *
 * Promises: a private key is read only by store_key_own*, for signing and
 * opening here; every write is one transaction (store_begin nests inside a
 * caller's batch).
 */
#include "config.h"
#include "store_keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "store_int.h"

#define NOW "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

static sqlite3_stmt *prep(struct store *s, const char *sql, int *rc)
{
	sqlite3_stmt *st = NULL;
	int r = sqlite3_prepare_v2(store_int_db(s), sql, -1, &st, NULL);
	*rc = r == SQLITE_OK ? STORE_OK : store_int_dberr(s, r);
	return st;
}

static bool blob32(sqlite3_stmt *st, int i, uint8_t out[KEYS_LEN])
{
	if (sqlite3_column_type(st, i) != SQLITE_BLOB || sqlite3_column_bytes(st, i) != KEYS_LEN)
		return false;
	memcpy(out, sqlite3_column_blob(st, i), KEYS_LEN);
	return true;
}

static void bind_pub(sqlite3_stmt *st, int i, const struct keys_pub *p)
{
	sqlite3_bind_blob(st, i, p->sign, KEYS_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, i + 1, p->seal, KEYS_LEN, SQLITE_STATIC);
}

static int step_done(struct store *s, sqlite3_stmt *st)
{
	int r = sqlite3_step(st);
	return r == SQLITE_DONE ? STORE_OK : store_int_dberr(s, r);
}

int store_key_own_all(struct store *s, struct keys_own **out, size_t *n)
{
	int rc;
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = prep(s, "SELECT sign_priv, seal_priv FROM key_own"
				" ORDER BY replaced IS NOT NULL, replaced DESC", &rc);
	if (!st)
		return rc;
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		struct keys_own k;
		if (!blob32(st, 0, k.sign_priv) || !blob32(st, 1, k.seal_priv))
			continue;	/* a damaged row signs nothing */
		keys_public(&k);
		struct keys_own *p = realloc(*out, (*n + 1) * sizeof *p);
		if (!p)
			abort();
		*out = p;
		p[(*n)++] = k;
		keys_wipe(&k, sizeof k);
	}
	rc = r == SQLITE_DONE ? STORE_OK : store_int_dberr(s, r);
	sqlite3_finalize(st);
	return rc;
}

static int insert_own(struct store *s, struct keys_own *k)
{
	int rc;
	if (!keys_generate(k))
		return store_int_dberr(s, SQLITE_IOERR);
	sqlite3_stmt *st = prep(s, "INSERT INTO key_own VALUES (?1, ?2, ?3, ?4, " NOW ", NULL)", &rc);
	if (!st)
		return rc;
	bind_pub(st, 1, &k->pub);
	sqlite3_bind_blob(st, 3, k->sign_priv, KEYS_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, k->seal_priv, KEYS_LEN, SQLITE_STATIC);
	rc = step_done(s, st);
	sqlite3_finalize(st);
	return rc;
}

/* The current pair, in a transaction the caller opened. */
static int own_current(struct store *s, struct keys_own *out, bool *found)
{
	int rc;
	*found = false;
	sqlite3_stmt *st = prep(s, "SELECT sign_priv, seal_priv FROM key_own WHERE replaced IS NULL", &rc);
	if (!st)
		return rc;
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW && blob32(st, 0, out->sign_priv) && blob32(st, 1, out->seal_priv)) {
		keys_public(out);
		*found = true;
	}
	rc = r == SQLITE_ROW || r == SQLITE_DONE ? STORE_OK : store_int_dberr(s, r);
	sqlite3_finalize(st);
	return rc;
}

int store_key_own(struct store *s, struct keys_own *out)
{
	bool found;
	int rc = own_current(s, out, &found);
	if (rc != STORE_OK || found)
		return rc;
	if ((rc = store_begin(s)) != STORE_OK)
		return rc;
	rc = own_current(s, out, &found);	/* another process may have made it */
	if (rc == STORE_OK && !found)
		rc = insert_own(s, out);
	if (rc == STORE_OK)
		return store_commit(s);
	store_rollback(s);
	return rc;
}

int store_key_replace(struct store *s, struct keys_own *out)
{
	int rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	sqlite3_stmt *st = prep(s, "UPDATE key_own SET replaced = " NOW " WHERE replaced IS NULL", &rc);
	if (st) {
		rc = step_done(s, st);
		sqlite3_finalize(st);
	}
	if (rc == STORE_OK)
		rc = insert_own(s, out);
	if (rc == STORE_OK)
		return store_commit(s);
	store_rollback(s);
	return rc;
}

void key_standing_free(struct key_standing *ks)
{
	for (size_t i = 0; i < ks->n_units; i++)
		free(ks->units[i]);
	free(ks->units);
	ks->units = NULL;
	ks->n_units = 0;
}

int store_key_standing(struct store *s, const struct keys_pub *p, struct key_standing *out)
{
	int rc;
	*out = (struct key_standing){ 0 };
	sqlite3_stmt *st = prep(s, "SELECT 'revoked', at FROM key_revoked WHERE sign_pub = ?1 AND seal_pub = ?2"
				" UNION ALL SELECT role, unit FROM key_trust WHERE sign_pub = ?1 AND seal_pub = ?2"
				" AND NOT EXISTS (SELECT 1 FROM key_revoked WHERE sign_pub = ?1)", &rc);
	if (!st)
		return rc;
	bind_pub(st, 1, p);
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *role = (const char *)sqlite3_column_text(st, 0);
		const char *v = (const char *)sqlite3_column_text(st, 1);
		if (strcmp(role, "revoked") == 0) {
			out->revoked = true;
			snprintf(out->revoked_at, sizeof out->revoked_at, "%s", v ? v : "");
		} else if (strcmp(role, "office") == 0) {
			out->office = true;
		} else {
			char **u = realloc(out->units, (out->n_units + 1) * sizeof *u);
			if (!u)
				abort();
			out->units = u;
			u[out->n_units++] = xstrdup(v ? v : "");
		}
	}
	rc = r == SQLITE_DONE ? STORE_OK : store_int_dberr(s, r);
	sqlite3_finalize(st);
	if (rc != STORE_OK)
		key_standing_free(out);
	return rc;
}

static int is_own(struct store *s, const struct keys_pub *p, bool *own)
{
	int rc;
	sqlite3_stmt *st = prep(s, "SELECT 1 FROM key_own WHERE sign_pub = ?1 OR seal_pub = ?2", &rc);
	if (!st)
		return rc;
	bind_pub(st, 1, p);
	int r = sqlite3_step(st);
	*own = r == SQLITE_ROW;
	rc = r == SQLITE_ROW || r == SQLITE_DONE ? STORE_OK : store_int_dberr(s, r);
	sqlite3_finalize(st);
	return rc;
}

int store_key_trust(struct store *s, const struct keys_pub *p, const char *unit, bool *replaced)
{
	struct key_standing ks;
	bool own;
	*replaced = false;
	int rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	if ((rc = store_key_standing(s, p, &ks)) != STORE_OK || (rc = is_own(s, p, &own)) != STORE_OK)
		goto out;
	bool revoked = ks.revoked;
	key_standing_free(&ks);
	if (revoked || own) {
		rc = STORE_BADSTATE;
		goto out;
	}
	sqlite3_stmt *st;
	if (!unit) {	/* one office: a new office key takes the old one's place */
		if (!(st = prep(s, "DELETE FROM key_trust WHERE role = 'office' AND sign_pub IS NOT ?1", &rc)))
			goto out;
		sqlite3_bind_blob(st, 1, p->sign, KEYS_LEN, SQLITE_STATIC);
		rc = step_done(s, st);
		*replaced = sqlite3_changes(store_int_db(s)) > 0;
		sqlite3_finalize(st);
		if (rc != STORE_OK)
			goto out;
	}
	if (!(st = prep(s, "INSERT OR IGNORE INTO key_trust VALUES (?1, ?2, ?3, ?4, " NOW ")", &rc)))
		goto out;
	bind_pub(st, 1, p);
	sqlite3_bind_text(st, 3, unit ? "unit" : "office", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, unit ? unit : "", -1, SQLITE_STATIC);
	rc = step_done(s, st);
	sqlite3_finalize(st);
out:
	if (rc == STORE_OK)
		return store_commit(s);
	store_rollback(s);
	return rc;
}

int store_key_revoke(struct store *s, const struct keys_pub *p)
{
	bool own;
	int rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	if ((rc = is_own(s, p, &own)) == STORE_OK && own)
		rc = STORE_BADSTATE;
	sqlite3_stmt *st;
	if (rc == STORE_OK && (st = prep(s, "INSERT OR IGNORE INTO key_revoked VALUES (?1, ?2, " NOW ")", &rc))) {
		bind_pub(st, 1, p);
		rc = step_done(s, st);
		sqlite3_finalize(st);
	}
	if (rc == STORE_OK && (st = prep(s, "DELETE FROM key_trust WHERE sign_pub = ?1", &rc))) {
		sqlite3_bind_blob(st, 1, p->sign, KEYS_LEN, SQLITE_STATIC);
		rc = step_done(s, st);
		sqlite3_finalize(st);
	}
	if (rc == STORE_OK)
		return store_commit(s);
	store_rollback(s);
	return rc;
}

int store_key_each(struct store *s, int (*fn)(const struct key_row *r, void *arg), void *arg)
{
	int rc;
	sqlite3_stmt *st = prep(s, "SELECT * FROM (SELECT sign_pub, seal_pub, role, unit, added FROM key_trust"
				" UNION ALL SELECT sign_pub, seal_pub, 'revoked' AS role, '' AS unit, at AS added"
				" FROM key_revoked) ORDER BY role = 'revoked', role = 'unit', unit, added", &rc);
	if (!st)
		return rc;
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		struct key_row kr = { .role = (const char *)sqlite3_column_text(st, 2),
				      .unit = (const char *)sqlite3_column_text(st, 3),
				      .at = (const char *)sqlite3_column_text(st, 4) };
		if (!blob32(st, 0, kr.pub.sign) || !blob32(st, 1, kr.pub.seal))
			continue;
		if (fn(&kr, arg))
			break;
	}
	rc = r == SQLITE_ROW || r == SQLITE_DONE ? STORE_OK : store_int_dberr(s, r);
	sqlite3_finalize(st);
	return rc;
}

struct find {
	const char *fp;
	struct keys_pub *out;
	bool found;
};

static int find_cb(const struct key_row *r, void *arg)
{
	struct find *f = arg;
	char fp[KEYS_FP_LEN];
	keys_fingerprint(&r->pub, fp);
	if (keys_fingerprint_match(fp, f->fp)) {
		*f->out = r->pub;
		f->found = true;
		return 1;
	}
	return 0;
}

int store_key_find(struct store *s, const char *fp, struct keys_pub *out)
{
	struct find f = { fp, out, false };
	int rc = store_key_each(s, find_cb, &f);
	return rc != STORE_OK ? rc : f.found ? STORE_OK : STORE_NOTFOUND;
}

static void add_reader(struct keys_pub **out, size_t *n, const struct keys_pub *p)
{
	for (size_t i = 0; i < *n; i++)
		if (keys_equal(&(*out)[i], p))
			return;
	struct keys_pub *q = realloc(*out, (*n + 1) * sizeof *q);
	if (!q)
		abort();
	*out = q;
	q[(*n)++] = *p;
}

int store_key_readers(struct store *s, char *const *units, size_t n_units, bool office_db,
		      struct keys_pub **out, size_t *n, char **missing)
{
	int rc;
	*out = NULL;
	*n = 0;
	*missing = NULL;
	sqlite3_stmt *st = prep(s, "SELECT sign_pub, seal_pub FROM key_trust WHERE (role = 'office' AND ?1 IS NULL)"
				" OR (role = 'unit' AND unit = ?1) ORDER BY added", &rc);
	if (!st)
		return rc;
	/* ?1 NULL: the office keys; then each unit's */
	for (size_t i = 0; i <= n_units && rc == STORE_OK; i++) {
		sqlite3_reset(st);
		if (i)
			sqlite3_bind_text(st, 1, units[i - 1], -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 1);
		int r, got = 0;
		while ((r = sqlite3_step(st)) == SQLITE_ROW) {
			struct keys_pub p;
			if (blob32(st, 0, p.sign) && blob32(st, 1, p.seal)) {
				add_reader(out, n, &p);
				got++;
			}
		}
		if (r != SQLITE_DONE)
			rc = store_int_dberr(s, r);
		else if (!got && !*missing && (i ? office_db : !office_db))
			*missing = xstrdup(i ? units[i - 1] : "");
	}
	sqlite3_finalize(st);
	if (rc != STORE_OK) {
		free(*out);
		*out = NULL;
		*n = 0;
		free(*missing);
		*missing = NULL;
	}
	return rc;
}
