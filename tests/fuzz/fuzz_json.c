/*
 * fuzz_json: libFuzzer target for io_json_read and io_json_stream, the
 * streaming reader import uses: the bytes are read from a buffer and again
 * from a file in chunks of a few bytes (so every form and every token
 * falls across a chunk's end somewhere), and both give the same forms and
 * the same problem.  Any bytes in: no crash, no
 * leak, no undefined behaviour; all or nothing (a problem means no forms,
 * one problem, an offset inside the input); and every form read comes back
 * the same through io_json_write_form and io_json_read (export/import is the
 * identity).  Build and run: tests/fuzz/run_json.sh [seconds]
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
	int rc2 = io_json_stream(&in, "fuzz", &k);
	assert(rc2 == rc && s.n_forms == r->n_forms && s.n_problems == r->n_problems);
	for (size_t i = 0; i < s.n_problems; i++)
		assert(strcmp(s.problems[i].message, r->problems[i].message) == 0 &&
		       s.problems[i].offset == r->problems[i].offset);
	for (size_t i = 0; i < s.n_forms; i++)
		assert(form_equal(s.forms[i], r->forms[i]));
	io_result_free(&s);
	src_free(&in);
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct io_result r;
	int rc = io_json_read((const char *)data, size, "fuzz", &r);
	same_from_file(data, size, rc, &r);
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
