/*
 * reviewform: the review on the form screen (see review.h).
 *
 * Keys: F8 submits (the lead; refused while errors remain, and they are
 * listed); in the reviewer's mode r / F9 returns with a reason asked in a
 * dialog, a approves; F6 (c for the reviewer) comments on the focused field,
 * F7 marks its comments resolved.  Every move goes
 * through doc_set_status, the same as `jxzp submit / return / approve`, so
 * the store writes it to the history with the user and the time.
 *
 * Promises: only open comments are held, a few per form; a refused move
 * changes nothing and says why; the text of comments and reasons is scrubbed
 * before it reaches the terminal.
 */
#include "config.h"
#include "review.h"
#include "draw.h"
#include "edit.h"
#include "i18n.h"
#include "store_triage.h"
#include "ustr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cmt {
	char *uuid, *path, *author, *at, *text;
};

static struct {
	struct cmt *v;
	size_t n, cap;
	struct store *s;
	int64_t id;
	int64_t triage_id;	/* the form the pager opened (rvf_triage_for) */
	struct tr_list sig;	/* its triage signals */
} cm;

static int collect(const struct comment_row *r, void *arg)
{
	(void)arg;
	if (cm.n == cm.cap) {
		cm.cap = cm.cap ? 2 * cm.cap : 8;
		cm.v = realloc(cm.v, cm.cap * sizeof *cm.v);
		if (!cm.v)
			abort();
	}
	struct cmt *c = &cm.v[cm.n++];
	c->uuid = xstrdup(r->uuid);
	c->path = xstrdup(r->path ? r->path : "");
	c->author = ustr_scrub(r->author ? r->author : "", false);
	c->at = xstrdup(r->at ? r->at : "");
	c->text = ustr_scrub(r->text ? r->text : "", false);
	return 0;
}

void rvf_close(void)
{
	for (size_t i = 0; i < cm.n; i++) {
		struct cmt *c = &cm.v[i];
		free(c->uuid); free(c->path); free(c->author); free(c->at); free(c->text);
	}
	free(cm.v);
	tr_list_free(&cm.sig);
	int64_t keep = cm.triage_id;
	memset(&cm, 0, sizeof cm);
	cm.triage_id = keep;
}

void rvf_triage_for(int64_t id)
{
	cm.triage_id = id;
}

bool rvf_signal_at(const char *path)
{
	for (size_t i = 0; path && *path && i < cm.sig.n; i++)
		if (tr_points_at(&cm.sig.v[i], path))
			return true;
	return false;
}

/* The signal pointing at path as one line. */
static bool signal_line(const char *path, char *buf, size_t len)
{
	for (size_t i = 0; path && *path && i < cm.sig.n; i++)
		if (tr_points_at(&cm.sig.v[i], path)) {
			char why[512];
			tr_reason(&cm.sig.v[i], why, sizeof why);
			char *safe = ustr_scrub(why, false);
			snprintf(buf, len, "%s %s：%s", RVF_SIGNAL_MARK,
				 tr_code_title(cm.sig.v[i].code), safe);
			free(safe);
			return true;
		}
	return false;
}

void rvf_open(struct store *s, int64_t id)
{
	rvf_close();
	cm.s = s;
	cm.id = id;
	/* a failure leaves no comments shown; the form itself still opens */
	store_comment_list(s, id, false, collect, NULL);
	/* the pager refreshed the triage before it listed this form */
	if (cm.triage_id == id)
		store_triage_get(s, id, &cm.sig, NULL);
}

bool rvf_marked(const char *path)
{
	if (!path || !*path)
		return false;
	for (size_t i = 0; i < cm.n; i++)
		if (strcmp(cm.v[i].path, path) == 0)
			return true;
	return false;
}

bool rvf_comment_line(const char *path, char *buf, size_t len)
{
	const struct cmt *last = NULL;
	int n = 0;
	for (size_t i = 0; path && *path && i < cm.n; i++)
		if (strcmp(cm.v[i].path, path) == 0) {
			last = &cm.v[i];
			n++;
		}
	if (!last)
		return signal_line(path, buf, len);
	/* "2026-11-25T12:40:07Z" -> "11-25 12:40" */
	char when[16] = "";
	if (strlen(last->at) >= 16)
		snprintf(when, sizeof when, "%.5s %.5s", last->at + 5, last->at + 11);
	char more[64] = "";
	if (n > 1)
		snprintf(more, sizeof more, _(" (+%d more)"), n - 1);
	snprintf(buf, len, "%s %s %s：%s%s", RVF_MARK, last->author, when, last->text, more);
	return true;
}

/* ---- the prompt ------------------------------------------------------------------ */

char *rvf_ask(struct app *a, const char *title, const char *prompt, const char *init)
{
	struct ebuf e;
	eb_init(&e, init ? init : "", false);
	char *answer = NULL;
	for (;;) {
		int w = COLS - 4 < 72 ? COLS - 4 : 72, h = 8;
		int y = (LINES - h) / 2, x = (COLS - w) / 2, tw = w - 4;
		draw_clip(0, LINES);
		draw_frame(y, x, h, w, A_NORMAL);
		char *t = ustr_scrub(title, false);
		char tb[512];
		snprintf(tb, sizeof tb, " %s ", t);
		free(t);
		draw_text(y, x + 2, w - 4, tb, strlen(tb), AL_LEFT, A_BOLD);
		draw_text(y + 1, x + 2, tw, prompt, strlen(prompt), AL_LEFT, A_NORMAL);
		/* the text wrapped in three lines; the cursor's line is always shown */
		size_t st[256], ln[256];
		size_t nl = ustr_wrap(e.s, tw, st, ln, 256);
		int cl, cc;
		eb_cursor_pos(&e, tw, &cl, &cc);
		int first = cl >= 3 ? cl - 2 : 0;
		for (int l = 0; l < 3; l++) {
			size_t i = (size_t)(first + l);
			const char *s = i < nl && i < 256 ? e.s + st[i] : "";
			size_t n = i < nl && i < 256 ? ln[i] : 0;
			draw_text(y + 2 + l, x + 2, tw, s, n, AL_LEFT, A_UNDERLINE);
		}
		const char *hint = _("Enter done  Esc cancel");
		draw_text(y + h - 2, x + 2, tw, hint, strlen(hint), AL_LEFT, draw_attr(ST_DIM));
		curs_set(1);
		move(y + 2 + cl - first, x + 2 + (cc > tw ? tw : cc));
		refresh();
		int k = app_getkey(a);
		if (k == K_ESC)
			break;
		if (k == '\n') {
			if (e.s[strspn(e.s, " \t")]) {
				answer = xstrdup(e.s);
				break;
			}
			continue;
		}
		if (k == KF(KEY_RESIZE))
			continue;
		dlg_edit_key(a, &e, k, tw);
	}
	eb_free(&e);
	curs_set(0);
	return answer;
}

/* ---- keys ------------------------------------------------------------------------- */

enum act { A_NONE, A_RETURN, A_APPROVE, A_COMMENT, A_RESOLVE };

static enum act action(const struct app *a, bool ro, int k)
{
	bool reviewing = a->mode == SCREEN_REVIEW;
	switch (k) {
	case KF(KEY_F(6)): return A_COMMENT;
	case KF(KEY_F(7)): return A_RESOLVE;
	case KF(KEY_F(9)): return reviewing ? A_RETURN : A_NONE;
	}
	/* letters only where typing does not edit: the reviewer's read-only form */
	if (!reviewing || !ro)
		return A_NONE;
	switch (k) {
	case 'r': return A_RETURN;
	case 'a': return A_APPROVE;
	case 'c': return A_COMMENT;
	}
	return A_NONE;
}

bool rvf_wants(const struct app *a, bool ro, int k)
{
	return action(a, ro, k) != A_NONE;
}

static enum rvf_result move_to(struct doc *d, enum form_status to, const char *reason,
			       char *msg, size_t len, int *sev)
{
	int rc = doc_set_status(d, to, reason);
	if (rc != STORE_OK) {
		snprintf(msg, len, _("Not done: %s"), d->err);
		*sev = 0;
		return to == STATUS_SUBMITTED && d->chk->errors > 0 ? RVF_FINDINGS : RVF_SAID;
	}
	static const char *const done[] = {
		[STATUS_SUBMITTED] = N_("Submitted: the form is read-only until a reviewer returns it."),
		[STATUS_RETURNED] = N_("Returned to the unit with the reason."),
		[STATUS_APPROVED] = N_("Approved."),
	};
	snprintf(msg, len, "%s", _(done[to]));
	*sev = 2;
	return RVF_STATUS;
}

void rvf_question(const struct doc *d, const char *fmt, char *out, size_t len)
{
	const struct form *f = d->f;
	char name[768], list[512] = "";
	snprintf(name, sizeof name, _("“%s” (%s, %d)"), f->project ? f->project : "",
		 f->unit ? f->unit : "", f->year);
	size_t o = 0;
	int shown = 0;
	for (size_t i = 0; i < d->chk->n_findings; i++) {
		const struct finding *x = &d->chk->findings[i];
		if (x->severity != SEV_WARNING)
			continue;
		char lab[128];
		form_path_label(x->field, lab, sizeof lab);
		if (shown++ < 3 && o < sizeof list)
			o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", o ? _(", ") : "", lab);
		else if (shown == 4 && o < sizeof list)
			o += (size_t)snprintf(list + o, sizeof list - o, "%s", _(", …"));
	}
	int n = snprintf(out, len, fmt, name);
	if (n < 0 || (size_t)n >= len)
		return;
	if (d->chk->warnings == 0)
		snprintf(out + n, len - (size_t)n, " %s", _("No warnings are left."));
	else
		snprintf(out + n, len - (size_t)n, ngettext(" %d warning is left: %s.", " %d warnings are left: %s.",
							    (unsigned long)d->chk->warnings),
			 d->chk->warnings, list);
}

enum rvf_result rvf_key(struct app *a, struct doc *d, const char *path, int k,
			char *msg, size_t len, int *sev)
{
	bool ro = d->f->status == STATUS_SUBMITTED || d->f->status == STATUS_APPROVED ||
		  a->mode == SCREEN_REVIEW;
	char lab[128] = "";
	if (path && *path)
		form_path_label(path, lab, sizeof lab);
	switch (action(a, ro, k)) {
	case A_NONE:
		return RVF_NONE;
	case A_APPROVE: {
		char q[2048];
		rvf_question(d, _("Approve %s?"), q, sizeof q);
		if (!dlg_confirm(a, q))
			return RVF_REDRAW;
		return move_to(d, STATUS_APPROVED, NULL, msg, len, sev);
	}
	case A_RETURN: {
		if (d->f->status != STATUS_SUBMITTED)
			return move_to(d, STATUS_RETURNED, "-", msg, len, sev);	/* says why not */
		char *why = rvf_ask(a, _("Return the form to its unit"),
				    _("Reason (the unit reads it on the form):"), NULL);
		if (!why)
			return RVF_REDRAW;
		enum rvf_result r = move_to(d, STATUS_RETURNED, why, msg, len, sev);
		free(why);
		return r == RVF_SAID ? RVF_REDRAW : r;
	}
	case A_COMMENT: {
		char title[256];
		if (*lab)
			snprintf(title, sizeof title, _("Comment on %s"), lab);
		else
			snprintf(title, sizeof title, "%s", _("Comment on the form"));
		char *text = rvf_ask(a, title, _("Comment (the unit sees it beside the field):"), NULL);
		if (!text)
			return RVF_REDRAW;
		int rc = store_comment_add(d->s, d->f->id, path && *path ? path : NULL, text, NULL);
		free(text);
		if (rc != STORE_OK) {
			snprintf(msg, len, _("Comment not saved: %s"), store_errmsg(d->s));
			*sev = 0;
		} else {
			snprintf(msg, len, "%s", _("Comment saved."));
			*sev = 2;
			rvf_open(d->s, d->f->id);
		}
		return RVF_REDRAW;
	}
	case A_RESOLVE: {
		int n = 0, bad = 0;
		for (size_t i = 0; path && *path && i < cm.n; i++)
			if (strcmp(cm.v[i].path, path) == 0) {
				if (store_comment_resolve(d->s, cm.v[i].uuid) == STORE_OK)
					n++;
				else
					bad++;
			}
		if (n == 0 && bad == 0) {
			snprintf(msg, len, "%s", _("No open comment on this field."));
			*sev = 2;
			return RVF_SAID;
		}
		if (bad)
			snprintf(msg, len, _("Could not mark resolved: %s"), store_errmsg(d->s));
		else
			snprintf(msg, len, ngettext("%d comment marked resolved.",
						    "%d comments marked resolved.", (unsigned long)n), n);
		*sev = bad ? 0 : 2;
		rvf_open(d->s, d->f->id);
		return RVF_REDRAW;
	}
	}
	return RVF_NONE;
}
