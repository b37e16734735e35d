-- Monthly compliance packs (issue #15; api/src/exports/). One row per write of an export's record:
-- queued, running, then done (with the zip's size, SHA-256, where it is kept under EXPORT_DIR and
-- its manifest) or failed (with why). Reads take each export's latest write (argMax of
-- updated_ms); ReplacingMergeTree folds the older ones away in time. The manifest of every done
-- pack is kept here too, so that a later pack of the same site, month and language can say the
-- month was restated and name the earlier pack's hashes even after its zip was deleted.
CREATE TABLE IF NOT EXISTS exports
(
    export_id String,
    site String,
    month String,
    lang String,
    personal_data UInt8,
    status String,
    trigger String,
    requested_by_id String,
    requested_by String,
    requested_ms Int64,
    finished_ms Int64,
    error String,
    bytes Int64,
    sha256 String,
    path String,
    manifest String,
    restated UInt8,
    updated_ms Int64
)
ENGINE = ReplacingMergeTree(updated_ms)
ORDER BY (site, export_id);
