/*
 * fuzz_files: libFuzzer target for the file readers (.xlsx, .docx: zip,
 * XML, number formats; .xls: libfreexl; CSV, and GB18030 text) and the table -> form reader after
 * them, through io_read_any as import calls it; run_files.sh gives it one
 * format's seeds at a time.  Any bytes in: no crash,
 * no leak, no undefined behaviour; a file it cannot read says so and gives
 * no forms.  Build and run: tests/fuzz/run_files.sh xlsx|docx|xls [seconds]
 */
#include "config.h"
#include "io.h"
#include "io_read.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct io_result r;
	int rc = io_read_any((const char *)data, size, "fuzz", &r);
	assert(rc == 0 || rc == -1);
	assert(!r.unreadable || (r.n_forms == 0 && r.n_problems == 1));
	for (size_t i = 0; i < r.n_problems; i++)
		assert(r.problems[i].form_index <= r.n_forms);
	for (size_t i = 0; i < r.n_forms; i++)
		assert(r.forms[i] != NULL);
	io_result_free(&r);
	return 0;
}
