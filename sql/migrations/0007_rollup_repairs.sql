-- Repairs of the quarter-hour rollup (queue_quarter) where its materialized views missed a block of
-- facts. ClickHouse writes an insert's part of the fact table and then each view's part, not as one
-- transaction: a server crash between the two leaves the facts right and the rollup short, and the
-- retried derivation, finding the facts in place, writes nothing (ingest/README.md).
--
-- A repair row holds, per rollup cell, the whole difference between what the facts give and what
-- the views wrote (not an increment), as of `repaired_ms`; the latest one per cell counts. So two
-- processes repairing one cell write the same row, a repair run again replaces the last one, and a
-- cell found right again gets a row of zeros. Readers of the rollup add the latest repair of each
-- cell (sql/src/queries/reports.ts, rollupCells). The table is empty unless something crashed.
CREATE TABLE IF NOT EXISTS queue_quarter_repairs
(
    site String,
    queue String,
    quarter DateTime('UTC'),
    sl_version UInt32,
    offered Int64,
    answered Int64,
    abandoned Int64,
    callbacks Int64,
    flowed_out Int64,
    orphaned Int64,
    answered_wait_ms Int64,
    answered_within_sl Int64,
    short_abandoned Int64,
    answered_wait_hist AggregateFunction(sumMap, Array(UInt32), Array(Int64)),
    abandoned_wait_hist AggregateFunction(sumMap, Array(UInt32), Array(Int64)),
    max_wait_ms AggregateFunction(max, Int64),
    retracted Int64,
    handled Int64,
    handled_timed Int64,
    handle_ms Int64,
    handled_resolved Int64,
    transfers Int64,
    first_responses Int64,
    first_response_ms Int64,
    csat_n Int64,
    csat_good Int64,
    csat_low Int64,
    nps_n Int64,
    nps_promoters Int64,
    nps_detractors Int64,
    fcr_n Int64,
    fcr_yes Int64,
    available_ms Int64,
    on_contact_ms Int64,
    wrap_up_ms Int64,
    not_ready_ms Int64,
    repaired_ms Int64
)
ENGINE = ReplacingMergeTree(repaired_ms)
PARTITION BY toYYYYMM(quarter)
ORDER BY (site, quarter, queue, sl_version);
