/*
 * Property test of the bundle merge with four machines (issue 21): two
 * clerks of a unit (A, B), the office (O) and a second office above it
 * (P).  A and B send to O; O writes one bundle that A, B and P all apply;
 * P sends to O.  Each seed: random edits on every machine (the same and
 * different fields and rows, values typed fresh or copied from another
 * machine so equal values arrive by different ways), rows added, moved and
 * deleted, forms deleted, 实施单位 changed back and forth, conflicts
 * decided by a "person", bundles applied in random order, some lost and
 * sent again at the end.  Then everything is delivered until nobody has
 * anything to send, and:
 *
 * 1. every machine agrees on every field, row and row order except where a
 *    conflict is listed;
 * 2. every conflict on a field is listed on every machine that holds the
 *    form live (a conflict on a whole row is listed where the two versions
 *    met, not carried on, and stands for its fields' conflicts);
 * 3. no value typed anywhere is gone: it is still some machine's value, or
 *    one side of an open conflict, or a person replaced that value (typed
 *    over it, deleted its row or form, or decided a conflict against it).
 *
 * The oracle is the test's own log of what people did, never the code under
 * test.  JXZP_PROP_SEEDS=n sets the seeds (default 150 under make check;
 * tests/bench/bundle_prop.sh runs 1,000 and more), JXZP_PROP_SEED=s runs
 * one seed (a failure names it), JXZP_PROP_STEPS=n the random steps per
 * seed (40), JXZP_PROP_TRACE=1 prints the conflicts of each final round.
 * Row identities are random (uuid_make), and rows with equal positions
 * are ordered by them, so a seed replays the same steps on possibly other
 * rows: a failing seed may need a few runs to show again.
 */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle.h"
#include "form.h"
#include "keys.h"
#include "store.h"
#include "store_keys.h"

#define UNIT "北京市朝阳区信息中心"
#define OTHER "北京市朝阳区数据局"
#define NM 4		/* machines: A, B, O, P */
#define NFORMS 2
#define STEPS 40
#define MAXQ 64

enum { MA, MB, MO, MP };
static const char *const mname[NM] = { "A", "B", "O", "P" };
/* who receives what each machine writes */
static const bool sends_to[NM][NM] = {
	[MA] = { [MO] = true },
	[MB] = { [MO] = true },
	[MO] = { [MA] = true, [MB] = true, [MP] = true },
	[MP] = { [MO] = true },
};

struct queue { char path[MAXQ][160]; int n; };

struct world {
	char dir[64], db[NM][128];
	struct store *s[NM];
	struct queue in[NM], lost[NM];
	int files, made;
	unsigned seed;
	/* the log: values people typed, and values people replaced knowingly */
	struct entry { char key[160]; char *v; } *typed, *gone;
	size_t n_typed, n_gone, cap_typed, cap_gone;
};

static unsigned rnd(unsigned n)
{
	return (unsigned)rand() % n;
}

static void fail_seed(struct world *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail_seed(struct world *w, const char *fmt, ...)
{
	char msg[800];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fail_msg("seed %u: %s (JXZP_PROP_SEED=%u runs it alone; databases in %s)", w->seed, msg, w->seed, w->dir);
}

static struct store *open_ok(const char *path)
{
	char err[512] = "";
	int code = 0;
	struct store *s = store_open(path, err, sizeof err, &code);
	if (!s)
		fail_msg("store_open: %s", err);
	return s;
}

static void log_add(struct entry **e, size_t *n, size_t *cap, const char *key, const char *v)
{
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 256;
		*e = realloc(*e, *cap * sizeof **e);
		assert_non_null(*e);
	}
	snprintf((*e)[*n].key, sizeof (*e)[*n].key, "%s", key);
	(*e)[(*n)++].v = v ? xstrdup(v) : NULL;
}

static bool veq(const char *a, const char *b)
{
	return a ? b && strcmp(a, b) == 0 : !b;
}

/* A field's identity: form uuid / table / row key / column. */
static void field_key(char *buf, size_t len, const char *form, const char *tbl, const char *rk, const char *col)
{
	snprintf(buf, len, "%s/%s/%s/%s", form, tbl, rk, col);
}

/* ---- a machine's whole state, read with SQL beside the store ------------------ */

struct kv { char *k, *v; };
struct state {
	struct kv *kv;
	size_t n, cap;
	struct conf { char key[160]; char *mine, *theirs; } *c;
	size_t nc;
};

static void st_put(struct state *s, const char *k, const char *v)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		s->kv = realloc(s->kv, s->cap * sizeof *s->kv);
		assert_non_null(s->kv);
	}
	s->kv[s->n].k = xstrdup(k);
	s->kv[s->n++].v = v ? xstrdup(v) : NULL;
}

static int kv_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kv *)a)->k, ((const struct kv *)b)->k);
}

static const struct kv *st_get(const struct state *s, const char *k)
{
	struct kv key = { (char *)k, NULL };
	return bsearch(&key, s->kv, s->n, sizeof *s->kv, kv_cmp);
}

static void st_free(struct state *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->kv[i].k);
		free(s->kv[i].v);
	}
	for (size_t i = 0; i < s->nc; i++) {
		free(s->c[i].mine);
		free(s->c[i].theirs);
	}
	free(s->kv);
	free(s->c);
	*s = (struct state){ 0 };
}

static const char *const form_cols[] = { "deleted", "year", "unit", "project", "department", "lead", "phone",
					 "status", "goals_expected", "goals_achieved" };
static const char *const fund_cols[] = { "initial", "budget", "spent", "weight", "rate", "score" };
static const char *const ind_cols[] = { "level1", "level2", "name", "nature", "target", "unit_of_measure",
					"actual", "weight", "score", "deviation" };

static void read_state(const char *path, struct state *s)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *st;
	char k[200];
	/* form columns: key form/<uuid>//<col> */
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT uuid, deleted, year, unit, project, department, lead, phone,"
					    " status, goals_expected, goals_achieved FROM form", -1, &st, NULL),
			 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		for (int i = 0; i < (int)(sizeof form_cols / sizeof *form_cols); i++) {
			field_key(k, sizeof k, (const char *)sqlite3_column_text(st, 0), "form", "", form_cols[i]);
			st_put(s, k, (const char *)sqlite3_column_text(st, 1 + i));
		}
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT form_uuid, row, initial, budget, spent, weight, rate, score"
					    " FROM fund", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		for (int i = 0; i < 6; i++) {
			field_key(k, sizeof k, (const char *)sqlite3_column_text(st, 0), "fund",
				  (const char *)sqlite3_column_text(st, 1), fund_cols[i]);
			st_put(s, k, (const char *)sqlite3_column_text(st, 2 + i));
		}
	sqlite3_finalize(st);
	/* indicator rows: presence (col *), fields, and each form's order */
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT form_uuid, uuid, level1, level2, name, nature, target,"
					    " unit_of_measure, actual, weight, score, deviation FROM indicator"
					    " ORDER BY form_uuid, pos, uuid", -1, &st, NULL), SQLITE_OK);
	char order_form[40] = "", *order = NULL;
	size_t olen = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *fu = (const char *)sqlite3_column_text(st, 0), *ru = (const char *)sqlite3_column_text(st, 1);
		if (strcmp(fu, order_form) != 0) {
			if (order) {
				field_key(k, sizeof k, order_form, "order", "", "");
				st_put(s, k, order);
			}
			free(order);
			order = xstrdup("");
			olen = 0;
			snprintf(order_form, sizeof order_form, "%s", fu);
		}
		order = realloc(order, olen + 40);
		assert_non_null(order);
		olen += (size_t)snprintf(order + olen, 40, "%.8s,", ru);
		field_key(k, sizeof k, fu, "indicator", ru, "*");
		st_put(s, k, "row");
		for (int i = 0; i < 10; i++) {
			field_key(k, sizeof k, fu, "indicator", ru, ind_cols[i]);
			st_put(s, k, (const char *)sqlite3_column_text(st, 2 + i));
		}
	}
	if (order) {
		field_key(k, sizeof k, order_form, "order", "", "");
		st_put(s, k, order);
	}
	free(order);
	sqlite3_finalize(st);
	qsort(s->kv, s->n, sizeof *s->kv, kv_cmp);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT form_uuid, tbl, rk, col, mine, theirs FROM conflict",
					    -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		s->c = realloc(s->c, (s->nc + 1) * sizeof *s->c);
		assert_non_null(s->c);
		struct conf *c = &s->c[s->nc++];
		field_key(c->key, sizeof c->key, (const char *)sqlite3_column_text(st, 0),
			  (const char *)sqlite3_column_text(st, 1), (const char *)sqlite3_column_text(st, 2),
			  (const char *)sqlite3_column_text(st, 3));
		c->mine = xstrdup((const char *)sqlite3_column_text(st, 4));
		c->theirs = xstrdup((const char *)sqlite3_column_text(st, 5));
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static bool has_conflict(const struct state *s, const char *key)
{
	for (size_t i = 0; i < s->nc; i++)
		if (strcmp(s->c[i].key, key) == 0)
			return true;
	return false;
}

static bool form_live(const struct state *s, const char *form)
{
	char k[200];
	field_key(k, sizeof k, form, "form", "", "deleted");
	const struct kv *e = st_get(s, k);
	return e && veq(e->v, "0");
}

/* Is a difference at key k between x and y explained by a listed conflict? */
static bool excused(const struct state *x, const struct state *y, const char *k)
{
	char part[4][48] = { "", "", "", "" }, key[200];
	const char *p = k;
	for (int i = 0; i < 4 && p; i++) {
		const char *e = i < 3 ? strchr(p, '/') : NULL;
		size_t n = e ? (size_t)(e - p) : strlen(p);
		snprintf(part[i], sizeof part[i], "%.*s", (int)n, p);
		p = e ? e + 1 : NULL;
	}
	const char *form = part[0], *tbl = part[1], *rk = part[2], *col = part[3];
	/* a form deleted on both sides, or with its deletion in conflict */
	field_key(key, sizeof key, form, "form", "", "deleted");
	if (has_conflict(x, key) || has_conflict(y, key) || (!form_live(x, form) && !form_live(y, form)))
		return true;
	if (strcmp(tbl, "order") == 0) {	/* order: any position or row conflict */
		char pre[64];
		snprintf(pre, sizeof pre, "%s/indicator/", form);
		for (const struct state *s = x; s; s = s == x ? y : NULL)
			for (size_t i = 0; i < s->nc; i++)
				if (strncmp(s->c[i].key, pre, strlen(pre)) == 0 &&
				    (strstr(s->c[i].key, "/pos") || strstr(s->c[i].key, "/*")))
					return true;
		return false;
	}
	field_key(key, sizeof key, form, tbl, rk, col);
	if (has_conflict(x, key) || has_conflict(y, key))
		return true;
	if (strcmp(tbl, "indicator") == 0) {
		field_key(key, sizeof key, form, tbl, rk, "*");
		return has_conflict(x, key) || has_conflict(y, key);
	}
	return false;
}

static void agree(struct world *w, const struct state *x, const struct state *y, int mx, int my)
{
	for (int pass = 0; pass < 2; pass++) {
		const struct state *a = pass ? y : x, *b = pass ? x : y;
		for (size_t i = 0; i < a->n; i++) {
			const struct kv *e = st_get(b, a->kv[i].k);
			if (e && veq(e->v, a->kv[i].v))
				continue;
			if (!excused(x, y, a->kv[i].k))
				fail_seed(w, "%s and %s differ at %s: %s vs %s", mname[pass ? my : mx],
					  mname[pass ? mx : my], a->kv[i].k, a->kv[i].v ? a->kv[i].v : "(absent)",
					  e ? e->v ? e->v : "(absent)" : "(no such field)");
		}
	}
}

/* ---- the steps ---------------------------------------------------------------- */

static int64_t count_forms(struct store *s)
{
	size_t n = 0;
	struct store_filter flt = { 0 };
	assert_int_equal(store_count(s, &flt, &n), STORE_OK);
	return (int64_t)n;
}

struct nth { int64_t want, n, id; };
static int nth_cb(const struct form_row *r, void *arg)
{
	struct nth *p = arg;
	if (p->n++ == p->want) {
		p->id = r->id;
		return 1;
	}
	return 0;
}
/* A random live form's id, or 0. */
static int64_t any_form(struct store *s)
{
	int64_t n = count_forms(s);
	if (!n)
		return 0;
	struct nth p = { rnd((unsigned)n), 0, 0 };
	struct store_filter flt = { 0 };
	assert_int_equal(store_list(s, &flt, nth_cb, &p), STORE_OK);
	return p.id;
}

static const char *fname(struct world *w, char buf[160])
{
	snprintf(buf, 160, "%s/%d.jxb", w->dir, ++w->files);
	return buf;
}

static void send(struct world *w, int m)
{
	char f[160], err[640];
	/* the office's rights are the signer's as trusted by the reader (one
	 * office key a database): O speaks as the office to the clerks and to
	 * P, which holds the office's copy above it and sends as a unit */
	struct bundle_opts o = { .office = m == MO };
	struct bundle_info bi;
	int rc = bundle_create(w->s[m], &o, fname(w, f), &bi, err, sizeof err);
	if (rc == BUNDLE_EMPTY)
		return;
	if (rc != BUNDLE_OK)
		fail_seed(w, "%s: bundle create: %s", mname[m], err);
	bundle_info_free(&bi);
	w->made++;
	for (int to = 0; to < NM; to++)
		if (sends_to[m][to]) {
			struct queue *q = &w->in[to];
			if (q->n == MAXQ)	/* a full tray: the oldest one is lost */
				memmove(q->path[0], q->path[1], (size_t)--q->n * sizeof q->path[0]);
			snprintf(q->path[q->n++], 160, "%s", f);
		}
}

/* Apply bundle k of m's tray; false if it must wait for its predecessors. */
static bool receive(struct world *w, int m, int k)
{
	struct queue *q = &w->in[m];
	struct bundle_result r;
	char err[640];
	int rc = bundle_apply(w->s[m], q->path[k], &r, NULL, NULL, err, sizeof err);
	if (rc == BUNDLE_REFUSED && strstr(err, "first"))
		return false;
	if (rc != BUNDLE_OK)
		fail_seed(w, "%s: apply %s: %s", mname[m], q->path[k], err);
	memmove(q->path[k], q->path[k + 1], (size_t)(q->n - k - 1) * sizeof q->path[0]);
	q->n--;
	return true;
}

static const char *const paths[] = { "lead", "phone", "department", "funds.total.budget", "funds.total.spent",
				     "indicators[].actual", "indicators[].target", "indicators[].name" };

/* The value machine m holds at key, or NULL; *found whether it has the field. */
static char *value_at(struct world *w, int m, const char *key, bool *found)
{
	struct state s = { 0 };
	char buf[128];
	snprintf(buf, sizeof buf, "%s", w->db[m]);
	read_state(buf, &s);
	const struct kv *e = st_get(&s, key);
	*found = e != NULL;
	char *v = e && e->v ? xstrdup(e->v) : NULL;
	st_free(&s);
	return v;
}

static void edit(struct world *w, int m, int step)
{
	struct store *s = w->s[m];
	int64_t id = any_form(s);
	if (!id)
		return;
	struct form *f;
	assert_int_equal(store_load(s, id, &f), STORE_OK);
	const char *p = paths[rnd(sizeof paths / sizeof *paths)];
	char path[64], key[200], tbl[16] = "form", rk[40] = "", col[32];
	if (strncmp(p, "indicators", 10) == 0) {
		if (!f->n_ind) {
			form_free(f);
			return;
		}
		size_t i = rnd((unsigned)f->n_ind);
		snprintf(path, sizeof path, "indicators[%zu].%s", i, p + 13);
		snprintf(tbl, sizeof tbl, "indicator");
		snprintf(rk, sizeof rk, "%s", f->ind[i].uuid);
		snprintf(col, sizeof col, "%s", p + 13);
	} else if (strncmp(p, "funds.", 6) == 0) {
		snprintf(path, sizeof path, "%s", p);
		snprintf(tbl, sizeof tbl, "fund");
		snprintf(rk, sizeof rk, "total");
		snprintf(col, sizeof col, "%s", p + 12);
	} else {
		snprintf(path, sizeof path, "%s", p);
		snprintf(col, sizeof col, "%s", p);
	}
	field_key(key, sizeof key, f->uuid, tbl, rk, col);
	char scratch[FORM_SCRATCH], fresh[48], *copied = NULL;
	const char *old = form_get(f, path, scratch);
	char *was = old ? xstrdup(old) : NULL;
	const char *v = fresh;
	snprintf(fresh, sizeof fresh, "%s%d", mname[m], step);
	if (rnd(4) == 0) {	/* the value another machine has: equal by another way */
		bool found;
		copied = value_at(w, (m + 1 + (int)rnd(NM - 1)) % NM, key, &found);
		if (found && copied)
			v = copied;
	}
	if (rnd(20) == 0) {	/* the 实施单位 corrected, or corrected back */
		path[0] = 0;
		snprintf(path, sizeof path, "unit");
		field_key(key, sizeof key, f->uuid, "form", "", "unit");
		free(was);
		was = xstrdup(f->unit);
		v = strcmp(f->unit, UNIT) == 0 ? OTHER : UNIT;
	}
	int64_t nv;
	int rc = store_save_field(s, id, f->version, path, v, &nv);
	if (rc != STORE_OK)
		fail_seed(w, "%s: set %s: %s", mname[m], path, store_errmsg(s));
	if (!veq(was, v)) {
		log_add(&w->typed, &w->n_typed, &w->cap_typed, key, v);
		log_add(&w->gone, &w->n_gone, &w->cap_gone, key, was);	/* typed over, knowingly */
	}
	free(was);
	free(copied);
	form_free(f);
}

/* Every value of a row (or of a whole form) goes knowingly. */
static void log_row_gone(struct world *w, const char *form, const struct indicator *in)
{
	char key[200];
	for (int k = 0; k < IND_FIELDS; k++) {
		field_key(key, sizeof key, form, "indicator", in->uuid, ind_field_key[k]);
		log_add(&w->gone, &w->n_gone, &w->cap_gone, key, in->v[k]);
	}
}

static void rows(struct world *w, int m)
{
	struct store *s = w->s[m];
	int64_t id = any_form(s);
	if (!id)
		return;
	struct form *f;
	assert_int_equal(store_load(s, id, &f), STORE_OK);
	unsigned op = rnd(10);
	if (op == 0) {	/* the whole form deleted */
		char key[200];
		for (size_t i = 0; i < f->n_ind; i++)
			log_row_gone(w, f->uuid, &f->ind[i]);
		field_key(key, sizeof key, f->uuid, "form", "", "*");
		log_add(&w->gone, &w->n_gone, &w->cap_gone, key, "form");
		assert_int_equal(store_delete(s, id), STORE_OK);
		form_free(f);
		return;
	}
	if (op < 4 && f->n_ind > 1) {
		size_t k = rnd((unsigned)f->n_ind);
		log_row_gone(w, f->uuid, &f->ind[k]);
		form_del_indicator(f, k);
	} else if (op < 7 && f->n_ind > 1) {
		form_move_indicator(f, rnd((unsigned)f->n_ind), rnd((unsigned)f->n_ind));
	} else if (f->n_ind < 8) {
		struct indicator *in = form_add_indicator(f, rnd((unsigned)f->n_ind + 1));
		assert_non_null(in);
		in->v[IND_NAME] = xstrdup("新指标");
	}
	int rc = store_save_form(s, f);
	if (rc != STORE_OK)
		fail_seed(w, "%s: save form: %s", mname[m], store_errmsg(s));
	form_free(f);
}

struct pick { unsigned want, n; char path[96], mine[160], theirs[160], key[200]; int64_t id; bool mn, tn; };
static int pick_cb(const struct bundle_conflict *c, void *arg)
{
	struct pick *p = arg;
	if (p->n++ != p->want)
		return 0;
	p->id = c->form_id;
	snprintf(p->path, sizeof p->path, "%s", c->path);
	snprintf(p->mine, sizeof p->mine, "%s", c->mine ? c->mine : "");
	snprintf(p->theirs, sizeof p->theirs, "%s", c->theirs ? c->theirs : "");
	p->mn = !c->mine;
	p->tn = !c->theirs;
	field_key(p->key, sizeof p->key, c->form_uuid, c->tbl, c->rk, c->col);
	return 0;
}
static int count_cb(const struct bundle_conflict *c, void *arg)
{
	(void)c;
	++*(unsigned *)arg;
	return 0;
}

/* A person decides one conflict; the value that lost goes knowingly. */
static void decide(struct world *w, int m)
{
	unsigned n = 0;
	assert_int_equal(bundle_conflicts_for(w->s[m], 0, count_cb, &n), BUNDLE_OK);
	if (!n)
		return;
	struct pick p = { .want = rnd(n) };
	assert_int_equal(bundle_conflicts_for(w->s[m], 0, pick_cb, &p), BUNDLE_OK);
	bool theirs = rnd(2);
	char err[640];
	if (bundle_resolve(w->s[m], p.id, p.path, theirs, err, sizeof err) != BUNDLE_OK)
		fail_seed(w, "%s: resolve %s: %s", mname[m], p.path, err);
	if (!strstr(p.key, "/*") && !strstr(p.key, "/deleted"))
		log_add(&w->gone, &w->n_gone, &w->cap_gone, p.key,
			theirs ? (p.mn ? NULL : p.mine) : (p.tn ? NULL : p.theirs));
	else	/* a row or a form: whatever it held is decided */
		log_add(&w->gone, &w->n_gone, &w->cap_gone, p.key, "decided");
}

/* ---- one seed -------------------------------------------------------------------- */

/* An empty database made once (migrations are most of a seed's fixed
 * cost); each machine of a seed is a copy of it with an identity of its own. */
static char template_db[160];

static void copy_file(const char *from, const char *to)
{
	size_t len = 0;
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	assert_non_null(in);
	assert_non_null(out);
	char buf[65536];
	while ((len = fread(buf, 1, sizeof buf, in)) > 0)
		assert_int_equal(fwrite(buf, 1, len, out), len);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

static void make_machine(const char *path, unsigned seed, int m)
{
	if (!template_db[0]) {
		const char *tmp = getenv("TMPDIR");
		char dir[64];
		snprintf(dir, sizeof dir, "%s/jxzp-prop-template-XXXXXX", tmp && *tmp ? tmp : "/tmp");
		assert_non_null(mkdtemp(dir));
		snprintf(template_db, sizeof template_db, "%s/empty.db", dir);
		store_close(open_ok(template_db));	/* closed: checkpointed, one file */
	}
	copy_file(template_db, path);
	sqlite3 *db;
	char sql[200];
	snprintf(sql, sizeof sql, "UPDATE meta SET value = '%08x-%04x-4000-8000-%012x' WHERE key = 'db_uuid'",
		 seed, (unsigned)m, (unsigned)rand());
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_changes(db), 1);
	sqlite3_close(db);
}

static void template_remove(void)
{
	if (!template_db[0])
		return;
	char cmd[220];
	snprintf(cmd, sizeof cmd, "rm -rf \"$(dirname '%s')\"", template_db);
	assert_int_equal(system(cmd), 0);
	template_db[0] = 0;
}

/* b trusts a's key: as its office, or for both units. */
static void trust(struct store *b, struct store *a, bool office)
{
	struct keys_own k;
	bool replaced;
	assert_int_equal(store_key_own(a, &k), STORE_OK);
	if (office)
		assert_int_equal(store_key_trust(b, &k.pub, NULL, &replaced), STORE_OK);
	else {
		assert_int_equal(store_key_trust(b, &k.pub, UNIT, &replaced), STORE_OK);
		assert_int_equal(store_key_trust(b, &k.pub, OTHER, &replaced), STORE_OK);
	}
}

static void world_open(struct world *w, unsigned seed)
{
	const char *tmp = getenv("TMPDIR");
	memset(w, 0, sizeof *w);
	w->seed = seed;
	snprintf(w->dir, sizeof w->dir, "%s/jxzp-prop-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(w->dir));
	char dir[sizeof w->dir];
	memcpy(dir, w->dir, sizeof dir);
	for (int m = 0; m < NM; m++) {
		snprintf(w->db[m], sizeof w->db[m], "%s/%s.db", dir, mname[m]);
		make_machine(w->db[m], seed, m);
		w->s[m] = open_ok(w->db[m]);
	}
	/* keys exchanged as the README says: O is the office of the clerks
	 * and of P; every machine trusts the others for the units (the random
	 * steps change forms, they never return or approve) */
	for (int b = 0; b < NM; b++)
		for (int a = 0; a < NM; a++)
			if (a != b)
				trust(w->s[b], w->s[a], false);
	trust(w->s[0], w->s[2], true);
	trust(w->s[1], w->s[2], true);
	trust(w->s[3], w->s[2], true);
}

static void world_close(struct world *w)
{
	for (int m = 0; m < NM; m++)
		store_close(w->s[m]);
	for (size_t i = 0; i < w->n_typed; i++)
		free(w->typed[i].v);
	for (size_t i = 0; i < w->n_gone; i++)
		free(w->gone[i].v);
	free(w->typed);
	free(w->gone);
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", w->dir);
	assert_int_equal(system(cmd), 0);
}

static bool logged(const struct entry *e, size_t n, const char *key, const char *v)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(e[i].key, key) == 0 && veq(e[i].v, v))
			return true;
	return false;
}

static bool form_gone_knowingly(const struct world *w, const char *form)
{
	char key[200], dk[200];
	field_key(key, sizeof key, form, "form", "", "*");
	field_key(dk, sizeof dk, form, "form", "", "deleted");
	return logged(w->gone, w->n_gone, key, "form") || logged(w->gone, w->n_gone, dk, "decided");
}

static void run_seed(unsigned seed, int *conflicts)
{
	struct world w;
	world_open(&w, seed);
	srand(seed);
	/* A starts the forms; everybody gets them through the office */
	for (int i = 0; i < NFORMS; i++) {
		struct form *f = form_new();
		f->year = 2024;
		char p[48];
		snprintf(p, sizeof p, "项目%u-%d", seed, i);
		set_str(&f->unit, UNIT);
		set_str(&f->project, p);
		for (int k = 0; k < 3; k++) {
			struct indicator *in = form_add_indicator(f, (size_t)k);
			char v[32];
			snprintf(v, sizeof v, "指标%d", k);
			in->v[IND_NAME] = xstrdup(v);
		}
		assert_int_equal(store_insert(w.s[MA], f), STORE_OK);
		form_free(f);
	}
	send(&w, MA);
	assert_true(receive(&w, MO, 0));
	send(&w, MO);
	for (int m = 0; m < NM; m++)
		while (w.in[m].n)
			assert_true(receive(&w, m, 0));

	const char *st_env = getenv("JXZP_PROP_STEPS");	/* 0: the bench's floor */
	int steps = st_env ? atoi(st_env) : STEPS;
	for (int step = 0; step < steps; step++) {
		int m = (int)rnd(NM);
		unsigned op = rnd(12);
		if (op < 4)
			edit(&w, m, step);
		else if (op < 6)
			rows(&w, m);
		else if (op < 7)
			decide(&w, m);
		else if (op < 9)
			send(&w, m);
		else if (w.in[m].n) {
			int k = (int)rnd((unsigned)w.in[m].n);
			if (rnd(8) == 0) {	/* lost on the way; sent again at the end */
				if (w.lost[m].n < MAXQ)
					memcpy(w.lost[m].path[w.lost[m].n++], w.in[m].path[k], 160);
				memmove(w.in[m].path[k], w.in[m].path[k + 1],
					(size_t)(w.in[m].n - k - 1) * sizeof w.in[m].path[0]);
				w.in[m].n--;
			} else {
				receive(&w, m, k);
			}
		}
	}
	/* The lost ones again, then everything delivered until nobody has
	 * anything to send. */
	for (int m = 0; m < NM; m++)
		for (int i = 0; i < w.lost[m].n && w.in[m].n < MAXQ; i++)
			memcpy(w.in[m].path[w.in[m].n++], w.lost[m].path[i], 160);
	int round;
	for (round = 0; round < 12; round++) {
		for (int m = 0; m < NM; m++) {
			bool progress = true;
			while (progress && w.in[m].n) {
				progress = false;
				for (int k = 0; k < w.in[m].n; k++)
					if (receive(&w, m, k)) {
						progress = true;
						break;
					}
			}
			if (w.in[m].n)
				fail_seed(&w, "%s: %d bundles never fit its chain", mname[m], w.in[m].n);
		}
		int made = w.made;
		for (int m = 0; m < NM; m++)
			send(&w, m);
		if (getenv("JXZP_PROP_TRACE"))	/* what is still moving */
			for (int m = 0; m < NM; m++) {
				struct state t = { 0 };
				read_state(w.db[m], &t);
				for (size_t i = 0; i < t.nc; i++)
					print_message("# round %d %s: %s mine %s theirs %s\n", round, mname[m],
						      t.c[i].key, t.c[i].mine ? t.c[i].mine : "-",
						      t.c[i].theirs ? t.c[i].theirs : "-");
				st_free(&t);
			}
		if (w.made == made)
			break;
	}
	if (round == 12)
		fail_seed(&w, "the machines still had things to send after 12 rounds");

	struct state st[NM] = { 0 };
	for (int m = 0; m < NM; m++)
		read_state(w.db[m], &st[m]);
	/* 1. agreement but for conflicts */
	for (int m = 1; m < NM; m++)
		agree(&w, &st[0], &st[m], 0, m);
	/* 2. every conflict on every machine that holds the form live */
	for (int m = 0; m < NM; m++)
		for (size_t i = 0; i < st[m].nc; i++) {
			char form[40];
			sscanf(st[m].c[i].key, "%39[^/]", form);
			if (strstr(st[m].c[i].key, "/*"))
				continue;	/* a row's conflict is not carried (yet): see README */
			char rowkey[200];	/* a field of a row: where the row is */
			snprintf(rowkey, sizeof rowkey, "%s", st[m].c[i].key);
			*strrchr(rowkey, '/') = 0;
			strcat(rowkey, "/*");
			bool of_row = strstr(rowkey, "/indicator/") != NULL;
			if (of_row && !st_get(&st[m], rowkey))
				continue;	/* a field of a row deleted here since: the row's conflict */
			bool row_open = false;	/* the row itself in conflict somewhere: that one speaks */
			for (int o = 0; o < NM && of_row; o++)
				row_open = row_open || has_conflict(&st[o], rowkey);
			if (row_open)
				continue;
			for (int o = 0; o < NM; o++)
				if (o != m && form_live(&st[o], form) && (!of_row || st_get(&st[o], rowkey)) &&
				    !has_conflict(&st[o], st[m].c[i].key))
					fail_seed(&w, "conflict %s is listed on %s, not on %s", st[m].c[i].key,
						  mname[m], mname[o]);
		}
	/* 3. no typed value gone without a conflict or a person */
	for (size_t i = 0; i < w.n_typed; i++) {
		const struct entry *t = &w.typed[i];
		char form[40];
		sscanf(t->key, "%39[^/]", form);
		bool live = false, held = false;
		for (int m = 0; m < NM; m++) {
			live = live || form_live(&st[m], form);
			const struct kv *e = st_get(&st[m], t->key);
			held = held || (e && veq(e->v, t->v));
			for (size_t c = 0; c < st[m].nc && !held; c++)
				held = strcmp(st[m].c[c].key, t->key) == 0 &&
					(veq(st[m].c[c].mine, t->v) || veq(st[m].c[c].theirs, t->v));
		}
		if (held || logged(w.gone, w.n_gone, t->key, t->v))
			continue;
		if (!live && form_gone_knowingly(&w, form))
			continue;
		/* a row deleted by a person, or in a row conflict somewhere */
		if (strstr(t->key, "/indicator/")) {
			char rowkey[200];
			snprintf(rowkey, sizeof rowkey, "%s", t->key);
			*strrchr(rowkey, '/') = 0;
			strcat(rowkey, "/*");
			bool open = false;
			for (int m = 0; m < NM; m++)
				open = open || has_conflict(&st[m], rowkey);
			if (open || logged(w.gone, w.n_gone, rowkey, "decided"))
				continue;
		}
		fail_seed(&w, "%s typed at %s is gone without a conflict or a person's decision",
			  t->v ? t->v : "(absent)", t->key);
	}
	for (int m = 0; m < NM; m++) {
		*conflicts += (int)st[m].nc;
		st_free(&st[m]);
	}
	world_close(&w);
}

static void four_machines_converge(void **state)
{
	(void)state;
	const char *one = getenv("JXZP_PROP_SEED"), *env = getenv("JXZP_PROP_SEEDS");
	unsigned first = 1, seeds = env && atoi(env) > 0 ? (unsigned)atoi(env) : 150;
	if (one && atoi(one) > 0) {
		first = (unsigned)atoi(one);
		seeds = 1;
	}
	int conflicts = 0;
	for (unsigned s = first; s < first + seeds; s++)
		run_seed(s, &conflicts);
	template_remove();
	print_message("# property (4 machines): %u seeds converged, %d conflicts listed at the end\n",
		      seeds, conflicts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(four_machines_converge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
