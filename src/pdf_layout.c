/*
 * pdf_layout: characters and ruling lines of a page to a table
 * (pdf_layout.h).  Distances are in points and, where they depend on the
 * text, in the font size: nothing here knows the form.
 */
#include "config.h"
#include "pdf_layout.h"
#include "sbuf.h"
#include "table.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>
#include <uniwidth.h>

#define SNAP 1.5f	/* lines this close in position are one line */
#define REACH 2.0f	/* a line ending this close to another meets it */
#define MIN_LINE 2.0f	/* shorter "lines" are marks, not rules */
#define MAX_GRID 600	/* grid lines of one table, each way */
#define MAX_RULES 4000	/* rules of a page, each way, for the tables */
#define OPEN_EDGE 4.0f	/* columns running this far past the last line: an open row */

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();	/* out of memory */
	return p;
}

/* qsort, which must not be given a null array even of nothing */
static void sort(void *v, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(v, n, size, cmp);
}

void lay_add_char(struct lay_page *p, const struct lay_char *c)
{
	if (p->nch >= LAY_MAX_CHARS)
		return;
	if (p->nch == p->capch) {
		p->capch = p->capch ? p->capch * 2 : 1024;
		p->ch = xrealloc(p->ch, sizeof *p->ch * p->capch);
	}
	p->ch[p->nch++] = *c;
}

static void add_seg(struct lay_seg **v, size_t *n, size_t *cap, float at, float a0, float a1)
{
	if (*n >= LAY_MAX_SEGS)
		return;
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		*v = xrealloc(*v, sizeof **v * *cap);
	}
	(*v)[(*n)++] = (struct lay_seg){ at, a0 < a1 ? a0 : a1, a0 < a1 ? a1 : a0 };
}

void lay_add_seg(struct lay_page *p, float x0, float y0, float x1, float y1)
{
	float dx = fabsf(x1 - x0), dy = fabsf(y1 - y0);
	if (!isfinite(dx) || !isfinite(dy))
		return;
	if (dy <= 0.5f && dx > dy)
		add_seg(&p->h, &p->nh, &p->caph, (y0 + y1) / 2, x0, x1);
	else if (dx <= 0.5f && dy > dx)
		add_seg(&p->v, &p->nv, &p->capv, (x0 + x1) / 2, y0, y1);
}

void lay_clear(struct lay_page *p)
{
	p->nch = p->nh = p->nv = 0;
	p->images = 0;
}

void lay_free(struct lay_page *p)
{
	free(p->ch);
	free(p->h);
	free(p->v);
	memset(p, 0, sizeof *p);
}

/* ---- ruling lines ------------------------------------------------------------ */

static int cmp_at(const void *a, const void *b)
{
	const struct lay_seg *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return (x->a0 > y->a0) - (x->a0 < y->a0);
}

/* Lines at nearly one position made one position, overlapping or touching
 * pieces of one line made one, marks dropped.  Returns the new count. */
static size_t merge_segs(struct lay_seg *s, size_t n)
{
	if (n == 0)
		return 0;
	sort(s, n, sizeof *s, cmp_at);
	for (size_t i = 0; i < n;) {	/* snap each run of close positions to its first */
		size_t j = i + 1;
		while (j < n && s[j].at - s[i].at <= SNAP)
			s[j++].at = s[i].at;
		i = j;
	}
	sort(s, n, sizeof *s, cmp_at);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (m && s[i].at == s[m - 1].at && s[i].a0 <= s[m - 1].a1 + REACH) {
			if (s[i].a1 > s[m - 1].a1)
				s[m - 1].a1 = s[i].a1;
			continue;
		}
		s[m++] = s[i];
	}
	size_t k = 0;
	for (size_t i = 0; i < m; i++)
		if (s[i].a1 - s[i].a0 >= MIN_LINE)
			s[k++] = s[i];
	return k;
}

static bool meet(const struct lay_seg *h, const struct lay_seg *v)
{
	return v->at >= h->a0 - REACH && v->at <= h->a1 + REACH &&
	       h->at >= v->a0 - REACH && h->at <= v->a1 + REACH;
}

static int uf_find(int *up, int i)
{
	while (up[i] != i) {
		up[i] = up[up[i]];
		i = up[i];
	}
	return i;
}

static void uf_join(int *up, int a, int b)
{
	a = uf_find(up, a);
	b = uf_find(up, b);
	if (a != b)
		up[a < b ? b : a] = a < b ? a : b;
}

/* A ruled table: grid lines xs (nx) and ys (ny); grid square (i, j) of
 * row i and column j belongs to the cell whose top-left square is
 * cell[i * (nx-1) + j]. */
struct rtab {
	float *xs, *ys;
	int nx, ny;
	int *cell;
	float x0, y0, x1, y1;
};

static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return (x > y) - (x < y);
}

/* Positions sorted and made unique (within SNAP).  Returns the count. */
static int unique_positions(float *v, int n)
{
	sort(v, (size_t)n, sizeof *v, cmp_float);
	int m = 0;
	for (int i = 0; i < n; i++)
		if (m == 0 || v[i] - v[m - 1] > SNAP)
			v[m++] = v[i];
	return m;
}

/* Index of the grid line nearest to x. */
static int nearest(const float *v, int n, float x)
{
	int lo = 0, hi = n - 1;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && fabsf(v[lo - 1] - x) < fabsf(v[lo] - x))
		lo--;
	return lo;
}

/* The grid interval holding x: i with v[i] <= x < v[i+1], or -1. */
static int interval(const float *v, int n, float x)
{
	if (n < 2 || x < v[0] || x > v[n - 1])
		return -1;
	int lo = 0, hi = n - 1;
	while (hi - lo > 1) {
		int mid = (lo + hi) / 2;
		if (v[mid] <= x)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* The table made of the rules h[hi[0..nh)] and v[vi[0..nv)], or false if
 * they make no grid this reader takes. */
static bool make_table(struct rtab *t, const struct lay_seg *h, const int *hi, int nh,
		       const struct lay_seg *v, const int *vi, int nv)
{
	memset(t, 0, sizeof *t);
	t->xs = xrealloc(NULL, sizeof *t->xs * (size_t)nv);
	t->ys = xrealloc(NULL, sizeof *t->ys * (size_t)(nh + 2));
	for (int k = 0; k < nv; k++)
		t->xs[k] = v[vi[k]].at;
	float top = h[hi[0]].at, bottom = top, vtop = v[vi[0]].a0, vbottom = v[vi[0]].a1;
	for (int k = 0; k < nh; k++) {
		t->ys[k] = h[hi[k]].at;
		top = fminf(top, t->ys[k]);
		bottom = fmaxf(bottom, t->ys[k]);
	}
	for (int k = 0; k < nv; k++) {
		vtop = fminf(vtop, v[vi[k]].a0);
		vbottom = fmaxf(vbottom, v[vi[k]].a1);
	}
	/* A table that goes on from the page before (or onto the next) may
	 * leave the row at the page's edge open: its columns' rules run past
	 * the last drawn line (Chromium draws no top to a page's first row).
	 * Where they end, the page closes the row. */
	int ny = nh;
	if (vtop < top - OPEN_EDGE)
		t->ys[ny++] = vtop;
	if (vbottom > bottom + OPEN_EDGE)
		t->ys[ny++] = vbottom;
	t->nx = unique_positions(t->xs, nv);
	t->ny = unique_positions(t->ys, ny);
	if (t->nx < 2 || t->ny < 2 || t->nx > MAX_GRID || t->ny > MAX_GRID) {
		free(t->xs);
		free(t->ys);
		return false;
	}
	int nc = t->nx - 1, nr = t->ny - 1;
	/* which grid edges are drawn */
	bool *vedge = calloc((size_t)nr * (size_t)t->nx, 1);	/* left edge of square (i, j) */
	bool *hedge = calloc((size_t)t->ny * (size_t)nc, 1);	/* top edge of square (i, j) */
	if (!vedge || !hedge)
		abort();
	for (int k = 0; k < nv; k++) {
		const struct lay_seg *s = &v[vi[k]];
		int j = nearest(t->xs, t->nx, s->at);
		for (int i = 0; i < nr; i++) {
			float mid = (t->ys[i] + t->ys[i + 1]) / 2;
			if (mid >= s->a0 && mid <= s->a1)
				vedge[(size_t)i * (size_t)t->nx + (size_t)j] = true;
		}
	}
	for (int k = 0; k < nh; k++) {
		const struct lay_seg *s = &h[hi[k]];
		int i = nearest(t->ys, t->ny, s->at);
		for (int j = 0; j < nc; j++) {
			float mid = (t->xs[j] + t->xs[j + 1]) / 2;
			if (mid >= s->a0 && mid <= s->a1)
				hedge[(size_t)i * (size_t)nc + (size_t)j] = true;
		}
	}
	/* squares not parted by a drawn edge are one cell */
	size_t nsq = (size_t)nr * (size_t)nc;
	t->cell = xrealloc(NULL, sizeof *t->cell * nsq);
	for (size_t q = 0; q < nsq; q++)
		t->cell[q] = (int)q;
	for (int i = 0; i < nr; i++)
		for (int j = 0; j < nc; j++) {
			int q = i * nc + j;
			if (j + 1 < nc && !vedge[(size_t)i * (size_t)t->nx + (size_t)j + 1])
				uf_join(t->cell, q, q + 1);
			if (i + 1 < nr && !hedge[(size_t)(i + 1) * (size_t)nc + (size_t)j])
				uf_join(t->cell, q, q + nc);
		}
	for (size_t q = 0; q < nsq; q++)	/* the smallest index is the top-left square */
		t->cell[q] = uf_find(t->cell, (int)q);
	free(vedge);
	free(hedge);
	t->x0 = t->xs[0];
	t->x1 = t->xs[t->nx - 1];
	t->y0 = t->ys[0];
	t->y1 = t->ys[t->ny - 1];
	return true;
}

/* The ruled tables of the page: rules that meet make one table. */
static int find_tables(struct lay_page *p, struct rtab **out)
{
	*out = NULL;
	p->nh = merge_segs(p->h, p->nh);
	p->nv = merge_segs(p->v, p->nv);
	int nh = (int)p->nh, nv = (int)p->nv;
	if (nh < 2 || nv < 2 || nh > MAX_RULES || nv > MAX_RULES)
		return 0;
	int *up = xrealloc(NULL, sizeof *up * (size_t)(nh + nv));
	for (int i = 0; i < nh + nv; i++)
		up[i] = i;
	for (int a = 0; a < nh; a++)
		for (int b = 0; b < nv; b++)
			if (meet(&p->h[a], &p->v[b]))
				uf_join(up, a, nh + b);
	int *hi = xrealloc(NULL, sizeof *hi * (size_t)nh);
	int *vi = xrealloc(NULL, sizeof *vi * (size_t)nv);
	int nt = 0;
	for (int root = 0; root < nh; root++) {	/* every table holds a horizontal rule */
		if (uf_find(up, root) != root)
			continue;
		int kh = 0, kv = 0;
		for (int a = root; a < nh; a++)
			if (uf_find(up, a) == root)
				hi[kh++] = a;
		for (int b = 0; b < nv; b++)
			if (uf_find(up, nh + b) == root)
				vi[kv++] = b;
		if (kh < 2 || kv < 2)
			continue;	/* an underline, a frame's side: not a table */
		struct rtab t;
		if (!make_table(&t, p->h, hi, kh, p->v, vi, kv))
			continue;
		*out = xrealloc(*out, sizeof **out * (size_t)(nt + 1));
		(*out)[nt++] = t;
	}
	free(up);
	free(hi);
	free(vi);
	return nt;
}

/* ---- text -------------------------------------------------------------------- */

static bool wide(uint32_t c)
{
	return c >= 0x1100 && uc_width(c, "UTF-8") == 2;
}

/* Characters a line does not start with (closing punctuation goes with the
 * character before it onto the next line) or end with (opening ones go with
 * the character after it). */
static bool no_start(uint32_t c)
{
	static const uint32_t v[] = { 0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01,
		0xFF09, 0x300B, 0x300D, 0x300F, 0x3011, 0x3015, 0x3009, 0x201D, 0x2019, 0x2026,
		0x00B7, 0xFF05, 0xFF0E, 0x3017, 0x30FC, '%', ',', '.', ';', ':', '!', '?', ')', ']', '}' };
	for (size_t i = 0; i < sizeof v / sizeof *v; i++)
		if (v[i] == c)
			return true;
	return false;
}

static bool no_end(uint32_t c)
{
	static const uint32_t v[] = { 0xFF08, 0x300A, 0x300C, 0x300E, 0x3010, 0x3014, 0x3008,
		0x201C, 0x2018, 0x3016, '(', '[', '{' };
	for (size_t i = 0; i < sizeof v / sizeof *v; i++)
		if (v[i] == c)
			return true;
	return false;
}

/* A space between two characters of a line: the content has one, or they
 * are parted by a word space.  Between a wide and a narrow character a
 * gap of about a fifth of the size is no space: word processors put it
 * there (LibreOffice's Asian autospace). */
static bool space_between(const struct lay_char *l, const struct lay_char *r)
{
	if (l->space_after)
		return true;
	float size = l->size > r->size ? l->size : r->size;
	bool cjk = wide(l->c) || wide(r->c);
	return r->x0 - l->x1 > (cjk ? 0.45f : 0.25f) * size;
}

/* Whether a line may wrap between l and r: at a space, beside a wide
 * character, but never before closing punctuation nor after opening
 * punctuation, nor between CJK closing punctuation and a word after it
 * ("革，738.6" goes onto the next line whole, as LibreOffice does). */
static bool can_break(const struct lay_char *l, const struct lay_char *r)
{
	if (space_between(l, r))
		return true;
	if (no_end(l->c) || no_start(r->c))
		return false;
	if (wide(l->c) && no_start(l->c) && !wide(r->c))
		return false;
	return wide(l->c) || wide(r->c);
}

/* Where a character's middle is: its box spans about 0.8 of its size
 * above the baseline and 0.2 below. */
static float mid_y(const struct lay_char *c) { return c->base - 0.3f * c->size; }
static float mid_x(const struct lay_char *c) { return (c->x0 + c->x1) / 2; }

/* A character and where it goes: table tab's cell, or (tab -1) outside. */
struct place {
	int tab, cell;
	const struct lay_char *c;
};

static int cmp_place(const void *a, const void *b)
{
	const struct place *x = a, *y = b;
	if (x->tab != y->tab)
		return x->tab < y->tab ? -1 : 1;
	if (x->cell != y->cell)
		return x->cell < y->cell ? -1 : 1;
	if (x->c->base != y->c->base)
		return x->c->base < y->c->base ? -1 : 1;
	return (x->c->x0 > y->c->x0) - (x->c->x0 < y->c->x0);
}

static int cmp_x(const void *a, const void *b)
{
	const struct place *x = a, *y = b;
	return (x->c->x0 > y->c->x0) - (x->c->x0 < y->c->x0);
}

/* A line of text: places [a, b), left to right. */
struct tline {
	size_t a, b;
	float x0, x1, size, base;
	float first_w, last_w;	/* its first and last word (a wide character is one) */
	bool first_wide, last_wide;
};

/* Split pl[a, b) (sorted by baseline) into lines, each sorted left to
 * right.  Returns the count; *lines is the caller's. */
static size_t split_lines(struct place *pl, size_t a, size_t b, struct tline **lines)
{
	size_t n = 0, cap = 0;
	*lines = NULL;
	size_t i = a;
	while (i < b) {
		size_t j = i + 1;
		float base = pl[i].c->base, size = pl[i].c->size;
		while (j < b && pl[j].c->base - base <= 0.5f * (size > pl[j].c->size ? size : pl[j].c->size))
			j++;
		sort(pl + i, j - i, sizeof *pl, cmp_x);
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			*lines = xrealloc(*lines, sizeof **lines * cap);
		}
		struct tline *l = &(*lines)[n++];
		memset(l, 0, sizeof *l);
		l->a = i;
		l->b = j;
		l->base = base;
		l->x0 = pl[i].c->x0;
		l->x1 = pl[j - 1].c->x1;
		for (size_t k = i; k < j; k++)
			if (pl[k].c->size > l->size)
				l->size = pl[k].c->size;
		/* its first and last words: what a wrap could not part */
		size_t k = i;
		while (k + 1 < j && !can_break(pl[k].c, pl[k + 1].c))
			k++;
		l->first_wide = wide(pl[i].c->c) || wide(pl[k].c->c);
		l->first_w = pl[k].c->x1 - pl[i].c->x0;
		k = j - 1;
		while (k > i && !can_break(pl[k - 1].c, pl[k].c))
			k--;
		l->last_wide = wide(pl[j - 1].c->c) || wide(pl[k].c->c);
		l->last_w = pl[j - 1].c->x1 - pl[k].c->x0;
		i = j;
	}
	return n;
}

static void add_uc(struct sbuf *b, uint32_t c)
{
	uint8_t u[6];
	int k = u8_uctomb(u, c, sizeof u);
	if (k > 0)
		sb_addn(b, (const char *)u, (size_t)k);
}

/* The characters pl[a, b) of one line, a space where they leave a gap. */
static void line_text(struct sbuf *b, const struct place *pl, size_t a, size_t e)
{
	for (size_t k = a; k < e; k++) {
		if (k > a && space_between(pl[k - 1].c, pl[k].c))
			sb_add(b, " ");
		add_uc(b, pl[k].c->c);
	}
}

/*
 * The text of a cell from x0 to x1 whose characters are pl[a, b): its
 * lines joined.  A line the next one's first word would have fitted after
 * ended on purpose: a line break.  Otherwise the text wrapped there: the
 * space the line ended in if it has one; else no space beside a wide
 * character, none where the line was full (a word too long for a line,
 * broken wherever it had to be), else the space the wrap took.
 */
static char *cell_text(struct place *pl, size_t a, size_t b, float x0, float x1)
{
	struct tline *L;
	size_t n = split_lines(pl, a, b, &L);
	float pad = x1 - x0;
	for (size_t i = 0; i < n; i++) {
		if (L[i].x0 - x0 < pad)
			pad = L[i].x0 - x0;
		if (x1 - L[i].x1 < pad)
			pad = x1 - L[i].x1;
	}
	if (pad < 0)
		pad = 0;
	float room = x1 - x0 - 2 * pad;
	struct sbuf s = { 0 };
	for (size_t i = 0; i < n; i++) {
		if (i > 0) {
			const struct tline *p = &L[i - 1], *q = &L[i];
			bool join_sp = !(p->last_wide || q->first_wide);
			float slack = 0.1f * q->size;
			float sp = join_sp ? 0.25f * q->size : 0;
			if (p->x1 - p->x0 + sp + q->first_w < room - slack)
				sb_add(&s, "\n");
			else if (pl[p->b - 1].c->space_after)
				sb_add(&s, " ");	/* the space the line ended in */
			else if (join_sp && p->x1 - p->x0 + (pl[q->a].c->x1 - pl[q->a].c->x0) < room - slack)
				sb_add(&s, " ");	/* room was left: the wrap took a space */
		}
		line_text(&s, pl, L[i].a, L[i].b);
	}
	free(L);
	return sb_take(&s);
}

/* ---- the page as rows -------------------------------------------------------- */

struct ocell {
	int col, colspan, rowspan;
	char *text;
};

/* A row of the page: a grid row of a table, or a line outside them. */
struct orow {
	float y;
	struct ocell *c;
	int n, cap;
	int seq;	/* ties keep the order made */
};

struct rows {
	struct orow *v;
	size_t n, cap;
};

static struct orow *new_row(struct rows *r, float y)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->v = xrealloc(r->v, sizeof *r->v * r->cap);
	}
	struct orow *o = &r->v[r->n];
	memset(o, 0, sizeof *o);
	o->y = y;
	o->seq = (int)r->n++;
	return o;
}

static void row_add(struct orow *o, int col, int colspan, int rowspan, char *text)
{
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 8;
		o->c = xrealloc(o->c, sizeof *o->c * (size_t)o->cap);
	}
	o->c[o->n++] = (struct ocell){ col, colspan, rowspan, text };
}

static int cmp_row(const void *a, const void *b)
{
	const struct orow *x = a, *y = b;
	if (x->y != y->y)
		return x->y < y->y ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static int cmp_ocell(const void *a, const void *b)
{
	const struct ocell *x = a, *y = b;
	return (x->col > y->col) - (x->col < y->col);
}

/* A segment of an outside line: places [a, b). */
struct piece {
	size_t a, b;
	float x0;
};

/* Lines outside the tables, cut into pieces at gaps wider than a
 * character; with cols (a page without rules) each piece's column is the
 * cluster of starts it belongs to, else its order in the line. */
static void outside_rows(struct rows *rows, struct place *pl, size_t a, size_t b, bool cols)
{
	struct tline *L;
	size_t n = split_lines(pl, a, b, &L);
	struct piece *pc = NULL;
	size_t np = 0, cap = 0;
	size_t *line_of = NULL;
	for (size_t i = 0; i < n; i++) {
		size_t s = L[i].a;
		for (size_t k = L[i].a + 1; k <= L[i].b; k++) {
			if (k < L[i].b) {
				const struct lay_char *l = pl[k - 1].c, *r = pl[k].c;
				float size = l->size > r->size ? l->size : r->size;
				if (r->x0 - l->x1 <= 1.0f * size)
					continue;
			}
			if (np == cap) {
				cap = cap ? cap * 2 : 64;
				pc = xrealloc(pc, sizeof *pc * cap);
				line_of = xrealloc(line_of, sizeof *line_of * cap);
			}
			pc[np] = (struct piece){ s, k, pl[s].c->x0 };
			line_of[np++] = i;
			s = k;
		}
	}
	/* columns: starts sorted, a new column where they part by more than
	 * a character */
	float *starts = NULL;
	int ncol = 0;
	if (cols && np) {
		starts = xrealloc(NULL, sizeof *starts * np);
		for (size_t k = 0; k < np; k++)
			starts[k] = pc[k].x0;
		sort(starts, np, sizeof *starts, cmp_float);
		float size = L[0].size > 1 ? L[0].size : 10;
		for (size_t k = 0; k < np; k++)
			if (ncol == 0 || starts[k] - starts[ncol - 1] > 0.9f * size)
				starts[ncol++] = starts[k];
	}
	struct orow *o = NULL;
	size_t cur = (size_t)-1;
	int order = 0;
	for (size_t k = 0; k < np; k++) {
		if (line_of[k] != cur) {
			cur = line_of[k];
			o = new_row(rows, L[cur].base - 0.8f * L[cur].size);
			order = 0;
		}
		struct sbuf t = { 0 };
		line_text(&t, pl, pc[k].a, pc[k].b);
		int col = order++;
		if (cols) {
			int c = 0;	/* the last column starting at or before it */
			while (c + 1 < ncol && starts[c + 1] <= pc[k].x0 + 0.01f)
				c++;
			col = c;
			if (o->n && o->c[o->n - 1].col >= col)
				col = o->c[o->n - 1].col + 1;
		}
		row_add(o, col, 1, 1, sb_take(&t));
	}
	free(starts);
	free(pc);
	free(line_of);
	free(L);
}

struct table *lay_page_table(struct lay_page *p, const char *name)
{
	struct rtab *tabs;
	int nt = find_tables(p, &tabs);
	struct place *pl = xrealloc(NULL, sizeof *pl * (p->nch ? p->nch : 1));
	for (size_t k = 0; k < p->nch; k++) {
		const struct lay_char *c = &p->ch[k];
		pl[k] = (struct place){ -1, -1, c };
		float x = mid_x(c), y = mid_y(c);
		for (int t = 0; t < nt; t++) {
			int j = interval(tabs[t].xs, tabs[t].nx, x);
			int i = interval(tabs[t].ys, tabs[t].ny, y);
			if (i >= 0 && j >= 0) {
				pl[k].tab = t;
				pl[k].cell = tabs[t].cell[i * (tabs[t].nx - 1) + j];
				break;
			}
		}
	}
	sort(pl, p->nch, sizeof *pl, cmp_place);

	struct rows rows = { 0 };
	size_t k = 0;
	while (k < p->nch && pl[k].tab < 0)
		k++;
	if (k > 0)
		outside_rows(&rows, pl, 0, k, nt == 0);
	/* the table rows: one per grid row holding the top of a cell with text */
	for (int t = 0; t < nt; t++) {
		const struct rtab *tb = &tabs[t];
		int nc = tb->nx - 1;
		size_t *at = calloc((size_t)tb->ny, sizeof *at);	/* row index + 1 */
		if (!at)
			abort();
		while (k < p->nch && pl[k].tab == t) {
			size_t e = k + 1;
			while (e < p->nch && pl[e].tab == t && pl[e].cell == pl[k].cell)
				e++;
			int q = pl[k].cell, i = q / nc, j = q % nc;
			int i1 = i, j1 = j;	/* the cell's far corner */
			while (j1 + 1 < nc && tb->cell[i * nc + j1 + 1] == q)
				j1++;
			while (i1 + 1 < tb->ny - 1 && tb->cell[(i1 + 1) * nc + j] == q)
				i1++;
			char *text = cell_text(pl, k, e, tb->xs[j], tb->xs[j1 + 1]);
			if (!at[i])	/* by index: the rows move as they grow */
				at[i] = (size_t)(new_row(&rows, tb->ys[i]) - rows.v) + 1;
			row_add(&rows.v[at[i] - 1], j, j1 - j + 1, i1 - i + 1, text);
			k = e;
		}
		free(at);
	}
	free(pl);
	for (int t = 0; t < nt; t++) {
		free(tabs[t].xs);
		free(tabs[t].ys);
		free(tabs[t].cell);
	}
	free(tabs);

	sort(rows.v, rows.n, sizeof *rows.v, cmp_row);
	struct table *tb = table_new(name, true);
	tb->rows_may_wrap = nt == 0;	/* without rules a cell's wrap is a new line */
	long line = 0;
	for (size_t r = 0; r < rows.n; r++) {
		struct orow *o = &rows.v[r];
		sort(o->c, (size_t)o->n, sizeof *o->c, cmp_ocell);
		struct trow *tr = table_add_row(tb, ++line);
		for (int c = 0; c < o->n; c++) {
			if (c == 0 || o->c[c].col > o->c[c - 1].col) {
				struct tcell *tc = trow_add(tr, o->c[c].col, o->c[c].text, strlen(o->c[c].text));
				tc->colspan = o->c[c].colspan;
				tc->rowspan = o->c[c].rowspan;
			}
			free(o->c[c].text);
		}
		free(o->c);
	}
	free(rows.v);
	return tb;
}
