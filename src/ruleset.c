/*
 * ruleset: the named rule sets of schema/rulesets.tsv (compiled in as
 * schema_rulesets_tsv), parsed once into a small table.
 *
 * Promises: a rule set is data; adding a row to the TSV adds a set, with no
 * code.  The table is filled on first use under call_once, so it is safe
 * from any thread; it is never written after that.  The first row is the
 * default (beijing).  A malformed row is a build mistake: assert, then skip.
 */
#include "config.h"
#include "rules.h"
#include "schema.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

#define MAX_SETS 16

static struct ruleset sets[MAX_SETS];
static size_t n_sets;
static once_flag once = ONCE_FLAG_INIT;

/* Copies the next tab-separated field of line [p, end) into buf. */
static const char *field(const char *p, const char *end, char *buf, size_t len)
{
	const char *e = p;
	while (e < end && *e != '\t')
		e++;
	size_t n = (size_t)(e - p);
	if (n >= len)
		n = len - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return e < end ? e + 1 : e;
}

static bool int_of(const char *s, int *out)
{
	char *e;
	long v = strtol(s, &e, 10);
	if (e == s || *e || v < 0 || v > 100000)
		return false;
	*out = (int)v;
	return true;
}

/* "10,20,30" into three ints. */
static bool triple(const char *s, int out[3])
{
	char buf[64];
	snprintf(buf, sizeof buf, "%s", s);
	char *save = NULL, *tok = strtok_r(buf, ",", &save);
	for (int i = 0; i < 3; i++, tok = strtok_r(NULL, ",", &save))
		if (!tok || !int_of(tok, &out[i]))
			return false;
	return tok == NULL;
}

static bool parse_line(const char *p, const char *end, struct ruleset *rs)
{
	char f[9][80];
	for (int i = 0; i < 9; i++) {
		if (p >= end && i < 8)
			return false;
		p = field(p, end, f[i], sizeof f[i]);
	}
	int lin;
	memset(rs, 0, sizeof *rs);
	if (strlen(f[0]) >= sizeof rs->name || strlen(f[1]) >= sizeof rs->title)
		return false;
	memcpy(rs->name, f[0], strlen(f[0]) + 1);
	memcpy(rs->title, f[1], strlen(f[1]) + 1);
	if (!*rs->name || !int_of(f[2], &lin) || !int_of(f[3], &rs->band_met_lo) ||
	    !int_of(f[4], &rs->band_partly_lo) || !triple(f[5], rs->deduct_pct) ||
	    !triple(f[6], rs->deduct_at) || !int_of(f[7], &rs->budget_weight) ||
	    !int_of(f[8], &rs->deviation_over_pct))
		return false;
	rs->reverse_linear = lin != 0;
	/* bands and thresholds must be ordered for the rules to make sense */
	return rs->band_partly_lo <= rs->band_met_lo && rs->band_met_lo <= 100 &&
	       rs->deduct_at[0] <= rs->deduct_at[1] && rs->deduct_at[1] <= rs->deduct_at[2] &&
	       rs->budget_weight <= 100;
}

static void load(void)
{
	const char *p = schema_rulesets_tsv;
	while (*p && n_sets < MAX_SETS) {
		const char *end = strchr(p, '\n');
		if (!end)
			end = p + strlen(p);
		if (end > p && *p != '#') {
			bool ok = parse_line(p, end, &sets[n_sets]);
			assert(ok && "schema/rulesets.tsv: malformed row");
			if (ok)
				n_sets++;
		}
		p = *end ? end + 1 : end;
	}
	assert(n_sets > 0);
}

const struct ruleset *ruleset_find(const char *name)
{
	call_once(&once, load);
	for (size_t i = 0; name && i < n_sets; i++)
		if (strcmp(sets[i].name, name) == 0)
			return &sets[i];
	return NULL;
}

const struct ruleset *ruleset_default(void)
{
	call_once(&once, load);
	const struct ruleset *rs = ruleset_find(DEFAULT_RULESET);
	return rs ? rs : &sets[0];
}

size_t ruleset_count(void)
{
	call_once(&once, load);
	return n_sets;
}

const struct ruleset *ruleset_at(size_t i)
{
	call_once(&once, load);
	return i < n_sets ? &sets[i] : NULL;
}
