/* Unit tests of src/ustr: widths, graphemes, scrubbing, NFKC, wrapping. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ustr.h"

static void widths(void **state)
{
	assert_int_equal(ustr_width("项目名称"), 8);
	assert_int_equal(ustr_width("a项b"), 4);
	assert_int_equal(ustr_width("≥95%"), 4);
	assert_int_equal(ustr_width("e\xcc\x81"), 1);		/* e + combining acute */
	assert_int_equal(ustr_width("\x1b[2J"), 4);		/* ESC shown as one placeholder */
	assert_int_equal(ustr_width("\xff\xfe"), 2);		/* invalid bytes: one column each */
	assert_int_equal(ustr_width(""), 0);
	assert_int_equal(ustr_width(NULL), 0);
}

static void validity(void **state)
{
	size_t off = 99;
	assert_true(ustr_valid("项目", strlen("项目"), &off));
	assert_false(ustr_valid("ab\xe9\xa1x", 5, &off));	/* a cut 3-byte sequence */
	assert_int_equal(off, 2);
}

static void graphemes(void **state)
{
	const char *s = "ae\xcc\x81项";	/* a, e+◌́, 项 */
	size_t len = strlen(s);
	assert_int_equal(ustr_next(s, len, 0), 1);
	assert_int_equal(ustr_next(s, len, 1), 4);
	assert_int_equal(ustr_next(s, len, 4), 7);
	assert_int_equal(ustr_next(s, len, 7), 7);
	assert_int_equal(ustr_prev(s, 7), 4);
	assert_int_equal(ustr_prev(s, 4), 1);
	assert_int_equal(ustr_prev(s, 1), 0);
	assert_int_equal(ustr_prev(s, 0), 0);
	/* invalid bytes still move one byte at a time */
	assert_int_equal(ustr_next("\xff\xff", 2, 0), 1);
}

static void scrub(void **state)
{
	char *s = ustr_scrub("a\x1b[31mb\x07\n\t\x7f", false);
	assert_string_equal(s, "a␛[31mb␇␊␉␡");
	free(s);
	s = ustr_scrub("x\ny\tz\r", true);
	assert_string_equal(s, "x\ny\tz␍");
	free(s);
	s = ustr_scrub("ok\xff\xc2\x9b" "end", false);	/* invalid byte, C1 CSI */
	assert_string_equal(s, "ok\xef\xbf\xbd\xef\xbf\xbd" "end");
	free(s);
	s = ustr_scrub("\xe2\x80\xae" "evil", false);	/* RIGHT-TO-LEFT OVERRIDE */
	assert_string_equal(s, "\xef\xbf\xbd" "evil");
	free(s);
}

static void nfkc(void **state)
{
	char *s = ustr_nfkc("９５．５％ ＝１２项");
	assert_string_equal(s, "95.5% =12项");
	free(s);
	char buf[8];
	assert_int_equal(ustr_nfkc_buf("１２３４５６７８９", buf, sizeof buf), 9);
	assert_string_equal(buf, "1234567");
	char small[5];
	ustr_nfkc_buf("项目名", small, sizeof small);	/* 4 bytes of room: one whole character */
	assert_string_equal(small, "项");
}

static void fit(void **state)
{
	char *s = ustr_fit("朝阳区数据局", 7);
	assert_string_equal(s, "朝阳区…");
	assert_true(ustr_width(s) <= 7);
	free(s);
	s = ustr_fit("短", 7);
	assert_string_equal(s, "短");
	free(s);
}

/* The lines of a wrap as strings joined by "|". */
static char *wrapped(const char *s, int width)
{
	size_t st[32], ln[32];
	size_t n = ustr_wrap(s, width, st, ln, 32);
	assert_true(n <= 32);
	char *out = calloc(1, strlen(s) + n + 1);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(out, "|");
		strncat(out, s + st[i], ln[i]);
		/* within the width, unless one grapheme is wider than it */
		assert_true(ustr_width_n(s + st[i], ln[i]) <= width ||
			    ustr_next(s + st[i], ln[i], 0) == ln[i]);
	}
	return out;
}

static void wrap(void **state)
{
	char *w = wrapped("因机构改革，738.62892万元在数据局支付", 12);
	/* no line may start with "，" (UAX #14 keeps it with the word before) */
	assert_null(strstr(w, "|，"));
	free(w);
	w = wrapped("hello world again", 11);
	assert_string_equal(w, "hello world|again");
	free(w);
	w = wrapped("第一行\n第二行", 20);
	assert_string_equal(w, "第一行|第二行");
	free(w);
	w = wrapped("abcdefghij", 4);	/* no break opportunity: cut by grapheme */
	assert_string_equal(w, "abcd|efgh|ij");
	free(w);
	w = wrapped("", 5);
	assert_string_equal(w, "");
	free(w);
	w = wrapped("项目", 1);	/* a 2-column character in 1 column: one per line, no loop */
	assert_string_equal(w, "项|目");
	free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(widths),
		cmocka_unit_test(validity),
		cmocka_unit_test(graphemes),
		cmocka_unit_test(scrub),
		cmocka_unit_test(nfkc),
		cmocka_unit_test(fit),
		cmocka_unit_test(wrap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
