/*
 * fuzz_target: libFuzzer target for target_read() and target_figure().
 *
 * The input is split at the first two NUL bytes into text, nature column
 * and unit column, so the fuzzer reaches the column readers too.  Each
 * reading is checked for what target.h promises: NUL-terminated unit and
 * note, a known kind and nature, confidence in 0..100, a month in 1..12 for
 * dates.  Build and run with tests/fuzz/run.sh.
 */
#include "config.h"
#include "target.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 3);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = buf[size + 2] = '\0';
	const char *text = buf;
	const char *nat = text + strlen(text) + 1;
	const char *unit = (size_t)(nat - buf) <= size ? nat + strlen(nat) + 1 : NULL;
	if ((size_t)(nat - buf) > size)
		nat = NULL;
	if (unit && (size_t)(unit - buf) > size)
		unit = NULL;

	struct reading r;
	target_read(text, nat, unit, &r);
	assert(r.kind >= READ_EMPTY && r.kind <= READ_TEXT);
	assert(r.nature >= NATURE_NONE && r.nature <= NATURE_QUAL);
	assert(r.confidence >= 0 && r.confidence <= 100);
	assert(memchr(r.unit, '\0', sizeof r.unit));
	assert(memchr(r.note, '\0', sizeof r.note));
	if (r.kind == READ_DATE)
		assert(r.month >= 1 && r.month <= 12);
	if (r.kind == READ_GRADE)
		assert(r.scale >= 0 && r.scale < 4 && r.grade >= -1 && r.grade < 5);
	char b[NUM_BUFSZ];
	num_str(r.value, b);
	num_str(r.base, b);

	num v;
	int dec = 0;
	int fr = target_figure(text, true, &v, &dec);
	assert(fr >= -1 && fr <= 1);
	if (fr == 1)
		assert(dec >= 0);
	free(buf);
	return 0;
}
