/*
 * merge: the decisions of a bundle's merge (merge.h).  Pure.
 *
 * Knowledge is counted, not timed: a side "has seen my value replaced" when
 * it has seen that value replaced more often than I have, i.e. it has seen
 * the very occurrence I hold go.  So two machines that reach the same text
 * by different ways agree, and a value typed again after it was replaced
 * is a new occurrence that nobody has seen replaced yet.
 */
#include "config.h"
#include "merge.h"

#include <string.h>

static bool eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static size_t count(const struct merge_side *s, const char *v)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n_seen; i++)
		n += eq(s->seen[i], v);
	return n;
}

bool merge_saw_replaced(const struct merge_side *a, const struct merge_side *b, const char *v)
{
	return count(a, v) > count(b, v);
}

struct merge_field_out merge_field(const struct merge_side *mine, const struct merge_side *theirs,
				   const char *pending)
{
	struct merge_field_out o = { MERGE_SAME, false };
	const char *m = mine->value, *n = theirs->value;
	/* they have seen mine replaced; I have seen theirs replaced */
	bool they_knew = merge_saw_replaced(theirs, mine, m);
	bool i_knew = merge_saw_replaced(mine, theirs, n);
	if (!pending) {
		if (eq(m, n))
			o.dec = MERGE_SAME;
		else if (they_knew && !i_knew)
			o.dec = MERGE_TAKE;
		else if (i_knew && !they_knew)
			o.dec = MERGE_KEEP;
		else
			o.dec = MERGE_CONFLICT;
		return o;
	}
	/* An open conflict, mine against pending: only a side that knew both
	 * values decides it. */
	bool knew_pending = merge_saw_replaced(theirs, mine, pending);
	if (eq(n, m)) {
		o.dec = knew_pending ? MERGE_SETTLE_KEEP : MERGE_HOLD;
	} else if (eq(n, pending)) {
		o.dec = they_knew ? MERGE_SETTLE_TAKE : MERGE_HOLD;
	} else if (i_knew) {
		o.dec = MERGE_HOLD;		/* old news */
	} else if (they_knew && knew_pending) {
		o.dec = MERGE_SETTLE_TAKE;	/* decided, then changed again */
	} else if (they_knew) {
		o.dec = MERGE_TAKE;		/* mine moves on; pending still stands against it */
		o.keep_conflict = true;
	} else if (knew_pending) {
		o.dec = MERGE_CONFLICT;		/* theirs moved on from pending: theirs is the new value */
	} else {
		o.dec = MERGE_HOLD;		/* a third value: the open conflict stays listed */
	}
	return o;
}

bool merge_carried_conflict(const struct merge_side *mine, const struct merge_side *theirs,
			    const char *carried, bool open_here)
{
	if (open_here || !carried || eq(carried, mine->value))
		return false;
	/* settled here already (a person here decided against it), or seen go */
	return !merge_saw_replaced(mine, theirs, carried);
}

enum merge_dec merge_form_deleted(enum merge_dec deleted, bool mine_deleted, bool theirs_deleted,
				  bool mine_unseen_edits, bool theirs_unseen_edits)
{
	if (deleted == MERGE_TAKE && theirs_deleted && !mine_deleted && mine_unseen_edits)
		return MERGE_CONFLICT;	/* deleted there, edited here since */
	if (deleted == MERGE_KEEP && mine_deleted && !theirs_deleted && theirs_unseen_edits)
		return MERGE_CONFLICT;	/* deleted here, edited there since */
	return deleted;
}

enum merge_row_dec merge_indicator_row(const struct merge_row_facts *f)
{
	if (f->here && f->there)
		return MERGE_ROW_NOTHING;	/* merged field by field */
	if (f->there) {			/* theirs, not here */
		if (f->locked)
			return MERGE_ROW_NOTHING;
		if (!f->tomb_here)
			return MERGE_ROW_ADD;
		if (f->not_newer)
			return MERGE_ROW_NOTHING;	/* stays deleted */
		return f->overruled ? MERGE_ROW_REVIVE : MERGE_ROW_CONFLICT;
	}
	if (f->here && f->tomb_there) {	/* mine, deleted there */
		if (f->not_newer)
			return f->locked ? MERGE_ROW_NOTHING : MERGE_ROW_DELETE;
		return f->overruled ? MERGE_ROW_NOTHING : MERGE_ROW_CONFLICT;
	}
	return MERGE_ROW_NOTHING;
}
