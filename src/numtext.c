/*
 * numtext: the saved spelling of a figure (numtext.h).
 */
#include "config.h"
#include "numtext.h"

#include <stdlib.h>
#include <string.h>

#include "num.h"

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), k = strlen(tail);
	return n >= k && strcmp(s + n - k, tail) == 0;
}

bool numtext_is_figure(const char *path)
{
	if (!path)
		return false;
	if (strncmp(path, "funds.", 6) == 0)
		return true;	/* every column of the funds is a figure */
	if (strncmp(path, "indicators[", 11) == 0)
		return ends_with(path, "].weight") || ends_with(path, "].score");
	return strcmp(path, "total.weight") == 0 || strcmp(path, "total.score") == 0;
}

/* The plain spelling of s, or NULL when it is no number or already plain. */
static char *plain(const char *s, bool pct)
{
	num v;
	int dec = 0;
	if (!s || num_read(s, pct ? NUM_PERCENT : 0, &v, &dec) != NUM_OK)
		return NULL;
	char buf[NUM_BUFSZ + 1];
	num_fixed(v, dec > NUM_MAX_SCALE ? NUM_MAX_SCALE : dec, buf);
	if (pct && (strchr(s, '%') || strstr(s, "％")))
		strcat(buf, "%");
	if (strcmp(buf, s) == 0)
		return NULL;
	char *r = malloc(strlen(buf) + 1);
	if (!r)
		abort();
	return strcpy(r, buf);
}

char *numtext_normalise(const char *path, const char *value)
{
	if (!numtext_is_figure(path))
		return NULL;
	return plain(value, ends_with(path, ".rate"));
}

static void in_place(char **slot, bool pct)
{
	char *p = plain(*slot, pct);
	if (p) {
		free(*slot);
		*slot = p;
	}
}

void numtext_normalise_form(struct form *f)
{
	for (int row = 0; row < FUND_ROWS; row++)
		for (int col = 0; col < FUND_COLS; col++)
			in_place(&f->funds[row][col], col == FUND_RATE);
	for (size_t i = 0; i < f->n_ind; i++) {
		in_place(&f->ind[i].v[IND_WEIGHT], false);
		in_place(&f->ind[i].v[IND_SCORE], false);
	}
	in_place(&f->total_weight, false);
	in_place(&f->total_score, false);
}
