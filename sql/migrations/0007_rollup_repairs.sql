-- Repairs of the quarter-hour rollup (queue_quarter) where its materialized views missed a block of
-- facts. ClickHouse writes an insert's part of the fact table and then each view's part, not as one
-- transaction: a server crash between the two leaves the facts right and the rollup short, and the
-- retried derivation, finding the facts in place, writes nothing (ingest/README.md).
--
-- A repair row holds, per rollup cell, the whole difference between what the facts give and what
-- the views wrote (not an increment), as of `repaired_ms`; the latest one per cell counts. So two
-- processes repairing one cell write the same row, a repair run again replaces the last one, and a
-- cell found right again gets a row of zeros. Readers of the rollup add the latest repair of each
-- cell (rollupSource in sql/src/queries/rollup.ts). The table is empty unless something crashed.
-- A repair row is a rollup row and the instant of the repair: the columns are queue_quarter's.
CREATE TABLE IF NOT EXISTS queue_quarter_repairs
ENGINE = ReplacingMergeTree(repaired_ms)
PARTITION BY toYYYYMM(quarter)
ORDER BY (site, quarter, queue, sl_version)
AS SELECT *, toInt64(0) AS repaired_ms FROM queue_quarter WHERE 0;
