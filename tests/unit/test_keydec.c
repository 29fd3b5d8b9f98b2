/* Unit tests of ui/keydec: the screen's input decoder (no curses). */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "keydec.h"

/* Decodes bytes into out (code points) the way the screen reads keys. */
static size_t decode(const char *bytes, size_t n, int *out)
{
	struct keydec d;
	size_t k = 0;
	keydec_init(&d);
	for (size_t i = 0; i < n; i++) {
		int r = keydec_feed(&d, (unsigned char)bytes[i]);
		if (r >= 0)
			out[k++] = r;
	}
	return k;
}

static void ascii_and_chinese(void **state)
{
	(void)state;
	int out[16];
	assert_int_equal(decode("a中", 4, out), 2);
	assert_int_equal(out[0], 'a');
	assert_int_equal(out[1], 0x4e2d);
	assert_int_equal(decode("\xf0\x9f\x98\x80", 4, out), 1);
	assert_int_equal(out[0], 0x1f600);
}

/* issue 15: q, 0xff, abcdefgh: every letter after the bad byte arrives */
static void bad_byte_loses_nothing_after_it(void **state)
{
	(void)state;
	int out[16];
	size_t n = decode("q\xff" "abcdefgh", 10, out);
	assert_int_equal(n, 9);
	assert_int_equal(out[0], 'q');
	for (int i = 0; i < 8; i++)
		assert_int_equal(out[1 + i], 'a' + i);
	/* an overlong "/" (c0 af) shows nothing, and what follows is kept */
	n = decode("\xc0\xaf" "x", 3, out);
	assert_int_equal(n, 1);
	assert_int_equal(out[0], 'x');
	/* a sequence cut short by a new start: the start is kept */
	n = decode("\xe4\xb8" "\xe4\xb8\xad", 5, out);
	assert_int_equal(n, 1);
	assert_int_equal(out[0], 0x4e2d);
	/* cut short by ASCII: the ASCII is kept */
	n = decode("\xe4" "k", 2, out);
	assert_int_equal(n, 1);
	assert_int_equal(out[0], 'k');
	/* GBK 中文 (d6 d0 ce c4): none of it is valid UTF-8 */
	n = decode("\xd6\xd0\xce\xc4" "z", 5, out);
	assert_int_equal(n, 1);
	assert_int_equal(out[0], 'z');
}

static void surrogates_and_overlongs_refused(void **state)
{
	(void)state;
	int out[16];
	assert_int_equal(decode("\xed\xa0\x80", 3, out), 0);	/* U+D800 */
	assert_int_equal(decode("\xe0\x80\xaf", 3, out), 0);	/* overlong */
	assert_int_equal(decode("\xf4\x90\x80\x80", 4, out), 0);	/* > U+10FFFF */
	assert_int_equal(decode("\xf5\x80", 2, out), 0);
}

static void flush_drops_an_open_sequence(void **state)
{
	(void)state;
	struct keydec d;
	keydec_init(&d);
	assert_int_equal(keydec_feed(&d, 0xe4), KD_MORE);
	assert_true(keydec_flush(&d));
	assert_false(keydec_flush(&d));
	assert_int_equal(keydec_feed(&d, 'a'), 'a');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ascii_and_chinese),
		cmocka_unit_test(bad_byte_loses_nothing_after_it),
		cmocka_unit_test(surrogates_and_overlongs_refused),
		cmocka_unit_test(flush_drops_an_open_sequence),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
