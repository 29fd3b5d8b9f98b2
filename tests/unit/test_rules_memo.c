/*
 * Unit tests of the memo in src/rules.c: a check reused from run to run
 * (as the screen does on each keystroke) keeps each row's result and the
 * header's, and must give exactly what a new check gives.
 *
 * The proof is a long walk of edits with a fixed seed over a 22-row form
 * taken from the sample layouts: after every edit the reused check and a
 * new check are compared field by field (figures, readings, suggestions,
 * explanations, every finding in order).  The edits change one cell at a
 * time (target, actual, weight, score, nature, unit, level names, name,
 * deviation, header, funds, goals, totals), delete, add and move rows,
 * switch layout, rule set and LC_MESSAGES, and now and then run the reused
 * check on another form in between.
 */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <libgen.h>
#include <libintl.h>
#include <locale.h>
#include <string.h>
#include <sys/stat.h>

#include "rules.h"
#include "formspec.h"
#include "io.h"
#include "io_read.h"
#include "keyhash.h"
#include <stdio.h>
#include <stdlib.h>

static const char *const header[] = {
	"year=2024", "project=朝阳区互联网接入服务", "department=北京市朝阳区数据局",
	"unit=北京市朝阳区数据局", "layout=district-2024",
	"funds.total.initial=0", "funds.total.budget=738.62892", "funds.total.spent=738.62892",
	"funds.total.weight=10", "funds.total.rate=100%", "funds.total.score=10",
	"funds.appropriation.initial=0", "funds.appropriation.budget=738.62892",
	"funds.appropriation.spent=738.62892", "funds.appropriation.weight=—",
	"funds.carryover.weight=—", "funds.other.weight=—",
	"goals.expected=朝阳区党政机关、事业单位等部门提供互联网访问服务。",
	"goals.achieved=本年度互联网接入稳定，网络带宽均满足用户使用。",
	"total.weight=100", "total.score=95.56", "total.grade=优", NULL,
};

/* "l1|l2|name|nature|target|unit|actual|weight|score|deviation" */
static const char *const rows[] = {
	"产出指标|数量指标|总带宽数量|≥|6000|Mbps|6000|4.5|4.5|",
	"|质量指标|区级互联网专线整体全年可用率|≥|99.9|%|99.9|4.5|4.5|",
	"|时效指标|故障到达现场时间|≤|4|时|4|4.5|4.5|",
	"|数量指标|维护人员数量|≥|24|人/年|24|4.5|4.5|",
	"|质量指标|完成合同约定的服务内容且验收合格|定性|优良中低差|其他|优（完成合同约定的服务内容且验收合格）|4.5|4.5|",
	"|时效指标|计算机桌面故障修复响应时间|≤|2|小时|3|4.5|3|响应慢",
	"|数量指标|指标1：项目报告|=|1|份|提交项目报告1份|4.5|4.5|",
	"|质量指标|指标1：通过专家验收|定性|优良|项|已通过专家验收，验收结果为优|4.5|4.5|",
	"|时效指标|合同签订时间|~|2021年6月前|~|2021年12月|4.5|2.25|签约晚",
	"|时效指标|系统使用服务周期|~|每天|~|每天|4.5|4.5|",
	"|数量指标|漏洞扫描次数|~|1|~|3|4.5|4.05|目标偏低",
	"|质量指标|系统运行故障率|~|≤5%|~|≤5%|4.5|4.5|",
	"成本指标|经济成本指标|24年支出金额|≤|7578290|元|7578289.2|4.5|4.5|",
	"|经济成本指标|指标1：支出金额|≤|288|万元|支出金额为288万元|4.5|4.5|",
	"|经济成本指标|服务成本|~|≤ 84.4 万元|~|844000 元|4.5|4.5|",
	"效益指标|社会效益指标|保障区内各政务接入统一互联网访问业务|定性|优良中低差|项|优（有效保障了区内各政务接入统一互联网访问业务的正常运行）|4.5|4.5|",
	"|可持续影响指标|核心机房设备安全运行|~|达到良以上|~|优|4.5|4.5|",
	"|生态效益指标|保障全区政务网各项办公和业务系统的正常运转。|定性|好坏|其他|好（完成全区政务网各项办公和业务系统的正常运转）|4.5|4.5|",
	"满意度指标|服务对象满意度指标|用户满意度|≥|90|%|100|4.5|4.5|",
	"|服务对象满意度指标|服务满意度|~|≥95%|~|90%|4.5|4.26|满意度未达标",
	"产出指标（50分）|成本指标|运维费用|≤|100|万元|120|5|3|",
	"|质量指标|系统验收|定性|合格/不合格|~|未完成验收|5|5|",
};
#define N_ROWS (sizeof rows / sizeof rows[0])

/* Values an edit may put in a cell, besides the form's own and typing. */
static const char *const pool[] = {
	"", " ", "　", "—", "-", "/", "0", "1", "4.5", "5", "10", "80", "100", "-1", "4.505", "abc",
	"1,000", "95%", "≥90", "≤5%", "=1", "≥", "≤", "=", "定性", "正向", "反向", "%", "万元", "元",
	"小时", "天", "个", "TB", "个TB", "2021年6月前", "2021年12月", "6月底前", "每天", "每月",
	"优", "良", "中", "差", "好", "否", "是", "合格", "优良中低差", "达到良以上", "已完成",
	"基本完成", "未完成", "部分完成", "产出指标", "成本指标", "效益指标", "满意度指标",
	"产出指标(50分)", "数量指标", "质量指标", "时效指标", "成本指标", "经济成本指标",
	"社会效益指标", "服务对象满意度指标", "不是指标", "完成合同约定的服务内容且验收合格",
	"１２３", "９０％", "偏差说明",
};
#define N_POOL (sizeof pool / sizeof pool[0])
static const char typed[][4] = { "0", "5", ".", "%", " ", "万", "元", "优", "≥", "x", "（", "）" };

static uint64_t rng = 0x2545f4914f6cdd1dULL;	/* fixed seed: the same walk each time */

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static struct form *sample(void)
{
	struct form *f = fs_form(header);
	for (size_t i = 0; i < N_ROWS; i++)
		fs_row(f, rows[i]);
	return f;
}

/* ---- comparing two checks, field by field --------------------------------- */

static void same_num(num a, num b)
{
	assert_int_equal(a.coef, b.coef);
	assert_int_equal(a.scale, b.scale);
}

static void same_reading(const struct reading *a, const struct reading *b)
{
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->nature, b->nature);
	same_num(a->value, b->value);
	same_num(a->base, b->base);
	assert_string_equal(a->unit, b->unit);
	assert_int_equal(a->uclass, b->uclass);
	assert_int_equal(a->year, b->year);
	assert_int_equal(a->month, b->month);
	assert_int_equal(a->scale, b->scale);
	assert_int_equal(a->grade, b->grade);
	assert_int_equal(a->at_least, b->at_least);
	assert_int_equal(a->confidence, b->confidence);
	assert_string_equal(a->note, b->note);
}

static void same_check(const struct check *a, const struct check *b)
{
	assert_ptr_equal(a->rs, b->rs);
	for (int r = 0; r < FUND_ROWS; r++)
		assert_string_equal(a->rate[r], b->rate[r]);
	assert_string_equal(a->budget_score, b->budget_score);
	assert_string_equal(a->total_score, b->total_score);
	assert_string_equal(a->suggested_total, b->suggested_total);
	assert_string_equal(a->grade, b->grade);
	assert_string_equal(a->suggested_grade, b->suggested_grade);
	assert_int_equal(a->n_ind, b->n_ind);
	for (size_t i = 0; i < a->n_ind; i++) {
		const struct ind_check *x = &a->ind[i], *y = &b->ind[i];
		same_reading(&x->target, &y->target);
		same_reading(&x->actual, &y->actual);
		assert_int_equal(x->has_suggestion, y->has_suggestion);
		same_num(x->suggested, y->suggested);
		same_num(x->band_lo, y->band_lo);
		same_num(x->band_hi, y->band_hi);
		assert_int_equal(x->rule == NULL, y->rule == NULL);
		if (x->rule)
			assert_string_equal(x->rule, y->rule);
		assert_string_equal(x->explain, y->explain);
	}
	assert_int_equal(a->n_findings, b->n_findings);
	assert_int_equal(a->truncated, b->truncated);
	assert_int_equal(a->errors, b->errors);
	assert_int_equal(a->warnings, b->warnings);
	assert_int_equal(a->notes, b->notes);
	for (size_t i = 0; i < a->n_findings; i++) {
		const struct finding *x = &a->findings[i], *y = &b->findings[i];
		assert_string_equal(x->code, y->code);
		assert_int_equal(x->severity, y->severity);
		assert_string_equal(x->field, y->field);
		assert_string_equal(x->message, y->message);
		assert_string_equal(x->expected, y->expected);
		assert_string_equal(x->found, y->found);
	}
}

/* f under rs with a new check, against the reused one. */
static void compare(const struct form *f, const struct ruleset *rs, struct check *reused)
{
	struct check *fresh = check_new(f->n_ind);
	assert_int_equal(rules_run(f, rs, fresh), 0);
	assert_int_equal(rules_run(f, rs, reused), 0);
	same_check(reused, fresh);
	check_free(fresh);
}

/* ---- edits ------------------------------------------------------------------ */

/* A new text for a cell that holds was: from the pool, from another cell of
 * the form, typed at its end, backspaced, or absent. */
static void new_text(const struct form *f, const char *was, char *buf, size_t len, const char **out)
{
	unsigned how = rnd(10);
	size_t n = was ? strlen(was) : 0;
	if (how < 3) {
		*out = pool[rnd(N_POOL)];
	} else if (how < 5 && f->n_ind) {
		*out = f->ind[rnd((unsigned)f->n_ind)].v[rnd(IND_FIELDS)];
	} else if (how < 7) {
		snprintf(buf, len, "%s%s", was ? was : "", typed[rnd(sizeof typed / sizeof typed[0])]);
		*out = buf;
	} else if (how < 9 && n) {
		snprintf(buf, len, "%s", was);
		while (n > 1 && ((unsigned char)buf[n - 1] & 0xc0) == 0x80)
			n--;
		buf[n - 1] = '\0';
		*out = buf;
	} else {
		*out = NULL;
	}
}

static const char *const head_paths[] = {
	"project", "department", "unit", "funds.total.budget", "funds.total.spent",
	"funds.total.rate", "funds.total.score", "funds.total.weight", "funds.appropriation.budget",
	"funds.appropriation.spent", "funds.carryover.budget", "funds.other.spent",
	"funds.other.rate", "goals.expected", "goals.achieved", "total.weight", "total.score",
	"total.grade",
};

struct walk {
	const struct ruleset *rs;
	int kinds[12];		/* how many edits of each kind were made */
	int zh_differs;		/* runs where zh_CN gave other messages than C */
};

/* One edit of f (or of how it is checked); *path, when not NULL, is set
 * to the one cell the edit changed (NULL when it changed anything else). */
static void edit(struct form *f, struct walk *w, const char **path)
{
	static char pbuf[48];
	char buf[1024];
	const char *text;
	unsigned kind = rnd(100);
	if (path)
		*path = NULL;
	if (kind < 60 && f->n_ind) {			/* one cell of a row */
		size_t i = rnd((unsigned)f->n_ind);
		struct indicator *in = &f->ind[i];
		unsigned k = rnd(IND_FIELDS);
		new_text(f, in->v[k], buf, sizeof buf, &text);
		set_str(&in->v[k], text);
		form_ind_path(pbuf, sizeof pbuf, i, (int)k);
		if (path)
			*path = pbuf;
		w->kinds[0]++;
	} else if (kind < 72) {				/* header, funds, goals, totals */
		const char *p = head_paths[rnd(sizeof head_paths / sizeof head_paths[0])];
		char scratch[FORM_SCRATCH];
		new_text(f, form_get(f, p, scratch), buf, sizeof buf, &text);
		const char *err;
		(void)form_set(f, p, text, &err);
		if (path)
			*path = p;
		w->kinds[1]++;
	} else if (kind < 74) {				/* year */
		f->year = rnd(4) ? 2020 + (int)rnd(6) : 0;
		if (path)
			*path = "year";
		w->kinds[2]++;
	} else if (kind < 79 && f->n_ind > 1) {	/* delete a row */
		form_del_indicator(f, rnd((unsigned)f->n_ind));
		w->kinds[3]++;
	} else if (kind < 85 && f->n_ind < 40) {	/* add a row, blank or a copy */
		size_t at = rnd((unsigned)f->n_ind + 1), from = rnd((unsigned)N_ROWS);
		struct indicator *in = form_add_indicator(f, at);
		assert_non_null(in);
		if (rnd(3)) {
			struct form *s = fs_form((const char *const[]){ NULL });
			fs_row(s, rows[from]);
			for (int k = 0; k < IND_FIELDS; k++)
				set_str(&in->v[k], s->ind[0].v[k]);
			form_free(s);
		}
		w->kinds[4]++;
	} else if (kind < 91 && f->n_ind > 1) {	/* move a row */
		form_move_indicator(f, rnd((unsigned)f->n_ind), rnd((unsigned)f->n_ind));
		w->kinds[5]++;
	} else if (kind < 94) {				/* rule set */
		w->rs = ruleset_at(rnd((unsigned)ruleset_count()));
		if (!rnd(4))
			w->rs = NULL;			/* rules_run takes the default */
		w->kinds[6]++;
	} else if (kind < 97) {				/* language */
		setlocale(LC_MESSAGES, rnd(2) ? "zh_CN.UTF-8" : "C");
		w->kinds[7]++;
	} else {					/* layout */
		static const char *const lay[] = { "beijing-2021", "district-2023", "district-2024", "none" };
		set_str(&f->layout, lay[rnd(4)]);
		w->kinds[8]++;
	}
}

/* The catalogue next to the built program ($JXZP), as jxzp finds it. */
static bool bind_catalogue(void)
{
	const char *exe = getenv("JXZP");
	if (!exe)
		return false;
	char dir[4096], mo[4400];
	snprintf(dir, sizeof dir, "%s", exe);
	char *d = dirname(dir);
	char loc[4200];
	snprintf(loc, sizeof loc, "%s/locale", d);
	snprintf(mo, sizeof mo, "%s/zh_CN/LC_MESSAGES/%s.mo", loc, PACKAGE);
	struct stat st;
	if (stat(mo, &st) != 0)
		return false;
	bindtextdomain(PACKAGE, loc);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
	return true;
}

/* ---- tests ------------------------------------------------------------------- */

/* The expected figure of the finding code at field, or NULL if none. */
static const char *finding_found(const struct check *c, const char *code, const char *field)
{
	for (size_t i = 0; i < c->n_findings; i++)
		if (strcmp(c->findings[i].code, code) == 0 && strcmp(c->findings[i].field, field) == 0)
			return c->findings[i].expected;
	return NULL;
}

/* What WEIGHT_SUM found, or "". */
static const char *weight_sum(const struct check *c)
{
	for (size_t i = 0; i < c->n_findings; i++)
		if (strcmp(c->findings[i].code, "WEIGHT_SUM") == 0)
			return c->findings[i].found;
	return "";
}

/* The same form twice, and each row edited and put back: the reused check
 * says what a new one says (the memo's simplest cases, by hand). */
static void one_cell_edited_and_put_back(void **state)
{
	(void)state;
	struct form *f = sample();
	struct check *c = check_new(f->n_ind + 8);
	compare(f, NULL, c);
	compare(f, NULL, c);
	/* row 5: score 3 below weight 4.5 with a deviation; empty the deviation */
	char *was = xstrdup(f->ind[5].v[IND_DEVIATION]);
	set_str(&f->ind[5].v[IND_DEVIATION], "");
	compare(f, NULL, c);
	size_t n_dev = 0;
	for (size_t i = 0; i < c->n_findings; i++)
		n_dev += strcmp(c->findings[i].code, "DEVIATION_MISSING") == 0 &&
			 strcmp(c->findings[i].field, "indicators[5].deviation") == 0;
	assert_int_equal(n_dev, 1);
	set_str(&f->ind[5].v[IND_DEVIATION], was);
	compare(f, NULL, c);
	free(was);
	/* the first row's 一级 cell carries to the rows under it: rename it */
	set_str(&f->ind[0].v[IND_LEVEL1], "不是指标");
	compare(f, NULL, c);
	set_str(&f->ind[0].v[IND_LEVEL1], "产出指标");
	compare(f, NULL, c);
	/* a weight: the totals after it change, the rows do not.  Weights:
	 * budget 10 + 20 × 4.5 + 5 + 5 = 110, then 111 */
	assert_string_equal(weight_sum(c), "110");
	set_str(&f->ind[3].v[IND_WEIGHT], "5.5");
	compare(f, NULL, c);
	assert_string_equal(weight_sum(c), "111");
	set_str(&f->ind[3].v[IND_WEIGHT], "4.5");
	compare(f, NULL, c);
	assert_string_equal(weight_sum(c), "110");
	/* a score of 0, then none: the sum of the scores stays, but an empty
	 * score means no TOTAL_MISMATCH, for the rows after it too.  Scores:
	 * budget 10 + 16 × 4.5 + 3 + 2.25 + 4.05 + 4.26 + 3 + 5 = 103.56 against
	 * the 95.56 written; with row 2's 4.5 made 0: 99.06 */
	assert_string_equal(finding_found(c, "TOTAL_MISMATCH", "total.score"), "103.56");
	set_str(&f->ind[2].v[IND_SCORE], "0");
	compare(f, NULL, c);
	assert_string_equal(finding_found(c, "TOTAL_MISMATCH", "total.score"), "99.06");
	set_str(&f->ind[2].v[IND_SCORE], "");
	compare(f, NULL, c);
	assert_null(finding_found(c, "TOTAL_MISMATCH", "total.score"));
	assert_non_null(finding_found(c, "REQUIRED", "indicators[2].score"));
	set_str(&f->ind[2].v[IND_SCORE], "4.5");
	compare(f, NULL, c);
	assert_string_equal(finding_found(c, "TOTAL_MISMATCH", "total.score"), "103.56");
	check_free(c);
	form_free(f);
}

/* 1000 random edits with a fixed seed; after each the reused check and a
 * new one agree field by field. */
static void random_edits_agree_with_a_new_check(void **state)
{
	(void)state;
	bool catalogue = bind_catalogue();
	struct form *f = sample(), *other = sample();
	set_str(&other->ind[2].v[IND_ACTUAL], "5");
	set_str(&other->project, "另一张表");
	struct check *c = check_new(48);
	struct walk w = { 0 };
	compare(f, w.rs, c);
	for (int step = 0; step < 1000; step++) {
		edit(f, &w, NULL);
		if (rnd(50) == 0)
			compare(other, w.rs, c);	/* the same check, another form */
		compare(f, w.rs, c);
		const char *loc = setlocale(LC_MESSAGES, NULL);
		if (catalogue && loc && strcmp(loc, "zh_CN.UTF-8") == 0) {
			/* the same run in English differs somewhere */
			setlocale(LC_MESSAGES, "C");
			struct check *en = check_new(f->n_ind);
			assert_int_equal(rules_run(f, w.rs, en), 0);
			setlocale(LC_MESSAGES, "zh_CN.UTF-8");
			for (size_t i = 0; i < en->n_findings && i < c->n_findings; i++)
				if (strcmp(en->findings[i].message, c->findings[i].message) != 0) {
					w.zh_differs++;
					break;
				}
			check_free(en);
		}
	}
	/* every kind of edit was made, and often */
	for (int k = 0; k < 9; k++) {
		if (w.kinds[k] < 10)
			fail_msg("edit kind %d made only %d times", k, w.kinds[k]);
	}
	if (catalogue)
		assert_true(w.zh_differs > 10);
	else
		print_message("# no catalogue next to $JXZP: languages switched without translations\n");
	setlocale(LC_MESSAGES, "C");
	check_free(c);
	form_free(other);
	form_free(f);
}

/* As the screen runs them: after an edit of one cell rules_rerun told that
 * cell (after anything else rules_run); after every step the reused check
 * and a new one agree field by field.  Now and then the same check runs
 * another form between two steps (rules_rerun must then run whole), the
 * language or the rule set changes under an edit, or two runs follow one
 * edit. */
static void reruns_agree_with_a_new_check(void **state)
{
	(void)state;
	bool catalogue = bind_catalogue();
	struct form *f = sample(), *other = sample();
	set_str(&other->project, "另一张表");
	struct check *c = check_new(48);
	struct walk w = { 0 };
	int told = 0;
	assert_int_equal(rules_run(f, w.rs, c), 0);
	for (int step = 0; step < 3000; step++) {
		const char *path;
		edit(f, &w, &path);
		if (rnd(60) == 0)
			assert_int_equal(rules_run(other, w.rs, c), 0);
		if (rnd(30) == 0)	/* a check --all's run in between */
			assert_int_equal(rules_run_once(rnd(2) ? other : f, w.rs, c), 0);
		if (rnd(40) == 0)	/* the language changes under an edit */
			setlocale(LC_MESSAGES, rnd(2) ? "zh_CN.UTF-8" : "C");
		if (rnd(40) == 0)	/* so does the rule set */
			w.rs = ruleset_at(rnd((unsigned)ruleset_count()));
		if (path) {
			assert_int_equal(rules_rerun(f, w.rs, c, path), 0);
			told++;
			if (rnd(20) == 0)	/* told again, nothing changed */
				assert_int_equal(rules_rerun(f, w.rs, c, path), 0);
		} else {
			assert_int_equal(rules_run(f, w.rs, c), 0);
		}
		struct check *fresh = check_new(f->n_ind);
		assert_int_equal(rules_run(f, w.rs, fresh), 0);
		same_check(c, fresh);
		check_free(fresh);
	}
	assert_true(told > 2000);
	if (!catalogue)
		print_message("# no catalogue next to $JXZP: languages switched without translations\n");
	for (int k = 0; k < 9; k++)
		if (w.kinds[k] < 10)
			fail_msg("edit kind %d made only %d times", k, w.kinds[k]);
	setlocale(LC_MESSAGES, "C");
	check_free(c);
	form_free(other);
	form_free(f);
}

/* Typing as the screen does: a cell's new text key by key (a whole
 * character at a time), each key through rules_rerun, then backspaced a
 * little; after every key the reused check and a new one agree. */
static void typing_key_by_key_agrees_with_a_new_check(void **state)
{
	(void)state;
	struct form *f = sample();
	struct check *c = check_new(48);
	assert_int_equal(rules_run(f, NULL, c), 0);
	int keys = 0;
	for (int step = 0; step < 300; step++) {
		char path[48];
		if (rnd(4)) {
			form_ind_path(path, sizeof path, rnd((unsigned)f->n_ind), (int)rnd(IND_FIELDS));
		} else {
			snprintf(path, sizeof path, "%s", head_paths[rnd(sizeof head_paths / sizeof head_paths[0])]);
		}
		const char *from = rnd(2) ? pool[rnd(N_POOL)] : f->ind[rnd((unsigned)f->n_ind)].v[rnd(IND_FIELDS)];
		char to[512], buf[1024];
		snprintf(to, sizeof to, "%s", from ? from : "");	/* the cell it came from may be the one typed into */
		size_t len = strlen(to), cut = rnd(4);
		for (size_t i = 0; i <= len + cut && i < sizeof buf; i++) {
			size_t n = i <= len ? i : len - (i - len < len ? i - len : len);
			if (n < len && ((unsigned char)to[n] & 0xc0) == 0x80)
				continue;	/* a key is a whole character */
			memcpy(buf, to, n);
			buf[n] = '\0';
			const char *err;
			assert_int_equal(form_set(f, path, buf, &err), 0);
			assert_int_equal(rules_rerun(f, NULL, c, path), 0);
			keys++;
			struct check *fresh = check_new(f->n_ind);
			assert_int_equal(rules_run(f, NULL, fresh), 0);
			same_check(c, fresh);
			check_free(fresh);
		}
	}
	assert_true(keys > 1000);
	check_free(c);
	form_free(f);
}

/* An actual that names only a scale (grade -1), the target's own text
 * ("优良中低差" against 优良中低差): met as the same text, and no word of
 * the scale looked up at rank -1 (an out-of-bounds read that the sanitizer
 * build stops at; the rerun walk above found it). */
static void actual_naming_only_a_scale(void **state)
{
	(void)state;
	struct form *f = sample();
	set_str(&f->ind[4].v[IND_ACTUAL], f->ind[4].v[IND_TARGET]);	/* 优良中低差 */
	set_str(&f->ind[7].v[IND_ACTUAL], f->ind[7].v[IND_TARGET]);	/* 优良 */
	struct check *c = check_new(f->n_ind);
	assert_int_equal(rules_run(f, NULL, c), 0);
	for (size_t i = 4; i <= 7; i += 3) {
		char p[48], nb[NUM_BUFSZ];
		form_ind_path(p, sizeof p, i, IND_SCORE);
		assert_non_null(finding_found(c, "SUGGESTION", p));
		assert_true(c->ind[i].has_suggestion);
		assert_string_equal(num_str(c->ind[i].suggested, nb), "4.5");
	}
	check_free(c);
	form_free(f);
}

/* issue 22: a cell text made to give the digest of another (the old
 * digest could be inverted: "mihhopmf(1AP/x?<" had the digest of
 * "0000000000000095") must not bring back the other text's result. */
static void crafted_cell_is_read_again(void **state)
{
	(void)state;
	struct form *f = sample();
	struct check *c = check_new(N_ROWS);
	form_set(f, "indicators[18].actual", "0000000000000095", NULL);
	compare(f, NULL, c);
	form_set(f, "indicators[18].actual", "mihhopmf(1AP/x?<", NULL);
	compare(f, NULL, c);
	bool unread = false;
	for (size_t i = 0; i < c->n_findings; i++)
		unread |= strcmp(c->findings[i].code, "TARGET_UNREAD") == 0 &&
			  strcmp(c->findings[i].field, "indicators[18].actual") == 0;
	assert_true(unread);
	check_free(c);
	form_free(f);
}

/* The memo's digest: the polynomial of keyhash.h, worked by hand at r = 2
 * and r = 3, and another digest under another key. */
static void keyhash_by_hand(void **state)
{
	(void)state;
	struct keyhash_key two = { 2 }, three = { 3 };
	/* "ab": one word 0x6261, then the length 2: ((0x6261)·r + 2)·r */
	assert_true(keyhash(&two, "ab", 2) == (0x6261u * 2 + 2) * 2);
	assert_true(keyhash(&three, "ab", 2) == (0x6261u * 3 + 2) * 3);
	/* 8 bytes are two words: 7 bytes, then 1 */
	uint64_t w0 = 0x37363534333231ULL, w1 = '8';
	unsigned __int128 h = (unsigned __int128)w0 * 3 % KEYHASH_P;
	h = (h + w1) * 3 % KEYHASH_P;
	h = (h + 8) * 3 % KEYHASH_P;
	assert_true(keyhash(&three, "12345678", 8) == (uint64_t)h);
	/* r near p: the reduction stays below p */
	struct keyhash_key big = { KEYHASH_P - 1 };
	assert_true(keyhash(&big, "mihhopmf(1AP/x?<", 16) < KEYHASH_P);
	struct keyhash_key a, b;
	keyhash_key_random(&a);
	keyhash_key_random(&b);
	assert_true(a.r != b.r);
	assert_true(keyhash(&a, "95", 2) != keyhash(&b, "95", 2));
}

/* A check with room for fewer rows than the form refuses it, and works
 * again when the form shrinks back (the memo is per row slot). */
static void too_many_rows_then_fewer(void **state)
{
	(void)state;
	struct form *f = sample();
	struct check *c = check_new(N_ROWS);
	compare(f, NULL, c);
	assert_non_null(form_add_indicator(f, 0));
	assert_int_equal(rules_run(f, NULL, c), -1);
	form_del_indicator(f, 0);
	compare(f, NULL, c);
	check_free(c);
	form_free(f);
}

/* rules_run_once (`check --all`: no memo, no digest) against rules_run
 * with a new check, field by field, over the published sample forms of
 * data/ under every rule set, in English and (with a catalogue) Chinese.
 * The check is reused from form to form as check --all reuses it, and a
 * rules_run and a rules_rerun on it after a rules_run_once still agree with
 * a new check (its memo must not take the once-run's findings for its own). */
static void run_once_agrees_over_the_samples(void **state)
{
	(void)state;
	bool catalogue = bind_catalogue();
	static const char *const files[] = { "beijing-cppcc-2021.txt", "fengtai-2023.txt",
					     "chaoyang-2024-part.txt" };
	struct io_result res[3];
	size_t forms = 0, findings = 0;
	for (size_t fi = 0; fi < 3; fi++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", SRCDATADIR, files[fi]);
		FILE *fp = fopen(path, "rb");
		assert_non_null(fp);
		static char buf[1 << 20];
		size_t n = fread(buf, 1, sizeof buf, fp);
		fclose(fp);
		memset(&res[fi], 0, sizeof res[fi]);
		assert_int_equal(io_read_any(buf, n, files[fi], &res[fi]), 0);
		assert_true(res[fi].n_forms > 0);
	}
	struct check *once = check_new_once(64);	/* with its readings by text, as check --all */
	const char *const locs[] = { "C", "zh_CN.UTF-8" };
	for (int li = 0; li < (catalogue ? 2 : 1); li++) {
		setlocale(LC_MESSAGES, locs[li]);
		for (size_t ri = 0; ri <= ruleset_count(); ri++) {
			const struct ruleset *rs = ri < ruleset_count() ? ruleset_at(ri) : NULL;
			for (size_t fi = 0; fi < 3; fi++)
				for (size_t k = 0; k < res[fi].n_forms; k++) {
					const struct form *f = res[fi].forms[k];
					struct check *fresh = check_new(f->n_ind);
					assert_int_equal(rules_run(f, rs, fresh), 0);
					assert_int_equal(rules_run_once(f, rs, once), 0);
					same_check(once, fresh);
					forms++;
					findings += fresh->n_findings;
					if (k % 3 == 1) {
						/* the memo after a once-run: whole runs again */
						assert_int_equal(rules_run(f, rs, once), 0);
						same_check(once, fresh);
						assert_int_equal(rules_run_once(f, rs, once), 0);
						assert_int_equal(rules_rerun(f, rs, once, "indicators[0].score"), 0);
						same_check(once, fresh);
					}
					check_free(fresh);
				}
		}
	}
	assert_true(forms >= 30);
	assert_true(findings > forms);	/* the samples do give findings */
	setlocale(LC_MESSAGES, "C");
	check_free(once);
	for (size_t fi = 0; fi < 3; fi++)
		io_result_free(&res[fi]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_cell_edited_and_put_back),
		cmocka_unit_test(random_edits_agree_with_a_new_check),
		cmocka_unit_test(reruns_agree_with_a_new_check),
		cmocka_unit_test(typing_key_by_key_agrees_with_a_new_check),
		cmocka_unit_test(actual_naming_only_a_scale),
		cmocka_unit_test(too_many_rows_then_fewer),
		cmocka_unit_test(crafted_cell_is_read_again),
		cmocka_unit_test(keyhash_by_hand),
		cmocka_unit_test(run_once_agrees_over_the_samples),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
