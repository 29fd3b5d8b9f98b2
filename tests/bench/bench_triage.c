/*
 * bench_triage: store_triage_refresh after one form changed, over a
 * database whose triage is already computed (tests/bench/triage.sh runs
 * `jxzp triage` first).  Each run changes one field of a form (a different
 * form each run, spread over the ids: its 实际完成情况 gets a sentence, or
 * loses it), then times the refresh alone: a transaction, the changed
 * form checked again, the forms sharing a band or a project with it
 * compared again.  Prints the best and the median of RUNS in ms, and the
 * same for a refresh with nothing changed.
 *   bench_triage DB [RUNS]
 */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

#include "store.h"
#include "store_triage.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int take_ids(const struct form_row *r, void *arg)
{
	int64_t *ids = arg;
	if (ids[0] < 4096)
		ids[++ids[0]] = r->id;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_triage DB [RUNS]\n");
		return 2;
	}
	int runs = argc > 2 ? atoi(argv[2]) : 20;
	char err[512];
	int code;
	struct store *s = store_open(argv[1], err, sizeof err, &code);
	if (!s) {
		fprintf(stderr, "bench_triage: %s\n", err);
		return 2;
	}
	struct triage_stats st;
	if (store_triage_refresh(s, &st) != STORE_OK) {	/* whatever was left */
		fprintf(stderr, "bench_triage: %s\n", store_errmsg(s));
		return 2;
	}
	static int64_t ids[4097];
	store_list(s, NULL, take_ids, ids);
	if (ids[0] == 0)
		return 2;
	double *t = calloc((size_t)runs, sizeof *t), *z = calloc((size_t)runs, sizeof *z);
	size_t cross = 0;
	for (int r = 0; r < runs; r++) {
		int64_t id = ids[1 + (r * 7919) % ids[0]];
		struct form *f = NULL;
		if (store_load(s, id, &f) != STORE_OK)
			return 2;
		char *v = malloc(strlen(f->goals_achieved ? f->goals_achieved : "") + 64);
		sprintf(v, "%s本年度另完成巡检%d次。", f->goals_achieved ? f->goals_achieved : "", r);
		int64_t nv;
		if (store_save_field(s, id, f->version, "goals.achieved", v, &nv) != STORE_OK)
			return 2;
		free(v);
		form_free(f);
		double t0 = now();
		if (store_triage_refresh(s, &st) != STORE_OK)
			return 2;
		t[r] = now() - t0;
		cross += st.cross;
		t0 = now();
		store_triage_refresh(s, NULL);
		z[r] = now() - t0;
	}
	qsort(t, (size_t)runs, sizeof *t, by_double);
	qsort(z, (size_t)runs, sizeof *z, by_double);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("%-34s %8.1f %8.1f   (forms compared again: %.1f a run)\n", "one form changed: refresh, ms",
	       t[0], t[runs / 2], (double)cross / runs);
	printf("%-34s %8.1f %8.1f\n", "nothing changed: refresh, ms", z[0], z[runs / 2]);
	printf("%-34s %8ld\n", "peak RSS of the runs, KB", ru.ru_maxrss);
	free(t);
	free(z);
	store_close(s);
	return 0;
}
