-- Screen heartbeats (issue #12; api/src/auth/seen.ts): when each display token was last heard
-- from, for the admins' list of screens (GET /api/v1/screens, "last seen"). The API keeps the
-- latest instant per token in memory (every request of a display token, and every 30 s every
-- token with a live stream open) and writes them in one insert per flush, never a row per request:
-- 500 screens polling would otherwise be 500 inserts a second. ReplacingMergeTree keeps the latest
-- row per token once merged; reads take max(seen_ms) per token, so they are exact before a merge.
-- Read by GET /api/v1/screens only.
CREATE TABLE IF NOT EXISTS screen_heartbeats
(
    site String,
    token_id String,
    seen_ms Int64
)
ENGINE = ReplacingMergeTree(seen_ms)
ORDER BY (site, token_id);
