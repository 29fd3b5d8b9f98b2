/*
 * rules: validation and scoring of one form (spec/rules.md).
 *
 * Pure: a form and a rule set in, findings and computed figures out.  No I/O,
 * no globals, no allocation: the caller makes a struct check with check_new()
 * (sized for the form) and may reuse it for every keystroke.  Messages go
 * through gettext, so they come out in the user's language.
 */
#ifndef JXZP_RULES_H
#define JXZP_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "form.h"
#include "num.h"
#include "target.h"

struct rules_memo;
struct rules_reads;

enum severity { SEV_ERROR, SEV_WARNING, SEV_NOTE };
extern const char *const severity_key[3];	/* "error", "warning", "note" */

struct finding {
	const char *code;		/* "REQUIRED", "RULE_SCORE", ... (rules.md) */
	enum severity severity;
	char field[48];			/* path: "indicators[3].score", "funds.total.rate" */
	char message[384];		/* localised, one line */
	char expected[64];		/* "" when there is none */
	char found[64];
};

/* A rule set: the parameters that differ between regions (rules.md), data
 * from schema/rulesets.tsv. */
struct ruleset {
	char name[32];			/* "beijing", "linear" */
	char title[64];			/* shown to people */
	bool reverse_linear;		/* ≤: (1 − (B − A)/A) × w instead of A/B × w */
	int band_met_lo, band_partly_lo;	/* qualitative bands, percent of w: 80, 60 */
	int deduct_pct[3];		/* over-target deductions: 10, 20, 30 (0 = none) */
	int deduct_at[3];		/* ... at d ≥ 200, 300, 500 percent */
	int budget_weight;		/* 10 */
	int deviation_over_pct;		/* also require 偏差 at B ≥ this % of A; 0 = never */
};
const struct ruleset *ruleset_find(const char *name);	/* NULL if unknown */
const struct ruleset *ruleset_default(void);
size_t ruleset_count(void);
const struct ruleset *ruleset_at(size_t i);

/* What the rules made of one indicator row. */
struct ind_check {
	struct reading target, actual;	/* see target.h */
	bool has_suggestion;
	num suggested;			/* 2 decimals */
	num band_lo, band_hi;		/* accepted range (qualitative); lo == hi otherwise */
	const char *rule;		/* short name of the rule that gave it, localised */
	char explain[160];		/* "9.44 = 85 ÷ 90 × 10（正向）" */
	/* rules.c's own: a digest of the text each reading was made from, so
	 * a run reads again only the cells that changed since the last run */
	uint64_t key_target, key_actual;
};

struct check {
	const struct ruleset *rs;
	/* computed figures, as text with 2 decimals ("" when not computable) */
	char rate[FUND_ROWS][16];	/* "100.00%" */
	char budget_score[16];
	char total_score[16];		/* budget score + Σ indicator scores as filled */
	char suggested_total[16];	/* budget score + Σ suggested scores */
	char grade[8];			/* of total_score: 优 良 中 差 */
	char suggested_grade[8];
	struct ind_check *ind;		/* one per indicator row */
	size_t n_ind, cap_ind;
	struct finding *findings;
	size_t n_findings, cap_findings;
	bool truncated;			/* more findings than room */
	int errors, warnings, notes;
	/* rules.c's own: messages translated so far, by msgid, for the locale
	 * named in tr_locale (a new LC_MESSAGES empties it) */
	const char *tr_id[48], *tr_str[48];
	size_t n_tr;
	char tr_locale[64];
	/* rules_memo.c's own: what the last runs made of each row and of the
	 * header, kept by a digest of the cells they read, so a run after one
	 * edit works out only the part that changed (made by check_new) */
	struct rules_memo *memo;
	/* rules_memo.c's own, made by check_new_once only: the readings of the
	 * target and actual cells read last, by their exact text (NULL: none) */
	struct rules_reads *reads;
};

struct check *check_new(size_t n_ind);	/* room for a form of n_ind rows */
/* The same, for rules_run_once over many forms (`check --all`): it also
 * keeps the readings of the last few hundred distinct cells, so the same
 * target text ("100%", "≥95%", "优") is read once, not once per form. */
struct check *check_new_once(size_t n_ind);
void check_free(struct check *c);

/* Runs every rule.  Returns 0, or -1 when c has too little room for the
 * form's rows (make a bigger one).  Findings are in paper order. */
int rules_run(const struct form *f, const struct ruleset *rs, struct check *c);

/* The same as rules_run for a form checked once (`check --all`): the same
 * findings and figures, but nothing is kept for a next run, so no cell is
 * digested.  A later rules_run or rules_rerun on c runs the whole form. */
int rules_run_once(const struct form *f, const struct ruleset *rs, struct check *c);

/* The same as rules_run, after one cell changed: f must be the form c
 * last ran on (by either call), changed since only in the cell at path (a
 * text set, not a row added, moved or deleted).  Only what that cell can
 * reach is worked out again (rules_memo.c); a path it cannot place (the
 * layout, the rule set) runs the whole form. */
int rules_rerun(const struct form *f, const struct ruleset *rs, struct check *c, const char *path);

/* The findings about one field path (for the screen's status line). */
size_t rules_findings_for(const struct check *c, const char *path,
			  const struct finding **out, size_t max);

#endif
