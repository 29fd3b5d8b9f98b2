/*
 * input: the one rule for text coming into a form (see input.h).  Pure:
 * no store, no curses; the messages are gettext's, the same wherever the
 * text came from.
 */
#include "config.h"
#include "input.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistr.h>

#include "form.h"
#include "i18n.h"

bool input_multiline(const char *path)
{
	if (!path)
		return false;
	if (strcmp(path, "goals.expected") == 0 || strcmp(path, "goals.achieved") == 0)
		return true;
	size_t n = strlen(path), k = strlen(".deviation");
	return strncmp(path, "indicators[", 11) == 0 && n > k && strcmp(path + n - k, ".deviation") == 0;
}

size_t input_limit(const char *path)
{
	return input_multiline(path) ? INPUT_MAX_TEXT : INPUT_MAX_LINE;
}

int input_check(const char *path, const char *value, char *err, size_t errlen)
{
	if (!value)
		return 0;
	char lab[160];
	size_t len = strlen(value);
	form_path_label(path ? path : "", lab, sizeof lab);
	if (!lab[0])
		snprintf(lab, sizeof lab, "%s", path ? path : "");
	size_t limit = input_limit(path);
	if (len > limit) {
		snprintf(err, errlen, _("%s: too long (%zu bytes; a field holds at most %zu)"), lab, len, limit);
		return -1;
	}
	const uint8_t *bad = u8_check((const uint8_t *)value, len);
	if (bad) {
		snprintf(err, errlen, _("%s: not valid UTF-8 text (byte %zu); save the file as UTF-8"),
			 lab, (size_t)(bad - (const uint8_t *)value) + 1);
		return -1;
	}
	bool multi = input_multiline(path);
	for (size_t i = 0; i < len;) {
		ucs4_t uc;
		int k = u8_mbtouc(&uc, (const uint8_t *)value + i, len - i);
		if ((uc < 0x20 && !(uc == '\n' && multi)) || uc == 0x7f || (uc >= 0x80 && uc < 0xa0)) {
			snprintf(err, errlen, _("%s: holds a control character (U+%04X)%s"), lab, (unsigned)uc,
				 uc == '\n' ? _("; this field is one line") : "");
			return -1;
		}
		i += (size_t)(k > 0 ? k : 1);
	}
	return 0;
}

struct each {
	char *err;
	size_t errlen;
};

/* Does value pass input_check's rule for a field of one line (multi:
 * of several)?  Cheap: no path, no label; nearly every field passes.
 * One-line: multi false is the strictest rule, which no field can refuse. */
static bool plainly_fine_as(const char *value, bool multi)
{
	size_t len = strlen(value);
	if (len > (multi ? INPUT_MAX_TEXT : INPUT_MAX_LINE) || u8_check((const uint8_t *)value, len))
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char b = (unsigned char)value[i];
		if ((b < 0x20 && !(b == '\n' && multi)) || b == 0x7f ||
		    (b == 0xC2 && (unsigned char)value[i + 1] < 0xA0))
			return false;	/* C0, DEL, C1 (U+0080..U+009F is C2 80..C2 9F) */
	}
	return true;
}

bool input_plainly_fine(const char *value)
{
	return plainly_fine_as(value, false);
}

static int check_one(const char *path, const char *value, void *arg)
{
	struct each *e = arg;
	if (!value || input_plainly_fine(value))
		return 0;
	return input_check(path, value, e->err, e->errlen) ? -1 : 0;
}

/* Every text field of f plainly fine?  The fields form_each_field walks,
 * read in place: the common case needs no path at all.  (A field left out
 * here would only send the form down the slow way, never let it pass.) */
static bool all_plainly_fine(const struct form *f)
{
	const char *const head[] = { f->project, f->department, f->unit, f->lead, f->phone,
				     f->total_weight, f->total_score, f->total_grade, f->layout,
				     f->ruleset };
	for (size_t i = 0; i < sizeof head / sizeof *head; i++)
		if (head[i] && !input_plainly_fine(head[i]))
			return false;
	/* the multi-line fields (input_multiline) */
	if ((f->goals_expected && !plainly_fine_as(f->goals_expected, true)) ||
	    (f->goals_achieved && !plainly_fine_as(f->goals_achieved, true)))
		return false;
	for (int r = 0; r < FUND_ROWS; r++)
		for (int c = 0; c < FUND_COLS; c++)
			if (f->funds[r][c] && !input_plainly_fine(f->funds[r][c]))
				return false;
	for (size_t n = 0; n < f->n_ind; n++)
		for (int k = 0; k < IND_FIELDS; k++)
			if (f->ind[n].v[k] && !plainly_fine_as(f->ind[n].v[k], k == IND_DEVIATION))
				return false;
	return true;
}

int input_check_form(const struct form *f, char *err, size_t errlen)
{
	if (all_plainly_fine(f))
		return 0;
	struct each e = { err, errlen };
	return form_each_field(f, check_one, &e) ? -1 : 0;
}
