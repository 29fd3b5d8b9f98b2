/* ruleset: STUB until the rules branch lands. */
#include "config.h"
#include "rules.h"
#include <string.h>

static const struct ruleset beijing = { "beijing", "北京市规则（默认）", false, 80, 60,
	{ 10, 20, 30 }, { 200, 300, 500 }, 10, 0 };

const struct ruleset *ruleset_find(const char *name)
{
	return name && strcmp(name, "beijing") == 0 ? &beijing : NULL;
}
const struct ruleset *ruleset_default(void) { return &beijing; }
size_t ruleset_count(void) { return 1; }
const struct ruleset *ruleset_at(size_t i) { return i == 0 ? &beijing : NULL; }
