/*
 * rules: the checks and the scoring of spec/rules.md over one form.
 *
 * Promises: pure (no I/O, no globals written), no allocation in rules_run
 * (check_new sizes everything; a form with more rows than the check has
 * room for is refused with -1), the same result from a reused check as from
 * a new one, exact decimals through num only, findings
 * in paper order (header, funds row by row, goals, each indicator's cells
 * left to right, totals).  Messages go through gettext and are put together
 * by fmt() below, which knows only %s, %N$s and %%: rules run on every
 * keystroke, and printf is most of the cost of a run.
 *
 * Here are the rules over the parts of a form (the header, one row, the
 * totals: rules_int.h); rules_memo.c runs them over a whole form and
 * remembers what they said from one run to the next.
 */
#include "config.h"
#include "rules.h"
#include "rules_int.h"
#include "i18n.h"

#include <assert.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

const char *const severity_key[3] = { "error", "warning", "note" };

/* ---- text ---------------------------------------------------------------- */

/* Appends s to out (of size len, holding *n bytes), never cutting a
 * character in half when out is full. */
static void put(char *out, size_t len, size_t *n, const char *s)
{
	size_t k = strlen(s);
	if (*n + k >= len) {
		k = len - 1 - *n;
		while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
			k--;
	}
	memcpy(out + *n, s, k);
	*n += k;
	out[*n] = '\0';
}

/* Appends n bytes of s (whole characters) to out. */
static void putn(char *out, size_t len, size_t *n, const char *s, size_t k)
{
	if (*n + k >= len) {
		k = len - 1 - *n;
		while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
			k--;
	}
	memcpy(out + *n, s, k);
	*n += k;
	out[*n] = '\0';
}

/* A message from a (translated) format with %s, %1$s..%9$s and %%. */
static void fmt(char *out, size_t len, const char *f, const char *const *a, int na)
{
	size_t n = 0;
	int next = 0;
	out[0] = '\0';
	while (*f) {
		const char *pc = strchr(f, '%');
		if (!pc) {
			putn(out, len, &n, f, strlen(f));
			break;
		}
		putn(out, len, &n, f, (size_t)(pc - f));
		f = pc + 1;
		int idx = -1;
		if (*f == '%') {
			putn(out, len, &n, "%", 1);
			f++;
			continue;
		} else if (*f == 's') {
			idx = next++;
			f++;
		} else if (*f >= '1' && *f <= '9' && f[1] == '$' && f[2] == 's') {
			idx = *f - '1';
			f += 3;
		}
		if (idx >= 0 && idx < na && a[idx])
			put(out, len, &n, a[idx]);
	}
}

static bool blank(const char *s)
{
	if (!s)
		return true;
	for (; *s; s++)
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			continue;
		else if ((unsigned char)s[0] == 0xe3 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0x80)
			s += 2;	/* U+3000 */
		else
			return false;
	return true;
}

bool rules_blank(const char *s)
{
	return blank(s);
}

/* s for quoting in a message: cut to fit, with "…" where it was cut. */
static void quote(char *dst, size_t len, const char *s)
{
	size_t n = 0, k = s ? strlen(s) : 0;
	dst[0] = '\0';
	if (k < len) {
		putn(dst, len, &n, s ? s : "", k);
		return;
	}
	putn(dst, len - 3, &n, s, k);
	putn(dst, len, &n, "…", 3);
}

static void copy(char *dst, size_t len, const char *s)
{
	size_t n = 0;
	dst[0] = '\0';
	put(dst, len, &n, s ? s : "");
}

/* "indicators[12].score" without printf. */
/* "indicators[12]." without printf; returns its length. */
static size_t ind_prefix(char buf[48], size_t i)
{
	char digits[24];
	size_t k = sizeof digits;
	do {
		digits[--k] = (char)('0' + i % 10);
		i /= 10;
	} while (i);
	size_t nd = sizeof digits - k;	/* at most 20: 11 + 20 + 2 < 48 */
	memcpy(buf, "indicators[", 11);
	memcpy(buf + 11, digits + k, nd);
	memcpy(buf + 11 + nd, "].", 3);
	return 11 + nd + 2;
}

/* The key after a path's prefix; inline, so a literal key is a fixed copy. */
static inline void set_key(char *path, size_t at, const char *key)
{
	size_t k = strlen(key);
	assert(at + k < 48);
	memcpy(path + at, key, k + 1);
}

/* "funds.total." for a row; returns its length (the column's key goes after). */
static size_t fund_prefix(char buf[48], int row)
{
	size_t n = 0;
	buf[0] = '\0';
	put(buf, 48, &n, "funds.");
	put(buf, 48, &n, fund_row_key[row]);
	put(buf, 48, &n, ".");
	return n;
}

/* ---- translations ---------------------------------------------------------- */

/* gettext(id), looked up once per check: a run formats the same few
 * messages for every row, and a catalogue lookup costs more than the rest of
 * a row's arithmetic.  The cache is in the check (no globals); a run that
 * finds another LC_MESSAGES locale than the last empties it.  (A change of
 * $LANGUAGE inside a running program needs a new check.) */
static const char *T(struct check *c, const char *id)
{
	for (size_t i = 0; i < c->n_tr; i++)
		if (c->tr_id[i] == id)
			return c->tr_str[i];
	const char *s = gettext(id);
	if (c->n_tr < sizeof c->tr_id / sizeof c->tr_id[0]) {
		c->tr_id[c->n_tr] = id;
		c->tr_str[c->n_tr++] = s;
	}
	return s;
}

/* ---- findings ------------------------------------------------------------ */

#define ARGS(...) (const char *const[]){ __VA_ARGS__ }, (int)(sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *))

static void add(struct check *c, const char *code, enum severity sev, const char *field,
		const char *expected, const char *found, const char *msg,
		const char *const *a, int na)
{
	if (c->n_findings == c->cap_findings) {
		c->truncated = true;
		return;
	}
	struct finding *x = &c->findings[c->n_findings++];
	x->code = code;
	x->severity = sev;
	copy(x->field, sizeof x->field, field);
	copy(x->expected, sizeof x->expected, expected);
	copy(x->found, sizeof x->found, found);
	fmt(x->message, sizeof x->message, msg, a, na);
	if (sev == SEV_ERROR)
		c->errors++;
	else if (sev == SEV_WARNING)
		c->warnings++;
	else
		c->notes++;
}

/* v with dec decimals (rounded half away from zero), or with dec < 0 at
 * most 6 decimals and no trailing zeros.  num_fixed, in int64 where it
 * fits: it is called a dozen times per row. */
static char *nfmt(num a, int dec, char buf[NUM_BUFSZ])
{
	if (dec < 0) {
		if (a.scale > 6)
			a = num_round(a, 6);
		a = num_trim(a);
		dec = a.scale;
	} else if (a.scale > dec) {
		a = num_round(a, dec);
	}
	int64_t c = a.coef;
	for (int sc = a.scale; sc < dec; sc++) {
		if (c > INT64_MAX / 10 || c < -(INT64_MAX / 10))
			return num_fixed(a, dec, buf);
		c *= 10;
	}
	uint64_t u = c < 0 ? (uint64_t)0 - (uint64_t)c : (uint64_t)c;
	char tmp[32];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u || n <= dec);
	char *p = buf;
	if (c < 0)
		*p++ = '-';
	for (int i = n - 1; i >= 0; i--) {
		*p++ = tmp[i];
		if (i == dec && dec > 0)
			*p++ = '.';
	}
	*p = '\0';
	return buf;
}

static char *fix2(num v, char buf[NUM_BUFSZ])
{
	return nfmt(v, 2, buf);
}

/* A shown figure: trimmed, at most 6 decimals. */
static char *shown(num v, char buf[NUM_BUFSZ])
{
	return nfmt(v, -1, buf);
}

/* Reads a figure cell; REQUIRED / NOT_A_NUMBER findings as asked.
 * Returns true with *v when it holds a number. */
static bool figure(struct check *c, const char *path, const char *text, bool required,
		   bool pct, num *v, int *decimals)
{
	int r = target_figure(text, pct, v, decimals);
	if (r > 0)
		return true;
	if (r == 0 && required) {
		add(c, "REQUIRED", SEV_ERROR, path, NULL, NULL,
		    T(c, N_("this figure is required and is empty")), NULL, 0);
	} else if (r < 0) {
		char t[64];
		quote(t, sizeof t, text);
		enum num_err why = target_figure_error(text, pct);
		if (why == NUM_E_DECIMAL_COMMA || why == NUM_E_GROUPS || why == NUM_E_SCALE || why == NUM_E_RANGE)
			add(c, "NOT_A_NUMBER", SEV_ERROR, path, NULL, t,
			    T(c, N_("“%1$s” is not a number: %2$s")), ARGS(t, T(c, num_err_reason(why))));
		else
			add(c, "NOT_A_NUMBER", SEV_ERROR, path, NULL, t,
			    T(c, N_("“%s” is not a number: write digits only, such as 95.5")), ARGS(t));
	}
	return false;
}

static void required_text(struct check *c, const char *path, const char *text)
{
	if (blank(text))
		add(c, "REQUIRED", SEV_ERROR, path, NULL, NULL,
		    T(c, N_("this field is required and is empty")), NULL, 0);
}

/* ---- grades of the total ------------------------------------------------- */

static const char *grade_of(num total)
{
	if (num_cmp(total, num_from_int(90)) >= 0)
		return "优";
	if (num_cmp(total, num_from_int(80)) >= 0)
		return "良";
	if (num_cmp(total, num_from_int(60)) >= 0)
		return "中";
	return "差";
}

/* ---- taxonomy ------------------------------------------------------------ */

static const struct { const char *l1; const char *l2[5]; } taxonomy[] = {
	{ "产出指标", { "数量指标", "质量指标", "时效指标", "成本指标", NULL } },
	{ "成本指标", { "经济成本指标", "社会成本指标", "生态环境成本指标", NULL } },
	{ "效益指标", { "经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标", NULL } },
	{ "满意度指标", { "服务对象满意度指标", NULL } },
};
#define N_L1 (sizeof taxonomy / sizeof taxonomy[0])

/* The name without blanks and without a "(50分)" group weight. */
static void level_name(const char *s, char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = '\0';
	while (s && *s) {
		/* copy up to the next blank, "(" or a byte that may start U+3000 or "（" */
		size_t k = strcspn(s, " \t\n\r(\xe3\xef");
		putn(buf, len, &n, s, k);
		s += k;
		if (!*s)
			break;
		unsigned char c0 = (unsigned char)s[0], c1 = (unsigned char)s[1], c2 = c1 ? (unsigned char)s[2] : 0;
		if (*s == '(' || (c0 == 0xef && c1 == 0xbc && c2 == 0x88))
			break;		/* "(50分)", "（10分）" */
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			s++;
		} else if (c0 == 0xe3 && c1 == 0x80 && c2 == 0x80) {
			s += 3;		/* U+3000 */
		} else {
			size_t cl = c0 >= 0xe0 && c1 && c2 ? 3 : 1;
			putn(buf, len, &n, s, cl);
			s += cl;
		}
	}
}

static int l1_index(const char *name)
{
	for (size_t i = 0; i < N_L1; i++)
		if (strcmp(name, taxonomy[i].l1) == 0)
			return (int)i;
	return -1;
}

/* ---- judging qualitative targets ------------------------------------------ */

enum judgement { J_UNKNOWN, J_MET, J_PARTLY, J_NOT };

/* What a text says about the target: the same text, or words that say it
 * was done, partly done, or not done. */
static enum judgement judge_text(struct check *c, const char *target, const char *actual, const char **why)
{
	static const char *const nots[] = { "未完成", "未达到", "未实现", "未通过", "没有完成",
		"不合格", "未能", "尚未", "未按时" };
	static const char *const partly[] = { "基本完成", "部分完成", "基本达到", "基本实现",
		"基本满足", "部分实现", "基本合格" };
	static const char *const done[] = { "已完成", "完成", "达到", "实现", "已通过", "通过",
		"满足", "保障了", "符合", "已" };
	char t[256], a[256];
	level_name(target, t, sizeof t);	/* blanks out; "(" cuts a remark */
	level_name(actual, a, sizeof a);
	if (*a && (strcmp(t, a) == 0 || (strlen(t) >= 6 && strstr(a, t)))) {
		*why = T(c, N_("the same text as the target"));
		return J_MET;
	}
	for (size_t i = 0; i < sizeof nots / sizeof nots[0]; i++)
		if (strstr(actual, nots[i])) {
			*why = T(c, N_("the text says it was not done"));
			return J_NOT;
		}
	for (size_t i = 0; i < sizeof partly / sizeof partly[0]; i++)
		if (strstr(actual, partly[i])) {
			*why = T(c, N_("the text says it was partly done"));
			return J_PARTLY;
		}
	for (size_t i = 0; i < sizeof done / sizeof done[0]; i++)
		if (strstr(actual, done[i])) {
			*why = T(c, N_("the text says it was done"));
			return J_MET;
		}
	return J_UNKNOWN;
}

#define grade_word(s, g) (grade_scales[s].word[g])
#define grade_count(s) (grade_scales[s].n)

static enum judgement judge_grade(const struct reading *t, const struct reading *a)
{
	assert(a->kind == READ_GRADE);
	/* the actual's word on the target's scale ("中" against 高中低) */
	int ag = t->kind == READ_GRADE ? target_grade_on(a, t->scale) : -1;
	if (ag < 0)
		return a->grade == 0 ? J_MET : a->grade == grade_count(a->scale) - 1 ? J_NOT : J_UNKNOWN;
	struct reading on = *a;
	on.scale = t->scale;
	on.grade = ag;
	a = &on;
	if (t->grade < 0)
		return a->grade == 0 ? J_MET : a->grade == 1 ? J_PARTLY : J_NOT;
	if (t->scale == 3)	/* 是/否: the question decides which answer is good */
		return a->grade == t->grade ? J_MET : J_NOT;
	if (a->grade <= t->grade)
		return J_MET;
	return a->grade == t->grade + 1 ? J_PARTLY : J_NOT;
}

/* ---- one indicator ------------------------------------------------------- */


struct row {
	const char *tgt, *act;		/* raw text */
	num w;
	bool has_w;
	/* outcomes */
	bool unread_target, unread_actual, unit_mismatch, late, over, quant, dev_over;
	int over_pct;
	char over_d[NUM_BUFSZ];
	char late_t[24], late_a[24];
	num A, B;			/* for DEVIATION_MISSING's 130 % */
	/* the exact suggestion, for a printed score cut at its decimals:
	 * ex_x × w ÷ ex_y when ratio, else ex_s */
	bool ratio;
	num ex_x, ex_y, ex_s;
};

/* "95%" / "4小时" / "12" */
static void with_unit(char *buf, size_t len, num v, const char *unit)
{
	char b[NUM_BUFSZ];
	size_t n = 0;
	buf[0] = '\0';
	put(buf, len, &n, shown(v, b));
	put(buf, len, &n, unit);
}

static void date_text(char *buf, size_t len, const struct reading *r)
{
	char y[8], m[4];
	int k = 0, yy = r->year;
	for (int i = 3; i >= 0; i--, yy /= 10)
		y[i] = (char)('0' + yy % 10);
	y[4] = '\0';
	m[k++] = (char)('0' + r->month / 10);
	m[k++] = (char)('0' + r->month % 10);
	m[k] = '\0';
	size_t n = 0;
	buf[0] = '\0';
	if (r->year) {
		put(buf, len, &n, y);
		put(buf, len, &n, "-");
		put(buf, len, &n, m);
	} else {
		put(buf, len, &n, m[0] == '0' ? m + 1 : m);
		put(buf, len, &n, "月");
	}
}

static bool units_compatible(const struct reading *t, const struct reading *a, bool *use_base)
{
	*use_base = false;
	if (!*t->unit || !*a->unit)
		return true;
	if (t->uclass == a->uclass && t->uclass != UC_OTHER && t->uclass != UC_NONE) {
		*use_base = true;
		return true;
	}
	size_t lt = strlen(t->unit), la = strlen(a->unit);
	if (strcmp(t->unit, a->unit) == 0)
		return true;
	/* "个TB" against "TB" */
	if (lt > la && strcmp(t->unit + lt - la, a->unit) == 0)
		return true;
	if (la > lt && strcmp(a->unit + la - lt, t->unit) == 0)
		return true;
	return false;
}

/* score = x × w ÷ y, rounded to 2 decimals; false on overflow. */
static bool ratio_score(struct row *r, num x, num y, num w, num *out)
{
	r->ratio = true;
	r->ex_x = x;
	r->ex_y = y;
	return num_muldiv(x, w, y, 2, NUM_HALF_AWAY, out);
}

/* pct % of w, exact. */
static num pct_of(int pct, num w)
{
	num t;
	if (!num_mul(w, (num){ pct, 2 }, &t))	/* pct / 100 exactly: no division */
		return num_from_int(0);
	return num_trim(t);
}

static void band(struct check *c, struct ind_check *ic, struct row *r, enum judgement j,
		 const char *act_desc, const char *tgt_desc)
{
	const struct ruleset *rs = c->rs;
	num w = r->w;
	const char *which;
	if (j == J_MET) {
		ic->band_lo = pct_of(rs->band_met_lo, w);
		ic->band_hi = w;
		which = T(c, N_("met"));
	} else if (j == J_PARTLY) {
		ic->band_lo = pct_of(rs->band_partly_lo, w);
		ic->band_hi = pct_of(rs->band_met_lo, w);
		which = T(c, N_("partly met"));
	} else {
		ic->band_lo = num_from_int(0);
		ic->band_hi = pct_of(rs->band_partly_lo, w);
		which = T(c, N_("not met"));
	}
	ic->suggested = num_round(ic->band_hi, 2);
	ic->has_suggestion = true;
	ic->rule = T(c, N_("qualitative"));
	char s[NUM_BUFSZ], lo[NUM_BUFSZ], hi[NUM_BUFSZ];
	fmt(ic->explain, sizeof ic->explain,
	    T(c, N_("%1$s, band %2$s–%3$s (%4$s): %5$s against %6$s")),
	    ARGS(fix2(ic->suggested, s), fix2(ic->band_lo, lo), fix2(ic->band_hi, hi), which,
		 act_desc, tgt_desc));
}

static void describe_target(struct check *c, const struct reading *t, const char *raw, char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = '\0';
	if (t->kind == READ_GRADE && t->grade < 0 && strlen(raw) > 30) {
		for (int i = 0; i < grade_count(t->scale); i++)
			put(buf, len, &n, grade_word(t->scale, i));
	} else if (t->kind == READ_GRADE && t->grade < 0) {
		put(buf, len, &n, raw);
	} else if (t->kind == READ_GRADE) {
		if (t->at_least) {
			fmt(buf, len, T(c, N_("%s or better")), ARGS(grade_word(t->scale, t->grade)));
		} else {
			put(buf, len, &n, grade_word(t->scale, t->grade));
		}
	} else if (t->kind == READ_PERIOD) {
		put(buf, len, &n, "每");
		put(buf, len, &n, t->unit);
	} else if (strlen(raw) <= 30) {
		put(buf, len, &n, "“");
		put(buf, len, &n, raw);
		put(buf, len, &n, "”");
	} else {
		put(buf, len, &n, T(c, N_("the target text")));
	}
}

/* A qualitative target (grade, period, text) against the actual. */
static void qualitative(struct check *c, struct ind_check *ic, struct row *r)
{
	const struct reading *t = &ic->target, *a = &ic->actual;
	enum judgement j = J_UNKNOWN;
	const char *why = "";
	char tdesc[96];
	describe_target(c, t, r->tgt, tdesc, sizeof tdesc);
	if (a->kind == READ_GRADE) {
		j = judge_grade(t, a);
		/* an actual that names only a scale (grade -1) has no word of it */
		why = a->grade >= 0 ? grade_word(a->scale, a->grade) : "";
	} else if (t->kind == READ_PERIOD && a->kind == READ_PERIOD) {
		j = strcmp(t->unit, a->unit) == 0 ? J_MET : J_NOT;
		why = j == J_MET ? T(c, N_("the same period")) : T(c, N_("another period"));
	}
	if (j == J_UNKNOWN)
		j = judge_text(c, r->tgt, r->act, &why);
	if (j == J_UNKNOWN) {
		r->unread_actual = true;
		return;
	}
	band(c, ic, r, j, why, tdesc);
}

static void deadline(struct check *c, struct ind_check *ic, struct row *r)
{
	const struct reading *t = &ic->target, *a = &ic->actual;
	if (a->kind != READ_DATE) {
		qualitative(c, ic, r);
		return;
	}
	int tm = t->month, am = a->month;
	if (t->year && a->year)
		am += 12 * (a->year - t->year);
	char s[NUM_BUFSZ], w[NUM_BUFSZ];
	date_text(r->late_t, sizeof r->late_t, t);
	date_text(r->late_a, sizeof r->late_a, a);
	ic->has_suggestion = true;
	if (am <= tm) {
		r->ex_s = r->w;
		ic->suggested = num_round(r->w, 2);
		ic->rule = T(c, N_("deadline"));
		fmt(ic->explain, sizeof ic->explain, T(c, N_("%1$s = full weight: done %2$s, by %3$s (deadline)")),
		    ARGS(fix2(ic->suggested, s), r->late_a, r->late_t));
	} else {
		r->late = true;
		num v;
		if (!ratio_score(r, num_from_int(tm), num_from_int(am), r->w, &v))
			v = num_from_int(0);
		ic->suggested = v;
		ic->rule = T(c, N_("late"));
		char tb[16], ab[16];
		with_unit(tb, sizeof tb, num_from_int(tm), "");
		with_unit(ab, sizeof ab, num_from_int(am), "");
		fmt(ic->explain, sizeof ic->explain,
		    T(c, N_("%1$s = %2$s ÷ %3$s × %4$s (late: done %5$s, deadline %6$s)")),
		    ARGS(fix2(v, s), tb, ab, shown(r->w, w), r->late_a, r->late_t));
	}
	ic->band_lo = ic->band_hi = ic->suggested;
}

static void quantitative(struct check *c, struct ind_check *ic, struct row *r)
{
	const struct ruleset *rs = c->rs;
	const struct reading *t = &ic->target, *a = &ic->actual;
	if (a->kind != READ_NUMBER) {
		r->unread_actual = true;
		return;
	}
	bool use_base;
	if (!units_compatible(t, a, &use_base)) {
		r->unit_mismatch = true;
		return;
	}
	num A = use_base ? t->base : t->value, B = use_base ? a->base : a->value;
	r->A = A;
	r->B = B;
	r->quant = true;
	/* B as shown in A's unit */
	num Bs = a->value;
	if (use_base && strcmp(t->unit, a->unit) != 0 && !num_is_zero(t->base)) {
		num x;
		if (num_mul(B, t->value, &x) && num_div(x, t->base, &x))
			Bs = x;
	}
	char sA[NUM_BUFSZ], sB[NUM_BUFSZ], sW[NUM_BUFSZ], sS[NUM_BUFSZ], uA[48], uB[48];
	/* the figures are formatted only for the explanation that uses them */
#define FIGS() (shown(t->value, sA), shown(Bs, sB), shown(r->w, sW))
#define UNITS() (with_unit(uA, sizeof uA, t->value, t->unit), with_unit(uB, sizeof uB, Bs, t->unit))
	num w = r->w, s = w, zero = num_from_int(0);
	int cmp = num_cmp(B, A);
	bool ok = true;

	switch (t->nature) {
	case NATURE_LE:
		if (cmp <= 0 || num_is_zero(B)) {
			ic->rule = T(c, N_("reverse"));
			UNITS();
			fmt(ic->explain, sizeof ic->explain,
			    cmp <= 0 ? T(c, N_("%1$s = full weight: %2$s is within %3$s (reverse indicator)"))
				     : T(c, N_("%1$s = full weight: %2$s is zero (reverse indicator)")),
			    ARGS(fix2(w, sS), uB, uA));
		} else if (rs->reverse_linear) {
			/* (1 − (B − A)/A) × w = (2A − B) × w / A, 0 at B ≥ 2A */
			num two_a, d;
			ic->rule = T(c, N_("reverse (linear)"));
			FIGS();
			ok = num_add(A, A, &two_a) && num_sub(two_a, B, &d);
			if (ok && (num_is_neg(d) || num_is_zero(d) || num_is_neg(A) || num_is_zero(A)))
				s = zero;
			else if (ok)
				ok = ratio_score(r, d, A, w, &s);
			fmt(ic->explain, sizeof ic->explain,
			    T(c, N_("%1$s = (1 − (%2$s − %3$s) ÷ %3$s) × %4$s (reverse indicator, linear; 0 at twice the target)")),
			    ARGS(fix2(s, sS), sB, sA, sW));
		} else {
			ic->rule = T(c, N_("reverse"));
			FIGS();
			ok = ratio_score(r, A, B, w, &s);
			fmt(ic->explain, sizeof ic->explain,
			    T(c, N_("%1$s = %2$s ÷ %3$s × %4$s (reverse indicator)")),
			    ARGS(fix2(s, sS), sA, sB, sW));
		}
		break;
	case NATURE_EQ:
		ic->rule = T(c, N_("exact"));
		FIGS();
		UNITS();
		if (cmp == 0) {
			fmt(ic->explain, sizeof ic->explain,
			    T(c, N_("%1$s = full weight: %2$s equals %3$s (exact target)")), ARGS(fix2(w, sS), uB, uA));
		} else if (num_is_zero(A) || num_is_zero(B) || num_is_neg(A) || num_is_neg(B)) {
			s = zero;
			fmt(ic->explain, sizeof ic->explain,
			    T(c, N_("%1$s: %2$s against %3$s (exact target)")), ARGS(fix2(s, sS), uB, uA));
		} else {
			bool low = cmp < 0;
			ok = ratio_score(r, low ? B : A, low ? A : B, w, &s);
			fmt(ic->explain, sizeof ic->explain,
			    T(c, N_("%1$s = %2$s ÷ %3$s × %4$s (exact target)")),
			    ARGS(fix2(s, sS), low ? sB : sA, low ? sA : sB, sW));
		}
		break;
	default:	/* ≥, or no nature written: read as positive */
		if (cmp >= 0) {
			ic->rule = t->nature == NATURE_GE ? T(c, N_("positive")) : T(c, N_("positive (assumed)"));
			UNITS();
			fmt(ic->explain, sizeof ic->explain,
			    T(c, N_("%1$s = full weight: %2$s reaches %3$s (positive indicator)")),
			    ARGS(fix2(w, sS), uB, uA));
			/* rule 4: a target set too low */
			num diff, lhs, rhs;
			if (cmp > 0 && !num_is_neg(A) && !num_is_zero(A) && num_sub(B, A, &diff) &&
			    num_mul(diff, num_from_int(100), &lhs))
				for (int k = 2; k >= 0; k--) {
					if (rs->deduct_pct[k] <= 0 ||
					    !num_mul(A, num_from_int(rs->deduct_at[k]), &rhs) || num_cmp(lhs, rhs) < 0)
						continue;
					num d;
					r->over = true;
					r->over_pct = rs->deduct_pct[k];
					if (num_div(lhs, A, &d))
						nfmt(num_round(d, 2), -1, r->over_d);
					ok = num_sub(w, pct_of(rs->deduct_pct[k], w), &s);
					char pc[16];
					with_unit(pc, sizeof pc, num_from_int(rs->deduct_pct[k]), "%");
					ic->rule = T(c, N_("target set too low"));
					FIGS();
					fmt(ic->explain, sizeof ic->explain,
					    T(c, N_("%1$s = %2$s − %3$s of %2$s: %4$s is %5$s%% above %6$s (target set too low)")),
					    ARGS(fix2(s, sS), sW, pc, uB, r->over_d, uA));
					break;
				}
		} else if (num_is_zero(A) || num_is_neg(A)) {
			s = zero;
			ic->rule = T(c, N_("positive"));
			UNITS();
			fmt(ic->explain, sizeof ic->explain, T(c, N_("%1$s: %2$s against %3$s (positive indicator)")),
			    ARGS(fix2(s, sS), uB, uA));
		} else {
			ic->rule = t->nature == NATURE_GE ? T(c, N_("positive")) : T(c, N_("positive (assumed)"));
			FIGS();
			ok = ratio_score(r, B, A, w, &s);
			fmt(ic->explain, sizeof ic->explain,
			    T(c, N_("%1$s = %2$s ÷ %3$s × %4$s (positive indicator)")),
			    ARGS(fix2(s, sS), sB, sA, sW));
		}
		break;
	}
	if (!ok) {
		r->unread_actual = true;
		ic->explain[0] = '\0';
		return;
	}
	/* rule 7: never above w, never below 0 */
	r->ex_s = s;
	s = num_round(s, 2);
	if (num_cmp(s, w) > 0)
		s = w, r->ratio = false, r->ex_s = w;
	if (num_is_neg(s))
		s = zero, r->ratio = false, r->ex_s = zero;
	ic->suggested = s;
	ic->band_lo = ic->band_hi = s;
	ic->has_suggestion = true;
	/* the linear set also wants 偏差 at B ≥ pct % of A */
	num lhs, rhs;
	if (rs->deviation_over_pct > 0 && !num_is_zero(A) && !num_is_neg(A) &&
	    num_mul(B, num_from_int(100), &lhs) && num_mul(A, num_from_int(rs->deviation_over_pct), &rhs) &&
	    num_cmp(lhs, rhs) >= 0)
		r->dev_over = true;
}
#undef FIGS
#undef UNITS

static void suggest(struct check *c, struct ind_check *ic, struct row *r)
{
	const struct reading *t = &ic->target, *a = &ic->actual;
	if (t->kind == READ_EMPTY || a->kind == READ_EMPTY || !r->has_w)
		return;		/* REQUIRED / NOT_A_NUMBER say why */
	if (t->kind == READ_TEXT && (t->nature == NATURE_GE || t->nature == NATURE_LE || t->nature == NATURE_EQ)) {
		r->unread_target = true;	/* a figure was promised */
		return;
	}
	switch (t->kind) {
	case READ_NUMBER:
		quantitative(c, ic, r);
		break;
	case READ_DATE:
		deadline(c, ic, r);
		break;
	case READ_PERIOD:
	case READ_GRADE:
	case READ_TEXT:
		qualitative(c, ic, r);
		break;
	default:
		break;
	}
}

/* 一级 / 二级 against the taxonomy of form.md: the only part of a row that
 * reads the rows above it (the level names it inherits), kept apart. */
static void check_taxonomy(struct check *c, const struct indicator *in, size_t i, const char *l1,
			   const char *l2, bool l1_here, bool l2_here, bool older)
{
	char path[48], t1[64], t2[64];
	size_t pre = ind_prefix(path, i);
	int k1 = l1_index(l1);
	if (l1_here && k1 < 0) {
		set_key(path, pre, "level1");
		copy(t1, sizeof t1, in->v[IND_LEVEL1]);
		add(c, "TAXONOMY", SEV_WARNING, path, NULL, t1,
		    T(c, N_("“%s” is not a 一级指标: use 产出指标, 成本指标, 效益指标 or 满意度指标")), ARGS(t1));
	}
	if (k1 >= 0 && *l2 && (l2_here || l1_here)) {
		bool ok = false;
		for (int j = 0; taxonomy[k1].l2[j]; j++)
			if (strcmp(l2, taxonomy[k1].l2[j]) == 0)
				ok = strcmp(l2, "成本指标") != 0 || older;
		if (!ok) {
			char list[160];
			size_t n = 0;
			list[0] = '\0';
			for (int j = 0; taxonomy[k1].l2[j]; j++) {
				if (k1 == 0 && j == 3 && !older)
					continue;
				if (n)
					put(list, sizeof list, &n, "、");
				put(list, sizeof list, &n, taxonomy[k1].l2[j]);
			}
			set_key(path, pre, "level2");
			copy(t2, sizeof t2, l2);
			add(c, "TAXONOMY", SEV_WARNING, path, NULL, t2,
			    T(c, N_("“%1$s” is not a 二级指标 of %2$s: use %3$s")), ARGS(t2, taxonomy[k1].l1, list));
		}
	}
}

void rules_check_taxonomy(struct check *c, const struct form *f, size_t i, size_t j1, size_t j2,
			  bool h1, bool h2, bool older)
{
	char l1[64] = "", l2[64] = "";
	if (j1 != RULES_NONE)
		level_name(f->ind[j1].v[IND_LEVEL1], l1, sizeof l1);
	if (j2 != RULES_NONE)
		level_name(f->ind[j2].v[IND_LEVEL2], l2, sizeof l2);
	check_taxonomy(c, &f->ind[i], i, l1, l2, h1, h2, older);
}

/* v in decimal, without printf. */
static void uint_text(unsigned v, char buf[16])
{
	char d[16];
	int n = 0;
	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v && n < 15);
	for (int i = 0; i < n; i++)
		buf[i] = d[n - 1 - i];
	buf[n] = '\0';
}

/* What was read in a cell, said whole in the interface's language: the
 * reading's own note (target.h) is English pieces for explanations.  A
 * text with more than one figure is told by that note, the only place
 * target_read says so. */
static void reading_words(struct check *c, const struct reading *r, bool want_figure, char *buf,
			  size_t len)
{
	char a[16], b[16];
	buf[0] = '\0';
	switch (r->kind) {
	case READ_EMPTY:
		copy(buf, len, T(c, N_("nothing written")));
		break;
	case READ_NUMBER:
		if (r->unit[0])
			fmt(buf, len, T(c, N_("a figure in %s")), ARGS(r->unit));
		else
			copy(buf, len, T(c, N_("a figure without a unit")));
		break;
	case READ_DATE:
		uint_text((unsigned)r->year, a);
		uint_text((unsigned)r->month, b);
		if (r->year)
			fmt(buf, len, T(c, N_("the date %1$s-%2$s")), ARGS(a, b));
		else
			fmt(buf, len, T(c, N_("a month, %s")), ARGS(b));
		break;
	case READ_PERIOD:
		fmt(buf, len, T(c, N_("a recurring period, every %s")), ARGS(r->unit));
		break;
	case READ_GRADE:
		if (r->scale < 0 || r->scale >= GRADE_SCALES || r->grade >= grade_count(r->scale))
			copy(buf, len, T(c, N_("a grade")));
		else if (r->grade < 0) {
			char sc[64];
			size_t n = 0;
			sc[0] = '\0';
			for (int g = 0; g < grade_count(r->scale); g++) {
				if (g)
					put(sc, sizeof sc, &n, "/");
				put(sc, sizeof sc, &n, grade_word(r->scale, g));
			}
			fmt(buf, len, T(c, N_("the scale %s, without a grade")), ARGS(sc));
		} else {
			fmt(buf, len, r->at_least ? T(c, N_("at least the grade %s")) : T(c, N_("the grade %s")),
			    ARGS(grade_word(r->scale, r->grade)));
		}
		break;
	case READ_TEXT:
		if (strncmp(r->note, "several figures", 15) == 0)
			copy(buf, len, T(c, N_("text with several figures, none alone in the target's unit")));
		else if (want_figure)
			copy(buf, len, T(c, N_("text with no figure in the target's unit")));
		else
			copy(buf, len, T(c, N_("text that names no grade and says neither done nor not done")));
		break;
	}
}

void rules_check_name(struct check *c, const struct form *f, size_t i)
{
	char path[48];
	set_key(path, ind_prefix(path, i), "name");
	required_text(c, path, f->ind[i].v[IND_NAME]);
}

void rules_check_row(struct check *c, const struct keyhash_key *k, const struct form *f, size_t i,
		     const uint64_t d[IND_FIELDS], struct row_sum *out)
{
	const struct indicator *in = &f->ind[i];
	struct ind_check *ic = &c->ind[i];
	struct row r;
	char path[48], wpath[48], spath[48];
	/* "indicators[N]." once; each use puts its key after it */
	size_t pre = ind_prefix(path, i);
	memcpy(wpath, path, pre);
	memcpy(spath, path, pre);
	memset(&r, 0, sizeof r);
	/* everything but the readings, which are kept while their text is */
	ic->has_suggestion = false;
	ic->suggested = ic->band_lo = ic->band_hi = num_from_int(0);
	ic->rule = NULL;
	ic->explain[0] = '\0';
	r.tgt = in->v[IND_TARGET] ? in->v[IND_TARGET] : "";
	r.act = in->v[IND_ACTUAL] ? in->v[IND_ACTUAL] : "";

	/* target and actual: read again only when their text changed; a
	 * check run once (k NULL: rules_run_once) reads them and keeps no key */
	const char *unit = in->v[IND_UNIT_OF_MEASURE];
	if (!k) {
		rules_read(c, in->v[IND_TARGET], in->v[IND_NATURE], unit, &ic->target);
		if (blank(unit) && ic->target.kind == READ_NUMBER)
			unit = ic->target.unit;
		rules_read(c, in->v[IND_ACTUAL], NULL, unit, &ic->actual);
		ic->key_target = ic->key_actual = 0;
	} else {
		uint64_t kt = words_key(k, (const uint64_t[]){ 4, d[IND_TARGET], d[IND_NATURE],
							   d[IND_UNIT_OF_MEASURE] }, 4);
		if (kt != ic->key_target) {
			target_read(in->v[IND_TARGET], in->v[IND_NATURE], unit, &ic->target);
			ic->key_target = kt;
		}
		if (blank(unit) && ic->target.kind == READ_NUMBER)
			unit = ic->target.unit;
		uint64_t du = unit == in->v[IND_UNIT_OF_MEASURE] ? d[IND_UNIT_OF_MEASURE] : cell_digest(k, unit);
		uint64_t ka = words_key(k, (const uint64_t[]){ 5, d[IND_ACTUAL], du }, 3);
		if (ka != ic->key_actual) {
			target_read(in->v[IND_ACTUAL], NULL, unit, &ic->actual);
			ic->key_actual = ka;
		}
	}

	num w = { 0, 0 }, s = { 0, 0 };
	set_key(wpath, pre, "weight");
	set_key(spath, pre, "score");
	/* weight and score are read first (suggest needs w), reported in place */
	int rw = target_figure(in->v[IND_WEIGHT], false, &w, NULL);
	r.has_w = rw > 0 && !num_is_neg(w);
	r.w = w;
	suggest(c, ic, &r);

	set_key(path, pre, "target");
	if (ic->target.kind == READ_EMPTY)
		required_text(c, path, NULL);
	else if (r.unread_target) {
		char tt[64];
		quote(tt, sizeof tt, r.tgt);
		add(c, "TARGET_UNREAD", SEV_WARNING, path, NULL, tt,
		    T(c, N_("the target “%1$s” is marked %2$s but holds no figure: no suggested score")),
		    ARGS(tt, nature_symbol[ic->target.nature]));
	}

	set_key(path, pre, "actual");
	char tb[64], ab[64];
	quote(tb, sizeof tb, r.tgt);
	quote(ab, sizeof ab, r.act);
	if (ic->target.kind == READ_NUMBER && !blank(in->v[IND_UNIT_OF_MEASURE]) && strlen(tb) + strlen(ic->target.unit) < sizeof tb)
		strcat(tb, ic->target.unit);	/* "1500" of the 万元 column: "1500万元" */
	if (ic->actual.kind == READ_EMPTY) {
		required_text(c, path, NULL);
	} else if (r.unread_actual) {
		char read[160];
		reading_words(c, &ic->actual, ic->target.kind == READ_NUMBER, read, sizeof read);
		add(c, "TARGET_UNREAD", SEV_WARNING, path, tb, ab,
		    ic->target.kind == READ_NUMBER
			    ? T(c, N_("“%1$s” could not be read as a figure to set against the target %2$s (%3$s): no suggested score"))
			    : T(c, N_("“%1$s” does not say whether the target %2$s was met (%3$s): no suggested score")),
		    ARGS(ab, tb, read));
	}
	if (r.unit_mismatch)
		add(c, "UNIT_MISMATCH", SEV_WARNING, path, ic->target.unit, ic->actual.unit,
		    T(c, N_("the actual value is in %1$s and the target in %2$s, which do not convert: no suggested score")),
		    ARGS(ic->actual.unit, ic->target.unit));
	if (r.late)
		add(c, "LATE", SEV_WARNING, path, r.late_t, r.late_a,
		    T(c, N_("done %1$s, after the deadline %2$s: %3$s")), ARGS(r.late_a, r.late_t, ic->explain));
	if (r.over) {
		char pc[16];
		with_unit(pc, sizeof pc, num_from_int(r.over_pct), "%");
		add(c, "OVER_TARGET", SEV_WARNING, path, tb, ab,
		    T(c, N_("%1$s is %2$s%% above the target %3$s: the target looks set too low (rule 4 deducts %4$s of the weight)")),
		    ARGS(ab, r.over_d, tb, pc));
	}

	/* weight */
	if (rw == 0)
		add(c, "REQUIRED", SEV_ERROR, wpath, NULL, NULL, T(c, N_("this figure is required and is empty")), NULL, 0);
	else if (rw < 0)
		figure(c, wpath, in->v[IND_WEIGHT], true, false, &w, NULL);
	out->rw = rw;
	out->w = w;

	/* score */
	int sdec = 0;
	bool has_s = figure(c, spath, in->v[IND_SCORE], true, false, &s, &sdec);
	char sb[NUM_BUFSZ], wb[NUM_BUFSZ], gb[NUM_BUFSZ];
	out->has_s = has_s;
	out->s = s;
	out->add_sugg = ic->has_suggestion || has_s;
	out->sugg = ic->has_suggestion ? ic->suggested : s;
	if (has_s && r.has_w && (num_cmp(s, w) > 0 || num_is_neg(s))) {
		shown(w, wb);
		add(c, "SCORE_OVER_WEIGHT", SEV_ERROR, spath, num_is_neg(s) ? "0" : wb, shown(s, sb),
		    num_is_neg(s) ? T(c, N_("score %1$s is below 0"))
				  : T(c, N_("score %1$s is above the weight %2$s: a score never exceeds its weight (rule 1)")),
		    ARGS(sb, wb));
	} else if (has_s && ic->has_suggestion) {
		num diff;
		bool off;
		if (r.quant || r.late) {
			num_sub(s, ic->suggested, &diff);
			/* within 0.01, or the exact score rounded or cut at the
			 * decimals it is written with (rules.md, README) */
			int p = sdec > NUM_MAX_SCALE ? NUM_MAX_SCALE : sdec;
			num rnd, cut;
			bool printed_ok =
				r.ratio ? (num_muldiv(r.ex_x, w, r.ex_y, p, NUM_HALF_AWAY, &rnd) &&
					   num_cmp(rnd, s) == 0) ||
						  (num_muldiv(r.ex_x, w, r.ex_y, p, NUM_DOWN, &cut) &&
						   num_cmp(cut, s) == 0)
					: num_cmp(num_round(r.ex_s, p), s) == 0 ||
						  num_cmp(num_trunc(r.ex_s, p), s) == 0;
			off = !printed_ok && num_cmp(num_abs(diff), (num){ 1, 2 }) > 0;
		} else {
			off = num_cmp(s, ic->band_lo) < 0 || num_cmp(s, ic->band_hi) > 0;
			diff = num_from_int(num_cmp(s, ic->band_hi) > 0 ? 1 : -1);
		}
		if (off) {
			bool qual = !(r.quant || r.late);
			add(c, "RULE_SCORE", SEV_WARNING, spath, fix2(ic->suggested, gb), fix2(s, sb),
			    qual ? T(c, N_("score %1$s lies outside the band: suggested %2$s"))
				 : num_is_neg(diff) ? T(c, N_("score %1$s below suggested %2$s"))
						    : T(c, N_("score %1$s above suggested %2$s")),
			    ARGS(sb, ic->explain));
		}
	}
	if (ic->has_suggestion)
		add(c, "SUGGESTION", SEV_NOTE, spath, fix2(ic->suggested, gb), has_s ? fix2(s, sb) : "",
		    T(c, N_("suggested %s")), ARGS(ic->explain));

	/* deviation */
	set_key(path, pre, "deviation");
	if (blank(in->v[IND_DEVIATION])) {
		if (has_s && r.has_w && num_cmp(s, w) < 0)
			add(c, "DEVIATION_MISSING", SEV_ERROR, path, NULL, NULL,
			    T(c, N_("score %1$s is below the weight %2$s: 偏差原因分析及改进措施 must say why and what will be done (rule 6)")),
			    ARGS(fix2(s, sb), shown(w, wb)));
		else if (r.dev_over) {
			char pc[16];
			with_unit(pc, sizeof pc, num_from_int(c->rs->deviation_over_pct), "%");
			add(c, "DEVIATION_MISSING", SEV_ERROR, path, NULL, NULL,
			    T(c, N_("%1$s is %2$s or more of the target %3$s: this rule set wants 偏差原因分析及改进措施 to explain it")),
			    ARGS(ab, pc, tb));
		}
	}
}

/* The header, the funds and the goals, in paper order; what the totals
 * need from them goes to h. */
void rules_check_head(struct check *c, const struct form *f, const struct ruleset *rs, struct head *h)
{
	char path[48], a[NUM_BUFSZ], b[NUM_BUFSZ], d[NUM_BUFSZ];

	/* header */
	if (f->year <= 0)
		add(c, "REQUIRED", SEV_ERROR, "year", NULL, NULL, T(c, N_("the year is required")), NULL, 0);
	required_text(c, "project", f->project);
	required_text(c, "department", f->department);
	required_text(c, "unit", f->unit);

	/* funds: read every cell first, then report cell by cell */
	num (*v)[FUND_COLS] = h->v;
	int (*st)[FUND_COLS] = h->st, (*dec)[FUND_COLS] = h->dec;
	for (int row = 0; row < FUND_ROWS; row++)
		for (int col = 0; col < FUND_COLS; col++)
			st[row][col] = target_figure(f->funds[row][col], col == FUND_RATE, &v[row][col], &dec[row][col]);
	num budget_score = { 0, 0 };
	bool has_budget_score = false;
	for (int row = 0; row < FUND_ROWS; row++) {
		c->rate[row][0] = '\0';
		size_t pre = fund_prefix(path, row);
		for (int col = 0; col < FUND_COLS; col++) {
			set_key(path, pre, fund_col_key[col]);
			bool req = row == FUND_TOTAL && (col == FUND_BUDGET || col == FUND_SPENT);
			if (st[row][col] == 0 && req)
				add(c, "REQUIRED", SEV_ERROR, path, NULL, NULL, T(c, N_("this figure is required and is empty")), NULL, 0);
			if (st[row][col] < 0) {
				num dummy;
				figure(c, path, f->funds[row][col], false, col == FUND_RATE, &dummy, NULL);
			}
			/* 年度资金总额 = the rows under it, where any is filled */
			if (row == FUND_TOTAL && col <= FUND_SPENT && st[row][col] > 0) {
				num sum = { 0, 0 };
				bool any = false, ok = true;
				for (int k = 1; k < FUND_ROWS; k++)
					if (st[k][col] > 0) {
						any = true;
						ok = ok && num_add(sum, v[k][col], &sum);
					}
				if (any && ok && num_cmp(sum, v[row][col]) != 0)
					add(c, "FUNDS_SUM", SEV_ERROR, path, shown(sum, a), shown(v[row][col], b),
					    T(c, N_("年度资金总额 %1$s is not the sum %2$s of 当年财政拨款, 上年结转资金 and 其他资金")),
					    ARGS(b, a));
			}
			if (col == FUND_SPENT && st[row][FUND_BUDGET] > 0 && st[row][col] > 0 &&
			    num_cmp(v[row][col], v[row][FUND_BUDGET]) > 0)
				add(c, "SPENT_OVER_BUDGET", SEV_WARNING, path, shown(v[row][FUND_BUDGET], a),
				    shown(v[row][col], b), T(c, N_("全年执行数 %1$s is more than 全年预算数 %2$s")), ARGS(b, a));
			if (col == FUND_RATE && st[row][FUND_BUDGET] > 0 && st[row][FUND_SPENT] > 0 &&
			    !num_is_zero(v[row][FUND_BUDGET]) && !num_is_neg(v[row][FUND_BUDGET])) {
				/* B × 100 ÷ A, rounded once at each precision it is
				 * shown or printed with (never 12 decimals, then 2) */
				num B = v[row][FUND_SPENT], A = v[row][FUND_BUDGET], pct;
				if (num_muldiv(B, num_from_int(100), A, 2, NUM_HALF_AWAY, &pct)) {
					size_t n = 0;
					c->rate[row][0] = '\0';
					put(c->rate[row], sizeof c->rate[row], &n, nfmt(pct, 2, a));
					put(c->rate[row], sizeof c->rate[row], &n, "%");
					if (st[row][col] > 0) {
						/* right when it is the exact rate rounded or cut at
						 * the decimals it is printed with (rules.md) */
						int p = dec[row][col] > NUM_MAX_SCALE ? NUM_MAX_SCALE : dec[row][col];
						num rnd, cut;
						bool ok_r = num_muldiv(B, num_from_int(100), A, p, NUM_HALF_AWAY, &rnd);
						bool ok_c = num_muldiv(B, num_from_int(100), A, p, NUM_DOWN, &cut);
						size_t m = 0;
						char ex[NUM_BUFSZ + 2], fd[64];
						ex[0] = '\0';
						put(ex, sizeof ex, &m, ok_r ? nfmt(rnd, p, a) : "");
						put(ex, sizeof ex, &m, "%");
						copy(fd, sizeof fd, f->funds[row][col]);
						if (ok_r && num_cmp(rnd, v[row][col]) == 0) {
							/* rounded: right */
						} else if (ok_c && num_cmp(cut, v[row][col]) == 0) {
							add(c, "RATE_TRUNCATED", SEV_NOTE, path, ex, fd,
							    T(c, N_("执行率 %1$s is the rate cut at its decimals, not rounded (%2$s): accepted")),
							    ARGS(fd, ex));
						} else if (ok_r) {
							add(c, "RATE_MISMATCH", SEV_ERROR, path, ex, fd,
							    T(c, N_("执行率 %1$s is not 全年执行数 ÷ 全年预算数 = %2$s ÷ %3$s = %4$s")),
							    ARGS(fd, shown(B, b), shown(A, d), ex));
						}
					}
					if (row == FUND_TOTAL) {
						num w = st[row][FUND_WEIGHT] > 0 ? v[row][FUND_WEIGHT]
										  : num_from_int(rs->budget_weight);
						/* min(B ÷ A, 1) × w, rounded once */
						bool full = num_cmp(B, A) >= 0;
						num sc = w;
						if (full ? (sc = num_round(w, 2), true)
							 : num_muldiv(B, w, A, 2, NUM_HALF_AWAY, &sc)) {
							budget_score = sc;
							has_budget_score = true;
							h->budget_exact_full = full;
							copy(c->budget_score, sizeof c->budget_score, fix2(budget_score, a));
						}
					}
				}
			}
			if (row == FUND_TOTAL && col == FUND_SCORE && st[row][col] > 0 && has_budget_score) {
				/* right within 0.01 of the rule, or as the exact score
				 * rounded or cut at the decimals it is printed with */
				num diff, rnd, cut, w = st[row][FUND_WEIGHT] > 0 ? v[row][FUND_WEIGHT]
										: num_from_int(rs->budget_weight);
				num B = v[row][FUND_SPENT], A = v[row][FUND_BUDGET];
				int p = dec[row][col] > NUM_MAX_SCALE ? NUM_MAX_SCALE : dec[row][col];
				bool printed_ok =
					h->budget_exact_full
						? num_cmp(num_round(w, p), v[row][col]) == 0 ||
							  num_cmp(num_trunc(w, p), v[row][col]) == 0
						: (num_muldiv(B, w, A, p, NUM_HALF_AWAY, &rnd) &&
						   num_cmp(rnd, v[row][col]) == 0) ||
							  (num_muldiv(B, w, A, p, NUM_DOWN, &cut) &&
							   num_cmp(cut, v[row][col]) == 0);
				if (!printed_ok && num_sub(v[row][col], budget_score, &diff) &&
				    num_cmp(num_abs(diff), (num){ 1, 2 }) > 0)
					add(c, "BUDGET_SCORE_MISMATCH", SEV_ERROR, path, fix2(budget_score, a),
					    shown(v[row][col], b),
					    T(c, N_("得分 %1$s is not min(执行率, 100%%) × 分值 = %2$s (rule 7)")), ARGS(b, a));
			}
		}
	}

	/* goals */
	required_text(c, "goals.expected", f->goals_expected);
	required_text(c, "goals.achieved", f->goals_achieved);
	h->budget_score = budget_score;
	h->has_budget_score = has_budget_score;
}

/* ---- the totals ---------------------------------------------------------- */

/* What the totals say, from the header's part h and the rows added up. */
void rules_check_totals(struct check *c, const struct form *f, const struct ruleset *rs,
			const struct head *h, const struct sums *sum)
{
	const num (*v)[FUND_COLS] = h->v;
	const int (*st)[FUND_COLS] = h->st;
	num budget_score = h->budget_score;
	bool has_budget_score = h->has_budget_score;
	num sum_w = sum->w, sum_s = sum->s, sum_sugg = sum->sugg;
	bool weights_ok = sum->weights_ok, scores_ok = sum->scores_ok;
	char a[NUM_BUFSZ], b[NUM_BUFSZ], d[NUM_BUFSZ];

	c->total_score[0] = c->suggested_total[0] = '\0';
	c->grade[0] = c->suggested_grade[0] = '\0';
	num bw = st[FUND_TOTAL][FUND_WEIGHT] > 0 ? v[FUND_TOTAL][FUND_WEIGHT] : num_from_int(rs->budget_weight);
	num tw;
	if (st[FUND_TOTAL][FUND_WEIGHT] >= 0 && weights_ok && num_add(bw, sum_w, &tw) &&
	    num_cmp(tw, num_from_int(100)) != 0)
		add(c, "WEIGHT_SUM", SEV_ERROR, "total.weight", "100", shown(tw, a),
		    T(c, N_("weights add up to %1$s (budget %2$s + indicators %3$s): they must make 100")),
		    ARGS(a, shown(bw, b), shown(sum_w, d)));

	num ts, printed_budget = budget_score;
	if (st[FUND_TOTAL][FUND_SCORE] > 0)
		printed_budget = v[FUND_TOTAL][FUND_SCORE];
	bool have_total = (has_budget_score || st[FUND_TOTAL][FUND_SCORE] > 0) && num_add(printed_budget, sum_s, &ts);
	if (have_total) {
		copy(c->total_score, sizeof c->total_score, fix2(ts, a));
		copy(c->grade, sizeof c->grade, grade_of(ts));
	}
	num sg;
	if (has_budget_score && num_add(budget_score, sum_sugg, &sg)) {
		copy(c->suggested_total, sizeof c->suggested_total, fix2(sg, a));
		copy(c->suggested_grade, sizeof c->suggested_grade, grade_of(sg));
	}
	num pts;
	int tdec = 0;
	int rts = target_figure(f->total_score, false, &pts, &tdec);
	if (rts < 0)
		figure(c, "total.score", f->total_score, false, false, &pts, NULL);
	if (target_figure(f->total_weight, false, &tw, NULL) < 0)
		figure(c, "total.weight", f->total_weight, false, false, &tw, NULL);
	if (rts > 0 && have_total && scores_ok) {
		/* right within 0.01, or as the sum rounded or cut at its decimals */
		num diff;
		int p = tdec > NUM_MAX_SCALE ? NUM_MAX_SCALE : tdec;
		bool printed_ok = num_cmp(num_round(ts, p), pts) == 0 || num_cmp(num_trunc(ts, p), pts) == 0;
		if (!printed_ok && num_sub(pts, ts, &diff) && num_cmp(num_abs(diff), (num){ 1, 2 }) > 0)
			add(c, "TOTAL_MISMATCH", SEV_ERROR, "total.score", fix2(ts, a), shown(pts, b),
			    T(c, N_("总分 %1$s is not the budget score plus the indicator scores = %2$s")), ARGS(b, a));
	}
	if (rts > 0 && !blank(f->total_grade)) {
		const char *g = grade_of(pts);
		char fg[16];
		level_name(f->total_grade, fg, sizeof fg);
		if (strcmp(fg, g) != 0)
			add(c, "TOTAL_MISMATCH", SEV_ERROR, "total.grade", g, fg,
			    T(c, N_("grade %1$s does not go with 总分 %2$s: 优 from 90, 良 from 80, 中 from 60, else 差")),
			    ARGS(fg, shown(pts, b)));
	}
}

size_t rules_findings_for(const struct check *c, const char *path,
			  const struct finding **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < c->n_findings; i++)
		if (strcmp(c->findings[i].field, path) == 0) {
			if (n < max)
				out[n] = &c->findings[i];
			n++;
		}
	return n;
}
