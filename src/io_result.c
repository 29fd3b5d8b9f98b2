/*
 * io_result: what every reader hands back (forms, which of them are
 * incomplete, problems), and freeing it.  Shared by the JSON and text readers.
 */
#include "config.h"
#include "io.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void io_result_free(struct io_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_forms; i++)
		form_free(r->forms[i]);
	free(r->forms);
	free(r->incomplete);
	free(r->problems);
	r->forms = NULL;
	r->incomplete = NULL;
	r->problems = NULL;
	r->n_forms = r->n_problems = 0;
}

void io_problem(struct io_result *out, size_t fi, long line, long offset, const char *fmt, ...)
{
	struct io_problem *p = realloc(out->problems, sizeof *p * (out->n_problems + 1));
	if (!p)
		abort();	/* out of memory */
	out->problems = p;
	p = &out->problems[out->n_problems++];
	p->form_index = fi;
	p->line = line;
	p->offset = offset;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->message, sizeof p->message, fmt, ap);
	va_end(ap);
}

/* ---- a sink that collects (io_text_read, io_json_read) ---------------------- */

static void collect_problem(void *arg, const struct io_problem *p)
{
	struct io_result *out = arg;
	struct io_problem *v = realloc(out->problems, sizeof *v * (out->n_problems + 1));
	if (!v)
		abort();
	out->problems = v;
	out->problems[out->n_problems++] = *p;
}

static void collect_form(void *arg, struct form *f, bool incomplete)
{
	struct io_result *out = arg;
	struct form **v = realloc(out->forms, sizeof *v * (out->n_forms + 1));
	bool *w = v ? realloc(out->incomplete, sizeof *w * (out->n_forms + 1)) : NULL;
	if (!v || !w)
		abort();
	out->forms = v;
	out->incomplete = w;
	out->forms[out->n_forms] = f;
	out->incomplete[out->n_forms++] = incomplete;
}

static void collect_void(void *arg)
{
	struct io_result *out = arg;
	for (size_t i = 0; i < out->n_forms; i++)
		form_free(out->forms[i]);
	free(out->forms);
	free(out->incomplete);
	out->forms = NULL;
	out->incomplete = NULL;
	out->n_forms = 0;
}

void io_result_sink(struct io_result *out, struct io_sink *k)
{
	*k = (struct io_sink){ collect_problem, collect_form, collect_void, out };
}
