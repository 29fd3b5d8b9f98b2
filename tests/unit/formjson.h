/* formjson: a form as a jansson object with the keys of spec/cli.md, for
 * tests that compare forms with expected JSON written by hand.  Independent
 * of src/io_json.c on purpose: the tests check the readers, not each other. */
#ifndef JXZP_TEST_FORMJSON_H
#define JXZP_TEST_FORMJSON_H
#include <jansson.h>
#include "form.h"

json_t *formjson(const struct form *f);
/* Compare expected (hand-written) with actual field for field: every key of
 * expected must be in actual with the same value.  Writes the first
 * difference's path into where and returns false on a difference. */
bool formjson_match(json_t *expected, json_t *actual, char *where, size_t len);
#endif
