/* rules: STUB until the rules branch lands; finds nothing. */
#include "config.h"
#include "rules.h"
#include <stdlib.h>
#include <string.h>

const char *const severity_key[3] = { "error", "warning", "note" };

struct check *check_new(size_t n_ind)
{
	struct check *c = calloc(1, sizeof *c);
	if (!c)
		abort();
	c->cap_ind = n_ind;
	c->ind = calloc(n_ind ? n_ind : 1, sizeof *c->ind);
	if (!c->ind)
		abort();
	return c;
}

void check_free(struct check *c)
{
	if (!c)
		return;
	free(c->ind);
	free(c->findings);
	free(c);
}

int rules_run(const struct form *f, const struct ruleset *rs, struct check *c)
{
	if (f->n_ind > c->cap_ind)
		return -1;
	c->rs = rs;
	c->n_ind = f->n_ind;
	c->n_findings = 0;
	return 0;
}

size_t rules_findings_for(const struct check *c, const char *path,
			  const struct finding **out, size_t max)
{
	(void)c; (void)path; (void)out; (void)max;
	return 0;
}
