/*
 * bench_check: the work of `jxzp check --all` without its printing, two
 * ways: a store_load per form (store_list for the ids, then a transaction
 * and three queries each), and store_each_form (three ordered queries in one
 * transaction).  Both run the rules on every form; then each way loads
 * alone; then the same two for store_each_form_view, which lends each form
 * in reused memory (what check --all walks with).  Run by
 * tests/bench/check_all.sh; prints wall and CPU seconds, the best of RUNS.
 */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rules.h"
#include "store.h"
#include "store_iter.h"

static double clock_of(clockid_t which)
{
	struct timespec t;
	clock_gettime(which, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Wall and CPU (user + system) time, the best of the runs of each. */
struct span {
	double w0, c0, wall, cpu;
};
static void span_start(struct span *sp)
{
	sp->w0 = clock_of(CLOCK_MONOTONIC);
	sp->c0 = clock_of(CLOCK_PROCESS_CPUTIME_ID);
}
static void span_end(struct span *sp)
{
	double w = clock_of(CLOCK_MONOTONIC) - sp->w0, c = clock_of(CLOCK_PROCESS_CPUTIME_ID) - sp->c0;
	if (sp->wall == 0 || w < sp->wall)
		sp->wall = w;
	if (sp->cpu == 0 || c < sp->cpu)
		sp->cpu = c;
}

struct acc {
	struct check *chk;
	size_t forms, rows;
	long errors;
};

static void rules(struct acc *a, const struct form *f)
{
	if (!a->chk || a->chk->cap_ind < f->n_ind) {
		check_free(a->chk);
		a->chk = check_new(f->n_ind < 32 ? 32 : f->n_ind);
	}
	const struct ruleset *rs = ruleset_find(f->ruleset);
	rules_run(f, rs ? rs : ruleset_default(), a->chk);
	a->forms++;
	a->rows += f->n_ind;
	a->errors += a->chk->errors;
}

struct ids {
	int64_t *v;
	size_t n, cap;
};

static int collect(const struct form_row *r, void *arg)
{
	struct ids *ids = arg;
	if (ids->n == ids->cap) {
		ids->cap = ids->cap ? ids->cap * 2 : 1024;
		ids->v = realloc(ids->v, ids->cap * sizeof *ids->v);
		if (!ids->v)
			abort();
	}
	ids->v[ids->n++] = r->id;
	return 0;
}

static int drop(struct form *f, void *arg)
{
	(void)arg;
	form_free(f);
	return 0;
}

static int each(struct form *f, void *arg)
{
	rules(arg, f);
	form_free(f);
	return 0;
}

static int each_lent(const struct form *f, void *arg)
{
	rules(arg, f);
	return 0;
}

static int look(const struct form *f, void *arg)
{
	(void)f;
	(void)arg;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_check DB [RUNS]\n");
		return 2;
	}
	int runs = argc > 2 ? atoi(argv[2]) : 3;
	char err[512];
	int code;
	struct store *s = store_open(argv[1], err, sizeof err, &code);
	if (!s) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	struct span load = { 0 }, each_ = { 0 }, read = { 0 }, read1 = { 0 }, lent = { 0 }, lent_read = { 0 };
	struct acc a1 = { 0 }, a2 = { 0 }, a3 = { 0 };
	struct store_filter none = { 0 };
	for (int r = 0; r < runs; r++) {
		memset(&a1, 0, sizeof a1);
		span_start(&load);
		struct ids ids = { 0 };
		if (store_list(s, &none, collect, &ids) != STORE_OK)
			return fprintf(stderr, "%s\n", store_errmsg(s)), 1;
		for (size_t i = 0; i < ids.n; i++) {
			struct form *f;
			if (store_load(s, ids.v[i], &f) != STORE_OK)
				return fprintf(stderr, "%s\n", store_errmsg(s)), 1;
			rules(&a1, f);
			form_free(f);
		}
		free(ids.v);
		span_end(&load);
		check_free(a1.chk);

		memset(&a2, 0, sizeof a2);
		span_start(&each_);
		if (store_each_form(s, NULL, each, &a2) != STORE_OK)
			return fprintf(stderr, "%s\n", store_errmsg(s)), 1;
		span_end(&each_);
		check_free(a2.chk);

		span_start(&read1);
		struct ids all = { 0 };
		if (store_list(s, &none, collect, &all) != STORE_OK)
			return fprintf(stderr, "%s\n", store_errmsg(s)), 1;
		for (size_t i = 0; i < all.n; i++) {
			struct form *f;
			if (store_load(s, all.v[i], &f) != STORE_OK)
				return fprintf(stderr, "%s\n", store_errmsg(s)), 1;
			form_free(f);
		}
		free(all.v);
		span_end(&read1);

		span_start(&read);
		if (store_each_form(s, NULL, drop, NULL) != STORE_OK)
			return fprintf(stderr, "%s\n", store_errmsg(s)), 1;
		span_end(&read);

		memset(&a3, 0, sizeof a3);
		span_start(&lent);
		if (store_each_form_view(s, NULL, each_lent, &a3) != STORE_OK)
			return fprintf(stderr, "%s\n", store_errmsg(s)), 1;
		span_end(&lent);
		check_free(a3.chk);

		span_start(&lent_read);
		if (store_each_form_view(s, NULL, look, NULL) != STORE_OK)
			return fprintf(stderr, "%s\n", store_errmsg(s)), 1;
		span_end(&lent_read);
	}
	if (a1.forms != a2.forms || a1.rows != a2.rows || a1.errors != a2.errors ||
	    a1.forms != a3.forms || a1.rows != a3.rows || a1.errors != a3.errors) {
		fprintf(stderr, "bench_check: the two ways disagree: %zu/%zu forms, %zu/%zu rows, %ld/%ld errors\n",
			a1.forms, a2.forms, a1.rows, a2.rows, a1.errors, a2.errors);
		return 1;
	}
	printf("the same work without printing (%zu forms, %zu rows, %ld errors):\n",
	       a1.forms, a1.rows, a1.errors);
	printf("%-34s %8.3f %8.3f\n", "load + rules, store_load per form", load.wall, load.cpu);
	printf("%-34s %8.3f %8.3f\n", "load + rules, store_each_form", each_.wall, each_.cpu);
	printf("%-34s %8.3f %8.3f\n", "load alone, store_load per form", read1.wall, read1.cpu);
	printf("%-34s %8.3f %8.3f\n", "load alone, store_each_form", read.wall, read.cpu);
	printf("%-34s %8.3f %8.3f\n", "load + rules, lent (check --all)", lent.wall, lent.cpu);
	printf("%-34s %8.3f %8.3f\n", "load alone, lent", lent_read.wall, lent_read.cpu);
	store_close(s);
	return 0;
}
