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
-- here, a merge, a decision.
CREATE TRIGGER form_upd_conflict AFTER UPDATE ON form BEGIN
	DELETE FROM conflict WHERE form_uuid = new.uuid AND tbl = 'form' AND rk = '' AND col IN
		(SELECT c FROM (SELECT 'year' AS c, CAST(old.year AS TEXT) AS o, CAST(new.year AS TEXT) AS n UNION ALL
		      SELECT 'unit', CAST(old.unit AS TEXT), CAST(new.unit AS TEXT) UNION ALL
		      SELECT 'project', CAST(old.project AS TEXT), CAST(new.project AS TEXT) UNION ALL
		      SELECT 'department', CAST(old.department AS TEXT), CAST(new.department AS TEXT) UNION ALL
		      SELECT 'lead', CAST(old.lead AS TEXT), CAST(new.lead AS TEXT) UNION ALL
		      SELECT 'phone', CAST(old.phone AS TEXT), CAST(new.phone AS TEXT) UNION ALL
		      SELECT 'layout', CAST(old.layout AS TEXT), CAST(new.layout AS TEXT) UNION ALL
		      SELECT 'ruleset', CAST(old.ruleset AS TEXT), CAST(new.ruleset AS TEXT) UNION ALL
		      SELECT 'status', CAST(old.status AS TEXT), CAST(new.status AS TEXT) UNION ALL
		      SELECT 'return_reason', CAST(old.return_reason AS TEXT), CAST(new.return_reason AS TEXT) UNION ALL
		      SELECT 'goals_expected', CAST(old.goals_expected AS TEXT), CAST(new.goals_expected AS TEXT) UNION ALL
		      SELECT 'goals_achieved', CAST(old.goals_achieved AS TEXT), CAST(new.goals_achieved AS TEXT) UNION ALL
		      SELECT 'total_weight', CAST(old.total_weight AS TEXT), CAST(new.total_weight AS TEXT) UNION ALL
		      SELECT 'total_score', CAST(old.total_score AS TEXT), CAST(new.total_score AS TEXT) UNION ALL
		      SELECT 'total_grade', CAST(old.total_grade AS TEXT), CAST(new.total_grade AS TEXT) UNION ALL
		      SELECT 'deleted', CAST(old.deleted AS TEXT), CAST(new.deleted AS TEXT))
		 WHERE o IS NOT n AND n IS conflict.theirs);
	UPDATE conflict SET mine = (SELECT n FROM (SELECT 'year' AS c, CAST(old.year AS TEXT) AS o, CAST(new.year AS TEXT) AS n UNION ALL
		      SELECT 'unit', CAST(old.unit AS TEXT), CAST(new.unit AS TEXT) UNION ALL
		      SELECT 'project', CAST(old.project AS TEXT), CAST(new.project AS TEXT) UNION ALL
		      SELECT 'department', CAST(old.department AS TEXT), CAST(new.department AS TEXT) UNION ALL
		      SELECT 'lead', CAST(old.lead AS TEXT), CAST(new.lead AS TEXT) UNION ALL
		      SELECT 'phone', CAST(old.phone AS TEXT), CAST(new.phone AS TEXT) UNION ALL
		      SELECT 'layout', CAST(old.layout AS TEXT), CAST(new.layout AS TEXT) UNION ALL
		      SELECT 'ruleset', CAST(old.ruleset AS TEXT), CAST(new.ruleset AS TEXT) UNION ALL
		      SELECT 'status', CAST(old.status AS TEXT), CAST(new.status AS TEXT) UNION ALL
		      SELECT 'return_reason', CAST(old.return_reason AS TEXT), CAST(new.return_reason AS TEXT) UNION ALL
		      SELECT 'goals_expected', CAST(old.goals_expected AS TEXT), CAST(new.goals_expected AS TEXT) UNION ALL
		      SELECT 'goals_achieved', CAST(old.goals_achieved AS TEXT), CAST(new.goals_achieved AS TEXT) UNION ALL
		      SELECT 'total_weight', CAST(old.total_weight AS TEXT), CAST(new.total_weight AS TEXT) UNION ALL
		      SELECT 'total_score', CAST(old.total_score AS TEXT), CAST(new.total_score AS TEXT) UNION ALL
		      SELECT 'total_grade', CAST(old.total_grade AS TEXT), CAST(new.total_grade AS TEXT) UNION ALL
		      SELECT 'deleted', CAST(old.deleted AS TEXT), CAST(new.deleted AS TEXT))
		 WHERE c = conflict.col)
		WHERE form_uuid = new.uuid AND tbl = 'form' AND rk = '' AND col IN
		(SELECT c FROM (SELECT 'year' AS c, CAST(old.year AS TEXT) AS o, CAST(new.year AS TEXT) AS n UNION ALL
		      SELECT 'unit', CAST(old.unit AS TEXT), CAST(new.unit AS TEXT) UNION ALL
		      SELECT 'project', CAST(old.project AS TEXT), CAST(new.project AS TEXT) UNION ALL
		      SELECT 'department', CAST(old.department AS TEXT), CAST(new.department AS TEXT) UNION ALL
		      SELECT 'lead', CAST(old.lead AS TEXT), CAST(new.lead AS TEXT) UNION ALL
		      SELECT 'phone', CAST(old.phone AS TEXT), CAST(new.phone AS TEXT) UNION ALL
		      SELECT 'layout', CAST(old.layout AS TEXT), CAST(new.layout AS TEXT) UNION ALL
		      SELECT 'ruleset', CAST(old.ruleset AS TEXT), CAST(new.ruleset AS TEXT) UNION ALL
		      SELECT 'status', CAST(old.status AS TEXT), CAST(new.status AS TEXT) UNION ALL
		      SELECT 'return_reason', CAST(old.return_reason AS TEXT), CAST(new.return_reason AS TEXT) UNION ALL
		      SELECT 'goals_expected', CAST(old.goals_expected AS TEXT), CAST(new.goals_expected AS TEXT) UNION ALL
		      SELECT 'goals_achieved', CAST(old.goals_achieved AS TEXT), CAST(new.goals_achieved AS TEXT) UNION ALL
		      SELECT 'total_weight', CAST(old.total_weight AS TEXT), CAST(new.total_weight AS TEXT) UNION ALL
		      SELECT 'total_score', CAST(old.total_score AS TEXT), CAST(new.total_score AS TEXT) UNION ALL
		      SELECT 'total_grade', CAST(old.total_grade AS TEXT), CAST(new.total_grade AS TEXT) UNION ALL
		      SELECT 'deleted', CAST(old.deleted AS TEXT), CAST(new.deleted AS TEXT))
		 WHERE o IS NOT n);
END;
CREATE TRIGGER fund_upd_conflict AFTER UPDATE ON fund BEGIN
	DELETE FROM conflict WHERE form_uuid = new.form_uuid AND tbl = 'fund' AND rk = new.row AND col IN
		(SELECT c FROM (SELECT 'initial' AS c, CAST(old.initial AS TEXT) AS o, CAST(new.initial AS TEXT) AS n UNION ALL
		      SELECT 'budget', CAST(old.budget AS TEXT), CAST(new.budget AS TEXT) UNION ALL
		      SELECT 'spent', CAST(old.spent AS TEXT), CAST(new.spent AS TEXT) UNION ALL
		      SELECT 'weight', CAST(old.weight AS TEXT), CAST(new.weight AS TEXT) UNION ALL
		      SELECT 'rate', CAST(old.rate AS TEXT), CAST(new.rate AS TEXT) UNION ALL
		      SELECT 'score', CAST(old.score AS TEXT), CAST(new.score AS TEXT))
		 WHERE o IS NOT n AND n IS conflict.theirs);
	UPDATE conflict SET mine = (SELECT n FROM (SELECT 'initial' AS c, CAST(old.initial AS TEXT) AS o, CAST(new.initial AS TEXT) AS n UNION ALL
		      SELECT 'budget', CAST(old.budget AS TEXT), CAST(new.budget AS TEXT) UNION ALL
		      SELECT 'spent', CAST(old.spent AS TEXT), CAST(new.spent AS TEXT) UNION ALL
		      SELECT 'weight', CAST(old.weight AS TEXT), CAST(new.weight AS TEXT) UNION ALL
		      SELECT 'rate', CAST(old.rate AS TEXT), CAST(new.rate AS TEXT) UNION ALL
		      SELECT 'score', CAST(old.score AS TEXT), CAST(new.score AS TEXT))
		 WHERE c = conflict.col)
		WHERE form_uuid = new.form_uuid AND tbl = 'fund' AND rk = new.row AND col IN
		(SELECT c FROM (SELECT 'initial' AS c, CAST(old.initial AS TEXT) AS o, CAST(new.initial AS TEXT) AS n UNION ALL
		      SELECT 'budget', CAST(old.budget AS TEXT), CAST(new.budget AS TEXT) UNION ALL
		      SELECT 'spent', CAST(old.spent AS TEXT), CAST(new.spent AS TEXT) UNION ALL
		      SELECT 'weight', CAST(old.weight AS TEXT), CAST(new.weight AS TEXT) UNION ALL
		      SELECT 'rate', CAST(old.rate AS TEXT), CAST(new.rate AS TEXT) UNION ALL
		      SELECT 'score', CAST(old.score AS TEXT), CAST(new.score AS TEXT))
		 WHERE o IS NOT n);
END;
CREATE TRIGGER indicator_upd_conflict AFTER UPDATE ON indicator BEGIN
	DELETE FROM conflict WHERE form_uuid = new.form_uuid AND tbl = 'indicator' AND rk = new.uuid AND col IN
		(SELECT c FROM (SELECT 'pos' AS c, CAST(old.pos AS TEXT) AS o, CAST(new.pos AS TEXT) AS n UNION ALL
		      SELECT 'level1', CAST(old.level1 AS TEXT), CAST(new.level1 AS TEXT) UNION ALL
		      SELECT 'level2', CAST(old.level2 AS TEXT), CAST(new.level2 AS TEXT) UNION ALL
		      SELECT 'name', CAST(old.name AS TEXT), CAST(new.name AS TEXT) UNION ALL
		      SELECT 'nature', CAST(old.nature AS TEXT), CAST(new.nature AS TEXT) UNION ALL
		      SELECT 'target', CAST(old.target AS TEXT), CAST(new.target AS TEXT) UNION ALL
		      SELECT 'unit_of_measure', CAST(old.unit_of_measure AS TEXT), CAST(new.unit_of_measure AS TEXT) UNION ALL
		      SELECT 'actual', CAST(old.actual AS TEXT), CAST(new.actual AS TEXT) UNION ALL
		      SELECT 'weight', CAST(old.weight AS TEXT), CAST(new.weight AS TEXT) UNION ALL
		      SELECT 'score', CAST(old.score AS TEXT), CAST(new.score AS TEXT) UNION ALL
		      SELECT 'deviation', CAST(old.deviation AS TEXT), CAST(new.deviation AS TEXT))
		 WHERE o IS NOT n AND n IS conflict.theirs);
	UPDATE conflict SET mine = (SELECT n FROM (SELECT 'pos' AS c, CAST(old.pos AS TEXT) AS o, CAST(new.pos AS TEXT) AS n UNION ALL
		      SELECT 'level1', CAST(old.level1 AS TEXT), CAST(new.level1 AS TEXT) UNION ALL
		      SELECT 'level2', CAST(old.level2 AS TEXT), CAST(new.level2 AS TEXT) UNION ALL
		      SELECT 'name', CAST(old.name AS TEXT), CAST(new.name AS TEXT) UNION ALL
		      SELECT 'nature', CAST(old.nature AS TEXT), CAST(new.nature AS TEXT) UNION ALL
		      SELECT 'target', CAST(old.target AS TEXT), CAST(new.target AS TEXT) UNION ALL
		      SELECT 'unit_of_measure', CAST(old.unit_of_measure AS TEXT), CAST(new.unit_of_measure AS TEXT) UNION ALL
		      SELECT 'actual', CAST(old.actual AS TEXT), CAST(new.actual AS TEXT) UNION ALL
		      SELECT 'weight', CAST(old.weight AS TEXT), CAST(new.weight AS TEXT) UNION ALL
		      SELECT 'score', CAST(old.score AS TEXT), CAST(new.score AS TEXT) UNION ALL
		      SELECT 'deviation', CAST(old.deviation AS TEXT), CAST(new.deviation AS TEXT))
		 WHERE c = conflict.col)
		WHERE form_uuid = new.form_uuid AND tbl = 'indicator' AND rk = new.uuid AND col IN
		(SELECT c FROM (SELECT 'pos' AS c, CAST(old.pos AS TEXT) AS o, CAST(new.pos AS TEXT) AS n UNION ALL
		      SELECT 'level1', CAST(old.level1 AS TEXT), CAST(new.level1 AS TEXT) UNION ALL
		      SELECT 'level2', CAST(old.level2 AS TEXT), CAST(new.level2 AS TEXT) UNION ALL
		      SELECT 'name', CAST(old.name AS TEXT), CAST(new.name AS TEXT) UNION ALL
		      SELECT 'nature', CAST(old.nature AS TEXT), CAST(new.nature AS TEXT) UNION ALL
		      SELECT 'target', CAST(old.target AS TEXT), CAST(new.target AS TEXT) UNION ALL
		      SELECT 'unit_of_measure', CAST(old.unit_of_measure AS TEXT), CAST(new.unit_of_measure AS TEXT) UNION ALL
		      SELECT 'actual', CAST(old.actual AS TEXT), CAST(new.actual AS TEXT) UNION ALL
		      SELECT 'weight', CAST(old.weight AS TEXT), CAST(new.weight AS TEXT) UNION ALL
		      SELECT 'score', CAST(old.score AS TEXT), CAST(new.score AS TEXT) UNION ALL
		      SELECT 'deviation', CAST(old.deviation AS TEXT), CAST(new.deviation AS TEXT))
		 WHERE o IS NOT n);
END;

-- When the bundle applied last from each origin and unit was written, so a
-- number the sender wrote twice (killed after the file was renamed into
-- place, before its database noted the number) is not taken for the one
-- already applied.
ALTER TABLE bundle_applied ADD COLUMN created TEXT;
