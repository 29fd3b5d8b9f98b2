-- 009-triage: the reviewer's triage (src/store_triage.c), cached.
--
-- Local to this database, like form_local: computed from the forms, never
-- carried in bundles.  One row per form: the facts other forms are compared
-- with (src/triage.h), the form's own signals, its cross-form signals and
-- its score.  Whoever writes a form, its fund rows or its indicator rows
-- (a save, an import, a bundle), the triggers below mark its row stale, and
-- `jxzp triage` or the pager computes the stale rows again before reading.
-- triage_band holds the LSH band keys of each form's texts, so the forms
-- whose texts may be copies of a changed form's are found by index.

CREATE TABLE triage (
	form_uuid TEXT PRIMARY KEY,
	stale     INTEGER NOT NULL DEFAULT 1,
	form_id   INTEGER,
	grp       INTEGER,		-- hash of unit and project (tr_facts.group)
	facts     BLOB,
	own       TEXT,		-- the form's own signals (tr_list_pack)
	own_mask  INTEGER NOT NULL DEFAULT 0,
	cross     TEXT,		-- signals from comparing it with other forms
	score     INTEGER NOT NULL DEFAULT 0,
	mask      INTEGER NOT NULL DEFAULT 0	-- bit per signal code it has
);
CREATE INDEX triage_stale ON triage (stale) WHERE stale = 1;
CREATE INDEX triage_grp ON triage (grp);
CREATE UNIQUE INDEX triage_id ON triage (form_id);
CREATE INDEX triage_score ON triage (score, form_id);

CREATE TABLE triage_band (
	key     INTEGER NOT NULL,
	form_id INTEGER NOT NULL,
	PRIMARY KEY (key, form_id)
) WITHOUT ROWID;

-- who names whom: a form's cross signals that name another form
CREATE TABLE triage_ref (
	other   INTEGER NOT NULL,
	form_id INTEGER NOT NULL,
	PRIMARY KEY (other, form_id)
) WITHOUT ROWID;

INSERT INTO triage (form_uuid) SELECT uuid FROM form;

CREATE TRIGGER triage_form_new AFTER INSERT ON form BEGIN
	INSERT OR IGNORE INTO triage (form_uuid) VALUES (NEW.uuid);
	UPDATE triage SET stale = 1 WHERE form_uuid = NEW.uuid;
END;
CREATE TRIGGER triage_form_upd AFTER UPDATE ON form BEGIN
	UPDATE triage SET stale = 1 WHERE form_uuid = NEW.uuid AND stale = 0;
END;
CREATE TRIGGER triage_fund_ins AFTER INSERT ON fund BEGIN
	UPDATE triage SET stale = 1 WHERE form_uuid = NEW.form_uuid AND stale = 0;
END;
CREATE TRIGGER triage_fund_upd AFTER UPDATE ON fund BEGIN
	UPDATE triage SET stale = 1 WHERE form_uuid = NEW.form_uuid AND stale = 0;
END;
CREATE TRIGGER triage_fund_del AFTER DELETE ON fund BEGIN
	UPDATE triage SET stale = 1 WHERE form_uuid = OLD.form_uuid AND stale = 0;
END;
CREATE TRIGGER triage_ind_ins AFTER INSERT ON indicator BEGIN
	UPDATE triage SET stale = 1 WHERE form_uuid = NEW.form_uuid AND stale = 0;
END;
CREATE TRIGGER triage_ind_upd AFTER UPDATE ON indicator BEGIN
	UPDATE triage SET stale = 1 WHERE form_uuid = NEW.form_uuid AND stale = 0;
END;
CREATE TRIGGER triage_ind_del AFTER DELETE ON indicator BEGIN
	UPDATE triage SET stale = 1 WHERE form_uuid = OLD.form_uuid AND stale = 0;
END;
CREATE TRIGGER triage_form_del AFTER DELETE ON form BEGIN
	UPDATE triage SET stale = 1 WHERE form_uuid = OLD.uuid;
END;
