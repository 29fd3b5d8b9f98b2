/*
 * numtext: figures are stored in one spelling.  A money, weight, score or
 * rate field whose text reads as a number by num's grammar is saved as its
 * plain ASCII form ("１６０．３４９" → "160.349", "1,024" → "1024",
 * "−5" → "-5", "99.98 ％" → "99.98%"), with the decimals as written, so
 * the screen, the rules, the sums and every export see the same text.  A
 * text the grammar refuses ("1,5", "十") is kept as typed and the rules
 * mark it (NOT_A_NUMBER, with the reason).  Pure.
 */
#ifndef JXZP_NUMTEXT_H
#define JXZP_NUMTEXT_H

#include <stdbool.h>
#include "form.h"

/* Is path a figure field (funds.*.*, indicators[N].weight/.score,
 * total.weight/.score)? */
bool numtext_is_figure(const char *path);
/* The saved spelling of value at path, malloc'd, or NULL when it is the
 * same (not a figure field, not a number, already plain). */
char *numtext_normalise(const char *path, const char *value);
/* The same for every figure cell of f, in place. */
void numtext_normalise_form(struct form *f);

#endif
