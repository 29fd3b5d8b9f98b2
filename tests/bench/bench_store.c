/*
 * bench_store: how fast src/store saves, loads and lists forms.
 *
 * Usage: bench_store DB N SQLFILE   (tests/bench/store.sh builds and runs it)
 * Creates N forms of 8 indicators each in DB, and prints forms per second
 * for: insert (one transaction per form, as an import of single files
 * does), insert (one transaction for all, as a batch import does), load,
 * list, one-field saves (synchronous=NORMAL, and FULL for comparison), a
 * page of the reviewer's pager deep in the list, count and summary.  It
 * also writes SQLFILE: the same rows as plain SQL in one transaction, so the
 * script can time the sqlite3 shell on the same work.
 *
 * White-box (includes store.c) only to switch synchronous for the
 * comparison and to print the query plans of the pager.
 */
#include "store.c"

#include <inttypes.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct form *make(int i, int per_unit)
{
	struct form *f = form_new();
	char buf[96];
	f->year = 2021 + i % 4;
	snprintf(buf, sizeof buf, "北京市第%03d单位", i / per_unit);
	set_str(&f->unit, buf);
	snprintf(buf, sizeof buf, "项目%06d：互联网接入服务", i);
	set_str(&f->project, buf);
	set_str(&f->department, "北京市朝阳区人民政府");
	set_str(&f->goals_expected, "保障全区各单位互联网接入，带宽不低于6000Mbps，可用率不低于99.9%。");
	set_str(&f->goals_achieved, "已完成，带宽6000Mbps，可用率99.95%。");
	snprintf(buf, sizeof buf, "%d.%05d", 100 + i % 900, i % 100000);
	set_str(&f->funds[FUND_TOTAL][FUND_BUDGET], buf);
	set_str(&f->funds[FUND_TOTAL][FUND_SPENT], buf);
	set_str(&f->funds[FUND_TOTAL][FUND_INITIAL], "0");
	set_str(&f->funds[FUND_TOTAL][FUND_WEIGHT], "10");
	set_str(&f->funds[FUND_TOTAL][FUND_RATE], "100%");
	set_str(&f->funds[FUND_TOTAL][FUND_SCORE], "10");
	set_str(&f->funds[FUND_APPROPRIATION][FUND_BUDGET], buf);
	set_str(&f->funds[FUND_APPROPRIATION][FUND_SPENT], buf);
	static const char *const l1[8] = { "产出指标", "产出指标", "产出指标", "产出指标",
					   "效益指标", "效益指标", "满意度指标", "满意度指标" };
	for (size_t k = 0; k < 8; k++) {
		struct indicator *in = form_add_indicator(f, k);
		in->v[IND_LEVEL1] = xstrdup(l1[k]);
		in->v[IND_LEVEL2] = xstrdup("数量指标");
		snprintf(buf, sizeof buf, "指标%zu：总带宽数量", k + 1);
		in->v[IND_NAME] = xstrdup(buf);
		in->v[IND_NATURE] = xstrdup("≥");
		in->v[IND_TARGET] = xstrdup("6000");
		in->v[IND_UNIT_OF_MEASURE] = xstrdup("Mbps");
		in->v[IND_ACTUAL] = xstrdup("6000");
		in->v[IND_WEIGHT] = xstrdup("10");
		in->v[IND_SCORE] = xstrdup("10");
		in->v[IND_DEVIATION] = xstrdup("");
	}
	set_str(&f->total_weight, "100");
	set_str(&f->total_score, "100");
	set_str(&f->total_grade, "优");
	return f;
}

static void sql_str(FILE *fp, const char *s)
{
	if (!s) {
		fputs("NULL", fp);
		return;
	}
	fputc('\'', fp);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', fp);
		fputc(*s, fp);
	}
	fputc('\'', fp);
}

/* The same rows store_insert writes, as SQL text. */
static void sql_form(FILE *fp, const struct form *f)
{
	fputs("INSERT INTO form (uuid, version, status, updated, created, year, project, department,"
	      " unit, lead, phone, goals_expected, goals_achieved, total_weight, total_score,"
	      " total_grade, layout, ruleset) VALUES (", fp);
	sql_str(fp, f->uuid);
	fprintf(fp, ", 1, 'draft', '2026-11-25T00:00:00.000Z', '2026-11-25T00:00:00.000Z', %d", f->year);
	const char *v[] = { f->project, f->department, f->unit, f->lead, f->phone, f->goals_expected,
			    f->goals_achieved, f->total_weight, f->total_score, f->total_grade,
			    f->layout, f->ruleset };
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		fputs(", ", fp);
		sql_str(fp, v[i]);
	}
	fputs(");\n", fp);	/* its form_local row: the trigger form_local_new */
	for (int r = 0; r < FUND_ROWS; r++) {
		fputs("INSERT INTO fund VALUES (", fp);
		sql_str(fp, f->uuid);
		fprintf(fp, ", '%s'", fund_row_key[r]);
		for (int c = 0; c < FUND_COLS; c++) {
			fputs(", ", fp);
			sql_str(fp, f->funds[r][c]);
		}
		fputs(");\n", fp);
	}
	for (size_t i = 0; i < f->n_ind; i++) {
		fputs("INSERT INTO indicator VALUES (", fp);
		sql_str(fp, f->ind[i].uuid);
		fputs(", ", fp);
		sql_str(fp, f->uuid);
		fprintf(fp, ", %zu", i);
		for (int k = 0; k < IND_FIELDS; k++) {
			fputs(", ", fp);
			sql_str(fp, f->ind[i].v[k]);
		}
		fputs(");\n", fp);
	}
}

static int count_row(const struct form_row *r, void *arg)
{
	(void)r;
	(*(size_t *)arg)++;
	return 0;
}

static int count_sum(const struct summary_row *r, void *arg)
{
	(void)r;
	(*(size_t *)arg)++;
	return 0;
}

static void plan(struct store *s, const char *what, const char *sql)
{
	sqlite3_stmt *st;
	char q[1600];
	snprintf(q, sizeof q, "EXPLAIN QUERY PLAN %s", sql);
	if (sqlite3_prepare_v2(s->db, q, -1, &st, NULL) != SQLITE_OK)
		return;
	printf("  plan of %s:", what);
	while (sqlite3_step(st) == SQLITE_ROW)
		printf(" [%s]", sqlite3_column_text(st, 3));
	printf("\n");
	sqlite3_finalize(st);
}

static char last_sql[2000];

/* Keeps the text of the last statement run (for its query plan). */
static int keep_sql(unsigned type, void *ctx, void *p, void *x)
{
	(void)type;
	(void)ctx;
	(void)x;
	const char *sql = sqlite3_sql(p);
	if (sql && strstr(sql, "ORDER BY"))
		snprintf(last_sql, sizeof last_sql, "%s", sql);
	return 0;
}

static void die(struct store *s, const char *what)
{
	fprintf(stderr, "bench_store: %s: %s\n", what, s ? store_errmsg(s) : "");
	exit(1);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: bench_store DB N SQLFILE\n");
		return 2;
	}
	const char *path = argv[1];
	int n = atoi(argv[2]);
	char err[512];
	int code;
	struct store *s = store_open(path, err, sizeof err, &code);
	if (!s) {
		fprintf(stderr, "bench_store: %s\n", err);
		return 1;
	}
	FILE *sql = fopen(argv[3], "w");
	if (!sql || n < 2)
		die(NULL, "cannot write the SQL file, or N < 2");
	fputs("PRAGMA journal_mode = WAL;\nPRAGMA synchronous = NORMAL;\nBEGIN;\n", sql);
	int64_t *ids = malloc(sizeof *ids * (size_t)n);
	int half = n / 2;

	/* insert: the first half one transaction each, the second half in one */
	double t0 = now();
	for (int i = 0; i < half; i++) {
		struct form *f = make(i, 100);
		if (store_insert(s, f) != STORE_OK)
			die(s, "insert");
		ids[i] = f->id;
		sql_form(sql, f);
		form_free(f);
	}
	double t1 = now();
	if (store_begin(s) != STORE_OK)
		die(s, "begin");
	for (int i = half; i < n; i++) {
		struct form *f = make(i, 100);
		if (store_insert(s, f) != STORE_OK)
			die(s, "insert");
		ids[i] = f->id;
		sql_form(sql, f);
		form_free(f);
	}
	if (store_commit(s) != STORE_OK)
		die(s, "commit");
	double t2 = now();
	fputs("COMMIT;\n", sql);
	fclose(sql);
	printf("forms: %d, each with 8 indicators\n", n);
	printf("insert, one transaction per form:  %9.0f forms/s  (%d forms in %.3f s)\n",
	       half / (t1 - t0), half, t1 - t0);
	printf("insert, one transaction for all:   %9.0f forms/s  (%d forms in %.3f s)\n",
	       (n - half) / (t2 - t1), n - half, t2 - t1);

	/* scores for the pager */
	if (store_begin(s) != STORE_OK)
		die(s, "begin");
	for (int i = 0; i < n; i++) {
		char score[16];
		snprintf(score, sizeof score, "%d.%d", 50 + i * 7919 % 51, i % 10);
		if (store_set_summary(s, ids[i], score, i % 3 ? "优" : "良", i % 5 == 0) != STORE_OK ||
		    store_set_rate(s, ids[i], "100%") != STORE_OK)
			die(s, "summary");
	}
	if (store_commit(s) != STORE_OK)
		die(s, "commit");

	double t3 = now();
	for (int i = 0; i < n; i++) {
		struct form *f;
		if (store_load(s, ids[i], &f) != STORE_OK || f->n_ind != 8)
			die(s, "load");
		form_free(f);
	}
	double t4 = now();
	printf("load:                              %9.0f forms/s\n", n / (t4 - t3));

	size_t rows = 0;
	if (store_list(s, NULL, count_row, &rows) != STORE_OK || rows != (size_t)n)
		die(s, "list");
	double t5 = now();
	printf("list (all, by unit/year/project):  %9.0f forms/s  (%zu rows in %.3f s)\n",
	       n / (t5 - t4), rows, t5 - t4);

	/* one-field saves, as the screen makes them while someone types */
	int saves = n < 5000 ? n : 5000;
	int64_t *ver = malloc(sizeof *ver * (size_t)saves);
	for (int i = 0; i < saves; i++)
		ver[i] = 1;
	for (int pass = 0; pass < 2; pass++) {
		exec(s, pass ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
		double a = now();
		for (int i = 0; i < saves; i++) {
			char v[32];
			snprintf(v, sizeof v, "%d.%d", i, pass);
			if (store_save_field(s, ids[i], ver[i], "indicators[3].actual", v, &ver[i]) != STORE_OK)
				die(s, "save_field");
		}
		double b = now();
		printf("save one field, synchronous=%-6s %9.0f saves/s (%.3f ms each)\n",
		       pass ? "FULL:" : "NORMAL:", saves / (b - a), (b - a) * 1000 / saves);
	}
	exec(s, "PRAGMA synchronous = NORMAL");

	/* the reviewer's pager: half the forms submitted; a page of 50 in the
	 * middle of each sorted listing, all forms and submitted ones */
	if (store_begin(s) != STORE_OK)
		die(s, "begin");
	for (int i = 0; i < n; i += 2) {
		struct form *f;
		if (store_load(s, ids[i], &f) != STORE_OK ||
		    store_set_status(s, ids[i], f->version, STATUS_SUBMITTED, NULL) != STORE_OK)
			die(s, "submit");
		form_free(f);
	}
	if (store_commit(s) != STORE_OK)
		die(s, "commit");
	static const char *const sort_name[] = { "unit", "score", "grade", "rate", "status", "updated" };
	struct store_filter subm = { .status = "submitted" };
	for (int by = SORT_UNIT; by <= SORT_UPDATED; by++)
		for (int k = 0; k < 2; k++) {
			const struct store_filter *fl = k ? &subm : NULL;
			size_t total = 0;
			if (store_count(s, fl, &total) != STORE_OK)
				die(s, "count");
			int pages = 10;
			double a = now();
			for (int p = 0; p < pages; p++) {
				size_t got = 0;
				if (store_page(s, fl, (enum store_sort)by, p % 2, total / 2 + (size_t)p * 50, 50,
					       count_row, &got) != STORE_OK || got != 50)
					die(s, "page");
			}
			double b = now();
			printf("page of 50 at offset %6zu by %-7s %-10s %8.2f ms\n", total / 2, sort_name[by],
			       k ? "submitted" : "all", (b - a) * 1000 / pages);
		}
	struct store_filter sub = { .status = "draft" };
	double t8 = now();
	size_t cnt;
	if (store_count(s, &sub, &cnt) != STORE_OK)
		die(s, "count");
	double t9 = now();
	printf("count (status = draft):            %9.2f ms\n", (t9 - t8) * 1000);
	size_t groups = 0;
	if (store_summary(s, NULL, count_sum, &groups) != STORE_OK)
		die(s, "summary");
	double t10 = now();
	printf("summary (%zu unit-years):          %9.2f ms\n", groups, (t10 - t9) * 1000);

	/* the plans of the pager's queries, as store_page builds them */
	static const char *const sorts[] = { "unit", "score", "grade", "rate", "status", "updated" };
	struct store_filter submitted = { .status = "submitted" }, unit = { .unit = "北京市第007单位" };
	sqlite3_trace_v2(s->db, SQLITE_TRACE_STMT, keep_sql, NULL);
	for (int by = SORT_UNIT; by <= SORT_UPDATED; by++) {
		const struct store_filter *fl[] = { NULL, &submitted, &unit };
		const char *name[] = { "all", "status filter", "unit filter" };
		for (int k = 0; k < 3; k++) {
			char what[64];
			store_page(s, fl[k], (enum store_sort)by, true, 100, 1, count_row, &rows);
			snprintf(what, sizeof what, "page by %s, %s", sorts[by], name[k]);
			plan(s, what, last_sql);
		}
	}
	sqlite3_trace_v2(s->db, 0, NULL, NULL);
	free(ids);
	free(ver);
	store_close(s);
	return 0;
}
