/*
 * sheet: one form being edited, the screen's path from a keystroke to the
 * store and back (see sheet.h).  The screen (ui/formview.c) only draws
 * what this leaves in live and chk.
 */
#include "config.h"
#include "sheet.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void push(struct sheet_undo **st, size_t *n, size_t *cap, struct sheet_undo u)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		*st = realloc(*st, *cap * sizeof **st);
		if (!*st)
			abort();
	}
	(*st)[(*n)++] = u;
}

static void undo_free(struct sheet_undo *u)
{
	free(u->path);
	free(u->old);
	free(u->new);
	for (int i = 0; i < IND_FIELDS; i++)
		free(u->row[i]);
}

static void clear_redo(struct sheet *sh)
{
	for (size_t i = 0; i < sh->nr; i++)
		undo_free(&sh->redo[i]);
	sh->nr = 0;
}

/* The rules on live, into chk (grown when rows were added). */
static void recheck(struct sheet *sh)
{
	if (!sh->chk || sh->chk->cap_ind < sh->live->n_ind) {
		check_free(sh->chk);
		sh->chk = check_new(sh->live->n_ind * 2 + 8);
	}
	int rc = rules_run(sh->live, sh->d.rs, sh->chk);
	assert(rc == 0);
	(void)rc;
	sh->chk_now = true;
}

int sheet_open(struct sheet *sh, struct store *s, int64_t id)
{
	memset(sh, 0, sizeof *sh);
	int rc = doc_open(&sh->d, s, id);
	if (rc != STORE_OK)
		return rc;
	sh->live = form_copy(sh->d.f);
	recheck(sh);
	return STORE_OK;
}

void sheet_close(struct sheet *sh)
{
	form_free(sh->live);
	check_free(sh->chk);
	doc_close(&sh->d);
	for (size_t i = 0; i < sh->nu; i++)
		undo_free(&sh->undo[i]);
	clear_redo(sh);
	free(sh->undo);
	free(sh->redo);
	free(sh->clash_path);
	free(sh->clash_mine);
	free(sh->clash_theirs);
	memset(sh, 0, sizeof *sh);
}

void sheet_type(struct sheet *sh, const char *path, const char *text)
{
	form_set(sh->live, path, text, NULL);
	if (!sh->chk_now || sh->chk->cap_ind < sh->live->n_ind) {
		recheck(sh);
		return;
	}
	/* only the typed cell changed since chk was made */
	int rc = rules_rerun(sh->live, sh->d.rs, sh->chk, path);
	assert(rc == 0);
	(void)rc;
}

void sheet_group(struct sheet *sh)
{
	sh->group++;
}

void sheet_settle(struct sheet *sh)
{
	form_free(sh->live);
	sh->live = form_copy(sh->d.f);
	recheck(sh);
}

static bool same_value(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;	/* absent and empty read alike */
}

static void clash_clear(struct sheet *sh)
{
	free(sh->clash_path);
	free(sh->clash_mine);
	free(sh->clash_theirs);
	sh->clash_path = sh->clash_mine = sh->clash_theirs = NULL;
	sh->clash_figure = false;
}

/* Save one field through the doc; recorded for undo when `record`. */
static int save(struct sheet *sh, const char *path, const char *value, bool record)
{
	char scratch[FORM_SCRATCH];
	char *old = xstrdup(form_get(sh->d.f, path, scratch));
	if ((old == NULL && value == NULL) || (old && value && strcmp(old, value) == 0)) {
		free(old);
		return STORE_OK;
	}
	int rc = doc_set(&sh->d, path, value);
	if (rc == STORE_STALE) {
		/* changed elsewhere (jxzp set, another window): load what is
		 * saved now; another field changed is merged (this change goes
		 * on top), this very field changed is a clash a person settles */
		struct doc nd;
		if (doc_open(&nd, sh->d.s, sh->d.f->id) == STORE_OK) {
			char sc2[FORM_SCRATCH];
			const char *theirs = form_get(nd.f, path, sc2);
			if (!same_value(theirs, old) && !same_value(theirs, value)) {
				clash_clear(sh);
				sh->clash_path = xstrdup(path);
				sh->clash_mine = xstrdup(value);
				sh->clash_theirs = xstrdup(theirs);
				doc_close(&nd);
				free(old);
				return SHEET_CLASH;
			}
			doc_close(&sh->d);
			sh->d = nd;
			free(old);
			old = xstrdup(form_get(sh->d.f, path, scratch));
			rc = doc_set(&sh->d, path, value);
			if (rc == STORE_OK)
				sh->reloaded = true;
		} else
			doc_close(&nd);
	}
	if (rc != STORE_OK) {
		free(old);
		return rc;
	}
	form_set(sh->live, path, value, NULL);
	sh->chk_now = false;	/* live changed under chk */
	sh->live->version = sh->d.f->version;
	if (record) {
		struct sheet_undo u = { .kind = SU_SET, .group = sh->group, .path = xstrdup(path),
					.old = old, .new = xstrdup(value) };
		push(&sh->undo, &sh->nu, &sh->capu, u);
		clear_redo(sh);
	} else
		free(old);
	return STORE_OK;
}

int sheet_set(struct sheet *sh, const char *path, const char *value)
{
	return save(sh, path, value, true);
}

const char *sheet_computed(const struct sheet *sh, const char *path, char buf[SHEET_BUFSZ])
{
	const struct check *k = sh->d.chk;
	const char *v = NULL;
	if (strcmp(path, "total.weight") == 0) {
		/* the budget's weight and the rows', exact, as the rules add them */
		const struct form *f = sh->d.f;
		num sum, n;
		if (f->funds[FUND_TOTAL][FUND_WEIGHT] && *f->funds[FUND_TOTAL][FUND_WEIGHT]) {
			if (!num_parse(f->funds[FUND_TOTAL][FUND_WEIGHT], &sum))
				return NULL;
		} else
			sum = num_from_int(sh->d.rs->budget_weight);
		for (size_t i = 0; i < f->n_ind; i++) {
			const char *w = f->ind[i].v[IND_WEIGHT];
			if (w && *w && (!num_parse(w, &n) || !num_add(sum, n, &sum)))
				return NULL;
		}
		char nb[NUM_BUFSZ];
		snprintf(buf, SHEET_BUFSZ, "%s", num_str(sum, nb));
		return buf;
	}
	for (int r = 0; r < FUND_ROWS; r++) {
		char p[48];
		snprintf(p, sizeof p, "funds.%s.rate", fund_row_key[r]);
		if (strcmp(path, p) == 0)
			v = k->rate[r];
	}
	if (strcmp(path, "funds.total.score") == 0)
		v = k->budget_score;
	else if (strcmp(path, "total.score") == 0)
		v = k->total_score;
	else if (strcmp(path, "total.grade") == 0)
		v = k->grade;
	return v && *v ? v : NULL;
}

static bool has_error(const struct check *k, const char *path)
{
	const struct finding *out[8];
	size_t nf = rules_findings_for(k, path, out, 8);
	for (size_t j = 0; j < nf && j < 8; j++)
		if (out[j]->severity == SEV_ERROR)
			return true;
	return false;
}

int sheet_sync_computed(struct sheet *sh, const char *keep)
{
	if (sh->d.f->status == STATUS_SUBMITTED || sh->d.f->status == STATUS_APPROVED)
		return STORE_OK;
	char paths[FUND_ROWS + 3][48];
	int n = 0;
	for (int r = 0; r < FUND_ROWS; r++)
		snprintf(paths[n++], sizeof paths[0], "funds.%s.rate", fund_row_key[r]);
	snprintf(paths[n++], sizeof paths[0], "funds.total.score");
	snprintf(paths[n++], sizeof paths[0], "total.score");
	snprintf(paths[n++], sizeof paths[0], "total.grade");
	/* in this order: the budget score follows the rate, 总分 the budget
	 * score, the grade 总分; each read from the check of the last save */
	for (int i = 0; i < n; i++) {
		char scratch[FORM_SCRATCH], val[SHEET_BUFSZ];
		if (keep && strcmp(keep, paths[i]) == 0)
			continue;	/* typed by a person: theirs, marked if wrong */
		const char *v = sheet_computed(sh, paths[i], val);
		if (!v)
			continue;	/* not computable: leave what is printed */
		if (v != val)
			snprintf(val, sizeof val, "%s", v);
		const char *cur = form_get(sh->d.f, paths[i], scratch);
		if (cur && strcmp(cur, val) == 0)
			continue;
		if (cur && *cur && !has_error(sh->d.chk, paths[i]))
			continue;	/* printed otherwise, and right */
		int rc = save(sh, paths[i], val, true);
		if (rc != STORE_OK)
			return rc;
	}
	return STORE_OK;
}

int sheet_commit(struct sheet *sh, const char *path, const char *value, bool figure)
{
	sheet_group(sh);
	int rc = save(sh, path, value, true);
	if (rc == SHEET_CLASH)
		sh->clash_figure = figure;
	if (rc != STORE_OK)
		return rc;	/* live keeps the text being typed */
	if (figure)
		rc = sheet_sync_computed(sh, path);
	sheet_settle(sh);
	return rc;
}

int sheet_take_computed(struct sheet *sh, const char *path)
{
	char val[SHEET_BUFSZ];
	const char *v = sheet_computed(sh, path, val);
	if (!v)
		return STORE_BADPATH;
	if (v != val)
		snprintf(val, sizeof val, "%s", v);
	sheet_group(sh);
	int rc = save(sh, path, val, true);
	if (rc == STORE_OK)
		rc = sheet_sync_computed(sh, NULL);
	sheet_settle(sh);
	return rc;
}

int sheet_take_suggestion(struct sheet *sh, size_t row)
{
	if (row >= sh->d.chk->n_ind || row >= sh->d.f->n_ind || !sh->d.chk->ind[row].has_suggestion)
		return STORE_BADPATH;
	char nb[NUM_BUFSZ], p[48];
	num_fixed(sh->d.chk->ind[row].suggested, 2, nb);
	form_ind_path(p, sizeof p, row, IND_SCORE);
	sheet_group(sh);
	int rc = save(sh, p, nb, true);
	if (rc == STORE_OK)
		rc = sheet_sync_computed(sh, NULL);
	sheet_settle(sh);
	return rc;
}

int sheet_add_row(struct sheet *sh, size_t at)
{
	sheet_group(sh);
	int rc = doc_add_row(&sh->d, at);
	if (rc == STORE_OK) {
		struct sheet_undo u = { .kind = SU_ADD, .group = sh->group, .at = at };
		push(&sh->undo, &sh->nu, &sh->capu, u);
		clear_redo(sh);
	}
	sheet_settle(sh);
	return rc;
}

int sheet_del_row(struct sheet *sh, size_t at)
{
	if (at >= sh->d.f->n_ind)
		return doc_del_row(&sh->d, at);	/* says why */
	sheet_group(sh);
	struct sheet_undo u = { .kind = SU_DEL, .group = sh->group, .at = at };
	for (int f = 0; f < IND_FIELDS; f++)
		u.row[f] = xstrdup(sh->d.f->ind[at].v[f]);
	int rc = doc_del_row(&sh->d, at);
	if (rc == STORE_OK) {
		/* pushed before the figures it changes, so undo puts those back first */
		push(&sh->undo, &sh->nu, &sh->capu, u);
		clear_redo(sh);
		rc = sheet_sync_computed(sh, NULL);
	} else
		undo_free(&u);
	sheet_settle(sh);
	return rc;
}

int sheet_move_row(struct sheet *sh, size_t from, size_t to)
{
	sheet_group(sh);
	int rc = doc_move_row(&sh->d, from, to);
	if (rc == STORE_OK && from != to) {
		struct sheet_undo u = { .kind = SU_MOVE, .group = sh->group, .at = from, .to = to };
		push(&sh->undo, &sh->nu, &sh->capu, u);
		clear_redo(sh);
	}
	sheet_settle(sh);
	return rc;
}

/* Apply one undo entry backwards (undo) or forwards (redo). */
static int replay(struct sheet *sh, const struct sheet_undo *u, bool back)
{
	int rc = STORE_OK;
	switch (u->kind) {
	case SU_SET:
		rc = save(sh, u->path, back ? u->old : u->new, false);
		break;
	case SU_ADD:
		rc = back ? doc_del_row(&sh->d, u->at) : doc_add_row(&sh->d, u->at);
		break;
	case SU_DEL:
		if (back) {
			rc = doc_add_row(&sh->d, u->at);
			for (int f = 0; rc == STORE_OK && f < IND_FIELDS; f++)
				if (u->row[f]) {
					char p[48];
					form_ind_path(p, sizeof p, u->at, f);
					rc = doc_set(&sh->d, p, u->row[f]);
				}
		} else
			rc = doc_del_row(&sh->d, u->at);
		break;
	case SU_MOVE:
		rc = back ? doc_move_row(&sh->d, u->to, u->at) : doc_move_row(&sh->d, u->at, u->to);
		break;
	}
	return rc;
}

int sheet_undo(struct sheet *sh, bool back)
{
	struct sheet_undo **from = back ? &sh->undo : &sh->redo, **to = back ? &sh->redo : &sh->undo;
	size_t *nf = back ? &sh->nu : &sh->nr, *nt = back ? &sh->nr : &sh->nu;
	size_t *ct = back ? &sh->capr : &sh->capu;
	sh->undone[0] = '\0';
	if (*nf == 0)
		return STORE_NOTFOUND;
	int g = (*from)[*nf - 1].group, rc = STORE_OK;
	while (*nf > 0 && (*from)[*nf - 1].group == g) {
		struct sheet_undo u = (*from)[--*nf];
		rc = replay(sh, &u, back);
		if (rc != STORE_OK) {
			undo_free(&u);
			break;
		}
		if (u.kind == SU_SET)
			snprintf(sh->undone, sizeof sh->undone, "%s", u.path);
		push(to, nt, ct, u);	/* a group replayed goes back in the same order */
	}
	sheet_settle(sh);
	return rc;
}

int sheet_settle_clash(struct sheet *sh, bool mine)
{
	if (!sh->clash_path)
		return STORE_OK;
	char *path = sh->clash_path, *value = sh->clash_mine;
	bool figure = sh->clash_figure;
	sh->clash_path = sh->clash_mine = NULL;
	clash_clear(sh);
	int rc = sheet_reload(sh);
	if (rc == STORE_OK && mine)
		rc = sheet_commit(sh, path, value, figure);
	free(path);
	free(value);
	return rc;
}

int sheet_reload(struct sheet *sh)
{
	struct doc nd;
	int rc = doc_open(&nd, sh->d.s, sh->d.f->id);
	if (rc != STORE_OK) {
		snprintf(sh->d.err, sizeof sh->d.err, "%s", nd.err);
		doc_close(&nd);
		return rc;
	}
	doc_close(&sh->d);
	sh->d = nd;
	sheet_settle(sh);
	return STORE_OK;
}
