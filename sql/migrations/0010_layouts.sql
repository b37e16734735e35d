-- TV layouts (issue #12; api/src/live/layouts.ts): what the screens whose display token names a
-- layout show (tiles, figures, trends, paging), one row per version like alert_rules: an edit
-- inserts the next version, a delete a version with deleted = 1, nothing is rewritten. `body` is
-- the layout as JSON (contracts/src/tv.ts LayoutDraft). A layout without a row (or whose latest
-- version is deleted) is the built-in default, version 0. Read by the layouts routes and, through
-- a cache of about a second, by the live stream when it projects a frame per layout.
CREATE TABLE IF NOT EXISTS layouts
(
    site String,
    layout_id String,
    version UInt32,
    deleted UInt8,
    body String,
    created_ms Int64,
    created_by String
)
ENGINE = ReplacingMergeTree(created_ms)
ORDER BY (site, layout_id, version);
