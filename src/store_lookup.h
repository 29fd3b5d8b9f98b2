/*
 * store_lookup: is a form already in the database?  What import asks of
 * each form it reads, through the indexes (form_local by uuid, form_key by
 * unit, year and project), so that importing into a database of a million
 * forms costs what importing into an empty one does.
 */
#ifndef JXZP_STORE_LOOKUP_H
#define JXZP_STORE_LOOKUP_H

#include <stdbool.h>
#include <stdint.h>

struct store;
struct store_lookup;

/* NULL (the message in store_errmsg) when the statements cannot be made.
 * While it lives, the connection's page cache is held to 32 MB (what an
 * import's one transaction dirties past that spills to the WAL, so memory
 * stays bounded); freeing it gives the cache its size back. */
struct store_lookup *store_lookup_new(struct store *s);
/* The live form with this uuid (*same_uuid set), else the live form with
 * this unit, year and project: its id, 0 if there is none, -1 on a
 * database error (the message in store_errmsg). */
int64_t store_lookup_form(struct store_lookup *l, const char *uuid, const char *unit,
			  int year, const char *project, bool *same_uuid);
void store_lookup_free(struct store_lookup *l);
/* After the commit of a big import: the WAL, grown with the file's rows,
 * copied into the database and cut back to nothing (or left to the next
 * checkpoint when a reader is in the middle of a transaction). */
void store_lookup_checkpoint(struct store_lookup *l);

#endif
