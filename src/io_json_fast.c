/*
 * io_json_fast: one form of the JSON interchange format read without
 * jansson, for the common case: a form as jxzp exports it.  jansson builds
 * a hash table per object and checks every character as it goes; at a
 * million forms that was most of an import's time.
 *
 * It gives up (NULL) at anything it is not sure of -- any syntax problem,
 * an unknown or repeated key, a wrong type, an escape it does not take,
 * a number that is not a plain whole one -- and then the form is read by
 * jansson and read_form as before, so every message stays theirs.  What it
 * accepts is valid JSON that read_form would accept, read into the same
 * form (the bytes are valid UTF-8 by then: the reader checked the file).
 */
#include "config.h"
#include "io_json_fast.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"

struct fast {
	const char *p, *end;
};

static void ws(struct fast *x)
{
	while (x->p < x->end && (*x->p == ' ' || *x->p == '\t' || *x->p == '\n' || *x->p == '\r'))
		x->p++;
}

/* The next byte after white space is c: passed. */
static bool eat(struct fast *x, char c)
{
	ws(x);
	if (x->p < x->end && *x->p == c) {
		x->p++;
		return true;
	}
	return false;
}

static bool literal(struct fast *x, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(x->end - x->p) < n + 1 || memcmp(x->p, w, n) != 0)
		return false;
	char c = x->p[n];	/* a delimiter must follow ("nullx" is no null) */
	if (!(c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r'))
		return false;
	x->p += n;
	return true;
}

static int hex4(const char *p)
{
	int v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

static size_t put_utf8(char *o, uint32_t u)
{
	if (u < 0x80) {
		o[0] = (char)u;
		return 1;
	}
	if (u < 0x800) {
		o[0] = (char)(0xC0 | u >> 6);
		o[1] = (char)(0x80 | (u & 0x3F));
		return 2;
	}
	if (u < 0x10000) {
		o[0] = (char)(0xE0 | u >> 12);
		o[1] = (char)(0x80 | (u >> 6 & 0x3F));
		o[2] = (char)(0x80 | (u & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | u >> 18);
	o[1] = (char)(0x80 | (u >> 12 & 0x3F));
	o[2] = (char)(0x80 | (u >> 6 & 0x3F));
	o[3] = (char)(0x80 | (u & 0x3F));
	return 4;
}

/* A string (after white space), decoded; NULL to give up.  Caller frees. */
static char *string(struct fast *x)
{
	ws(x);
	if (x->p >= x->end || *x->p != '"')
		return NULL;
	const char *s = x->p + 1, *q = s;
	bool esc = false;
	while (q < x->end && *q != '"') {
		if ((unsigned char)*q < 0x20)
			return NULL;	/* jansson's "control character" */
		if (*q == '\\') {
			esc = true;
			q++;
		}
		q++;
	}
	if (q >= x->end)
		return NULL;
	char *out = malloc((size_t)(q - s) + 1);	/* an escape never grows */
	if (!out)
		abort();
	size_t n = 0;
	if (!esc) {
		memcpy(out, s, (size_t)(q - s));
		n = (size_t)(q - s);
	} else {
		for (const char *p = s; p < q; p++) {
			if (*p != '\\') {
				out[n++] = *p;
				continue;
			}
			char e = *++p;
			const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
			const char *k = strchr(from, e);
			if (e && k) {
				out[n++] = to[k - from];
				continue;
			}
			if (e != 'u' || q - p < 5)
				goto give_up;
			int u = hex4(p + 1);
			p += 4;
			if (u <= 0 || (u >= 0xDC00 && u <= 0xDFFF))
				goto give_up;	/* \u0000, a lone low surrogate */
			uint32_t cp = (uint32_t)u;
			if (u >= 0xD800 && u <= 0xDBFF) {
				if (q - p < 7 || p[1] != '\\' || p[2] != 'u')
					goto give_up;
				int lo = hex4(p + 3);
				if (lo < 0xDC00 || lo > 0xDFFF)
					goto give_up;
				cp = 0x10000 + (((uint32_t)u - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
				p += 6;
			}
			n += put_utf8(out + n, cp);
		}
	}
	out[n] = '\0';
	x->p = q + 1;
	return out;
give_up:
	free(out);
	return NULL;
}

/* null (true), or a string into *slot (true); false to give up. */
static bool text(struct fast *x, char **slot)
{
	ws(x);
	if (literal(x, "null"))
		return true;
	char *s = string(x);
	if (!s)
		return false;
	free(*slot);
	*slot = s;
	return true;
}

/* A plain whole number, [-](0|[1-9][0-9]*), at most 9 digits, into *v. */
static bool whole(struct fast *x, long *v)
{
	ws(x);
	const char *p = x->p;
	bool neg = p < x->end && *p == '-';
	if (neg)
		p++;
	const char *d = p;
	long n = 0;
	while (p < x->end && *p >= '0' && *p <= '9' && p - d < 10)
		n = n * 10 + (*p++ - '0');
	if (p == d || p - d > 9 || (*d == '0' && p - d > 1) || p >= x->end ||
	    !(*p == ',' || *p == '}' || *p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
		return false;
	x->p = p;
	*v = neg ? -n : n;
	return true;
}

/* The index of key in keys[n], or -1. */
static int key_index(const char *key, const char *const *keys, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(key, keys[i]) == 0)
			return i;
	return -1;
}

/* An object's members, each key one of keys[n] and seen once: for each,
 * member(x, index, arg) reads the value.  null as the object: true. */
static bool members(struct fast *x, const char *const *keys, int n,
		    bool (*member)(struct fast *, int, void *), void *arg)
{
	ws(x);
	if (literal(x, "null"))
		return true;
	if (!eat(x, '{'))
		return false;
	uint32_t seen = 0;
	if (eat(x, '}'))
		return true;
	for (;;) {
		char *key = string(x);
		if (!key)
			return false;
		int i = key_index(key, keys, n);
		free(key);
		if (i < 0 || (seen & (1u << i)) || !eat(x, ':') || !member(x, i, arg))
			return false;	/* unknown, repeated, or not as read_form wants */
		seen |= 1u << i;
		if (eat(x, '}'))
			return true;
		if (!eat(x, ','))
			return false;
	}
}

static bool text_member(struct fast *x, int i, void *arg)
{
	return text(x, &((char **)arg)[i]);
}

static bool fund_row(struct fast *x, int r, void *arg)
{
	struct form *f = arg;
	return members(x, fund_col_key, FUND_COLS, text_member, f->funds[r]);
}

static const char *const goal_keys[] = { "expected", "achieved" };
static const char *const total_keys[] = { "weight", "score", "grade" };

static bool uuid_into(struct fast *x, char out[37])
{
	ws(x);
	if (literal(x, "null"))
		return true;
	char *s = string(x);
	bool ok = s && strlen(s) == 36;
	for (int i = 0; ok && i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		char c = s[i];
		bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
		ok = dash ? c == '-' : hex;
		out[i] = (char)(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
	}
	free(s);
	if (ok)
		out[36] = '\0';
	return ok;	/* (out is the reader's to drop when not ok) */
}

static bool indicator_member(struct fast *x, int i, void *arg)
{
	struct indicator *in = arg;
	if (i == IND_FIELDS)
		return uuid_into(x, in->uuid);
	return text(x, &in->v[i]);
}

static const char *ind_keys[IND_FIELDS + 1];

static bool indicators(struct fast *x, struct form *f)
{
	ws(x);
	if (literal(x, "null"))
		return true;
	if (!eat(x, '['))
		return false;
	if (eat(x, ']'))
		return true;
	for (;;) {
		ws(x);
		if (x->p >= x->end || *x->p != '{')
			return false;	/* a row that is not an object: read_form says so */
		struct indicator *in = form_add_indicator(f, f->n_ind);
		if (!in)
			abort();
		if (!members(x, ind_keys, IND_FIELDS + 1, indicator_member, in))
			return false;
		if (eat(x, ']'))
			return true;
		if (!eat(x, ','))
			return false;
	}
}

static const char *const form_keys[] = {
	"id", "status", "uuid", "layout", "ruleset", "year", "project", "department",
	"unit", "lead", "phone", "funds", "goals", "indicators", "total",
};
enum { K_ID, K_STATUS, K_UUID, K_LAYOUT, K_RULESET, K_YEAR, K_PROJECT, K_DEPARTMENT,
       K_UNIT, K_LEAD, K_PHONE, K_FUNDS, K_GOALS, K_INDICATORS, K_TOTAL, K_N };

static bool form_member(struct fast *x, int i, void *arg)
{
	struct form *f = arg;
	char *s = NULL;
	long v;
	bool ok;
	switch (i) {
	case K_ID:
		ws(x);
		return literal(x, "null") || whole(x, &v);
	case K_STATUS:
		ok = text(x, &s);
		free(s);
		return ok;
	case K_UUID:
		return uuid_into(x, f->uuid);
	case K_LAYOUT:
	case K_RULESET:
		if (!text(x, &s))
			return false;
		ok = !s || (i == K_LAYOUT ? layout_find(s) != NULL : *s != '\0');
		if (s && ok) {
			free(i == K_LAYOUT ? f->layout : f->ruleset);
			*(i == K_LAYOUT ? &f->layout : &f->ruleset) = s;
		} else {
			free(s);
		}
		return ok;
	case K_YEAR:
		ws(x);
		if (literal(x, "null"))
			return true;
		if (!whole(x, &v) || v < 1900 || v > 2999)
			return false;
		f->year = (int)v;
		return true;
	case K_PROJECT: return text(x, &f->project);
	case K_DEPARTMENT: return text(x, &f->department);
	case K_UNIT: return text(x, &f->unit);
	case K_LEAD: return text(x, &f->lead);
	case K_PHONE: return text(x, &f->phone);
	case K_FUNDS: return members(x, fund_row_key, FUND_ROWS, fund_row, f);
	case K_GOALS: {
		char *g[2] = { NULL, NULL };
		ok = members(x, goal_keys, 2, text_member, g);
		if (g[0]) {
			free(f->goals_expected);
			f->goals_expected = g[0];
		}
		if (g[1]) {
			free(f->goals_achieved);
			f->goals_achieved = g[1];
		}
		return ok;
	}
	case K_INDICATORS: return indicators(x, f);
	case K_TOTAL: {
		char *t[3] = { NULL, NULL, NULL };
		ok = members(x, total_keys, 3, text_member, t);
		char **slot[3] = { &f->total_weight, &f->total_score, &f->total_grade };
		for (int k = 0; k < 3; k++)
			if (t[k]) {
				free(*slot[k]);
				*slot[k] = t[k];
			}
		return ok;
	}
	}
	return false;
}

struct form *io_json_fast_form(const char *p, size_t n, size_t *used)
{
	if (!ind_keys[0]) {
		for (int k = 0; k < IND_FIELDS; k++)
			ind_keys[k] = ind_field_key[k];
		ind_keys[IND_FIELDS] = "uuid";
	}
	struct fast x = { p, p + n };
	ws(&x);
	if (x.p >= x.end || *x.p != '{')
		return NULL;
	struct form *f = form_new();
	if (!members(&x, form_keys, K_N, form_member, f)) {
		form_free(f);
		return NULL;
	}
	*used = (size_t)(x.p - p);
	return f;
}
