-- Fact tables keep the exact net count of every fact through merges.
--
-- 0003 made them CollapsingMergeTree. Its merges are exact only while every sorting key holds a
-- net count of 0 or 1; a fact written twice (Kafka redelivers, two processes derive one contact
-- during a rebalance) and then mended by the deriver's -1 (diff.ts) can lose both copies: the merge
-- of the two +1 rows keeps one, the -1 then cancels it, and the fact is gone from the table while
-- the rollup, a plain sum of every row written, still counts it. That is the defect the ClickHouse
-- crash test found (live windows short of the reports). SummingMergeTree(sign) sums the sign of
-- rows with one sorting key and drops the row when the sum is 0, so merges never change sum(sign)
-- for any key, whatever order or multiplicity the rows came in. A fact id hashes all of the fact's
-- values, so rows sharing a key are copies of one fact and the columns it does not sum agree.
--
-- No table can change its engine in place: each is copied into a new table and swapped in. The
-- views that feed queue_quarter from these tables are dropped first and created again, verbatim
-- from 0003, after the swap, so that no view is left pointing at a dropped table (ClickHouse keeps
-- views attached by name in 18.16 and by id in later versions). Run with the ingest stopped, as
-- every migration: ClickHouse has no transactional DDL. queue_quarter itself is untouched.

DROP TABLE IF EXISTS queue_quarter_contacts_mv;
DROP TABLE IF EXISTS queue_quarter_surveys_mv;
DROP TABLE IF EXISTS queue_quarter_agents_mv;

CREATE TABLE contact_facts_summing AS contact_facts
ENGINE = SummingMergeTree(sign)
PARTITION BY toYYYYMM(anchor_at)
ORDER BY (site, anchor_at, contact_id, fact_id);
INSERT INTO contact_facts_summing SELECT * FROM contact_facts;
DROP TABLE contact_facts;
RENAME TABLE contact_facts_summing TO contact_facts;

CREATE TABLE open_visits_summing AS open_visits
ENGINE = SummingMergeTree(sign)
PARTITION BY toYYYYMM(anchor_at)
ORDER BY (site, contact_id, fact_id);
INSERT INTO open_visits_summing SELECT * FROM open_visits;
DROP TABLE open_visits;
RENAME TABLE open_visits_summing TO open_visits;

CREATE TABLE agent_intervals_summing AS agent_intervals
ENGINE = SummingMergeTree(sign)
PARTITION BY toYYYYMM(from_at)
ORDER BY (site, from_at, agent_id, fact_id);
INSERT INTO agent_intervals_summing SELECT * FROM agent_intervals;
DROP TABLE agent_intervals;
RENAME TABLE agent_intervals_summing TO agent_intervals;

CREATE TABLE survey_facts_summing AS survey_facts
ENGINE = SummingMergeTree(sign)
PARTITION BY toYYYYMM(anchor_at)
ORDER BY (site, anchor_at, survey_id, fact_id);
INSERT INTO survey_facts_summing SELECT * FROM survey_facts;
DROP TABLE survey_facts;
RENAME TABLE survey_facts_summing TO survey_facts;

-- The views of 0003, unchanged.
CREATE MATERIALIZED VIEW IF NOT EXISTS queue_quarter_contacts_mv TO queue_quarter AS
SELECT
    site,
    queue,
    toStartOfFifteenMinutes(anchor_at) AS quarter,
    sl_version,
    toInt64(sumIf(sign, kind = 'visit' AND outcome != 'orphaned')) AS offered,
    toInt64(sumIf(sign, kind = 'visit' AND outcome = 'answered')) AS answered,
    toInt64(sumIf(sign, kind = 'visit' AND outcome = 'abandoned')) AS abandoned,
    toInt64(sumIf(sign, kind = 'visit' AND outcome = 'callback')) AS callbacks,
    toInt64(sumIf(sign, kind = 'visit' AND outcome = 'flowed_out')) AS flowed_out,
    toInt64(sumIf(sign, kind = 'visit' AND outcome = 'orphaned')) AS orphaned,
    toInt64(sumIf(sign * duration_ms, kind = 'visit' AND outcome = 'answered')) AS answered_wait_ms,
    toInt64(sumIf(sign, kind = 'visit' AND within_sl = 1)) AS answered_within_sl,
    toInt64(sumIf(sign, kind = 'visit' AND short_abandon = 1)) AS short_abandoned,
    sumMapStateIf([toUInt32(intDiv(duration_ms + 999, 1000))], [toInt64(sign)], kind = 'visit' AND outcome = 'answered') AS answered_wait_hist,
    sumMapStateIf([toUInt32(intDiv(duration_ms, 1000))], [toInt64(sign)], kind = 'visit' AND outcome = 'abandoned') AS abandoned_wait_hist,
    maxStateIf(duration_ms, kind = 'visit' AND outcome != 'orphaned' AND sign > 0) AS max_wait_ms,
    toInt64(sumIf(1, kind = 'visit' AND sign < 0)) AS retracted,
    toInt64(sumIf(sign, kind = 'handled')) AS handled,
    toInt64(sumIf(sign, kind = 'handled' AND duration_ms >= 0)) AS handled_timed,
    toInt64(sumIf(sign * duration_ms, kind = 'handled' AND duration_ms >= 0)) AS handle_ms,
    toInt64(sumIf(sign, kind = 'handled' AND outcome = 'resolved')) AS handled_resolved,
    toInt64(sumIf(sign, kind = 'transfer')) AS transfers,
    toInt64(sumIf(sign, kind = 'first_response')) AS first_responses,
    toInt64(sumIf(sign * duration_ms, kind = 'first_response')) AS first_response_ms,
    toInt64(0) AS csat_n,
    toInt64(0) AS csat_good,
    toInt64(0) AS csat_low,
    toInt64(0) AS nps_n,
    toInt64(0) AS nps_promoters,
    toInt64(0) AS nps_detractors,
    toInt64(0) AS fcr_n,
    toInt64(0) AS fcr_yes,
    toInt64(0) AS available_ms,
    toInt64(0) AS on_contact_ms,
    toInt64(0) AS wrap_up_ms,
    toInt64(0) AS not_ready_ms
FROM contact_facts
WHERE kind != 'open'
GROUP BY site, queue, quarter, sl_version;

CREATE MATERIALIZED VIEW IF NOT EXISTS queue_quarter_surveys_mv TO queue_quarter AS
SELECT
    site,
    queue,
    toStartOfFifteenMinutes(anchor_at) AS quarter,
    toUInt32(0) AS sl_version,
    toInt64(0) AS offered,
    toInt64(0) AS answered,
    toInt64(0) AS abandoned,
    toInt64(0) AS callbacks,
    toInt64(0) AS flowed_out,
    toInt64(0) AS orphaned,
    toInt64(0) AS answered_wait_ms,
    toInt64(0) AS answered_within_sl,
    toInt64(0) AS short_abandoned,
    sumMapStateIf([toUInt32(0)], [toInt64(0)], 0) AS answered_wait_hist,
    sumMapStateIf([toUInt32(0)], [toInt64(0)], 0) AS abandoned_wait_hist,
    maxStateIf(toInt64(0), 0) AS max_wait_ms,
    toInt64(0) AS retracted,
    toInt64(0) AS handled,
    toInt64(0) AS handled_timed,
    toInt64(0) AS handle_ms,
    toInt64(0) AS handled_resolved,
    toInt64(0) AS transfers,
    toInt64(0) AS first_responses,
    toInt64(0) AS first_response_ms,
    toInt64(sumIf(sign, csat >= 1)) AS csat_n,
    toInt64(sumIf(sign, csat >= 4)) AS csat_good,
    toInt64(sumIf(sign, csat >= 1 AND csat <= 2)) AS csat_low,
    toInt64(sumIf(sign, nps >= 0)) AS nps_n,
    toInt64(sumIf(sign, nps >= 9)) AS nps_promoters,
    toInt64(sumIf(sign, nps >= 0 AND nps <= 6)) AS nps_detractors,
    toInt64(sumIf(sign, resolved >= 0)) AS fcr_n,
    toInt64(sumIf(sign, resolved = 1)) AS fcr_yes,
    toInt64(0) AS available_ms,
    toInt64(0) AS on_contact_ms,
    toInt64(0) AS wrap_up_ms,
    toInt64(0) AS not_ready_ms
FROM survey_facts
GROUP BY site, queue, quarter;

CREATE MATERIALIZED VIEW IF NOT EXISTS queue_quarter_agents_mv TO queue_quarter AS
SELECT
    site,
    arrayJoin(queues) AS queue,
    toDateTime(arrayJoin(arrayMap(i -> intDiv(from_ms, 900000) * 900 + i * 900, range(toUInt32(intDiv(to_ms - 1, 900000) - intDiv(from_ms, 900000) + 1))))) AS quarter,
    toUInt32(0) AS sl_version,
    toInt64(0) AS offered,
    toInt64(0) AS answered,
    toInt64(0) AS abandoned,
    toInt64(0) AS callbacks,
    toInt64(0) AS flowed_out,
    toInt64(0) AS orphaned,
    toInt64(0) AS answered_wait_ms,
    toInt64(0) AS answered_within_sl,
    toInt64(0) AS short_abandoned,
    sumMapStateIf([toUInt32(0)], [toInt64(0)], 0) AS answered_wait_hist,
    sumMapStateIf([toUInt32(0)], [toInt64(0)], 0) AS abandoned_wait_hist,
    maxStateIf(toInt64(0), 0) AS max_wait_ms,
    toInt64(0) AS retracted,
    toInt64(0) AS handled,
    toInt64(0) AS handled_timed,
    toInt64(0) AS handle_ms,
    toInt64(0) AS handled_resolved,
    toInt64(0) AS transfers,
    toInt64(0) AS first_responses,
    toInt64(0) AS first_response_ms,
    toInt64(0) AS csat_n,
    toInt64(0) AS csat_good,
    toInt64(0) AS csat_low,
    toInt64(0) AS nps_n,
    toInt64(0) AS nps_promoters,
    toInt64(0) AS nps_detractors,
    toInt64(0) AS fcr_n,
    toInt64(0) AS fcr_yes,
    toInt64(sumIf(sign * (least(to_ms, (toUInt32(quarter) + 900) * 1000) - greatest(from_ms, toUInt32(quarter) * 1000)), state = 'available')) AS available_ms,
    toInt64(sumIf(sign * (least(to_ms, (toUInt32(quarter) + 900) * 1000) - greatest(from_ms, toUInt32(quarter) * 1000)), state = 'on_contact')) AS on_contact_ms,
    toInt64(sumIf(sign * (least(to_ms, (toUInt32(quarter) + 900) * 1000) - greatest(from_ms, toUInt32(quarter) * 1000)), state = 'wrap_up')) AS wrap_up_ms,
    toInt64(sumIf(sign * (least(to_ms, (toUInt32(quarter) + 900) * 1000) - greatest(from_ms, toUInt32(quarter) * 1000)), state = 'not_ready')) AS not_ready_ms
FROM agent_intervals
WHERE to_ms > from_ms AND state != 'logged_out'
GROUP BY site, queue, quarter;
