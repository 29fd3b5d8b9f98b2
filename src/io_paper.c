/*
 * io_paper: what the exports for people (printable text, XLSX) show in the
 * cells the paper form never leaves blank.  The stored form keeps what was
 * typed or imported; JSON and CSV write that.  On paper:
 *  - 分值 and 得分 of the funds rows under 年度资金总额 are "—" (the budget
 *    is scored on the total row only, spec/form.md);
 *  - 执行率 is "—" where there is no budget to divide by;
 *  - 总分's 分值 is the sum of the weights when none is stored;
 *  - every 得分 (the budget's, each indicator's, 总分's) has two decimals,
 *    "10" as "10.00"; a score written with more decimals stays as written
 *    (printing it rounded would show another figure than the stored one).
 * Pure; allocation only for the copy.
 */
#include "config.h"
#include "io.h"
#include "num.h"
#include "target.h"

#include <string.h>

static bool empty(const char *s)
{
	return !s || !*s;
}

/* A score with at most two decimals, padded to two ("10" → "10.00"). */
static void two_decimals(char **slot)
{
	num v;
	int dec;
	if (target_figure(*slot, false, &v, &dec) != 1 || dec > 2)
		return;
	char buf[NUM_BUFSZ];
	set_str(slot, num_fixed(v, 2, buf));
}

/* The sum of the budget's weight and the indicators' weights, into buf;
 * false when one of them is not a number. */
static bool weight_sum(const struct form *f, char buf[NUM_BUFSZ])
{
	num sum = num_from_int(0), w;
	int any = 0, rc = target_figure(f->funds[FUND_TOTAL][FUND_WEIGHT], false, &w, NULL);
	if (rc < 0)
		return false;
	if (rc > 0) {
		if (!num_add(sum, w, &sum))
			return false;
		any++;
	}
	for (size_t i = 0; i < f->n_ind; i++) {
		rc = target_figure(f->ind[i].v[IND_WEIGHT], false, &w, NULL);
		if (rc < 0)
			return false;
		if (rc > 0 && !num_add(sum, w, &sum))
			return false;
		any += rc > 0;
	}
	if (!any)
		return false;
	num_str(num_trim(sum), buf);
	return true;
}

struct form *io_paper_copy(const struct form *f)
{
	struct form *p = form_copy(f);
	for (int r = 0; r < FUND_ROWS; r++) {
		char **rate = &p->funds[r][FUND_RATE];
		num b;
		if (empty(*rate) && target_figure(p->funds[r][FUND_BUDGET], false, &b, NULL) != 1)
			set_str(rate, "—");
		else if (empty(*rate) && num_is_zero(b))
			set_str(rate, "—");
		two_decimals(&p->funds[r][FUND_SCORE]);
		if (r == FUND_TOTAL)
			continue;
		if (empty(p->funds[r][FUND_WEIGHT]))
			set_str(&p->funds[r][FUND_WEIGHT], "—");
		if (empty(p->funds[r][FUND_SCORE]))
			set_str(&p->funds[r][FUND_SCORE], "—");
	}
	for (size_t i = 0; i < p->n_ind; i++)
		two_decimals(&p->ind[i].v[IND_SCORE]);
	two_decimals(&p->total_score);
	char buf[NUM_BUFSZ];
	if (empty(p->total_weight) && weight_sum(p, buf))
		set_str(&p->total_weight, buf);
	return p;
}
