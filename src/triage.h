/*
 * triage: which forms a reviewer should read first, and why (issue 19).
 *
 * Pure: forms in, signals out; no SQL, no I/O.  A signal is a reason to
 * look, never a verdict: a code, the field paths it points at, and a
 * one-line reason in the user's language.
 *
 * Two halves.  triage_own() looks at one form alone (score not earned, rows
 * far over target, money against results, too neat, text repeating itself)
 * and keeps the few facts about it that other forms are compared with
 * (struct tr_facts: MinHash sketches of its texts, its rows that beat their
 * target).  triage_cross() compares facts across a set of forms (copied
 * text, last year's text, targets that never rose) without comparing every
 * pair: the sketches' LSH bands bring together only forms that share one.
 * The store caches both halves by form version (src/store_triage.c).
 */
#ifndef JXZP_TRIAGE_H
#define JXZP_TRIAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "form.h"
#include "num.h"
#include "rules.h"

enum tr_code {
	TR_SCORE_UNEARNED,	/* printed scores above what the rules give */
	TR_TARGET_LOW,		/* this year's rows at B ≥ 2A */
	TR_TARGET_FLAT,		/* the same indicator beaten year after year, target never raised */
	TR_COPIED_TEXT,		/* a text (nearly) the same as another project's, unit's */
	TR_REPEATS_GOAL,	/* 实际完成情况 repeats 预期目标 */
	TR_LAST_YEAR,		/* completion or deviation text is last year's */
	TR_MONEY_RESULTS,	/* low 执行率 with full indicator scores */
	TR_UNSPENT,		/* 结余 over 20 % of the budget */
	TR_COST_FUNDS,		/* a 成本指标 above what was spent */
	TR_TOO_NEAT,		/* every actual its target, full score, no deviation */
	TR_QUAL_ALL_TOP,	/* qualitative rows all 优 with no evidence */
	TR_NCODES
};
extern const char *const tr_code_key[TR_NCODES];	/* "SCORE_UNEARNED", ... */
/* A short localised name of the signal, for columns and filters. */
const char *tr_code_title(enum tr_code c);
/* The code of a key, or -1. */
int tr_code_find(const char *key);

/* The texts compared across forms. */
enum tr_text { TT_GOAL, TT_ACHIEVED, TT_DEVIATION, TT_INDLIST, TT_N };
extern const char *const tr_text_path[TT_N];	/* "goals.expected", ... */

#define TR_FIELDS 200
struct tr_signal {
	enum tr_code code;
	char fields[TR_FIELDS];	/* paths, comma separated; the first is where it points */
	char arg[2][48];	/* figures for the reason (ASCII) */
	int64_t other;		/* the form it was compared with, or 0 */
	int other_year;
};
/* The reason, one line, localised. */
void tr_reason(const struct tr_signal *s, char *buf, size_t len);
/* Does s point at path? */
bool tr_points_at(const struct tr_signal *s, const char *path);

struct tr_list {
	struct tr_signal *v;
	size_t n, cap;
};
void tr_list_free(struct tr_list *l);
struct tr_signal *tr_list_add(struct tr_list *l, enum tr_code code);
/* One signal a line: code TAB fields TAB arg0 TAB arg1 TAB other TAB year. */
char *tr_list_pack(const struct tr_list *l);	/* caller frees */
void tr_list_unpack(const char *s, struct tr_list *out);	/* appends */

/* MinHash sketch of a text (one-permutation hashing with densification):
 * TR_K bins, the low 8 bits of each bin's minimum kept. */
#define TR_K 64
#define TR_BANDS 8		/* LSH: bands of TR_ROWS bins each */
#define TR_ROWS 3
struct tr_row {
	uint32_t name;		/* hash of the NFKC 三级指标 name */
	int16_t pos;		/* row index in its form */
	num target, actual;	/* base units, the actual beating the target */
};
struct tr_facts {
	int64_t id;
	int year;
	uint32_t unit, group;	/* hashes of the unit, and of unit + project */
	uint8_t present;	/* bit per tr_text: sketched */
	uint8_t sk[TT_N][TR_K];
	struct tr_row *rows;	/* owned */
	size_t n_rows;
};
void tr_facts_free(struct tr_facts *x);
/* Binary form of facts for the cache; unpack returns false on a bad blob. */
size_t tr_facts_pack(const struct tr_facts *x, uint8_t **out);
bool tr_facts_unpack(const uint8_t *p, size_t n, struct tr_facts *x);
/* The LSH band keys of facts: up to TT_N × TR_BANDS, returns the count. */
size_t tr_band_keys(const struct tr_facts *x, int64_t *keys, size_t max);

/* Text to sketch: false when the text is blank or too short to compare. */
bool tr_sketch(const char *text, uint8_t sk[TR_K]);
/* Estimated Jaccard similarity of the texts' shingle sets, 0..1000. */
int tr_similarity(const uint8_t a[TR_K], const uint8_t b[TR_K]);
/* The similarity at and above which two texts are taken as copies
 * (per mille of the bigram Jaccard: about 94 % of the characters in common). */
#define TR_SIMILAR 800

/* One form alone: appends its own signals to out and fills facts (both
 * may be NULL).  c is a check with room for the form (check_new), rs the
 * rule set (NULL: the form's own, else the default). */
void triage_own(const struct form *f, const struct ruleset *rs, struct check *c,
		struct tr_list *out, struct tr_facts *facts);

/* In one LSH bucket, each form is compared with the bucket's first
 * TR_RUN_CAP forms by id and with the forms next to it by id, so a bucket
 * of thousands of copies costs thousands of comparisons, not millions. */
#define TR_RUN_CAP 8

/* Across forms: for each form i of set with want[i] (want NULL: all),
 * the cross-form signals go to out[i] (appended). */
void triage_cross(const struct tr_facts *set, size_t n, const bool *want, struct tr_list *out);
/* The same, each wanted form's signals handed to emit in turn (valid during
 * the call), so a whole database's signals are never held at once. */
void triage_cross_each(const struct tr_facts *set, size_t n, const bool *want,
		       void (*emit)(size_t i, const struct tr_list *cross, void *arg), void *arg);

/* Weights: schema/triage_weights.tsv compiled in. */
int tr_weight(enum tr_code c);
/* The score of a form: Σ weights of the codes it has (each code once). */
int tr_score(const struct tr_list *own, const struct tr_list *cross, uint32_t *mask);
uint32_t tr_mask(const struct tr_list *l);	/* bit per code in l */
int tr_mask_score(uint32_t mask);

#endif
