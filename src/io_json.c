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
	const char *buf;	/* the text, after a BOM if there was one */
	size_t len;
	size_t base;		/* bytes skipped at the start (BOM) */
	const char *name;
	struct step path[MAX_DEPTH];
	int depth;
	size_t form_index;
	bool failed;
	struct io_problem problem;
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

/* Line and column (1-based, column in characters) of a byte offset. */
static void line_col(const char *b, size_t off, long *line, long *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (b[i] == '\n') {
			++*line;
			*col = 1;
		} else if (((unsigned char)b[i] & 0xc0) != 0x80) {
			++*col;
		}
	}
}

static void fail_at(struct reader *r, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fail_at(struct reader *r, size_t off, const char *fmt, ...)
{
	if (r->failed)
		return;		/* the first problem is the one to fix first */
	r->failed = true;
	char what[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	long line, col;
	if (off > r->len)
		off = r->len;
	line_col(r->buf, off, &line, &col);
	r->problem.form_index = r->form_index;
	r->problem.line = line;
	r->problem.offset = (long)(off + r->base);
	snprintf(r->problem.message, sizeof r->problem.message,
		 _("%s: line %ld, column %ld (byte %ld): %s"),
		 r->name, line, col, (long)(off + r->base), what);
}

/* A problem with the value at the current path. */
static void fail_here(struct reader *r, bool at_key, const char *what)
{
	char p[128];
	path_text(r, p, sizeof p);
	size_t off = locate(r->buf, r->len, 0, r->path, r->depth, at_key);
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
			size_t off = locate(r->buf, r->len, 0, r->path, r->depth, true);
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

static int give_problem(struct reader *r, struct io_result *out)
{
	out->problems = calloc(1, sizeof *out->problems);
	if (!out->problems)
		abort();
	out->problems[0] = r->problem;
	out->n_problems = 1;
	return -1;
}

int io_json_read(const char *buf, size_t len, const char *name, struct io_result *out)
{
	memset(out, 0, sizeof *out);
	struct reader r = { .buf = buf, .len = len, .name = name ? name : "-" };
	/* A byte-order mark, as some Windows tools write, is not content. */
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		r.buf += 3;
		r.len -= 3;
		r.base = 3;
	}
	/* UTF-8 first, so the offset is that of the first bad byte itself. */
	size_t bad;
	if (!ustr_valid(r.buf, r.len, &bad)) {
		fail_at(&r, bad, _("invalid UTF-8 (the file must be saved as UTF-8)"));
		return give_problem(&r, out);
	}
	if (memchr(r.buf, '\0', r.len)) {
		fail_at(&r, (size_t)((const char *)memchr(r.buf, '\0', r.len) - r.buf),
			_("a NUL byte: this is not a text file"));
		return give_problem(&r, out);
	}
	json_error_t e;
	json_t *root = json_loadb(r.buf, r.len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &e);
	if (!root) {
		/* jansson's position is just past the token it choked on, which
		 * it quotes ("... near 'tru'"): point at the token's start. */
		size_t at = e.position > 0 ? (size_t)e.position : 0;
		const char *near = strstr(e.text, "near '");
		size_t tok = near ? strlen(near + 6) : 0;
		if (tok > 0 && near[6 + tok - 1] == '\'')
			tok--;
		if (at > r.len)
			at = r.len;
		if (strstr(e.text, "near end of file"))
			fail_at(&r, r.len, _("the JSON ends too early (%s)"), e.text);
		else
			fail_at(&r, tok <= at ? at - tok : 0, "%s", e.text);
		return give_problem(&r, out);
	}
	size_t n = json_is_array(root) ? json_array_size(root) : 1;
	if (!json_is_array(root) && !json_is_object(root)) {
		fail_at(&r, skip_ws(r.buf, r.len, 0), _("expected a form (an object) or an array of forms"));
		json_decref(root);
		return give_problem(&r, out);
	}
	struct form **forms = calloc(n ? n : 1, sizeof *forms);
	if (!forms)
		abort();
	size_t got = 0;
	for (size_t i = 0; i < n && !r.failed; i++) {
		r.form_index = i;
		r.depth = 0;
		if (json_is_array(root))
			push_index(&r, i);
		json_t *o = json_is_array(root) ? json_array_get(root, i) : root;
		struct form *f = read_form(&r, o);
		if (f)
			forms[got++] = f;
	}
	json_decref(root);
	if (r.failed) {
		for (size_t i = 0; i < got; i++)
			form_free(forms[i]);
		free(forms);
		return give_problem(&r, out);
	}
	out->forms = forms;
	out->n_forms = got;
	out->incomplete = calloc(got ? got : 1, sizeof *out->incomplete);
	if (!out->incomplete)
		abort();
	return 0;
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
	struct sb b = { .bad = bad, .bad_arg = arg };
	sb_puts(&b, n ? "[\n" : "[");
	for (size_t i = 0; i < n; i++) {
		write_form(&b, forms[i], with_ids, "  ");
		sb_puts(&b, i + 1 < n ? ",\n" : "\n");
	}
	sb_puts(&b, "]\n");
	size_t w = fwrite(b.p, 1, b.n, out);
	free(b.p);
	return w == b.n ? 0 : -1;
}
