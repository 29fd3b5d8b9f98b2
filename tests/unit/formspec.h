/*
 * formspec: builds forms for the rules tests from short text, so a test
 * reads like the paper form.  fs_form() takes "path=value" strings;
 * fs_row() appends one indicator from "l1|l2|name|nature|target|unit|
 * actual|weight|score|deviation" ("" = an empty cell; "~" = absent).
 * Header-only, static: each test program includes it once.
 */
#ifndef JXZP_TEST_FORMSPEC_H
#define JXZP_TEST_FORMSPEC_H

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "form.h"

static void fs_set(struct form *f, const char *path, const char *value)
{
	const char *err = NULL;
	int rc = form_set(f, path, value, &err);
	if (rc != 0) {
		fprintf(stderr, "formspec: %s: %s\n", path, err ? err : "?");
		abort();
	}
}

static void fs_row(struct form *f, const char *spec)
{
	char buf[2048];
	snprintf(buf, sizeof buf, "%s", spec);
	size_t i = f->n_ind;
	if (!form_add_indicator(f, i))
		abort();
	char *p = buf;
	for (int k = 0; k < IND_FIELDS; k++) {
		char *bar = p ? strchr(p, '|') : NULL;
		if (bar)
			*bar = '\0';
		char path[64];
		snprintf(path, sizeof path, "indicators[%zu].%s", i, ind_field_key[k]);
		if (p && strcmp(p, "~") != 0)
			fs_set(f, path, p);
		p = bar ? bar + 1 : NULL;
	}
}

/* lines: "path=value", NULL-terminated. */
static struct form *fs_form(const char *const *lines)
{
	struct form *f = form_new();
	for (; *lines; lines++) {
		char buf[1024];
		snprintf(buf, sizeof buf, "%s", *lines);
		char *eq = strchr(buf, '=');
		assert(eq);
		*eq = '\0';
		fs_set(f, buf, eq + 1);
	}
	return f;
}

#endif
