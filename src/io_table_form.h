/*
 * io_table_form.h: the parts of the form reader (io_table_read and the
 * table stream, io.h), shared by its files and by nothing else:
 *
 *   io_table_text.c   the text of cells: cleaning, squeezing, joining;
 *                     the reader's lines; the official labels
 *   io_table_funds.c  项目资金
 *   io_table_ind.c    绩效指标, tab-separated and space-separated
 *   io_table_form.c   one form: the header, 年度总体目标, 总分, the order
 *                     of the parts; forms from tables, or row by row
 */
#ifndef JXZP_IO_TABLE_FORM_H
#define JXZP_IO_TABLE_FORM_H

#include "io.h"
#include "sbuf.h"
#include "table.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

static inline void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();	/* out of memory */
	return p;
}

/* Decode one character at s (valid UTF-8 is guaranteed by the caller);
 * ASCII without a call. */
static inline size_t dec(const char *s, size_t n, ucs4_t *uc)
{
	if ((unsigned char)*s < 0x80) {
		*uc = (unsigned char)*s;
		return 1;
	}
	int k = u8_mbtouc(uc, (const uint8_t *)s, n);
	return k > 0 ? (size_t)k : 1;
}

static inline bool starts(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }

/* ------------------------------------------------------------------ */
/* lines and cells                                                     */

struct cell {
	char *t;	/* cleaned text; "" for an empty cell */
	int col;	/* position in the line (tab-separated: column) */
	/* A line's cells only (NULL elsewhere): t squeezed, for labels, and
	 * the lengths of both */
	const char *sq;
	size_t len, sqlen;
};

struct line {
	long no;	/* 1-based */
	const char *text;	/* markup undone */
	const char *sq;		/* text without spaces, for labels */
	struct cell *c;
	int nc;
	bool blank;
	bool ends_tab;
};

/* ------------------------------------------------------------------ */
/* results and problems                                                */

struct ctx {
	const char *name;
	struct io_result *out;
	size_t fi;		/* index of the form being read */
	struct form *f;
	bool incomplete;
	bool tabbed;
	struct line *L;		/* the form's lines */
	size_t nl;
};

/* A problem that leaves the form incomplete. */
#define FAIL(c, line, ...) do { (c)->incomplete = true; \
	io_problem((c)->out, (c)->fi, (line), -1, __VA_ARGS__); } while (0)
#define NOTE(c, line, ...) io_problem((c)->out, (c)->fi, (line), -1, __VA_ARGS__)

/* ---- io_table_text.c ---- */
/* the text of cells (clean: as printed; squeeze: without spaces, for labels) */
char *clean(const char *s);
char *squeeze(const char *s);
bool squeezed_is(const char *s, const char *label);
char *join2(const char *a, const char *b, const char *sep_other);
bool is_num(const char *s);
bool is_score(const char *s);
bool is_group_weight(const char *sq);
bool list_marker(const char *s);
/* A line and all it holds lives in an arena: a form's lines go at once. */
struct arena {
	struct arena_block *b;
};
void *arena_alloc(struct arena *a, size_t n);
void arena_reset(struct arena *a);	/* everything allocated goes */
void arena_free(struct arena *a);
void line_from_row(struct line *l, const struct table *t, const struct trow *r, struct arena *a);
const char *level1_of(const char *sq);
bool level2_under(const char *l1, const char *sq);
const char *level2_parent(const char *sq);
bool looks_level2(const char *sq);
bool fragment_of(const char *sq, const char *label);
int fund_col_of(const char *sq);
int fund_row_of(const char *sq);
int ind_col_of(const char *sq);
int find_year(const char *sq);
bool is_noise(const char *sq);
enum { FC_NONE = -1 };	/* fund_col_of: no 项目资金 column */

/* ---- io_table_funds.c ---- */
/* ------------------------------------------------------------------ */
/* 项目资金                                                             */

struct fund_row_cells {
	bool seen;
	long line;
	/* the row printed as its own labels and figures, alternating
	 * ("年初预算数 200 全年预算数（A） 170 ..."): the figures by column */
	bool paired;
	const char *pair[FUND_COLS];
	struct cell *c;		/* the cells after the label; col relative to it */
	int nc;
};

struct funds_state {
	int order[FUND_COLS];	/* column order as the header labels give it */
	int n_order;
	struct fund_row_cells row[FUND_ROWS];
};

/* a line of the 项目资金 table; the rows into columns at the end */
void funds_collect_labels(struct funds_state *fs, const struct line *l);
bool funds_row(struct funds_state *fs, const struct line *l);
void funds_finish(struct ctx *c, struct funds_state *fs);

/* ---- io_table_ind.c ---- */
/* ------------------------------------------------------------------ */
/* 绩效指标                                                             */

struct ind_state {
	int cols[IND_FIELDS];	/* header order */
	int n_cols;
	int mid[IND_FIELDS];	/* the columns between 二级指标 and 分值 */
	int n_mid;
	bool header_done;
	char *l1, *l2;		/* carried down */
	bool l1_fresh;		/* 一级 printed for the row being read */
	bool group_weights;
	/* tab layout: a line that did not end a row (a wrapped cell) */
	struct cell *pend;
	int n_pend;
	long pend_line;
	bool pend_ends_tab;
	/* the last row: which field each of its columns went to */
	int last_field[64];
	int last_ncol;
	/* space layout: texts waiting for the row line that ends them */
	char **units;
	int n_units;
	struct sbuf para;
	long para_line;
};

/* the 绩效指标 header and rows; *_free: what a form left pending */
void ind_header(struct ind_state *is, const struct line *l);
bool only_header_bits(const struct line *l);
void ind_finish_header(struct ind_state *is);
void pend_free(struct ind_state *is);
void pend_to_last_row(struct ctx *c, struct ind_state *is);
void tab_line(struct ctx *c, struct ind_state *is, const struct line *l, long prev_no);
void units_free(struct ind_state *is);
void space_line(struct ctx *c, struct ind_state *is, const struct line *l);
void space_finish(struct ctx *c, struct ind_state *is);

#endif
