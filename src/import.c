/*
 * import: see import.h.  Text and JSON are read as a stream (io_src.h):
 * each form is looked up, checked and stored as the reader hands it on,
 * inside the file's one transaction, and then freed, so memory is one
 * form's whatever the file's size.  What must wait for the end waits on
 * disk, in temporary files: the lines about forms not imported (printed
 * after the reader's problems, as they always were) and the forms stored
 * (printed after the commit, so what is printed is what is stored).
 * .xlsx, .docx, .xls and PDF are read whole: their readers need the file
 * at random, and such files hold a few forms.
 */
#include "config.h"
#include "import.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistr.h>

#include "doc.h"
#include "i18n.h"
#include "io.h"
#include "io_read.h"
#include "io_src.h"
#include "store.h"
#include "store_lookup.h"
#include "ustr.h"

/* The name of a form for messages: its project, scrubbed, or "form N". */
static void form_name(const struct form *f, size_t index, char *buf, size_t len)
{
	if (f && f->project && *f->project) {
		char *t = ustr_scrub(f->project, false);
		snprintf(buf, len, "%s", t);
		free(t);
	} else {
		snprintf(buf, len, _("form %zu"), index + 1);
	}
}

/* One line to the sink, formatted. */
static void say(const struct import_sink *k, bool note, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(const struct import_sink *k, bool note, const char *fmt, ...)
{
	if (!k->message || (note && !k->notes))
		return;
	char line[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	k->message(k->arg, line, note);
}

/* What waits for the end of the file: a temporary file, or memory where
 * none can be made (a chroot without /tmp). */
struct spool {
	FILE *f;
	char *mem;
	size_t len;
	bool in_mem;
};

static FILE *spool_open(struct spool *sp)
{
	if (!sp->f && !(sp->f = tmpfile()) && (sp->f = open_memstream(&sp->mem, &sp->len)))
		sp->in_mem = true;
	return sp->f;
}

/* Back to the start, to read what was written. */
static FILE *spool_rewind(struct spool *sp)
{
	if (!sp->f)
		return NULL;
	if (sp->in_mem) {
		fclose(sp->f);
		sp->f = sp->len ? fmemopen(sp->mem, sp->len, "r") : NULL;
	} else {
		rewind(sp->f);
	}
	return sp->f;
}

static void spool_close(struct spool *sp)
{
	if (sp->f)
		fclose(sp->f);
	free(sp->mem);
	memset(sp, 0, sizeof *sp);
}

/* Forms past which the WAL is checkpointed and truncated after the commit
 * (SQLite's own checkpoint copies it back but leaves the file its size). */
#define BIG 1000
/* The bytes whose UTF-8 decides whether text streams (utf8_head). */
#define HEAD 65536

/* One file's import, as the reader hands it forms. */
struct run {
	struct store *s;
	const char *name;
	const struct import_sink *k;
	bool json;		/* the JSON reader names the file and place itself */
	struct io_src *in;	/* for progress: how far the reader is */
	size_t size;		/* bytes in the file, 0 if not known */
	size_t total;		/* forms in a file read whole */
	struct io_problem *pend;	/* problems of the form being read */
	size_t n_pend, cap_pend;
	size_t n_forms;		/* forms the reader handed on */
	size_t n_problems;	/* problems it handed on */
	struct spool lines;	/* lines about forms, printed after the problems */
	struct spool done;	/* forms stored: id, year, unit, project */
	size_t n;		/* forms stored */
	bool begun, failed, bad, voided;
	bool read_err;		/* the file could not be read through */
	int rc;
	struct store_lookup *look;
	struct check *chk;	/* the rules' scratch, one for the file */
};

/* A spool, opened when first needed; NULL (said) if it cannot be. */
static FILE *spool(struct run *r, struct spool *sp)
{
	FILE *f = spool_open(sp);
	if (!f && !r->failed) {
		say(r->k, false, "%s: %s", r->name, strerror(errno));
		r->failed = r->bad = true;
	}
	return f;
}

/* A line about a form, kept for after the problems. */
static void line_later(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line_later(struct run *r, const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	FILE *f = spool(r, &r->lines);
	if (f)
		fwrite(line, 1, strlen(line) + 1, f);
}

static void problem_line(struct run *r, const struct io_problem *p, bool note)
{
	const char *kind = note ? _("note: ") : "";
	if (r->json)
		say(r->k, note, "%s%s", kind, p->message);
	else if (p->line > 0)
		say(r->k, note, "%s:%ld: %s%s", r->name, p->line, kind, p->message);
	else
		say(r->k, note, "%s: %s%s", r->name, kind, p->message);
}

/* The problems of the form just read: notes if it is imported anyway. */
static void problems_out(struct run *r, bool note)
{
	for (size_t i = 0; i < r->n_pend; i++)
		problem_line(r, &r->pend[i], note);
	r->n_pend = 0;
}

static void on_problem(void *arg, const struct io_problem *p)
{
	struct run *r = arg;
	if (r->n_pend == r->cap_pend) {
		r->cap_pend = r->cap_pend ? r->cap_pend * 2 : 16;
		r->pend = realloc(r->pend, sizeof *r->pend * r->cap_pend);
		if (!r->pend)
			abort();
	}
	r->pend[r->n_pend++] = *p;
	r->n_problems++;
}

static void on_void(void *arg)
{
	struct run *r = arg;
	r->voided = true;
}

/* How many forms the file holds, guessed from how far the reader is. */
static size_t guess_total(const struct run *r)
{
	if (!r->in)	/* read whole: the count is known */
		return r->total;
	size_t at = src_tell(r->in);
	size_t t = at && r->size > at ? (size_t)((double)r->n_forms * r->size / at) : r->n_forms;
	return t > r->n_forms ? t : r->n_forms + 1;
}

static void stored(struct run *r, const struct form *f)
{
	FILE *d = spool(r, &r->done);
	if (!d)
		return;
	const char *u = f->unit ? f->unit : "", *p = f->project ? f->project : "";
	size_t ul = strlen(u), pl = strlen(p);
	fwrite(&f->id, sizeof f->id, 1, d);
	fwrite(&f->year, sizeof f->year, 1, d);
	fwrite(&ul, sizeof ul, 1, d);
	fwrite(u, 1, ul, d);
	fwrite(&pl, sizeof pl, 1, d);
	fwrite(p, 1, pl, d);
	r->n++;
}

static void on_form(void *arg, struct form *f, bool incomplete)
{
	struct run *r = arg;
	size_t i = r->n_forms++;
	long line = 0;	/* the first line the reader named for it */
	for (size_t j = 0; j < r->n_pend && !line; j++)
		line = r->pend[j].line;
	problems_out(r, !incomplete);
	if (r->k->progress)
		r->k->progress(r->k->arg, i, guess_total(r));
	if (!r->begun && !r->failed) {
		r->begun = true;
		if (store_begin_all_or_nothing(r->s) != STORE_OK) {	/* the file's promise */
			line_later(r, "%s", store_errmsg(r->s));
			r->begun = false;
			r->failed = r->bad = true;
		} else if (!(r->look = store_lookup_new(r->s))) {
			line_later(r, "%s", store_errmsg(r->s));
			r->failed = true;
		}
	}
	if (r->failed || r->voided) {	/* nothing more is stored; the problems still come */
		form_free(f);
		return;
	}
	char what[256];
	form_name(f, i, what, sizeof what);
	if (incomplete) {
		if (line)
			line_later(r, _("%s:%ld: %s could not be read whole; not imported"), r->name, line, what);
		else
			line_later(r, _("%s: %s could not be read whole; not imported"), r->name, what);
		r->rc = IMPORT_FOUND;
		form_free(f);
		return;
	}
	/* Only JSON carries a form's identity; other readers' forms have a
	 * uuid made just now, which no form in the database can have (not
	 * looking it up spares a random page of the index per form). */
	bool same;
	int64_t there = store_lookup_form(r->look, r->json ? f->uuid : NULL, f->unit, f->year,
					  f->project, &same);
	if (there < 0) {
		line_later(r, "%s", store_errmsg(r->s));
		r->failed = true;
	} else if (there && same) {
		line_later(r, _("%s: %s is already in the database as form %lld (the same form, imported before); not imported"),
			   r->name, what, (long long)there);
		r->rc = IMPORT_FOUND;
	} else if (there) {
		line_later(r, _("%s: %s: form %lld already has this unit, year and project; not imported"),
			   r->name, what, (long long)there);
		r->rc = IMPORT_FOUND;
	} else {
		f->status = STATUS_DRAFT;
		if (store_insert(r->s, f) != STORE_OK || doc_refresh_summary_reuse(r->s, f, &r->chk) != STORE_OK) {
			line_later(r, _("%s: %s: %s; nothing from this file was imported"),
				   r->name, what, store_errmsg(r->s));
			r->failed = true;
		} else {
			stored(r, f);
		}
	}
	form_free(f);
}

/* The lines kept for later, in order. */
static void lines_out(struct run *r)
{
	FILE *f;
	if (r->voided || !(f = spool_rewind(&r->lines)))
		return;
	char line[2048];
	size_t n = 0;
	int c;
	while ((c = getc(f)) != EOF) {
		if (n < sizeof line - 1)
			line[n++] = (char)c;
		if (c == '\0') {
			say(r->k, false, "%s", line);
			n = 0;
		}
	}
}

/* The forms stored, to the sink, after the commit. */
static void stored_out(struct run *r)
{
	FILE *d;
	if (!r->k->imported || !(d = spool_rewind(&r->done)))
		return;
	char *u = NULL, *p = NULL;
	for (size_t i = 0; i < r->n; i++) {
		int64_t id;
		int year;
		size_t ul, pl;
		if (fread(&id, sizeof id, 1, d) != 1 || fread(&year, sizeof year, 1, d) != 1 ||
		    fread(&ul, sizeof ul, 1, d) != 1)
			break;
		u = realloc(u, ul + 1);
		if (!u || fread(u, 1, ul, d) != ul || fread(&pl, sizeof pl, 1, d) != 1)
			break;
		p = realloc(p, pl + 1);
		if (!p || fread(p, 1, pl, d) != pl)
			break;
		u[ul] = p[pl] = '\0';
		r->k->imported(r->k->arg, id, u, year, p);
	}
	free(u);
	free(p);
}

/* After the reader: what is left to say, the commit, the forms stored. */
static int finish(struct run *r, int st, bool unreadable)
{
	problems_out(r, false);	/* problems about no form */
	int rc = r->rc;
	if (r->read_err) {
		rc = IMPORT_BAD;
		r->failed = true;
	} else if (r->voided || (st != 0 && r->n_forms == 0)) {
		if (r->n_problems == 0)
			say(r->k, false, _("%s: cannot read forms from this file"), r->name);
		rc = unreadable ? IMPORT_BAD : IMPORT_FOUND;
		r->failed = true;
		r->n = 0;
	} else if (r->n_forms == 0) {
		say(r->k, false, _("%s: no forms found"), r->name);
		rc = IMPORT_FOUND;
		r->failed = true;
	} else {
		lines_out(r);
		if (r->k->progress)
			r->k->progress(r->k->arg, r->n_forms, r->n_forms);
		if (!r->failed && store_commit(r->s) != STORE_OK) {
			say(r->k, false, _("%s: %s; nothing from this file was imported"), r->name,
			    store_errmsg(r->s));
			r->failed = true;
		} else if (!r->failed && r->n >= BIG && r->look) {
			store_lookup_checkpoint(r->look);	/* the WAL back to nothing */
		}
		if (r->failed)
			rc = r->bad ? IMPORT_BAD : IMPORT_FOUND;
	}
	store_lookup_free(r->look);
	check_free(r->chk);
	if (r->failed) {
		if (r->begun)
			store_rollback(r->s);
		r->n = 0;
	}
	stored_out(r);
	spool_close(&r->lines);
	spool_close(&r->done);
	free(r->pend);
	return rc;
}

static void run_init(struct run *r, struct store *s, const char *name, const struct import_sink *k,
		     struct io_sink *sink)
{
	*r = (struct run){ .s = s, .name = name, .k = k, .rc = IMPORT_OK };
	*sink = (struct io_sink){ on_problem, on_form, on_void, r };
}

/* A file read whole (a workbook, a document): its forms through the same
 * steps, in order, each after its problems. */
static int import_whole(struct run *r, const struct io_sink *sink, const char *buf, size_t len)
{
	struct io_result res;
	int st = io_read_any(buf, len, r->name, &res);
	size_t p = 0;
	r->total = res.n_forms;
	for (size_t i = 0; i < res.n_forms; i++) {
		for (; p < res.n_problems && res.problems[p].form_index <= i; p++)
			sink->problem(sink->arg, &res.problems[p]);
		sink->form(sink->arg, res.forms[i], res.incomplete && res.incomplete[i]);
		res.forms[i] = NULL;
	}
	for (; p < res.n_problems; p++)
		sink->problem(sink->arg, &res.problems[p]);
	bool unreadable = res.unreadable;
	io_result_free(&res);
	return finish(r, st, unreadable);
}

/* Text whose head is not UTF-8 (GB18030, as Chinese Windows saves it) is
 * read whole, where io_read_any decodes it; UTF-8 text streams.  The head
 * decides: a form's title is in its first lines.  A character the head
 * cuts short is not held against it. */
static bool utf8_head(const char *p, size_t n)
{
	size_t cut = n;
	for (int k = 0; k < 3 && cut > 0 && ((unsigned char)p[cut - 1] & 0xc0) == 0x80; k++)
		cut--;
	if (cut > 0 && (unsigned char)p[cut - 1] >= 0xc0)
		cut--;	/* the lead byte of the character cut short */
	return u8_check((const uint8_t *)p, cut) == NULL;
}

int import_buffer(struct store *s, const char *name, const char *buf, size_t len,
		  const struct import_sink *k, size_t *n)
{
	struct run r;
	struct io_sink sink;
	run_init(&r, s, name, k, &sink);
	enum io_format fmt = io_sniff(buf, len);	/* the format from the content */
	int rc;
	bool stream = fmt == IOF_JSON || (fmt == IOF_TEXT && utf8_head(buf, len < HEAD ? len : HEAD));
	if (stream) {
		struct io_src in;
		src_init_mem(&in, buf, len);
		r.in = &in;
		r.size = len;
		r.json = fmt == IOF_JSON;
		int st = r.json ? io_json_stream(&in, name, &sink) : io_text_stream(&in, name, &sink);
		rc = finish(&r, st, false);
	} else {
		rc = import_whole(&r, &sink, buf, len);
	}
	*n = r.n;
	return rc;
}

/* Text or JSON, from the first bytes that are not white space (io_sniff). */
static enum io_format sniff_src(struct io_src *in)
{
	size_t n;
	src_need(in, 4096);
	const char *p = src_at(in, &n);
	enum io_format f = io_sniff(p, n);
	if (f != IOF_TEXT || in->eof)
		return f;
	size_t i = n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	while (i < n && strchr(" \t\r\n", p[i]))
		i++;
	if (i < n)
		return f;
	/* white space past the head: look further, then back to the start */
	src_skip(in, i);
	int c;
	for (;;) {
		p = src_at(in, &n);
		for (i = 0; i < n && strchr(" \t\r\n", p[i]); i++)
			;
		src_skip(in, i);
		if (i < n) {
			c = (unsigned char)p[i];
			break;
		}
		if (src_need(in, 1) == 0) {
			c = -1;
			break;
		}
	}
	src_rewind(in);
	return c == '{' || c == '[' ? IOF_JSON : IOF_TEXT;
}

/* A pipe is copied to a temporary file (to memory where none can be
 * made: *mem is then the caller's to free): the readers read a file twice. */
static FILE *seekable(FILE *f, int *err, char **mem)
{
	struct stat st;
	/* (a file from its start: standard input may have been read into) */
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && ftello(f) == 0)
		return f;
	size_t memlen = 0;
	FILE *t = tmpfile();
	bool in_mem = !t && (t = open_memstream(mem, &memlen));
	if (!t) {
		*err = errno;
		return NULL;
	}
	char buf[65536];
	size_t got;
	while ((got = fread(buf, 1, sizeof buf, f)) > 0)
		if (fwrite(buf, 1, got, t) != got) {
			*err = errno;
			fclose(t);
			return NULL;
		}
	if (ferror(f)) {
		*err = errno ? errno : EIO;
		fclose(t);
		return NULL;
	}
	if (!in_mem) {
		rewind(t);
		return t;
	}
	fclose(t);
	if (!(t = fmemopen(*mem, memlen, "r")))
		*err = errno;
	return t;
}

int import_file(struct store *s, const char *path, const char *name,
		const struct import_sink *k, size_t *n)
{
	*n = 0;
	if (!name)
		name = strcmp(path, "-") == 0 ? _("standard input") : path;
	bool in_std = strcmp(path, "-") == 0;
	FILE *f = in_std ? stdin : fopen(path, "rb");
	if (!f) {
		say(k, false, _("cannot open %s: %s"), name, strerror(errno));
		return IMPORT_BAD;
	}
	struct stat st;
	int err = 0;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode))
		err = EISDIR;
	char *mem = NULL;
	FILE *g = err ? NULL : seekable(f, &err, &mem);
	if (!g) {
		if (!in_std)
			fclose(f);
		free(mem);
		say(k, false, _("cannot read %s: %s"), name, strerror(err));
		return IMPORT_BAD;
	}
	struct io_src in;
	src_init_file(&in, g);
	enum io_format fmt = sniff_src(&in);
	bool stream = fmt == IOF_JSON;
	if (fmt == IOF_TEXT) {
		size_t h = src_need(&in, HEAD);
		size_t avail;
		const char *p = src_at(&in, &avail);
		stream = utf8_head(p, h < avail ? h : avail);
	}
	struct run r;
	struct io_sink sink;
	run_init(&r, s, name, k, &sink);
	int rc;
	if (stream) {
		r.in = &in;
		r.json = fmt == IOF_JSON;
		if (fstat(fileno(g), &st) == 0)
			r.size = (size_t)st.st_size;
		int rst = r.json ? io_json_stream(&in, name, &sink) : io_text_stream(&in, name, &sink);
		r.read_err = in.err != 0;	/* a read failed half way: nothing of the file */
		rc = finish(&r, rst, false);
		if (in.err)
			say(k, false, _("cannot read %s: %s"), name, strerror(in.err));
	} else {
		size_t len;
		while (!in.eof) {	/* the whole file: these readers need it at random */
			src_at(&in, &len);
			src_need(&in, len + 65536);
		}
		const char *buf = src_at(&in, &len);
		if (in.err) {
			say(k, false, _("cannot read %s: %s"), name, strerror(in.err));
			rc = IMPORT_BAD;
			r.n = 0;
		} else {
			rc = import_whole(&r, &sink, buf, len);
		}
	}
	*n = r.n;
	src_free(&in);
	if (g != f)
		fclose(g);
	free(mem);
	if (!in_std)
		fclose(f);
	return rc;
}
