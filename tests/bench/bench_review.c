/*
 * bench_review: fills a database for the reviewer's pager benchmark, and
 * writes the same rows as CSV for the comparison with VisiData.
 *
 *   bench_review gen DB N      N forms (200 units × 4 years × ...), each with
 *                              three indicator rows, through the store API
 *                              in one transaction, with their cached scores
 *                              and rates (doc_refresh_summary); every other
 *                              one submitted
 *   bench_review csv DB FILE   the pager's columns of every form as CSV
 *   bench_review pages DB K    in each order: the first K pages of 20 rows
 *                              by store_page (ms per page), then the middle
 *                              and the last page
 *
 * Run through tests/bench/review.sh.
 */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "doc.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static struct store *open_db(const char *path)
{
	char err[512];
	int code;
	struct store *s = store_open(path, err, sizeof err, &code);
	if (!s) {
		fprintf(stderr, "bench_review: %s\n", err);
		exit(2);
	}
	return s;
}

static void set(struct form *f, const char *path, const char *v)
{
	const char *err;
	if (form_set(f, path, v, &err) != 0) {
		fprintf(stderr, "bench_review: %s: %s\n", path, err);
		exit(2);
	}
}

static int gen(const char *db, long n)
{
	struct store *s = open_db(db);
	double t0 = now();
	if (store_begin(s) != STORE_OK)
		return 2;
	unsigned seed = 12345;
	for (long i = 0; i < n; i++) {
		struct form *f = form_new();
		char buf[128];
		f->year = 2021 + (int)(i % 4);
		snprintf(buf, sizeof buf, "北京市测试区第%03ld单位", (i / 4) % 200);
		set(f, "unit", buf);
		set(f, "department", "北京市测试区人民政府");
		snprintf(buf, sizeof buf, "运维服务项目%07ld", i);
		set(f, "project", buf);
		seed = seed * 1103515245u + 12345u;
		long budget = 100 + (long)(seed >> 16) % 9000;
		seed = seed * 1103515245u + 12345u;
		long spent = budget - (long)(seed >> 16) % (budget / 5 + 1);
		snprintf(buf, sizeof buf, "%ld.%02ld", budget, i % 100);
		set(f, "funds.total.budget", buf);
		snprintf(buf, sizeof buf, "%ld.%02ld", spent, i % 100);
		set(f, "funds.total.spent", buf);
		set(f, "funds.total.weight", "10");
		set(f, "funds.total.score", "10");
		set(f, "goals.expected", "完成全年运维。");
		set(f, "goals.achieved", "已完成全年运维。");
		static const char *const rows[3][10] = {
			{ "产出指标", "数量指标", "运维设备数量", "≥", "50", "台", "50", "50", "50", "" },
			{ "效益指标", "社会效益指标", "系统可用率", "≥", "99", "%", "99.5", "30", "30", "" },
			{ "满意度指标", "服务对象满意度指标", "用户满意度", "≥", "90", "%", "95", "10", "10", "" },
		};
		for (size_t r = 0; r < 3; r++) {
			struct indicator *in = form_add_indicator(f, r);
			for (int k = 0; k < IND_FIELDS; k++)
				in->v[k] = xstrdup(rows[r][k]);
		}
		seed = seed * 1103515245u + 12345u;
		snprintf(buf, sizeof buf, "%ld", 5 + (long)(seed >> 16) % 6);	/* 5..10 */
		set(f, "indicators[2].score", buf);
		set(f, "total.weight", "100");
		if (store_insert(s, f) != STORE_OK || doc_refresh_summary(s, f) != STORE_OK ||
		    /* every other form submitted: the pager opens on those */
		    (i % 2 == 0 && store_set_status(s, f->id, f->version, STATUS_SUBMITTED, NULL) != STORE_OK)) {
			fprintf(stderr, "bench_review: %s\n", store_errmsg(s));
			return 2;
		}
		form_free(f);
	}
	if (store_commit(s) != STORE_OK)
		return 2;
	printf("generated %ld forms in %.1f s\n", n, now() - t0);
	store_close(s);
	return 0;
}

static void csv_field(FILE *o, const char *v, bool last)
{
	fputs(v ? v : "", o);	/* the generated values hold no comma or quote */
	fputc(last ? '\n' : ',', o);
}

static int csv_row(const struct form_row *r, void *arg)
{
	FILE *o = arg;
	fprintf(o, "%lld,%d,", (long long)r->id, r->year);
	csv_field(o, r->unit, false);
	csv_field(o, r->project, false);
	csv_field(o, r->status, false);
	csv_field(o, r->score, false);
	csv_field(o, r->grade, false);
	csv_field(o, r->rate, false);
	csv_field(o, r->updated, true);
	return 0;
}

static int csv(const char *db, const char *path)
{
	struct store *s = open_db(db);
	FILE *o = fopen(path, "w");
	if (!o)
		return 2;
	fputs("id,year,unit,project,status,score,grade,rate,updated\n", o);
	int rc = store_list(s, NULL, csv_row, o);
	fclose(o);
	store_close(s);
	return rc == STORE_OK ? 0 : 2;
}

static int count_rows(const struct form_row *r, void *arg)
{
	(void)r;
	(*(long *)arg)++;
	return 0;
}

static int pages(const char *db, long k)
{
	struct store *s = open_db(db);
	static const char *const names[] = { "unit", "score", "grade", "rate", "status", "updated" };
	size_t total = 0;
	store_count(s, NULL, &total);
	for (int by = SORT_UNIT; by <= SORT_UPDATED; by++)
		for (int desc = 0; desc < 2; desc++) {
			long got = 0;
			double t0 = now();
			/* k pages from the top, as a reviewer pages down */
			for (long p = 0; p < k; p++)
				store_page(s, NULL, (enum store_sort)by, desc, (size_t)p * 20, 20, count_rows, &got);
			double ms = (now() - t0) * 1000.0 / (double)k;
			/* and the middle and the last page: OFFSET walks an index that far */
			t0 = now();
			store_page(s, NULL, (enum store_sort)by, desc, total / 2, 20, count_rows, &got);
			double mid = (now() - t0) * 1000.0;
			t0 = now();
			store_page(s, NULL, (enum store_sort)by, desc, total > 20 ? total - 20 : 0, 20,
				   count_rows, &got);
			double last = (now() - t0) * 1000.0;
			printf("store_page by %-7s %s: %.2f ms per page of 20 (first %ld pages), middle %.0f ms,"
			       " last %.0f ms\n", names[by], desc ? "desc" : "asc ", ms, k, mid, last);
		}
	double t0 = now();
	struct store_filter f = { .text = "0012345" };
	size_t n = 0;
	store_count(s, &f, &n);
	printf("store_count with a text filter: %.2f ms (%zu match)\n", (now() - t0) * 1000.0, n);
	store_close(s);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "gen") == 0)
		return gen(argv[2], atol(argv[3]));
	if (argc == 4 && strcmp(argv[1], "csv") == 0)
		return csv(argv[2], argv[3]);
	if (argc == 4 && strcmp(argv[1], "pages") == 0)
		return pages(argv[2], atol(argv[3]));
	fprintf(stderr, "usage: bench_review gen DB N | csv DB FILE | pages DB K\n");
	return 2;
}
