/*
 * rules_int: between rules.c (the rules over the parts of a form) and
 * rules_memo.c (running them over a whole form, remembering each part's
 * result from one run to the next).  Not for anyone else.
 */
#ifndef JXZP_RULES_INT_H
#define JXZP_RULES_INT_H

#include "rules.h"
#include "keyhash.h"
#include <string.h>

/* Findings that do not belong to a row (header, funds, goals, totals) and
 * the most one row can give; check_new sizes the array with them. */
#define FIXED_FINDINGS 72
#define ROW_FINDINGS 16

/* No row (the level names of rules_check_taxonomy). */
#define RULES_NONE ((size_t)-1)

/* What one row adds to the totals; the rows are added up in order. */
struct row_sum {
	int rw;			/* target_figure of the weight: 1, 0 or -1 */
	num w, s, sugg;
	bool has_s, add_sugg;
};

/* The totals so far, as the rows are added up. */
struct sums {
	num w, s, sugg;
	bool weights_ok, scores_ok;
};

/* What the totals need from the header, the funds and the goals. */
struct head {
	num v[FUND_ROWS][FUND_COLS];
	int st[FUND_ROWS][FUND_COLS], dec[FUND_ROWS][FUND_COLS];
	num budget_score;
	bool has_budget_score;
	bool budget_exact_full;		/* B ≥ A: the exact budget score is the weight */
};

/* Each appends its findings to c in paper order. */
/* The header, the funds and the goals (c->rate and c->budget_score too). */
void rules_check_head(struct check *c, const struct form *f, const struct ruleset *rs, struct head *h);
/* Row i's 一级 and 二级, the level names taken from rows j1 and j2 (or
 * RULES_NONE); h1, h2: the row has its own; older: a layout without the
 * nature column. */
void rules_check_taxonomy(struct check *c, const struct form *f, size_t i, size_t j1, size_t j2,
			  bool h1, bool h2, bool older);
/* Row i's 三级指标: read by nothing else, so typing in it checks it alone. */
void rules_check_name(struct check *c, const struct form *f, size_t i);
/* The rest of row i after its name (c->ind[i] too), d its cells' digests
 * under k; k and d NULL for a check run once (rules_run_once), which keeps
 * no reading for a next run. */
void rules_check_row(struct check *c, const struct keyhash_key *k, const struct form *f, size_t i,
		     const uint64_t d[IND_FIELDS], struct row_sum *out);
/* target_read, or the reading c->reads kept of the same three texts. */
void rules_read(struct check *c, const char *text, const char *nature_col, const char *unit_col,
		struct reading *out);
/* The totals, from the header's h and the rows' sum. */
void rules_check_totals(struct check *c, const struct form *f, const struct ruleset *rs,
			const struct head *h, const struct sums *sum);
/* Nothing but spaces (U+3000 too), or NULL. */
bool rules_blank(const char *s);

/* ---- digests --------------------------------------------------------------- */

/* Digests stand for texts in the memo, so nobody may make two texts with
 * the same digest: a keyed hash (keyhash.h) under a random key of the
 * check's own (check_new), so a crafted cell cannot be made to look like
 * another and bring back that cell's findings (the old unkeyed mix could
 * be inverted in under a second).  By chance: below 2^-58 for a cell of
 * 40 bytes. */

/* Never 0: the zeroed keys of check_new match nothing. */
static inline uint64_t not_zero(uint64_t h)
{
	return h ? h : 1;
}

/* The digest of one cell (NULL and "" differ). */
static inline uint64_t cell_digest(const struct keyhash_key *k, const char *s)
{
	return s ? not_zero(keyhash(k, s, strlen(s))) : 0;
}

/* A key from digests: w[0] says which kind of key it is. */
static inline uint64_t words_key(const struct keyhash_key *k, const uint64_t *w, size_t n)
{
	return not_zero(keyhash_words(k, w, n));
}

#endif
