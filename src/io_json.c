/*
 * io_json: the JSON interchange format of spec/cli.md, in and out.
 *
 * Reading is all or nothing: the whole file is checked (UTF-8, syntax, every
 * key and every type) before a single form comes back, and the first problem
 * is reported with the file, line, column and byte offset where it is.
 * Figures are strings exactly as typed, so no number ever passes through a
 * binary float; a bare JSON number where a figure belongs is an error.
 * Writing gives the keys in the order of cli.md, plus "uuid" (the form's and
 * each row's identity across machines) and "ruleset", so that export
 * followed by import gives back the same form, field for field.
 */
#include "config.h"
#include "io.h"

#include <assert.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#include "i18n.h"
#include "io_json_fast.h"
#include "io_src.h"
#include "ustr.h"

/* ---- finding where a value is in the text --------------------------------
 * jansson keeps no source positions on parsed values, so a problem found
 * after parsing (an unknown key, a wrong type) is located by walking the
 * text again along the path to the value.  The text is known to be valid
 * JSON by then, which keeps this walker small. */

struct step {
	const char *key;	/* object member, or NULL for an array element */
	size_t index;
};
#define MAX_DEPTH 8

static size_t skip_ws(const char *b, size_t len, size_t i)
{
	while (i < len && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r'))
		i++;
	return i;
}

/* i is at a '"'; returns the index just past the closing quote. */
static size_t skip_string(const char *b, size_t len, size_t i)
{
	for (i++; i < len && b[i] != '"'; i++)
		if (b[i] == '\\')
			i++;
	return i < len ? i + 1 : len;
}

static size_t skip_value(const char *b, size_t len, size_t i)
{
	i = skip_ws(b, len, i);
	if (i >= len)
		return len;
	if (b[i] == '"')
		return skip_string(b, len, i);
	if (b[i] == '{' || b[i] == '[') {
		int depth = 0;
		while (i < len) {
			if (b[i] == '"') {
				i = skip_string(b, len, i);
				continue;
			}
			if (b[i] == '{' || b[i] == '[')
				depth++;
			else if ((b[i] == '}' || b[i] == ']') && --depth == 0)
				return i + 1;
			i++;
		}
		return len;
	}
	while (i < len && !strchr(",]} \t\r\n", b[i]))
		i++;
	return i;
}

/* Does the string token at b[i] (a '"') decode to key? */
static bool key_is(const char *b, size_t len, size_t i, const char *key)
{
	size_t end = skip_string(b, len, i);
	size_t n = strlen(key);
	if (!memchr(b + i, '\\', end - i))
		return end - i == n + 2 && memcmp(b + i + 1, key, n) == 0;
	json_t *s = json_loadb(b + i, end - i, JSON_DECODE_ANY, NULL);
	bool eq = s && json_is_string(s) && strcmp(json_string_value(s), key) == 0;
	json_decref(s);
	return eq;
}

/* Byte offset of the value at path (or of the member's key when want_key). */
static size_t locate(const char *b, size_t len, size_t start,
		     const struct step *path, int depth, bool want_key)
{
	size_t i = skip_ws(b, len, start);
	for (int d = 0; d < depth; d++) {
		const struct step *st = &path[d];
		if (i >= len)
			return len;
		if (st->key && b[i] == '{') {
			i = skip_ws(b, len, i + 1);
			while (i < len && b[i] == '"') {
				bool hit = key_is(b, len, i, st->key);
				size_t key_at = i;
				i = skip_ws(b, len, skip_string(b, len, i));
				i = skip_ws(b, len, i + 1);	/* past ':' */
				if (hit) {
					if (want_key && d == depth - 1)
						return key_at;
					break;
				}
				i = skip_ws(b, len, skip_value(b, len, i));
				if (i < len && b[i] == ',')
					i = skip_ws(b, len, i + 1);
			}
		} else if (!st->key && b[i] == '[') {
			i = skip_ws(b, len, i + 1);
			for (size_t k = 0; k < st->index && i < len && b[i] != ']'; k++) {
				i = skip_ws(b, len, skip_value(b, len, i));
				if (i < len && b[i] == ',')
					i = skip_ws(b, len, i + 1);
			}
		} else {
			return i;
		}
	}
	return i;
}

/* ---- reading -------------------------------------------------------------- */

struct reader {
	const char *buf;	/* the part of the text being read (a form) */
	size_t len;
	size_t at;		/* where buf is in the text */
	size_t base;		/* bytes skipped at the start (BOM) */
	size_t text_len;	/* the whole text's length (after the BOM) */
	struct io_src *in;
	const char *name;
	struct step path[MAX_DEPTH];
	int depth;
	int skip;		/* steps of path walked to reach buf */
	size_t form_index;
	bool failed;
	size_t fail_off;	/* in the text */
	char what[200];
};

/* "form 2: indicators[2].target" from the current path, for messages:
 * counted from 1, the second form's second row. */
static void path_text(const struct reader *r, char *out, size_t len)
{
	size_t n = 0;
	out[0] = '\0';
	for (int d = 0; d < r->depth && n < len; d++) {
		const struct step *st = &r->path[d];
		int w;
		if (st->key)
			w = snprintf(out + n, len - n, "%s%s",
				     n && out[n - 1] != ' ' ? "." : "", st->key);
		else if (d == 0)	/* the file is an array of forms */
			w = snprintf(out + n, len - n, _("form %zu: "), st->index + 1);
		else	/* from 1, as forms and as the screen numbers rows (第1行) */
			w = snprintf(out + n, len - n, "[%zu]", st->index + 1);
		if (w < 0)
			break;
		n += (size_t)w;
	}
	while (n > 0 && n < len && (out[n - 1] == ' ' || out[n - 1] == ':'))
		out[--n] = '\0';
}

/* The first problem, its place in the text (line and column come when it
 * is handed on: they need the text read again from its start). */
static void fail_vtext(struct reader *r, size_t off, const char *fmt, va_list ap)
{
	if (r->failed)
		return;		/* the first problem is the one to fix first */
	r->failed = true;
	vsnprintf(r->what, sizeof r->what, fmt, ap);
	r->fail_off = off > r->text_len ? r->text_len : off;
}

static void fail_text(struct reader *r, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fail_text(struct reader *r, size_t off, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fail_vtext(r, off, fmt, ap);
	va_end(ap);
}

/* The same at offset off of buf. */
static void fail_at(struct reader *r, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fail_at(struct reader *r, size_t off, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fail_vtext(r, r->at + (off > r->len ? r->len : off), fmt, ap);
	va_end(ap);
}

/* The problem as it is handed on: "file: line L, column C (byte B): what". */
static void give_problem(struct reader *r, const struct io_sink *k)
{
	struct io_problem p = { .form_index = r->form_index };
	long line = 1, col = 1;
	src_line_col(r->in, r->base, r->base + r->fail_off, &line, &col);
	p.line = line;
	p.offset = (long)(r->fail_off + r->base);
	snprintf(p.message, sizeof p.message, _("%s: line %ld, column %ld (byte %ld): %s"),
		 r->name, line, col, p.offset, r->what);
	if (k->void_all)
		k->void_all(k->arg);
	k->problem(k->arg, &p);
}

/* A problem with the value at the current path. */
static void fail_here(struct reader *r, bool at_key, const char *what)
{
	char p[128];
	path_text(r, p, sizeof p);
	size_t off = locate(r->buf, r->len, 0, r->path + r->skip, r->depth - r->skip, at_key);
	fail_at(r, off, "%s: %s", p, what);
}

static void push_key(struct reader *r, const char *key)
{
	assert(r->depth < MAX_DEPTH);
	r->path[r->depth++] = (struct step){ key, 0 };
}

static void push_index(struct reader *r, size_t i)
{
	assert(r->depth < MAX_DEPTH);
	r->path[r->depth++] = (struct step){ NULL, i };
}

static void pop(struct reader *r)
{
	assert(r->depth > 0);
	r->depth--;
}

/* Every member of obj must be one of keys[]; the first that is not is reported. */
static bool only_keys(struct reader *r, json_t *obj, const char *const *keys, size_t n)
{
	const char *k;
	json_t *v;
	json_object_foreach(obj, k, v) {
		bool known = false;
		for (size_t i = 0; i < n && !known; i++)
			known = strcmp(k, keys[i]) == 0;
		if (!known) {
			/* the message names the container; the offset is the key's */
			char p[128], what[160];
			path_text(r, p, sizeof p);
			snprintf(what, sizeof what, _("unknown key \"%s\""), k);
			push_key(r, k);
			size_t off = locate(r->buf, r->len, 0, r->path + r->skip, r->depth - r->skip, true);
			pop(r);
			if (*p)
				fail_at(r, off, "%s: %s", p, what);
			else
				fail_at(r, off, "%s", what);
			return false;
		}
	}
	return true;
}

/* A text field: a string, or null (absent). */
static void read_text(struct reader *r, json_t *obj, const char *key, char **slot)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return;		/* absent */
	push_key(r, key);
	if (json_is_string(v))
		set_str(slot, json_string_value(v));
	else if (json_is_number(v))
		fail_here(r, false, _("figures are written as strings, exactly as on the form (e.g. \"738.62892\")"));
	else
		fail_here(r, false, _("expected a string or null"));
	pop(r);
}

/* An object member that must be an object (or null / missing). */
static json_t *read_object(struct reader *r, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_object(v)) {
		push_key(r, key);
		fail_here(r, false, _("expected an object"));
		pop(r);
		return NULL;
	}
	return v;
}

static bool uuid_ok(const char *s)
{
	if (strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		bool hex = (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
			   (s[i] >= 'A' && s[i] <= 'F');
		if (dash ? s[i] != '-' : !hex)
			return false;
	}
	return true;
}

/* "uuid": a string in the usual 8-4-4-4-12 form, kept; else a fresh one stays. */
static void read_uuid(struct reader *r, json_t *obj, char out[37])
{
	json_t *v = json_object_get(obj, "uuid");
	if (!v || json_is_null(v))
		return;
	push_key(r, "uuid");
	if (!json_is_string(v) || !uuid_ok(json_string_value(v))) {
		fail_here(r, false, _("expected a UUID such as \"0b7e4c1a-3f2d-4e5b-9a6c-1d2e3f4a5b6c\""));
	} else {
		const char *s = json_string_value(v);
		for (int i = 0; i < 36; i++)
			out[i] = (char)((s[i] >= 'A' && s[i] <= 'F') ? s[i] - 'A' + 'a' : s[i]);
		out[36] = '\0';
	}
	pop(r);
}

static const char *const form_keys[] = {
	"id", "status", "uuid", "layout", "ruleset", "year", "project", "department",
	"unit", "lead", "phone", "funds", "goals", "indicators", "total",
};
static const char *const goal_keys[] = { "expected", "achieved" };
static const char *const total_keys[] = { "weight", "score", "grade" };

static void read_indicator(struct reader *r, json_t *o, struct form *f)
{
	static const char *keys[IND_FIELDS + 1];
	if (!keys[0]) {
		for (int k = 0; k < IND_FIELDS; k++)
			keys[k] = ind_field_key[k];
		keys[IND_FIELDS] = "uuid";
	}
	if (!json_is_object(o)) {
		fail_here(r, false, _("an indicator row is an object"));
		return;
	}
	if (!only_keys(r, o, keys, IND_FIELDS + 1))
		return;
	struct indicator *in = form_add_indicator(f, f->n_ind);
	if (!in)
		abort();	/* out of memory */
	read_uuid(r, o, in->uuid);
	for (int k = 0; k < IND_FIELDS; k++)
		read_text(r, o, ind_field_key[k], &in->v[k]);
}

static struct form *read_form(struct reader *r, json_t *o)
{
	if (!json_is_object(o)) {
		fail_here(r, false, _("a form is a JSON object"));
		return NULL;
	}
	if (!only_keys(r, o, form_keys, sizeof form_keys / sizeof form_keys[0]))
		return NULL;
	struct form *f = form_new();

	/* id and status are the exporting database's; import assigns its own.
	 * Their types are still checked, so a damaged file is noticed. */
	json_t *v = json_object_get(o, "id");
	if (v && !json_is_null(v) && !json_is_integer(v)) {
		push_key(r, "id");
		fail_here(r, false, _("expected a whole number or null"));
		pop(r);
	}
	v = json_object_get(o, "status");
	if (v && !json_is_null(v) && !json_is_string(v)) {
		push_key(r, "status");
		fail_here(r, false, _("expected a string or null"));
		pop(r);
	}
	read_uuid(r, o, f->uuid);

	v = json_object_get(o, "layout");
	if (v && !json_is_null(v)) {
		push_key(r, "layout");
		if (!json_is_string(v))
			fail_here(r, false, _("expected a string or null"));
		else if (!layout_find(json_string_value(v)))
			fail_here(r, false, _("unknown layout (beijing-2021, district-2023, district-2024)"));
		else
			set_str(&f->layout, json_string_value(v));
		pop(r);
	}
	v = json_object_get(o, "ruleset");
	if (v && !json_is_null(v)) {
		push_key(r, "ruleset");
		if (!json_is_string(v) || !*json_string_value(v))
			fail_here(r, false, _("expected the name of a rule set"));
		else
			set_str(&f->ruleset, json_string_value(v));
		pop(r);
	}
	v = json_object_get(o, "year");
	if (v && !json_is_null(v)) {
		push_key(r, "year");
		json_int_t y = json_is_integer(v) ? json_integer_value(v) : 0;
		if (y < 1900 || y > 2999)
			fail_here(r, false, _("the year must be a number such as 2024"));
		else
			f->year = (int)y;
		pop(r);
	}
	read_text(r, o, "project", &f->project);
	read_text(r, o, "department", &f->department);
	read_text(r, o, "unit", &f->unit);
	read_text(r, o, "lead", &f->lead);
	read_text(r, o, "phone", &f->phone);

	json_t *funds = read_object(r, o, "funds");
	if (funds) {
		push_key(r, "funds");
		if (only_keys(r, funds, fund_row_key, FUND_ROWS))
			for (int row = 0; row < FUND_ROWS; row++) {
				json_t *fr = read_object(r, funds, fund_row_key[row]);
				if (!fr)
					continue;
				push_key(r, fund_row_key[row]);
				if (only_keys(r, fr, fund_col_key, FUND_COLS))
					for (int c = 0; c < FUND_COLS; c++)
						read_text(r, fr, fund_col_key[c], &f->funds[row][c]);
				pop(r);
			}
		pop(r);
	}
	json_t *goals = read_object(r, o, "goals");
	if (goals) {
		push_key(r, "goals");
		if (only_keys(r, goals, goal_keys, 2)) {
			read_text(r, goals, "expected", &f->goals_expected);
			read_text(r, goals, "achieved", &f->goals_achieved);
		}
		pop(r);
	}
	v = json_object_get(o, "indicators");
	if (v && !json_is_null(v)) {
		push_key(r, "indicators");
		if (!json_is_array(v)) {
			fail_here(r, false, _("expected an array of indicator rows"));
		} else {
			size_t i;
			json_t *row;
			json_array_foreach(v, i, row) {
				if (r->failed)
					break;
				push_index(r, i);
				read_indicator(r, row, f);
				pop(r);
			}
		}
		pop(r);
	}
	json_t *total = read_object(r, o, "total");
	if (total) {
		push_key(r, "total");
		if (only_keys(r, total, total_keys, 3)) {
			read_text(r, total, "weight", &f->total_weight);
			read_text(r, total, "score", &f->total_score);
			read_text(r, total, "grade", &f->total_grade);
		}
		pop(r);
	}
	if (r->failed) {
		form_free(f);
		return NULL;
	}
	return f;
}

/* ---- the text, one form at a time ------------------------------------------
 * A file is one form or an array of them.  An array is read element by
 * element: each is found by matching brackets, parsed by jansson on its own
 * and checked, so memory is one form's.  What lies between elements (a
 * comma, the closing bracket, the end) is checked here; where it is wrong,
 * jansson is shown the same bytes after a prefix that puts it in the same
 * place ("[[]" + rest: after an element), so its message is the one it
 * gives for the whole file.  The first problem in the file wins, and a
 * syntax problem anywhere wins over one with a form's content, as when
 * jansson parsed the whole file before a single form was checked. */

#define FLAGS (JSON_REJECT_DUPLICATES | JSON_DECODE_ANY)
#define DEEP JSON_PARSER_MAX_DEPTH	/* an element this deep fails in its array */

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The next byte after white space (passed), or -1 at the end. */
static int next_byte(struct io_src *in)
{
	for (;;) {
		size_t n;
		const char *p = src_at(in, &n);
		size_t i = 0;
		while (i < n && is_ws(p[i]))
			i++;
		src_skip(in, i);
		if (i < n)
			return (unsigned char)p[i];
		if (src_need(in, 1) == 0)
			return -1;
	}
}

/* How many bytes the value at the reader's place takes, by its brackets
 * and strings alone (to the end of the file if they never close); *deep:
 * its brackets nest at least DEEP. */
static size_t value_span(struct io_src *in, bool *deep)
{
	size_t i = 0, n;
	int depth = 0, max = 0;
	bool str = false, esc = false, scalar = false, first = true;
	*deep = false;
	for (;;) {
		const char *p = src_at(in, &n);
		if (i >= n) {
			if (src_need(in, i + 1) <= i)
				return i;	/* the end of the file */
			p = src_at(in, &n);
		}
		for (; i < n; i++) {
			char c = p[i];
			if (first) {
				first = false;
				scalar = c != '{' && c != '[' && c != '"';
			}
			if (str) {
				if (esc)
					esc = false;
				else if (c == '\\')
					esc = true;
				else if (c == '"' && (str = false, depth == 0))
					return i + 1;
			} else if (scalar) {
				if (c == ',' || c == ']' || c == '}' || is_ws(c))
					return i;
			} else if (c == '"') {
				str = true;
			} else if (c == '{' || c == '[') {
				if (++depth > max && (max = depth) >= DEEP)
					*deep = true;
			} else if ((c == '}' || c == ']') && --depth <= 0) {
				return i + 1;
			}
		}
	}
}

static bool near_eof(const json_error_t *e)
{
	return strstr(e->text, "near end of file") != NULL;
}

/* A syntax problem jansson reported at position pos of the text: the first
 * problem now, whatever was found before in a form's content. */
static void syntax(struct reader *r, size_t pos, const json_error_t *e)
{
	/* jansson's position is just past the token it choked on, which
	 * it quotes ("... near 'tru'"): point at the token's start. */
	const char *near = strstr(e->text, "near '");
	size_t tok = near ? strlen(near + 6) : 0;
	if (tok > 0 && near[6 + tok - 1] == '\'')
		tok--;
	if (pos > r->text_len)
		pos = r->text_len;
	r->failed = false;
	r->form_index = 0;	/* as when the whole file was parsed first */
	if (near_eof(e))
		fail_text(r, r->text_len, _("the JSON ends too early (%s)"), e->text);
	else
		fail_text(r, tok <= pos ? pos - tok : 0, "%s", e->text);
}

/* jansson on prefix + the text from the reader's place: what it says of
 * those bytes where the prefix puts it.  Enough of the text is read for
 * jansson to see the token it stops at. */
static void parse_after(struct reader *r, const char *prefix, size_t flags)
{
	size_t want = 65536, n, pl = strlen(prefix);
	for (;;) {
		src_need(r->in, want);
		const char *p = src_at(r->in, &n);
		char *b = malloc(pl + n + 1);
		if (!b)
			abort();
		memcpy(b, prefix, pl);
		memcpy(b + pl, p, n);
		json_error_t e;
		json_t *v = json_loadb(b, pl + n, flags, &e);
		free(b);
		size_t at = src_tell(r->in) - r->base;
		if (v) {	/* nothing wrong after all: cannot happen */
			json_decref(v);
			r->failed = false;
			fail_text(r, at, "%s", _("expected a form (an object) or an array of forms"));
			return;
		}
		if (near_eof(&e) && !r->in->eof && n >= want / 2) {
			want *= 2;	/* jansson ran out of the part read, not of the file */
			continue;
		}
		size_t pos = (size_t)e.position > pl ? (size_t)e.position - pl : 0;
		syntax(r, at + pos, &e);
		return;
	}
}

/* The element at the reader's place, parsed; NULL after a syntax problem.
 * *used: its bytes. */
static json_t *parse_element(struct reader *r, size_t *used)
{
	bool deep;
	size_t span = value_span(r->in, &deep);
	if (deep) {	/* jansson's depth limit counts the array it is in */
		parse_after(r, "[", FLAGS | JSON_DISABLE_EOF_CHECK);
		return NULL;
	}
	size_t want = span + 8;	/* jansson may look a character past a bare value */
	for (;;) {
		size_t n;
		src_need(r->in, want);
		const char *p = src_at(r->in, &n);
		json_error_t e;
		json_t *v = json_loadb(p, n, FLAGS | JSON_DISABLE_EOF_CHECK, &e);
		if (v) {
			*used = (size_t)e.position;
			return v;
		}
		if (near_eof(&e) && !r->in->eof) {
			want = n * 2;
			continue;
		}
		syntax(r, src_tell(r->in) - r->base + (size_t)e.position, &e);
		return NULL;
	}
}

/* Element i the long way: jansson, then read_form.  *content_failed: a
 * form's content was wrong (this one or one before: then only the syntax
 * is checked).  false after a syntax problem. */
static bool read_slow(struct reader *r, const struct io_sink *k, size_t i, bool *content_failed)
{
	size_t used = 0;
	json_t *o = parse_element(r, &used);
	if (!o)
		return false;
	if (!*content_failed) {
		size_t n;
		r->buf = src_at(r->in, &n);
		r->len = n;
		r->at = src_tell(r->in) - r->base;
		r->depth = 0;
		r->skip = 1;
		push_index(r, i);
		struct form *f = read_form(r, o);
		if (f)
			k->form(k->arg, f, false);
		*content_failed = r->failed;	/* a later syntax problem would still win */
	}
	json_decref(o);
	src_skip(r->in, used);
	return true;
}

/* An array of forms, its '[' passed. */
static void read_array(struct reader *r, const struct io_sink *k)
{
	bool first = true, content_failed = false;
	for (size_t i = 0;; i++) {
		int c = next_byte(r->in);
		if (first && c == ']') {
			src_skip(r->in, 1);
			break;
		}
		if (c < 0 || c == ']' || c == ',' || c == '}' || c == ':') {
			parse_after(r, first ? "[" : "[[],", FLAGS);
			return;
		}
		first = false;
		if (!content_failed)
			r->form_index = i;
		/* the common case first: a form as jxzp exports it */
		bool deep;
		size_t span = value_span(r->in, &deep), n, used;
		src_need(r->in, span + 8);
		struct form *f = deep ? NULL : io_json_fast_form(src_at(r->in, &n), span, &used);
		if (f && content_failed) {
			form_free(f);	/* only the syntax counts now */
			src_skip(r->in, used);
		} else if (f) {
			k->form(k->arg, f, false);
			src_skip(r->in, used);
		} else if (!read_slow(r, k, i, &content_failed)) {
			return;
		}
		c = next_byte(r->in);
		if (c == ',') {
			src_skip(r->in, 1);
			continue;
		}
		if (c == ']') {
			src_skip(r->in, 1);
			break;
		}
		parse_after(r, "[[]", FLAGS);
		return;
	}
	if (next_byte(r->in) >= 0)
		parse_after(r, "[]", FLAGS);
}

/* A file that is not an array: one form, read whole. */
static void read_whole(struct reader *r, const struct io_sink *k)
{
	size_t n;
	while (!r->in->eof) {
		src_at(r->in, &n);
		src_need(r->in, n + 65536);
	}
	r->buf = src_at(r->in, &n);
	r->len = n;
	r->at = src_tell(r->in) - r->base;	/* past white space */
	json_error_t e;
	json_t *root = json_loadb(r->buf, r->len, FLAGS, &e);
	if (!root) {
		syntax(r, r->at + (e.position > 0 ? (size_t)e.position : 0), &e);
		return;
	}
	if (!json_is_object(root)) {
		fail_at(r, skip_ws(r->buf, r->len, 0), _("expected a form (an object) or an array of forms"));
	} else {
		struct form *f = read_form(r, root);
		if (f)
			k->form(k->arg, f, false);
	}
	json_decref(root);
}

int io_json_stream(struct io_src *in, const char *name, const struct io_sink *k)
{
	struct reader r = { .in = in, .name = name ? name : "-" };
	struct src_scan sc;
	if (src_scan(in, &sc) != 0)
		return -1;	/* the caller says why (in->err) */
	size_t n;
	src_need(in, 3);
	/* A byte-order mark, as some Windows tools write, is not content. */
	const char *p = src_at(in, &n);
	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
		src_skip(in, 3);
		r.base = 3;
	}
	r.text_len = sc.size - r.base;
	/* UTF-8 first, so the offset is that of the first bad byte itself. */
	if (sc.bad >= 0) {
		r.text_len = (size_t)sc.bad - r.base;
		fail_text(&r, (size_t)sc.bad - r.base, _("invalid UTF-8 (the file must be saved as UTF-8)"));
	} else if (sc.nul >= 0) {
		fail_text(&r, (size_t)sc.nul - r.base, _("a NUL byte: this is not a text file"));
	} else if (next_byte(in) == '[') {
		src_skip(in, 1);
		read_array(&r, k);
	} else {
		read_whole(&r, k);
	}
	if (in->err)
		return -1;
	if (r.failed) {
		give_problem(&r, k);
		return -1;
	}
	return 0;
}

int io_json_read(const char *buf, size_t len, const char *name, struct io_result *out)
{
	memset(out, 0, sizeof *out);
	struct io_src in;
	struct io_sink k;
	src_init_mem(&in, buf, len);
	io_result_sink(out, &k);
	return io_json_stream(&in, name, &k);
}

/* ---- writing ---------------------------------------------------------------- */

/* A growing string, and what the form being written holds that is not
 * UTF-8: the field's path is handed to bad(). */
struct sb {
	char *p;
	size_t n, cap;
	const struct form *form;
	const char *group;		/* "funds.total.", "indicators[2].", "" */
	size_t group_index;		/* the row for "indicators[%zu]." */
	io_json_bad_fn bad;
	void *bad_arg;
};

static void sb_add(struct sb *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p)
			abort();	/* out of memory */
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void sb_puts(struct sb *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

/* Characters a terminal may act on, which jansson writes raw: DEL, the C1
 * controls (U+009B is CSI), line/paragraph separators, bidi overrides.
 * Written as \uXXXX, so JSON shown on a terminal is as safe as a file. */
static bool needs_escape(ucs4_t uc)
{
	return uc == 0x7f || (uc >= 0x80 && uc < 0xa0) || uc == 0x2028 || uc == 0x2029 ||
	       (uc >= 0x202a && uc <= 0x202e) || (uc >= 0x2066 && uc <= 0x2069);
}

static void sb_escaped(struct sb *b, const char *t)
{
	size_t len = strlen(t);
	for (size_t i = 0; i < len;) {
		ucs4_t uc;
		int k = u8_mbtouc(&uc, (const uint8_t *)t + i, len - i);
		if (k <= 0)
			k = 1;
		if (needs_escape(uc)) {
			char e[8];
			snprintf(e, sizeof e, "\\u%04X", (unsigned)uc);
			sb_puts(b, e);
		} else {
			sb_add(b, t + i, (size_t)k);
		}
		i += (size_t)k;
	}
}

/* A JSON string (escaped by jansson: quotes, backslashes, control
 * characters; UTF-8 kept as is), or null for a value that is not there.
 * A value that is not valid UTF-8 (a database older than the checks at
 * the door) is still written, never dropped: each byte that is not part
 * of a UTF-8 character as the four characters \xNN (so the JSON is valid
 * and the bytes can be told), and sb_kv reports it. */
static bool sb_str(struct sb *b, const char *s)
{
	if (!s) {
		sb_puts(b, "null");
		return true;
	}
	char *fixed = NULL;
	if (!ustr_valid(s, strlen(s), NULL)) {
		size_t len = strlen(s), o = 0;
		fixed = malloc(4 * len + 1);
		if (!fixed)
			abort();
		for (size_t i = 0; i < len;) {
			ucs4_t uc;
			int k = u8_mbtouc(&uc, (const uint8_t *)s + i, len - i);
			if (k > 0 && uc != 0xfffd) {
				memcpy(fixed + o, s + i, (size_t)k);
				o += (size_t)k;
				i += (size_t)k;
			} else if (k > 0 && k == 3 && memcmp(s + i, "\xef\xbf\xbd", 3) == 0) {
				memcpy(fixed + o, s + i, 3);	/* a real U+FFFD */
				o += 3;
				i += 3;
			} else {
				o += (size_t)snprintf(fixed + o, 5, "\\x%02X", (unsigned char)s[i]);
				i++;
			}
		}
		fixed[o] = '\0';
		s = fixed;
	}
	json_t *j = json_string(s);
	char *t = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
	if (!t)
		abort();	/* valid UTF-8 by now: only out of memory stops jansson */
	sb_escaped(b, t);
	free(t);
	json_decref(j);
	free(fixed);
	return fixed == NULL;
}

static void sb_kv(struct sb *b, const char *key, const char *value)
{
	sb_str(b, key);
	sb_puts(b, ": ");
	if (!sb_str(b, value) && b->bad) {
		char path[96];
		if (strcmp(b->group, "indicators") == 0)
			snprintf(path, sizeof path, "indicators[%zu].%s", b->group_index, key);
		else
			snprintf(path, sizeof path, "%s%s", b->group, key);
		b->bad(b->form, path, b->bad_arg);
	}
}

static void write_form(struct sb *b, const struct form *f, bool with_ids, const char *ind)
{
	char num[32], group[48];
	b->form = f;
	b->group = "";
	sb_puts(b, ind);
	sb_puts(b, "{\n");
	sb_puts(b, ind);
	sb_puts(b, "  ");
	if (with_ids) {
		snprintf(num, sizeof num, "\"id\": %lld, ", (long long)f->id);
		sb_puts(b, num);
		sb_kv(b, "status", status_key[f->status]);
		sb_puts(b, ", ");
	}
	sb_kv(b, "uuid", f->uuid);
	sb_puts(b, ", ");
	sb_kv(b, "layout", f->layout);
	sb_puts(b, ", ");
	sb_kv(b, "ruleset", f->ruleset);
	sb_puts(b, ",\n");
	sb_puts(b, ind);
	if (f->year)
		snprintf(num, sizeof num, "  \"year\": %d, ", f->year);
	else
		snprintf(num, sizeof num, "  \"year\": null, ");
	sb_puts(b, num);
	sb_kv(b, "project", f->project);
	sb_puts(b, ", ");
	sb_kv(b, "department", f->department);
	sb_puts(b, ", ");
	sb_kv(b, "unit", f->unit);
	sb_puts(b, ",\n");
	sb_puts(b, ind);
	sb_puts(b, "  ");
	sb_kv(b, "lead", f->lead);
	sb_puts(b, ", ");
	sb_kv(b, "phone", f->phone);
	sb_puts(b, ",\n");
	sb_puts(b, ind);
	sb_puts(b, "  \"funds\": {\n");
	for (int row = 0; row < FUND_ROWS; row++) {
		sb_puts(b, ind);
		sb_puts(b, "    ");
		sb_str(b, fund_row_key[row]);
		sb_puts(b, ": {");
		snprintf(group, sizeof group, "funds.%s.", fund_row_key[row]);
		b->group = group;
		for (int c = 0; c < FUND_COLS; c++) {
			if (c)
				sb_puts(b, ", ");
			sb_kv(b, fund_col_key[c], f->funds[row][c]);
		}
		sb_puts(b, row + 1 < FUND_ROWS ? "},\n" : "}\n");
	}
	sb_puts(b, ind);
	sb_puts(b, "  },\n");
	b->group = "goals.";
	sb_puts(b, ind);
	sb_puts(b, "  \"goals\": {");
	sb_kv(b, "expected", f->goals_expected);
	sb_puts(b, ", ");
	sb_kv(b, "achieved", f->goals_achieved);
	sb_puts(b, "},\n");
	sb_puts(b, ind);
	sb_puts(b, f->n_ind ? "  \"indicators\": [\n" : "  \"indicators\": [],\n");
	b->group = "indicators";
	for (size_t i = 0; i < f->n_ind; i++) {
		b->group_index = i;
		sb_puts(b, ind);
		sb_puts(b, "    {");
		for (int k = 0; k < IND_FIELDS; k++) {
			sb_kv(b, ind_field_key[k], f->ind[i].v[k]);
			sb_puts(b, ", ");
		}
		sb_kv(b, "uuid", f->ind[i].uuid);
		sb_puts(b, i + 1 < f->n_ind ? "},\n" : "}\n");
	}
	if (f->n_ind) {
		sb_puts(b, ind);
		sb_puts(b, "  ],\n");
	}
	b->group = "total.";
	sb_puts(b, ind);
	sb_puts(b, "  \"total\": {");
	sb_kv(b, "weight", f->total_weight);
	sb_puts(b, ", ");
	sb_kv(b, "score", f->total_score);
	sb_puts(b, ", ");
	sb_kv(b, "grade", f->total_grade);
	sb_puts(b, "}\n");
	sb_puts(b, ind);
	sb_puts(b, "}");
}

char *io_json_write_form(const struct form *f, bool with_ids)
{
	struct sb b = { 0 };
	write_form(&b, f, with_ids, "");
	return b.p;
}

int io_json_write(FILE *out, struct form *const *forms, size_t n, bool with_ids)
{
	return io_json_write_report(out, forms, n, with_ids, NULL, NULL);
}

int io_json_write_report(FILE *out, struct form *const *forms, size_t n, bool with_ids,
			 io_json_bad_fn bad, void *arg)
{
	for (size_t i = 0; i < n; i++)
		if (io_json_write_next(out, forms[i], i, with_ids, bad, arg) != 0)
			return -1;
	return io_json_write_end(out, n);
}

int io_json_write_next(FILE *out, const struct form *f, size_t i, bool with_ids,
		       io_json_bad_fn bad, void *arg)
{
	struct sb b = { .bad = bad, .bad_arg = arg };
	sb_puts(&b, i == 0 ? "[\n" : ",\n");
	write_form(&b, f, with_ids, "  ");
	size_t w = fwrite(b.p, 1, b.n, out);
	free(b.p);
	return w == b.n ? 0 : -1;
}

int io_json_write_end(FILE *out, size_t n)
{
	return fputs(n ? "\n]\n" : "[]\n", out) < 0 ? -1 : 0;
}
