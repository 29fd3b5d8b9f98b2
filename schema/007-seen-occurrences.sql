-- 007-seen-occurrences: seen counts the occurrences of a value (issue 21).
--
-- A seen row's gen was the field's generation (how often it had changed);
-- two machines that reached the same text by different ways then held it
-- at different generations, and a later change on one was a conflict on
-- the other.  Now gen is the occurrence of that value: how often the field
-- had lost that same value before (0 the first time).  So the same
-- occurrence replaced on two machines is the same row, and src/merge.c asks
-- only "has the other side seen this value go more often than I have?".
-- Rows written before keep their numbers; each still counts once.  Since
-- nothing counts generations any more, the seen values of a field in
-- conflict are merged like any other (004's conflict comment predates this),
-- and conflict.theirs_gen is no longer read.

DROP TRIGGER form_upd_seen;
DROP TRIGGER fund_upd_seen;
DROP TRIGGER indicator_upd_seen;

-- Keyed by value before number, so "how often has this field lost this
-- value" is one index probe on every save, however long the field's past
-- (004's key order made it a scan of the field's seen rows).
CREATE TABLE seen_by_value (
	form_uuid TEXT NOT NULL,
	tbl       TEXT NOT NULL,
	rk        TEXT NOT NULL,
	col       TEXT NOT NULL,
	gen       INTEGER NOT NULL,
	v         TEXT NOT NULL,
	PRIMARY KEY (form_uuid, tbl, rk, col, v, gen)
) WITHOUT ROWID;
INSERT INTO seen_by_value SELECT form_uuid, tbl, rk, col, gen, v FROM seen;
DROP TABLE seen;
ALTER TABLE seen_by_value RENAME TO seen;

CREATE TRIGGER form_upd_seen AFTER UPDATE ON form BEGIN
	INSERT OR IGNORE INTO seen
		SELECT new.uuid, 'form', '', c, (SELECT ifnull(max(gen) + 1, 0) FROM seen
			WHERE form_uuid = new.uuid AND tbl = 'form' AND rk = '' AND col = c
			AND v = ifnull('=' || o, '~')), ifnull('=' || o, '~')
		FROM (SELECT 'year' AS c, old.year AS o, new.year AS n UNION ALL
		      SELECT 'unit', old.unit, new.unit UNION ALL
		      SELECT 'project', old.project, new.project UNION ALL
		      SELECT 'department', old.department, new.department UNION ALL
		      SELECT 'lead', old.lead, new.lead UNION ALL
		      SELECT 'phone', old.phone, new.phone UNION ALL
		      SELECT 'layout', old.layout, new.layout UNION ALL
		      SELECT 'ruleset', old.ruleset, new.ruleset UNION ALL
		      SELECT 'status', old.status, new.status UNION ALL
		      SELECT 'return_reason', old.return_reason, new.return_reason UNION ALL
		      SELECT 'goals_expected', old.goals_expected, new.goals_expected UNION ALL
		      SELECT 'goals_achieved', old.goals_achieved, new.goals_achieved UNION ALL
		      SELECT 'total_weight', old.total_weight, new.total_weight UNION ALL
		      SELECT 'total_score', old.total_score, new.total_score UNION ALL
		      SELECT 'total_grade', old.total_grade, new.total_grade UNION ALL
		      SELECT 'deleted', old.deleted, new.deleted)
		WHERE o IS NOT n;
	INSERT OR IGNORE INTO bundle_dirty VALUES (new.uuid);
END;

CREATE TRIGGER fund_upd_seen AFTER UPDATE ON fund BEGIN
	INSERT OR IGNORE INTO seen
		SELECT new.form_uuid, 'fund', new.row, c, (SELECT ifnull(max(gen) + 1, 0) FROM seen
			WHERE form_uuid = new.form_uuid AND tbl = 'fund' AND rk = new.row AND col = c
			AND v = ifnull('=' || o, '~')), ifnull('=' || o, '~')
		FROM (SELECT 'initial' AS c, old.initial AS o, new.initial AS n UNION ALL
		      SELECT 'budget', old.budget, new.budget UNION ALL
		      SELECT 'spent', old.spent, new.spent UNION ALL
		      SELECT 'weight', old.weight, new.weight UNION ALL
		      SELECT 'rate', old.rate, new.rate UNION ALL
		      SELECT 'score', old.score, new.score)
		WHERE o IS NOT n;
	INSERT OR IGNORE INTO bundle_dirty VALUES (new.form_uuid);
END;

CREATE TRIGGER indicator_upd_seen AFTER UPDATE ON indicator BEGIN
	INSERT OR IGNORE INTO seen
		SELECT new.form_uuid, 'indicator', new.uuid, c, (SELECT ifnull(max(gen) + 1, 0) FROM seen
			WHERE form_uuid = new.form_uuid AND tbl = 'indicator' AND rk = new.uuid AND col = c
			AND v = ifnull('=' || o, '~')), ifnull('=' || o, '~')
		FROM (SELECT 'pos' AS c, old.pos AS o, new.pos AS n UNION ALL
		      SELECT 'level1', old.level1, new.level1 UNION ALL
		      SELECT 'level2', old.level2, new.level2 UNION ALL
		      SELECT 'name', old.name, new.name UNION ALL
		      SELECT 'nature', old.nature, new.nature UNION ALL
		      SELECT 'target', old.target, new.target UNION ALL
		      SELECT 'unit_of_measure', old.unit_of_measure, new.unit_of_measure UNION ALL
		      SELECT 'actual', old.actual, new.actual UNION ALL
		      SELECT 'weight', old.weight, new.weight UNION ALL
		      SELECT 'score', old.score, new.score UNION ALL
		      SELECT 'deviation', old.deviation, new.deviation)
		WHERE o IS NOT n;
	INSERT OR IGNORE INTO bundle_dirty VALUES (new.form_uuid);
END;


-- A conflict's mine is the value here: a change here while a conflict is
-- open moves mine along, and a change here to theirs leaves no two values
-- to choose between, so the conflict goes (the value mine had is recorded
-- replaced, so the change travels as any other).  Whoever writes: a person
-- here, a merge, a decision.  Only forms with a conflict pay for it.
CREATE TRIGGER form_upd_conflict AFTER UPDATE ON form
	WHEN EXISTS (SELECT 1 FROM conflict WHERE form_uuid = new.uuid AND tbl = 'form') BEGIN
	UPDATE conflict SET mine = CAST(CASE col
			WHEN 'year' THEN new.year WHEN 'unit' THEN new.unit WHEN 'project' THEN new.project WHEN
			'department' THEN new.department WHEN 'lead' THEN new.lead WHEN 'phone' THEN new.phone
			WHEN 'layout' THEN new.layout WHEN 'ruleset' THEN new.ruleset WHEN 'status' THEN
			new.status WHEN 'return_reason' THEN new.return_reason WHEN 'goals_expected' THEN
			new.goals_expected WHEN 'goals_achieved' THEN new.goals_achieved WHEN 'total_weight' THEN
			new.total_weight WHEN 'total_score' THEN new.total_score WHEN 'total_grade' THEN
			new.total_grade WHEN 'deleted' THEN new.deleted END AS TEXT)
		WHERE form_uuid = new.uuid AND tbl = 'form' AND rk = '' AND col != '*';
	DELETE FROM conflict WHERE form_uuid = new.uuid AND tbl = 'form' AND rk = '' AND col != '*'
		AND mine IS theirs;
END;
CREATE TRIGGER fund_upd_conflict AFTER UPDATE ON fund
	WHEN EXISTS (SELECT 1 FROM conflict WHERE form_uuid = new.form_uuid AND tbl = 'fund') BEGIN
	UPDATE conflict SET mine = CAST(CASE col
			WHEN 'initial' THEN new.initial WHEN 'budget' THEN new.budget WHEN 'spent' THEN new.spent
			WHEN 'weight' THEN new.weight WHEN 'rate' THEN new.rate WHEN 'score' THEN new.score END AS TEXT)
		WHERE form_uuid = new.form_uuid AND tbl = 'fund' AND rk = new.row AND col != '*';
	DELETE FROM conflict WHERE form_uuid = new.form_uuid AND tbl = 'fund' AND rk = new.row AND col != '*'
		AND mine IS theirs;
END;
CREATE TRIGGER indicator_upd_conflict AFTER UPDATE ON indicator
	WHEN EXISTS (SELECT 1 FROM conflict WHERE form_uuid = new.form_uuid AND tbl = 'indicator') BEGIN
	UPDATE conflict SET mine = CAST(CASE col
			WHEN 'pos' THEN new.pos WHEN 'level1' THEN new.level1 WHEN 'level2' THEN new.level2 WHEN
			'name' THEN new.name WHEN 'nature' THEN new.nature WHEN 'target' THEN new.target WHEN
			'unit_of_measure' THEN new.unit_of_measure WHEN 'actual' THEN new.actual WHEN 'weight'
			THEN new.weight WHEN 'score' THEN new.score WHEN 'deviation' THEN new.deviation END AS TEXT)
		WHERE form_uuid = new.form_uuid AND tbl = 'indicator' AND rk = new.uuid AND col != '*';
	DELETE FROM conflict WHERE form_uuid = new.form_uuid AND tbl = 'indicator' AND rk = new.uuid AND col != '*'
		AND mine IS theirs;
END;

-- When the bundle applied last from each origin and unit was written, so a
-- number the sender wrote twice (killed after the file was renamed into
-- place, before its database noted the number) is not taken for the one
-- already applied.
ALTER TABLE bundle_applied ADD COLUMN created TEXT;
