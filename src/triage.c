/*
 * triage: the reviewer's signals (triage.h).
 *
 * Text is compared as sets of character bigrams of its NFKC form with
 * blanks, punctuation and markup taken out, so 全角/半角 variants and
 * reordered sentences change almost nothing and an edit of a few
 * characters changes a few bigrams.  A set is sketched by one-permutation
 * MinHash (one hash per bigram, TR_K bins, empty bins filled from the next
 * one), keeping 8 bits of each bin; the share of equal bins, less the
 * 1/256 that agree by chance, estimates the Jaccard similarity.  LSH:
 * forms meet only when all TR_ROWS bins of one of TR_BANDS bands agree,
 * so a copy (Jaccard ≥ 0.7) meets its original with a chance of 1 − (1 −
 * 0.7³)⁸ ≈ 97 %, unrelated texts seldom, and no pair is compared unless
 * it met.  The hash is fixed (the sketches are cached): someone who wants
 * to hide a copy from it can, by rewriting; it finds the forms that did
 * not bother.
 */
#include "config.h"
#include "triage.h"
#include "i18n.h"
#include "schema.h"
#include "target.h"
#include "ustr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <unistr.h>

const char *const tr_code_key[TR_NCODES] = {
	"SCORE_UNEARNED", "TARGET_LOW", "TARGET_FLAT", "COPIED_TEXT", "REPEATS_GOAL",
	"LAST_YEAR", "MONEY_RESULTS", "UNSPENT", "COST_FUNDS", "TOO_NEAT", "QUAL_ALL_TOP",
};
static const char *const code_title[TR_NCODES] = {
	N_("score not earned"), N_("target set low"), N_("target never raised"),
	N_("copied text"), N_("completion repeats the goal"), N_("last year's text"),
	N_("money against results"), N_("money left unspent"), N_("cost against funds"),
	N_("too neat"), N_("all top grades, no evidence"),
};
const char *const tr_text_path[TT_N] = { "goals.expected", "goals.achieved", "indicators",
					 "indicators" };

const char *tr_code_title(enum tr_code c)
{
	return c < TR_NCODES ? _(code_title[c]) : "";
}

int tr_code_find(const char *key)
{
	for (int i = 0; key && i < TR_NCODES; i++)
		if (strcmp(key, tr_code_key[i]) == 0)
			return i;
	return -1;
}

/* ---- weights (schema/triage_weights.tsv) ------------------------------------- */

static int weights[TR_NCODES];
static once_flag w_once = ONCE_FLAG_INIT;

static void load_weights(void)
{
	for (int i = 0; i < TR_NCODES; i++)
		weights[i] = 1;
	const char *p = schema_triage_weights_tsv;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char line[256];
		snprintf(line, sizeof line, "%.*s", (int)(n < 255 ? n : 255), p);
		p += n + (e ? 1 : 0);
		if (!line[0] || line[0] == '#')
			continue;
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = 0;
		int c = tr_code_find(line);
		if (c >= 0)
			weights[c] = atoi(tab + 1);
	}
}

int tr_weight(enum tr_code c)
{
	call_once(&w_once, load_weights);
	return c < TR_NCODES ? weights[c] : 0;
}

uint32_t tr_mask(const struct tr_list *l)
{
	uint32_t m = 0;
	for (size_t i = 0; l && i < l->n; i++)
		m |= 1u << l->v[i].code;
	return m;
}

int tr_mask_score(uint32_t m)
{
	int s = 0;
	for (int c = 0; c < TR_NCODES; c++)
		if (m & 1u << c)
			s += tr_weight((enum tr_code)c);
	return s;
}

int tr_score(const struct tr_list *own, const struct tr_list *cross, uint32_t *mask)
{
	uint32_t m = tr_mask(own) | tr_mask(cross);
	if (mask)
		*mask = m;
	return tr_mask_score(m);
}

/* ---- signal lists ------------------------------------------------------------------ */

void tr_list_free(struct tr_list *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}

struct tr_signal *tr_list_add(struct tr_list *l, enum tr_code code)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 4;
		l->v = realloc(l->v, l->cap * sizeof *l->v);
		if (!l->v)
			abort();
	}
	struct tr_signal *s = &l->v[l->n++];
	memset(s, 0, sizeof *s);
	s->code = code;
	return s;
}

/* Appends a path to s's fields, comma separated, if it fits. */
static void add_field(struct tr_signal *s, const char *path)
{
	size_t o = strlen(s->fields), n = strlen(path);
	if (o + n + 2 > sizeof s->fields)
		return;
	if (o)
		s->fields[o++] = ',';
	memcpy(s->fields + o, path, n + 1);
}

bool tr_points_at(const struct tr_signal *s, const char *path)
{
	size_t n = strlen(path);
	if (!n)
		return false;
	for (const char *p = s->fields; *p;) {
		const char *e = strchr(p, ',');
		size_t k = e ? (size_t)(e - p) : strlen(p);
		if (k == n && memcmp(p, path, n) == 0)
			return true;
		/* "indicators" points at every row */
		if (k == 10 && memcmp(p, "indicators", 10) == 0 && strncmp(path, "indicators[", 11) == 0)
			return true;
		p += k + (e ? 1 : 0);
	}
	return false;
}

char *tr_list_pack(const struct tr_list *l)
{
	size_t cap = 1 + l->n * (sizeof(struct tr_signal) + 64), o = 0;
	char *s = malloc(cap);
	if (!s)
		abort();
	s[0] = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct tr_signal *x = &l->v[i];
		o += (size_t)snprintf(s + o, cap - o, "%s\t%s\t%s\t%s\t%lld\t%d\n", tr_code_key[x->code],
				      x->fields, x->arg[0], x->arg[1], (long long)x->other, x->other_year);
	}
	return s;
}

static const char *cut(const char *p, char *buf, size_t len)
{
	size_t n = strcspn(p, "\t\n");
	snprintf(buf, len, "%.*s", (int)(n < len ? n : len - 1), p);
	p += n;
	return *p == '\t' ? p + 1 : p;
}

void tr_list_unpack(const char *s, struct tr_list *out)
{
	while (s && *s) {
		char key[32], other[32], year[16];
		struct tr_signal t;
		memset(&t, 0, sizeof t);
		const char *p = cut(s, key, sizeof key);
		p = cut(p, t.fields, sizeof t.fields);
		p = cut(p, t.arg[0], sizeof t.arg[0]);
		p = cut(p, t.arg[1], sizeof t.arg[1]);
		p = cut(p, other, sizeof other);
		p = cut(p, year, sizeof year);
		const char *e = strchr(p, '\n');
		s = e ? e + 1 : p + strlen(p);
		int c = tr_code_find(key);
		if (c < 0)
			continue;
		struct tr_signal *x = tr_list_add(out, (enum tr_code)c);
		*x = t;
		x->code = (enum tr_code)c;
		x->other = strtoll(other, NULL, 10);
		x->other_year = atoi(year);
	}
}

/* ---- reasons ----------------------------------------------------------------------- */

static const char *const text_kind[TT_N] = { "goal", "achieved", "deviation", "list" };

static const char *text_label(const char *kind)
{
	if (strcmp(kind, "goal") == 0)
		return _("预期目标");
	if (strcmp(kind, "achieved") == 0)
		return _("实际完成情况");
	if (strcmp(kind, "deviation") == 0)
		return _("偏差原因分析及改进措施");
	return _("the indicator list");
}

void tr_reason(const struct tr_signal *s, char *buf, size_t len)
{
	char other[32];
	snprintf(other, sizeof other, "%lld", (long long)s->other);
	const char *a = s->arg[0], *b = s->arg[1];
	switch (s->code) {
	case TR_SCORE_UNEARNED:
		snprintf(buf, len, _("scores printed %s points above what the rules give"), a);
		break;
	case TR_TARGET_LOW:
		snprintf(buf, len, _("%s indicators reached twice their target or more: the targets look set low"), a);
		break;
	case TR_TARGET_FLAT:
		snprintf(buf, len, _("the actual beat this target %1$s years running and the target never rose (since form %2$s, %3$d)"),
			 a, other, s->other_year);
		break;
	case TR_COPIED_TEXT:
		snprintf(buf, len, _("%1$s is about %2$s%% the same as form %3$s (%4$d), another project"),
			 text_label(b), a, other, s->other_year);
		break;
	case TR_REPEATS_GOAL:
		snprintf(buf, len, _("实际完成情况 repeats 预期目标 (about %s%% the same)"), a);
		break;
	case TR_LAST_YEAR:
		snprintf(buf, len, _("%1$s is about %2$s%% the same as last year's (form %3$s, %4$d)"),
			 text_label(b), a, other, s->other_year);
		break;
	case TR_MONEY_RESULTS:
		snprintf(buf, len, _("执行率 is %1$s%% but the indicators scored %2$s%% of their points"), a, b);
		break;
	case TR_UNSPENT:
		snprintf(buf, len, _("%s%% of the budget was not spent"), a);
		break;
	case TR_COST_FUNDS:
		snprintf(buf, len, _("the cost indicator's actual %1$s 万元 is above the %2$s 万元 spent"), a, b);
		break;
	case TR_TOO_NEAT:
		snprintf(buf, len, "%s", _("every actual equals its target, every score is full and no deviation is written"));
		break;
	case TR_QUAL_ALL_TOP:
		snprintf(buf, len, _("%s qualitative indicators are all at the top grade with nothing to show for it"), a);
		break;
	default:
		snprintf(buf, len, "?");
	}
}

/* ---- sketches ---------------------------------------------------------------------- */

static uint64_t mix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t hash_text(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (uint32_t)mix64(h);
}

/* A code point that carries no meaning for the comparison. */
static bool skip_cp(ucs4_t c)
{
	if (c < 0x80)
		return !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
	return (c >= 0x2000 && c <= 0x206f) || (c >= 0x3000 && c <= 0x303f) ||
	       (c >= 0xff00 && c <= 0xff0f) || (c >= 0xff1a && c <= 0xff20) || c == 0xfeff ||
	       (c >= 0xfe30 && c <= 0xfe4f) || c == 0x00a0 || c == 0x00b7;
}

#define MIN_CPS 10	/* shorter texts ("无", "已完成") are not compared */

bool tr_sketch(const char *text, uint8_t sk[TR_K])
{
	if (!text || !*text)
		return false;
	char *n = ustr_nfkc(text);
	if (!n)
		return false;
	uint32_t bin[TR_K];
	bool full[TR_K] = { false };
	size_t cps = 0;
	ucs4_t prev = 0;
	const uint8_t *p = (const uint8_t *)n, *end = p + strlen(n);
	while (*p) {
		if (*p == '<') {	/* markup: <p>, </p>, <br/> */
			const uint8_t *q = p + 1;
			while (*q && *q != '>' && *q != '<' && q - p < 12 && *q < 0x80)
				q++;
			if (*q == '>') {
				p = q + 1;
				continue;
			}
		}
		ucs4_t c;
		int k = u8_mbtouc(&c, p, (size_t)(end - p));
		p += k > 0 ? k : 1;
		if (skip_cp(c))
			continue;
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (cps++ && prev) {
			uint64_t h = mix64((uint64_t)prev << 32 | c);
			int b = (int)(h >> 58);	/* TR_K = 64 bins */
			uint32_t v = (uint32_t)h;
			if (!full[b] || v < bin[b]) {
				bin[b] = v;
				full[b] = true;
			}
		}
		prev = c;
	}
	free(n);
	if (cps < MIN_CPS)
		return false;
	/* densify: an empty bin takes the next full one's, rotated by the distance */
	for (int b = 0; b < TR_K; b++) {
		uint32_t v = 0;
		if (full[b])
			v = bin[b];
		else
			for (int d = 1; d < TR_K; d++)
				if (full[(b + d) % TR_K]) {
					v = (uint32_t)mix64(bin[(b + d) % TR_K] + (uint64_t)d * 0x100000000ULL);
					break;
				}
		sk[b] = (uint8_t)mix64(v);
	}
	return true;
}

int tr_similarity(const uint8_t a[TR_K], const uint8_t b[TR_K])
{
	int m = 0;
	for (int i = 0; i < TR_K; i++)
		m += a[i] == b[i];
	/* E[m / K] = J + (1 − J) / 256 */
	int j = (m * 256 - TR_K) * 1000 / (TR_K * 255);
	return j < 0 ? 0 : j > 1000 ? 1000 : j;
}

static int64_t band_key(int t, int b, const uint8_t *sk)
{
	uint64_t h = (uint64_t)t << 56 | (uint64_t)b << 48;
	for (int r = 0; r < TR_ROWS; r++)
		h |= (uint64_t)sk[b * TR_ROWS + r] << (8 * r);
	return (int64_t)(mix64(h) >> 1);
}

size_t tr_band_keys(const struct tr_facts *x, int64_t *keys, size_t max)
{
	size_t n = 0;
	for (int t = 0; t < TT_N; t++)
		if (x->present & 1u << t)
			for (int b = 0; b < TR_BANDS && n < max; b++)
				keys[n++] = band_key(t, b, x->sk[t]);
	return n;
}

/* ---- facts ------------------------------------------------------------------------- */

void tr_facts_free(struct tr_facts *x)
{
	free(x->rows);
	x->rows = NULL;
	x->n_rows = 0;
}

/* Layout: id(8) year(4) unit(4) group(4) present(1) sk(TT_N·TR_K) n_rows(4),
 * then per row name(4) pos(2) target(9) actual(9); little-endian. */
static void put(uint8_t **p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		*(*p)++ = (uint8_t)(v >> (8 * i));
}
static uint64_t get(const uint8_t **p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v |= (uint64_t)*(*p)++ << (8 * i);
	return v;
}
#define FACTS_HEAD (8 + 4 + 4 + 4 + 1 + TT_N * TR_K + 4)
#define FACTS_ROW (4 + 2 + 9 + 9)

size_t tr_facts_pack(const struct tr_facts *x, uint8_t **out)
{
	size_t n = FACTS_HEAD + x->n_rows * FACTS_ROW;
	uint8_t *b = malloc(n), *p = b;
	if (!b)
		abort();
	put(&p, (uint64_t)x->id, 8);
	put(&p, (uint32_t)x->year, 4);
	put(&p, x->unit, 4);
	put(&p, x->group, 4);
	put(&p, x->present, 1);
	memcpy(p, x->sk, TT_N * TR_K);
	p += TT_N * TR_K;
	put(&p, x->n_rows, 4);
	for (size_t i = 0; i < x->n_rows; i++) {
		const struct tr_row *r = &x->rows[i];
		put(&p, r->name, 4);
		put(&p, (uint16_t)r->pos, 2);
		put(&p, (uint64_t)r->target.coef, 8);
		put(&p, (uint64_t)r->target.scale, 1);
		put(&p, (uint64_t)r->actual.coef, 8);
		put(&p, (uint64_t)r->actual.scale, 1);
	}
	*out = b;
	return n;
}

bool tr_facts_unpack(const uint8_t *b, size_t n, struct tr_facts *x)
{
	memset(x, 0, sizeof *x);
	if (!b || n < FACTS_HEAD)
		return false;
	const uint8_t *p = b;
	x->id = (int64_t)get(&p, 8);
	x->year = (int)(int32_t)get(&p, 4);
	x->unit = (uint32_t)get(&p, 4);
	x->group = (uint32_t)get(&p, 4);
	x->present = (uint8_t)get(&p, 1);
	memcpy(x->sk, p, TT_N * TR_K);
	p += TT_N * TR_K;
	size_t rows = (size_t)get(&p, 4);
	if (rows > (n - FACTS_HEAD) / FACTS_ROW || n != FACTS_HEAD + rows * FACTS_ROW)
		return false;
	x->rows = rows ? malloc(rows * sizeof *x->rows) : NULL;
	if (rows && !x->rows)
		abort();
	x->n_rows = rows;
	for (size_t i = 0; i < rows; i++) {
		struct tr_row *r = &x->rows[i];
		r->name = (uint32_t)get(&p, 4);
		r->pos = (int16_t)get(&p, 2);
		r->target.coef = (int64_t)get(&p, 8);
		r->target.scale = (int)get(&p, 1);
		r->actual.coef = (int64_t)get(&p, 8);
		r->actual.scale = (int)get(&p, 1);
		if (r->target.scale > NUM_MAX_SCALE || r->actual.scale > NUM_MAX_SCALE) {
			tr_facts_free(x);
			return false;
		}
	}
	return true;
}

/* ---- one form ---------------------------------------------------------------------- */

static bool blank(const char *s)
{
	if (!s)
		return true;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

static void pct_text(num v, char *buf, size_t len)
{
	num h;
	char b[NUM_BUFSZ];
	if (num_mul(v, num_from_int(100), &h))
		snprintf(buf, len, "%s", num_fixed(h, 2, b));
	else
		snprintf(buf, len, "?");
}

/* indicators[N].score -> N, or -1 */
static int row_of(const char *path)
{
	if (strncmp(path, "indicators[", 11) != 0)
		return -1;
	return atoi(path + 11);
}

static void own_score(const struct form *f, const struct check *c, struct tr_list *out)
{
	num sum = num_from_int(0);
	struct tr_signal tmp;
	memset(&tmp, 0, sizeof tmp);
	for (size_t k = 0; k < c->n_findings; k++) {
		const struct finding *x = &c->findings[k];
		num found, expected, d;
		bool budget = strcmp(x->code, "BUDGET_SCORE_MISMATCH") == 0;
		if (!budget && strcmp(x->code, "RULE_SCORE") != 0)
			continue;
		if (num_read(x->found, 0, &found, NULL) != NUM_OK)
			continue;
		int r = row_of(x->field);
		if (!budget && r >= 0 && (size_t)r < c->n_ind && r < (int)f->n_ind)
			expected = c->ind[r].band_hi;	/* the top of what the rules accept */
		else if (num_read(x->expected, 0, &expected, NULL) != NUM_OK)
			continue;
		if (!num_sub(found, expected, &d) || num_cmp(d, num_from_int(0)) <= 0)
			continue;
		num_add(sum, d, &sum);
		add_field(&tmp, x->field);
	}
	if (num_cmp(sum, num_from_int(0)) > 0) {
		struct tr_signal *s = tr_list_add(out, TR_SCORE_UNEARNED);
		memcpy(s->fields, tmp.fields, sizeof s->fields);
		char b[NUM_BUFSZ];
		snprintf(s->arg[0], sizeof s->arg[0], "%s", num_fixed(sum, 2, b));
	}
}

static void own_target_low(const struct check *c, struct tr_list *out)
{
	struct tr_signal *s = NULL;
	int n = 0;
	for (size_t k = 0; k < c->n_findings; k++)
		if (strcmp(c->findings[k].code, "OVER_TARGET") == 0) {
			if (!s)
				s = tr_list_add(out, TR_TARGET_LOW);
			add_field(s, c->findings[k].field);
			n++;
		}
	if (s)
		snprintf(s->arg[0], sizeof s->arg[0], "%d", n);
}

static void own_money(const struct form *f, const struct check *c, struct tr_list *out)
{
	num budget, spent;
	if (target_figure(f->funds[FUND_TOTAL][FUND_BUDGET], false, &budget, NULL) != 1 ||
	    target_figure(f->funds[FUND_TOTAL][FUND_SPENT], false, &spent, NULL) != 1 ||
	    num_cmp(budget, num_from_int(0)) <= 0 || num_is_neg(spent))
		return;
	num rate;
	if (!num_div(spent, budget, &rate))
		return;
	/* 结余 over 20 %: (budget − spent) × 5 > budget */
	num left, left5;
	if (num_sub(budget, spent, &left) && num_mul(left, num_from_int(5), &left5) &&
	    num_cmp(left5, budget) > 0) {
		struct tr_signal *s = tr_list_add(out, TR_UNSPENT);
		add_field(s, "funds.total.spent");
		add_field(s, "funds.total.budget");
		num share;
		if (num_div(left, budget, &share))
			pct_text(share, s->arg[0], sizeof s->arg[0]);
	}
	/* indicators' share of their points against 执行率 */
	num sw = num_from_int(0), ss = num_from_int(0);
	for (size_t i = 0; i < f->n_ind; i++) {
		num w, sc;
		if (target_figure(f->ind[i].v[IND_WEIGHT], false, &w, NULL) == 1 &&
		    target_figure(f->ind[i].v[IND_SCORE], false, &sc, NULL) == 1) {
			num_add(sw, w, &sw);
			num_add(ss, sc, &ss);
		}
	}
	num ratio, gap, rel;
	if (num_cmp(sw, num_from_int(0)) > 0 && num_div(ss, sw, &ratio) &&
	    num_cmp(ratio, num_from_int(0)) > 0 && num_cmp(rate, (num){ 9, 1 }) < 0 &&
	    num_sub(ratio, rate, &gap) && num_div(gap, ratio, &rel) &&
	    num_cmp(rel, (num){ 5, 2 }) > 0) {
		struct tr_signal *s = tr_list_add(out, TR_MONEY_RESULTS);
		add_field(s, "funds.total.rate");
		add_field(s, "total.score");
		pct_text(rate, s->arg[0], sizeof s->arg[0]);
		pct_text(ratio, s->arg[1], sizeof s->arg[1]);
	}
	/* a cost indicator above everything spent (funds are in 万元) */
	num spent_yuan;
	if (!num_mul(spent, num_from_int(10000), &spent_yuan))
		return;
	num tol;
	if (!num_muldiv(spent_yuan, num_from_int(1005), num_from_int(1000), 2, NUM_HALF_AWAY, &tol))
		return;
	for (size_t i = 0; i < f->n_ind && i < c->n_ind; i++) {
		const char *l1 = f->ind[i].v[IND_LEVEL1], *l2 = f->ind[i].v[IND_LEVEL2];
		if (!(l1 && strstr(l1, "成本")) && !(l2 && strstr(l2, "成本")))
			continue;
		const struct reading *a = &c->ind[i].actual;
		if (a->kind != READ_NUMBER || a->uclass != UC_MONEY || num_cmp(a->base, tol) <= 0)
			continue;
		struct tr_signal *s = tr_list_add(out, TR_COST_FUNDS);
		char p[48], b[NUM_BUFSZ];
		snprintf(p, sizeof p, "indicators[%zu].actual", i);
		add_field(s, p);
		add_field(s, "funds.total.spent");
		num wan;
		if (num_div(a->base, num_from_int(10000), &wan))
			snprintf(s->arg[0], sizeof s->arg[0], "%s", num_str(wan, b));
		snprintf(s->arg[1], sizeof s->arg[1], "%s", num_str(spent, b));
	}
}

/* An actual that is only a grade word: "优", "优秀", "满意" (no evidence). */
static bool bare_word(const char *s)
{
	if (!s)
		return false;
	char *n = ustr_nfkc(s);
	size_t cps = 0;
	const uint8_t *end = n ? (const uint8_t *)n + strlen(n) : NULL;
	for (const uint8_t *p = (const uint8_t *)n; p && *p;) {
		ucs4_t c;
		int k = u8_mbtouc(&c, p, (size_t)(end - p));
		p += k > 0 ? k : 1;
		if (!skip_cp(c))
			cps++;
	}
	free(n);
	return cps <= 3;
}

static void own_neat(const struct form *f, const struct check *c, struct tr_list *out)
{
	if (f->n_ind < 3 || c->n_ind < f->n_ind)
		return;
	bool neat = true;
	int qual = 0, qual_top = 0;
	struct tr_signal q;
	memset(&q, 0, sizeof q);
	for (size_t i = 0; i < f->n_ind; i++) {
		const struct indicator *in = &f->ind[i];
		const struct ind_check *ic = &c->ind[i];
		num w, s;
		if (!blank(in->v[IND_DEVIATION]))
			neat = false;
		if (target_figure(in->v[IND_WEIGHT], false, &w, NULL) != 1 ||
		    target_figure(in->v[IND_SCORE], false, &s, NULL) != 1 || num_cmp(w, s) != 0)
			neat = false;
		const struct reading *t = &ic->target, *a = &ic->actual;
		if (t->kind == READ_NUMBER && a->kind == READ_NUMBER) {
			if (num_cmp(t->base, a->base) != 0 || t->uclass != a->uclass)
				neat = false;
		} else if (t->kind == READ_GRADE && a->kind == READ_GRADE) {
			qual++;
			if (a->grade != 0)
				neat = false;
			else if (bare_word(in->v[IND_ACTUAL]) && blank(in->v[IND_DEVIATION])) {
				qual_top++;
				char p[48];
				snprintf(p, sizeof p, "indicators[%zu].actual", i);
				add_field(&q, p);
			}
		} else
			neat = false;
	}
	if (neat) {
		struct tr_signal *s = tr_list_add(out, TR_TOO_NEAT);
		add_field(s, "indicators");
	}
	if (qual >= 2 && qual_top == qual) {
		struct tr_signal *s = tr_list_add(out, TR_QUAL_ALL_TOP);
		memcpy(s->fields, q.fields, sizeof s->fields);
		snprintf(s->arg[0], sizeof s->arg[0], "%d", qual);
	}
}

/* The form's deviation texts as one, and its indicator list as one. */
static char *joined(const struct form *f, bool deviations)
{
	size_t len = 1;
	for (size_t i = 0; i < f->n_ind; i++)
		for (int k = 0; k < IND_FIELDS; k++)
			len += (f->ind[i].v[k] ? strlen(f->ind[i].v[k]) : 0) + 3;
	char *s = malloc(len), *o = s;
	if (!s)
		abort();
	*o = 0;
	for (size_t i = 0; i < f->n_ind; i++) {
		const enum ind_field ks[3] = { IND_LEVEL2, IND_NAME, IND_TARGET };
		if (deviations) {
			const char *d = f->ind[i].v[IND_DEVIATION];
			if (!blank(d))
				o += sprintf(o, "%s。", d);
			continue;
		}
		for (int k = 0; k < 3; k++)
			if (f->ind[i].v[ks[k]])
				o += sprintf(o, "%s|", f->ind[i].v[ks[k]]);
	}
	return s;
}

static void own_facts(const struct form *f, const struct check *c, struct tr_facts *x)
{
	memset(x, 0, sizeof *x);
	x->id = f->id;
	x->year = f->year;
	x->unit = hash_text(f->unit);
	char *g = malloc(strlen(f->unit ? f->unit : "") + strlen(f->project ? f->project : "") + 2);
	if (!g)
		abort();
	sprintf(g, "%s\t%s", f->unit ? f->unit : "", f->project ? f->project : "");
	x->group = hash_text(g);
	free(g);
	char *dev = joined(f, true), *list = joined(f, false);
	const char *texts[TT_N] = { f->goals_expected, f->goals_achieved, dev, list };
	for (int t = 0; t < TT_N; t++)
		if (tr_sketch(texts[t], x->sk[t]))
			x->present |= (uint8_t)(1u << t);
	free(dev);
	free(list);
	for (size_t i = 0; i < f->n_ind && i < c->n_ind; i++) {
		const struct reading *t = &c->ind[i].target, *a = &c->ind[i].actual;
		if (t->kind != READ_NUMBER || a->kind != READ_NUMBER || t->nature != NATURE_GE ||
		    t->uclass != a->uclass || num_cmp(a->base, t->base) <= 0 || blank(f->ind[i].v[IND_NAME]))
			continue;
		x->rows = realloc(x->rows, (x->n_rows + 1) * sizeof *x->rows);
		if (!x->rows)
			abort();
		char *nn = ustr_nfkc(f->ind[i].v[IND_NAME]);
		x->rows[x->n_rows++] = (struct tr_row){ hash_text(nn), (int16_t)i, t->base, a->base };
		free(nn);
	}
}

void triage_own(const struct form *f, const struct ruleset *rs, struct check *c,
		struct tr_list *out, struct tr_facts *facts)
{
	if (!rs)
		rs = f->ruleset ? ruleset_find(f->ruleset) : NULL;
	if (!rs)
		rs = ruleset_default();
	bool ran = c && rules_run(f, rs, c) == 0;
	if (out && ran) {
		own_score(f, c, out);
		own_target_low(c, out);
		own_money(f, c, out);
		own_neat(f, c, out);
	}
	uint8_t ge[TR_K], ga[TR_K];
	if (out && tr_sketch(f->goals_expected, ge) && tr_sketch(f->goals_achieved, ga)) {
		int sim = tr_similarity(ge, ga);
		if (sim >= TR_SIMILAR) {
			struct tr_signal *s = tr_list_add(out, TR_REPEATS_GOAL);
			add_field(s, "goals.achieved");
			add_field(s, "goals.expected");
			snprintf(s->arg[0], sizeof s->arg[0], "%d", sim / 10);
		}
	}
	if (facts) {
		if (ran)
			own_facts(f, c, facts);
		else {
			memset(facts, 0, sizeof *facts);
			facts->id = f->id;
			facts->year = f->year;
		}
	}
}

/* ---- across forms ------------------------------------------------------------------ */

struct keyed {
	int64_t key, id;
	uint32_t i;
};

/* A bucket's members in the order of their form ids, whatever the order of
 * the set: so a part of the forms (the store's refresh after one change)
 * finds the same first members as the whole. */
static int by_key(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

/* Best match so far of form i's text t: idx + 1 of the other, its similarity. */
struct match {
	uint32_t copied, last;	/* 0 = none */
	int16_t copied_sim, last_sim;
};

static void consider(const struct tr_facts *set, struct match *m, int t, uint32_t i, uint32_t j)
{
	const struct tr_facts *a = &set[i], *b = &set[j];
	bool same_group = a->group == b->group;
	bool prev_year = same_group && b->year == a->year - 1;
	bool may_copy = !same_group;
	bool may_last = prev_year && (t == TT_ACHIEVED || t == TT_DEVIATION);
	if (!may_copy && !may_last)
		return;
	struct match *x = &m[(size_t)i * TT_N + (size_t)t];
	if ((may_copy && x->copied) || (may_last && x->last))
		return;
	int sim = tr_similarity(a->sk[t], b->sk[t]);
	if (sim < TR_SIMILAR)
		return;
	if (may_copy && !x->copied) {
		x->copied = j + 1;
		x->copied_sim = (int16_t)sim;
	}
	if (may_last && !x->last) {
		x->last = j + 1;
		x->last_sim = (int16_t)sim;
	}
}

static struct match *copied_matches(const struct tr_facts *set, size_t n, const bool *want)
{
	struct match *m = calloc(n * TT_N, sizeof *m);
	struct keyed *k = malloc(n * sizeof *k);
	if (!m || !k)
		abort();
	for (int t = 0; t < TT_N; t++)
		for (int b = 0; b < TR_BANDS; b++) {
			size_t nk = 0;
			for (size_t i = 0; i < n; i++)
				if (set[i].present & 1u << t)
					k[nk++] = (struct keyed){ band_key(t, b, set[i].sk[t]), set[i].id,
								  (uint32_t)i };
			qsort(k, nk, sizeof *k, by_key);
			for (size_t s = 0, e; s < nk; s = e) {
				for (e = s + 1; e < nk && k[e].key == k[s].key; e++)
					;
				if (e - s < 2)
					continue;
				for (size_t x = s; x < e; x++) {
					if (want && !want[k[x].i])
						continue;
					/* the first members of the bucket, and the neighbours */
					for (size_t y = s; y < e && y < s + TR_RUN_CAP; y++)
						if (y != x)
							consider(set, m, t, k[x].i, k[y].i);
					for (size_t y = x > s ? x - 1 : x; y <= x + 1 && y < e; y++)
						if (y != x)
							consider(set, m, t, k[x].i, k[y].i);
				}
			}
		}
	free(k);
	return m;
}

static void copied_emit(const struct tr_facts *set, const struct match *m, size_t i, struct tr_list *out)
{
	static const char *const path[TT_N] = { "goals.expected", "goals.achieved",
						 "indicators", "indicators" };
	for (int t = 0; t < TT_N; t++) {
		const struct match *x = &m[i * TT_N + (size_t)t];
		for (int w = 0; w < 2; w++) {
			uint32_t j = w ? x->last : x->copied;
			if (!j)
				continue;
			struct tr_signal *s = tr_list_add(out, w ? TR_LAST_YEAR : TR_COPIED_TEXT);
			add_field(s, path[t]);
			snprintf(s->arg[1], sizeof s->arg[1], "%s", text_kind[t]);
			snprintf(s->arg[0], sizeof s->arg[0], "%d", (w ? x->last_sim : x->copied_sim) / 10);
			s->other = set[j - 1].id;
			s->other_year = set[j - 1].year;
		}
	}
}

static const struct tr_facts *sort_set;
static int by_gy(const void *a, const void *b)
{
	const struct tr_facts *x = &sort_set[*(const uint32_t *)a], *y = &sort_set[*(const uint32_t *)b];
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	return (x->year > y->year) - (x->year < y->year);
}

static const struct tr_row *find_row(const struct tr_facts *x, uint32_t name)
{
	for (size_t i = 0; i < x->n_rows; i++)
		if (x->rows[i].name == name)
			return &x->rows[i];
	return NULL;
}

/* The forms with rows beating their target, by unit and project, then
 * year; pos[i] is form i's place in that order (or UINT32_MAX). */
struct flat_index {
	uint32_t *ix, *pos;
	size_t m;
};

static void flat_index(const struct tr_facts *set, size_t n, struct flat_index *fx)
{
	fx->ix = malloc((n ? n : 1) * sizeof *fx->ix);
	fx->pos = malloc((n ? n : 1) * sizeof *fx->pos);
	if (!fx->ix || !fx->pos)
		abort();
	fx->m = 0;
	for (size_t i = 0; i < n; i++) {
		fx->pos[i] = UINT32_MAX;
		if (set[i].n_rows)
			fx->ix[fx->m++] = (uint32_t)i;
	}
	sort_set = set;	/* qsort has no argument; triage runs on one thread */
	qsort(fx->ix, fx->m, sizeof *fx->ix, by_gy);
	for (size_t p = 0; p < fx->m; p++)
		fx->pos[fx->ix[p]] = (uint32_t)p;
}

static void flat_emit(const struct tr_facts *set, const struct flat_index *fx, size_t i,
		      struct tr_list *out)
{
	uint32_t p = fx->pos[i];
	if (p == UINT32_MAX)
		return;
	const struct tr_facts *a = &set[i];
	for (size_t r = 0; r < a->n_rows; r++) {
		const struct tr_row *cur = &a->rows[r];
		int streak = 1;
		const struct tr_facts *first = a;
		for (size_t q = p; q > 0; q--) {
			const struct tr_facts *b = &set[fx->ix[q - 1]];
			if (b->group != a->group || b->year != first->year - 1)
				break;
			const struct tr_row *prev = find_row(b, cur->name);
			if (!prev || num_cmp(cur->target, prev->target) > 0)
				break;
			streak++;
			first = b;
			cur = prev;
		}
		if (streak < 2)
			continue;
		struct tr_signal *sg = tr_list_add(out, TR_TARGET_FLAT);
		snprintf(sg->fields, sizeof sg->fields, "indicators[%d].target", a->rows[r].pos);
		snprintf(sg->arg[0], sizeof sg->arg[0], "%d", streak);
		sg->other = first->id;
		sg->other_year = first->year;
	}
}

void triage_cross_each(const struct tr_facts *set, size_t n, const bool *want,
		       void (*emit)(size_t i, const struct tr_list *cross, void *arg), void *arg)
{
	if (!n)
		return;
	struct match *m = copied_matches(set, n, want);
	struct flat_index fx;
	flat_index(set, n, &fx);
	struct tr_list l = { 0 };
	for (size_t i = 0; i < n; i++) {
		if (want && !want[i])
			continue;
		l.n = 0;
		copied_emit(set, m, i, &l);
		flat_emit(set, &fx, i, &l);
		emit(i, &l, arg);
	}
	tr_list_free(&l);
	free(fx.ix);
	free(fx.pos);
	free(m);
}

static void into(size_t i, const struct tr_list *cross, void *arg)
{
	struct tr_list *out = arg;
	for (size_t k = 0; k < cross->n; k++)
		*tr_list_add(&out[i], cross->v[k].code) = cross->v[k];
}

void triage_cross(const struct tr_facts *set, size_t n, const bool *want, struct tr_list *out)
{
	triage_cross_each(set, n, want, into, out);
}
