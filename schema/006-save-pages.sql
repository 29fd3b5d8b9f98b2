-- 006-save-pages: one index fewer for every save to write.
--
-- Every save of a field changes form.updated, so every index on it takes a
-- delete and an insert, each a page written to the WAL and one more frame
-- per commit.  form_updated (001) orders all forms, deleted ones too, but
-- every query of the store asks for live forms only, which 003's partial
-- form_live_updated (and form_status_updated) serve; so form_updated was
-- written on every keystroke and never read.
DROP INDEX IF EXISTS form_updated;
