/* Unit tests of the CSV reader (src/io_csv_read.c) and of GB18030 text
 * (src/io_read.c): every sample form saved as CSV by LibreOffice
 * (tests/fixtures/files/<set>/NN.csv, from the .xlsx beside it) reads to
 * exactly the fields its .xlsx reads to — a CSV carries the cells as the
 * sheet shows them, so nothing may differ but error values (below); the same holds for a CSV and a
 * text sample that iconv turned into GB18030; and the small cases of
 * RFC 4180 (quotes, "" escapes, line breaks in a cell). */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formjson.h"
#include "io.h"
#include "io_read.h"
#include "slurp.h"
#include "table.h"

static char *fixture(const char *rel, size_t *len)
{
	const char *src = getenv("JXZP_SRCDIR");
	char path[1024];
	snprintf(path, sizeof path, "%s/tests/fixtures/%s", src ? src : ".", rel);
	int err;
	bool at_open;
	char *buf = slurp(path, len, &err, &at_open);
	if (!buf)
		fail_msg("cannot read %s: %s", path, strerror(err));
	return buf;
}

/* The forms of a fixture file, as import reads them. */
static void read_fixture(const char *rel, struct io_result *r)
{
	size_t len;
	char *buf = fixture(rel, &len);
	io_read_any(buf, len, rel, r);
	free(buf);
}

/* Both results hold the same forms, field for field. */
static void same_forms(const struct io_result *a, const struct io_result *b, const char *what)
{
	if (a->n_forms != b->n_forms)
		fail_msg("%s: %zu forms against %zu", what, a->n_forms, b->n_forms);
	for (size_t i = 0; i < a->n_forms; i++) {
		json_t *ja = formjson(a->forms[i]), *jb = formjson(b->forms[i]);
		char where[256] = "";
		bool ok = formjson_match(ja, jb, where, sizeof where) &&
			  formjson_match(jb, ja, where, sizeof where);
		json_decref(ja);
		json_decref(jb);
		if (!ok)
			fail_msg("%s: form %zu differs at %s", what, i + 1, where);
	}
}

/* An error value: what a formula whose result is an error shows
 * ("=12项" typed into a cell became a formula, and #NAME?; LibreOffice
 * writes its own codes such as Err:509 too). */
static bool excel_error(const char *v)
{
	static const char *const e[] = { "#NAME?", "#VALUE!", "#REF!", "#DIV/0!", "#N/A", "#NUM!", "#NULL!" };
	if (v && strncmp(v, "Err:", 4) == 0 && strspn(v + 4, "0123456789") == strlen(v + 4))
		return true;
	for (size_t i = 0; v && i < sizeof e / sizeof e[0]; i++)
		if (strcmp(v, e[i]) == 0)
			return true;
	return false;
}

/* The one way a CSV and its .xlsx differ: where the workbook holds a
 * formula whose result is an error, LibreOffice's CSV has the error value
 * and jxzp's .xlsx reader the formula's text ("=12项", what was typed).
 * Such fields of c take the .xlsx's text, which must be that formula;
 * returns how many. */
static int take_formula_text(struct io_result *c, const struct io_result *x)
{
	int n = 0;
	for (size_t i = 0; i < c->n_forms && i < x->n_forms; i++) {
		struct form *a = c->forms[i], *b = x->forms[i];
		for (size_t r = 0; r < a->n_ind && r < b->n_ind; r++)
			for (int k = 0; k < IND_FIELDS; k++)
				if (excel_error(a->ind[r].v[k])) {
					assert_non_null(b->ind[r].v[k]);
					assert_int_equal(b->ind[r].v[k][0], '=');
					free(a->ind[r].v[k]);
					a->ind[r].v[k] = xstrdup(b->ind[r].v[k]);
					n++;
				}
	}
	return n;
}

static const struct {
	const char *dir;
	int forms;
} sets[] = {
	{ "beijing-cppcc-2021", 1 },
	{ "fengtai-2023", 20 },
	{ "chaoyang-2024-part", 9 },
};

static void csv_reads_as_its_xlsx(void **state)
{
	(void)state;
#ifndef HAVE_XLSX_READ
	skip();	/* this build reads no .xlsx to compare with */
#endif
	int files = 0, formulas = 0;
	for (size_t s = 0; s < sizeof sets / sizeof sets[0]; s++)
		for (int k = 1; k <= sets[s].forms; k++) {
			char csv[128], xlsx[128];
			snprintf(csv, sizeof csv, "files/%s/%02d.csv", sets[s].dir, k);
			snprintf(xlsx, sizeof xlsx, "files/%s/%02d.xlsx", sets[s].dir, k);
			size_t len;
			char *buf = fixture(csv, &len);
			assert_int_equal(io_sniff(buf, len), IOF_CSV);
			free(buf);
			struct io_result a, b;
			read_fixture(csv, &a);
			read_fixture(xlsx, &b);
			if (a.n_forms != 1)
				fail_msg("%s: %zu forms (%s)", csv, a.n_forms,
					 a.n_problems ? a.problems[0].message : "no problem said");
			formulas += take_formula_text(&a, &b);
			same_forms(&a, &b, csv);
			io_result_free(&a);
			io_result_free(&b);
			files++;
		}
	assert_int_equal(files, 30);
	assert_true(formulas > 0);	/* the difference is real, not a stale excuse */
}

/* One problem of r holds what. */
static bool says(const struct io_result *r, const char *what)
{
	for (size_t i = 0; i < r->n_problems; i++)
		if (strstr(r->problems[i].message, what))
			return true;
	return false;
}

static void gb18030_reads_as_utf8(void **state)
{
	(void)state;
	struct io_result a, b;
	read_fixture("files/fengtai-2023/02.gb18030.csv", &a);
	read_fixture("files/fengtai-2023/02.csv", &b);
	assert_int_equal(a.n_forms, 1);
	same_forms(&a, &b, "02.gb18030.csv");
	assert_true(says(&a, "GB18030"));
	assert_false(says(&b, "GB18030"));
	io_result_free(&a);
	io_result_free(&b);

	read_fixture("fengtai-2023.gb18030.txt", &a);
	read_fixture("fengtai-2023.txt", &b);
	assert_int_equal(a.n_forms, 20);
	same_forms(&a, &b, "fengtai-2023.gb18030.txt");
	assert_true(says(&a, "GB18030"));
	io_result_free(&a);
	io_result_free(&b);
}

/* Bytes that are neither UTF-8 nor GB18030 (0x80 and 0xFF are in neither)
 * are refused as before: nothing read, the place said. */
static void neither_encoding_is_refused(void **state)
{
	(void)state;
	static const char bad[] = "项目支出绩效自评表\n项目名称\t\x80\xFF\n";
	struct io_result r;
	io_read_any(bad, sizeof bad - 1, "bad", &r);
	assert_int_equal(r.n_forms, 0);
	assert_true(says(&r, "UTF-8"));
	io_result_free(&r);
}

/* The one table of a CSV text. */
static struct table *csv(const char *text, char *err, size_t errlen)
{
	struct tables ts;
	if (io_csv_tables(text, strlen(text), &ts, err, errlen) != 0)
		return NULL;
	assert_int_equal(ts.n, 1);
	struct table *t = ts.v[0];
	ts.v[0] = NULL;
	ts.n = 0;
	tables_free(&ts);
	return t;
}

static void rfc4180_fields(void **state)
{
	(void)state;
	char err[256];
	struct table *t = csv("\xEF\xBB\xBF" "a,,\"b,c\",\"say \"\"hi\"\"\"\r\n"
			      ",\"two\r\nlines\",3\n"
			      "\n"
			      "last", err, sizeof err);
	assert_non_null(t);
	assert_true(t->grid);
	assert_false(t->rows_may_wrap);
	assert_int_equal(t->n, 4);
	const struct trow *r = &t->rows[0];
	assert_int_equal(r->n, 3);	/* empty fields hold no cell */
	assert_string_equal(trow_at(r, 0)->text, "a");
	assert_null(trow_at(r, 1));
	assert_string_equal(trow_at(r, 2)->text, "b,c");
	assert_string_equal(trow_at(r, 3)->text, "say \"hi\"");
	r = &t->rows[1];
	assert_int_equal(r->line, 2);
	assert_string_equal(trow_at(r, 1)->text, "two\nlines");
	assert_string_equal(trow_at(r, 2)->text, "3");
	assert_int_equal(t->rows[2].n, 0);
	assert_int_equal(t->rows[2].line, 4);	/* the quoted break counted */
	assert_string_equal(trow_at(&t->rows[3], 0)->text, "last");
	table_free(t);

	assert_null(csv("a,\"never closed\n,b\n", err, sizeof err));
	assert_non_null(strstr(err, "line 1"));
}

static void sniffing(void **state)
{
	(void)state;
	static const char *const text[] = {
		"项目支出绩效自评表\n项目名称\t某项目\n",		/* tab-separated text */
		"项目支出绩效自评表\n项目名称 某项目, 含逗号\n主管部门 某局\n",	/* prose with commas */
		"[{\"project\": \"a,,b\"}]",				/* JSON */
	};
	static const enum io_format is[] = { IOF_TEXT, IOF_TEXT, IOF_JSON };
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(io_sniff(text[i], strlen(text[i])), is[i]);
	static const char *const sheet[] = {
		"\"项目名称\",,\"某项目\",,,\n",
		"项目支出绩效自评表,,,,\n（2023年度）,,,,\n,年度资金总额,60,60,,\n,其他资金,,,\n",
	};
	for (size_t i = 0; i < 2; i++)
		assert_int_equal(io_sniff(sheet[i], strlen(sheet[i])), IOF_CSV);
	assert_non_null(strstr(io_formats(), "csv"));
}

/* Text copied from a PDF whose writer named 目 and 门 by their radicals
 * (U+2F6C, U+2ED4) reads as the ideographs: the same form. */
static char *replace_all(const char *s, const char *from, const char *to)
{
	size_t n = 0, fl = strlen(from), tl = strlen(to);
	for (const char *p = s; (p = strstr(p, from)); p += fl)
		n++;
	char *o = malloc(strlen(s) + n * (tl + 1) + 1), *w = o;
	assert_non_null(o);
	for (const char *p = s, *q; ; p = q + fl) {
		q = strstr(p, from);
		size_t k = q ? (size_t)(q - p) : strlen(p);
		memcpy(w, p, k);
		w += k;
		if (!q)
			break;
		memcpy(w, to, tl);
		w += tl;
	}
	*w = '\0';
	return o;
}

static void radicals_read_as_ideographs(void **state)
{
	(void)state;
	size_t len;
	char *orig = fixture("files/fengtai-2023/01.csv", &len);
	char *a = replace_all(orig, "目", "\u2F6C");
	char *b = replace_all(a, "门", "\u2ED4");
	assert_non_null(strstr(b, "项\u2F6C名称"));
	struct io_result x, y;
	io_read_any(orig, len, "orig", &x);
	io_read_any(b, strlen(b), "radicals", &y);
	assert_int_equal(y.n_forms, 1);
	same_forms(&y, &x, "radicals");
	io_result_free(&x);
	io_result_free(&y);
	free(orig);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc4180_fields),
		cmocka_unit_test(sniffing),
		cmocka_unit_test(csv_reads_as_its_xlsx),
		cmocka_unit_test(gb18030_reads_as_utf8),
		cmocka_unit_test(neither_encoding_is_refused),
		cmocka_unit_test(radicals_read_as_ideographs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
