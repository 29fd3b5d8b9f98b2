/*
 * Unit tests of src/sheet: the form screen's path from a keystroke to the
 * store, without curses.  The property: after every save, undo, redo, row
 * change and reload made the way the screen makes them, what the screen
 * shows — the form (live), its findings (the marks and the F5 list are made
 * from them, the key line counts them), the top line's total, grade and
 * suggested total — is what a fresh check of the stored form gives (`jxzp
 * check` runs the same rules_run on store_load), and the list's cached
 * summary agrees.
 *
 * make check runs 300 random edit sequences; JXZP_SHEET_SEQS=n runs n
 * (tests/bench/sheet.sh runs 1,000 and more), JXZP_SHEET_SEED=k starts
 * at seed k, so a failure names the seed that shows it.
 */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io.h"
#include "sheet.h"

struct fx {
	char dir[64], path[128];
	struct store *s;
	struct io_result samples;
};

static void read_sample(const char *name, struct io_result *r)
{
	const char *src = getenv("JXZP_SRCDIR");
	char path[1024];
	snprintf(path, sizeof path, "%s/tests/fixtures/%s", src ? src : ".", name);
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof buf, fp);
	fclose(fp);
	assert_int_equal(io_text_read(buf, n, name, r), 0);
	assert_true(r->n_forms > 0);
}

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof *x);
	const char *tmp = getenv("TMPDIR");
	snprintf(x->dir, sizeof x->dir, "%s/jxzp-sheet.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(x->dir));
	snprintf(x->path, sizeof x->path, "%s/t.db", x->dir);
	char err[256];
	int code;
	x->s = store_open(x->path, err, sizeof err, &code);
	if (!x->s)
		fail_msg("store_open: %s", err);
	read_sample("chaoyang-2024-part.txt", &x->samples);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;
	store_close(x->s);
	io_result_free(&x->samples);
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", x->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "# could not remove %s\n", x->dir);
	free(x);
	return 0;
}

/* A stored copy of sample form k, its own project name (the store keeps
 * unit, year and project unique). */
static int64_t store_sample(struct fx *x, size_t k, unsigned tag)
{
	struct form *f = form_copy(x->samples.forms[k % x->samples.n_forms]);
	uuid_make(f->uuid);
	for (size_t i = 0; i < f->n_ind; i++)
		uuid_make(f->ind[i].uuid);
	f->id = 0;
	char name[512];
	snprintf(name, sizeof name, "%s #%u", f->project ? f->project : "", tag);
	set_str(&f->project, name);
	if (store_insert(x->s, f) != STORE_OK)
		fail_msg("store_insert: %s", store_errmsg(x->s));
	assert_int_equal(doc_refresh_summary(x->s, f), STORE_OK);
	int64_t id = f->id;
	form_free(f);
	return id;
}

/* ---- what the screen shows, and what check says ---------------------------- */

struct cached {
	int64_t id;
	char score[32], grade[16];
	int errors;
	bool found;
};

static int cached_cb(const struct form_row *r, void *arg)
{
	struct cached *c = arg;
	if (r->id != c->id)
		return 0;
	snprintf(c->score, sizeof c->score, "%s", r->score ? r->score : "");
	snprintf(c->grade, sizeof c->grade, "%s", r->grade ? r->grade : "");
	c->errors = r->errors;
	c->found = true;
	return 1;
}

static char why[4096];

/* The screen's findings against a fresh check of what the store holds;
 * false with the difference in why[]. */
static bool agrees(struct store *s, const struct sheet *sh)
{
	struct form *f;
	if (store_load(s, sh->d.f->id, &f) != STORE_OK) {
		snprintf(why, sizeof why, "store_load: %s", store_errmsg(s));
		return false;
	}
	const struct ruleset *rs = ruleset_find(f->ruleset);
	struct check *c = check_new(f->n_ind + 8);
	assert_int_equal(rules_run(f, rs ? rs : ruleset_default(), c), 0);
	const struct check *k = sh->chk;
	bool ok = false;
	why[0] = '\0';
	if (!form_equal(sh->live, f)) {
		snprintf(why, sizeof why, "the form on screen is not the stored form");
		goto out;
	}
	if (strcmp(k->total_score, c->total_score) || strcmp(k->grade, c->grade) ||
	    strcmp(k->suggested_total, c->suggested_total)) {
		snprintf(why, sizeof why, "top line: screen 总分 %s %s (建议 %s), check %s %s (建议 %s)",
			 k->total_score, k->grade, k->suggested_total, c->total_score, c->grade,
			 c->suggested_total);
		goto out;
	}
	if (k->errors != c->errors || k->warnings != c->warnings) {
		snprintf(why, sizeof why, "F5 count: screen %d errors %d warnings, check %d and %d",
			 k->errors, k->warnings, c->errors, c->warnings);
		goto out;
	}
	for (size_t i = 0; i < k->n_findings || i < c->n_findings; i++) {
		const struct finding *a = i < k->n_findings ? &k->findings[i] : NULL;
		const struct finding *b = i < c->n_findings ? &c->findings[i] : NULL;
		if (!a || !b || strcmp(a->field, b->field) || strcmp(a->code, b->code) ||
		    a->severity != b->severity || strcmp(a->message, b->message)) {
			snprintf(why, sizeof why, "finding %zu: screen %s %s %s, check %s %s %s", i,
				 a ? a->field : "-", a ? a->code : "", a ? a->message : "",
				 b ? b->field : "-", b ? b->code : "", b ? b->message : "");
			goto out;
		}
	}
	/* the list's figures (cached when the doc saved) */
	struct cached m = { .id = f->id };
	struct store_filter flt = { .unit = f->unit };
	if (store_list(s, &flt, cached_cb, &m) != STORE_OK || !m.found) {
		snprintf(why, sizeof why, "the form is not in the list");
		goto out;
	}
	if (strcmp(m.score, c->total_score) || strcmp(m.grade, c->grade) || m.errors != c->errors) {
		snprintf(why, sizeof why, "the list: %s %s %d errors, check %s %s %d", m.score, m.grade,
			 m.errors, c->total_score, c->grade, c->errors);
		goto out;
	}
	ok = true;
out:
	check_free(c);
	form_free(f);
	return ok;
}

/* ---- random edits, the screen's way ----------------------------------------- */

static uint64_t rng;

static unsigned pick(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

#define N(a) (sizeof (a) / sizeof (a)[0])

static const char *const figures[] = {
	"0", "5", "9.99", "10", "10.00", "15", "30", "50", "85", "90", "95", "100", "100.00",
	"160.349", "160.329", "738.62892", "99.9", "", "abc", "１６０．３４９", "160,329", "-5",
	"≥90%", "4个月", "优",
};
static const char *const rates[] = { "99.98%", "99.99%", "100%", "100.00%", "50%", "", "x", "99.98" };
static const char *const grades[] = { "优", "良", "中", "差", "", "A" };
static const char *const texts[] = {
	"测试", "", "服务对象", "因机构改革，部分资金在朝阳园支付", "数据局", "第一行\n第二行",
};
static const char *const level1s[] = { "产出指标", "成本指标", "效益指标", "满意度指标", "", "服务对象" };
static const char *const level2s[] = {
	"数量指标", "质量指标", "时效指标", "经济成本指标", "社会效益指标", "服务对象满意度指标", "服务对象", "",
};
static const char *const natures[] = { "≥", "≤", "=", "定性", "" };

/* The cells the screen lets a person type into, as it lays them out:
 * *figure when the cell is a figure (F_NUM or F_AUTO: the computed
 * figures follow it). */
static void random_field(const struct sheet *sh, char path[64], const char **value, bool *figure)
{
	static const char *const header[] = { "project", "department", "unit", "goals.expected", "goals.achieved" };
	unsigned what = pick(10);
	size_t n = sh->live->n_ind;
	*figure = true;
	if (what < 2) {
		snprintf(path, 64, "%s", header[pick(N(header))]);
		*value = texts[pick(N(texts))];
		*figure = false;
	} else if (what < 5) {
		int r = (int)pick(FUND_ROWS), c = (int)pick(FUND_COLS);
		if (r != FUND_TOTAL && (c == FUND_WEIGHT || c == FUND_SCORE))
			r = FUND_TOTAL;		/* "—" on paper: no cell to type into */
		snprintf(path, 64, "funds.%s.%s", fund_row_key[r], fund_col_key[c]);
		*value = c == FUND_RATE ? rates[pick(N(rates))] : figures[pick(N(figures))];
	} else if (what < 6) {
		static const char *const totals[] = { "total.weight", "total.score", "total.grade" };
		snprintf(path, 64, "%s", totals[pick(3)]);
		*value = strcmp(path, "total.grade") == 0 ? grades[pick(N(grades))] : figures[pick(N(figures))];
		*figure = strcmp(path, "total.grade") != 0;
	} else if (n > 0) {
		static const int typed[] = {
			IND_NAME, IND_TARGET, IND_UNIT_OF_MEASURE, IND_ACTUAL, IND_WEIGHT, IND_SCORE, IND_DEVIATION,
		};
		int f = typed[pick(N(typed))];
		form_ind_path(path, 64, pick((unsigned)n), f);
		*value = f == IND_NAME || f == IND_DEVIATION || f == IND_UNIT_OF_MEASURE ?
			 texts[pick(N(texts))] : figures[pick(N(figures))];
		*figure = f == IND_TARGET || f == IND_ACTUAL || f == IND_WEIGHT || f == IND_SCORE;
	} else {
		snprintf(path, 64, "funds.total.spent");
		*value = figures[pick(N(figures))];
	}
}

/* Typing value key by key (the rules on each), then leaving the cell. */
static int type_and_leave(struct sheet *sh, const char *path, const char *value, bool figure)
{
	size_t len = strlen(value);
	char buf[256];
	for (size_t i = 1; i < len; i++) {
		if (((unsigned char)value[i] & 0xc0) == 0x80)
			continue;	/* a key is a whole character */
		memcpy(buf, value, i);
		buf[i] = '\0';
		sheet_type(sh, path, buf);
	}
	sheet_type(sh, path, value);
	return sheet_commit(sh, path, value, figure);
}

static const char *const computed_paths[] = {
	"funds.total.rate", "funds.appropriation.rate", "funds.carryover.rate", "funds.other.rate",
	"funds.total.score", "total.weight", "total.score", "total.grade",
};

/* One step; a description of it in op[]. */
static void step(struct fx *x, struct sheet *sh, char op[160], bool *skip_check)
{
	unsigned what = pick(100);
	size_t n = sh->live->n_ind;
	char path[64];
	const char *value;
	bool figure;
	int rc = STORE_OK;
	*skip_check = false;
	if (what < 50) {
		random_field(sh, path, &value, &figure);
		snprintf(op, 160, "type %s = \"%s\"", path, value);
		rc = type_and_leave(sh, path, value, figure);
		if (rc != STORE_OK) {
			/* refused (a form needs its unit): the text stays in the
			 * editor, and the person types back what was saved */
			char scratch[FORM_SCRATCH];
			char *was = xstrdup(form_get(sh->d.f, path, scratch));
			size_t l = strlen(op);
			snprintf(op + l, 160 - l, " refused, typed back");
			rc = type_and_leave(sh, path, was ? was : "", figure);
			free(was);
		}
	} else if (what < 58 && n > 0) {
		/* a picker: 一级 (a 二级 outside it cleared), 二级, 性质 */
		size_t r = pick((unsigned)n);
		unsigned kind = pick(3);
		char p2[64];
		sheet_group(sh);
		if (kind == 0) {
			form_ind_path(path, sizeof path, r, IND_LEVEL1);
			value = level1s[pick(N(level1s))];
			rc = sheet_set(sh, path, value);
			form_ind_path(p2, sizeof p2, r, IND_LEVEL2);
			if (rc == STORE_OK && pick(2))
				rc = sheet_set(sh, p2, "");
		} else {
			form_ind_path(path, sizeof path, r, kind == 1 ? IND_LEVEL2 : IND_NATURE);
			value = kind == 1 ? level2s[pick(N(level2s))] : natures[pick(N(natures))];
			rc = sheet_set(sh, path, value);
		}
		sheet_settle(sh);
		snprintf(op, 160, "pick %s = \"%s\"", path, value);
	} else if (what < 64) {
		size_t r = n ? pick((unsigned)n) : 0;
		snprintf(op, 160, "F2 on row %zu", r);
		if (n && sh->d.chk->ind[r].has_suggestion)
			rc = sheet_take_suggestion(sh, r);
		else
			*skip_check = true;
	} else if (what < 70) {
		const char *p = computed_paths[pick(N(computed_paths))];
		char buf[SHEET_BUFSZ];
		snprintf(op, 160, "F2 on %s", p);
		if (sheet_computed(sh, p, buf))
			rc = sheet_take_computed(sh, p);
		else
			*skip_check = true;
	} else if (what < 74 && n < 12) {
		size_t at = pick((unsigned)n + 1);
		snprintf(op, 160, "F3 adds row at %zu", at);
		rc = sheet_add_row(sh, at);
	} else if (what < 78 && n > 0) {
		size_t at = pick((unsigned)n);
		snprintf(op, 160, "F4 deletes row %zu", at);
		rc = sheet_del_row(sh, at);
	} else if (what < 81 && n > 1) {
		size_t at = pick((unsigned)n - 1);
		snprintf(op, 160, "Alt-Down moves row %zu", at);
		rc = sheet_move_row(sh, at, at + 1);
	} else if (what < 90) {
		bool back = pick(3) != 0;
		snprintf(op, 160, "%s", back ? "Ctrl-Z" : "Ctrl-Y");
		rc = sheet_undo(sh, back);
		if (rc == STORE_NOTFOUND)
			rc = STORE_OK;
	} else if (what < 94) {
		/* changed elsewhere (jxzp set), then a save here finds it stale,
		 * loads the form again and puts its change on top */
		struct doc o;
		assert_int_equal(doc_open(&o, x->s, sh->d.f->id), STORE_OK);
		random_field(sh, path, &value, &figure);
		int orc = doc_set(&o, path, value);
		bool changed = orc == STORE_OK && o.f->version != sh->d.f->version;
		doc_close(&o);
		char mine[64];
		snprintf(mine, sizeof mine, "改于此处 %u", pick(1000000));
		snprintf(op, 160, "elsewhere %s = \"%s\" (%d), then type project", path, value, orc);
		rc = type_and_leave(sh, "project", mine, false);
		if (rc == SHEET_CLASH) {
			/* the very field changed elsewhere: never overwritten
			 * silently; a person keeps one of the two */
			if (strcmp(path, "project") != 0)
				fail_msg("%s: a clash on a field nobody else changed", op);
			bool keep_mine = pick(2);
			rc = sheet_settle_clash(sh, keep_mine);
			assert_int_equal(rc, STORE_OK);
			assert_string_equal(sh->d.f->project, keep_mine ? mine : value);
		} else {
			if (changed && strcmp(path, "project") == 0 && strcmp(value, mine) != 0)
				fail_msg("%s: the same field changed elsewhere was overwritten", op);
			if (changed && !sh->reloaded)
				fail_msg("%s: the save here did not see the change made elsewhere", op);
		}
		sh->reloaded = false;
	} else {
		snprintf(op, 160, "reload");
		rc = sheet_reload(sh);
	}
	if (rc != STORE_OK && rc != STORE_BADPATH)
		fail_msg("%s: store refused (%d): %s", op, rc, sh->d.err);
}

static unsigned env_or(const char *name, unsigned dflt)
{
	const char *v = getenv(name);
	return v && *v ? (unsigned)strtoul(v, NULL, 10) : dflt;
}

static void property_screen_is_check(void **state)
{
	struct fx *x = *state;
	unsigned seqs = env_or("JXZP_SHEET_SEQS", 300), first = env_or("JXZP_SHEET_SEED", 1);
	unsigned steps = 0;
	for (unsigned seed = first; seed < first + seqs; seed++) {
		rng = 0x9e3779b97f4a7c15ull ^ ((uint64_t)seed * 0x100000001b3ull);
		pick(2);
		int64_t id = store_sample(x, seed, seed);
		struct sheet sh;
		assert_int_equal(sheet_open(&sh, x->s, id), STORE_OK);
		if (!agrees(x->s, &sh))
			fail_msg("seed %u, as opened: %s", seed, why);
		unsigned len = 5 + pick(25);
		for (unsigned k = 0; k < len; k++) {
			char op[160];
			bool skip;
			step(x, &sh, op, &skip);
			steps++;
			if (!skip && !agrees(x->s, &sh))
				fail_msg("seed %u step %u (%s): %s", seed, k + 1, op, why);
		}
		sheet_close(&sh);
	}
	print_message("# %u edit sequences, %u steps: the screen's findings were check's after each\n",
		      seqs, steps);
}

/* The first reproduction, step by step: 得分 10 → 5 and Tab. */
static void a_score_changed_moves_the_total_on_screen(void **state)
{
	struct fx *x = *state;
	int64_t id = store_sample(x, 0, 0);
	struct sheet sh;
	assert_int_equal(sheet_open(&sh, x->s, id), STORE_OK);
	assert_true(sh.live->n_ind > 0);
	assert_int_equal(sh.chk->errors, 0);
	char p[64];
	form_ind_path(p, sizeof p, 0, IND_SCORE);
	assert_int_equal(type_and_leave(&sh, p, "5", true), STORE_OK);
	assert_true(agrees(x->s, &sh));
	const struct finding *out[4];
	assert_int_equal(rules_findings_for(sh.chk, "total.score", out, 4), 0);
	assert_string_equal(sh.live->total_score, sh.chk->total_score);
	assert_int_equal(sheet_undo(&sh, true), STORE_OK);
	assert_true(agrees(x->s, &sh));
	assert_int_equal(rules_findings_for(sh.chk, "total.score", out, 4), 0);
	sheet_close(&sh);
}

/* A printed 执行率 a person types stays theirs; F2 takes the computed one. */
static void a_typed_rate_stays_and_f2_computes_it(void **state)
{
	struct fx *x = *state;
	int64_t id = store_sample(x, 0, 1);
	struct sheet sh;
	assert_int_equal(sheet_open(&sh, x->s, id), STORE_OK);
	assert_int_equal(type_and_leave(&sh, "funds.total.rate", "50%", true), STORE_OK);
	assert_string_equal(sh.d.f->funds[FUND_TOTAL][FUND_RATE], "50%");
	const struct finding *out[4];
	assert_int_equal(rules_findings_for(sh.chk, "funds.total.rate", out, 4), 1);
	assert_int_equal(out[0]->severity, SEV_ERROR);
	assert_true(agrees(x->s, &sh));
	char buf[SHEET_BUFSZ];
	const char *want = sheet_computed(&sh, "funds.total.rate", buf);
	assert_non_null(want);
	char w[SHEET_BUFSZ];
	snprintf(w, sizeof w, "%s", want);
	assert_int_equal(sheet_take_computed(&sh, "funds.total.rate"), STORE_OK);
	assert_string_equal(sh.d.f->funds[FUND_TOTAL][FUND_RATE], w);
	assert_int_equal(rules_findings_for(sh.chk, "funds.total.rate", out, 4), 0);
	assert_true(agrees(x->s, &sh));
	sheet_close(&sh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_score_changed_moves_the_total_on_screen, setup, teardown),
		cmocka_unit_test_setup_teardown(a_typed_rate_stays_and_f2_computes_it, setup, teardown),
		cmocka_unit_test_setup_teardown(property_screen_is_check, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
