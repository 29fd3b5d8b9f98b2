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
