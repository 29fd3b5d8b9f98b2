-- 003-pager: the reviewer's pager over 100,000 forms, one page at a time.
--
-- A page deep in a sorted list skips OFFSET rows; that is cheap only when the
-- rows are skipped inside one index, without looking each form up.  So
-- form_local also keeps each form's status and whether it is live (both
-- local copies of form, kept in step by the triggers below whoever writes
-- form), and the sort-key indexes are partial on live forms and come with a
-- status-first twin for the pager over submitted forms.

ALTER TABLE form_local ADD COLUMN status TEXT;
ALTER TABLE form_local ADD COLUMN live INTEGER NOT NULL DEFAULT 1;
UPDATE form_local SET
	status = (SELECT status FROM form WHERE form.uuid = form_local.form_uuid),
	live = (SELECT deleted = 0 FROM form WHERE form.uuid = form_local.form_uuid);
INSERT INTO form_local (form_uuid, status, live)
	SELECT uuid, status, deleted = 0 FROM form
	WHERE uuid NOT IN (SELECT form_uuid FROM form_local);

-- Every form has its local row, however it arrived (insert, bundle).
CREATE TRIGGER form_local_new AFTER INSERT ON form BEGIN
	INSERT OR IGNORE INTO form_local (form_uuid, status, live)
		VALUES (NEW.uuid, NEW.status, NEW.deleted = 0);
END;
CREATE TRIGGER form_local_follow AFTER UPDATE OF status, deleted ON form BEGIN
	UPDATE form_local SET status = NEW.status, live = NEW.deleted = 0
		WHERE form_uuid = NEW.uuid;
END;

DROP INDEX form_local_score;
DROP INDEX form_local_rate;
DROP INDEX form_local_grade;
CREATE INDEX form_local_score ON form_local (score_key) WHERE live = 1;
CREATE INDEX form_local_rate ON form_local (rate_key) WHERE live = 1;
CREATE INDEX form_local_grade ON form_local (grade_rank) WHERE live = 1;
CREATE INDEX form_local_status_score ON form_local (status, score_key) WHERE live = 1;
CREATE INDEX form_local_status_rate ON form_local (status, rate_key) WHERE live = 1;
CREATE INDEX form_local_status_grade ON form_local (status, grade_rank) WHERE live = 1;

-- Recently changed first, all live forms or one status.
CREATE INDEX form_live_updated ON form (updated) WHERE deleted = 0;
CREATE INDEX form_status_updated ON form (status, updated) WHERE deleted = 0;
