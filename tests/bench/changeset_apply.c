/*
 * changeset_apply: the floor of bundle.sh and scale.sh's bundle rows: SQLite
 * applying a session changeset (the same changes a bundle carries) to a
 * database, as one process, in one transaction.
 *
 *   changeset_apply DB CHANGESET     exit 0 when every change applied
 * A change that does not fit (a conflict) is left out and counted on
 * stderr, so a floor that did less work says so.
 */
/* the session API is declared only with these (Debian builds the library with them) */
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int conflicts;

static int on_conflict(void *arg, int why, sqlite3_changeset_iter *it)
{
	(void)arg;
	const char *tab = "";
	int ncol, op, ind;
	sqlite3changeset_op(it, &tab, &ncol, &op, &ind);
	if (!conflicts++)
		fprintf(stderr, "changeset_apply: the first change that did not fit: %s, conflict type %d, op %d\n",
			tab, why, op);
	return SQLITE_CHANGESET_OMIT;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: changeset_apply DB CHANGESET\n");
		return 2;
	}
	FILE *f = fopen(argv[2], "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0) {
		perror(argv[2]);
		return 1;
	}
	long n = ftell(f);
	rewind(f);
	void *buf = malloc(n > 0 ? (size_t)n : 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		perror(argv[2]);
		return 1;
	}
	fclose(f);
	/* what it holds, table by table (the shell's session records the
	 * rows the triggers write too) */
	sqlite3_changeset_iter *it;
	if (sqlite3changeset_start(&it, (int)n, buf) == SQLITE_OK) {
		char last[64] = "";
		long k = 0;
		while (sqlite3changeset_next(it) == SQLITE_ROW) {
			const char *tab;
			int nc, op, ind;
			sqlite3changeset_op(it, &tab, &nc, &op, &ind);
			if (strcmp(tab, last) != 0) {
				if (k)
					fprintf(stderr, "%s %ld, ", last, k);
				snprintf(last, sizeof last, "%s", tab);
				k = 0;
			}
			k++;
		}
		fprintf(stderr, "%s %ld changes\n", last, k);
		sqlite3changeset_finalize(it);
	}
	sqlite3 *db;
	if (sqlite3_open(argv[1], &db) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA synchronous = NORMAL; BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3changeset_apply(db, (int)n, buf, NULL, on_conflict, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "changeset_apply: %s\n", sqlite3_errmsg(db));
		return 1;
	}
	sqlite3_close(db);
	free(buf);
	if (conflicts)
		fprintf(stderr, "changeset_apply: %d changes did not fit and were left out\n", conflicts);
	return conflicts ? 1 : 0;
}
