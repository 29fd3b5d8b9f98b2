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

#include <stdbool.h>
#include <unilbrk.h>
#include <unistr.h>
#include <uniwidth.h>

/* The wrapping rule spelled out plainly, through the public grapheme and
 * width functions: ustr_wrap's shortcuts (ASCII, ideographs) must agree. */
static size_t ref_wrap(const char *s, int width, size_t *starts, size_t *lens, size_t max)
{
	size_t len = strlen(s), lines = 0;
	if (width < 1) width = 1;
	char *brk = malloc(len ? len : 1);
	u8_possible_linebreaks((const uint8_t *)s, len, "UTF-8", brk);
	size_t start = 0;
	while (start <= len) {
		size_t end = start, last_break = 0; int w = 0; bool hard = false;
		while (end < len) {
			if (s[end] == '\n') { hard = true; break; }
			if (end > start && brk[end] == UC_BREAK_POSSIBLE) last_break = end;
			size_t next = ustr_next(s, len, end);
			int gw = ustr_width_n(s + end, next - end);
			if (w + gw > width && end > start) { if (s[end] == ' ') last_break = end; break; }
			w += gw; end = next;
		}
		size_t stop = end;
		if (!hard && end < len && last_break > start) stop = last_break;
		size_t shown = stop;
		while (!hard && stop < len && shown > start && s[shown - 1] == ' ') shown--;
		if (lines < max) { starts[lines] = start; lens[lines] = shown - start; }
		lines++;
		if (stop >= len && !hard) break;
		start = hard ? stop + 1 : stop;
		while (!hard && start < len && s[start] == ' ') start++;
		if (start >= len && !hard) break;
	}
	free(brk);
	return lines;
}

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

static void wrap_shortcuts_agree(void **state)
{
	(void)state;
	size_t st[8], ln[8];
	/* by hand: 中文 fills 4 columns, abc goes below */
	assert_int_equal(ustr_wrap("中文abc", 4, st, ln, 8), 2);
	assert_int_equal(st[0], 0);
	assert_int_equal(ln[0], 6);
	assert_int_equal(st[1], 6);
	assert_int_equal(ln[1], 3);
	/* a combining acute after an ideograph or a letter stays with it */
	assert_int_equal(ustr_wrap("中\xcc\x81文", 2, st, ln, 8), 2);
	assert_int_equal(ln[0], 5);
	static const char *const pieces[] = {
		"a", "1", " ", ".", ",", "-", "(", ")", "中", "文", "，", "。", "“", "”", "（", "）",
		"\xcc\x81", "\xef\xb8\x8f", "\xe2\x80\x8d", "\n", "鿿", "一", "㐀", "é", "😀", "、", "≥",
	};
	const int np = (int)(sizeof pieces / sizeof pieces[0]);
	char buf[512];
	size_t s1[256], l1[256], s2[256], l2[256];
	unsigned seed = 1;
	for (int t = 0; t < 20000; t++) {
		buf[0] = 0;
		seed = seed * 1103515245u + 12345u;
		int n = (int)(seed >> 16) % 40;
		for (int i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			strcat(buf, pieces[(seed >> 16) % (unsigned)np]);
		}
		int w = 1 + (int)(seed >> 8) % 16;
		size_t a = ustr_wrap(buf, w, s1, l1, 256), b = ref_wrap(buf, w, s2, l2, 256);
		assert_int_equal(a, b);
		assert_memory_equal(s1, s2, a * sizeof *s1);
		assert_memory_equal(l1, l2, a * sizeof *l1);
	}
}

/* Ambiguous-width characters: the set, checked against libunistring's
 * widths (every one is one column in UTF-8; a CJK encoding draws it two),
 * and the screen's substitutes, each a fixed width on every terminal. */
static void ambiguous_set(void **state)
{
	(void)state;
	static const uint32_t amb[] = { 0x2500, 0x2502, 0x253c, 0x2014, 0x00b7, 0x2026, 0x2265,
					0x2264, 0x203b, 0x25b2, 0x00e9, 0x03b1, 0x2460, 0x00d7 };
	static const uint32_t not[] = { 'a', '5', 0x4e2d, 0xff0d, 0x2717, 0x21c4, 0x203a, 0x3000,
					0x0301, 0xe000 };
	for (size_t i = 0; i < sizeof amb / sizeof amb[0]; i++) {
		assert_true(ustr_is_ambiguous(amb[i]));
		assert_int_equal(uc_width(amb[i], "UTF-8"), 1);
		assert_int_equal(uc_width(amb[i], "GBK"), 2);
	}
	for (size_t i = 0; i < sizeof not / sizeof not[0]; i++)
		assert_false(ustr_is_ambiguous(not[i]));
	/* the whole set against libunistring: one column in UTF-8, and two in
	 * a CJK encoding, for every character it holds below U+FF61 (past it
	 * libunistring's CJK widths stop following the legacy encodings) */
	for (uint32_t uc = 0xa1; uc < 0x30000; uc++)
		if (ustr_is_ambiguous(uc)) {
			assert_int_equal(uc_width(uc, "UTF-8"), 1);
			if (uc < 0xff61)
				assert_int_equal(uc_width(uc, "GBK"), 2);
		}
}

/* A substitute's width, counted as a terminal that draws ambiguous
 * characters wide would: it holds none. */
static int sub_width(const char *as)
{
	int w = 0;
	for (const uint8_t *p = (const uint8_t *)as; *p;) {
		ucs4_t uc;
		int k = u8_mbtoucr(&uc, p, strlen((const char *)p));
		assert_true(k > 0);
		assert_false(ustr_is_ambiguous(uc));
		w += uc_width(uc, "UTF-8");
		p += k;
	}
	return w;
}

static void ambiguous_table(void **state)
{
	(void)state;
	size_t n;
	const struct amb_subst *t = ustr_subst_table(&n);
	assert_true(n > 40);
	ustr_set_ambiguous_wide(true);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			assert_true(t[i - 1].uc < t[i].uc);	/* sorted: it is searched */
		assert_true(ustr_is_ambiguous(t[i].uc));
		assert_string_equal(ustr_screen_subst(t[i].uc), t[i].as);
		assert_true(sub_width(t[i].as) >= 1);
	}
	/* every ambiguous character has a substitute that holds none */
	for (uint32_t uc = 0xa1; uc < 0x30000; uc++)
		if (ustr_is_ambiguous(uc))
			assert_true(sub_width(ustr_screen_subst(uc)) >= 1);
	assert_string_equal(ustr_screen_subst(0x2500), "-");
	assert_string_equal(ustr_screen_subst(0x2502), "|");
	assert_string_equal(ustr_screen_subst(0x253c), "+");
	assert_string_equal(ustr_screen_subst(0x00e9), "e");	/* é */
	assert_string_equal(ustr_screen_subst(0x03b1), "〓");	/* α */
	assert_null(ustr_screen_subst(0x4e2d));
	ustr_set_ambiguous_wide(false);
	assert_null(ustr_screen_subst(0x2500));
}

static void ambiguous_widths(void **state)
{
	(void)state;
	ustr_set_ambiguous_wide(false);
	assert_int_equal(ustr_width("─"), 1);
	assert_int_equal(ustr_width("—"), 1);
	assert_int_equal(ustr_width("≥5 类"), 5);
	assert_int_equal(ustr_width("…"), 1);
	char *f = ustr_fit("北京市丰台区", 7);
	assert_string_equal(f, "北京市…");
	free(f);
	ustr_set_ambiguous_wide(true);
	assert_int_equal(ustr_width("─"), 1);	/* shown as "-" */
	assert_int_equal(ustr_width("—"), 2);	/* as "－" */
	assert_int_equal(ustr_width("≥5 类"), 6);	/* as ">=5 类" */
	assert_int_equal(ustr_width("…"), 3);	/* as "..." */
	assert_int_equal(ustr_width("北京"), 4);
	/* the marks sit in one-column slots beside a cell: still one column */
	assert_int_equal(ustr_width("※"), 1);
	assert_int_equal(ustr_width("▲"), 1);
	assert_int_equal(ustr_width("·"), 1);
	assert_int_equal(ustr_width("✗"), 1);
	f = ustr_fit("北京市丰台区", 7);
	assert_string_equal(f, "北京…");	/* "北京..." on screen: 7 columns */
	free(f);
	f = ustr_fit("北京市丰台区", 2);
	assert_string_equal(f, "北");		/* no room for "...": cut bare */
	free(f);
	/* wrapping measures what is shown */
	size_t st[8], ln[8];
	assert_int_equal(ustr_wrap("≥≥≥≥", 4, st, ln, 8), 2);
	ustr_set_ambiguous_wide(false);
	assert_int_equal(ustr_wrap("≥≥≥≥", 4, st, ln, 8), 1);
}

/* Unit names cut to the part that tells them apart (issue 14: every unit
 * read 北京市丰台… at 80 columns). */
static void names_keep_what_tells_them_apart(void **state)
{
	(void)state;
	const char *fin = "北京市丰台区财政局", *edu = "北京市丰台区教育委员会", *cy = "北京市朝阳区数据局";
	size_t ft = ustr_common_places(fin, edu), all = ustr_common_places(fin, cy);
	assert_int_equal(ft, strlen("北京市丰台区"));
	assert_int_equal(all, strlen("北京市"));
	assert_int_equal(ustr_common_places(fin, fin), strlen("北京市丰台区"));	/* never all of it */
	assert_int_equal(ustr_common_places(fin, "大数据管理中心"), 0);
	static const struct { const char *in; int w; size_t common; const char *want; } t[] = {
		{ "北京市丰台区财政局", 18, 0, "北京市丰台区财政局" },	/* fits: whole */
		{ "北京市丰台区财政局", 12, 0, "丰台区财政局" },		/* the district stays */
		{ "北京市丰台区财政局", 10, 0, "丰台区财…" },
		{ "北京市丰台区教育委员会", 12, 0, "丰台区教育…" },
		/* every listed unit is 丰台区's: what follows tells them apart */
		{ "北京市丰台区教育委员会", 12, sizeof "北京市丰台区" - 1, "教育委员会" },
		{ "北京市丰台区人民政府办公室", 12, sizeof "北京市丰台区" - 1, "人民政府办…" },
		{ "丰台区市场监督管理局", 14, sizeof "丰台区" - 1, "市场监督管理局" },	/* 市场 is no place */
		{ "北京市", 4, 0, "北…" },				/* never the whole name */
		{ "Haidian District Office", 10, 0, "Haidian D…" },
		{ "", 6, 0, "" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char *got = ustr_fit_name(t[i].in, t[i].w, t[i].common);
		assert_string_equal(got, t[i].want);
		assert_true(ustr_width(got) <= t[i].w);
		free(got);
	}
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
		cmocka_unit_test(names_keep_what_tells_them_apart),
		cmocka_unit_test(wrap_shortcuts_agree),
		cmocka_unit_test(ambiguous_set),
		cmocka_unit_test(ambiguous_table),
		cmocka_unit_test(ambiguous_widths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
