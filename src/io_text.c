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
#include "io_src.h"
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

/* Decode one character at s (valid UTF-8 is guaranteed by the caller);
 * ASCII without a call. */
static size_t dec(const char *s, size_t n, ucs4_t *uc)
{
	if ((unsigned char)*s < 0x80) {
		*uc = (unsigned char)*s;
		return 1;
	}
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

/* One line of input with the markup of the conversion undone, to b.  A
 * paragraph or line break becomes "\n" inside the cell. */
static void demarkup(struct sbuf *b, const char *s, size_t n)
{
	const char *end = s + n;
	/* most lines hold no markup: copy them whole */
	static const bool mark[256] = { ['<'] = 1, ['&'] = 1, ['$'] = 1, ['\\'] = 1 };
	size_t plain = 0;
	while (plain < n && !mark[(unsigned char)s[plain]])
		plain++;
	sb_addn(b, s, plain);
	s += plain;
	while (s < end) {
		if (*s == '<') {
			bool br = false;
			size_t k = tag_at(s, end, &br);
			if (k) {
				if (br)
					sb_add(b, "\n");
				s += k;
				continue;
			}
		} else if (*s == '&') {
			bool done = false;
			for (size_t i = 0; i < sizeof entities / sizeof *entities; i++) {
				size_t el = strlen(entities[i].ent);
				if ((size_t)(end - s) >= el && strncmp(s, entities[i].ent, el) == 0) {
					sb_add(b, entities[i].text);
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
				latex_math(b, s + 1, q);
				s = q + 1;
				continue;
			}
		} else if (*s == '\\') {
			size_t len;
			const char *t = macro_at(s, end, &len);
			if (t && strcmp(t, " ") != 0 && (is_alpha(s[1]) || strchr("%$&#_", s[1]))) {
				/* macro_at saw s[1]: it is inside the line */
				sb_add(b, t);
				s += len;
				if (is_alpha(s[-1]))	/* a control word eats the spaces after it */
					while (s < end && *s == ' ')
						s++;
				continue;
			}
		}
		sb_addn(b, s, 1);
		s++;
	}
	if (!b->s)	/* an empty first line: still a string to read */
		sb_addn(b, "", 0);
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

static bool word_sep(ucs4_t c)
{
	return is_space_uc(c) || c == '\t' || c == '\n';
}

/* The next word of [s + *i, s + n), words being split by spaces: its start
 * in *start and *i at its end; false when none is left. */
static bool next_word(const char *s, size_t n, size_t *i, size_t *start)
{
	ucs4_t c;
	for (;;) {	/* past the spaces before it */
		if (*i >= n)
			return false;
		size_t k = dec(s + *i, n - *i, &c);
		if (!word_sep(c))
			break;
		*i += k;
	}
	*start = *i;
	while (*i < n) {
		size_t k = dec(s + *i, n - *i, &c);
		if (word_sep(c))
			break;
		*i += k;
	}
	return true;
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
	size_t b;
	while (next_word(s, n, &i, &b))
		trow_add(r, col++, s + b, i - b);
}

/* The checks over the whole text, before a line is read. */
static int bad_bytes(const struct src_scan *sc, struct io_result *res)
{
	if (sc->bad >= 0) {
		io_problem(res, 0, 0, sc->bad, _("invalid UTF-8 at byte %ld: nothing read (the file is neither UTF-8 nor GB18030)"), sc->bad);
		return -1;
	}
	if (sc->nul >= 0) {
		io_problem(res, 0, 0, sc->nul, _("a NUL byte at byte %ld: not a text file, nothing read"), sc->nul);
		return -1;
	}
	return 0;
}

/* A line with the markup of the conversion undone ("\n" and "\r" gone),
 * in b (emptied first). */
static void text_of(struct sbuf *b, const char *s, size_t n)
{
	if (n > 0 && s[n - 1] == '\r')
		n--;
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
	demarkup(b, s, n);
}

static bool bom(const char *s, size_t n)
{
	return n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0;
}

/* The lines of one form (from its title), kept until the next title shows
 * where it ends: only then is it known whether any of them holds a tab.
 * Their texts sit end to end in buf, each ending in a NUL: one buffer
 * for all of them, not an allocation a line. */
struct form_lines {
	struct sbuf buf;
	size_t *off;	/* where each line's text starts in buf */
	long *no;
	size_t n, cap;
	bool tab;
};

static void lines_add(struct form_lines *fl, long no, const char *text, size_t len)
{
	if (fl->n == fl->cap) {
		fl->cap = fl->cap ? fl->cap * 2 : 256;
		fl->off = realloc(fl->off, sizeof *fl->off * fl->cap);
		fl->no = realloc(fl->no, sizeof *fl->no * fl->cap);
		if (!fl->off || !fl->no)
			abort();	/* out of memory */
	}
	fl->off[fl->n] = fl->buf.len;
	fl->no[fl->n++] = no;
	sb_addn(&fl->buf, text, len);
	sb_addn(&fl->buf, "", 1);	/* its NUL */
	fl->tab |= memchr(text, '\t', len) != NULL;
}

/* Reads the text line by line; each form's lines go to one(arg, lines). */
static void text_forms(struct io_src *in, void (*one)(void *, struct form_lines *), void *arg)
{
	struct form_lines fl = { 0 };
	struct sbuf line = { 0 };
	size_t have;
	src_need(in, 3);
	const char *head = src_at(in, &have);	/* (have is set by the call: not in one expression) */
	if (bom(head, have))
		src_skip(in, 3);
	long no = 1;
	const char *s;
	size_t n;
	bool end = false;
	while (!end) {
		bool text = false, title = false;
		if ((s = src_line(in, &n))) {
			text_of(&line, s, n);
			text = true;
			title = table_text_is_title(line.s);
		}
		end = !text;
		if ((end || title) && fl.n) {
			one(arg, &fl);
			fl.n = 0;
			fl.buf.len = 0;
			fl.tab = false;
		}
		if (text && (fl.n || title))
			lines_add(&fl, no, line.s, line.len);
		no++;
	}
	free(line.s);
	free(fl.buf.s);
	free(fl.off);
	free(fl.no);
}

/* A form's lines as a table of its own (io_text_tables). */
static void add_table(void *arg, struct form_lines *fl)
{
	struct table *t = table_new(NULL, fl->tab);
	t->rows_may_wrap = true;
	for (size_t i = 0; i < fl->n; i++) {
		const char *text = fl->buf.s + fl->off[i];
		split_row(table_add_row(t, fl->no[i]), text, strlen(text), t->grid);
	}
	tables_add(arg, t);
}

int io_text_tables(const char *buf, size_t len, struct tables *out, struct io_result *res)
{
	memset(out, 0, sizeof *out);
	struct io_src in;
	struct src_scan sc;
	src_init_mem(&in, buf, len);
	src_scan(&in, &sc);
	if (bad_bytes(&sc, res) != 0)
		return -1;
	text_forms(&in, add_table, out);
	if (!out->n)	/* no title: a table still, for the reader to say so */
		tables_add(out, table_new(NULL, false));
	return 0;
}

/* Streaming: a form's lines, row by row, to the form reader, the cells cut
 * in place in the lines' buffer (a NUL where a cell ends) and lent to the
 * reader, which copies what it keeps: no table is built. */
struct text_stream {
	struct table_stream *ts;
	struct tcell *cells;	/* the row being handed on */
	int cap;
};

static void row_cell(struct text_stream *x, struct trow *r, char *text)
{
	if (r->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 16;
		x->cells = realloc(x->cells, sizeof *x->cells * (size_t)x->cap);
		if (!x->cells)
			abort();	/* out of memory */
		r->cells = x->cells;
		r->cap = x->cap;
	}
	struct tcell *c = &r->cells[r->n];
	c->text = text;
	c->col = r->n++;
	c->colspan = c->rowspan = 1;
}

/* split_row, cutting the line [s, s+n) (s[n] is its NUL) in place */
static void cut_row(struct text_stream *x, struct trow *r, char *s, size_t n, bool tabbed)
{
	size_t i = 0;
	if (tabbed) {
		for (;;) {
			char *e = memchr(s + i, '\t', n - i);
			row_cell(x, r, s + i);
			if (!e)
				break;
			*e = '\0';
			i = (size_t)(e - s) + 1;
		}
		return;
	}
	size_t b;
	while (next_word(s, n, &i, &b)) {
		row_cell(x, r, s + b);
		if (i < n) {	/* the space after the word: passed, then cut */
			ucs4_t c;
			size_t k = dec(s + i, n - i, &c);
			s[i] = '\0';
			i += k;
		}
	}
}

static void stream_lines(void *arg, struct form_lines *fl)
{
	struct text_stream *x = arg;
	struct table t = { .grid = fl->tab, .rows_may_wrap = true };
	for (size_t i = 0; i < fl->n; i++) {
		char *text = fl->buf.s + fl->off[i];
		size_t len = (i + 1 < fl->n ? fl->off[i + 1] : fl->buf.len) - fl->off[i] - 1;
		struct trow r = { .line = fl->no[i], .cells = x->cells, .cap = x->cap };
		cut_row(x, &r, text, len, t.grid);
		table_stream_row(x->ts, &t, &r);
	}
}

int io_text_stream(struct io_src *in, const char *name, const struct io_sink *k)
{
	struct src_scan sc;
	struct io_result res = { 0 };
	if (src_scan(in, &sc) != 0)
		return -1;	/* the caller says why (in->err) */
	if (bad_bytes(&sc, &res) != 0) {
		k->problem(k->arg, &res.problems[0]);
		io_result_free(&res);
		return -1;
	}
	struct text_stream x = { .ts = table_stream_new(name, k) };
	text_forms(in, stream_lines, &x);
	free(x.cells);
	int rc = table_stream_end(x.ts);
	return in->err ? -1 : rc;
}

int io_text_read(const char *buf, size_t len, const char *name, struct io_result *out)
{
	memset(out, 0, sizeof *out);
	struct io_src in;
	struct io_sink k;
	src_init_mem(&in, buf, len);
	io_result_sink(out, &k);
	return io_text_stream(&in, name, &k);
}
