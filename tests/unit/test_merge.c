/*
 * Unit tests of src/merge.c, the merge's decisions as a pure function: one
 * field (take, keep, conflict; an open conflict held or settled), a value
 * the sender holds open, a form deleted on one side and edited on the
 * other, and an indicator row deleted on one side.  Keys are as the seen
 * table holds them: '=' text, '~' absent.
 */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "merge.h"

#define SIDE(val, ...) ((struct merge_side){ val, (const char *const[]){ __VA_ARGS__ }, \
	sizeof (const char *const[]){ __VA_ARGS__ } / sizeof (const char *) })
#define NONE(val) ((struct merge_side){ val, NULL, 0 })

static enum merge_dec dec(struct merge_side m, struct merge_side t, const char *pending)
{
	return merge_field(&m, &t, pending).dec;
}

static void equal_is_same_whatever_the_history(void **state)
{
	(void)state;
	assert_int_equal(dec(NONE("=张三"), NONE("=张三"), NULL), MERGE_SAME);
	assert_int_equal(dec(SIDE("=张三", "~", "=张"), NONE("=张三"), NULL), MERGE_SAME);
}

static void a_value_seen_replaced_there_is_taken(void **state)
{
	(void)state;
	/* they had mine and replaced it */
	assert_int_equal(dec(SIDE("=100", "~"), SIDE("=120", "~", "=100"), NULL), MERGE_TAKE);
	/* I had theirs and replaced it */
	assert_int_equal(dec(SIDE("=120", "~", "=100"), SIDE("=100", "~"), NULL), MERGE_KEEP);
	/* neither: both changed */
	assert_int_equal(dec(SIDE("=100", "~"), SIDE("=120", "~"), NULL), MERGE_CONFLICT);
	/* absent is a value like any other */
	assert_int_equal(dec(NONE("~"), SIDE("=1", "~"), NULL), MERGE_TAKE);
}

static void equal_values_reached_differently_then_changed(void **state)
{
	(void)state;
	/* issue 21 case 6: A went 张 → 张三, B typed 张三 once; A then typed 张三丰 */
	assert_int_equal(dec(SIDE("=张三", "~"), SIDE("=张三丰", "~", "=张", "=张三"), NULL), MERGE_TAKE);
	/* and the other way round: B moved on from 张三 */
	assert_int_equal(dec(SIDE("=张三", "~", "=张"), SIDE("=李四", "~", "=张三"), NULL), MERGE_TAKE);
}

static void a_value_typed_again_is_a_new_occurrence(void **state)
{
	(void)state;
	/* I went v → z → v; they saw the first v go, not the second */
	assert_int_equal(dec(SIDE("=v", "~", "=v", "=z"), SIDE("=w", "~", "=v"), NULL), MERGE_CONFLICT);
	/* they saw v go twice: mine too */
	assert_int_equal(dec(SIDE("=v", "~", "=v", "=z"), SIDE("=w", "~", "=v", "=z", "=v"), NULL),
			 MERGE_TAKE);
	/* a status that comes back: submitted, returned, submitted again */
	assert_int_equal(dec(SIDE("=submitted", "=draft", "=submitted", "=returned"),
			     SIDE("=returned", "=draft", "=submitted"), NULL), MERGE_KEEP);
	assert_int_equal(dec(SIDE("=returned", "=draft", "=submitted"),
			     SIDE("=submitted", "=draft", "=submitted", "=returned"), NULL), MERGE_TAKE);
}

static void an_open_conflict_is_settled_only_knowing_both(void **state)
{
	(void)state;
	/* office: mine 100 (clerk A), theirs 120 (clerk B) open */
	struct merge_side office = SIDE("=100", "=738");
	/* A sends 100 again, never having seen 120: the conflict stays */
	assert_int_equal(dec(office, SIDE("=100", "=738"), "=120"), MERGE_HOLD);
	/* B sends 120 again: the same conflict, still open */
	assert_int_equal(dec(office, SIDE("=120", "=738"), "=120"), MERGE_HOLD);
	/* a person on B took 100 (120 seen go there): settled, mine stays */
	assert_int_equal(dec(office, SIDE("=100", "=738", "=120"), "=120"), MERGE_SETTLE_KEEP);
	/* a person on A took 120: settled, theirs comes */
	assert_int_equal(dec(office, SIDE("=120", "=738", "=100"), "=120"), MERGE_SETTLE_TAKE);
	/* decided and changed again: the new value, settled */
	assert_int_equal(dec(office, SIDE("=130", "=738", "=100", "=120"), "=120"), MERGE_SETTLE_TAKE);
	/* A moved on from 100 not knowing 120: taken, the conflict still stands */
	struct merge_field_out o = merge_field(&office, &SIDE("=110", "=738", "=100"), "=120");
	assert_int_equal(o.dec, MERGE_TAKE);
	assert_true(o.keep_conflict);
	/* B moved on from 120 not knowing 100: the conflict is with B's new value */
	assert_int_equal(dec(office, SIDE("=125", "=738", "=120"), "=120"), MERGE_CONFLICT);
	/* old news: a value the office has seen go */
	assert_int_equal(dec(office, NONE("=738"), "=120"), MERGE_HOLD);
	/* a third value, knowing neither: the open conflict stays listed */
	assert_int_equal(dec(office, SIDE("=99", "=738"), "=120"), MERGE_HOLD);
}

static void a_conflict_held_open_there_is_listed_here(void **state)
{
	(void)state;
	struct merge_side a = SIDE("=100", "=738"), office = SIDE("=100", "=738");
	assert_true(merge_carried_conflict(&a, &office, "=120", false));
	/* this side holds that value, or has one open already */
	struct merge_side b = SIDE("=120", "=738");
	assert_false(merge_carried_conflict(&b, &office, "=120", false));
	assert_false(merge_carried_conflict(&a, &office, "=120", true));
	/* a person here decided against it: 120 seen go here */
	struct merge_side decided = SIDE("=100", "=738", "=120");
	assert_false(merge_carried_conflict(&decided, &office, "=120", false));
}

static void deleting_an_edited_form_is_a_conflict(void **state)
{
	(void)state;
	/* deleted there; edited here since: conflict, else the deletion comes */
	assert_int_equal(merge_form_deleted(MERGE_TAKE, false, true, true, false), MERGE_CONFLICT);
	assert_int_equal(merge_form_deleted(MERGE_TAKE, false, true, false, false), MERGE_TAKE);
	/* deleted here; edited there since: conflict, else it stays deleted */
	assert_int_equal(merge_form_deleted(MERGE_KEEP, true, false, false, true), MERGE_CONFLICT);
	assert_int_equal(merge_form_deleted(MERGE_KEEP, true, false, false, false), MERGE_KEEP);
	/* brought back there knowing the deletion: it comes back */
	assert_int_equal(merge_form_deleted(MERGE_TAKE, true, false, true, true), MERGE_TAKE);
	/* an open conflict's decisions pass through */
	assert_int_equal(merge_form_deleted(MERGE_HOLD, false, true, true, true), MERGE_HOLD);
	assert_int_equal(merge_form_deleted(MERGE_SETTLE_TAKE, false, true, true, false), MERGE_SETTLE_TAKE);
}

static void a_row_deleted_on_one_side(void **state)
{
	(void)state;
	struct merge_row_facts f = { .there = true };
	assert_int_equal(merge_indicator_row(&f), MERGE_ROW_ADD);
	f.locked = true;
	assert_int_equal(merge_indicator_row(&f), MERGE_ROW_NOTHING);
	f = (struct merge_row_facts){ .there = true, .tomb_here = true, .not_newer = true };
	assert_int_equal(merge_indicator_row(&f), MERGE_ROW_NOTHING);
	f.not_newer = false;
	assert_int_equal(merge_indicator_row(&f), MERGE_ROW_CONFLICT);
	f.overruled = true;
	assert_int_equal(merge_indicator_row(&f), MERGE_ROW_REVIVE);
	f = (struct merge_row_facts){ .here = true, .tomb_there = true, .not_newer = true };
	assert_int_equal(merge_indicator_row(&f), MERGE_ROW_DELETE);
	f.locked = true;
	assert_int_equal(merge_indicator_row(&f), MERGE_ROW_NOTHING);
	f = (struct merge_row_facts){ .here = true, .tomb_there = true };
	assert_int_equal(merge_indicator_row(&f), MERGE_ROW_CONFLICT);
	f.overruled = true;
	assert_int_equal(merge_indicator_row(&f), MERGE_ROW_NOTHING);
	f = (struct merge_row_facts){ .here = true, .there = true };
	assert_int_equal(merge_indicator_row(&f), MERGE_ROW_NOTHING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(equal_is_same_whatever_the_history),
		cmocka_unit_test(a_value_seen_replaced_there_is_taken),
		cmocka_unit_test(equal_values_reached_differently_then_changed),
		cmocka_unit_test(a_value_typed_again_is_a_new_occurrence),
		cmocka_unit_test(an_open_conflict_is_settled_only_knowing_both),
		cmocka_unit_test(a_conflict_held_open_there_is_listed_here),
		cmocka_unit_test(deleting_an_edited_form_is_a_conflict),
		cmocka_unit_test(a_row_deleted_on_one_side),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
