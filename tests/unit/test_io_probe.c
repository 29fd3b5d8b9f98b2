/* Unit tests of the file readers on files the samples never showed them
 * (tests/fixtures/files-probe, made by its mkprobe.py the way other
 * programs and units write them): each holds the same invented form as
 * plain.xlsx, and must read to the same fields, except where the file
 * itself shows a value differently -- each such difference written down
 * below, and each written-down difference must still be there. */
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
#include "io_read.h"
#include "table.h"

static char *slurp(const char *rel, size_t *len)
{
	const char *src = getenv("JXZP_SRCDIR");
	char path[1024];
	snprintf(path, sizeof path, "%s/tests/fixtures/files-probe/%s", src ? src : ".", rel);
	FILE *fp = fopen(path, "rb");
	if (!fp)
		fail_msg("cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/* Where a file shows a value otherwise than plain.xlsx: the file's value,
 * and why. */
static struct expect {
	const char *file;
	int form;		/* 0-based */
	const char *path, *value;
	bool seen;
} expected[] = {
	/* 1,120.50 (#,##0.00) and "1120.5" stored as text: another figure */
	{ "number-kinds.xlsx", 0, "funds.total.initial", "1,120.50", false },
	{ "number-kinds.xlsx", 0, "funds.appropriation.initial", "1120.5", false },
	{ "thousands.csv", 0, "funds.total.initial", "1,120.50", false },
	{ "thousands.csv", 0, "funds.appropriation.initial", "1,120.50", false },
	/* the second form on the sheet is another project */
	{ "two-forms.xlsx", 1, "project", "2025年老年人助餐服务补贴", false },
	/* a line break typed into the cell (CRLF in Excel: _x000D_ and LF) */
	{ "excel-digits.xlsx", 0, "indicators[5].deviation", "个别驿站餐食口味单一，\n已要求调整菜单", false },
	{ "inline-rich.xlsx", 0, "indicators[5].deviation", "个别驿站餐食口味单一，\n已要求调整菜单", false },
	{ "rich-sst.xlsx", 0, "indicators[5].deviation", "个别驿站餐食口味单一，\n已要求调整菜单", false },
};

struct cmp {
	const struct form *ref;
	const char *file;
	int form, unexpected;
};

static int compare_field(const char *path, const char *value, void *arg)
{
	struct cmp *c = arg;
	char scratch[FORM_SCRATCH];
	const char *r = form_get(c->ref, path, scratch);
	if (!r)
		r = "";
	if (!value)
		value = "";
	for (size_t i = 0; i < sizeof expected / sizeof *expected; i++) {
		struct expect *e = &expected[i];
		if (strcmp(e->file, c->file) == 0 && e->form == c->form && strcmp(e->path, path) == 0) {
			if (strcmp(value, e->value) == 0) {
				e->seen = true;
				return 0;
			}
			break;
		}
	}
	if (strcmp(r, value) == 0)
		return 0;
	c->unexpected++;
	print_message("%s#%d %s: file \"%.120s\", plain.xlsx \"%.120s\"\n", c->file, c->form + 1, path, value, r);
	return 0;
}

static struct io_result read_file(const char *rel)
{
	size_t len;
	char *buf = slurp(rel, &len);
	struct io_result r;
	io_read_any(buf, len, rel, &r);
	free(buf);
	for (size_t k = 0; k < r.n_problems; k++)
		print_message("%s: %s\n", rel, r.problems[k].message);
	return r;
}

static void same_as_plain(const char *const *files, size_t n)
{
	struct io_result ref = read_file("plain.xlsx");
	assert_int_equal(ref.n_forms, 1);
	assert_int_equal(ref.n_problems, 0);
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		struct io_result x = read_file(files[i]);
		size_t want = strcmp(files[i], "two-forms.xlsx") == 0 ? 2 : 1;
		if (x.n_forms != want || x.n_problems != 0) {
			print_message("%s: %zu forms, %zu problems\n", files[i], x.n_forms, x.n_problems);
			bad++;
		}
		for (size_t f = 0; f < x.n_forms; f++) {
			struct cmp c = { ref.forms[0], files[i], (int)f, 0 };
			form_each_field(x.forms[f], compare_field, &c);
			bad += c.unexpected > 0;
		}
		io_result_free(&x);
	}
	io_result_free(&ref);
	assert_int_equal(bad, 0);
	for (size_t i = 0; i < sizeof expected / sizeof *expected; i++)
		for (size_t k = 0; k < n; k++)
			if (strcmp(expected[i].file, files[k]) == 0 && !expected[i].seen) {
				print_message("stale: %s %s\n", expected[i].file, expected[i].path);
				fail();
			}
}

static void xlsx_probes(void **state)
{
	(void)state;
	static const char *const f[] = {
		"cover-sheet2.xlsx", "two-forms.xlsx", "title-footer.xlsx", "number-kinds.xlsx",
		"inline-rich.xlsx", "rich-sst.xlsx", "huge-dimension.xlsx", "wps-prefixed.xlsx",
		"no-refs.xlsx",
		"excel-digits.xlsx",	/* 115.63000000000001 is 115.63; _x000D_ a CR */
		"hidden-col.xlsx",	/* a hidden column's codes are no deviation */
		"hidden-row.xlsx",	/* a hidden row is no part of the indicator above */
		"root-targets.xlsx",	/* rels targets without the leading "/" */
		"hidden-sheets.xlsx",	/* last year's form on a hidden sheet */
		"general-zh.xlsx",	/* formatCode "G/通用格式": General */
	};
	same_as_plain(f, sizeof f / sizeof *f);
}

static void docx_probes(void **state)
{
	(void)state;
	static const char *const f[] = {
		"plain.docx", "vmerge-noval.docx", "gridbefore.docx", "sdt-rows.docx", "nested-table.docx",
		"textbox.docx",	/* a text box inside the title's paragraph */
		"placeholder.docx",	/* empty content controls show their placeholder */
	};
	same_as_plain(f, sizeof f / sizeof *f);
}

static void csv_probes(void **state)
{
	(void)state;
	static const char *const f[] = {
		"bom-crlf.csv", "thousands.csv",
		"semicolon.csv",	/* ; between the fields */
		"mac-cr.csv",	/* CR alone ends a line */
		"utf16-tabs.txt",	/* Excel's "Unicode Text" */
	};
	same_as_plain(f, sizeof f / sizeof *f);
}

static void pdf_probes(void **state)
{
	(void)state;
#ifdef HAVE_MUPDF
	static const char *const f[] = {
		"per-char.pdf",		/* every character its own text object */
		"turned-content.pdf",	/* drawn turned on a portrait page */
		"turned-cw.pdf",
	};
	same_as_plain(f, sizeof f / sizeof *f);
#else
	skip();	/* built without MuPDF */
#endif
}

/* The header as paragraphs, "主管部门：X　　实施单位：Y" on a line: the
 * form reader (io_table_form.c) lost 实施单位 and 联系电话, glued to the
 * value before them once the ideographic spaces are cleaned away. */
static void docx_header_paragraphs(void **state)
{
	(void)state;
	static const char *const f[] = { "para-header.docx" };
	same_as_plain(f, 1);
}

/* The escapes of ST_Xstring, through a shared string and an inline one. */
static void xlsx_escapes(void **state)
{
	(void)state;
	size_t len;
	char *buf = slurp("escapes.xlsx", &len);
	struct tables ts;
	char err[256];
	assert_int_equal(io_xlsx_tables(buf, len, &ts, err, sizeof err), 0);
	free(buf);
	assert_int_equal(ts.n, 1);
	const struct table *t = ts.v[0];
	static const char *const want[] = {
		"a\nb",		/* _x000D_ before a line feed: one break */
		"a\nb",		/* a CR alone is a break too */
		"_x000D_",	/* _x005F_ is the "_" of text that looks like an escape */
		"年",		/* _x5E74_ */
		"ab",		/* control characters: none shown */
		"_x12_ _xZZZZ_",	/* not escapes */
	};
	assert_int_equal(t->n, 2 * (sizeof want / sizeof *want));
	for (size_t i = 0; i < t->n; i++) {
		assert_int_equal(t->rows[i].n, 1);
		assert_string_equal(t->rows[i].cells[0].text, want[i % (sizeof want / sizeof *want)]);
	}
	tables_free(&ts);
}

/* A page turned by /Rotate (a viewer turned a landscape form upright and
 * saved it) reads as the page unturned: the Chromium PDF of pdf-other
 * with /Rotate written into its page dictionary over the obsolete
 * /ProcSet, so that no offset moves.  Made here, not kept: 300 KB. */
static void pdf_rotated(void **state)
{
	(void)state;
#ifdef HAVE_MUPDF
	size_t len;
	char *buf = slurp("../pdf-other/chromium-fengtai-2023-02.pdf", &len);
	struct io_result ref;
	assert_int_equal(io_read_any(buf, len, "upright.pdf", &ref), 0);
	assert_int_equal(ref.n_forms, 1);
	static const char old[] = "<</Type /Page\n/Resources <</ProcSet [/PDF /Text /ImageB /ImageC /ImageI]";
	char *at = memmem(buf, len, old, sizeof old - 1);
	assert_non_null(at);
	for (int deg = 90; deg < 360; deg += 90) {
		char turned[sizeof old];
		int n = snprintf(turned, sizeof turned, "<</Type /Page /Rotate %d\n/Resources <<", deg);
		memset(turned + n, ' ', sizeof old - 1 - (size_t)n);
		memcpy(at, turned, sizeof old - 1);
		struct io_result x;
		assert_int_equal(io_read_any(buf, len, "turned.pdf", &x), 0);
		assert_int_equal(x.n_forms, 1);
		struct cmp c = { ref.forms[0], "turned.pdf", 0, 0 };
		form_each_field(x.forms[0], compare_field, &c);
		assert_int_equal(c.unexpected, 0);
		io_result_free(&x);
	}
	io_result_free(&ref);
	free(buf);
#else
	skip();	/* built without MuPDF */
#endif
}

/* UTF-16 that is not: one problem saying so, nothing read, no crash. */
static void utf16_damaged(void **state)
{
	(void)state;
	static const char odd[] = "\xFF\xFE\x79\x98\x0D";	/* 项 and half a CR */
	static const char half[] = "\xFF\xFE\x3D\xD8\x41\x00";	/* a lone high surrogate */
	const char *const v[] = { odd, half };
	const size_t n[] = { sizeof odd - 1, sizeof half - 1 };
	for (int i = 0; i < 2; i++) {
		struct io_result r;
		assert_int_equal(io_read_any(v[i], n[i], "x.txt", &r), -1);
		assert_true(r.unreadable);
		assert_int_equal(r.n_forms, 0);
		assert_int_equal(r.n_problems, 1);
		assert_non_null(strstr(r.problems[0].message, "UTF-16"));
		io_result_free(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(xlsx_probes),
		cmocka_unit_test(docx_probes),
		cmocka_unit_test(csv_probes),
		cmocka_unit_test(pdf_probes),
		cmocka_unit_test(docx_header_paragraphs),
		cmocka_unit_test(xlsx_escapes),
		cmocka_unit_test(utf16_damaged),
		cmocka_unit_test(pdf_rotated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
