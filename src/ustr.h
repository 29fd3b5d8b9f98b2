/*
 * ustr: UTF-8 text helpers on top of libunistring.
 *
 * Display width (CJK is two columns), grapheme steps, line breaking for
 * wrapped cells, NFKC normalisation, and scrubbing of control and escape
 * characters so that no text ever reaches a terminal raw.
 */
#ifndef JXZP_USTR_H
#define JXZP_USTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool ustr_valid(const char *s, size_t len, size_t *bad_offset);
/* Columns the text takes on a terminal (controls count as their placeholder). */
int ustr_width(const char *s);
int ustr_width_n(const char *s, size_t len);
/* Byte offset of the next / previous grapheme boundary. */
size_t ustr_next(const char *s, size_t len, size_t at);
size_t ustr_prev(const char *s, size_t at);
/* A copy that is safe to print: invalid bytes become U+FFFD, C0/C1 controls
 * and DEL become visible placeholders (U+2400 block, "␛" for ESC), except
 * "\n" and "\t" when keep_newlines is set.  Caller frees. */
char *ustr_scrub(const char *s, bool keep_newlines);
/* NFKC: full-width digits and signs to ASCII, etc.  Caller frees. */
char *ustr_nfkc(const char *s);
/* NFKC into buf (NUL-terminated, cut at a character boundary if it does not
 * fit); returns the length the whole result needs. */
size_t ustr_nfkc_buf(const char *s, char *buf, size_t len);
/* Copy of at most `width` columns; adds "…" when cut.  Caller frees. */
char *ustr_fit(const char *s, int width);
/* A unit's name in at most `width` columns, keeping the part that tells
 * units apart rather than 北京市丰台… for every unit: first the leading
 * place names all the listed units share go (`common` bytes, from
 * ustr_common_places), then, while it is too wide, leading place names
 * (北京市: two to five characters ending in 省 市 区 县 旗 州) but the last
 * (丰台区), so 北京市丰台区财政局 reads 丰台区财政局; then ustr_fit.
 * Caller frees. */
char *ustr_fit_name(const char *s, int width, size_t common);
/* The bytes of leading place names a and b share (北京市丰台区 of
 * 北京市丰台区财政局 and 北京市丰台区教育委员会), never all of either. */
size_t ustr_common_places(const char *a, const char *b);

/* Wrap text to `width` columns at proper break points (UAX #14 via
 * libunistring; no line starts with closing punctuation).  Hard newlines are
 * kept.  Returns the number of lines; starts[i] / lens[i] are byte ranges
 * into s (up to max lines; the count is still the whole count). */
size_t ustr_wrap(const char *s, int width, size_t *starts, size_t *lens, size_t max);

/* East Asian Ambiguous characters (UAX #11) and the screen's terminal: when
 * it draws them two columns wide (ustr_set_ambiguous_wide), the screen shows
 * each by an equivalent every terminal draws alike (ustr_screen_subst: NULL
 * when the character is shown as it is) and every width above is that of
 * what is shown.  Off by default: exports and the importer never see it. */
void ustr_set_ambiguous_wide(bool wide);
bool ustr_ambiguous_wide(void);
bool ustr_is_ambiguous(uint32_t uc);
const char *ustr_screen_subst(uint32_t uc);
struct amb_subst { uint32_t uc; const char *as; };
const struct amb_subst *ustr_subst_table(size_t *n);	/* for the tests */

#endif
