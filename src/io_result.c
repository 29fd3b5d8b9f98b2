/*
 * io_result: what every reader hands back (forms, which of them are
 * incomplete, problems), and freeing it.  Shared by the JSON and text readers.
 */
#include "config.h"
#include "io.h"

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
