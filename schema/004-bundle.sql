-- 004-bundle: what offline exchange between machines needs (src/bundle.h).
--
-- A bundle carries the whole current rows of the forms changed since this
-- database last wrote one, with the values each field has had and lost
-- (seen).  The receiver merges field by field: a value the sender has seen
-- replaced is taken over, a value this database replaced itself is kept,
-- and two values neither side has seen replaced are a conflict, kept for a
-- person.  So the merge needs no common snapshot and no delivery order.
--
-- seen: every value a field held and lost, here or on a machine whose
-- bundle was applied here, with its generation (how many times the field
-- had changed before it held that value; a field's current generation is
-- one more than its highest seen).  The generation tells apart a status
-- that comes back (submitted, returned, submitted again).  v is '=' ||
-- value, or '~' for absent, so NULL keys compare.  rk is '' for the form
-- row, the fund row name, or the indicator uuid.  Filled by the triggers
-- below on every write, whoever writes.  Travels in bundles; only grows.
CREATE TABLE seen (
	form_uuid TEXT NOT NULL,
	tbl       TEXT NOT NULL,
	rk        TEXT NOT NULL,
	col       TEXT NOT NULL,
	gen       INTEGER NOT NULL,
	v         TEXT NOT NULL,
	PRIMARY KEY (form_uuid, tbl, rk, col, gen, v)
) WITHOUT ROWID;

-- Indicator rows deleted here, with the row's values when deleted (sig), so
-- a bundle from a machine that still has the row does not bring it back
-- unless that machine changed it since.  Travels in bundles.
CREATE TABLE tombstone (
	form_uuid TEXT NOT NULL,
	tbl       TEXT NOT NULL,
	rk        TEXT NOT NULL,
	sig       TEXT NOT NULL,
	at        TEXT NOT NULL,
	PRIMARY KEY (tbl, rk)
);
CREATE INDEX tombstone_form ON tombstone (form_uuid);

-- Local: forms changed since the last bundle this database wrote for them
-- (by a person here or by a bundle applied here, so changes from one
-- machine are passed on to the others).  A form never sent (no bundle_sent
-- row) goes in the next bundle too; so inserts need no trigger, which keeps
-- an insert's statement journal small (it spills to a temporary file past
-- 64 KiB, and a machine may have no writable temporary folder).
CREATE TABLE bundle_dirty (
	form_uuid TEXT PRIMARY KEY
);
-- Local: the last history row of each form already sent in a bundle.
CREATE TABLE bundle_sent (
	form_uuid  TEXT PRIMARY KEY,
	history_id INTEGER NOT NULL
);
-- Local: the sequence numbers of this database's bundles, one chain per unit.
CREATE TABLE bundle_seq (
	unit TEXT PRIMARY KEY,
	seq  INTEGER NOT NULL
);
-- Local: the bundles applied here, per origin database and unit.
CREATE TABLE bundle_applied (
	origin TEXT NOT NULL,
	unit   TEXT NOT NULL,
	seq    INTEGER NOT NULL,
	at     TEXT NOT NULL,
	PRIMARY KEY (origin, unit)
);

-- Local: fields changed on both sides, waiting for a person.  The local
-- value stays in the form until `jxzp resolve`; theirs is kept here.  col
-- '*' is an indicator row deleted there and changed here (mine is the
-- row's signature, theirs NULL).  While a field is in conflict, the seen
-- values of the other side are not merged for it, so its generation stays.
CREATE TABLE conflict (
	form_uuid     TEXT NOT NULL,
	tbl           TEXT NOT NULL,
	rk            TEXT NOT NULL,
	col           TEXT NOT NULL,
	mine          TEXT,
	theirs        TEXT,
	mine_origin   TEXT NOT NULL,
	theirs_origin TEXT NOT NULL,
	at            TEXT NOT NULL,
	theirs_gen    INTEGER NOT NULL,	-- the generation of theirs (see seen)
	PRIMARY KEY (form_uuid, tbl, rk, col)
);

-- ---- triggers: every replaced value is remembered, every change marked ----
-- (Every save of the store updates the form row, if only its version, so
-- the form trigger marks it.  One statement per trigger: the schema is
-- parsed at every open.)

CREATE TRIGGER form_upd_seen AFTER UPDATE ON form BEGIN
	INSERT OR IGNORE INTO seen
		SELECT new.uuid, 'form', '', c, (SELECT ifnull(max(gen) + 1, 0) FROM seen
			WHERE form_uuid = new.uuid AND tbl = 'form' AND rk = '' AND col = c), ifnull('=' || o, '~')
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
			WHERE form_uuid = new.form_uuid AND tbl = 'fund' AND rk = new.row AND col = c), ifnull('=' || o, '~')
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
			WHERE form_uuid = new.form_uuid AND tbl = 'indicator' AND rk = new.uuid AND col = c), ifnull('=' || o, '~')
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

-- The signature is the row's fields except its position, as a JSON array
-- (NULL and '' stay apart); src/store_bundle.c computes it the same way.
CREATE TRIGGER indicator_del_tomb AFTER DELETE ON indicator BEGIN
	INSERT OR REPLACE INTO tombstone VALUES (old.form_uuid, 'indicator', old.uuid,
		json_array(old.level1, old.level2, old.name, old.nature, old.target,
			   old.unit_of_measure, old.actual, old.weight, old.score, old.deviation),
		strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
	INSERT OR IGNORE INTO bundle_dirty VALUES (old.form_uuid);
END;

CREATE TRIGGER comment_ins_dirty AFTER INSERT ON comment BEGIN
	INSERT OR IGNORE INTO bundle_dirty VALUES (new.form_uuid);
END;
CREATE TRIGGER comment_upd_dirty AFTER UPDATE ON comment BEGIN
	INSERT OR IGNORE INTO bundle_dirty VALUES (new.form_uuid);
END;
