/* rows: what the forms list and the reviewer's pager share (see rows.h). */
#include "config.h"
#include "rows.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "draw.h"
#include "form.h"
#include "i18n.h"

const char *rows_status_label(const char *key)
{
	static const char *const names[] = { N_("draft"), N_("submitted"), N_("returned"), N_("approved") };
	for (int i = 0; i < 4; i++)
		if (key && strcmp(key, status_key[i]) == 0)
			return _(names[i]);
	return key ? key : "";
}

void rows_when(const struct app *a, const char *iso, char *out, size_t len)
{
	int Y, M, D, h = 0, m = 0, s = 0;
	out[0] = 0;
	if (a->fixed_time || !iso || sscanf(iso, "%d-%d-%d%*c%d:%d:%d", &Y, &M, &D, &h, &m, &s) < 3)
		return;
	struct tm tm = { .tm_year = Y - 1900, .tm_mon = M - 1, .tm_mday = D, .tm_hour = h,
			 .tm_min = m, .tm_sec = s };
	time_t t = timegm(&tm), now = time(NULL);
	struct tm lt, ln;
	localtime_r(&t, &lt);
	localtime_r(&now, &ln);
	if (lt.tm_year == ln.tm_year && lt.tm_yday == ln.tm_yday)
		strftime(out, len, "%H:%M", &lt);
	else if (lt.tm_year == ln.tm_year && lt.tm_yday + 1 == ln.tm_yday)
		snprintf(out, len, "%s", _("yesterday"));
	else if (lt.tm_year == ln.tm_year)
		strftime(out, len, "%m-%d", &lt);
	else
		strftime(out, len, "%Y-%m-%d", &lt);
}

/* A rule across the columns: vert on the rules between columns, edge on
 * the two outer ones.  Its width in columns. */
static int rule(int y, const int *w, int n, unsigned vert, unsigned edge)
{
	unsigned char arms[1024];
	int o = 0;
	for (int c = 0; c <= n && o < (int)sizeof arms; c++) {
		unsigned side = (c > 0 ? ARM_LEFT : 0) | (c < n ? ARM_RIGHT : 0);
		arms[o++] = (unsigned char)((c == 0 || c == n ? edge : vert) | side);
		for (int k = 0; c < n && k < w[c] + 2 && o < (int)sizeof arms; k++)
			arms[o++] = ARM_LEFT | ARM_RIGHT;
	}
	draw_rule(y, 0, arms, o);
	return o;
}

void rows_rule(int y, const int *w, int n, unsigned vert)
{
	rule(y, w, n, vert, vert);
}

void rows_empty(int y, const int *w, int n, const char *msg, attr_t at)
{
	int width = rule(y - 1, w, n, ARM_UP, ARM_UP | ARM_DOWN);	/* columns end at the head */
	draw_vbar(y, 0);
	if (width > 4)
		draw_text(y, 2, width - 4, msg, strlen(msg), AL_LEFT, at);
	draw_vbar(y, width - 1);
	rule(y + 1, w, n, 0, ARM_UP);
}

bool rows_move(size_t *sel, size_t n, size_t page, int k)
{
	size_t last = n ? n - 1 : 0;
	if (page < 1)
		page = 1;
	switch (k) {
	case KF(KEY_DOWN): case 'j':
		if (*sel < last)
			(*sel)++;
		return true;
	case KF(KEY_UP): case 'k':
		if (*sel > 0)
			(*sel)--;
		return true;
	case KF(KEY_NPAGE):
		*sel = *sel + page < last ? *sel + page : last;
		return true;
	case KF(KEY_PPAGE):
		*sel = *sel > page ? *sel - page : 0;
		return true;
	case KF(KEY_HOME):
		*sel = 0;
		return true;
	case KF(KEY_END):
		*sel = last;
		return true;
	}
	return false;
}
