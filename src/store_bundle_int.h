/*
 * store_bundle_int: what the files of store_bundle share (store_bundle.c,
 * _make.c, _apply.c, _resolve.c).  Part of the store room: SQL lives here.
 */
#ifndef JXZP_STORE_BUNDLE_INT_H
#define JXZP_STORE_BUNDLE_INT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "bundle.h"

/* A connection of our own to the store's file (or an in-memory one). */
struct conn {
	sqlite3 *db;
	const char *path;	/* for messages */
	char *err;
	size_t errlen;
};

int sb_fail(struct conn *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int sb_dbfail(struct conn *c);
int sb_exec(struct conn *c, const char *sql);
/* The statements of ddl with each @ replaced by schema. */
int sb_exec_ddl(struct conn *c, const char *ddl, const char *schema);
sqlite3_stmt *sb_prep(struct conn *c, const char *sql);
/* One integer from a query with up to one text parameter. */
int sb_query_int(struct conn *c, const char *sql, const char *p1, int64_t *out);
int sb_conn_open(struct conn *c, struct store *s, char *err, size_t errlen);
void sb_conn_close(struct conn *c);
void sb_now_iso(char buf[32]);
int sb_meta_get(struct conn *c, const char *key, char *buf, size_t len);

/* The payload's tables in schema (those it lacks when missing_only: what a
 * payload of an older format is given, empty). */
int sb_payload_ddl(struct conn *c, const char *schema);
int sb_extra_ddl(struct conn *c, const char *schema, bool missing_only);
/* Attach the payload as schema b and check it is ours and whole. */
int sb_attach_payload(struct conn *c, const struct bundle_info *bi, const void *payload, size_t len);

/* The merged columns of each travelling table, and how a row is keyed. */
#define N_FORM_COLS 16
#define N_FUND_COLS 6
#define N_IND_COLS 11
#define MAXCOLS 16
extern const char *const form_cols[N_FORM_COLS];
extern const char *const fund_cols[N_FUND_COLS];
extern const char *const ind_cols[N_IND_COLS];
enum tbl { TB_FORM, TB_FUND, TB_IND, TB_N };
struct tdesc {
	const char *name;
	const char *const *cols;
	int n;
	const char *key;	/* the key columns, selected before the merged ones */
	const char *where;	/* the key bound as ?1 (?2) */
	const char *of_form;	/* rows of one form (?1) */
};
extern const struct tdesc td[TB_N];
bool sb_known_col(const char *tbl, const char *col);

/* The form row's columns a changed form always carries (the rest only
 * when changed): what names it, its state, and its deletion. */
#define FORM_ALWAYS_MASK ((1u << 0) | (1u << 1) | (1u << 2) | (1u << 6) | (1u << 7) | (1u << 8) | (1u << 15))
#define FORM_ALWAYS_TEXT "33223"	/* the same, for SQL */

/* The signature of an indicator row, as the tombstone trigger makes it. */
#define IND_SIG "json_array(level1, level2, name, nature, target, unit_of_measure, actual," \
	" weight, score, deviation)"
#define IND_FIELDS_SQL "level1, level2, name, nature, target, unit_of_measure, actual, weight, score, deviation"

static inline const char *sb_col_text(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NULL : (const char *)sqlite3_column_text(st, i);
}

static inline const char *sb_vtext(sqlite3_value *v)
{
	return sqlite3_value_type(v) == SQLITE_NULL ? NULL : (const char *)sqlite3_value_text(v);
}

static inline bool sb_streq(const char *x, const char *y)
{
	return x && y && strcmp(x, y) == 0;
}

#endif
