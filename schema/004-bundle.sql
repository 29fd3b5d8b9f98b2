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

CREATE TRIGGER form_upd_seen AFTER UPDATE ON form BEGIN
	INSERT OR IGNORE INTO seen SELECT new.uuid, 'form', '', 'year',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.uuid AND tbl = 'form' AND rk = '' AND col = 'year'),
		ifnull('=' || old.year, '~') WHERE old.year IS NOT new.year;
	INSERT OR IGNORE INTO seen SELECT new.uuid, 'form', '', 'unit',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.uuid AND tbl = 'form' AND rk = '' AND col = 'unit'),
		ifnull('=' || old.unit, '~') WHERE old.unit IS NOT new.unit;
	INSERT OR IGNORE INTO seen SELECT new.uuid, 'form', '', 'project',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.uuid AND tbl = 'form' AND rk = '' AND col = 'project'),
		ifnull('=' || old.project, '~') WHERE old.project IS NOT new.project;
	INSERT OR IGNORE INTO seen SELECT new.uuid, 'form', '', 'department',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.uuid AND tbl = 'form' AND rk = '' AND col = 'department'),
		ifnull('=' || old.department, '~') WHERE old.department IS NOT new.department;
	INSERT OR IGNORE INTO seen SELECT new.uuid, 'form', '', 'lead',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.uuid AND tbl = 'form' AND rk = '' AND col = 'lead'),
		ifnull('=' || old.lead, '~') WHERE old.lead IS NOT new.lead;
	INSERT OR IGNORE INTO seen SELECT new.uuid, 'form', '', 'phone',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.uuid AND tbl = 'form' AND rk = '' AND col = 'phone'),
		ifnull('=' || old.phone, '~') WHERE old.phone IS NOT new.phone;
	INSERT OR IGNORE INTO seen SELECT new.uuid, 'form', '', 'layout',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.uuid AND tbl = 'form' AND rk = '' AND col = 'layout'),
		ifnull('=' || old.layout, '~') WHERE old.layout IS NOT new.layout;
	INSERT OR IGNORE INTO seen SELECT new.uuid, 'form', '', 'ruleset',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.uuid AND tbl = 'form' AND rk = '' AND col = 'ruleset'),
		ifnull('=' || old.ruleset, '~') WHERE old.ruleset IS NOT new.ruleset;
	INSERT OR IGNORE INTO seen SELECT new.uuid, 'form', '', 'status',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.uuid AND tbl = 'form' AND rk = '' AND col = 'status'),
		ifnull('=' || old.status, '~') WHERE old.status IS NOT new.status;
	INSERT OR IGNORE INTO seen SELECT new.uuid, 'form', '', 'return_reason',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.uuid AND tbl = 'form' AND rk = '' AND col = 'return_reason'),
		ifnull('=' || old.return_reason, '~') WHERE old.return_reason IS NOT new.return_reason;
	INSERT OR IGNORE INTO seen SELECT new.uuid, 'form', '', 'goals_expected',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.uuid AND tbl = 'form' AND rk = '' AND col = 'goals_expected'),
		ifnull('=' || old.goals_expected, '~') WHERE old.goals_expected IS NOT new.goals_expected;
	INSERT OR IGNORE INTO seen SELECT new.uuid, 'form', '', 'goals_achieved',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.uuid AND tbl = 'form' AND rk = '' AND col = 'goals_achieved'),
		ifnull('=' || old.goals_achieved, '~') WHERE old.goals_achieved IS NOT new.goals_achieved;
	INSERT OR IGNORE INTO seen SELECT new.uuid, 'form', '', 'total_weight',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.uuid AND tbl = 'form' AND rk = '' AND col = 'total_weight'),
		ifnull('=' || old.total_weight, '~') WHERE old.total_weight IS NOT new.total_weight;
	INSERT OR IGNORE INTO seen SELECT new.uuid, 'form', '', 'total_score',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.uuid AND tbl = 'form' AND rk = '' AND col = 'total_score'),
		ifnull('=' || old.total_score, '~') WHERE old.total_score IS NOT new.total_score;
	INSERT OR IGNORE INTO seen SELECT new.uuid, 'form', '', 'total_grade',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.uuid AND tbl = 'form' AND rk = '' AND col = 'total_grade'),
		ifnull('=' || old.total_grade, '~') WHERE old.total_grade IS NOT new.total_grade;
	INSERT OR IGNORE INTO seen SELECT new.uuid, 'form', '', 'deleted',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.uuid AND tbl = 'form' AND rk = '' AND col = 'deleted'),
		ifnull('=' || old.deleted, '~') WHERE old.deleted IS NOT new.deleted;
	INSERT OR IGNORE INTO bundle_dirty VALUES (new.uuid);
END;

CREATE TRIGGER fund_upd_seen AFTER UPDATE ON fund BEGIN
	INSERT OR IGNORE INTO seen SELECT new.form_uuid, 'fund', new.row, 'initial',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.form_uuid AND tbl = 'fund' AND rk = new.row AND col = 'initial'),
		ifnull('=' || old.initial, '~') WHERE old.initial IS NOT new.initial;
	INSERT OR IGNORE INTO seen SELECT new.form_uuid, 'fund', new.row, 'budget',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.form_uuid AND tbl = 'fund' AND rk = new.row AND col = 'budget'),
		ifnull('=' || old.budget, '~') WHERE old.budget IS NOT new.budget;
	INSERT OR IGNORE INTO seen SELECT new.form_uuid, 'fund', new.row, 'spent',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.form_uuid AND tbl = 'fund' AND rk = new.row AND col = 'spent'),
		ifnull('=' || old.spent, '~') WHERE old.spent IS NOT new.spent;
	INSERT OR IGNORE INTO seen SELECT new.form_uuid, 'fund', new.row, 'weight',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.form_uuid AND tbl = 'fund' AND rk = new.row AND col = 'weight'),
		ifnull('=' || old.weight, '~') WHERE old.weight IS NOT new.weight;
	INSERT OR IGNORE INTO seen SELECT new.form_uuid, 'fund', new.row, 'rate',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.form_uuid AND tbl = 'fund' AND rk = new.row AND col = 'rate'),
		ifnull('=' || old.rate, '~') WHERE old.rate IS NOT new.rate;
	INSERT OR IGNORE INTO seen SELECT new.form_uuid, 'fund', new.row, 'score',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.form_uuid AND tbl = 'fund' AND rk = new.row AND col = 'score'),
		ifnull('=' || old.score, '~') WHERE old.score IS NOT new.score;
	INSERT OR IGNORE INTO bundle_dirty VALUES (new.form_uuid);
END;

CREATE TRIGGER indicator_upd_seen AFTER UPDATE ON indicator BEGIN
	INSERT OR IGNORE INTO seen SELECT new.form_uuid, 'indicator', new.uuid, 'pos',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.form_uuid AND tbl = 'indicator' AND rk = new.uuid AND col = 'pos'),
		ifnull('=' || old.pos, '~') WHERE old.pos IS NOT new.pos;
	INSERT OR IGNORE INTO seen SELECT new.form_uuid, 'indicator', new.uuid, 'level1',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.form_uuid AND tbl = 'indicator' AND rk = new.uuid AND col = 'level1'),
		ifnull('=' || old.level1, '~') WHERE old.level1 IS NOT new.level1;
	INSERT OR IGNORE INTO seen SELECT new.form_uuid, 'indicator', new.uuid, 'level2',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.form_uuid AND tbl = 'indicator' AND rk = new.uuid AND col = 'level2'),
		ifnull('=' || old.level2, '~') WHERE old.level2 IS NOT new.level2;
	INSERT OR IGNORE INTO seen SELECT new.form_uuid, 'indicator', new.uuid, 'name',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.form_uuid AND tbl = 'indicator' AND rk = new.uuid AND col = 'name'),
		ifnull('=' || old.name, '~') WHERE old.name IS NOT new.name;
	INSERT OR IGNORE INTO seen SELECT new.form_uuid, 'indicator', new.uuid, 'nature',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.form_uuid AND tbl = 'indicator' AND rk = new.uuid AND col = 'nature'),
		ifnull('=' || old.nature, '~') WHERE old.nature IS NOT new.nature;
	INSERT OR IGNORE INTO seen SELECT new.form_uuid, 'indicator', new.uuid, 'target',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.form_uuid AND tbl = 'indicator' AND rk = new.uuid AND col = 'target'),
		ifnull('=' || old.target, '~') WHERE old.target IS NOT new.target;
	INSERT OR IGNORE INTO seen SELECT new.form_uuid, 'indicator', new.uuid, 'unit_of_measure',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.form_uuid AND tbl = 'indicator' AND rk = new.uuid AND col = 'unit_of_measure'),
		ifnull('=' || old.unit_of_measure, '~') WHERE old.unit_of_measure IS NOT new.unit_of_measure;
	INSERT OR IGNORE INTO seen SELECT new.form_uuid, 'indicator', new.uuid, 'actual',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.form_uuid AND tbl = 'indicator' AND rk = new.uuid AND col = 'actual'),
		ifnull('=' || old.actual, '~') WHERE old.actual IS NOT new.actual;
	INSERT OR IGNORE INTO seen SELECT new.form_uuid, 'indicator', new.uuid, 'weight',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.form_uuid AND tbl = 'indicator' AND rk = new.uuid AND col = 'weight'),
		ifnull('=' || old.weight, '~') WHERE old.weight IS NOT new.weight;
	INSERT OR IGNORE INTO seen SELECT new.form_uuid, 'indicator', new.uuid, 'score',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.form_uuid AND tbl = 'indicator' AND rk = new.uuid AND col = 'score'),
		ifnull('=' || old.score, '~') WHERE old.score IS NOT new.score;
	INSERT OR IGNORE INTO seen SELECT new.form_uuid, 'indicator', new.uuid, 'deviation',
		(SELECT ifnull(max(gen) + 1, 0) FROM seen WHERE form_uuid = new.form_uuid AND tbl = 'indicator' AND rk = new.uuid AND col = 'deviation'),
		ifnull('=' || old.deviation, '~') WHERE old.deviation IS NOT new.deviation;
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
CREATE TRIGGER history_ins_dirty AFTER INSERT ON history BEGIN
	INSERT OR IGNORE INTO bundle_dirty VALUES (new.form_uuid);
END;

