/* store_lookup: see store_lookup.h. */
#include "config.h"
#include "store_lookup.h"

#include <stdio.h>
#include <stdlib.h>

#include "store_int.h"

struct store_lookup {
	struct store *s;
	sqlite3_stmt *by_uuid, *by_key;
	int cache;	/* the connection's cache_size, given back at the end */
};

/* Import's pages: what one transaction of a whole file dirties spills to
 * the WAL past this, so memory stays bounded (KiB). */
#define IMPORT_CACHE_KIB 32768

static int cache_size(sqlite3 *db, int set, int *was)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, "PRAGMA cache_size", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		*was = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", set);
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

struct store_lookup *store_lookup_new(struct store *s)
{
	struct store_lookup *l = calloc(1, sizeof *l);
	if (!l)
		abort();
	l->s = s;
	sqlite3 *db = store_int_db(s);
	/* "f.deleted = 0" word for word: the partial index form_key */
	int rc = sqlite3_prepare_v2(db, "SELECT l.id FROM form f JOIN form_local l ON l.form_uuid = f.uuid"
				    " WHERE f.uuid = ?1 AND f.deleted = 0", -1, &l->by_uuid, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "SELECT l.id FROM form f JOIN form_local l ON l.form_uuid = f.uuid"
					" WHERE f.unit = ?1 AND f.year = ?2 AND f.project = ?3 AND f.deleted = 0",
					-1, &l->by_key, NULL);
	l->cache = 0;
	if (rc == SQLITE_OK)
		rc = cache_size(db, -IMPORT_CACHE_KIB, &l->cache);
	if (rc != SQLITE_OK) {
		store_int_dberr(s, rc);
		store_lookup_free(l);
		return NULL;
	}
	return l;
}

static int64_t one_id(struct store_lookup *l, sqlite3_stmt *st)
{
	int r = sqlite3_step(st);
	int64_t id = r == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	if (r != SQLITE_ROW && r != SQLITE_DONE) {
		store_int_dberr(l->s, r);
		id = -1;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return id;
}

int64_t store_lookup_form(struct store_lookup *l, const char *uuid, const char *unit,
			  int year, const char *project, bool *same_uuid)
{
	*same_uuid = false;
	if (uuid && *uuid) {
		sqlite3_bind_text(l->by_uuid, 1, uuid, -1, SQLITE_STATIC);
		int64_t id = one_id(l, l->by_uuid);
		if (id) {
			*same_uuid = id > 0;
			return id;
		}
	}
	sqlite3_bind_text(l->by_key, 1, unit ? unit : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(l->by_key, 2, year);
	sqlite3_bind_text(l->by_key, 3, project ? project : "", -1, SQLITE_STATIC);
	return one_id(l, l->by_key);
}

void store_lookup_free(struct store_lookup *l)
{
	if (!l)
		return;
	sqlite3_finalize(l->by_uuid);
	sqlite3_finalize(l->by_key);
	int was;
	if (l->cache)
		cache_size(store_int_db(l->s), l->cache, &was);
	free(l);
}

void store_lookup_checkpoint(struct store_lookup *l)
{
	/* SQLITE_BUSY (a reader in the middle of a transaction) leaves the
	 * WAL to the next checkpoint: nothing is lost either way */
	sqlite3_wal_checkpoint_v2(store_int_db(l->s), NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
}
