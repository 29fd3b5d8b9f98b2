/*
 * fuzz_text: libFuzzer target for io_text_read.  Any bytes in: no crash, no
 * leak, no undefined behaviour, and the result is consistent (one
 * incomplete flag per form, problems name forms that exist or form 0).
 * Build and run: tests/fuzz/run_text.sh [seconds]
 */
#include "config.h"
#include "io.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct io_result r;
	int rc = io_text_read((const char *)data, size, "fuzz", &r);
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
