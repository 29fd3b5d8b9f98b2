/*
 * form: the model in memory (see form.h).  Field paths are parsed here and
 * nowhere else, so every face of jxzp names fields the same way.
 */
#include "config.h"
#include "form.h"
#include "i18n.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

const char *const fund_row_key[FUND_ROWS] = { "total", "appropriation", "carryover", "other" };
const char *const fund_row_label[FUND_ROWS] = {
	"年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金",
};
const char *const fund_col_key[FUND_COLS] = { "initial", "budget", "spent", "weight", "rate", "score" };
const char *const fund_col_label[FUND_COLS] = {
	"年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率", "得分",
};
const char *const ind_field_key[IND_FIELDS] = {
	"level1", "level2", "name", "nature", "target",
	"unit_of_measure", "actual", "weight", "score", "deviation",
};
const char *const ind_field_label[IND_FIELDS] = {
	"一级指标", "二级指标", "三级指标", "绩效指标性质", "年度指标值（A）",
	"绩效度量单位", "实际完成值（B）", "分值", "得分", "偏差原因分析及改进措施",
};
const char *const status_key[4] = { "draft", "submitted", "returned", "approved" };

const struct layout layouts[] = {
	{ "beijing-2021", true, false, false, true,
	  N_("municipal, 2021 (group weights in 一级指标)") },
	{ "district-2023", true, false, false, false,
	  N_("district, 2023 (项目负责人 and 联系电话)") },
	{ "district-2024", false, true, true, false,
	  N_("district, 2024 (绩效指标性质 and 绩效度量单位 columns)") },
	{ NULL, false, false, false, false, NULL },
};

const struct layout *layout_find(const char *key)
{
	for (const struct layout *l = layouts; key && l->key; l++)
		if (strcmp(l->key, key) == 0)
			return l;
	return NULL;
}

char *xstrdup(const char *s)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		abort();	/* out of memory: nothing sensible to do */
	return d;
}

void set_str(char **slot, const char *value)
{
	char *old = *slot;
	*slot = xstrdup(value);
	free(old);
}

static void random_bytes(unsigned char *b, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = getrandom(b + got, len - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			abort();	/* no randomness: identities would collide */
		got += (size_t)n;
	}
}

/*
 * RFC 9562 UUIDv7: 48 bits of Unix milliseconds, the version, a 12-bit
 * counter in rand_a (§6.2 method 1), the variant, 62 random bits.  Made in
 * time order, a uuid sorts after the ones made before it, so an import
 * appends to the right edge of every index keyed on them (form, fund,
 * indicator, history, triage...) instead of dirtying a random page of each
 * per row: at 10^6 forms those pages had left the cache and were read back.
 * The counter starts at a random value below 2048 each millisecond (room
 * for 2048 more); past 4095 it borrows the next millisecond, and a clock
 * that steps back keeps the last one, so uuids from one process increase.
 */
void uuid_make_at(char out[37], uint64_t now_ms)
{
	static uint64_t last_ms;
	static unsigned counter;
	unsigned char b[16];
	random_bytes(b + 6, 10);
	if (now_ms > last_ms) {
		last_ms = now_ms;
		counter = (unsigned)((b[6] << 8 | b[7]) & 0x7ff);
	} else if (++counter > 0xfff) {
		last_ms++;
		counter = (unsigned)((b[6] << 8 | b[7]) & 0x7ff);
	}
	uint64_t ms = last_ms & 0xffffffffffffULL;
	for (int i = 0; i < 6; i++)
		b[i] = (unsigned char)(ms >> (40 - 8 * i));
	b[6] = (unsigned char)(0x70 | (counter >> 8));
	b[7] = (unsigned char)(counter & 0xff);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	/* 8-4-4-4-12 by hand: snprintf took 6,000 instructions a uuid, and
	 * import makes one per form and per indicator row */
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 15];
	}
	out[o] = '\0';
}

void uuid_make(char out[37])
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uuid_make_at(out, (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000);
}

struct form *form_new(void)
{
	struct form *f = calloc(1, sizeof *f);
	if (!f)
		abort();
	uuid_make(f->uuid);
	f->layout = xstrdup(DEFAULT_LAYOUT);
	f->ruleset = xstrdup(DEFAULT_RULESET);
	return f;
}

/* Every owned string slot of the header, in paper order with its path. */
struct slot {
	const char *path;
	size_t off;
};
#define S(path, member) { path, offsetof(struct form, member) }
static const struct slot header_slots[] = {
	S("project", project), S("department", department), S("unit", unit),
	S("lead", lead), S("phone", phone),
	S("goals.expected", goals_expected), S("goals.achieved", goals_achieved),
	S("total.weight", total_weight), S("total.score", total_score),
	S("total.grade", total_grade),
	S("layout", layout), S("ruleset", ruleset),
};
#undef S
#define N_HEADER (sizeof header_slots / sizeof header_slots[0])

static char **slot_ptr(const struct form *f, const struct slot *s)
{
	return (char **)((char *)f + s->off);
}

static void indicator_clear(struct indicator *in)
{
	for (int i = 0; i < IND_FIELDS; i++)
		free(in->v[i]);
	memset(in, 0, sizeof *in);
}

void form_free(struct form *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < N_HEADER; i++)
		free(*slot_ptr(f, &header_slots[i]));
	for (int r = 0; r < FUND_ROWS; r++)
		for (int c = 0; c < FUND_COLS; c++)
			free(f->funds[r][c]);
	for (size_t i = 0; i < f->n_ind; i++)
		indicator_clear(&f->ind[i]);
	free(f->ind);
	free(f->updated);
	free(f->return_reason);
	free(f);
}

struct form *form_copy(const struct form *f)
{
	struct form *c = calloc(1, sizeof *c);
	if (!c)
		abort();
	c->id = f->id;
	memcpy(c->uuid, f->uuid, sizeof c->uuid);
	c->version = f->version;
	c->status = f->status;
	c->year = f->year;
	c->updated = xstrdup(f->updated);
	c->return_reason = xstrdup(f->return_reason);
	for (size_t i = 0; i < N_HEADER; i++)
		*slot_ptr(c, &header_slots[i]) = xstrdup(*slot_ptr(f, &header_slots[i]));
	for (int r = 0; r < FUND_ROWS; r++)
		for (int k = 0; k < FUND_COLS; k++)
			c->funds[r][k] = xstrdup(f->funds[r][k]);
	for (size_t i = 0; i < f->n_ind; i++) {
		struct indicator *in = form_add_indicator(c, i);
		memcpy(in->uuid, f->ind[i].uuid, sizeof in->uuid);
		for (int k = 0; k < IND_FIELDS; k++)
			in->v[k] = xstrdup(f->ind[i].v[k]);
	}
	return c;
}

struct form *form_carry_forward(const struct form *f, int year)
{
	/* what a unit plans stays, what happened in the year goes: the new
	 * year's figures are typed afresh, never inherited by mistake */
	struct form *c = form_new();	/* fresh uuid, draft, id 0 */
	c->year = year;
	set_str(&c->project, f->project);
	set_str(&c->department, f->department);
	set_str(&c->unit, f->unit);
	set_str(&c->lead, f->lead);
	set_str(&c->phone, f->phone);
	if (f->layout)	/* else form_new's defaults */
		set_str(&c->layout, f->layout);
	if (f->ruleset)
		set_str(&c->ruleset, f->ruleset);
	set_str(&c->goals_expected, f->goals_expected);
	for (int r = 0; r < FUND_ROWS; r++)
		c->funds[r][FUND_WEIGHT] = xstrdup(f->funds[r][FUND_WEIGHT]);
	c->total_weight = xstrdup(f->total_weight);
	static const enum ind_field kept[] = {
		IND_LEVEL1, IND_LEVEL2, IND_NAME, IND_NATURE, IND_TARGET,
		IND_UNIT_OF_MEASURE, IND_WEIGHT,
	};
	for (size_t i = 0; i < f->n_ind; i++) {
		struct indicator *in = form_add_indicator(c, i);	/* fresh row uuid */
		if (!in)
			abort();
		for (size_t k = 0; k < sizeof kept / sizeof kept[0]; k++)
			in->v[kept[k]] = xstrdup(f->ind[i].v[kept[k]]);
	}
	assert(c->n_ind == f->n_ind && c->status == STATUS_DRAFT && c->id == 0);
	return c;
}

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static int cmp_field(const char *path, const char *value, void *arg)
{
	char scratch[FORM_SCRATCH];
	return !str_eq(value, form_get(arg, path, scratch));
}

bool form_equal(const struct form *a, const struct form *b)
{
	if (a->n_ind != b->n_ind || a->status != b->status ||
	    !str_eq(a->return_reason, b->return_reason))
		return false;
	return form_each_field(a, cmp_field, (void *)b) == 0;
}

/* ---- paths ------------------------------------------------------------ */

/* Where a path points: a string slot, or the year. */
struct target {
	char **slot;
	bool is_year;
};

static int parse_index(const char *p, size_t *idx, const char **rest)
{
	if (*p < '0' || *p > '9')
		return -1;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(p, &end, 10);
	if (errno || *end != ']' || end[1] != '.' || v > 1000000)
		return -1;
	*idx = (size_t)v;
	*rest = end + 2;
	return 0;
}

static int resolve(const struct form *f, const char *path, struct target *t, const char **err)
{
	t->slot = NULL;
	t->is_year = false;
	if (strcmp(path, "year") == 0) {
		t->is_year = true;
		return 0;
	}
	for (size_t i = 0; i < N_HEADER; i++)
		if (strcmp(path, header_slots[i].path) == 0) {
			t->slot = slot_ptr(f, &header_slots[i]);
			return 0;
		}
	if (strncmp(path, "funds.", 6) == 0) {
		const char *p = path + 6;
		for (int r = 0; r < FUND_ROWS; r++) {
			size_t n = strlen(fund_row_key[r]);
			if (strncmp(p, fund_row_key[r], n) || p[n] != '.')
				continue;
			for (int c = 0; c < FUND_COLS; c++)
				if (strcmp(p + n + 1, fund_col_key[c]) == 0) {
					t->slot = (char **)&f->funds[r][c];
					return 0;
				}
		}
	}
	if (strncmp(path, "indicators[", 11) == 0) {
		size_t idx;
		const char *rest;
		if (parse_index(path + 11, &idx, &rest) == 0) {
			if (idx >= f->n_ind) {
				*err = N_("no indicator row with that number");
				return -1;
			}
			for (int k = 0; k < IND_FIELDS; k++)
				if (strcmp(rest, ind_field_key[k]) == 0) {
					t->slot = &f->ind[idx].v[k];
					return 0;
				}
		}
	}
	*err = N_("unknown field path");
	return -1;
}

bool form_path_valid(const struct form *f, const char *path)
{
	struct target t;
	const char *err;
	return resolve(f, path, &t, &err) == 0;
}

const char *form_get(const struct form *f, const char *path, char scratch[FORM_SCRATCH])
{
	struct target t;
	const char *err;
	if (resolve(f, path, &t, &err) < 0)
		return NULL;
	if (t.is_year) {
		if (f->year == 0)
			return NULL;
		snprintf(scratch, FORM_SCRATCH, "%d", f->year);
		return scratch;
	}
	return *t.slot;
}

int form_set(struct form *f, const char *path, const char *value, const char **err)
{
	struct target t;
	if (resolve(f, path, &t, err) < 0)
		return -1;
	if (t.is_year) {
		char *end;
		long y = value ? strtol(value, &end, 10) : 0;
		if (!value || *end || end == value || y < 1900 || y > 2999) {
			*err = N_("the year must be a number such as 2024");
			return -1;
		}
		f->year = (int)y;
		return 0;
	}
	if ((strcmp(path, "layout") == 0 && !layout_find(value))) {
		*err = N_("unknown layout (beijing-2021, district-2023, district-2024)");
		return -1;
	}
	if (strcmp(path, "ruleset") == 0 && (!value || !*value)) {
		*err = N_("a rule set needs a name");
		return -1;
	}
	set_str(t.slot, value);
	return 0;
}

int form_each_field(const struct form *f,
		    int (*fn)(const char *path, const char *value, void *arg), void *arg)
{
	char path[64], scratch[FORM_SCRATCH];
	int rc;
	if ((rc = fn("year", form_get(f, "year", scratch), arg)))
		return rc;
	for (size_t i = 0; i < 5; i++)	/* project .. phone */
		if ((rc = fn(header_slots[i].path, *slot_ptr(f, &header_slots[i]), arg)))
			return rc;
	for (int r = 0; r < FUND_ROWS; r++)
		for (int c = 0; c < FUND_COLS; c++) {
			snprintf(path, sizeof path, "funds.%s.%s", fund_row_key[r], fund_col_key[c]);
			if ((rc = fn(path, f->funds[r][c], arg)))
				return rc;
		}
	for (size_t i = 5; i < 7; i++)	/* goals */
		if ((rc = fn(header_slots[i].path, *slot_ptr(f, &header_slots[i]), arg)))
			return rc;
	for (size_t n = 0; n < f->n_ind; n++)
		for (int k = 0; k < IND_FIELDS; k++) {
			snprintf(path, sizeof path, "indicators[%zu].%s", n, ind_field_key[k]);
			if ((rc = fn(path, f->ind[n].v[k], arg)))
				return rc;
		}
	for (size_t i = 7; i < N_HEADER; i++)	/* total, layout, ruleset */
		if ((rc = fn(header_slots[i].path, *slot_ptr(f, &header_slots[i]), arg)))
			return rc;
	return 0;
}

/* indicators[N]REST with N digits: N and REST, else false. */
static bool split_row(const char *path, unsigned long long *n, const char **rest)
{
	if (strncmp(path, "indicators[", 11) != 0 || path[11] < '0' || path[11] > '9')
		return false;
	char *end;
	errno = 0;
	*n = strtoull(path + 11, &end, 10);
	if (errno || *end != ']' || *n > 1000000)
		return false;
	*rest = end;
	return true;
}

char *form_path_in(const char *user, char *out, size_t len, const char **err)
{
	unsigned long long n;
	const char *rest;
	if (!split_row(user, &n, &rest)) {
		snprintf(out, len, "%s", user);
		return out;
	}
	if (n == 0) {
		if (err)
			*err = N_("indicator rows are numbered from 1, as on screen: the first row is indicators[1]");
		snprintf(out, len, "%s", user);
		return NULL;
	}
	snprintf(out, len, "indicators[%llu%s", n - 1, rest);
	return out;
}

char *form_path_out(const char *path, char *out, size_t len)
{
	unsigned long long n;
	const char *rest;
	if (split_row(path, &n, &rest))
		snprintf(out, len, "indicators[%llu%s", n + 1, rest);
	else
		snprintf(out, len, "%s", path);
	return out;
}

void form_ind_path(char *buf, size_t len, size_t i, int f)
{
	snprintf(buf, len, "indicators[%zu].%s", i, ind_field_key[f]);
}

const char *form_path_label(const char *path, char *buf, size_t len)
{
	static const struct { const char *path, *label; } header[] = {
		{ "year", "年度" }, { "project", "项目名称" }, { "department", "主管部门" },
		{ "unit", "实施单位" }, { "lead", "项目负责人" }, { "phone", "联系电话" },
		{ "goals.expected", "年度总体目标·预期目标" },
		{ "goals.achieved", "年度总体目标·实际完成情况" },
		{ "total.weight", "总分·分值" }, { "total.score", "总分·得分" },
		{ "total.grade", "总分·等级" }, { "layout", "表样" }, { "ruleset", "评分规则" },
	};
	for (size_t i = 0; i < sizeof header / sizeof header[0]; i++)
		if (strcmp(path, header[i].path) == 0) {
			snprintf(buf, len, "%s", header[i].label);
			return buf;
		}
	if (strncmp(path, "funds.", 6) == 0)	/* funds.ROW.COL, read in place (the status line asks per key) */
		for (int r = 0; r < FUND_ROWS; r++) {
			size_t n = strlen(fund_row_key[r]);
			if (strncmp(path + 6, fund_row_key[r], n) != 0 || path[6 + n] != '.')
				continue;
			for (int c = 0; c < FUND_COLS; c++)
				if (strcmp(path + 7 + n, fund_col_key[c]) == 0) {
					snprintf(buf, len, "%s·%s", fund_row_label[r], fund_col_label[c]);
					return buf;
				}
		}
	size_t idx;
	const char *rest;
	if (strncmp(path, "indicators[", 11) == 0 && parse_index(path + 11, &idx, &rest) == 0)
		for (int k = 0; k < IND_FIELDS; k++)
			if (strcmp(rest, ind_field_key[k]) == 0) {
				snprintf(buf, len, "第%zu行·%s", idx + 1, ind_field_label[k]);
				return buf;
			}
	snprintf(buf, len, "%s", path);
	return buf;
}

/* ---- indicator rows ------------------------------------------------------ */

struct indicator *form_add_indicator(struct form *f, size_t at)
{
	assert(at <= f->n_ind);
	if (f->n_ind == f->cap_ind) {
		size_t cap = f->cap_ind ? f->cap_ind * 2 : 8;
		struct indicator *p = realloc(f->ind, cap * sizeof *p);
		if (!p)
			return NULL;
		f->ind = p;
		f->cap_ind = cap;
	}
	memmove(&f->ind[at + 1], &f->ind[at], (f->n_ind - at) * sizeof *f->ind);
	f->n_ind++;
	memset(&f->ind[at], 0, sizeof f->ind[at]);
	uuid_make(f->ind[at].uuid);
	return &f->ind[at];
}

void form_del_indicator(struct form *f, size_t at)
{
	assert(at < f->n_ind);
	indicator_clear(&f->ind[at]);
	memmove(&f->ind[at], &f->ind[at + 1], (f->n_ind - at - 1) * sizeof *f->ind);
	f->n_ind--;
}

void form_move_indicator(struct form *f, size_t from, size_t to)
{
	assert(from < f->n_ind && to < f->n_ind);
	struct indicator tmp = f->ind[from];
	if (from < to)
		memmove(&f->ind[from], &f->ind[from + 1], (to - from) * sizeof tmp);
	else
		memmove(&f->ind[to + 1], &f->ind[to], (from - to) * sizeof tmp);
	f->ind[to] = tmp;
}
