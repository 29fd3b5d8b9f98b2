-- 002-review: reviewers' comments, and what the reviewer's pager sorts by.
--
-- Comments travel between machines like forms do, so their key is a UUID.
-- The sort keys in form_local are local caches that store.c derives from the
-- cached texts (score, grade, rate) with exact decimals: score_key and
-- rate_key are the value times 10^6 as an integer, grade_rank orders the
-- total grades (差 1, 低 2, 中 3, 良 4, 优 5, anything else 0), so the pager
-- sorts 100,000 forms by an index instead of by text ("95" > "100").

CREATE TABLE comment (
	uuid      TEXT PRIMARY KEY,
	form_uuid TEXT NOT NULL REFERENCES form (uuid) ON DELETE CASCADE,
	path      TEXT,			-- a field path, or NULL for the whole form
	author    TEXT NOT NULL,
	at        TEXT NOT NULL,	-- ISO 8601 UTC
	text      TEXT NOT NULL,
	resolved  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX comment_form ON comment (form_uuid, at);

ALTER TABLE form_local ADD COLUMN rate TEXT;
ALTER TABLE form_local ADD COLUMN score_key INTEGER;
ALTER TABLE form_local ADD COLUMN rate_key INTEGER;
ALTER TABLE form_local ADD COLUMN grade_rank INTEGER;
CREATE INDEX form_local_score ON form_local (score_key);
CREATE INDEX form_local_rate ON form_local (rate_key);
CREATE INDEX form_local_grade ON form_local (grade_rank);

-- The reviewer's pager over submitted forms: by status, then the usual order.
CREATE INDEX form_status ON form (status, unit, year, project) WHERE deleted = 0;
