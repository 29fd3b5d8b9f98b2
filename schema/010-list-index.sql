-- 010-list-index: the forms list counts without counting.
--
-- The list and the pager print how many forms there are; count(*) over
-- 10^6 live forms reads an index through (tens of ms and growing), so the
-- live forms per status are kept here by triggers on form_local (whose
-- status and live follow form, schema 003, whoever writes form).  A field
-- saved changes neither, so a keystroke's save never touches this table.
CREATE TABLE form_tally (
	status TEXT PRIMARY KEY,	-- form.status ('' if it had none)
	n      INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO form_tally
	SELECT coalesce(status, ''), count(*) FROM form_local WHERE live = 1 GROUP BY 1;

CREATE TRIGGER form_tally_ins AFTER INSERT ON form_local WHEN NEW.live = 1 BEGIN
	INSERT INTO form_tally VALUES (coalesce(NEW.status, ''), 1)
		ON CONFLICT (status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER form_tally_upd AFTER UPDATE OF status, live ON form_local
	WHEN OLD.status IS NOT NEW.status OR OLD.live IS NOT NEW.live BEGIN
	UPDATE form_tally SET n = n - 1 WHERE OLD.live = 1 AND status = coalesce(OLD.status, '');
	INSERT INTO form_tally SELECT coalesce(NEW.status, ''), 1 WHERE NEW.live = 1
		ON CONFLICT (status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER form_tally_del AFTER DELETE ON form_local WHEN OLD.live = 1 BEGIN
	UPDATE form_tally SET n = n - 1 WHERE status = coalesce(OLD.status, '');
END;
