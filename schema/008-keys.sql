-- 008-keys: who signed a bundle, and who may open it (src/keys.h, issue 16).
--
-- key_own: this database's own key pairs (Ed25519 to sign, X25519 to be
-- sealed to).  Made at first need.  Never travels: no bundle, export or
-- other file jxzp writes reads this table.  A replaced pair stays (replaced
-- set) only to open bundles already sealed to it; it signs nothing more.
CREATE TABLE key_own (
	sign_pub  BLOB PRIMARY KEY,
	seal_pub  BLOB NOT NULL,
	sign_priv BLOB NOT NULL,
	seal_priv BLOB NOT NULL,
	created   TEXT NOT NULL,
	replaced  TEXT
);
-- At most one current pair.
CREATE UNIQUE INDEX key_own_current ON key_own ((replaced IS NULL)) WHERE replaced IS NULL;

-- key_trust: other databases' keys trusted here, as told by a person
-- (`jxzp key trust`): the office's (unit '') or a unit's, one row per unit
-- the key speaks for.
CREATE TABLE key_trust (
	sign_pub BLOB NOT NULL,
	seal_pub BLOB NOT NULL,
	role     TEXT NOT NULL CHECK (role IN ('office', 'unit')),
	unit     TEXT NOT NULL,
	added    TEXT NOT NULL,
	PRIMARY KEY (sign_pub, role, unit)
);

-- key_revoked: keys refused from now on (a lost machine), whatever
-- key_trust says; a revoked key cannot be trusted again.
CREATE TABLE key_revoked (
	sign_pub BLOB PRIMARY KEY,
	seal_pub BLOB NOT NULL,
	at       TEXT NOT NULL
);
