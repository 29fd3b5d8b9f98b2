/* Unit tests of the file readers (src/io_read.c and the readers under it):
 * every sample form as .xlsx, .docx, .xls and .pdf (tests/fixtures/files, made by LibreOffice
 * from the published text) reads to the same fields as its text sample,
 * except where the file itself shows a value differently -- each such
 * difference is written down below, and each written-down difference must
 * still be there (no stale list). */
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

static char *slurp(const char *rel, size_t *len)
{
	const char *src = getenv("JXZP_SRCDIR");
	char path[1024];
	snprintf(path, sizeof path, "%s/tests/fixtures/%s", src ? src : ".", rel);
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

static const struct {
	const char *dir, *text;
	int forms;
} sets[] = {
	{ "beijing-cppcc-2021", "beijing-cppcc-2021.txt", 1 },
	{ "fengtai-2023", "fengtai-2023.txt", 20 },
	{ "chaoyang-2024-part", "chaoyang-2024-part.txt", 9 },
};

/* Where the .xlsx shows a value differently from the text sample: the
 * file's value.  Why, by kind:
 * - a number cell in General format shows its shortest decimal ("201.2"
 *   where the text printed "201.20", "170" for "170.000000");
 * - "=100%" typed into a cell became a formula: the cell shows its result
 *   in the cell's format ("100.00%");
 * - the text sample's paragraphs (<p>) are one paragraph in the cell;
 * - the 2021 file has no "(50分)" group weights and no "-" in its empty
 *   fund cells, and prints "—" only in some fund columns;
 * - the text's "201.195 6" (a space the PDF conversion left) is 201.1956;
 * - .xls: libfreexl gives no value for a formula whose result is an error
 *   ("=12项" that became #NAME?), so those targets read empty (and check
 *   says they are); numbers come as General. */
struct expect {
	const char *file, *path, *value;	/* value: a prefix of the file's */
	bool seen;
};
#include "files_expected.h"

struct cmp {
	const struct form *text;
	const char *file;
	int diffs, unexpected;
};

static int compare_field(const char *path, const char *value, void *arg)
{
	struct cmp *c = arg;
	char scratch[FORM_SCRATCH];
	const char *t = form_get(c->text, path, scratch);
	if (!t)
		t = "";
	if (strcmp(t, value ? value : "") == 0)
		return 0;
	c->diffs++;
	for (size_t i = 0; i < sizeof expected / sizeof *expected; i++) {
		struct expect *e = &expected[i];
		if (strcmp(e->file, c->file) == 0 && strcmp(e->path, path) == 0 &&
		    strncmp(value ? value : "", e->value, strlen(e->value)) == 0) {
			e->seen = true;
			return 0;
		}
	}
	c->unexpected++;
	print_message("%s %s: file \"%.120s\", text \"%.120s\"\n", c->file, path, value, t);
	return 0;
}

static void samples_as_text(const char *ext, enum io_format fmt)
{
	int total = 0;
	for (size_t s = 0; s < sizeof sets / sizeof *sets; s++) {
		size_t len;
		char *buf = slurp(sets[s].text, &len);
		struct io_result tr;
		io_text_read(buf, len, sets[s].text, &tr);
		free(buf);
		assert_int_equal(tr.n_forms, (size_t)sets[s].forms);
		for (int i = 0; i < sets[s].forms; i++) {
			char rel[256];
			snprintf(rel, sizeof rel, "files/%s/%02d.%s", sets[s].dir, i + 1, ext);
			buf = slurp(rel, &len);
			assert_int_equal(io_sniff(buf, len), fmt);
			struct io_result xr;
			int rc = io_read_any(buf, len, rel, &xr);
			free(buf);
			for (size_t k = 0; k < xr.n_problems; k++)
				print_message("%s: %s\n", rel, xr.problems[k].message);
			assert_int_equal(rc, 0);
			assert_int_equal(xr.n_forms, 1);
			assert_false(xr.incomplete[0]);
			const struct form *x = xr.forms[0], *t = tr.forms[i];
			assert_int_equal(x->year, t->year);
			assert_int_equal(x->n_ind, t->n_ind);
			struct cmp c = { t, rel, 0, 0 };
			form_each_field(x, compare_field, &c);
			assert_int_equal(c.unexpected, 0);
			total++;
			io_result_free(&xr);
		}
		io_result_free(&tr);
	}
	assert_int_equal(total, 30);
	for (size_t i = 0; i < sizeof expected / sizeof *expected; i++) {
		const char *dot = strrchr(expected[i].file, '.');
		if (!dot || strcmp(dot + 1, ext) != 0)
			continue;
		if (!expected[i].seen)
			print_message("stale: %s %s\n", expected[i].file, expected[i].path);
		assert_true(expected[i].seen);
	}
}

static void xlsx_samples_as_text(void **state)
{
	(void)state;
	samples_as_text("xlsx", IOF_XLSX);
}

static void docx_samples_as_text(void **state)
{
	(void)state;
	samples_as_text("docx", IOF_DOCX);
}

static void pdf_samples_as_text(void **state)
{
	(void)state;
#ifdef HAVE_MUPDF
	samples_as_text("pdf", IOF_PDF);
#else
	skip();	/* built without MuPDF */
#endif
}

static void xls_samples_as_text(void **state)
{
	(void)state;
#ifdef HAVE_FREEXL
	samples_as_text("xls", IOF_CFB);
#else
	skip();	/* built without libfreexl */
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(xlsx_samples_as_text),
		cmocka_unit_test(docx_samples_as_text),
		cmocka_unit_test(xls_samples_as_text),
		cmocka_unit_test(pdf_samples_as_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
