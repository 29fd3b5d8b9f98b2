/* Unit tests of the review: every status move the workflow allows and every
 * one it refuses (from each status to each status, at the store and through
 * the doc), the history rows each move writes (who, when, old and new), edits
 * refused on submitted and approved forms, saves and moves refused on a stale
 * version, the 执行率 the doc caches for the pager, comments, and the
 * per unit and year summary with figures worked out by hand. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doc.h"

struct fx {
	char dir[64];
	char path[128];
	struct store *s;
	int64_t id;
};

static void set(struct form *f, const char *path, const char *value)
{
	const char *err = NULL;
	if (form_set(f, path, value, &err) != 0)
		fail_msg("form_set %s: %s", path, err);
}

/* A form without errors: budget 10 + 50 + 30 + 10 = 100 (as test_doc). */
static struct form *clean_form(const char *unit, int year, const char *project,
			       const char *budget, const char *spent)
{
	struct form *f = form_new();
	char y[8];
	snprintf(y, sizeof y, "%d", year);
	set(f, "year", y);
	set(f, "project", project);
	set(f, "department", "北京市朝阳区人民政府");
	set(f, "unit", unit);
	set(f, "funds.total.initial", budget);
	set(f, "funds.total.budget", budget);
	set(f, "funds.total.spent", spent);
	set(f, "funds.total.weight", "10");
	set(f, "funds.total.score", "10");
	set(f, "goals.expected", "完成全年运维。");
	set(f, "goals.achieved", "已完成全年运维。");
	static const char *const rows[3][10] = {
		{ "产出指标", "数量指标", "运维设备数量", "≥", "50", "台", "50", "50", "50", "" },
		{ "效益指标", "社会效益指标", "系统可用率", "≥", "99", "%", "99.5", "30", "30", "" },
		{ "满意度指标", "服务对象满意度指标", "用户满意度", "≥", "90", "%", "95", "10", "10", "" },
	};
	for (size_t i = 0; i < 3; i++) {
		struct indicator *in = form_add_indicator(f, i);
		assert_non_null(in);
		for (int k = 0; k < IND_FIELDS; k++)
			in->v[k] = xstrdup(rows[i][k]);
	}
	set(f, "total.weight", "100");
	set(f, "total.score", "100");
	set(f, "total.grade", "优");
	return f;
}

static int64_t add(struct store *s, struct form *f)
{
	assert_int_equal(store_insert(s, f), STORE_OK);
	assert_int_equal(doc_refresh_summary(s, f), STORE_OK);
	int64_t id = f->id;
	form_free(f);
	return id;
}

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof *x);
	snprintf(x->dir, sizeof x->dir, "/tmp/jxzp-review.XXXXXX");
	assert_non_null(mkdtemp(x->dir));
	snprintf(x->path, sizeof x->path, "%s/t.db", x->dir);
	char err[256];
	int code;
	x->s = store_open(x->path, err, sizeof err, &code);
	if (!x->s)
		fail_msg("store_open: %s", err);
	x->id = add(x->s, clean_form("朝阳区测试单位", 2024, "测试项目", "100", "100"));
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;
	store_close(x->s);
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", x->dir);
	assert_int_equal(system(cmd), 0);
	free(x);
	return 0;
}

/* Who the store writes as the author: the user database, else $LOGNAME, $USER. */
static const char *os_user_name(void)
{
	struct passwd *pw = getpwuid(geteuid());
	const char *u = pw && pw->pw_name && *pw->pw_name ? pw->pw_name : NULL;
	if (!u || !*u)
		u = getenv("LOGNAME");
	if (!u || !*u)
		u = getenv("USER");
	return u;
}

static struct form *load(struct store *s, int64_t id)
{
	struct form *f;
	assert_int_equal(store_load(s, id, &f), STORE_OK);
	return f;
}

/* Brings form id to status st by allowed moves. */
static void reach(struct store *s, int64_t id, enum form_status st)
{
	static const enum form_status path[4][3] = {
		[STATUS_DRAFT] = { STATUS_DRAFT, STATUS_DRAFT, STATUS_DRAFT },
		[STATUS_SUBMITTED] = { STATUS_SUBMITTED, STATUS_SUBMITTED, STATUS_SUBMITTED },
		[STATUS_RETURNED] = { STATUS_SUBMITTED, STATUS_RETURNED, STATUS_RETURNED },
		[STATUS_APPROVED] = { STATUS_SUBMITTED, STATUS_APPROVED, STATUS_APPROVED },
	};
	for (int i = 0; i < 3; i++) {
		struct form *f = load(s, id);
		if (f->status != path[st][i])
			assert_int_equal(store_set_status(s, id, f->version, path[st][i],
							  path[st][i] == STATUS_RETURNED ? "理由" : NULL),
					 STORE_OK);
		form_free(f);
	}
	struct form *f = load(s, id);
	assert_int_equal(f->status, st);
	form_free(f);
}

/* From each status to each status, at the store and through the doc: the
 * four moves of the workflow pass, the twelve others are refused and leave
 * status and version as they were. */
static void every_transition(void **state)
{
	struct fx *x = *state;
	static const bool allowed[4][4] = {
		/* to:         draft  submitted returned approved */
		[STATUS_DRAFT] = { false, true, false, false },
		[STATUS_SUBMITTED] = { false, false, true, true },
		[STATUS_RETURNED] = { false, true, false, false },
		[STATUS_APPROVED] = { false, false, false, false },
	};
	int n = 0;
	for (int from = 0; from < 4; from++)
		for (int to = 0; to < 4; to++)
			for (int via_doc = 0; via_doc < 2; via_doc++) {
				char project[64];
				snprintf(project, sizeof project, "项目%d-%d-%d", from, to, via_doc);
				int64_t id = add(x->s, clean_form("转换", 2024, project, "100", "100"));
				reach(x->s, id, (enum form_status)from);
				struct form *before = load(x->s, id);
				int rc;
				if (via_doc) {
					struct doc d;
					assert_int_equal(doc_open(&d, x->s, id), STORE_OK);
					rc = doc_set_status(&d, (enum form_status)to, "需修改");
					if (rc == STORE_OK)
						assert_int_equal(d.f->status, to);
					else
						assert_true(d.err[0] != 0);	/* says why */
					doc_close(&d);
				} else {
					rc = store_set_status(x->s, id, before->version, (enum form_status)to, "需修改");
				}
				struct form *after = load(x->s, id);
				if (allowed[from][to]) {
					assert_int_equal(rc, STORE_OK);
					assert_int_equal(after->status, to);
					assert_int_equal(after->version, before->version + 1);
					n++;
				} else {
					assert_int_not_equal(rc, STORE_OK);
					assert_int_equal(after->status, from);
					assert_int_equal(after->version, before->version);
				}
				form_free(before);
				form_free(after);
			}
	assert_int_equal(n, 8);	/* 4 moves, each at the store and through the doc */
}

struct hist {
	int n;
	char path[8][32], old[8][32], new[8][64], user[8][64];
	bool at[8];
};

static int collect_history(const struct history_row *r, void *arg)
{
	struct hist *h = arg;
	if (strcmp(r->path, "status") != 0 && strcmp(r->path, "return_reason") != 0)
		return 0;
	if (h->n == 8)
		return 1;
	snprintf(h->path[h->n], 32, "%s", r->path);
	snprintf(h->old[h->n], 32, "%s", r->old_value ? r->old_value : "(null)");
	snprintf(h->new[h->n], 64, "%s", r->new_value ? r->new_value : "(null)");
	snprintf(h->user[h->n], 64, "%s", r->user ? r->user : "");
	/* ISO 8601 UTC: 2026-11-25T12:35:35.443Z */
	h->at[h->n] = r->at && strlen(r->at) >= 20 && r->at[4] == '-' && r->at[10] == 'T';
	h->n++;
	return 0;
}

/* draft → submitted → returned (reason) → submitted → approved: five
 * history rows for the moves and the reason, each with user and time; the
 * reason is on the form while it is returned and gone once resubmitted. */
static void history_of_moves(void **state)
{
	struct fx *x = *state;
	struct doc d;
	assert_int_equal(doc_open(&d, x->s, x->id), STORE_OK);
	assert_int_equal(doc_set_status(&d, STATUS_SUBMITTED, NULL), STORE_OK);
	assert_int_equal(doc_set_status(&d, STATUS_RETURNED, "请补充偏差原因"), STORE_OK);
	assert_string_equal(d.f->return_reason, "请补充偏差原因");
	assert_int_equal(doc_set_status(&d, STATUS_SUBMITTED, NULL), STORE_OK);
	assert_null(d.f->return_reason);
	assert_int_equal(doc_set_status(&d, STATUS_APPROVED, NULL), STORE_OK);
	doc_close(&d);

	struct hist h = { 0 };
	assert_int_equal(store_history(x->s, x->id, collect_history, &h), STORE_OK);
	const char *me = os_user_name();
	static const char *const want[6][3] = {
		{ "status", "draft", "submitted" },
		{ "status", "submitted", "returned" },
		{ "return_reason", "(null)", "请补充偏差原因" },
		{ "status", "returned", "submitted" },
		{ "return_reason", "请补充偏差原因", "(null)" },
		{ "status", "submitted", "approved" },
	};
	assert_int_equal(h.n, 6);
	for (int i = 0; i < 6; i++) {
		assert_string_equal(h.path[i], want[i][0]);
		assert_string_equal(h.old[i], want[i][1]);
		assert_string_equal(h.new[i], want[i][2]);
		if (me)
			assert_string_equal(h.user[i], me);
		assert_true(h.at[i]);
	}
}

/* Submitted and approved forms refuse every edit, at the store and the doc. */
static void edits_refused_when_submitted(void **state)
{
	struct fx *x = *state;
	for (int st = STATUS_SUBMITTED; st <= STATUS_APPROVED; st += STATUS_APPROVED - STATUS_SUBMITTED) {
		char project[32];
		snprintf(project, sizeof project, "只读%d", st);
		int64_t id = add(x->s, clean_form("只读", 2024, project, "100", "100"));
		reach(x->s, id, (enum form_status)st);
		struct form *f = load(x->s, id);
		int64_t nv = 0;
		assert_int_equal(store_save_field(x->s, id, f->version, "project", "改", &nv), STORE_READONLY);
		assert_int_equal(store_save_field(x->s, id, f->version, "indicators[0].actual", "1", &nv),
				 STORE_READONLY);
		assert_int_equal(store_delete(x->s, id), STORE_READONLY);
		struct doc d;
		assert_int_equal(doc_open(&d, x->s, id), STORE_OK);
		assert_int_equal(doc_set(&d, "funds.total.spent", "1"), STORE_READONLY);
		assert_non_null(strstr(d.err, st == STATUS_SUBMITTED ? "submitted" : "approved"));
		assert_int_equal(doc_del_row(&d, 0), STORE_READONLY);
		assert_int_equal(doc_move_row(&d, 0, 1), STORE_READONLY);
		doc_close(&d);
		struct form *g = load(x->s, id);
		assert_true(form_equal(f, g));
		assert_int_equal(g->version, f->version);
		form_free(f);
		form_free(g);
	}
}

/* A save or a move made against a version that is no longer current
 * changes nothing. */
static void stale_version_refused(void **state)
{
	struct fx *x = *state;
	struct form *f = load(x->s, x->id);
	int64_t v0 = f->version, v1 = 0;
	assert_int_equal(store_save_field(x->s, x->id, v0, "project", "甲", &v1), STORE_OK);
	assert_int_equal(v1, v0 + 1);
	int64_t nv = 0;
	assert_int_equal(store_save_field(x->s, x->id, v0, "project", "乙", &nv), STORE_STALE);
	assert_int_equal(store_set_status(x->s, x->id, v0, STATUS_SUBMITTED, NULL), STORE_STALE);
	struct form *g = load(x->s, x->id);
	assert_string_equal(g->project, "甲");
	assert_int_equal(g->status, STATUS_DRAFT);
	assert_int_equal(g->version, v1);
	form_free(g);
	/* a doc opened before the change is stale too, for status as for fields */
	struct doc d;
	assert_int_equal(doc_open(&d, x->s, x->id), STORE_OK);
	assert_int_equal(store_save_field(x->s, x->id, v1, "project", "丙", &nv), STORE_OK);
	assert_int_equal(doc_set_status(&d, STATUS_SUBMITTED, NULL), STORE_STALE);
	assert_non_null(strstr(d.err, "changed elsewhere"));
	doc_close(&d);
	form_free(f);
}

/* Submit is refused while error-level findings remain. */
static void submit_refused_with_errors(void **state)
{
	struct fx *x = *state;
	struct doc d;
	assert_int_equal(doc_open(&d, x->s, x->id), STORE_OK);
	assert_int_equal(doc_set(&d, "indicators[0].score", "49"), STORE_OK);	/* total 99 ≠ 100 */
	assert_true(d.chk->errors > 0);
	assert_int_equal(doc_set_status(&d, STATUS_SUBMITTED, NULL), STORE_READONLY);
	assert_int_equal(d.f->status, STATUS_DRAFT);
	doc_close(&d);
}

struct rates {
	int n;
	int64_t id[8];
	char rate[8][16];
};

static int collect_rate(const struct form_row *r, void *arg)
{
	struct rates *x = arg;
	if (x->n < 8) {
		x->id[x->n] = r->id;
		snprintf(x->rate[x->n], 16, "%s", r->rate ? r->rate : "");
		x->n++;
	}
	return 0;
}

/* The doc caches the 执行率, so the pager sorts by it: 80/100, 100/100, 45/50. */
static void rate_cached_for_the_pager(void **state)
{
	struct fx *x = *state;
	int64_t a = add(x->s, clean_form("执行率", 2024, "甲", "100", "80"));
	int64_t b = add(x->s, clean_form("执行率", 2024, "乙", "50", "45"));
	struct store_filter flt = { .unit = "执行率" };
	struct rates r = { 0 };
	assert_int_equal(store_page(x->s, &flt, SORT_RATE, false, 0, 10, collect_rate, &r), STORE_OK);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.id[0], a);
	assert_string_equal(r.rate[0], "80.00%");
	assert_int_equal(r.id[1], b);
	assert_string_equal(r.rate[1], "90.00%");
	/* a change of 全年执行数 moves the cached rate and the order */
	struct doc d;
	assert_int_equal(doc_open(&d, x->s, a), STORE_OK);
	assert_int_equal(doc_set(&d, "funds.total.spent", "95"), STORE_OK);
	doc_close(&d);
	memset(&r, 0, sizeof r);
	assert_int_equal(store_page(x->s, &flt, SORT_RATE, true, 0, 10, collect_rate, &r), STORE_OK);
	assert_int_equal(r.id[0], a);
	assert_string_equal(r.rate[0], "95.00%");
	assert_string_equal(r.rate[1], "90.00%");
}

struct cms {
	int n;
	char path[4][48], author[4][64], text[4][64], uuid[4][37];
	bool resolved[4];
};

static int collect_comment(const struct comment_row *c, void *arg)
{
	struct cms *x = arg;
	if (x->n < 4) {
		snprintf(x->path[x->n], 48, "%s", c->path ? c->path : "-");
		snprintf(x->author[x->n], 64, "%s", c->author);
		snprintf(x->text[x->n], 64, "%s", c->text);
		snprintf(x->uuid[x->n], 37, "%s", c->uuid);
		x->resolved[x->n] = c->resolved;
		x->n++;
	}
	return 0;
}

/* Comments survive a status move (a reviewer comments, then returns). */
static void comments_through_review(void **state)
{
	struct fx *x = *state;
	reach(x->s, x->id, STATUS_SUBMITTED);
	char u[37];
	assert_int_equal(store_comment_add(x->s, x->id, "indicators[2].actual", "满意度依据？", u), STORE_OK);
	struct form *f = load(x->s, x->id);
	assert_int_equal(store_set_status(x->s, x->id, f->version, STATUS_RETURNED, "见批注"), STORE_OK);
	form_free(f);
	struct cms c = { 0 };
	assert_int_equal(store_comment_list(x->s, x->id, false, collect_comment, &c), STORE_OK);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.path[0], "indicators[2].actual");
	assert_string_equal(c.text[0], "满意度依据？");
	assert_string_equal(c.uuid[0], u);
	const char *me = os_user_name();
	if (me)
		assert_string_equal(c.author[0], me);
	assert_int_equal(store_comment_resolve(x->s, u), STORE_OK);
	memset(&c, 0, sizeof c);
	assert_int_equal(store_comment_list(x->s, x->id, false, collect_comment, &c), STORE_OK);
	assert_int_equal(c.n, 0);
	assert_int_equal(store_comment_list(x->s, x->id, true, collect_comment, &c), STORE_OK);
	assert_int_equal(c.n, 1);
	assert_true(c.resolved[0]);
}

/* Comments on indicator rows follow their row through store_save_form. */
struct cmrow {
	int n;
	char path[8][48], text[8][256], uuid[8][37];
	bool resolved[8];
};

static int collect_cmrow(const struct comment_row *c, void *arg)
{
	struct cmrow *x = arg;
	assert_true(x->n < 8);
	snprintf(x->path[x->n], 48, "%s", c->path ? c->path : "-");
	snprintf(x->text[x->n], 256, "%s", c->text);
	snprintf(x->uuid[x->n], 37, "%s", c->uuid);
	x->resolved[x->n] = c->resolved;
	x->n++;
	return 0;
}

/* The comment with uuid u as it is stored now. */
static void comment_now(struct store *s, int64_t id, const char *u, char path[48],
			char text[256], bool *resolved)
{
	struct cmrow c = { 0 };
	assert_int_equal(store_comment_list(s, id, true, collect_cmrow, &c), STORE_OK);
	for (int i = 0; i < c.n; i++)
		if (strcmp(c.uuid[i], u) == 0) {
			memcpy(path, c.path[i], 48);
			memcpy(text, c.text[i], 256);
			*resolved = c.resolved[i];
			return;
		}
	fail_msg("comment %s is gone", u);
}

static void comments_follow_their_rows(void **state)
{
	struct fx *x = *state;
	char sat[37], qty[37], avail[37], path[48], text[256];
	bool res;
	/* rows: 0 运维设备数量, 1 系统可用率, 2 用户满意度 */
	assert_int_equal(store_comment_add(x->s, x->id, "indicators[2].actual", "满意度依据？", sat), STORE_OK);
	assert_int_equal(store_comment_add(x->s, x->id, "indicators[0].name", "台数核对", qty), STORE_OK);
	assert_int_equal(store_comment_add(x->s, x->id, "indicators[1].target", "可用率口径", avail), STORE_OK);

	/* row 2 moves up one: 0 运维, 1 满意度, 2 可用率 */
	struct form *f = load(x->s, x->id);
	struct indicator t = f->ind[1];
	f->ind[1] = f->ind[2];
	f->ind[2] = t;
	assert_int_equal(store_save_form(x->s, f), STORE_OK);
	form_free(f);
	comment_now(x->s, x->id, sat, path, text, &res);
	assert_string_equal(path, "indicators[1].actual");
	assert_false(res);
	comment_now(x->s, x->id, avail, path, text, &res);
	assert_string_equal(path, "indicators[2].target");
	comment_now(x->s, x->id, qty, path, text, &res);
	assert_string_equal(path, "indicators[0].name");
	/* the comment's path names the row it was made on */
	f = load(x->s, x->id);
	assert_string_equal(f->ind[1].v[IND_NAME], "用户满意度");
	assert_string_equal(f->ind[2].v[IND_NAME], "系统可用率");

	/* a row added on top: everything moves down one */
	struct indicator *in = form_add_indicator(f, 0);
	assert_non_null(in);
	in->v[IND_NAME] = xstrdup("新增指标");
	assert_int_equal(store_save_form(x->s, f), STORE_OK);
	form_free(f);
	comment_now(x->s, x->id, qty, path, text, &res);
	assert_string_equal(path, "indicators[1].name");
	comment_now(x->s, x->id, sat, path, text, &res);
	assert_string_equal(path, "indicators[2].actual");
	comment_now(x->s, x->id, avail, path, text, &res);
	assert_string_equal(path, "indicators[3].target");

	/* the 满意度 row deleted: its comment is resolved, with a note naming
	 * where it was, and no longer points at a row; the row after it moves up */
	f = load(x->s, x->id);
	assert_string_equal(f->ind[2].v[IND_NAME], "用户满意度");
	form_del_indicator(f, 2);
	assert_int_equal(store_save_form(x->s, f), STORE_OK);
	form_free(f);
	comment_now(x->s, x->id, sat, path, text, &res);
	assert_string_equal(path, "-");
	assert_true(res);
	assert_true(strncmp(text, "满意度依据？\n(", strlen("满意度依据？\n(")) == 0);
	assert_non_null(strstr(text, "indicators[2].actual)"));
	comment_now(x->s, x->id, avail, path, text, &res);
	assert_string_equal(path, "indicators[2].target");
	assert_false(res);
	assert_string_equal(text, "可用率口径");
	comment_now(x->s, x->id, qty, path, text, &res);
	assert_string_equal(path, "indicators[1].name");

	/* a stale save moves nothing */
	f = load(x->s, x->id);
	f->version--;
	t = f->ind[1];
	f->ind[1] = f->ind[2];
	f->ind[2] = t;
	assert_int_equal(store_save_form(x->s, f), STORE_STALE);
	form_free(f);
	comment_now(x->s, x->id, qty, path, text, &res);
	assert_string_equal(path, "indicators[1].name");
	comment_now(x->s, x->id, avail, path, text, &res);
	assert_string_equal(path, "indicators[2].target");
}

struct sums {
	int n;
	char unit[4][32], budget[4][32], spent[4][32], rate[4][16], avg[4][16];
	int year[4];
	int64_t forms[4], grades[4][STORE_GRADES], errors[4];
};

static int collect_sum(const struct summary_row *r, void *arg)
{
	struct sums *x = arg;
	if (x->n < 4) {
		int i = x->n++;
		snprintf(x->unit[i], 32, "%s", r->unit);
		x->year[i] = r->year;
		x->forms[i] = r->forms;
		snprintf(x->budget[i], 32, "%s", r->budget);
		snprintf(x->spent[i], 32, "%s", r->spent);
		snprintf(x->rate[i], 16, "%s", r->rate ? r->rate : "-");
		snprintf(x->avg[i], 16, "%s", r->avg_score ? r->avg_score : "-");
		memcpy(x->grades[i], r->grades, sizeof r->grades);
		x->errors[i] = r->with_errors;
	}
	return 0;
}

/* Two units, three forms, the figures worked out by hand:
 *   乙单位 2023: budget 0.1 + 0.2 = 0.3 exactly (not 0.30000000000000004),
 *                spent 0.1 + 0.1 = 0.2, rate 0.2 / 0.3 = 66.67 %;
 *                scores 100 and 99 (one indicator at 49: an error) -> avg 99.50.
 *                (二 also has rate 50 %, so its 预算执行得分 10 is wrong: still one form with errors)
 *   甲单位 2024: budget 738.62892, spent 700, rate 700 / 738.62892 = 94.77 %,
 *                total as filled 100 (优); its 预算执行得分 10 should be 9.48: one form with errors. */
static void summary_by_hand(void **state)
{
	struct fx *x = *state;
	add(x->s, clean_form("甲单位", 2024, "一", "738.62892", "700"));
	add(x->s, clean_form("乙单位", 2023, "一", "0.1", "0.1"));
	int64_t b2 = add(x->s, clean_form("乙单位", 2023, "二", "0.2", "0.1"));
	struct doc d;
	assert_int_equal(doc_open(&d, x->s, b2), STORE_OK);
	assert_int_equal(doc_set(&d, "indicators[0].score", "49"), STORE_OK);
	doc_close(&d);
	struct sums s = { 0 };
	struct store_filter flt = { .year = 0 };
	assert_int_equal(store_summary(x->s, &flt, collect_sum, &s), STORE_OK);
	/* ordered by unit (bytes), then year; the fixture's own form is the third unit */
	int jia = -1, yi = -1;
	for (int i = 0; i < s.n; i++) {
		if (strcmp(s.unit[i], "甲单位") == 0)
			jia = i;
		if (strcmp(s.unit[i], "乙单位") == 0)
			yi = i;
	}
	assert_true(jia >= 0 && yi >= 0);
	assert_int_equal(s.forms[yi], 2);
	assert_int_equal(s.year[yi], 2023);
	assert_string_equal(s.budget[yi], "0.3");
	assert_string_equal(s.spent[yi], "0.2");
	assert_string_equal(s.rate[yi], "66.67");
	assert_string_equal(s.avg[yi], "99.50");
	assert_int_equal(s.grades[yi][0], 2);	/* 100 and 99: both 优 (≥ 90) */
	assert_int_equal(s.errors[yi], 1);
	assert_int_equal(s.forms[jia], 1);
	assert_string_equal(s.budget[jia], "738.62892");
	assert_string_equal(s.spent[jia], "700");
	assert_string_equal(s.rate[jia], "94.77");
	assert_string_equal(s.avg[jia], "100.00");
	assert_int_equal(s.grades[jia][0], 1);
	assert_int_equal(s.errors[jia], 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(every_transition, setup, teardown),
		cmocka_unit_test_setup_teardown(history_of_moves, setup, teardown),
		cmocka_unit_test_setup_teardown(edits_refused_when_submitted, setup, teardown),
		cmocka_unit_test_setup_teardown(stale_version_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(submit_refused_with_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(rate_cached_for_the_pager, setup, teardown),
		cmocka_unit_test_setup_teardown(comments_through_review, setup, teardown),
		cmocka_unit_test_setup_teardown(comments_follow_their_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(summary_by_hand, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
