/*
 * bench_doc: what one keystroke costs through doc_set (the screen's path):
 * one field saved with history, the rules re-run, the summary cached when it
 * moved.  Run with tests/bench/doc.sh; prints microseconds per call.
 */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "doc.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU time of the process, user and system (steadier than the clock on a
 * shared machine). */
static double cpu(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2000;
	int rows = argc > 2 ? atoi(argv[2]) : 30;
	char dir[] = "/tmp/jxzp-bench.XXXXXX", path[64], err[256];
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/b.db", dir);
	int code;
	struct store *s = store_open(path, err, sizeof err, &code);
	if (!s) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	struct form *f = form_new();
	const char *e;
	form_set(f, "year", "2024", &e);
	form_set(f, "project", "基准测试", &e);
	form_set(f, "unit", "单位", &e);
	form_set(f, "department", "部门", &e);
	form_set(f, "funds.total.budget", "738.62892", &e);
	for (int i = 0; i < rows; i++) {
		struct indicator *in = form_add_indicator(f, (size_t)i);
		in->v[IND_LEVEL1] = xstrdup("产出指标");
		in->v[IND_LEVEL2] = xstrdup("数量指标");
		in->v[IND_NAME] = xstrdup("指标");
		in->v[IND_NATURE] = xstrdup("≥");
		in->v[IND_TARGET] = xstrdup("≥95%");
		in->v[IND_ACTUAL] = xstrdup("96%");
		in->v[IND_WEIGHT] = xstrdup("3");
		in->v[IND_SCORE] = xstrdup("3");
	}
	if (store_insert(s, f) != STORE_OK) {
		fprintf(stderr, "%s\n", store_errmsg(s));
		return 1;
	}
	struct doc d;
	if (doc_open(&d, s, f->id) != STORE_OK)
		return 1;
	/* typing "12345..." into one cell, one character at a time */
	char value[64] = "";
	double t0 = now(), c0 = cpu();
	for (int i = 0; i < n; i++) {
		size_t len = strlen(value);
		if (len > 40)
			len = 0;
		value[len] = (char)('0' + i % 10);
		value[len + 1] = '\0';
		if (doc_set(&d, "funds.total.spent", value) != STORE_OK) {
			fprintf(stderr, "%s\n", d.err);
			return 1;
		}
	}
	double t1 = now(), c1 = cpu();
	printf("doc_set: %d calls on a form of %d indicator rows: %.1f us per call, %.1f us CPU (%d findings at the end)\n",
	       n, rows, (t1 - t0) / n * 1e6, (c1 - c0) / n * 1e6, (int)d.chk->n_findings);

	/* a score typed and retyped: every change moves the total, so the
	 * cached summary is written every time */
	static const char *const scores[] = { "1", "2", "3" };
	t0 = now(), c0 = cpu();
	for (int i = 0; i < n; i++)
		if (doc_set(&d, "indicators[0].score", scores[i % 3]) != STORE_OK) {
			fprintf(stderr, "%s\n", d.err);
			return 1;
		}
	t1 = now(), c1 = cpu();
	printf("doc_set of a score (the total moves each time): %.1f us per call, %.1f us CPU\n",
	       (t1 - t0) / n * 1e6, (c1 - c0) / n * 1e6);

	/* its parts alone, the same number of times: the save (one transaction
	 * with a history row), and the rules over the whole form */
	int64_t version = d.f->version;
	double t2 = now(), c2 = cpu();
	for (int i = 0; i < n; i++) {
		size_t len = strlen(value);
		if (len > 40)
			len = 0;
		value[len] = (char)('0' + i % 10);
		value[len + 1] = '\0';
		if (store_save_field(s, d.f->id, version, "funds.total.spent", value, &version) != STORE_OK) {
			fprintf(stderr, "%s\n", store_errmsg(s));
			return 1;
		}
	}
	double t3 = now(), c3 = cpu();
	for (int i = 0; i < n; i++)
		rules_run(d.f, d.rs, d.chk);
	double t4 = now(), c4 = cpu();
	/* the same saves inside one transaction: what is left without a
	 * commit each (the commit's WAL frames and locks are the rest) */
	double t5 = now(), c5 = cpu();
	if (store_begin(s) != STORE_OK)
		return 1;
	for (int i = 0; i < n; i++) {
		size_t len = strlen(value);
		if (len > 40)
			len = 0;
		value[len] = (char)('0' + i % 10);
		value[len + 1] = '\0';
		if (store_save_field(s, d.f->id, version, "funds.total.spent", value, &version) != STORE_OK) {
			fprintf(stderr, "%s\n", store_errmsg(s));
			return 1;
		}
	}
	if (store_commit(s) != STORE_OK)
		return 1;
	double t6 = now(), c6 = cpu();
	printf("its parts alone: store_save_field %.1f us per call, %.1f us CPU; rules_run %.1f us, %.1f us CPU\n",
	       (t3 - t2) / n * 1e6, (c3 - c2) / n * 1e6, (t4 - t3) / n * 1e6, (c4 - c3) / n * 1e6);
	printf("store_save_field inside one transaction (no commit each): %.1f us per call, %.1f us CPU\n",
	       (t6 - t5) / n * 1e6, (c6 - c5) / n * 1e6);
	doc_close(&d);
	form_free(f);
	store_close(s);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : 1;
}
