/*
 * doc: one form being worked on (see doc.h), shared by the screen and
 * `jxzp set`, so both refuse, save, check and cache in the same way.
 *
 * Per change the cost is one form_set in memory, one rules_run into a
 * reused struct check, and one transaction holding the store_save_field and,
 * only when score, grade, rate or error count moved, the cached summary.  The
 * commit is most of it (tests/bench/doc.sh: store_save_field is about two
 * thirds of a doc_set's CPU time); the summary rides in the same commit.
 */
#include "config.h"
#include "doc.h"
#include "numtext.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

static void say(struct doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct doc *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->err, sizeof d->err, fmt, ap);
	va_end(ap);
}

static const struct ruleset *ruleset_of(const struct form *f)
{
	const struct ruleset *rs = ruleset_find(f->ruleset);
	return rs ? rs : ruleset_default();
}

/* Runs the rules on f into *chk, growing it when the form has more rows. */
static void run_rules(const struct form *f, const struct ruleset *rs, struct check **chk)
{
	if (!*chk || (*chk)->cap_ind < f->n_ind) {
		check_free(*chk);
		/* some room to spare, so adding rows one by one rarely reallocates */
		*chk = check_new(f->n_ind + 8);
	}
	int rc = rules_run(f, rs, *chk);
	assert(rc == 0);	/* sized for the form above */
	(void)rc;
}

static int cache_summary(struct store *s, const struct form *f, const struct check *c)
{
	int rc = store_set_summary(s, f->id, c->total_score[0] ? c->total_score : NULL,
				   c->grade[0] ? c->grade : NULL, c->errors);
	/* the 执行率 too: the reviewer's pager sorts by it */
	if (rc == STORE_OK)
		rc = store_set_rate(s, f->id, c->rate[FUND_TOTAL][0] ? c->rate[FUND_TOTAL] : NULL);
	return rc;
}

int doc_refresh_summary(struct store *s, const struct form *f)
{
	struct check *c = NULL;
	int rc = doc_refresh_summary_reuse(s, f, &c);
	check_free(c);
	return rc;
}

int doc_refresh_summary_reuse(struct store *s, const struct form *f, struct check **chk)
{
	/* rules.c promises a reused check gives what a new one would */
	run_rules(f, ruleset_of(f), chk);
	return cache_summary(s, f, *chk);
}

int doc_open(struct doc *d, struct store *s, int64_t id)
{
	memset(d, 0, sizeof *d);
	d->s = s;
	int rc = store_load(s, id, &d->f);
	if (rc != STORE_OK) {
		if (rc == STORE_NOTFOUND)
			say(d, _("no form with id %lld"), (long long)id);
		else
			say(d, "%s", store_errmsg(s));
		d->f = NULL;
		return rc;
	}
	d->rs = ruleset_of(d->f);
	run_rules(d->f, d->rs, &d->chk);
	return STORE_OK;
}

void doc_close(struct doc *d)
{
	form_free(d->f);
	check_free(d->chk);
	d->f = NULL;
	d->chk = NULL;
}

void doc_recheck(struct doc *d)
{
	assert(d->f);
	d->rs = ruleset_of(d->f);
	run_rules(d->f, d->rs, &d->chk);
}

/* Submitted and approved forms are read-only until returned. */
static bool editable(struct doc *d)
{
	if (d->f->status == STATUS_SUBMITTED) {
		say(d, _("form %lld is submitted: it cannot be changed unless a reviewer returns it"),
		    (long long)d->f->id);
		return false;
	}
	if (d->f->status == STATUS_APPROVED) {
		say(d, _("form %lld is approved: it cannot be changed"), (long long)d->f->id);
		return false;
	}
	return true;
}

static int store_failed(struct doc *d, int rc)
{
	if (rc == STORE_STALE)
		say(d, _("form %lld was changed elsewhere since it was opened; reopen it"),
		    (long long)d->f->id);
	else
		say(d, "%s", store_errmsg(d->s));
	return rc;
}

/* What the store caches of a check (cache_summary), to see if it moved. */
struct cached {
	char score[16], grade[8], rate[16];
	int errors;
};

static void remember(const struct check *c, struct cached *m)
{
	snprintf(m->score, sizeof m->score, "%s", c->total_score);
	snprintf(m->grade, sizeof m->grade, "%s", c->grade);
	snprintf(m->rate, sizeof m->rate, "%s", c->rate[FUND_TOTAL]);
	m->errors = c->errors;
}

static bool moved(const struct check *c, const struct cached *m)
{
	return m->errors != c->errors || strcmp(m->score, c->total_score) != 0 ||
	       strcmp(m->grade, c->grade) != 0 || strcmp(m->rate, c->rate[FUND_TOTAL]) != 0;
}

/* After a change: rules again, and the cached summary when it moved. */
static int after_change(struct doc *d)
{
	struct cached was;
	remember(d->chk, &was);
	doc_recheck(d);
	if (!moved(d->chk, &was))
		return STORE_OK;
	int rc = cache_summary(d->s, d->f, d->chk);
	if (rc != STORE_OK)
		say(d, "%s", store_errmsg(d->s));
	return rc;
}

static int set_text(struct doc *d, const char *path, const char *value);

/* A figure is saved in its plain spelling (numtext.h), in memory too, so
 * the screen shows what the store holds. */
int doc_set(struct doc *d, const char *path, const char *value)
{
	char *plain = numtext_normalise(path, value);
	int rc = set_text(d, path, plain ? plain : value);
	free(plain);
	return rc;
}

static int set_text(struct doc *d, const char *path, const char *value)
{
	assert(d->f);
	d->err[0] = '\0';
	if (!editable(d))
		return STORE_READONLY;
	char scratch[FORM_SCRATCH];
	const char *err = NULL;
	if (!form_path_valid(d->f, path)) {
		/* form_set says why: unknown path, or no such indicator row */
		form_set(d->f, path, NULL, &err);
		say(d, "%s: %s", path, err ? _(err) : _("unknown field path"));
		return STORE_BADPATH;
	}
	const char *cur = form_get(d->f, path, scratch);
	if ((cur == value) || (cur && value && strcmp(cur, value) == 0))
		return STORE_OK;	/* nothing changes, nothing to record */
	char *old = xstrdup(cur);
	if (form_set(d->f, path, value, &err) != 0) {
		say(d, "%s: %s", path, _(err));
		free(old);
		return STORE_BADPATH;
	}
	/* The rules first, so the save and the cached summary it moves are
	 * one transaction: one commit per change, not two (the commit, its
	 * WAL frames and its locks are most of what a change costs). */
	struct cached was;
	remember(d->chk, &was);
	doc_recheck(d);
	bool cache = moved(d->chk, &was);
	int64_t version = d->f->version;
	int rc = store_begin(d->s);
	if (rc == STORE_OK) {
		rc = store_save_field(d->s, d->f->id, d->f->version, path, value, &version);
		if (rc == STORE_OK && cache)
			rc = cache_summary(d->s, d->f, d->chk);
		if (rc == STORE_OK)
			rc = store_commit(d->s);	/* rolls itself back if it fails */
		else
			store_rollback(d->s);		/* keeps the message of rc */
	}
	if (rc != STORE_OK) {
		/* put memory back as it was saved */
		const char *e2;
		int back = form_set(d->f, path, old, &e2);
		if (back != 0 && strcmp(path, "year") == 0)
			d->f->year = 0;		/* the year was absent */
		free(old);
		doc_recheck(d);
		return store_failed(d, rc);
	}
	free(old);
	d->f->version = version;
	return STORE_OK;
}

/* Row changes replace the whole form: made on a copy, kept only if saved. */
static int save_copy(struct doc *d, struct form *c)
{
	int rc = store_save_form(d->s, c);
	if (rc != STORE_OK) {
		store_failed(d, rc);
		form_free(c);
		return rc;
	}
	form_free(d->f);
	d->f = c;
	return after_change(d);
}

int doc_add_row(struct doc *d, size_t at)
{
	assert(d->f);
	d->err[0] = '\0';
	if (!editable(d))
		return STORE_READONLY;
	if (at > d->f->n_ind) {
		say(d, _("no indicator row %zu"), at + 1);
		return STORE_BADPATH;
	}
	struct form *c = form_copy(d->f);
	if (!form_add_indicator(c, at)) {
		form_free(c);
		say(d, _("out of memory"));
		return STORE_ERR;
	}
	return save_copy(d, c);
}

int doc_del_row(struct doc *d, size_t at)
{
	assert(d->f);
	d->err[0] = '\0';
	if (!editable(d))
		return STORE_READONLY;
	if (at >= d->f->n_ind) {
		say(d, _("no indicator row %zu"), at + 1);
		return STORE_BADPATH;
	}
	struct form *c = form_copy(d->f);
	form_del_indicator(c, at);
	return save_copy(d, c);
}

int doc_move_row(struct doc *d, size_t from, size_t to)
{
	assert(d->f);
	d->err[0] = '\0';
	if (!editable(d))
		return STORE_READONLY;
	if (from >= d->f->n_ind || to >= d->f->n_ind) {
		say(d, _("no indicator row %zu"), (from >= d->f->n_ind ? from : to) + 1);
		return STORE_BADPATH;
	}
	if (from == to)
		return STORE_OK;
	struct form *c = form_copy(d->f);
	form_move_indicator(c, from, to);
	return save_copy(d, c);
}

/* draft → submitted → returned / approved; returned → submitted. */
static bool may_move(enum form_status from, enum form_status to)
{
	switch (to) {
	case STATUS_SUBMITTED:
		return from == STATUS_DRAFT || from == STATUS_RETURNED;
	case STATUS_RETURNED:
	case STATUS_APPROVED:
		return from == STATUS_SUBMITTED;
	case STATUS_DRAFT:
		return false;
	}
	return false;
}

int doc_set_status(struct doc *d, enum form_status to, const char *reason)
{
	assert(d->f);
	d->err[0] = '\0';
	static const char *const name[4] = { N_("draft"), N_("submitted"), N_("returned"), N_("approved") };
	if (!may_move(d->f->status, to)) {
		say(d, _("form %lld is %s: it cannot become %s"), (long long)d->f->id,
		    _(name[d->f->status]), _(name[to]));
		return STORE_READONLY;
	}
	if (to == STATUS_SUBMITTED && d->chk->errors > 0) {
		say(d, ngettext("form %lld has %d error; fix it before submitting",
				"form %lld has %d errors; fix them before submitting",
				(unsigned long)d->chk->errors),
		    (long long)d->f->id, d->chk->errors);
		return STORE_READONLY;
	}
	if (to == STATUS_RETURNED && (!reason || !*reason)) {
		say(d, _("a returned form needs a reason"));
		return STORE_BADPATH;
	}
	int rc = store_set_status(d->s, d->f->id, d->f->version, to, reason);
	if (rc != STORE_OK)
		return store_failed(d, rc);
	/* the store bumped the version: reload so the next save is not stale */
	struct form *f;
	rc = store_load(d->s, d->f->id, &f);
	if (rc != STORE_OK) {
		say(d, "%s", store_errmsg(d->s));
		return rc;
	}
	form_free(d->f);
	d->f = f;
	doc_recheck(d);
	return STORE_OK;
}

/* ---- carry forward ---------------------------------------------------------- */

struct taken {
	const char *project;
	int64_t id;
};

static int match_project(const struct form_row *r, void *arg)
{
	struct taken *t = arg;
	if (r->project && strcmp(r->project, t->project) == 0) {
		t->id = r->id;
		return 1;
	}
	return 0;
}

int doc_carry_forward(struct store *s, int64_t id, int year, int64_t *new_id,
		      char *err, size_t errlen)
{
	struct form *f;
	*new_id = 0;
	err[0] = '\0';
	int rc = store_load(s, id, &f);
	if (rc != STORE_OK) {
		if (rc == STORE_NOTFOUND)
			snprintf(err, errlen, _("no form with id %lld"), (long long)id);
		else
			snprintf(err, errlen, "%s", store_errmsg(s));
		return rc;
	}
	if (year == 0)
		year = f->year + 1;
	if (year < 1900 || year > 2999) {
		snprintf(err, errlen, _("cannot carry form %lld forward into the year %d"),
			 (long long)id, year);
		form_free(f);
		return STORE_BADPATH;
	}
	/* say which form holds the key before trying: the store would refuse
	 * too (the unique index), but this names the form in plain words */
	struct store_filter flt = { .unit = f->unit, .year = year };
	struct taken t = { f->project ? f->project : "", 0 };
	if (f->unit && store_list(s, &flt, match_project, &t) == STORE_OK && t.id) {
		snprintf(err, errlen, _("form %lld already holds %s / %d / %s; nothing was carried forward"),
			 (long long)t.id, f->unit, year, t.project);
		form_free(f);
		return STORE_EXISTS;
	}
	struct form *n = form_carry_forward(f, year);
	form_free(f);
	rc = store_insert(s, n);
	if (rc == STORE_OK) {
		*new_id = n->id;
		doc_refresh_summary(s, n);	/* a cache: the form is stored either way */
	} else {
		snprintf(err, errlen, "%s", store_errmsg(s));
	}
	form_free(n);
	return rc;
}
