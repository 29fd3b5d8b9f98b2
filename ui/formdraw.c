/*
 * formdraw: the form screen on the terminal.
 *
 * Draws the table formgrid.c laid out, the top bar, the status lines, the
 * key line and the narrow screens' detail panel.  A keystroke redraws only
 * what it changed: lines are remembered (by a hash per screen position, and
 * a cell line's text) and skipped or written from the first change on,
 * since ncurses' cost is per character written; a band that changes height
 * shifts the lines below it rather than drawing them again.
 */
#include "config.h"
#include "app.h"
#include "conflict.h"
#include "doc.h"
#include "draw.h"
#include "edit.h"
#include "i18n.h"
#include "review.h"
#include "rows.h"
#include "ustr.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include "formview.h"

/* ---- drawing ------------------------------------------------------------------ */

/* The editor's cursor on screen, computed once per change (wrapping is the
 * costly part of it). */
static struct { const char *s; size_t len, cur; int w, line, col; bool ok; } cpos;

static void cursor_pos(int w, int *line, int *col)
{
	if (!cpos.ok || cpos.s != fv.eb.s || cpos.len != fv.eb.len || cpos.cur != fv.eb.cur || cpos.w != w) {
		const struct cell *c = fv.focus >= 0 ? &fv.cells[fv.focus] : NULL;
		if (c && c->w == w && c->text && c->nl > 0 && strcmp(c->text, fv.eb.s) == 0) {
			/* the cell is wrapped already: the same lines ustr_wrap gives */
			int i = 0;
			while (i + 1 < c->nl && c->st[i + 1] <= fv.eb.cur)
				i++;
			size_t end = c->st[i] + c->ln[i], upto = fv.eb.cur < end ? fv.eb.cur : end;
			cpos.line = i;
			cpos.col = upto > c->st[i] ? ustr_width_n(c->text + c->st[i], upto - c->st[i]) : 0;
		} else
			eb_cursor_pos(&fv.eb, w, &cpos.line, &cpos.col);
		cpos.s = fv.eb.s;
		cpos.len = fv.eb.len;
		cpos.cur = fv.eb.cur;
		cpos.w = w;
		cpos.ok = true;
	}
	*line = cpos.line;
	*col = cpos.col;
}

/* Lines outside the form (top bar, status, keys) are drawn only when their
 * text changed: most keystrokes leave them as they were. */
static char *shown[8];
enum { SH_TOP, SH_KEYS, SH_STATUS0, SH_STATUS1, SH_COUNT };

static bool unchanged(int slot, const char *text)
{
	if (shown[slot] && strcmp(shown[slot], text) == 0)
		return true;
	free(shown[slot]);
	shown[slot] = xstrdup(text);
	return false;
}

static void drawn_clear(void);

/* The bars and status lines from slot `from` on are to be drawn again
 * (they moved or were wiped). */
static void forget_bars_from(int from)
{
	for (int i = from; i < SH_COUNT; i++) {
		free(shown[i]);
		shown[i] = NULL;
	}
}

static void forget_bars(void)
{
	forget_bars_from(0);
}

void fd_forget_shown(void)
{
	drawn_clear();
	forget_bars();
}

static int sy(int fy)
{
	return fv.body_top + fy - fv.top;
}

static void draw_sep(int k)
{
	const struct band *b = &fv.bands[k];
	int y = sy(b->y - 1);
	if (!draw_visible(y))
		return;
	const unsigned char *up = k > 0 ? fv.bands[k - 1].bd : NULL;
	unsigned char arms[1024];
	int W = fv.W < 1024 ? fv.W : 1024;
	for (int x = 0; x < W; x++) {
		bool hl = x > 0 && !(b->bd[x - 1] & 2), hr = x + 1 < W && !(b->bd[x + 1] & 2);
		bool u = up && (up[x] & 1), d = b->bd[x] & 1;
		if (u || d)
			arms[x] = (unsigned char)((u ? ARM_UP : 0) | (d ? ARM_DOWN : 0) |
						  (hl ? ARM_LEFT : 0) | (hr ? ARM_RIGHT : 0));
		else
			arms[x] = (b->bd[x] & 2) ? 0 : ARM_LEFT | ARM_RIGHT;
	}
	draw_rule(y, 0, arms, W);
}

static void draw_bottom(void)
{
	int y = sy(fv.form_h - 1);
	if (!draw_visible(y) || fv.nb == 0)
		return;
	const unsigned char *up = fv.bands[fv.nb - 1].bd;
	unsigned char arms[1024];
	int W = fv.W < 1024 ? fv.W : 1024;
	for (int x = 0; x < W; x++)
		arms[x] = (unsigned char)(((up[x] & 1) ? ARM_UP : 0) | (x > 0 ? ARM_LEFT : 0) |
					  (x + 1 < W ? ARM_RIGHT : 0));
	draw_rule(y, 0, arms, W);
}

static void draw_band_borders(int k)
{
	const struct band *b = &fv.bands[k];
	for (int l = 0; l < b->h; l++) {
		int y = sy(b->y + l);
		if (!draw_visible(y))
			continue;
		for (int x = 0; x < fv.W; x++)
			if (b->bd[x] & 1)
				draw_vbar(y, x);
	}
}

static bool focused(const struct cell *c)
{
	return fv.focus >= 0 && c == &fv.cells[fv.focus];
}

/* One line of a cell at screen line y (text line i, or blank). */
/* What each cell line on screen shows, by position: a line drawn again
 * with the same text and attributes is skipped (ncurses' per-character
 * cost is most of a keystroke's).  Forgotten whenever the screen is wiped. */
#define DRAWN_BITS 12
#define DRAWN_SLOTS (1 << DRAWN_BITS)	/* positions are hashed by their high bits */
static struct { uint32_t key, h; } drawn[DRAWN_SLOTS];

static void drawn_clear(void)
{
	memset(drawn, 0, sizeof drawn);
}

/* True if (y, x) already shows h; otherwise records it, and *was (if
 * given) is what it showed before (0: not known). */
static bool drawn_same(int y, int x, uint32_t h, uint32_t *was)
{
	uint32_t key = ((uint32_t)y << 16 | (uint32_t)x) + 1;
	uint32_t i = (key * 2654435761u) >> (32 - DRAWN_BITS);
	if (was)
		*was = 0;
	for (int probe = 0; probe < 8; probe++, i = (i + 1) % DRAWN_SLOTS) {
		if (drawn[i].key == key) {
			if (drawn[i].h == h)
				return true;
			if (was)
				*was = drawn[i].h;
			drawn[i].h = h;
			return false;
		}
		if (drawn[i].key == 0) {
			drawn[i].key = key;
			drawn[i].h = h;
			return false;
		}
	}
	return false;	/* crowded: just draw */
}

/* The screen's lines from y down to limit (exclusive) moved by delta (a
 * scroll of that region; for delta < 0 the lines just above y were
 * deleted): so do the records of what they show.  Lines deleted, pushed
 * past limit, or wiped (wipe: from y down) are forgotten. */
static void drawn_move(int y, int delta, bool wipe, int limit)
{
	static struct { uint32_t key, h; } keep[DRAWN_SLOTS];
	int n = 0;
	for (int i = 0; i < DRAWN_SLOTS; i++) {
		if (!drawn[i].key)
			continue;
		int ky = (int)((drawn[i].key - 1) >> 16), kx = (int)((drawn[i].key - 1) & 0xffff);
		drawn[i].key = 0;	/* emptied as it is read: no clearing of the whole table */
		if (ky >= limit) {
			;			/* below the lines that moved */
		} else if (ky >= y) {
			if (wipe)
				continue;
			ky += delta;
			if (ky >= limit)
				continue;	/* pushed off the bottom */
		} else if (delta < 0 && ky >= y + delta) {
			continue;		/* a deleted line */
		}
		keep[n].key = ((uint32_t)ky << 16 | (uint32_t)kx) + 1;
		keep[n++].h = drawn[i].h;
	}
	for (int i = 0; i < n; i++) {
		uint32_t j = (keep[i].key * 2654435761u) >> (32 - DRAWN_BITS);
		for (int probe = 0; probe < 8; probe++, j = (j + 1) % DRAWN_SLOTS)
			if (!drawn[j].key) {
				drawn[j].key = keep[i].key;
				drawn[j].h = keep[i].h;
				break;
			}
	}
}

static uint32_t hash_bytes(const char *s, size_t n, uint32_t h)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* The text of the last few left-aligned cell lines drawn, by screen line:
 * a line typed into differs from what it showed only from the cursor on,
 * and ncurses' cost is per character written, so only that tail is
 * written again.  An entry is used only while the drawn[] record it was
 * made with (its hash) still stands for that place. */
static struct { uint32_t h, meta; int x, w, tw; size_t n; char s[256]; } tail[64];

static void draw_changed(int y, int x, int w, const char *b, size_t n, enum align al, attr_t at,
			 uint32_t meta, uint32_t h, uint32_t was)
{
	int slot = y & 63;
	size_t p = 0;
	bool known = al == AL_LEFT && was && tail[slot].h == was && tail[slot].meta == meta &&
		     tail[slot].x == x && tail[slot].w == w;
	if (known) {
		/* same attributes and mark (in meta): only the text differs */
		size_t m = tail[slot].n < n ? tail[slot].n : n;
		while (p < m && tail[slot].s[p] == b[p])
			p++;
		/* back to the start of the character before the change, so a
		 * combining mark typed is written with its base */
		while (p > 0 && ((unsigned char)b[p] & 0xc0) == 0x80)
			p--;
		if (p > 0)
			p--;
		while (p > 0 && ((unsigned char)b[p] & 0xc0) == 0x80)
			p--;
	}
	int pw = p ? ustr_width_n(b, p) : 0, tw = pw + ustr_width_n(b + p, n - p), end = w;
	if (known) {
		/* past the wider of the two texts both show padding: only the
		 * columns up to there (and one more, for a character the
		 * terminal shows wider) are written */
		end = (tw > tail[slot].tw ? tw : tail[slot].tw) + 1;
		if (end > w)
			end = w;
	}
	if (pw >= end)
		p = 0, pw = 0, end = w;
	draw_text(y, x + pw, end - pw, b + p, n - p, al, at);
	if (al == AL_LEFT && n <= sizeof tail[slot].s) {
		tail[slot].h = h;
		tail[slot].meta = meta;
		tail[slot].x = x;
		tail[slot].w = w;
		tail[slot].tw = tw;
		tail[slot].n = n;
		memcpy(tail[slot].s, b, n);
	} else
		tail[slot].h = 0;
}

/* One line of a cell; false if it was already on screen as it is. */
static bool cell_line(const struct cell *c, int y, int i, attr_t at)
{
	const char *s = "";
	size_t len = 0;
	if (i >= 0 && i < c->nl) {
		s = c->text + c->st[i];
		len = c->ln[i];
	}
	enum align al = AL_LEFT;
	/* a figure is right-aligned; text that merely starts with a digit and
	 * wraps ("4个月内完成…") reads as text, every line from the left */
	if (c->flags & F_NUM || ((c->flags & F_AUTO) && c->nl <= 1 && fg_looks_numeric(c->text)))
		al = AL_RIGHT;
	else if (c->flags & F_CENTER)
		al = AL_CENTER;
	if (c->flags & F_LABEL && !(c->flags & F_CENTER) && c->x == 2 && c->w <= 12)
		at |= draw_attr(ST_LABEL);
	/* the cell and its padding in one write */
	char sb[1024], *b = sb;
	if (len + 3 > sizeof sb) {
		b = malloc(len + 3);
		if (!b)
			abort();
	}
	size_t n = 0;
	if (al != AL_RIGHT)
		b[n++] = ' ';
	memcpy(b + n, s, len);
	n += len;
	if (al != AL_LEFT)
		b[n++] = ' ';
	bool drew = true;
	if (!draw_visible(y)) {
		drew = false;
	} else {
		uint32_t meta = hash_bytes((const char *)&at, sizeof at, 2166136261u), was;
		meta = (meta ^ (uint32_t)(al * 7 + c->w * 131 + (c->mark + 2) * 65599)) * 16777619u;
		uint32_t h = hash_bytes(b, n, meta);
		if (c->flags & F_PANEL)
			draw_text(y, c->x - 1, c->w + 2, b, n, al, at);
		else if (!drawn_same(y, c->x, h, &was))
			draw_changed(y, c->x - 1, c->w + 2, b, n, al, at, meta, h, was);
		else
			drew = false;
	}
	if (b != sb)
		free(b);
	return drew;
}

void fd_cell(const struct cell *c)
{
	fd_cell_lines(c, 0, 1 << 20);
}

/* Lines from..to (exclusive) of a table cell; a panel cell or a covered
 * one is drawn whole. */
void fd_cell_lines(const struct cell *c, int from, int to)
{
	attr_t at = focused(c) ? draw_attr(ST_FOCUS) : A_NORMAL;
	int first = 0;
	if (c->flags & F_PANEL) {
		if (!fv.narrow || c->ind != fv.row_ctx)
			return;
		int cl = 0, cc = 0;
		if (fv.editing && focused(c))
			cursor_pos(c->w, &cl, &cc);
		if (cl >= c->ph)
			first = cl - c->ph + 1;
		draw_clip(0, LINES);
		for (int l = 0; l < c->ph; l++)
			cell_line(c, fv.panel_y + c->py + l, first + l, at);
		if (c->mark >= 0)
			draw_text(fv.panel_y + c->py, c->x - 1, 1, draw_mark(c->mark), strlen(draw_mark(c->mark)),
				  AL_LEFT, at | draw_attr(c->mark == 0 ? ST_ERROR : ST_WARNING));
		if (cfv_marked(c->path))	/* a bundle conflict, as in the table */
			draw_text(fv.panel_y + c->py, c->x + c->w, 1, CFV_MARK, strlen(CFV_MARK), AL_LEFT,
				  at | draw_attr(ST_ERROR));
		draw_clip(fv.body_top, fv.body_top + fv.body_h);
		return;
	}
	int y, h;
	if (c->flags & F_COVERED) {
		/* shown only when focused: its own row of the merged cell */
		if (!focused(c))
			return;
		const struct band *b = &fv.bands[c->band];
		y = b->y;
		h = b->h;
		for (int l = 0; l < h; l++)
			cell_line(c, sy(y + l), l == 0 ? 0 : -1, at);
		return;
	}
	fg_cell_rows(c, &y, &h);
	if (from < 0)
		from = 0;
	if (to > h)
		to = h;
	bool first_drawn = false;
	for (int l = from; l < to; l++)
		if (cell_line(c, sy(y + l), l, at) && l == 0)
			first_drawn = true;
	if (cfv_marked(c->path) && first_drawn)	/* a bundle conflict (ui/conflictview.c) */
		draw_text(sy(y), c->x + c->w, 1, CFV_MARK, strlen(CFV_MARK), AL_LEFT, at | draw_attr(ST_ERROR));
	else if (rvf_marked(c->path) && first_drawn)	/* a reviewer's comment */
		draw_text(sy(y), c->x + c->w, 1, RVF_MARK, strlen(RVF_MARK), AL_LEFT, at | draw_attr(ST_WARNING));
	if (c->mark >= 0 && first_drawn) {
		const char *m = draw_mark(c->mark);
		draw_text(sy(y), c->x - 1, 1, m, strlen(m), AL_LEFT,
			  at | draw_attr(c->mark == 0 ? ST_ERROR : ST_WARNING));
	}
}

static const char *status_name(enum form_status s)
{
	return rows_status_label(status_key[s]);
}

static uint64_t hash64(const void *p, size_t n, uint64_t h)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211u;
	return h;
}

static uint64_t hash_str(const char *s, uint64_t h)
{
	return hash64(s, strlen(s) + 1, h);
}

void fd_top(struct app *a)
{
	char left[1024], right[512], sug[128] = "";
	const struct form *f = fv.sh.live;
	char pos[48] = "";
	if (a->mode == SCREEN_REVIEW && a->pager_step && a->pager_pos)
		snprintf(pos, sizeof pos, "%zu/%zu │ ", a->pager_pos, a->pager_total);
	else if (a->mode == SCREEN_REVIEW)
		for (size_t i = 0; i < a->nids; i++)
			if (a->ids[i] == fv.id)
				snprintf(pos, sizeof pos, "%zu/%zu │ ", i + 1, a->nids);
	/* a digest of what the line is made of, raw: most keys change none
	 * of it, and then neither formatting nor translating is needed */
	static uint64_t was;
	int nums[2] = { f->year, (int)f->status };
	uint64_t h = hash64(nums, sizeof nums, hash_str(pos, 14695981039346656037u));
	h = hash_str(f->unit ? f->unit : "", hash_str(f->project ? f->project : "", h));
	h = hash_str(fv.saved, hash_str(fv.sh.chk->total_score, h));
	h = hash_str(fv.sh.chk->suggested_total, hash_str(fv.sh.chk->grade, h));
	h = hash_str(fg_reason_shown() ? f->return_reason : "", h);
	if (shown[SH_TOP] && h == was)
		return;
	was = h;
	unchanged(SH_TOP, "");	/* drawn: until forget_bars() */
	snprintf(left, sizeof left, " jxzp │ %s%s › %d年度 › %s", pos, f->unit ? f->unit : "",
		 f->year, f->project ? f->project : "");
	char *l = ustr_scrub(left, false);
	if (fv.sh.chk->suggested_total[0] && strcmp(fv.sh.chk->suggested_total, fv.sh.chk->total_score) != 0)
		snprintf(sug, sizeof sug, "（%s）", fv.sh.chk->suggested_total);
	char sugt[160] = "";
	if (sug[0])
		snprintf(sugt, sizeof sugt, _(" (suggested %s)"), fv.sh.chk->suggested_total);
	snprintf(right, sizeof right, "%s%s%s │ 总分 %s%s %s ", status_name(f->status),
		 fv.saved[0] ? " · " : "", fv.saved, fv.sh.chk->total_score[0] ? fv.sh.chk->total_score : "—",
		 sugt, fv.sh.chk->grade);
	draw_clip(0, LINES);
	draw_bar(0, l, right);
	free(l);
	if (fg_reason_shown()) {
		char buf[2048];
		snprintf(buf, sizeof buf, _("Returned because: %s"), f->return_reason);
		char *m = ustr_scrub(buf, false);
		draw_text(1, 1, COLS - 2, m, strlen(m), AL_LEFT, draw_attr(ST_WARNING) | A_BOLD);
		free(m);
	}
}

void fd_keys(struct app *a)
{
	char buf[512];
	int n = fv.sh.chk->errors + fv.sh.chk->warnings;
	/* the line follows from these alone: no translating while they stay */
	static struct { int mode, n; bool ro, wide; size_t nc; } was;
	if (shown[SH_KEYS] && was.mode == (int)a->mode && was.n == n && was.ro == fv.ro &&
	    was.wide == (fv.W >= 116) && was.nc == cfv_count())
		return;
	was.nc = cfv_count();
	was.mode = (int)a->mode;
	was.n = n;
	was.ro = fv.ro;
	was.wide = fv.W >= 116;
	if (a->mode == SCREEN_REVIEW)
		snprintf(buf, sizeof buf, fv.W >= 116 ?
			 _(" F1 help  PgDn/PgUp form  n/N finding  c comment  F7 resolved  r return  a approve  F5 findings(%d)  Esc pager") :
			 _(" PgDn/PgUp form  n/N finding  c comment  F7 resolved  r return  a approve  Esc"), n);
	else if (fv.ro)
		snprintf(buf, sizeof buf, fv.W >= 116 ?
			 _(" F1 help  Tab next  n/N next/previous finding  F5 findings(%d)  F7 comment resolved  Esc list") :
			 _(" F1 help  n/N finding  F5 findings(%d)  F7 resolved  Esc list"), n);
	else if (fv.W >= 116)
		snprintf(buf, sizeof buf,
			 _(" F1 help  Tab next  F2 take suggested  F3 add row  F4 delete row  F5 findings(%d)  F7 resolved  F8 submit  Ctrl-Z undo  Esc list"),
			 n);
	else
		snprintf(buf, sizeof buf, _(" F1 help F2 suggested F3 row F5 findings(%d) F8 submit ^Z undo Esc list"), n);
	if (was.nc) {	/* bundle conflicts first: they wait for a person */
		char tmp[sizeof buf];
		snprintf(tmp, sizeof tmp, _(" F11 settle %s(%zu) %s"), CFV_MARK, was.nc, buf);
		snprintf(buf, sizeof buf, "%s", tmp);
	}
	if (unchanged(SH_KEYS, buf))
		return;
	draw_clip(0, LINES);
	draw_bar(LINES - 1, buf, NULL);
}

/* The two lines under the form: a message, the focused field's findings,
 * or the suggested score. */
static void status_lines(char line[2][1024], int sev[2])
{
	int n_l = 0;
	line[0][0] = line[1][0] = 0;
	sev[0] = sev[1] = -1;
	if (fv.msg[0]) {
		snprintf(line[n_l], 1024, "%s", fv.msg);
		sev[n_l++] = fv.msg_sev;
	}
	if (fv.focus < 0)
		return;
	const struct cell *c = &fv.cells[fv.focus];
	const struct finding *out[8];
	size_t n = rules_findings_for(fv.sh.chk, c->path, out, 8);
	if (c->pick == PK_LEVELS && n == 0) {
		char p2[48];
		fg_ind_path(p2, sizeof p2, (size_t)c->ind, IND_LEVEL2);
		n = rules_findings_for(fv.sh.chk, p2, out, 8);
	}
	char lab[128];
	if (n_l < 2 && cfv_line(c->path, line[n_l], 1024))	/* a bundle conflict */
		sev[n_l++] = SEV_ERROR;
	if (n_l < 2 && rvf_comment_line(c->path, line[n_l], 1024))	/* a reviewer's comment */
		sev[n_l++] = SEV_WARNING;
	form_path_label(c->path, lab, sizeof lab);
	for (size_t i = 0; i < n && n_l < 2; i++) {
		if (out[i]->severity == SEV_NOTE)
			continue;	/* the suggestion line below says it */
		char ex[256] = "";
		if (out[i]->expected[0])
			snprintf(ex, sizeof ex, _(" (expected %s, found %s)"), out[i]->expected,
				 out[i]->found[0] ? out[i]->found : "—");
		/* no rule code: the message says it all, in the interface's
		 * language (codes are for --format json and check -v) */
		snprintf(line[n_l], 1024, _("%1$s %2$s: %3$s%4$s%5$s"), draw_mark((int)out[i]->severity), lab,
			 out[i]->message, ex, n_l == 1 && n > 2 ? _("  (F5: all)") : "");
		sev[n_l++] = (int)out[i]->severity;
	}
	if (n_l < 2 && c->ind >= 0 && c->fld == IND_SCORE && (size_t)c->ind < fv.sh.chk->n_ind &&
	    fv.sh.chk->ind[c->ind].has_suggestion) {
		snprintf(line[n_l], 1024, _("suggested score %s  F2 takes it"), fv.sh.chk->ind[c->ind].explain);
		sev[n_l++] = SEV_NOTE;
	}
}

/* A digest of everything status_lines() reads: while it stays, the lines
 * need not be formatted again (labels, translations and all). */
static uint64_t status_digest(void)
{
	int v[4] = { fv.msg_sev, fv.focus, COLS, fv.status_y };
	uint64_t h = hash64(v, sizeof v, 14695981039346656037u);
	h = hash_str(fv.msg, h);
	if (fv.focus < 0)
		return h;
	const struct cell *c = &fv.cells[fv.focus];
	char p2[48] = "", cm[1024] = "";
	if (c->pick == PK_LEVELS)
		fg_ind_path(p2, sizeof p2, (size_t)c->ind, IND_LEVEL2);
	const char *paths[2] = { c->path, p2 };
	for (int j = 0; j < 2; j++) {
		const struct finding *out[8];
		size_t n = paths[j][0] ? rules_findings_for(fv.sh.chk, paths[j], out, 8) : 0;
		h = hash64(&n, sizeof n, hash_str(paths[j], h));
		for (size_t i = 0; i < n; i++) {
			h = hash64(&out[i]->severity, sizeof out[i]->severity, h);
			h = hash_str(out[i]->code, hash_str(out[i]->message, h));
			h = hash_str(out[i]->found, hash_str(out[i]->expected, h));
		}
	}
	if (rvf_comment_line(c->path, cm, sizeof cm))
		h = hash_str(cm, h ^ 1);
	if (cfv_line(c->path, cm, sizeof cm))
		h = hash_str(cm, h ^ 4);
	if (c->ind >= 0 && c->fld == IND_SCORE && (size_t)c->ind < fv.sh.chk->n_ind &&
	    fv.sh.chk->ind[c->ind].has_suggestion)
		h = hash_str(fv.sh.chk->ind[c->ind].explain, h ^ 2);
	return h;
}

void fd_status(void)
{
	static uint64_t was;
	uint64_t dig = status_digest();
	if (shown[SH_STATUS0] && shown[SH_STATUS1] && dig == was)
		return;
	was = dig;
	char line[2][1024];
	int sev[2];
	status_lines(line, sev);
	/* one long finding: wrap it over both lines rather than cut it */
	if (line[0][0] && !line[1][0] && ustr_width(line[0]) > COLS - 2) {
		size_t st[2], ln[2];
		char *m = ustr_scrub(line[0], false);
		if (ustr_wrap(m, COLS - 2, st, ln, 2) >= 2) {
			snprintf(line[1], sizeof line[1], "%s", m + st[1]);
			m[st[0] + ln[0]] = 0;
			snprintf(line[0], sizeof line[0], "%s", m + st[0]);
			sev[1] = sev[0];
		}
		free(m);
	}
	draw_clip(0, LINES);
	for (int l = 0; l < 2; l++) {
		char key[1100];
		snprintf(key, sizeof key, "%d%s", sev[l], line[l]);
		if (unchanged(SH_STATUS0 + l, key))
			continue;
		char *m = ustr_scrub(line[l], false);
		draw_text(fv.status_y + l, 0, 1, " ", 1, AL_LEFT, A_NORMAL);
		draw_text(fv.status_y + l, 1, COLS - 1, m, strlen(m), AL_LEFT,
			  draw_attr(sev[l] == SEV_ERROR ? ST_ERROR : sev[l] == SEV_WARNING ? ST_WARNING : ST_NORMAL));
		free(m);
	}
}

void fd_panel(void)
{
	if (!fv.narrow)
		return;
	draw_clip(0, LINES);
	int y = fv.panel_y, W = fv.W;
	draw_frame(y, 0, fv.panel_h, W, A_NORMAL);
	size_t i = (size_t)fv.row_ctx;
	if (i >= fv.sh.live->n_ind)
		return;
	char buf[1024], nb[NUM_BUFSZ];
	snprintf(buf, sizeof buf, "%s › %s › %s", fg_ind_v(i, IND_LEVEL1) ? fg_ind_v(i, IND_LEVEL1) : "",
		 fg_ind_v(i, IND_LEVEL2) ? fg_ind_v(i, IND_LEVEL2) : "", fg_ind_v(i, IND_NAME) ? fg_ind_v(i, IND_NAME) : "");
	char *m = ustr_scrub(buf, false);
	draw_text(y + 1, 2, W - 4, m, strlen(m), AL_LEFT, A_BOLD);
	free(m);
	int x0 = 2;
	if (fv.lay->has_unit_col) {
		draw_text(y + 2, x0, ustr_width("绩效度量单位"), "绩效度量单位", strlen("绩效度量单位"), AL_LEFT, A_NORMAL);
		x0 += ustr_width("绩效度量单位") + 1 + 8 + 2;
	}
	const struct ind_check *ic = i < fv.sh.chk->n_ind ? &fv.sh.chk->ind[i] : NULL;
	snprintf(buf, sizeof buf, "年度指标值 %s %s   实际完成值 %s   %s",
		 fg_ind_v(i, IND_NATURE) ? fg_ind_v(i, IND_NATURE) : "", fg_ind_v(i, IND_TARGET) ? fg_ind_v(i, IND_TARGET) : "",
		 fg_ind_v(i, IND_ACTUAL) ? fg_ind_v(i, IND_ACTUAL) : "",
		 ic && ic->has_suggestion ? ic->explain : "");
	(void)nb;
	m = ustr_scrub(buf, false);
	draw_text(y + 2, x0, W - 2 - x0, m, strlen(m), AL_LEFT, A_NORMAL);
	free(m);
	draw_text(y + 3, 2, ustr_width("偏差原因分析及改进措施"), "偏差原因分析及改进措施",
		  strlen("偏差原因分析及改进措施"), AL_LEFT, A_NORMAL);
	for (int k = fv.nhdr; k < fv.nc; k++)
		if (fv.cells[k].flags & F_PANEL && fv.cells[k].ind == fv.row_ctx)
			fd_cell(&fv.cells[k]);
	draw_clip(fv.body_top, fv.body_top + fv.body_h);
}

void fd_place_cursor(void)
{
	if (!fv.editing || fv.focus < 0) {
		curs_set(0);
		return;
	}
	const struct cell *c = &fv.cells[fv.focus];
	int line, col, y;
	cursor_pos(c->w, &line, &col);
	if (c->flags & F_PANEL) {
		y = fv.panel_y + c->py + (line >= c->ph ? c->ph - 1 : line);
	} else {
		int cy, ch;
		fg_cell_rows(c, &cy, &ch);
		y = sy(cy + line);
	}
	int x = c->x + (col > c->w ? c->w : col);
	if (y >= 0 && y < LINES && x < COLS) {
		curs_set(1);
		move(y, x);
	} else
		curs_set(0);
}

/* The form from form line `from` down (everything: from = 0). */
void fd_body_from(int from)
{
	int lo = from > fv.top ? from : fv.top;
	drawn_move(sy(lo), 0, true, LINES);	/* those lines are wiped below */
	draw_clip(fv.body_top, fv.body_top + fv.body_h);
	for (int y = sy(lo); y < fv.body_top + fv.body_h; y++) {
		move(y, 0);
		clrtoeol();
	}
	for (int k = 0; k < fv.nb; k++) {
		const struct band *b = &fv.bands[k];
		if (b->y + b->h < lo || b->y - 1 >= fv.top + fv.body_h)
			continue;
		if (b->sep)
			draw_sep(k);
		draw_band_borders(k);
	}
	for (int i = 0; i < fv.nc; i++) {
		const struct cell *c = &fv.cells[i];
		if (c->flags & (F_PANEL | F_COVERED))
			continue;
		int y, h;
		fg_cell_rows(c, &y, &h);
		if (y + h < lo || y >= fv.top + fv.body_h)
			continue;
		fd_cell(c);
	}
	if (fv.focus >= 0 && fv.cells[fv.focus].flags & F_COVERED)
		fd_cell(&fv.cells[fv.focus]);
	draw_bottom();
}

void fd_body(void)
{
	fd_body_from(0);
}

/* Band k grew (or shrank) by delta lines; it ended at form line old_end.
 * Shift the screen lines below it instead of drawing them again, then draw
 * band k and what crosses it.  False if this is not such a simple case. */
bool fd_shift_below(int k, int old_end, int delta)
{
	if (delta == 0 || k + 1 >= fv.nb)
		return false;
	if (fv.bands[k + 1].y - (fv.bands[k + 1].sep ? 1 : 0) != old_end + delta)
		return false;	/* more than band k moved */
	int y = sy(old_end + (delta < 0 ? delta : 0));
	int bottom = fv.body_top + fv.body_h;
	if (y < fv.body_top || y >= bottom)
		return false;
	/* Only the body's lines from y down move (a scrolling region): the
	 * status lines and the key line below it stay, and so does the top. */
	setscrreg(y, bottom - 1);
	scrollok(stdscr, TRUE);
	scrl(-delta);
	scrollok(stdscr, FALSE);
	setscrreg(0, LINES - 1);
	drawn_move(delta > 0 ? y : y - delta, delta, false, bottom);
	if (delta < 0)	/* lines come up from below the view */
		fd_body_from(fv.top + fv.body_h + delta - 1);
	draw_clip(fv.body_top, bottom);
	draw_band_borders(k);
	/* The cells crossing band k: their lines from band k down, as far as
	 * they can differ from what the scroll left there (below that both
	 * are blank).  The rule under band k moved with the lines below it. */
	const struct band *b = &fv.bands[k];
	for (int i = 0; i < fv.nc; i++) {
		const struct cell *d = &fv.cells[i];
		if (d->flags & (F_PANEL | F_COVERED) || d->band > k || d->band + d->vspan <= k)
			continue;
		int y0, h;
		fg_cell_rows(d, &y0, &h);
		int from = b->y - y0, to = b->y + b->h - y0;
		if (d->nl + (delta > 0 ? delta : 0) > to)
			to = d->nl + (delta > 0 ? delta : 0);
		fd_cell_lines(d, from, to < h ? to : h);
	}
	if (fv.focus >= 0 && fv.cells[fv.focus].flags & F_COVERED)
		fd_cell(&fv.cells[fv.focus]);
	return true;
}

void fd_scroll_to_focus(void)
{
	if (fv.focus < 0)
		return;
	const struct cell *c = &fv.cells[fv.focus];
	int y, h, cl = 0, cc;
	const struct cell *vis = c;
	if (c->flags & F_PANEL) {
		int k = fv.rowcell[(size_t)c->ind * IND_FIELDS + IND_NAME];
		vis = &fv.cells[k];
	}
	if (vis->flags & F_COVERED) {
		y = fv.bands[vis->band].y;
		h = fv.bands[vis->band].h;
	} else
		fg_cell_rows(vis, &y, &h);
	if (fv.editing && !(c->flags & F_PANEL)) {
		cursor_pos(c->w, &cl, &cc);
		if (cl >= fv.body_h - 2) {
			y += cl - (fv.body_h - 2);
			h = fv.body_h - 2;
		}
	}
	int old = fv.top;
	/* never scrolled past the form's end: after the terminal grew, the
	 * form fills it again rather than keeping its last screen's top */
	if (fv.top > fv.form_h - fv.body_h)
		fv.top = fv.form_h - fv.body_h > 0 ? fv.form_h - fv.body_h : 0;
	/* show the rule above and below too */
	if (y - 1 < fv.top)
		fv.top = y - 1;
	if (y + h + 1 > fv.top + fv.body_h)
		fv.top = y + h + 1 - fv.body_h;
	if (h + 2 > fv.body_h)
		fv.top = y - 1;
	if (fv.top < 0)
		fv.top = 0;
	if (fv.top != old)
		fv.full = true;
}

void fd_redraw_all(struct app *a)
{
	fg_measure();
	fd_scroll_to_focus();
	fd_forget_shown();
	erase();
	fd_top(a);
	fd_body();
	fd_panel();
	fd_status();
	fd_keys(a);
	fd_place_cursor();
	fv.full = false;
}
