/*
 * io_text: text as published (turned into text from PDFs and spreadsheets)
 * to tables (table.h); io_table_form.c reads the forms from them.
 *
 * What it does, and no more: checks the bytes (UTF-8, no NUL), undoes the
 * markup that conversions leave (<p> tags, entities, LaTeX such as
 * $\geq 95\%$ -> ≥95%), and cuts lines into cells: at tabs when the file
 * has any (a grid: merged cells left empty columns), else at runs of spaces
 * (the words of the line).  A line break may fall inside a cell of such
 * text, so its rows may wrap.  Linear in the input.
 *
 * Invalid UTF-8 or a NUL byte: one problem with the byte offset, nothing read.
 */
#include "config.h"
#include "io.h"
#include "i18n.h"
#include "sbuf.h"
#include "table.h"
#include "ustr.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistr.h>
#include <uniwidth.h>

/* ------------------------------------------------------------------ */
/* characters                                                          */

/* Decode one character at s (valid UTF-8 is guaranteed by the caller). */
static size_t dec(const char *s, size_t n, ucs4_t *uc)
{
	int k = u8_mbtouc(uc, (const uint8_t *)s, n);
	return k > 0 ? (size_t)k : 1;
}

/* Space inside a cell: ASCII space, NBSP, ideographic space. */
static bool is_space_uc(ucs4_t c)
{
	return c == ' ' || c == 0xA0 || c == 0x3000 || c == '\r' || c == '\f' || c == '\v';
}

/* ------------------------------------------------------------------ */
/* markup left over from the conversion                               */

struct macro {
	const char *name, *text;
};
static const struct macro macros[] = {
	{ "geqslant", "≥" }, { "leqslant", "≤" }, { "geq", "≥" }, { "leq", "≤" },
	{ "ge", "≥" }, { "le", "≤" }, { "neq", "≠" }, { "ne", "≠" }, { "times", "×" },
	{ "div", "÷" }, { "pm", "±" }, { "sim", "~" }, { "approx", "≈" }, { "cdot", "·" },
	{ "quad", " " }, { "qquad", " " }, { "left", "" }, { "right", "" },
	{ "%", "%" }, { "$", "$" }, { "_", "_" }, { "&", "&" }, { "#", "#" },
	{ "{", "{" }, { "}", "}" }, { ",", "" }, { ";", "" }, { "!", "" }, { " ", " " },
};

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* A LaTeX control sequence at s ("\geq"): its replacement and length, or NULL. */
static const char *macro_at(const char *s, const char *end, size_t *len)
{
	assert(*s == '\\');
	const char *p = s + 1;
	if (p >= end)
		return NULL;
	size_t n;
	if (is_alpha(*p)) {
		const char *q = p;
		while (q < end && is_alpha(*q))
			q++;
		n = (size_t)(q - p);
	} else {
		n = 1;
	}
	for (size_t i = 0; i < sizeof macros / sizeof *macros; i++)
		if (strlen(macros[i].name) == n && strncmp(macros[i].name, p, n) == 0) {
			*len = 1 + n;
			return macros[i].text;
		}
	return NULL;
}

/* Math mode between $...$: macros replaced, braces and spaces dropped,
 * except inside \text{...}, whose content is copied as it is. */
static void latex_math(struct sbuf *b, const char *s, const char *end)
{
	while (s < end) {
		if (*s == '\\') {
			static const char *const textcmd[] = { "\\text{", "\\mathrm{", "\\textrm{",
							       "\\mbox{", "\\mathbf{" };
			bool done = false;
			for (size_t i = 0; i < sizeof textcmd / sizeof *textcmd && !done; i++) {
				size_t tl = strlen(textcmd[i]);
				if ((size_t)(end - s) >= tl && strncmp(s, textcmd[i], tl) == 0) {
					const char *q = s + tl;
					while (q < end && *q != '}')
						q++;
					sb_addn(b, s + tl, (size_t)(q - s - (ptrdiff_t)tl));
					s = q < end ? q + 1 : q;
					done = true;
				}
			}
			if (done)
				continue;
			size_t len;
			const char *t = macro_at(s, end, &len);
			if (t) {
				if (strcmp(t, " ") != 0)
					sb_add(b, t);
				s += len;
			} else {
				sb_addn(b, s, 1);	/* unknown: keep it visible */
				s++;
			}
		} else if (*s == '{' || *s == '}' || *s == ' ' || *s == '~') {
			s++;
		} else {
			sb_addn(b, s, 1);
			s++;
		}
	}
}

struct tag {
	const char *name;
	bool breaks;	/* a paragraph or line break */
};
static const struct tag tags[] = {
	{ "p", true }, { "br", true }, { "div", true }, { "span", false }, { "font", false },
	{ "b", false }, { "i", false }, { "u", false }, { "strong", false }, { "em", false },
	{ "sup", false }, { "sub", false },
};

/* An HTML tag at s: its length and whether it breaks a line, or 0. */
static size_t tag_at(const char *s, const char *end, bool *breaks)
{
	const char *p = s + 1;
	if (p < end && *p == '/')
		p++;
	const char *q = p;
	while (q < end && is_alpha(*q))
		q++;
	if (q == p)
		return 0;
	size_t n = (size_t)(q - p);
	for (size_t i = 0; i < sizeof tags / sizeof *tags; i++) {
		if (strlen(tags[i].name) != n || strncasecmp(tags[i].name, p, n) != 0)
			continue;
		if (q < end && !(*q == '>' || *q == ' ' || *q == '/'))
			return 0;
		while (q < end && *q != '>' && *q != '<')
			q++;
		if (q >= end || *q != '>')
			return 0;
		*breaks = tags[i].breaks;
		return (size_t)(q + 1 - s);
	}
	return 0;
}

static const struct {
	const char *ent, *text;
} entities[] = {
	{ "&nbsp;", " " }, { "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" },
	{ "&quot;", "\"" }, { "&ge;", "≥" }, { "&le;", "≤" },
};

/* One line of input with the markup of the conversion undone.  A paragraph
 * or line break becomes "\n" inside the cell. */
static char *demarkup(const char *s, size_t n)
{
	struct sbuf b = { 0 };
	const char *end = s + n;
	/* most lines hold no markup: copy them whole */
	size_t plain = 0;
	while (plain < n && s[plain] != '<' && s[plain] != '&' && s[plain] != '$' && s[plain] != '\\')
		plain++;
	sb_addn(&b, s, plain);
	s += plain;
	while (s < end) {
		if (*s == '<') {
			bool br = false;
			size_t k = tag_at(s, end, &br);
			if (k) {
				if (br)
					sb_add(&b, "\n");
				s += k;
				continue;
			}
		} else if (*s == '&') {
			bool done = false;
			for (size_t i = 0; i < sizeof entities / sizeof *entities; i++) {
				size_t el = strlen(entities[i].ent);
				if ((size_t)(end - s) >= el && strncmp(s, entities[i].ent, el) == 0) {
					sb_add(&b, entities[i].text);
					s += el;
					done = true;
					break;
				}
			}
			if (done)
				continue;
		} else if (*s == '$') {
			/* $...$ holding a control sequence is LaTeX, not money */
			const char *q = s + 1;
			while (q < end && *q != '$' && *q != '\t')
				q++;
			if (q < end && *q == '$' && memchr(s + 1, '\\', (size_t)(q - s - 1))) {
				latex_math(&b, s + 1, q);
				s = q + 1;
				continue;
			}
		} else if (*s == '\\') {
			size_t len;
			const char *t = macro_at(s, end, &len);
			if (t && strcmp(t, " ") != 0 && (is_alpha(s[1]) || strchr("%$&#_", s[1]))) {
				/* macro_at saw s[1]: it is inside the line */
				sb_add(&b, t);
				s += len;
				if (is_alpha(s[-1]))	/* a control word eats the spaces after it */
					while (s < end && *s == ' ')
						s++;
				continue;
			}
		}
		sb_addn(&b, s, 1);
		s++;
	}
	return sb_take(&b);
}

/* ------------------------------------------------------------------ */

bool io_looks_json(const char *buf, size_t len)
{
	size_t i = 0;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && strchr(" \t\r\n", buf[i]))
		i++;
	return i < len && (buf[i] == '{' || buf[i] == '[');
}

/* Line [s, s+n) (markup undone) as a row: cells at tabs, or words. */
static void split_row(struct trow *r, const char *s, size_t n, bool tabbed)
{
	size_t i = 0;
	if (tabbed) {
		int col = 0;
		for (;;) {
			const char *e = memchr(s + i, '\t', n - i);
			size_t j = e ? (size_t)(e - s) : n;
			trow_add(r, col++, s + i, j - i);
			if (!e)
				break;
			i = j + 1;
		}
		return;
	}
	int col = 0;
	while (i < n) {
		ucs4_t c;
		size_t k = dec(s + i, n - i, &c);
		if (is_space_uc(c) || c == '\t' || c == '\n') {
			i += k;
			continue;
		}
		size_t j = i;
		while (j < n) {
			k = dec(s + j, n - j, &c);
			if (is_space_uc(c) || c == '\t' || c == '\n')
				break;
			j += k;
		}
		trow_add(r, col++, s + i, j - i);
		i = j;
	}
}

int io_text_tables(const char *buf, size_t len, struct tables *out, struct io_result *res)
{
	memset(out, 0, sizeof *out);
	const uint8_t *bad = u8_check((const uint8_t *)buf, len);
	if (bad) {
		long off = (long)(bad - (const uint8_t *)buf);
		io_problem(res, 0, 0, off, _("invalid UTF-8 at byte %ld: nothing read (the file is neither UTF-8 nor GB18030)"), off);
		return -1;
	}
	if (memchr(buf, '\0', len)) {
		long off = (long)((const char *)memchr(buf, '\0', len) - buf);
		io_problem(res, 0, 0, off, _("a NUL byte at byte %ld: not a text file, nothing read"), off);
		return -1;
	}
	size_t at = 0;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		at = 3;
	struct table *t = table_new(NULL, memchr(buf, '\t', len) != NULL);
	t->rows_may_wrap = true;
	long no = 1;
	while (at < len) {
		const char *e = memchr(buf + at, '\n', len - at);
		size_t j = e ? (size_t)(e - buf) : len;
		size_t k = j;
		if (k > at && buf[k - 1] == '\r')
			k--;
		char *text = demarkup(buf + at, k - at);
		split_row(table_add_row(t, no++), text, strlen(text), t->grid);
		free(text);
		at = e ? j + 1 : len;
	}
	tables_add(out, t);
	return 0;
}

int io_text_read(const char *buf, size_t len, const char *name, struct io_result *out)
{
	memset(out, 0, sizeof *out);
	struct tables ts;
	if (io_text_tables(buf, len, &ts, out) != 0)
		return -1;
	int rc = io_table_read(ts.v, ts.n, name, out);
	tables_free(&ts);
	return rc;
}
