/*
 * fuzz_rules: libFuzzer target for rules_run over whole forms.
 *
 * The input is cut at 0x1e into a header (year, layout, rule set, the 24
 * fund cells, total score and grade, separated by 0x1f) and indicator rows
 * (10 cells each, separated by 0x1f).  Each run checks what rules.h
 * promises: 0 back, findings within the room check_new made, every text
 * NUL-terminated, counts that add up, and the same result on a second run
 * with the same check.  Then a few edits chosen by the input's last bytes
 * (a cell set to another cell's text, cut short, or changed in one byte
 * with its length kept, two cells trading texts, a fund cell taking an
 * indicator cell's text, a row deleted or moved, the other rule set): after
 * each, the reused check (its memo) must say exactly what a new check says;
 * a memo that took one text for another (a digest collision) fails here.  Build and run: tests/fuzz/run.sh 600 rules
 */
#include "config.h"
#include "rules.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The next cell up to sep (or 0x1e, or the end); NUL-terminates it in place. */
static char *cell(char **p, char *end, char sep)
{
	char *s = *p;
	if (s >= end)
		return NULL;
	char *q = s;
	while (q < end && *q != sep && *q != '\x1e')
		q++;
	*p = q < end && *q == sep ? q + 1 : q;
	*q = '\0';
	return s;
}

static void same(const struct check *a, const struct check *b)
{
	assert(a->n_ind == b->n_ind && a->n_findings == b->n_findings);
	assert(a->errors == b->errors && a->warnings == b->warnings && a->notes == b->notes);
	assert(a->truncated == b->truncated);
	for (int r = 0; r < FUND_ROWS; r++)
		assert(strcmp(a->rate[r], b->rate[r]) == 0);
	assert(strcmp(a->budget_score, b->budget_score) == 0);
	assert(strcmp(a->total_score, b->total_score) == 0);
	assert(strcmp(a->suggested_total, b->suggested_total) == 0);
	assert(strcmp(a->grade, b->grade) == 0 && strcmp(a->suggested_grade, b->suggested_grade) == 0);
	for (size_t i = 0; i < a->n_ind; i++) {
		const struct ind_check *x = &a->ind[i], *y = &b->ind[i];
		assert(x->target.kind == y->target.kind && x->actual.kind == y->actual.kind);
		assert(strcmp(x->target.note, y->target.note) == 0);
		assert(strcmp(x->actual.note, y->actual.note) == 0);
		assert(x->has_suggestion == y->has_suggestion);
		assert(num_cmp(x->suggested, y->suggested) == 0);
		assert(num_cmp(x->band_lo, y->band_lo) == 0 && num_cmp(x->band_hi, y->band_hi) == 0);
		assert((x->rule == NULL) == (y->rule == NULL));
		assert(!x->rule || strcmp(x->rule, y->rule) == 0);
		assert(strcmp(x->explain, y->explain) == 0);
	}
	for (size_t i = 0; i < a->n_findings; i++) {
		const struct finding *x = &a->findings[i], *y = &b->findings[i];
		assert(strcmp(x->code, y->code) == 0 && x->severity == y->severity);
		assert(strcmp(x->field, y->field) == 0);
		assert(strcmp(x->message, y->message) == 0);
		assert(strcmp(x->expected, y->expected) == 0);
		assert(strcmp(x->found, y->found) == 0);
	}
}

/* Runs the reused check c and a new one over f; they must agree. */
static void agree(const struct form *f, const struct ruleset *rs, struct check *c)
{
	struct check *fresh = check_new(f->n_ind);
	assert(rules_run(f, rs, fresh) == 0);
	assert(rules_run(f, rs, c) == 0);
	same(c, fresh);
	/* check --all's run: no memo, readings kept by text from input to input */
	static struct check *once;
	if (!once || once->cap_ind < f->n_ind) {
		check_free(once);
		once = check_new_once(f->n_ind + 32);
	}
	assert(rules_run_once(f, rs, once) == 0);
	same(once, fresh);
	check_free(fresh);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 8192)
		return 0;
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	char *end = buf + size, *p = buf;

	struct form *f = form_new();
	char *y = cell(&p, end, '\x1f');
	f->year = y ? atoi(y) : 0;
	static const char *const layouts_[] = { "beijing-2021", "district-2023", "district-2024" };
	set_str(&f->layout, layouts_[(size ? data[0] : 0) % 3]);
	set_str(&f->ruleset, size > 1 && (data[1] & 1) ? "linear" : "beijing");
	for (int r = 0; r < FUND_ROWS; r++)
		for (int c = 0; c < FUND_COLS; c++)
			set_str(&f->funds[r][c], cell(&p, end, '\x1f'));
	set_str(&f->total_score, cell(&p, end, '\x1f'));
	set_str(&f->total_grade, cell(&p, end, '\x1f'));
	set_str(&f->project, "p");
	while (p < end && f->n_ind < 40) {
		if (*p == '\x1e')
			p++;
		struct indicator *in = form_add_indicator(f, f->n_ind);
		if (!in)
			break;
		for (int k = 0; k < IND_FIELDS; k++)
			set_str(&in->v[k], cell(&p, end, '\x1f'));
		while (p < end && *p != '\x1e')
			p++;
	}

	struct check *c = check_new(f->n_ind);
	const struct ruleset *rs = ruleset_find(f->ruleset);
	int rc = rules_run(f, rs, c);
	assert(rc == 0);
	assert(c->n_findings <= c->cap_findings);
	assert(c->n_ind == f->n_ind);
	int e = 0, w = 0, n = 0;
	for (size_t i = 0; i < c->n_findings; i++) {
		const struct finding *x = &c->findings[i];
		assert(x->code && *x->code);
		assert(memchr(x->field, '\0', sizeof x->field));
		assert(memchr(x->message, '\0', sizeof x->message));
		assert(memchr(x->expected, '\0', sizeof x->expected));
		assert(memchr(x->found, '\0', sizeof x->found));
		e += x->severity == SEV_ERROR;
		w += x->severity == SEV_WARNING;
		n += x->severity == SEV_NOTE;
	}
	assert(e == c->errors && w == c->warnings && n == c->notes);
	for (size_t i = 0; i < c->n_ind; i++)
		assert(memchr(c->ind[i].explain, '\0', sizeof c->ind[i].explain));
	size_t nf = c->n_findings;
	assert(rules_run(f, rs, c) == 0 && c->n_findings == nf);

	/* edits, each byte from the end of the input choosing one */
	for (size_t e = 0; e < 8 && e < size && f->n_ind; e++) {
		unsigned b = data[size - 1 - e];
		size_t row = (b >> 4) % f->n_ind, other = (b * 7u + e) % f->n_ind;
		int k = (int)(b % IND_FIELDS), k2 = (int)((b >> 2) % IND_FIELDS);
		char **slot = &f->ind[row].v[k];
		switch ((b + e) % 9) {
		case 0: case 1:	/* another cell's text */
			set_str(slot, f->ind[other].v[k2]);
			break;
		case 2:		/* cut short */
			if (*slot && **slot)
				(*slot)[strlen(*slot) / 2] = '\0';
			else
				set_str(slot, "1");
			break;
		case 3:
			if (f->n_ind > 1)
				form_del_indicator(f, row);
			break;
		case 4:
			form_move_indicator(f, row, other);
			break;
		case 5:
			rs = ruleset_find(rs && strcmp(rs->name, "linear") == 0 ? "beijing" : "linear");
			break;
		case 6:		/* one byte changed, the length kept: where a weak
				 * digest would give the old text's result back */
			if (*slot && **slot) {
				size_t at = (b * 13u) % strlen(*slot);
				char ch = (char)((*slot)[at] ^ (1 << (b % 7)));
				(*slot)[at] = ch ? ch : '0';
			} else {
				set_str(slot, "0");
			}
			break;
		case 7:		/* a fund cell takes an indicator cell's text */
			set_str(&f->funds[b % FUND_ROWS][e % FUND_COLS], f->ind[other].v[k2]);
			break;
		default: {	/* two cells trade texts */
			char *t = *slot;
			*slot = f->ind[other].v[k2];
			f->ind[other].v[k2] = t;
			break;
		}
		}
		agree(f, rs, c);
	}
	check_free(c);
	form_free(f);
	free(buf);
	return 0;
}
