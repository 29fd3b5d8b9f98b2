/* store_lookup: see store_lookup.h. */
#include "config.h"
#include "store_lookup.h"

#include <stdlib.h>

#include "store_int.h"

struct store_lookup {
	struct store *s;
	sqlite3_stmt *by_uuid, *by_key;
};

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
	free(l);
}
