/* Unit tests of ui/edit: the field editor's text model (no curses). */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "edit.h"

static void typing_and_moving(void **state)
{
	struct ebuf e;
	eb_init(&e, "", false);
	assert_int_equal(eb_insert(&e, "ab", 2), 2);
	assert_int_equal(eb_insert(&e, "中文", strlen("中文")), 6);
	assert_string_equal(e.s, "ab中文");
	assert_int_equal(e.cur, 8);
	assert_true(eb_apply(&e, EB_LEFT, 80));
	assert_int_equal(e.cur, 5);		/* before 文: one character, three bytes */
	assert_true(eb_apply(&e, EB_LEFT, 80));
	assert_true(eb_apply(&e, EB_LEFT, 80));
	assert_int_equal(e.cur, 1);
	eb_insert(&e, "X", 1);
	assert_string_equal(e.s, "aXb中文");
	assert_true(eb_apply(&e, EB_HOME, 80));
	assert_int_equal(e.cur, 0);
	assert_false(eb_apply(&e, EB_LEFT, 80));
	assert_true(eb_apply(&e, EB_END, 80));
	assert_int_equal(e.cur, e.len);
	assert_false(eb_apply(&e, EB_RIGHT, 80));
	eb_free(&e);
}

static void graphemes_are_whole(void **state)
{
	struct ebuf e;
	/* e + combining acute; 각 as three conjoining jamo (one grapheme) */
	const char *t = "e\xcc\x81\xe1\x84\x80\xe1\x85\xa1\xe1\x86\xa8";
	eb_init(&e, t, false);
	assert_int_equal(e.cur, strlen(t));
	assert_true(eb_apply(&e, EB_LEFT, 80));
	assert_int_equal(e.cur, 3);		/* the whole syllable */
	assert_true(eb_apply(&e, EB_LEFT, 80));
	assert_int_equal(e.cur, 0);		/* e and its accent together */
	assert_true(eb_apply(&e, EB_RIGHT, 80));
	assert_int_equal(e.cur, 3);
	assert_true(eb_apply(&e, EB_BACKSPACE, 80));
	assert_string_equal(e.s, "\xe1\x84\x80\xe1\x85\xa1\xe1\x86\xa8");
	assert_true(eb_apply(&e, EB_DELETE, 80));
	assert_string_equal(e.s, "");
	assert_false(eb_apply(&e, EB_BACKSPACE, 80));
	assert_false(eb_apply(&e, EB_DELETE, 80));
	eb_free(&e);
}

static void kills(void **state)
{
	struct ebuf e;
	eb_init(&e, "one two  three", false);
	assert_true(eb_apply(&e, EB_KILL_WORD, 80));
	assert_string_equal(e.s, "one two  ");
	assert_true(eb_apply(&e, EB_KILL_WORD, 80));	/* spaces, then the word */
	assert_string_equal(e.s, "one ");
	e.cur = 1;
	assert_true(eb_apply(&e, EB_KILL_END, 80));
	assert_string_equal(e.s, "o");
	eb_set(&e, "abc");
	e.cur = 2;
	assert_true(eb_apply(&e, EB_KILL_START, 80));
	assert_string_equal(e.s, "c");
	assert_int_equal(e.cur, 0);
	eb_free(&e);

	eb_init(&e, "第一行\n第二行", true);
	e.cur = 3;			/* after 第 */
	assert_true(eb_apply(&e, EB_KILL_END, 80));
	assert_string_equal(e.s, "第\n第二行");
	assert_true(eb_apply(&e, EB_KILL_END, 80));	/* at the end: joins the lines */
	assert_string_equal(e.s, "第第二行");
	eb_free(&e);
}

static void filter(void **state)
{
	char out[64];
	/* controls and escapes never get in; tab is a space */
	assert_int_equal(eb_filter("a\033[31mb\tc\x7f", 10, false, out), 8);
	assert_string_equal(out, "a[31mb c");
	eb_filter("x\r\ny\rz\n", 7, true, out);
	assert_string_equal(out, "x\ny\nz\n");
	eb_filter("x\r\ny\n", 5, false, out);
	assert_string_equal(out, "x y ");
	eb_filter("a\xff" "b", 3, false, out);
	assert_string_equal(out, "a\xef\xbf\xbd" "b");
	eb_filter("\xc2\x85" "c", 3, false, out);	/* C1 control NEL */
	assert_string_equal(out, "c");
	eb_filter("\xe4\xb8", 2, false, out);		/* cut sequence */
	assert_string_equal(out, "\xef\xbf\xbd\xef\xbf\xbd");
}

static void huge_paste_is_cut(void **state)
{
	size_t n = 3 * EB_LIMIT;
	char *big = malloc(n);
	assert_non_null(big);
	for (size_t i = 0; i + 3 <= n; i += 3)
		memcpy(big + i, "中", 3);
	struct ebuf e;
	eb_init(&e, "ab", false);
	size_t got = eb_insert(&e, big, n);
	assert_true(e.cut);
	assert_true(e.len <= EB_LIMIT);
	assert_int_equal(got, e.len - 2);
	assert_int_equal((e.len - 2) % 3, 0);	/* whole characters only */
	assert_int_equal(strlen(e.s), e.len);
	eb_free(&e);
	free(big);
}

static void display_lines(void **state)
{
	struct ebuf e;
	int line, col;
	/* width 4: 中文 | 中文 | 中 */
	eb_init(&e, "中文中文中", true);
	eb_cursor_pos(&e, 4, &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 2);
	assert_true(eb_apply(&e, EB_UP, 4));
	eb_cursor_pos(&e, 4, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 2);
	assert_int_equal(e.cur, 9);		/* after the third character */
	assert_true(eb_apply(&e, EB_UP, 4));
	assert_int_equal(e.cur, 3);
	assert_false(eb_apply(&e, EB_UP, 4));	/* first line: the focus may move */
	eb_set(&e, "中文中文a");		/* 中文 | 中文 | a */
	e.cur = 3;				/* 中|文 */
	assert_true(eb_apply(&e, EB_DOWN, 4));
	assert_int_equal(e.cur, 9);
	assert_true(eb_apply(&e, EB_DOWN, 4));
	assert_int_equal(e.cur, 13);		/* the last line is shorter */
	assert_false(eb_apply(&e, EB_DOWN, 4));
	assert_true(eb_apply(&e, EB_UP, 4));	/* the column is remembered */
	assert_int_equal(e.cur, 9);
	assert_true(eb_apply(&e, EB_HOME, 4));
	assert_int_equal(e.cur, 6);
	eb_free(&e);

	eb_init(&e, "ab\n", true);		/* after a newline: a new empty line */
	eb_cursor_pos(&e, 10, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 0);
	eb_free(&e);
}

static void single_line_has_no_newlines(void **state)
{
	struct ebuf e;
	eb_init(&e, "a\nb", false);
	assert_string_equal(e.s, "a b");
	assert_false(e.cut);
	eb_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(typing_and_moving),
		cmocka_unit_test(graphemes_are_whole),
		cmocka_unit_test(kills),
		cmocka_unit_test(filter),
		cmocka_unit_test(huge_paste_is_cut),
		cmocka_unit_test(display_lines),
		cmocka_unit_test(single_line_has_no_newlines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
