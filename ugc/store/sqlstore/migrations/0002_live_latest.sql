-- 0002_live_latest: each live user's representative entry (latest start,
-- ties by kind), kept by SetLive and ClearLive in the same transaction as
-- the live table, so the directory and following lists read one row per
-- user without a correlated subquery.

CREATE TABLE live_latest (
	user_id TEXT PRIMARY KEY,
	kind    TEXT NOT NULL,
	since   INTEGER NOT NULL,
	ref     TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX live_latest_since ON live_latest (since DESC, user_id);

INSERT INTO live_latest (user_id, kind, since, ref)
SELECT user_id, kind, since, ref FROM live l
WHERE NOT EXISTS (SELECT 1 FROM live l2 WHERE l2.user_id = l.user_id
	AND (l2.since > l.since OR l2.since = l.since AND l2.kind < l.kind));

-- The directory reads live_latest now.
DROP INDEX live_since;
