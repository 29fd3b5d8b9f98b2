/*
 * rules_memo: the rules (rules.c) run over a whole form, remembering what
 * each part said from one run to the next.
 *
 * A reused check remembers (c->memo) each row's whole result (its readings,
 * suggestion, findings and what it adds to the totals), the taxonomy of its
 * level names apart, and the header's, each under a 64-bit digest of the
 * cells it was made from (a keyed hash under a random key of the check's
 * own: rules_int.h); a run copies what is unchanged and works out the rest.
 * Another rule set or LC_MESSAGES empties the memo.
 *
 * rules_run digests every cell.  rules_rerun, told the one cell that changed
 * since the last run on the same form, digests that cell alone: the other
 * cells' digests, each part's place in c->findings and the totals so far
 * after each row are the last run's.  The findings before the first part
 * the cell can change stay where they are, so do the rows' results in
 * c->ind; the parts after it are copied back from the memo.  So a keystroke
 * costs its own row, the copies of the findings below it and the totals.
 *
 * rules_run_once (check --all) runs each part once and keeps nothing in the
 * memo: a batch never checks the same form twice, so digesting every cell
 * (~125 M instructions over 10,000 forms) and copying every finding into
 * the memo buy it nothing.  What it
 * may keep instead (check_new_once) is the readings of target and actual
 * cells by their exact text: across many forms the same few hundred texts
 * come back ("100%", "≥95%", "优"), and reading one is most of a row.
 *
 * tests/unit/test_rules_memo.c and tests/fuzz/fuzz_rules.c hold a reused
 * check, by either call, to a new one after edits.
 */
#include "config.h"
#include "rules.h"
#include "rules_int.h"

#include <assert.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

/* One row's whole result, kept for the next run in two parts: the
 * taxonomy of its level names, while tax_key (a digest of its level cells,
 * of those it inherits from the rows above and of the layout) is the same,
 * and the rest but its name, while key (a digest of its other cells) is.
 * So typing in a 一级 cell checks again only the taxonomy of the rows under
 * it, and typing in a name that name alone.  Both go
 * when the memo is emptied (another rule set or LC_MESSAGES).  The slot is
 * the row's place: the findings name it ("indicators[3].score"). */
struct row_memo {
	uint64_t tax_key;	/* the taxonomy's findings (0: nothing kept) */
	size_t n_tax;
	struct finding tax_found[2];
	size_t n_name;		/* its 三级指标's findings (none or one) */
	struct finding name_found[1];
	uint64_t key;		/* the rest (0: nothing kept) */
	struct row_sum sum;
	struct sums before, after;	/* the totals so far, last time */
	struct ind_check ic;
	size_t n_found;
	struct finding found[ROW_FINDINGS];
	/* the last run, for rules_rerun: */
	uint64_t d[IND_FIELDS];	/* the cells' digests */
	size_t at;		/* where its findings began in c->findings */
	size_t j1, j2;		/* the rows the level names came from, after it */
	uint64_t c1, c2;	/* ... and their level cells' digests */
};

/* The header's key is made of these words: a kind, the year, the digests
 * of project, department, unit, of the funds row by row and of the goals. */
enum { HW_YEAR = 1, HW_PROJECT, HW_DEPARTMENT, HW_UNIT, HW_FUNDS,
       HW_GOALS_EXPECTED = HW_FUNDS + FUND_ROWS * FUND_COLS, HW_GOALS_ACHIEVED, HEAD_WORDS };

struct rules_memo {
	struct keyhash_key key;		/* the digests' key, random per check */
	const struct ruleset *rs;	/* the rule set it was made under, */
	struct ruleset rs_seen;		/* ... and that rule set's parameters then */
	uint64_t head_key;		/* 0: nothing kept */
	uint64_t head_w[HEAD_WORDS];	/* what head_key was made of */
	struct head head;
	char rate[FUND_ROWS][16], budget_score[16];
	size_t n_head;
	struct finding head_found[FIXED_FINDINGS];
	/* the form of the last run when every part of it was kept (else
	 * NULL): rules_rerun may start from there */
	const struct form *form;
	bool older;			/* that run's layout had no nature column */
	size_t totals_at;		/* where the totals' findings began */
	size_t n_all;			/* and where they ended */
	size_t n_rows;
	struct row_memo row[];		/* one per row check_new made room for */
};

struct check *check_new(size_t n_ind)
{
	struct check *c = calloc(1, sizeof *c);
	if (!c)
		abort();
	c->cap_ind = n_ind;
	c->ind = calloc(n_ind ? n_ind : 1, sizeof *c->ind);
	c->cap_findings = FIXED_FINDINGS + ROW_FINDINGS * n_ind;
	c->findings = calloc(c->cap_findings, sizeof *c->findings);
	c->memo = calloc(1, sizeof *c->memo + n_ind * sizeof c->memo->row[0]);
	if (!c->ind || !c->findings || !c->memo)
		abort();
	c->memo->n_rows = n_ind;
	keyhash_key_random(&c->memo->key);
	return c;
}

/* ---- readings by their text (rules_run_once) --------------------------------- */

/* A reading is a pure function of its three texts (target_read), so one
 * kept under the exact texts (compared byte for byte, never by digest
 * alone) is the reading.  Direct-mapped: a slot holds the last texts that
 * hashed to it.  Texts longer than READ_KEY together are read every time. */
#define READ_SLOTS 1024
#define READ_KEY 200
#define NO_TEXT 0xffff		/* a NULL text, apart from "" */

struct read_slot {
	uint64_t h;		/* 0: empty */
	uint16_t len[3];
	char key[READ_KEY];	/* the three texts one after the other */
	struct reading r;
};

struct rules_reads {
	struct read_slot slot[READ_SLOTS];
};

struct check *check_new_once(size_t n_ind)
{
	struct check *c = check_new(n_ind);
	c->reads = calloc(1, sizeof *c->reads);
	if (!c->reads)
		abort();
	return c;
}

void rules_read(struct check *c, const char *text, const char *nature_col, const char *unit_col,
		struct reading *out)
{
	struct rules_reads *rr = c->reads;
	const char *t[3] = { text, nature_col, unit_col };
	size_t len[3], total = 0;
	for (int i = 0; i < 3; i++) {
		len[i] = t[i] ? strlen(t[i]) : 0;
		total += len[i];
	}
	if (!rr || total > READ_KEY) {
		target_read(text, nature_col, unit_col, out);
		return;
	}
	/* a multiply-xor over the texts eight bytes at a time and their
	 * lengths: only to pick the slot (the texts themselves are compared) */
	uint64_t h = UINT64_C(14695981039346656037);
	for (int i = 0; i < 3; i++) {
		size_t k = 0;
		for (; k + 8 <= len[i]; k += 8) {
			uint64_t w;
			memcpy(&w, t[i] + k, 8);
			h = (h ^ w) * UINT64_C(0x9e3779b97f4a7c15);
			h ^= h >> 29;
		}
		uint64_t w = 0;
		memcpy(&w, t[i] ? t[i] + k : "", len[i] - k);
		h = (h ^ w ^ (uint64_t)(t[i] ? len[i] : NO_TEXT) << 56) * UINT64_C(0x9e3779b97f4a7c15);
		h ^= h >> 29;
	}
	h = not_zero(h);
	struct read_slot *s = &rr->slot[h % READ_SLOTS];
	bool same = s->h == h;
	for (int i = 0, at = 0; same && i < 3; at += (int)len[i], i++)
		same = s->len[i] == (t[i] ? len[i] : NO_TEXT) && memcmp(s->key + at, t[i] ? t[i] : "", len[i]) == 0;
	if (same) {
		*out = s->r;
		return;
	}
	target_read(text, nature_col, unit_col, out);
	s->h = h;
	for (int i = 0, at = 0; i < 3; at += (int)len[i], i++) {
		s->len[i] = (uint16_t)(t[i] ? len[i] : NO_TEXT);
		memcpy(s->key + at, t[i] ? t[i] : "", len[i]);
	}
	s->r = *out;
}

void check_free(struct check *c)
{
	if (!c)
		return;
	free(c->reads);
	free(c->ind);
	free(c->findings);
	free(c->memo);
	free(c);
}

/* ---- keys ------------------------------------------------------------------ */

/* The key of a row's taxonomy: its level cells' digests, the digests of
 * the level cells its level names come from (c1, c2: rows above it, or its
 * own) and the layout. */
static uint64_t tax_key(const struct keyhash_key *k, const uint64_t d[IND_FIELDS], uint64_t c1, uint64_t c2,
			bool h1, bool h2, bool older)
{
	uint64_t w[] = { 1, d[IND_LEVEL1], d[IND_LEVEL2], c1, c2,
			 (uint64_t)h1 | (uint64_t)h2 << 1 | (uint64_t)older << 2 };
	return words_key(k, w, sizeof w / sizeof w[0]);
}

/* The key of the rest of a row: the digests of its cells after the name. */
static uint64_t row_key(const struct keyhash_key *k, const uint64_t d[IND_FIELDS])
{
	uint64_t w[1 + IND_FIELDS];
	size_t n = 0;
	w[n++] = 2;
	for (int i = IND_NATURE; i < IND_FIELDS; i++)
		w[n++] = d[i];
	return words_key(k, w, n);
}

/* The words of the header's key: every cell rules_check_head reads. */
static void head_words(const struct keyhash_key *k, const struct form *f, uint64_t w[HEAD_WORDS])
{
	w[0] = 3;
	w[HW_YEAR] = (uint32_t)f->year;
	w[HW_PROJECT] = cell_digest(k, f->project);
	w[HW_DEPARTMENT] = cell_digest(k, f->department);
	w[HW_UNIT] = cell_digest(k, f->unit);
	for (int row = 0; row < FUND_ROWS; row++)
		for (int col = 0; col < FUND_COLS; col++)
			w[HW_FUNDS + row * FUND_COLS + col] = cell_digest(k, f->funds[row][col]);
	w[HW_GOALS_EXPECTED] = cell_digest(k, f->goals_expected);
	w[HW_GOALS_ACHIEVED] = cell_digest(k, f->goals_achieved);
}

/* ---- findings and totals ------------------------------------------------------ */

/* Findings kept from an earlier run, appended as add() would have. */
static void replay(struct check *c, const struct finding *x, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		if (c->n_findings == c->cap_findings) {
			c->truncated = true;
			return;
		}
		c->findings[c->n_findings++] = x[k];
		if (x[k].severity == SEV_ERROR)
			c->errors++;
		else if (x[k].severity == SEV_WARNING)
			c->warnings++;
		else
			c->notes++;
	}
}

/* The findings from `at` on go; the counts follow. */
static void cut_findings(struct check *c, size_t at)
{
	c->n_findings = at;
	c->truncated = false;
	c->errors = c->warnings = c->notes = 0;
	for (size_t k = 0; k < at; k++) {
		if (c->findings[k].severity == SEV_ERROR)
			c->errors++;
		else if (c->findings[k].severity == SEV_WARNING)
			c->warnings++;
		else
			c->notes++;
	}
}

static void add_row(struct sums *t, const struct row_sum *r)
{
	if (r->rw > 0) {
		if (!num_add(t->w, r->w, &t->w))
			t->weights_ok = false;
	} else {
		t->weights_ok = false;
	}
	if (r->has_s) {
		if (!num_add(t->s, r->s, &t->s))
			t->scores_ok = false;
	} else {
		t->scores_ok = false;
	}
	if (r->add_sugg)
		num_add(t->sugg, r->sugg, &t->sugg);
}

static inline bool same_num(num a, num b)
{
	return a.coef == b.coef && a.scale == b.scale;
}

static bool same_sums(const struct sums *a, const struct sums *b)
{
	return same_num(a->w, b->w) && same_num(a->s, b->s) && same_num(a->sugg, b->sugg) &&
	       a->weights_ok == b->weights_ok && a->scores_ok == b->scores_ok;
}

static void memo_empty(struct rules_memo *m)
{
	m->head_key = 0;
	m->form = NULL;
	for (size_t i = 0; i < m->n_rows; i++)
		m->row[i].key = m->row[i].tax_key = 0;
}

/* ---- what one edit reaches ---------------------------------------------------- */

/* What a run works out again: everything (digests made afresh), the header
 * and what follows, one row (cell) and what follows, the totals alone. */
enum reach { R_ALL, R_HEAD, R_ROW, R_TOTALS };

static int key_index(const char *s, const char *const *keys, int n, const char **rest)
{
	for (int i = 0; i < n; i++) {
		size_t l = strlen(keys[i]);
		if (strncmp(s, keys[i], l) == 0 && (s[l] == '\0' || s[l] == '.')) {
			*rest = s + l;
			return i;
		}
	}
	return -1;
}

/* Where the cell at path is: a row's cell (*row, *fld), a header word
 * (*fld), a total; R_ALL for anything else (layout, rule set, ...). */
static enum reach reach_of(const char *path, const struct form *f, size_t *row, int *fld)
{
	const char *rest;
	if (strncmp(path, "indicators[", 11) == 0) {
		char *end;
		if (path[11] < '0' || path[11] > '9')
			return R_ALL;
		unsigned long long n = strtoull(path + 11, &end, 10);
		if (end[0] != ']' || end[1] != '.' || n >= f->n_ind)
			return R_ALL;
		int k = key_index(end + 2, ind_field_key, IND_FIELDS, &rest);
		if (k < 0 || *rest)
			return R_ALL;
		*row = (size_t)n;
		*fld = k;
		return R_ROW;
	}
	if (strcmp(path, "year") == 0)
		return *fld = HW_YEAR, R_HEAD;
	if (strcmp(path, "project") == 0)
		return *fld = HW_PROJECT, R_HEAD;
	if (strcmp(path, "department") == 0)
		return *fld = HW_DEPARTMENT, R_HEAD;
	if (strcmp(path, "unit") == 0)
		return *fld = HW_UNIT, R_HEAD;
	if (strcmp(path, "goals.expected") == 0)
		return *fld = HW_GOALS_EXPECTED, R_HEAD;
	if (strcmp(path, "goals.achieved") == 0)
		return *fld = HW_GOALS_ACHIEVED, R_HEAD;
	if (strncmp(path, "funds.", 6) == 0) {
		int r = key_index(path + 6, fund_row_key, FUND_ROWS, &rest);
		if (r < 0 || *rest != '.')
			return R_ALL;
		int col = key_index(rest + 1, fund_col_key, FUND_COLS, &rest);
		if (col < 0 || *rest)
			return R_ALL;
		return *fld = HW_FUNDS + r * FUND_COLS + col, R_HEAD;
	}
	if (strcmp(path, "total.weight") == 0 || strcmp(path, "total.score") == 0 ||
	    strcmp(path, "total.grade") == 0)
		return R_TOTALS;
	return R_ALL;
}

/* ---- the form ------------------------------------------------------------ */

/* Before any run: the translations and the memo follow LC_MESSAGES, the
 * memo the rule set too. */
static void follow(struct check *c, const struct ruleset *rs)
{
	const char *loc = setlocale(LC_MESSAGES, NULL);
	if (!loc)
		loc = "";
	struct rules_memo *m = c->memo;
	if (strncmp(c->tr_locale, loc, sizeof c->tr_locale) != 0) {
		c->n_tr = 0;
		size_t n = strlen(loc);
		if (n >= sizeof c->tr_locale)
			n = sizeof c->tr_locale - 1;
		while (n > 0 && ((unsigned char)loc[n] & 0xc0) == 0x80)
			n--;	/* never half a character */
		memcpy(c->tr_locale, loc, n);
		c->tr_locale[n] = '\0';
		memo_empty(m);		/* its messages are in the old language */
	}
	if (m->rs != rs || memcmp(&m->rs_seen, rs, sizeof *rs) != 0) {
		memo_empty(m);
		m->rs = rs;
		memcpy(&m->rs_seen, rs, sizeof *rs);
	}
}

/* The run of rules_run (path NULL) and rules_rerun. */
static int run(const struct form *f, const struct ruleset *rs, struct check *c, const char *path)
{
	assert(f && c);
	if (f->n_ind > c->cap_ind)
		return -1;
	if (!rs)
		rs = ruleset_default();
	struct rules_memo *m = c->memo;
	assert(m && m->n_rows == c->cap_ind);
	follow(c, rs);
	const struct layout *lay = f->layout ? layout_find(f->layout) : NULL;
	bool older = !(lay && lay->has_nature_col);

	/* what this run works out again */
	enum reach reach = R_ALL;
	size_t er = RULES_NONE;
	int ef = 0;
	if (path && m->form == f && c->n_ind == f->n_ind && c->rs == rs && m->older == older)
		reach = reach_of(path, f, &er, &ef);
	const struct keyhash_key *k = &m->key;
	struct head h = m->head;	/* the last run's unless worked out again below */
	size_t from = 0;		/* the first row worked out again */
	bool tax_again = true, keys_again = true;
	if (reach == R_ROW) {
		uint64_t dn = cell_digest(k, f->ind[er].v[ef]);
		if (dn == m->row[er].d[ef])
			return 0;	/* the same text as last time: the same result */
		m->row[er].d[ef] = dn;
		from = er;
		tax_again = ef == IND_LEVEL1 || ef == IND_LEVEL2;
		keys_again = false;	/* but row er's */
		cut_findings(c, m->row[er].at);
	} else if (reach == R_HEAD) {
		uint64_t w = ef == HW_YEAR ? (uint32_t)f->year
			   : cell_digest(k, ef == HW_PROJECT ? f->project
					    : ef == HW_DEPARTMENT ? f->department
					    : ef == HW_UNIT ? f->unit
					    : ef == HW_GOALS_EXPECTED ? f->goals_expected
					    : ef == HW_GOALS_ACHIEVED ? f->goals_achieved
					    : f->funds[(ef - HW_FUNDS) / FUND_COLS][(ef - HW_FUNDS) % FUND_COLS]);
		if (w == m->head_w[ef])
			return 0;
		m->head_w[ef] = w;
		tax_again = keys_again = false;
	} else if (reach == R_TOTALS) {
		from = f->n_ind;
		cut_findings(c, m->totals_at);
	}
	c->rs = rs;
	c->n_ind = f->n_ind;
	m->form = NULL;			/* until this run is whole */
	bool kept = true;		/* every part of this run is in the memo */
	/* the last run's, for the parts after the one worked out again: when
	 * that part gives as many findings as it did and the same totals so
	 * far, the rest of the last run stands where it is */
	size_t n_head_was = m->n_head, next_was = m->totals_at, n_all_was = m->n_all;
	struct sums after_was = { { 0, 0 }, { 0, 0 }, { 0, 0 }, true, true };
	if (reach == R_ROW) {
		if (er + 1 < f->n_ind)
			next_was = m->row[er + 1].at;
		after_was = m->row[er].after;
	}

	/* header, funds, goals: as last time while their cells are */
	if (reach == R_ALL || reach == R_HEAD) {
		cut_findings(c, 0);
		c->budget_score[0] = '\0';
		if (reach == R_ALL)
			head_words(k, f, m->head_w);
		uint64_t hk = words_key(k, m->head_w, HEAD_WORDS);
		if (hk == m->head_key) {
			h = m->head;
			replay(c, m->head_found, m->n_head);
			memcpy(c->rate, m->rate, sizeof c->rate);
			memcpy(c->budget_score, m->budget_score, sizeof c->budget_score);
		} else {
			memset(&h, 0, sizeof h);
			rules_check_head(c, f, rs, &h);
			m->head_key = 0;
			if (!c->truncated && c->n_findings <= FIXED_FINDINGS) {
				m->head_key = hk;
				m->head = h;
				m->n_head = c->n_findings;
				memcpy(m->head_found, c->findings, c->n_findings * sizeof *c->findings);
				memcpy(m->rate, c->rate, sizeof c->rate);
				memcpy(m->budget_score, c->budget_score, sizeof c->budget_score);
			} else
				kept = false;
		}
		if (reach == R_HEAD && kept && c->n_findings == n_head_was) {
			/* the rows' findings are where they were: only the totals
			 * read the header */
			cut_findings(c, next_was);
			from = f->n_ind;
		}
	}

	/* indicators: the totals so far and the rows the level names come
	 * from (RULES_NONE: ""), with their cells' digests, as after the row
	 * above the first one worked out again */
	struct sums sum = { { 0, 0 }, { 0, 0 }, { 0, 0 }, true, true };
	size_t j1 = RULES_NONE, j2 = RULES_NONE;
	uint64_t c1 = 0, c2 = 0;
	if (from > 0) {
		const struct row_memo *up = &m->row[from - 1];
		sum = up->after;
		j1 = up->j1, j2 = up->j2, c1 = up->c1, c2 = up->c2;
	}
	for (size_t i = from; i < f->n_ind; i++) {
		const struct indicator *in = &f->ind[i];
		struct row_memo *rm = &m->row[i];
		const uint64_t *dg = rm->d;
		if (reach == R_ALL)
			for (int q = 0; q < IND_FIELDS; q++)
				rm->d[q] = cell_digest(k, in->v[q]);
		rm->at = c->n_findings;
		/* each part of the row as last time while its key is (a part
		 * rules_rerun knows unchanged is not asked), else worked out
		 * and kept */
		if (tax_again) {
			bool h1 = !rules_blank(in->v[IND_LEVEL1]), h2 = !rules_blank(in->v[IND_LEVEL2]);
			if (h1)
				j1 = i, c1 = dg[IND_LEVEL1];
			if (h2)
				j2 = i, c2 = dg[IND_LEVEL2];
			else if (h1)
				j2 = RULES_NONE, c2 = 0;
			uint64_t tkey = tax_key(k, dg, c1, c2, h1, h2, older);
			if (tkey == rm->tax_key) {
				replay(c, rm->tax_found, rm->n_tax);
			} else {
				size_t n0 = c->n_findings;
				rules_check_taxonomy(c, f, i, j1, j2, h1, h2, older);
				rm->tax_key = 0;
				if (!c->truncated && c->n_findings - n0 <= 2) {
					rm->tax_key = tkey;
					rm->n_tax = c->n_findings - n0;
					memcpy(rm->tax_found, c->findings + n0, rm->n_tax * sizeof *c->findings);
				} else
					kept = false;
			}
		} else {
			j1 = rm->j1, j2 = rm->j2, c1 = rm->c1, c2 = rm->c2;
			replay(c, rm->tax_found, rm->n_tax);
		}
		rm->j1 = j1, rm->j2 = j2, rm->c1 = c1, rm->c2 = c2;
		/* the name: checked again with the rest of the row (it is cheap) */
		if (keys_again || i == er) {
			size_t n0 = c->n_findings;
			rules_check_name(c, f, i);
			rm->n_name = c->n_findings - n0;
			if (!c->truncated && rm->n_name <= 1)
				memcpy(rm->name_found, c->findings + n0, rm->n_name * sizeof *c->findings);
			else
				kept = false;
		} else {
			replay(c, rm->name_found, rm->n_name);
		}
		bool hit = true;
		if (keys_again || i == er) {
			uint64_t key = row_key(k, dg);
			hit = key == rm->key;
			if (hit) {
				c->ind[i] = rm->ic;
				replay(c, rm->found, rm->n_found);
			} else {
				size_t n0 = c->n_findings;
				memset(&rm->sum, 0, sizeof rm->sum);
				rules_check_row(c, k, f, i, dg, &rm->sum);
				rm->key = 0;
				if (!c->truncated && c->n_findings - n0 <= ROW_FINDINGS) {
					rm->key = key;
					rm->ic = c->ind[i];
					rm->n_found = c->n_findings - n0;
					memcpy(rm->found, c->findings + n0, rm->n_found * sizeof *c->findings);
				} else
					kept = false;
			}
		} else {
			replay(c, rm->found, rm->n_found);	/* c->ind[i] is still the last run's */
		}
		/* the totals so far: as last time when they were the same before it */
		if (hit && same_sums(&sum, &rm->before)) {
			sum = rm->after;
		} else {
			rm->before = sum;
			add_row(&sum, &rm->sum);
			rm->after = sum;
		}
		if (i == er && !tax_again && kept && !c->truncated && c->n_findings == next_was &&
		    same_sums(&sum, &after_was)) {
			/* as many findings as last time and the same totals so far:
			 * the rows below, the totals and c->ind are the last run's */
			cut_findings(c, n_all_was);
			m->form = f;
			return 0;
		}
	}

	/* totals */
	m->totals_at = c->n_findings;
	rules_check_totals(c, f, rs, &h, &sum);
	m->n_all = c->n_findings;
	if (kept && !c->truncated) {
		m->form = f;
		m->older = older;
	}
	return 0;
}

/* rules_run_once: the parts in paper order, as run() works them out when
 * the memo holds nothing, without a digest or a copy into the memo.  What
 * the memo kept stays right for the cells it was made from, but c's
 * findings and readings are no longer the last run's: the next run is
 * whole (m->form) and reads every cell (the readings' keys). */
int rules_run_once(const struct form *f, const struct ruleset *rs, struct check *c)
{
	assert(f && c);
	if (f->n_ind > c->cap_ind)
		return -1;
	if (!rs)
		rs = ruleset_default();
	follow(c, rs);
	c->memo->form = NULL;
	const struct layout *lay = f->layout ? layout_find(f->layout) : NULL;
	bool older = !(lay && lay->has_nature_col);
	c->rs = rs;
	c->n_ind = f->n_ind;
	cut_findings(c, 0);
	c->budget_score[0] = '\0';
	struct head h;
	memset(&h, 0, sizeof h);
	rules_check_head(c, f, rs, &h);
	struct sums sum = { { 0, 0 }, { 0, 0 }, { 0, 0 }, true, true };
	size_t j1 = RULES_NONE, j2 = RULES_NONE;
	for (size_t i = 0; i < f->n_ind; i++) {
		const struct indicator *in = &f->ind[i];
		bool h1 = !rules_blank(in->v[IND_LEVEL1]), h2 = !rules_blank(in->v[IND_LEVEL2]);
		if (h1)
			j1 = i;
		if (h2)
			j2 = i;
		else if (h1)
			j2 = RULES_NONE;
		rules_check_taxonomy(c, f, i, j1, j2, h1, h2, older);
		rules_check_name(c, f, i);
		struct row_sum rsum;
		memset(&rsum, 0, sizeof rsum);
		rules_check_row(c, NULL, f, i, NULL, &rsum);
		add_row(&sum, &rsum);
	}
	rules_check_totals(c, f, rs, &h, &sum);
	return 0;
}

int rules_run(const struct form *f, const struct ruleset *rs, struct check *c)
{
	return run(f, rs, c, NULL);
}

int rules_rerun(const struct form *f, const struct ruleset *rs, struct check *c, const char *path)
{
	return run(f, rs, c, path);
}
