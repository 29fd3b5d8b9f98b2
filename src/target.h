/*
 * target: reading 年度指标值 and 实际完成值 (spec/rules.md, "Reading targets").
 *
 * Text in, a reading out: the nature, the number and its unit (with the unit
 * converted to a base where a conversion is known), a deadline, a grade, and
 * how sure the reading is, so the screen can explain what it understood.
 * Full-width characters are normalised (NFKC) first.  Pure; no allocation.
 */
#ifndef JXZP_TARGET_H
#define JXZP_TARGET_H

#include <stdbool.h>
#include "num.h"

enum nature { NATURE_NONE, NATURE_GE, NATURE_LE, NATURE_EQ, NATURE_QUAL };
extern const char *const nature_symbol[5];	/* "", "≥", "≤", "=", "定性" */

enum reading_kind {
	READ_EMPTY,	/* nothing there */
	READ_NUMBER,	/* value (+ unit) */
	READ_DATE,	/* a deadline or a date: year (0 if none) and month */
	READ_PERIOD,	/* a recurring period: "每天", "按月支付" */
	READ_GRADE,	/* a grade, a scale, or a threshold on a scale */
	READ_TEXT,	/* text we could not read as any of the above */
};

/* UC_TIME: seconds to weeks; UC_CALENDAR: months, quarters, years (in
 * months), which do not convert to days. */
enum unit_class { UC_NONE, UC_MONEY, UC_TIME, UC_COUNT, UC_PERCENT, UC_OTHER, UC_CALENDAR };

struct reading {
	enum reading_kind kind;
	enum nature nature;	/* from the nature column or a leading symbol */
	num value;		/* READ_NUMBER: as written */
	num base;		/* value converted to the base unit of its class */
	char unit[24];		/* as written: "万元", "%", "小时", "" */
	enum unit_class uclass;
	int year, month;	/* READ_DATE */
	int scale;		/* READ_GRADE: which scale (优良中低差, 好坏, ...) */
	int grade;		/* rank on that scale, 0 = top; -1 = names the scale only */
	const char *word;	/* READ_GRADE: the grade word read ("优秀", "中"), static */
	bool at_least;		/* "达到良以上": threshold, not a single grade */
	int confidence;		/* 0..100: how sure the reading is */
	char note[96];		/* what was read, in English: for explanations */
};

/* The grade scales, top grade first: 优良中低差, 好坏, 合格/不合格, 是否,
 * 高中低, 达标/未达标.  A reading's scale indexes this table. */
#define GRADE_SCALES 6
struct grade_scale {
	const char *word[5];
	int n;
};
extern const struct grade_scale grade_scales[GRADE_SCALES];
/* The grade of a grade reading's word on another scale ("中" is the
 * middle of 优良中低差 and of 高中低), or -1 when the word is not on it. */
int target_grade_on(const struct reading *a, int scale);

/* nature_col and unit_col are the 2024 layout's columns, or NULL.  For an
 * actual value, the rules pass the target's unit as unit_col: a bare figure
 * takes it, and a figure inside text is looked for in that unit. */
void target_read(const char *text, const char *nature_col, const char *unit_col,
		 struct reading *out);

/* A figure cell (money, weight, score, 执行率): num's one grammar
 * (num_read: "," only between groups of three, full-width digits and
 * signs, U+2212), the same reader as the store's sums, and, when pct is
 * set, a trailing "%".
 * "", blanks and the dashes forms print for "none" ("—", "-", "/") are
 * empty.  Returns 1 with *out (and the count of decimals written, if
 * decimals is not NULL), 0 when empty, -1 when it is not a number. */
int target_figure(const char *text, bool pct, num *out, int *decimals);
/* Why target_figure said -1 (NUM_OK when it did not). */
enum num_err target_figure_error(const char *text, bool pct);

#endif
