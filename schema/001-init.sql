-- 001-init: forms, their fund rows and indicator rows, history.
--
-- Rows that travel between machines (form, fund, indicator, history,
-- comment) have PRIMARY KEYs made of UUIDs, so the session extension can carry
-- them and keys from two machines never collide.  One field is one column, so
-- a conflict is per field.  Numeric ids are local: form_local maps them, and
-- also caches what the rules computed so lists never load whole forms.

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT
);

CREATE TABLE form (
	uuid           TEXT PRIMARY KEY,
	year           INTEGER NOT NULL,
	unit           TEXT NOT NULL,
	project        TEXT NOT NULL,
	department     TEXT,
	lead           TEXT,
	phone          TEXT,
	layout         TEXT NOT NULL,
	ruleset        TEXT NOT NULL,
	status         TEXT NOT NULL DEFAULT 'draft'
	               CHECK (status IN ('draft', 'submitted', 'returned', 'approved')),
	return_reason  TEXT,
	goals_expected TEXT,
	goals_achieved TEXT,
	total_weight   TEXT,
	total_score    TEXT,
	total_grade    TEXT,
	version        INTEGER NOT NULL DEFAULT 1,
	created        TEXT NOT NULL,
	updated        TEXT NOT NULL,
	deleted        INTEGER NOT NULL DEFAULT 0
);
-- Drafts are kept per unit and year; one live form per project.
CREATE UNIQUE INDEX form_key ON form (unit, year, project) WHERE deleted = 0;
CREATE INDEX form_updated ON form (updated);

CREATE TABLE fund (
	form_uuid TEXT NOT NULL REFERENCES form (uuid) ON DELETE CASCADE,
	row       TEXT NOT NULL CHECK (row IN ('total', 'appropriation', 'carryover', 'other')),
	initial   TEXT,
	budget    TEXT,
	spent     TEXT,
	weight    TEXT,
	rate      TEXT,
	score     TEXT,
	PRIMARY KEY (form_uuid, row)
);

CREATE TABLE indicator (
	uuid            TEXT PRIMARY KEY,
	form_uuid       TEXT NOT NULL REFERENCES form (uuid) ON DELETE CASCADE,
	pos             INTEGER NOT NULL,
	level1          TEXT,
	level2          TEXT,
	name            TEXT,
	nature          TEXT,
	target          TEXT,
	unit_of_measure TEXT,
	actual          TEXT,
	weight          TEXT,
	score           TEXT,
	deviation       TEXT
);
CREATE INDEX indicator_form ON indicator (form_uuid, pos);

-- Every change of every field: what it was, what it became, when, who.
CREATE TABLE history (
	uuid      TEXT PRIMARY KEY,
	form_uuid TEXT NOT NULL,
	path      TEXT NOT NULL,
	old_value TEXT,
	new_value TEXT,
	at        TEXT NOT NULL,
	user      TEXT NOT NULL
);
CREATE INDEX history_form ON history (form_uuid, at);

-- Local to this database: numeric ids people type, and the rules' figures.
CREATE TABLE form_local (
	id        INTEGER PRIMARY KEY,
	form_uuid TEXT NOT NULL UNIQUE,
	score     TEXT,
	grade     TEXT,
	errors    INTEGER NOT NULL DEFAULT 0
);
