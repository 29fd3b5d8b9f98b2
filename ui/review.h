/*
 * review: the review's pieces on the form screen (ui/reviewform.c) — the
 * comments of the open form (the ※ mark, the comment of the focused field)
 * and the keys that move a form through review (submit, return, approve)
 * or comment on it.  The form view calls these through a few hooks, so
 * the review lives here and ui/formview.c stays about the paper form.
 */
#ifndef JXZP_REVIEW_H
#define JXZP_REVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "app.h"
#include "doc.h"

/* The mark of a field with an open comment (one column, plain text). */
#define RVF_MARK "※"

/* Load / forget the open comments of form id. */
void rvf_open(struct store *s, int64_t id);
void rvf_close(void);
/* Has the field at path an open comment? */
bool rvf_marked(const char *path);
/* The newest open comment on path as one line for the status area, else
 * the triage signal pointing at it (a form opened from the pager); false if none. */
bool rvf_comment_line(const char *path, char *buf, size_t len);
/* The pager is opening form id: its triage signals are shown (rvf_open). */
void rvf_triage_for(int64_t id);
/* Does a triage signal of the open form point at path? (marked like a finding, n/N reach it) */
bool rvf_signal_at(const char *path);
/* The mark of a field a triage signal points at. */
#define RVF_SIGNAL_MARK "⚑"

/* What a review key did; the form view follows up. */
enum rvf_result {
	RVF_NONE,	/* not a review key here */
	RVF_SAID,	/* a message in msg; redraw the status */
	RVF_REDRAW,	/* comments changed: redraw everything */
	RVF_STATUS,	/* the form's status changed: reload it from the doc */
	RVF_FINDINGS,	/* submit refused for errors: show the findings */
};
/* Is k a review key on this form (ro: the form is read-only on screen)?
 * The form view saves the field being edited before calling rvf_key. */
bool rvf_wants(const struct app *a, bool ro, int k);
/* Handles k on the form of d, with the focused field's path ("" for none).
 * Messages go to msg with their severity (0 error, 1 warning, 2 note). */
enum rvf_result rvf_key(struct app *a, struct doc *d, const char *path, int k,
			char *msg, size_t len, int *sev);

/* A one-line text prompt in a box; a malloc'd answer, or NULL on Esc. */
char *rvf_ask(struct app *a, const char *title, const char *prompt, const char *init);
/* The question before submitting or approving (fmt: "Approve %s?"), naming
 * the form — project, unit, year — and the warnings left on it. */
void rvf_question(const struct doc *d, const char *fmt, char *out, size_t len);

#endif
