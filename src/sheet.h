/*
 * sheet: one form being edited on the screen, without the screen.
 *
 * The form screen shows `live` — the saved form (the doc) plus the edit in
 * progress — and `chk`, the rules run on it.  Every change the screen makes
 * goes through here: typing (sheet_type), leaving a field (sheet_commit),
 * the computed figures written after a figure changes, F2, rows, undo and
 * redo, a reload.  After each of them but typing, `live` is a copy of what
 * the store holds and `chk` its check, so the screen's marks, its findings
 * list and its total are those `jxzp check` gives for the saved form
 * (tests/unit/test_sheet.c drives this path with random edits to show it).
 */
#ifndef JXZP_SHEET_H
#define JXZP_SHEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "doc.h"
#include "form.h"
#include "rules.h"
#include "store.h"

struct sheet_undo {
	int kind;		/* SU_SET, SU_ADD, SU_DEL, SU_MOVE */
	int group;		/* entries of one group are undone together */
	char *path, *old, *new;
	size_t at, to;
	char *row[IND_FIELDS];	/* SU_DEL: the row deleted */
};
enum { SU_SET, SU_ADD, SU_DEL, SU_MOVE };

struct sheet {
	struct doc d;		/* as saved */
	struct form *live;	/* as shown: saved plus the edit in progress */
	struct check *chk;	/* the rules on live */
	bool chk_now;		/* chk is the check of live as it is now, so
				 * typing may run the rules on the typed cell
				 * alone (rules_rerun) */
	struct sheet_undo *undo, *redo;
	size_t nu, capu, nr, capr;
	int group;
	bool reloaded;		/* a save found the form changed elsewhere: it
				 * was loaded again and the change put on top */
	/* SHEET_CLASH: the field being saved was itself changed elsewhere
	 * since this sheet loaded it; nothing was saved, a person decides
	 * (sheet_settle_clash) */
	char *clash_path, *clash_mine, *clash_theirs;
	bool clash_figure;
	char undone[48];	/* the last field an undo or redo changed */
};

/* STORE_* codes, and SHEET_CLASH; a message for people in sh->d.err. */
enum { SHEET_CLASH = -100 };
int sheet_open(struct sheet *sh, struct store *s, int64_t id);
void sheet_close(struct sheet *sh);

/* The edit in progress: live only, the rules again; nothing is saved. */
void sheet_type(struct sheet *sh, const char *path, const char *text);

/* A new undo group: the changes made until the next one are undone together. */
void sheet_group(struct sheet *sh);
/* Save one field (recorded for undo in the current group); live follows.
 * Does not settle: call sheet_settle after a series. */
int sheet_set(struct sheet *sh, const char *path, const char *value);
/* The computed figures the paper prints (执行率, the budget score, 总分 and
 * its grade) written into the saved form where they are missing or the
 * rules find them wrong, except `keep` (the cell a person just typed;
 * NULL for none).  Same undo group. */
int sheet_sync_computed(struct sheet *sh, const char *keep);
/* live = the saved form again, and its check. */
void sheet_settle(struct sheet *sh);

/* Leaving a field: save value at path as one undo group; when the field
 * is a figure, the computed figures follow (sheet_sync_computed); then
 * settle.  On failure nothing is saved and live keeps the text. */
int sheet_commit(struct sheet *sh, const char *path, const char *value, bool figure);

/* What the rules compute for a computed cell's path ("funds.total.rate",
 * "funds.total.score", "total.weight", "total.score", "total.grade"), from
 * the saved form, or NULL when the path is not one or nothing can be
 * computed.  May be formatted into buf. */
#define SHEET_BUFSZ 48
const char *sheet_computed(const struct sheet *sh, const char *path, char buf[SHEET_BUFSZ]);
/* F2 on a computed cell: its computed value saved, the other computed
 * figures after it; settled.  STORE_BADPATH when there is nothing to take. */
int sheet_take_computed(struct sheet *sh, const char *path);
/* F2 on a row: its suggested score saved, the computed figures after it. */
int sheet_take_suggestion(struct sheet *sh, size_t row);

/* Rows (one undo group each); settled. */
int sheet_add_row(struct sheet *sh, size_t at);
int sheet_del_row(struct sheet *sh, size_t at);
int sheet_move_row(struct sheet *sh, size_t from, size_t to);

/* Undo (back) or redo the last group; settled.  STORE_NOTFOUND when there
 * is nothing to undo or redo; the field it changed in sh->undone. */
int sheet_undo(struct sheet *sh, bool back);

/* Load the form from the store again (it changed elsewhere); settled. */
int sheet_reload(struct sheet *sh);
/* After SHEET_CLASH: the form is loaded again and, when `mine`, the value
 * typed here saved on top (the other stays in the history); otherwise the
 * value saved elsewhere stays and the typed one goes.  Settled. */
int sheet_settle_clash(struct sheet *sh, bool mine);

#endif
