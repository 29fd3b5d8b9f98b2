-- 012-bundle-fields: bundles carry the fields that changed, not whole forms
-- (issue 18).
--
-- A form already sent travels as its changes: the form row's fields that
-- changed, the fund and indicator rows that changed (whole, with what each
-- field has seen), its deletions, comments and open conflicts.  What
-- changed is what learnt something since the last bundle: every value
-- replaced, here or by a merge, and every replaced value learnt from a
-- bundle, is a new seen row (004, 007), so a trigger on seen marks the
-- field.  A row added to a form that was sent is marked by its insert (a
-- form never sent travels whole: import pays one index probe a row).
-- Every statement here may run again on a database that has it (a test
-- replays the migrations after 009 on its own database).
CREATE TABLE IF NOT EXISTS bundle_dirty_col (
	form_uuid TEXT NOT NULL,
	tbl       TEXT NOT NULL,
	rk        TEXT NOT NULL,
	col       TEXT NOT NULL,
	PRIMARY KEY (form_uuid, tbl, rk, col)
) WITHOUT ROWID;

CREATE TRIGGER IF NOT EXISTS seen_ins_dirty AFTER INSERT ON seen BEGIN
	INSERT OR IGNORE INTO bundle_dirty_col VALUES (new.form_uuid, new.tbl, new.rk, new.col);
END;
CREATE TRIGGER IF NOT EXISTS indicator_ins_dirty AFTER INSERT ON indicator
	WHEN EXISTS (SELECT 1 FROM bundle_sent WHERE form_uuid = new.form_uuid) BEGIN
	INSERT OR IGNORE INTO bundle_dirty_col VALUES (new.form_uuid, 'indicator', new.uuid, '+');
END;
CREATE TRIGGER IF NOT EXISTS fund_ins_dirty AFTER INSERT ON fund
	WHEN EXISTS (SELECT 1 FROM bundle_sent WHERE form_uuid = new.form_uuid) BEGIN
	INSERT OR IGNORE INTO bundle_dirty_col VALUES (new.form_uuid, 'fund', new.row, '+');
END;

-- The unit each form was last sent under: a form that moved to another unit
-- travels whole (its new unit's chain may reach machines that never had it).
-- None for forms sent before this migration: their next bundle sends them
-- whole once.
CREATE TABLE IF NOT EXISTS bundle_sent_unit (
	form_uuid TEXT PRIMARY KEY,
	unit      TEXT NOT NULL
) WITHOUT ROWID;
