/*
 * dialog: small modal windows over the active screen — a list to pick from,
 * a yes/no question, a message, and the new-form dialog.  Each runs its own
 * short key loop through app_getkey (so a resize redraws the screen under
 * it) and returns; the caller redraws.  Nothing here touches the store.
 */
#include "config.h"
#include "app.h"
#include "draw.h"
#include "edit.h"
#include "form.h"
#include "i18n.h"
#include "rules.h"
#include "ustr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool dlg_edit_key(struct app *a, struct ebuf *e, int k, int width)
{
	if (k == K_PASTE) {
		eb_insert(e, a->paste, a->paste_len);
		return true;
	}
	if (k >= 0x20 && k < K_FN && k != 0x7f) {
		char mb[8];
		int n = 0;
		unsigned cp = (unsigned)k;
		if (cp < 0x80) {
			mb[n++] = (char)cp;
		} else if (cp < 0x800) {
			mb[n++] = (char)(0xc0 | (cp >> 6));
			mb[n++] = (char)(0x80 | (cp & 0x3f));
		} else if (cp < 0x10000) {
			mb[n++] = (char)(0xe0 | (cp >> 12));
			mb[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			mb[n++] = (char)(0x80 | (cp & 0x3f));
		} else {
			mb[n++] = (char)(0xf0 | (cp >> 18));
			mb[n++] = (char)(0x80 | ((cp >> 12) & 0x3f));
			mb[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			mb[n++] = (char)(0x80 | (cp & 0x3f));
		}
		eb_insert(e, mb, (size_t)n);
		return true;
	}
	enum eb_op op;
	switch (k) {
	case KF(KEY_BACKSPACE): case 0x7f: op = EB_BACKSPACE; break;
	case KF(KEY_DC): case CTRL('D'): op = EB_DELETE; break;
	case KF(KEY_LEFT): op = EB_LEFT; break;
	case KF(KEY_RIGHT): op = EB_RIGHT; break;
	case KF(KEY_HOME): case CTRL('A'): op = EB_HOME; break;
	case KF(KEY_END): case CTRL('E'): op = EB_END; break;
	case CTRL('K'): op = EB_KILL_END; break;
	case CTRL('U'): op = EB_KILL_START; break;
	case CTRL('W'): op = EB_KILL_WORD; break;
	default: return false;
	}
	eb_apply(e, op, width);
	return true;
}

/* A box centred on the screen. */
static void dlg_box(int h, int w, int *y, int *x, const char *title)
{
	if (w > COLS - 2)
		w = COLS - 2;
	if (h > LINES - 2)
		h = LINES - 2;
	*y = (LINES - h) / 2;
	*x = (COLS - w) / 2;
	draw_clip(0, LINES);
	draw_frame(*y, *x, h, w, A_NORMAL);
	if (title) {
		char *t = ustr_scrub(title, false);
		int tw = ustr_width(t) + 2;
		if (tw > w - 4)
			tw = w - 4;
		char buf[1024];
		snprintf(buf, sizeof buf, " %s ", t);
		draw_text(*y, *x + 2, tw, buf, strlen(buf), AL_LEFT, A_BOLD);
		free(t);
	}
}

int dlg_pick(struct app *a, const char *title, const char *const *items, int n, int sel)
{
	if (n <= 0)
		return -1;
	int top = 0;
	for (;;) {
		int w = 20;
		for (int i = 0; i < n; i++) {
			int iw = ustr_width(items[i]) + 6;
			if (iw > w)
				w = iw;
		}
		if (ustr_width(title) + 8 > w)
			w = ustr_width(title) + 8;
		if (w > COLS - 4)
			w = COLS - 4;
		int rows = n < LINES - 6 ? n : LINES - 6;
		if (rows < 1)
			rows = 1;
		int y, x;
		dlg_box(rows + 3, w, &y, &x, title);
		if (sel < top)
			top = sel;
		if (sel >= top + rows)
			top = sel - rows + 1;
		for (int i = 0; i < rows && top + i < n; i++) {
			char *t = ustr_scrub(items[top + i], false);
			draw_text(y + 1 + i, x + 2, w - 4, t, strlen(t), AL_LEFT,
				  top + i == sel ? draw_attr(ST_FOCUS) : A_NORMAL);
			free(t);
		}
		const char *hint = _("Enter choose  Esc cancel");
		draw_text(y + rows + 1, x + 2, w - 4, hint, strlen(hint), AL_LEFT, draw_attr(ST_DIM));
		curs_set(0);
		refresh();
		int k = app_getkey(a);
		switch (k) {
		case KF(KEY_UP): if (sel > 0) sel--; break;
		case KF(KEY_DOWN): case '\t': if (sel + 1 < n) sel++; break;
		case KF(KEY_PPAGE): sel = sel > rows ? sel - rows : 0; break;
		case KF(KEY_NPAGE): sel = sel + rows < n ? sel + rows : n - 1; break;
		case KF(KEY_HOME): sel = 0; break;
		case KF(KEY_END): sel = n - 1; break;
		case '\n': case ' ': return sel;
		case K_ESC: case 'q': case CTRL('C'): return -1;
		case K_MOUSE:
			if (a->mouse_y > y && a->mouse_y <= y + rows && top + a->mouse_y - y - 1 < n)
				return top + a->mouse_y - y - 1;
			break;
		default:
			if (k > '0' && k <= '9' && k - '1' < n)
				return k - '1';
		}
	}
}

/* Wrapped text in a box; returns the line after it. */
static int text_box(const char *title, const char *text, const char *hint, int *bx, int *bw)
{
	char *t = ustr_scrub(text, true);
	int w = COLS - 8 < 70 ? COLS - 8 : 70;
	size_t st[32], ln[32];
	size_t n = ustr_wrap(t, w - 4, st, ln, 32);
	if (n > 32)
		n = 32;
	int y, x;
	dlg_box((int)n + 4, w, &y, &x, title);
	for (size_t i = 0; i < n; i++)
		draw_text(y + 1 + (int)i, x + 2, w - 4, t + st[i], ln[i], AL_LEFT, A_NORMAL);
	draw_text(y + (int)n + 2, x + 2, w - 4, hint, strlen(hint), AL_LEFT, A_BOLD);
	free(t);
	*bx = x;
	*bw = w;
	return y + (int)n + 2;
}

bool dlg_confirm(struct app *a, const char *question)
{
	for (;;) {
		int x, w;
		text_box(NULL, question, _("y yes   n no"), &x, &w);
		curs_set(0);
		refresh();
		int k = app_getkey(a);
		if (k == 'y' || k == 'Y')
			return true;
		if (k == 'n' || k == 'N' || k == K_ESC || k == '\n' || k == 'q')
			return false;
	}
}

void dlg_message(struct app *a, const char *text)
{
	for (;;) {
		int x, w;
		text_box(NULL, text, _("any key continues"), &x, &w);
		curs_set(0);
		refresh();
		if (app_getkey(a) != KF(KEY_RESIZE))
			return;
	}
}

enum { NF_UNIT, NF_YEAR, NF_PROJECT, NF_DEPT, NF_LAYOUT, NF_RULES, NF_OK, NF_COUNT };

bool dlg_new_form(struct app *a, struct dlg_new *n)
{
	static const char *const labels[NF_COUNT] = {
		"实施单位", "年度", "项目名称", "主管部门", "表样", "评分规则", "",
	};
	struct ebuf e[4];
	char year[16];
	snprintf(year, sizeof year, "%d", n->year);
	eb_init(&e[NF_UNIT], n->unit, false);
	eb_init(&e[NF_YEAR], year, false);
	eb_init(&e[NF_PROJECT], n->project, false);
	eb_init(&e[NF_DEPT], n->department, false);
	int nlay = 0, lay = 0, nrs = (int)ruleset_count(), rs = 0;
	while (layouts[nlay].key) {
		if (strcmp(layouts[nlay].key, n->layout) == 0)
			lay = nlay;
		nlay++;
	}
	for (int i = 0; i < nrs; i++)
		if (strcmp(ruleset_at((size_t)i)->name, n->ruleset) == 0)
			rs = i;
	int focus = n->unit[0] ? NF_PROJECT : NF_UNIT;
	char err[256] = "";
	bool done = false, ok = false;
	while (!done) {
		int w = COLS - 8 < 72 ? COLS - 8 : 72, y, x;
		dlg_box(NF_COUNT + 6, w, &y, &x, _("New form"));
		int lw = 10, fx = x + 3 + lw, fw = w - lw - 6;
		int cy = -1, cxp = 0;
		for (int i = 0; i < NF_COUNT; i++) {
			int ly = y + 2 + i;
			attr_t at = i == focus ? draw_attr(ST_FOCUS) : A_UNDERLINE;
			draw_text(ly, x + 2, lw, labels[i], strlen(labels[i]), AL_LEFT, A_NORMAL);
			if (i < 4) {
				char *t = ustr_scrub(e[i].s, false);
				int before = ustr_width_n(e[i].s, e[i].cur);
				const char *show = t;
				/* long text: show the end where the cursor is */
				while (before >= fw && *show) {
					size_t nx = ustr_next(show, strlen(show), 0);
					before -= ustr_width_n(show, nx);
					show += nx;
				}
				draw_text(ly, fx, fw, show, strlen(show), AL_LEFT, at);
				if (i == focus) {
					cy = ly;
					cxp = fx + before;
				}
				free(t);
			} else if (i == NF_LAYOUT || i == NF_RULES) {
				char buf[256];
				if (i == NF_LAYOUT)
					snprintf(buf, sizeof buf, "‹ %s ›", _(layouts[lay].title));	/* not its id */
				else
					snprintf(buf, sizeof buf, "‹ %s · %s ›", ruleset_at((size_t)rs)->name,
						 ruleset_at((size_t)rs)->title);
				draw_text(ly, fx, fw, buf, strlen(buf), AL_LEFT, at);
			} else {
				char buf[128];
				snprintf(buf, sizeof buf, "[ %s ]", _("Create"));
				draw_text(ly, fx, ustr_width(buf), buf, strlen(buf), AL_LEFT, at);
			}
		}
		draw_text(y + NF_COUNT + 3, x + 2, w - 4, err, strlen(err), AL_LEFT, draw_attr(ST_ERROR));
		const char *hint = _("Tab next field  ←/→ change choice  Enter create  Esc cancel");
		draw_text(y + NF_COUNT + 4, x + 2, w - 4, hint, strlen(hint), AL_LEFT, draw_attr(ST_DIM));
		if (cy >= 0) {
			curs_set(1);
			move(cy, cxp);
		} else
			curs_set(0);
		refresh();
		int k = app_getkey(a);
		if (k == KF(KEY_RESIZE))
			continue;
		if (k == K_ESC || k == CTRL('C')) {
			done = true;
			continue;
		}
		if (k == '\t' || k == KF(KEY_DOWN)) {
			focus = (focus + 1) % NF_COUNT;
			continue;
		}
		if (k == KF(KEY_BTAB) || k == KF(KEY_UP)) {
			focus = (focus + NF_COUNT - 1) % NF_COUNT;
			continue;
		}
		if (focus == NF_LAYOUT || focus == NF_RULES) {
			int *v = focus == NF_LAYOUT ? &lay : &rs, m = focus == NF_LAYOUT ? nlay : nrs;
			if (k == KF(KEY_RIGHT) || k == ' ') {
				*v = (*v + 1) % m;
				continue;
			}
			if (k == KF(KEY_LEFT)) {
				*v = (*v + m - 1) % m;
				continue;
			}
		}
		if (k == '\n') {
			if (focus < NF_LAYOUT && focus != NF_DEPT) {
				focus++;
				continue;
			}
			/* check and create */
			char *end;
			long yv = strtol(e[NF_YEAR].s, &end, 10);
			if (!e[NF_UNIT].len || !e[NF_PROJECT].len) {
				snprintf(err, sizeof err, "%s", _("实施单位 and 项目名称 are required."));
				focus = !e[NF_UNIT].len ? NF_UNIT : NF_PROJECT;
			} else if (*end || yv < 1990 || yv > 2100) {
				snprintf(err, sizeof err, "%s", _("年度 must be a year such as 2024."));
				focus = NF_YEAR;
			} else {
				snprintf(n->unit, sizeof n->unit, "%s", e[NF_UNIT].s);
				snprintf(n->project, sizeof n->project, "%s", e[NF_PROJECT].s);
				snprintf(n->department, sizeof n->department, "%s", e[NF_DEPT].s);
				n->year = (int)yv;
				n->layout = layouts[lay].key;
				n->ruleset = ruleset_at((size_t)rs)->name;
				ok = done = true;
			}
			continue;
		}
		if (focus < 4)
			dlg_edit_key(a, &e[focus], k, fw);
	}
	for (int i = 0; i < 4; i++)
		eb_free(&e[i]);
	curs_set(0);
	return ok;
}
