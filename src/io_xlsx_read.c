/*
 * io_xlsx_read: .xlsx (Excel 2007+, WPS) to tables, one per sheet, in the
 * workbook's order (libzip + expat via io_zip).
 *
 * A cell's text is what the sheet shows: shared and inline strings (rich
 * text runs joined, phonetic runs left out, line breaks kept as "\n"),
 * numbers through their number format (numfmt.h), booleans as TRUE/FALSE,
 * errors as written (#DIV/0!), a formula's cached result; the _xHHHH_
 * escapes Excel writes for characters XML cannot hold (_x000D_ for the CR
 * of a CRLF typed into a cell) decoded.  Merged cells become one cell with
 * its spans.  Hidden rows and columns are left out: they are not on the
 * paper (a helper column of codes, an indicator row taken off the form),
 * and read into the form they would land in its fields.  So are hidden
 * sheets, while the workbook has a visible one.  Sheets are streamed: the XML is never
 * held whole, and only cells with text are kept (in the first 1,024
 * columns: a form is a dozen wide).
 */
#include "config.h"
#include "io.h"
#include "io_read.h"
#include "io_zip.h"
#include "i18n.h"
#include "numfmt.h"
#include "sbuf.h"
#include "table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CELL_TEXT_MAX (1u << 20)	/* more than any form's cell */
/* Columns past this hold no form (the paper has about a dozen): left out,
 * so that a cell at XFD cannot make every row 16,384 cells wide. */
#define XLSX_MAX_COLS 1024

static void *xgrow(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();	/* out of memory */
	return p;
}

static char *dupn(const char *s, size_t n)
{
	char *r = xgrow(NULL, n + 1);
	memcpy(r, s, n);
	r[n] = '\0';
	return r;
}

/* Text inside an element, kept only where wanted, bounded. */
static void text_add(struct sbuf *b, const char *s, int len)
{
	if (b->len + (size_t)len <= CELL_TEXT_MAX)
		sb_addn(b, s, (size_t)len);
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* ST_Xstring's escapes, in place: "_x000D_" is U+000D, "_x005F_" a
 * literal "_".  A CR becomes the "\n" of a line break (dropped before
 * one); other control characters are dropped: a cell's text shows none. */
static void unescape_x(char *s, size_t *len)
{
	if (!memchr(s, '_', *len))
		return;
	size_t w = 0;
	for (size_t i = 0; i < *len;) {
		int h[4] = { -1, -1, -1, -1 };
		if (s[i] == '_' && i + 7 <= *len && s[i + 1] == 'x' && s[i + 6] == '_')
			for (int k = 0; k < 4; k++)
				h[k] = hexval(s[i + 2 + k]);
		if (h[0] < 0 || h[1] < 0 || h[2] < 0 || h[3] < 0) {
			s[w++] = s[i++];
			continue;
		}
		unsigned c = (unsigned)(h[0] << 12 | h[1] << 8 | h[2] << 4 | h[3]);
		i += 7;
		if (c == '\r') {
			if (i >= *len || s[i] != '\n')
				s[w++] = '\n';
		} else if (c == '\t' || c == '\n') {
			s[w++] = (char)c;
		} else if (c < 0x20 || (c >= 0xD800 && c <= 0xDFFF)) {
			;	/* a control character or half a surrogate pair */
		} else if (c < 0x80) {
			s[w++] = (char)c;
		} else if (c < 0x800) {	/* shorter than the 7 bytes it replaces */
			s[w++] = (char)(0xC0 | c >> 6);
			s[w++] = (char)(0x80 | (c & 0x3F));
		} else {
			s[w++] = (char)(0xE0 | c >> 12);
			s[w++] = (char)(0x80 | (c >> 6 & 0x3F));
			s[w++] = (char)(0x80 | (c & 0x3F));
		}
	}
	s[w] = '\0';
	*len = w;
}

/* ---- workbook.xml and its rels: the sheets in order ---------------------- */

struct sheet {
	char *name, *rid, *path;
	bool hidden;		/* state="hidden" or "veryHidden" */
};

struct wb {
	struct xml_base base;
	struct sheet *v;
	size_t n;
	bool date1904;
	/* rels */
	bool rels;
};

static void XMLCALL wb_start(void *ud, const char *el, const char **atts)
{
	struct wb *w = ud;
	const char *l = xml_local(el);
	if (w->rels) {
		if (strcmp(l, "Relationship") != 0)
			return;
		const char *id = xml_attr(atts, "Id"), *target = xml_attr(atts, "Target");
		for (size_t i = 0; id && target && i < w->n; i++)
			if (w->v[i].rid && strcmp(w->v[i].rid, id) == 0 && !w->v[i].path) {
				struct sbuf p = { 0 };
				if (target[0] == '/')
					sb_add(&p, target + 1);
				else {
					sb_add(&p, "xl/");
					sb_add(&p, target);
				}
				w->v[i].path = sb_take(&p);
			}
		return;
	}
	if (strcmp(l, "sheet") == 0 && w->n < 4096) {
		const char *name = xml_attr(atts, "name"), *rid = NULL;
		for (size_t i = 0; atts[i]; i += 2)	/* r:id, whatever the prefix */
			if (strcmp(xml_local(atts[i]), "id") == 0 && strchr(atts[i], ':'))
				rid = atts[i + 1];
		w->v = xgrow(w->v, sizeof *w->v * (w->n + 1));
		w->v[w->n].name = name ? strdup(name) : NULL;
		w->v[w->n].rid = rid ? strdup(rid) : NULL;
		w->v[w->n].path = NULL;
		const char *state = xml_attr(atts, "state");
		w->v[w->n].hidden = state && (strcmp(state, "hidden") == 0 || strcmp(state, "veryHidden") == 0);
		w->n++;
	} else if (strcmp(l, "workbookPr") == 0) {
		const char *d = xml_attr(atts, "date1904");
		w->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
	}
}

/* ---- sharedStrings.xml ----------------------------------------------------- */

struct sst {
	struct xml_base base;
	char **v;
	size_t n, cap;
	struct sbuf cur;
	int in_si, in_t, in_rph;
};

static void XMLCALL sst_start(void *ud, const char *el, const char **atts)
{
	(void)atts;
	struct sst *s = ud;
	const char *l = xml_local(el);
	if (strcmp(l, "si") == 0) {
		s->in_si = 1;
		s->cur.len = 0;
		if (s->cur.s)
			s->cur.s[0] = '\0';
	} else if (strcmp(l, "rPh") == 0) {
		s->in_rph++;
	} else if (strcmp(l, "t") == 0) {
		s->in_t++;
	}
}

static void XMLCALL sst_end(void *ud, const char *el)
{
	struct sst *s = ud;
	const char *l = xml_local(el);
	if (strcmp(l, "si") == 0 && s->in_si) {
		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 256;
			s->v = xgrow(s->v, sizeof *s->v * s->cap);
		}
		char *t = dupn(s->cur.s ? s->cur.s : "", s->cur.len);
		size_t n = s->cur.len;
		unescape_x(t, &n);
		s->v[s->n++] = t;
		s->in_si = 0;
	} else if (strcmp(l, "rPh") == 0 && s->in_rph) {
		s->in_rph--;
	} else if (strcmp(l, "t") == 0 && s->in_t) {
		s->in_t--;
	}
}

static void XMLCALL sst_text(void *ud, const char *t, int len)
{
	struct sst *s = ud;
	if (s->in_si && s->in_t && !s->in_rph)
		text_add(&s->cur, t, len);
}

/* ---- styles.xml: number format per cell style ------------------------------- */

struct styles {
	struct xml_base base;
	struct { int id; char *code; } *fmt;
	size_t nfmt;
	int *xf;	/* cellXfs: numFmtId */
	size_t nxf;
	bool in_xfs;
};

/* "G/通用格式" is General by its Chinese name: what Chinese Excel calls
 * it (NumberFormatLocal), and what Java libraries (POI, JXL) in finance
 * systems write into the file as a format code.  Made "General" in
 * place (it is the longer). */
static void general_by_name(char *code)
{
	static const char zh[] = "G/通用格式";
	for (char *p; (p = strstr(code, zh));) {
		memcpy(p, "General", 7);
		memmove(p + 7, p + sizeof zh - 1, strlen(p + sizeof zh - 1) + 1);
	}
}

static void XMLCALL st_start(void *ud, const char *el, const char **atts)
{
	struct styles *s = ud;
	const char *l = xml_local(el);
	if (strcmp(l, "numFmt") == 0 && s->nfmt < 4096) {
		const char *id = xml_attr(atts, "numFmtId"), *code = xml_attr(atts, "formatCode");
		if (id && code) {
			s->fmt = xgrow(s->fmt, sizeof *s->fmt * (s->nfmt + 1));
			s->fmt[s->nfmt].id = atoi(id);
			s->fmt[s->nfmt].code = strdup(code);
			if (!s->fmt[s->nfmt].code)
				abort();	/* out of memory */
			general_by_name(s->fmt[s->nfmt].code);
			s->nfmt++;
		}
	} else if (strcmp(l, "cellXfs") == 0) {
		s->in_xfs = true;
	} else if (strcmp(l, "xf") == 0 && s->in_xfs && s->nxf < 65536) {
		const char *id = xml_attr(atts, "numFmtId");
		s->xf = xgrow(s->xf, sizeof *s->xf * (s->nxf + 1));
		s->xf[s->nxf++] = id ? atoi(id) : 0;
	}
}

static void XMLCALL st_end(void *ud, const char *el)
{
	struct styles *s = ud;
	if (strcmp(xml_local(el), "cellXfs") == 0)
		s->in_xfs = false;
}

static const char *style_code(const struct styles *s, long xf)
{
	if (xf < 0 || (size_t)xf >= s->nxf)
		return NULL;
	int id = s->xf[xf];
	for (size_t i = 0; i < s->nfmt; i++)
		if (s->fmt[i].id == id)
			return s->fmt[i].code;
	return numfmt_builtin(id);
}

/* ---- a sheet ------------------------------------------------------------------ */

struct merge {
	long r0, r1;
	int c0, c1;
};

struct sh {
	struct xml_base base;
	const struct sst *sst;
	const struct styles *st;
	bool date1904;
	struct table *t;
	struct trow *row;	/* the current row, made when it gets a cell */
	long rowno;
	int col;		/* the last cell's column */
	/* the current cell */
	bool in_c, in_v, in_is, in_t, in_rph, in_f;
	struct sbuf f;		/* its formula */
	char type[16];
	long style;
	int ccol;
	struct sbuf v;
	struct merge *m;
	size_t nm;
	bool sorted;		/* cells came in column order */
	bool row_hidden;	/* the current row's hidden="1" */
	bool col_hidden[XLSX_MAX_COLS];	/* from <cols>, before the rows */
};

static bool xml_true(const char *v)
{
	return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

/* "BC12" -> column 54 (0-based), row 12; false if not a reference. */
static bool parse_ref(const char *s, int *col, long *row)
{
	long c = 0, r = 0;
	const char *p = s;
	while (*p >= 'A' && *p <= 'Z' && c < 100000)
		c = c * 26 + (*p++ - 'A' + 1);
	if (p == s || c > 16384)
		return false;
	const char *d = p;
	while (*p >= '0' && *p <= '9' && r < 10000000)
		r = r * 10 + (*p++ - '0');
	if (p == d || *p || r < 1 || r > 1048576)
		return false;
	*col = (int)c - 1;
	*row = r;
	return true;
}


static void XMLCALL sh_start(void *ud, const char *el, const char **atts)
{
	struct sh *s = ud;
	const char *l = xml_local(el);
	if (strcmp(l, "row") == 0) {
		const char *r = xml_attr(atts, "r");
		long n = r ? atol(r) : s->rowno + 1;
		if (n <= s->rowno || n > 1048576)
			n = s->rowno + 1;	/* out of order: after the last */
		s->rowno = n;
		s->row = NULL;
		s->col = -1;
		s->row_hidden = xml_true(xml_attr(atts, "hidden"));
	} else if (strcmp(l, "col") == 0) {
		long lo = atol(xml_attr(atts, "min") ? xml_attr(atts, "min") : "0"),
		     hi = atol(xml_attr(atts, "max") ? xml_attr(atts, "max") : "0");
		if (xml_true(xml_attr(atts, "hidden")))
			for (long c = lo < 1 ? 1 : lo; c <= hi && c <= XLSX_MAX_COLS; c++)
				s->col_hidden[c - 1] = true;
	} else if (strcmp(l, "c") == 0) {
		s->in_c = true;
		const char *r = xml_attr(atts, "r"), *t = xml_attr(atts, "t"),
			   *st = xml_attr(atts, "s");
		int col;
		long row;
		s->ccol = r && parse_ref(r, &col, &row) ? col : s->col + 1;
		if (s->ccol > 16383)
			s->ccol = 16383;
		snprintf(s->type, sizeof s->type, "%s", t ? t : "n");
		s->style = st ? atol(st) : 0;
		s->v.len = s->f.len = 0;
		if (s->v.s)
			s->v.s[0] = '\0';
		if (s->f.s)
			s->f.s[0] = '\0';
	} else if (s->in_c && strcmp(l, "f") == 0) {
		s->in_f = true;
	} else if (s->in_c && strcmp(l, "v") == 0) {
		s->in_v = true;
	} else if (s->in_c && strcmp(l, "is") == 0) {
		s->in_is = true;
	} else if (s->in_is && strcmp(l, "rPh") == 0) {
		s->in_rph = true;
	} else if (s->in_is && strcmp(l, "t") == 0) {
		s->in_t = true;
	} else if (strcmp(l, "mergeCell") == 0 && s->nm < 1000000) {
		const char *ref = xml_attr(atts, "ref");
		const char *colon = ref ? strchr(ref, ':') : NULL;
		if (!colon || colon - ref > 15)
			return;
		char a[16];
		memcpy(a, ref, (size_t)(colon - ref));
		a[colon - ref] = '\0';
		struct merge m;
		if (!parse_ref(a, &m.c0, &m.r0) || !parse_ref(colon + 1, &m.c1, &m.r1) ||
		    m.c1 < m.c0 || m.r1 < m.r0)
			return;
		s->m = xgrow(s->m, sizeof *s->m * (s->nm + 1));
		s->m[s->nm++] = m;
	}
}

static void cell_done(struct sh *s)
{
	const char *raw = s->v.s ? s->v.s : "";
	char *shown = NULL;
	const char *text = raw;
	if (strcmp(s->type, "s") == 0) {
		char *end;
		long i = strtol(raw, &end, 10);
		text = end != raw && i >= 0 && (size_t)i < s->sst->n ? s->sst->v[i] : "";
	} else if (strcmp(s->type, "b") == 0) {
		text = strcmp(raw, "1") == 0 ? "TRUE" : *raw ? "FALSE" : "";
	} else if (strcmp(s->type, "e") == 0 && s->f.len) {
		/* "=12项" typed into a cell became a formula that fails
		 * (#NAME?): what the unit wrote is the formula, not the error */
		struct sbuf b = { 0 };
		sb_add(&b, "=");
		sb_add(&b, s->f.s);
		shown = sb_take(&b);
		text = shown;
	} else if (strcmp(s->type, "n") == 0 && *raw) {
		shown = numfmt_show(raw, style_code(s->st, s->style), s->date1904);
		text = shown;
	} else if (s->v.s && (strcmp(s->type, "inlineStr") == 0 || strcmp(s->type, "str") == 0)) {
		unescape_x(s->v.s, &s->v.len);
	}	/* e, d: as written */
	if (*text && s->ccol < XLSX_MAX_COLS && !s->row_hidden && !s->col_hidden[s->ccol]) {
		if (!s->row)
			s->row = table_add_row(s->t, s->rowno);
		if (s->row->n && s->row->cells[s->row->n - 1].col >= s->ccol)
			s->sorted = false;
		trow_add(s->row, s->ccol, text, strlen(text));
	}
	s->col = s->ccol;
	free(shown);
}

static void XMLCALL sh_end(void *ud, const char *el)
{
	struct sh *s = ud;
	const char *l = xml_local(el);
	if (strcmp(l, "c") == 0 && s->in_c) {
		cell_done(s);
		s->in_c = s->in_v = s->in_is = s->in_t = s->in_rph = s->in_f = false;
	} else if (strcmp(l, "v") == 0) {
		s->in_v = false;
	} else if (strcmp(l, "f") == 0) {
		s->in_f = false;
	} else if (strcmp(l, "is") == 0) {
		s->in_is = false;
	} else if (strcmp(l, "rPh") == 0) {
		s->in_rph = false;
	} else if (strcmp(l, "t") == 0) {
		s->in_t = false;
	}
}

static void XMLCALL sh_text(void *ud, const char *t, int len)
{
	struct sh *s = ud;
	if (s->in_c && (s->in_v || (s->in_is && s->in_t && !s->in_rph)))
		text_add(&s->v, t, len);
	else if (s->in_f)
		text_add(&s->f, t, len);
}

static int cmp_cell(const void *a, const void *b)
{
	const struct tcell *x = a, *y = b;
	return (x->col > y->col) - (x->col < y->col);
}

/* Spans from the merged ranges; cells they cover dropped (a merged cell
 * shows only its top-left cell's text). */
static void apply_merges(struct sh *s)
{
	struct table *t = s->t;
	if (!s->sorted)
		for (size_t i = 0; i < t->n; i++)
			qsort(t->rows[i].cells, (size_t)t->rows[i].n, sizeof *t->rows[i].cells, cmp_cell);
	for (size_t k = 0; k < s->nm; k++) {
		const struct merge *m = &s->m[k];
		/* rows are in order of their numbers: binary search */
		size_t lo = 0, hi = t->n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (t->rows[mid].line < m->r0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t i = lo; i < t->n && t->rows[i].line <= m->r1; i++) {
			struct trow *r = &t->rows[i];
			int w = 0;
			for (int c = 0; c < r->n; c++) {
				struct tcell *x = &r->cells[c];
				bool inside = x->col >= m->c0 && x->col <= m->c1;
				bool corner = inside && r->line == m->r0 && x->col == m->c0;
				if (corner) {
					x->colspan = m->c1 - m->c0 + 1;
					x->rowspan = (int)(m->r1 - m->r0 + 1);
				}
				if (inside && !corner) {
					free(x->text);
					continue;
				}
				r->cells[w++] = *x;
			}
			r->n = w;
		}
	}
}

/* ---- the workbook --------------------------------------------------------------- */

static int parse_member(struct zipf *z, const char *member, struct xml_base *b,
			XML_StartElementHandler start, XML_EndElementHandler end,
			XML_CharacterDataHandler text, char *err, size_t errlen)
{
	XML_Parser p = xml_new(b);
	XML_SetElementHandler(p, start, end);
	if (text)
		XML_SetCharacterDataHandler(p, text);
	int rc = zipf_parse(z, member, b, err, errlen);
	XML_ParserFree(p);
	return rc;
}

int io_xlsx_tables(const char *buf, size_t len, struct tables *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	struct zipf *z = zipf_open(buf, len, err, errlen);
	if (!z)
		return -1;
	int rc = -1;
	struct wb wb = { 0 };
	struct sst sst = { 0 };
	struct styles st = { 0 };
	if (!zipf_has(z, "xl/workbook.xml")) {
		snprintf(err, errlen, "%s", _("a zip without xl/workbook.xml: not an .xlsx workbook"));
		goto done;
	}
	if (parse_member(z, "xl/workbook.xml", &wb.base, wb_start, NULL, NULL, err, errlen) != 0)
		goto done;
	wb.rels = true;
	if (zipf_has(z, "xl/_rels/workbook.xml.rels") &&
	    parse_member(z, "xl/_rels/workbook.xml.rels", &wb.base, wb_start, NULL, NULL, err, errlen) != 0)
		goto done;
	if (zipf_has(z, "xl/sharedStrings.xml") &&
	    parse_member(z, "xl/sharedStrings.xml", &sst.base, sst_start, sst_end, sst_text, err, errlen) != 0)
		goto done;
	if (zipf_has(z, "xl/styles.xml") &&
	    parse_member(z, "xl/styles.xml", &st.base, st_start, st_end, NULL, err, errlen) != 0)
		goto done;
	/* Hidden sheets are left out as hidden rows are: last year's form
	 * kept out of sight, the lists a template's drop-downs offer.  Only
	 * if the workbook has no visible worksheet are they read (Excel
	 * always shows one; another writer may not). */
	for (size_t k = 0; k < 2 * wb.n && !(k == wb.n && out->n > 0); k++) {
		size_t i = k % wb.n;
		if (wb.v[i].hidden != (k >= wb.n))
			continue;
		char guess[64];
		const char *path = wb.v[i].path;
		/* Some writers give the target from the package's root without
		 * the "/" ("xl/worksheets/sheet1.xml"), which read as relative
		 * is xl/xl/...: a slip, and the sheet is plainly there. */
		if (path && !zipf_has(z, path) && strncmp(path, "xl/", 3) == 0 && zipf_has(z, path + 3))
			path += 3;
		if (!path) {	/* no rels: the usual name */
			snprintf(guess, sizeof guess, "xl/worksheets/sheet%zu.xml", i + 1);
			path = guess;
		}
		if (!zipf_has(z, path))
			continue;	/* a chart sheet, or a sheet the rels do not find */
		struct sh s = { .sst = &sst, .st = &st, .date1904 = wb.date1904, .sorted = true };
		s.t = table_new(wb.v[i].name, true);
		int r = parse_member(z, path, &s.base, sh_start, sh_end, sh_text, err, errlen);
		apply_merges(&s);
		free(s.v.s);
		free(s.f.s);
		free(s.m);
		if (r != 0) {
			table_free(s.t);
			tables_free(out);
			goto done;
		}
		tables_add(out, s.t);
	}
	if (out->n == 0) {
		snprintf(err, errlen, "%s", _("the workbook has no worksheets"));
		goto done;
	}
	rc = 0;
done:
	for (size_t i = 0; i < wb.n; i++) {
		free(wb.v[i].name);
		free(wb.v[i].rid);
		free(wb.v[i].path);
	}
	free(wb.v);
	for (size_t i = 0; i < sst.n; i++)
		free(sst.v[i]);
	free(sst.v);
	free(sst.cur.s);
	for (size_t i = 0; i < st.nfmt; i++)
		free(st.fmt[i].code);
	free(st.fmt);
	free(st.xf);
	zipf_close(z);
	return rc;
}
