/*
 * fuzz_text: libFuzzer target for io_text_read and io_text_stream, the
 * streaming reader import uses: the bytes are read from a buffer and again
 * from a file in chunks of a few bytes (lines fall across a chunk's end),
 * and both give the same forms and the same problems.  Any bytes in: no
 * crash, no
 * leak, no undefined behaviour, and the result is consistent (one
 * incomplete flag per form, problems name forms that exist or form 0).
 * Build and run: tests/fuzz/run_text.sh [seconds]
 */
#include "config.h"
#include "io.h"
#include "io_src.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The same bytes from a file read chunk bytes at a time. */
static void same_from_file(const uint8_t *data, size_t size, int rc, const struct io_result *r)
{
	if (size == 0)
		return;	/* fmemopen wants a byte */
	FILE *f = fmemopen((void *)data, size, "r");
	assert(f);
	struct io_src in;
	src_init_file(&in, f);
	in.chunk = 1 + data[size / 2] % 61;
	struct io_result s = { 0 };
	struct io_sink k;
	io_result_sink(&s, &k);
	int rc2 = io_text_stream(&in, "fuzz", &k);
	assert(rc2 == rc && s.n_forms == r->n_forms && s.n_problems == r->n_problems);
	for (size_t i = 0; i < s.n_problems; i++)
		assert(strcmp(s.problems[i].message, r->problems[i].message) == 0 &&
		       s.problems[i].line == r->problems[i].line &&
		       s.problems[i].form_index == r->problems[i].form_index);
	for (size_t i = 0; i < s.n_forms; i++)
		assert(form_equal(s.forms[i], r->forms[i]) && s.incomplete[i] == r->incomplete[i]);
	io_result_free(&s);
	src_free(&in);
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct io_result r;
	int rc = io_text_read((const char *)data, size, "fuzz", &r);
	same_from_file(data, size, rc, &r);
	assert(rc == 0 || rc == -1);
	assert(rc == -1 || r.n_problems == 0);
	for (size_t i = 0; i < r.n_problems; i++)
		assert(r.problems[i].form_index <= r.n_forms);
	for (size_t i = 0; i < r.n_forms; i++) {
		struct form *f = r.forms[i];
		assert(f != NULL);
		for (size_t k = 0; k < f->n_ind; k++)
			assert(f->ind[k].v[IND_NAME] != NULL);
		struct form *c = form_copy(f);
		assert(form_equal(c, f));
		form_free(c);
	}
	io_result_free(&r);
	return 0;
}
