/*
 * merge: what a bundle does to one field, one indicator row and one form,
 * decided from the two states and what each side has seen.  Pure, like
 * rules.c: no SQL, no I/O; src/store_bundle.c gathers the facts and applies
 * the decisions.
 *
 * A value is a key: '=' followed by the text, or "~" for absent, as in the
 * seen table (schema/004-bundle.sql).  What a side has seen is the list of
 * values the field held there and lost (one entry per seen row, so a value
 * replaced twice is there twice).  Equal values are the same value, however
 * they were reached; a value is one occurrence more than the times it was
 * seen replaced, so a value typed again after it was replaced is new.
 */
#ifndef JXZP_MERGE_H
#define JXZP_MERGE_H

#include <stdbool.h>
#include <stddef.h>

struct merge_side {
	const char *value;		/* key of the current value */
	const char *const *seen;	/* keys of the values replaced here */
	size_t n_seen;
};

enum merge_dec {
	MERGE_SAME,		/* equal: nothing to do */
	MERGE_TAKE,		/* theirs replaces mine */
	MERGE_KEEP,		/* mine stays: I have seen theirs replaced */
	MERGE_CONFLICT,		/* both changed: mine stays, theirs is kept for a person */
	MERGE_SETTLE_KEEP,	/* an open conflict decided: mine stays, the conflict goes */
	MERGE_SETTLE_TAKE,	/* an open conflict decided: theirs replaces mine, the conflict goes */
	MERGE_HOLD,		/* an open conflict stays as it is */
};

struct merge_field_out {
	enum merge_dec dec;
	/* with an open conflict: theirs replaced by the incoming value
	 * (MERGE_CONFLICT), or mine taken while the conflict stays
	 * (MERGE_TAKE with keep_conflict) */
	bool keep_conflict;
};

/*
 * One field.  pending: the key of theirs in an open conflict here on the
 * field, or NULL.  A conflict is settled only when the incoming side holds
 * one of its two values and has seen the other replaced: that is a person's
 * decision (or an edit over it) made knowing both, never a value that
 * happens to match.
 */
struct merge_field_out merge_field(const struct merge_side *mine, const struct merge_side *theirs,
				   const char *pending);

/* Has side a seen value v replaced more often than side b (so a has seen
 * b's occurrence of v replaced)? */
bool merge_saw_replaced(const struct merge_side *a, const struct merge_side *b, const char *v);

/*
 * A value the incoming side still holds open in a conflict of its own
 * (carried in the bundle, so every machine holding the form lists it):
 * true when it becomes a conflict here too.  open_here: this field already
 * has an open conflict here.
 */
bool merge_carried_conflict(const struct merge_side *mine, const struct merge_side *theirs,
			    const char *carried, bool open_here);

/* The deletion of a whole form: what the 'deleted' column's decision
 * becomes, given whether the side that did not delete has changes the
 * deleting side has not seen.  mine_deleted/theirs_deleted: as they are. */
enum merge_dec merge_form_deleted(enum merge_dec deleted, bool mine_deleted, bool theirs_deleted,
				  bool mine_unseen_edits, bool theirs_unseen_edits);

/* An indicator row one side has and the other deleted (a tombstone). */
struct merge_row_facts {
	bool here;		/* the row is here */
	bool there;		/* the row is in the bundle */
	bool tomb_here;		/* deleted here */
	bool tomb_there;	/* deleted there */
	bool not_newer;		/* the live side's row is no newer than the deleted one */
	bool overruled;		/* the live side kept the row against that very deletion */
	bool locked;		/* only conflicts may come of this bundle */
};
enum merge_row_dec {
	MERGE_ROW_NOTHING,	/* as it is */
	MERGE_ROW_ADD,		/* new here: added */
	MERGE_ROW_REVIVE,	/* deleted here, kept there knowing: comes back */
	MERGE_ROW_DELETE,	/* deleted there, unchanged here: goes */
	MERGE_ROW_CONFLICT,	/* deleted on one side, changed on the other */
};
enum merge_row_dec merge_indicator_row(const struct merge_row_facts *f);

#endif
