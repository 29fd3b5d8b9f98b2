/* Unit tests of src/io_json: the interchange format, and every way a file
 * can be wrong (each must give no forms at all and say where). */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io.h"

static void set(struct form *f, const char *path, const char *value)
{
	const char *err = NULL;
	if (form_set(f, path, value, &err) != 0)
		fail_msg("form_set %s: %s", path, err);
}

/* A form with every field filled, the awkward ones included. */
static struct form *full_form(void)
{
	struct form *f = form_new();
	set(f, "year", "2024");
	set(f, "layout", "district-2024");
	set(f, "project", "2022-2023年朝阳区互联网接入服务");
	set(f, "department", "北京市朝阳区人民政府");
	set(f, "unit", "北京市朝阳区数据局");
	set(f, "lead", "");			/* empty, not absent */
	/* phone stays absent (NULL) */
	set(f, "funds.total.initial", "0");
	set(f, "funds.total.budget", "738.62892");
	set(f, "funds.total.spent", "738.62892");
	set(f, "funds.total.weight", "10");
	set(f, "funds.total.rate", "100%");
	set(f, "funds.total.score", "10");
	set(f, "funds.appropriation.budget", "７３８．６２８９２");	/* full-width, kept as typed */
	set(f, "funds.other.rate", "—");
	set(f, "goals.expected", "1. 保障带宽\n2. 引号 \" 反斜杠 \\ 制表\t结束");
	set(f, "goals.achieved", "控制字符 \x1b[31m 与 \x7f 与 \xc2\x9b 与 \xe2\x80\xae 原样保存");
	for (size_t i = 0; i < 3; i++)
		assert_non_null(form_add_indicator(f, i));
	set(f, "indicators[0].level1", "产出指标");
	set(f, "indicators[0].level2", "数量指标");
	set(f, "indicators[0].name", "总带宽数量");
	set(f, "indicators[0].nature", "≥");
	set(f, "indicators[0].target", "6000");
	set(f, "indicators[0].unit_of_measure", "Mbps");
	set(f, "indicators[0].actual", "6000");
	set(f, "indicators[0].weight", "15");
	set(f, "indicators[0].score", "15");
	set(f, "indicators[0].deviation", "");
	set(f, "indicators[1].name", "可用率");
	set(f, "indicators[1].target", "≥99.9%");
	set(f, "indicators[2].name", "用户满意度");
	set(f, "indicators[2].actual", "优（完成合同约定的服务内容）");
	set(f, "total.weight", "100");
	set(f, "total.score", "99.44");
	set(f, "total.grade", "优");
	f->id = 12;
	return f;
}

static void read_ok(const char *text, struct io_result *r)
{
	int rc = io_json_read(text, strlen(text), "t.json", r);
	if (rc != 0)
		fail_msg("io_json_read: %s", r->n_problems ? r->problems[0].message : "?");
	assert_int_equal(r->n_problems, 0);
}

/* Strings with every escape JSON has, in an array (read without jansson
 * where it can) and alone (read by jansson): the same text either way. */
static void escapes_read_alike(void **state)
{
	(void)state;
	const char *esc = "\"a\\u00e9\\n\\t\\\"\\\\\\/\\b\\f\\r\\ud83d\\ude00z\"";
	char one[256], arr[300];
	snprintf(one, sizeof one, "{\"year\": 2024, \"project\": %s, \"indicators\": [{\"name\": %s}]}", esc, esc);
	snprintf(arr, sizeof arr, "[%s]", one);
	struct io_result a, b;
	read_ok(one, &a);
	read_ok(arr, &b);
	assert_int_equal(a.n_forms, 1);
	assert_int_equal(b.n_forms, 1);
	assert_string_equal(a.forms[0]->project, "a\xc3\xa9\n\t\"\\/\b\f\r\xf0\x9f\x98\x80z");
	assert_string_equal(b.forms[0]->project, a.forms[0]->project);
	assert_string_equal(b.forms[0]->ind[0].v[IND_NAME], a.forms[0]->project);
	assert_true(form_equal(a.forms[0], b.forms[0]));
	io_result_free(&a);
	io_result_free(&b);
	/* what jansson refuses is refused in an array too, with its message */
	static const char *const bad[] = { "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00x\"", "\"\\x\"",
					   "\"a\tb\"", "01", "1.5", "tru" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		snprintf(one, sizeof one, "[{\"project\": %s}]", bad[i]);
		snprintf(arr, sizeof arr, "[{\"year\": 2024}, {\"project\": %s}]", bad[i]);
		assert_int_equal(io_json_read(one, strlen(one), "t.json", &a), -1);
		assert_int_equal(io_json_read(arr, strlen(arr), "t.json", &b), -1);
		assert_int_equal(a.n_forms + b.n_forms, 0);
		assert_int_equal(a.n_problems, 1);
		io_result_free(&a);
		io_result_free(&b);
	}
}

static void round_trip_one(void **state)
{
	(void)state;
	struct form *f = full_form();
	char *text = io_json_write_form(f, false);
	assert_non_null(text);
	/* the figure is a string, exactly as typed: no float anywhere */
	assert_non_null(strstr(text, "\"budget\": \"738.62892\""));
	assert_non_null(strstr(text, "\"budget\": \"７３８．６２８９２\""));
	assert_null(strstr(text, "\"id\""));
	assert_null(strstr(text, "\"status\""));
	/* the escape character is escaped in the file, not written raw */
	assert_null(strchr(text, '\x1b'));
	assert_non_null(strstr(text, "\\u001B[31m"));
	/* nor DEL, a C1 CSI or a bidi override, which jansson would write raw */
	assert_null(strchr(text, '\x7f'));
	assert_null(strstr(text, "\xc2\x9b"));
	assert_null(strstr(text, "\xe2\x80\xae"));
	assert_non_null(strstr(text, "与 \\u007F 与 \\u009B 与 \\u202E 原样"));

	struct io_result r;
	read_ok(text, &r);
	assert_int_equal(r.n_forms, 1);
	assert_false(r.incomplete[0]);
	struct form *g = r.forms[0];
	assert_true(form_equal(f, g));
	assert_string_equal(g->uuid, f->uuid);
	for (size_t i = 0; i < f->n_ind; i++)
		assert_string_equal(g->ind[i].uuid, f->ind[i].uuid);
	assert_string_equal(g->lead, "");
	assert_null(g->phone);
	assert_null(g->funds[FUND_CARRYOVER][FUND_BUDGET]);
	assert_string_equal(g->funds[FUND_TOTAL][FUND_BUDGET], "738.62892");
	assert_int_equal(g->id, 0);	/* import assigns ids */

	/* and the second trip writes the very same text */
	char *again = io_json_write_form(g, false);
	assert_string_equal(again, text);
	free(again);
	free(text);
	io_result_free(&r);
	form_free(f);
}

/* issue 22: a stored value that is not UTF-8 is written, escaped, and named */
static char bad_paths[256];
static void note_bad(const struct form *f, const char *path, void *arg)
{
	(void)f;
	(void)arg;
	strncat(bad_paths, path, sizeof bad_paths - strlen(bad_paths) - 2);
	strcat(bad_paths, ";");
}

static void invalid_utf8_is_written(void **state)
{
	(void)state;
	struct form *f = full_form();
	set(f, "indicators[0].actual", "95\xff%");
	set(f, "funds.total.spent", "\xc3");
	set(f, "project", "项目\xe9\xa1");
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	bad_paths[0] = '\0';
	assert_int_equal(io_json_write_report(out, &f, 1, false, note_bad, NULL), 0);
	fclose(out);
	assert_non_null(strstr(buf, "\"actual\": \"95\\\\xFF%\""));
	assert_non_null(strstr(buf, "\"spent\": \"\\\\xC3\""));
	assert_non_null(strstr(buf, "\"project\": \"项目\\\\xE9\\\\xA1\""));
	assert_string_equal(bad_paths, "project;funds.total.spent;indicators[0].actual;");
	/* the file is valid JSON and every field comes back */
	struct io_result r;
	read_ok(buf, &r);
	assert_string_equal(r.forms[0]->ind[0].v[IND_ACTUAL], "95\\xFF%");
	io_result_free(&r);
	free(buf);
	form_free(f);
}

static void round_trip_array_and_ids_ignored(void **state)
{
	(void)state;
	struct form *fs[2] = { full_form(), form_new() };
	fs[0]->status = STATUS_SUBMITTED;
	set(fs[1], "project", "空表");
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	assert_int_equal(io_json_write(mem, fs, 2, true), 0);
	fclose(mem);
	assert_non_null(strstr(buf, "\"id\": 12, \"status\": \"submitted\""));
	assert_non_null(strstr(buf, "\"indicators\": []"));

	struct io_result r;
	read_ok(buf, &r);
	assert_int_equal(r.n_forms, 2);
	/* status is not imported: a new form is a draft */
	assert_int_equal(r.forms[0]->status, STATUS_DRAFT);
	fs[0]->status = STATUS_DRAFT;
	assert_true(form_equal(fs[0], r.forms[0]));
	assert_true(form_equal(fs[1], r.forms[1]));
	assert_int_equal(r.forms[1]->year, 0);
	io_result_free(&r);
	free(buf);
	form_free(fs[0]);
	form_free(fs[1]);
}

static void minimal_and_bom(void **state)
{
	(void)state;
	struct io_result r;
	read_ok("\xef\xbb\xbf{\"project\": \"x\", \"year\": 2023}", &r);
	assert_int_equal(r.n_forms, 1);
	assert_string_equal(r.forms[0]->project, "x");
	assert_int_equal(r.forms[0]->year, 2023);
	assert_string_equal(r.forms[0]->layout, DEFAULT_LAYOUT);
	assert_int_equal(strlen(r.forms[0]->uuid), 36);	/* a fresh identity */
	io_result_free(&r);

	read_ok("[]", &r);
	assert_int_equal(r.n_forms, 0);
	io_result_free(&r);
}

/* The file is refused whole; the problem names the file and the byte offset. */
static void expect_bad(const char *text, size_t len, long offset, const char *needle)
{
	struct io_result r;
	int rc = io_json_read(text, len, "bad.json", &r);
	assert_int_equal(rc, -1);
	assert_int_equal(r.n_forms, 0);
	assert_null(r.forms);
	assert_int_equal(r.n_problems, 1);
	const char *m = r.problems[0].message;
	if (!strstr(m, "bad.json") || !strstr(m, needle))
		fail_msg("message \"%s\" lacks \"%s\"", m, needle);
	if (offset >= 0) {
		if (r.problems[0].offset != offset)
			fail_msg("offset %ld, expected %ld (%s)", r.problems[0].offset, offset, m);
		char b[32];
		snprintf(b, sizeof b, "byte %ld", offset);
		if (!strstr(m, b))
			fail_msg("message \"%s\" lacks \"%s\"", m, b);
	}
	io_result_free(&r);
}

static long at(const char *text, const char *what)
{
	const char *p = strstr(text, what);
	assert_non_null(p);
	return (long)(p - text);
}

static void bad_utf8(void **state)
{
	(void)state;
	/* "项目" then a lone continuation byte, then a truncated 3-byte sequence */
	const char *t1 = "{\"project\": \"项目\x80\"}";
	expect_bad(t1, strlen(t1), at(t1, "\x80"), "UTF-8");
	const char *t2 = "[{\"unit\": \"a\"}, {\"unit\": \"\xe5\xb1\"}]";
	expect_bad(t2, strlen(t2), at(t2, "\xe5\xb1"), "UTF-8");
	/* an overlong encoding of '/' is not UTF-8 either */
	const char *t3 = "{\"unit\": \"\xc0\xaf\"}";
	expect_bad(t3, strlen(t3), 10, "UTF-8");
	/* the line is counted too */
	const char *t4 = "{\n\"unit\":\n\"\xff\"}";
	expect_bad(t4, strlen(t4), 11, "line 3, column 2");
}

static void unknown_keys(void **state)
{
	(void)state;
	const char *t1 = "{\"year\": 2024, \"projekt\": \"x\"}";
	expect_bad(t1, strlen(t1), at(t1, "\"projekt\""), "unknown key \"projekt\"");
	/* the second row of the second form: both counted from 1, as on screen */
	const char *t2 = "[{\"project\": \"a\"},\n {\"indicators\": [{\"name\": \"a\"}, {\"nmae\": \"b\"}]}]";
	expect_bad(t2, strlen(t2), at(t2, "\"nmae\""), "form 2: indicators[2]: unknown key \"nmae\"");
	const char *t3 = "{\"funds\": {\"total\": {\"budget\": \"1\", \"spend\": \"1\"}}}";
	expect_bad(t3, strlen(t3), at(t3, "\"spend\""), "funds.total: unknown key");
	const char *t4 = "{\"funds\": {\"totals\": {}}}";
	expect_bad(t4, strlen(t4), at(t4, "\"totals\""), "unknown key \"totals\"");
	/* a key spelt with an escape is still found */
	const char *t5 = "{\"proj\\u0065ct\": \"a\", \"x\": 1}";
	expect_bad(t5, strlen(t5), at(t5, "\"x\""), "unknown key \"x\"");
}

static void wrong_types(void **state)
{
	(void)state;
	/* a figure as a bare number would pass through a float: refused */
	const char *t1 = "{\"funds\": {\"total\": {\"initial\": \"0\", \"budget\": 738.62892}}}";
	expect_bad(t1, strlen(t1), at(t1, "738.62892"), "funds.total.budget: figures are written as strings");
	const char *t2 = "{\"year\": \"2024\"}";
	expect_bad(t2, strlen(t2), at(t2, "\"2024\""), "year");
	const char *t3 = "{\"year\": 1024}";
	expect_bad(t3, strlen(t3), at(t3, "1024"), "year");
	const char *t4 = "{\"indicators\": {\"name\": \"a\"}}";
	expect_bad(t4, strlen(t4), at(t4, "{\"name\""), "indicators: expected an array");
	const char *t5 = "[{\"project\": \"ok\"}, 42]";
	expect_bad(t5, strlen(t5), at(t5, "42"), "form 2: a form is a JSON object");
	const char *t6 = "\"just a string\"";
	expect_bad(t6, strlen(t6), 0, "expected a form");
	const char *t7 = "{\"goals\": {\"expected\": [\"a\"]}}";
	expect_bad(t7, strlen(t7), at(t7, "[\"a\"]"), "goals.expected: expected a string or null");
	const char *t8 = "{\"id\": \"twelve\"}";
	expect_bad(t8, strlen(t8), at(t8, "\"twelve\""), "id");
	const char *t9 = "{\"uuid\": \"not-a-uuid\"}";
	expect_bad(t9, strlen(t9), at(t9, "\"not-a-uuid\""), "UUID");
	const char *t10 = "{\"project\": \"a\\u0000b\"}";	/* NUL cannot be kept in a field */
	expect_bad(t10, strlen(t10), -1, "bad.json");
}

static void unknown_layout(void **state)
{
	(void)state;
	const char *t = "{\"layout\": \"district-2099\", \"project\": \"a\"}";
	expect_bad(t, strlen(t), at(t, "\"district-2099\""), "unknown layout");
}

static void truncated_and_broken(void **state)
{
	(void)state;
	struct form *f = full_form();
	char *text = io_json_write_form(f, true);
	size_t len = strlen(text);
	/* cut anywhere: never a form, and the offset is inside the text */
	for (size_t cut = 0; cut < len; cut += len / 37 + 1) {
		struct io_result r;
		assert_int_equal(io_json_read(text, cut, "cut.json", &r), -1);
		assert_int_equal(r.n_forms, 0);
		assert_int_equal(r.n_problems, 1);
		assert_true(r.problems[0].offset >= 0 && (size_t)r.problems[0].offset <= cut);
		io_result_free(&r);
	}
	free(text);
	form_free(f);
	const char *t1 = "{\"project\": \"a\",}";
	expect_bad(t1, strlen(t1), -1, "bad.json");
	const char *t2 = "{\"project\": \"a\", \"project\": \"b\"}";
	expect_bad(t2, strlen(t2), -1, "duplicate");
	const char *t3 = "[{\"project\": \"a\"}] trailing";
	expect_bad(t3, strlen(t3), -1, "bad.json");
	expect_bad("", 0, 0, "bad.json");
	const char *t5 = "{\"project\":\n tru}";
	expect_bad(t5, strlen(t5), at(t5, "tru"), "line 2, column 2");
	const char *t6 = "[{\"project\": \"a\"}] trailing";
	expect_bad(t6, strlen(t6), at(t6, "trailing"), "trailing");
	/* one good form and one bad one: nothing at all comes back */
	const char *t4 = "[{\"project\": \"good\"}, {\"project\": \"bad\", \"colour\": \"red\"}]";
	expect_bad(t4, strlen(t4), at(t4, "\"colour\""), "form 2");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escapes_read_alike),
		cmocka_unit_test(round_trip_one),
		cmocka_unit_test(round_trip_array_and_ids_ignored),
		cmocka_unit_test(minimal_and_bom),
		cmocka_unit_test(bad_utf8),
		cmocka_unit_test(unknown_keys),
		cmocka_unit_test(wrong_types),
		cmocka_unit_test(unknown_layout),
		cmocka_unit_test(truncated_and_broken),
		cmocka_unit_test(invalid_utf8_is_written),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
