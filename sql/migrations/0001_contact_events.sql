-- contact_events: every valid contact.* event of events.md, one row per event, exactly as received
-- (less the fields the contract says to ignore). Written by ingest/ (cc.calls, cc.chats); read by
-- the live snapshot (waiting, longest waiting: sql/src/queries/contacts.ts) and, from the metrics
-- issue on, by the per-visit state and the rollups.
--
-- Redelivery: a message delivered twice inserts the same row twice. The sorting key ends with
-- event_id, so ReplacingMergeTree folds the copies together when parts merge; until then every
-- query over this table must be insensitive to duplicates (max/min/exists, or uniqExact(event_id)),
-- which the live queries are by construction.
--
-- Times: occurred_ms is the event's instant in epoch milliseconds (no DateTime64 on 18.16);
-- occurred_at is the same instant to the second, for partitioning and the primary index.
CREATE TABLE IF NOT EXISTS contact_events
(
    site String,
    event_id String,
    type String,
    occurred_at DateTime('UTC'),
    occurred_ms Int64,
    contact_id String,
    queue String,
    channel String,
    direction String,
    agent_id String,
    customer_id String,
    customer_tier String,
    customer_phone String,
    to_queue String,
    to_agent_id String,
    disposition String,
    category String,
    ingested_at DateTime('UTC')
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (site, occurred_at, event_id);
