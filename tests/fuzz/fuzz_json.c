/*
 * fuzz_json: libFuzzer target for io_json_read.  Any bytes in: no crash, no
 * leak, no undefined behaviour; all or nothing (a problem means no forms,
 * one problem, an offset inside the input); and every form read comes back
 * the same through io_json_write_form and io_json_read (export/import is the
 * identity).  Build and run: tests/fuzz/run_json.sh [seconds]
 */
#include "config.h"
#include "io.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct io_result r;
	int rc = io_json_read((const char *)data, size, "fuzz", &r);
	assert(rc == 0 || rc == -1);
	if (rc == -1) {
		assert(r.n_forms == 0 && r.forms == NULL);
		assert(r.n_problems == 1);
		assert(r.problems[0].offset >= 0 && (size_t)r.problems[0].offset <= size);
		assert(memchr(r.problems[0].message, '\0', sizeof r.problems[0].message));
	} else {
		assert(r.n_problems == 0);
	}
	for (size_t i = 0; i < r.n_forms; i++) {
		char *text = io_json_write_form(r.forms[i], false);
		struct io_result again;
		int rc2 = io_json_read(text, strlen(text), "again", &again);
		assert(rc2 == 0 && again.n_forms == 1);
		assert(form_equal(again.forms[0], r.forms[i]));
		assert(strcmp(again.forms[0]->uuid, r.forms[i]->uuid) == 0);
		io_result_free(&again);
		free(text);
	}
	io_result_free(&r);
	return 0;
}
