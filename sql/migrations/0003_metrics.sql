-- The metrics engine (metrics.md): configuration, derived facts and rollups per quarter hour.
--
-- Raw events (0001, 0002) hold what producers said, copies included. The ingest derives from them
-- *facts*, the things metrics.md counts, and writes them here as sign rows: after every flush it
-- re-derives the contacts, agents and surveys the flush touched from their stored events, compares
-- with the facts already stored (sum(sign) per fact_id) and writes only the difference: +1 for a
-- new fact, -1 to retract one that late or out-of-order data changed (a restatement). A redelivered
-- copy changes no derivation, so it writes nothing: this is where "a copy changes no figure"
-- holds for every rollup. Written by ingest/src/derive/deriver.ts; read by the live snapshot, the
-- reports and the drill-down. CollapsingMergeTree folds +1/-1 pairs when parts merge; until then
-- every reader sums sign (sql/README.md rule 3).
--
-- Rollups per quarter hour (queue_quarter) are filled by materialized views from the fact tables. They
-- keep counts, sums and wait histograms, never ratios, and no parameter: the service-level
-- threshold T and short-abandon threshold S are applied when a report is read (histograms keyed
-- by whole seconds of wait), so a figure can be recomputed with any definition version, old or new.

-- Sites: time zone and display name. The latest updated_ms wins. The ingest inserts a site with the
-- defaults (Asia/Shanghai) the first time one of its events arrives; an admin may change it.
CREATE TABLE IF NOT EXISTS sites
(
    site String,
    tz String,
    name String,
    updated_ms Int64,
    updated_by String
)
ENGINE = ReplacingMergeTree(updated_ms)
ORDER BY site;

-- Queue definition versions: the parameters in force from valid_from_ms on (metrics.md). Version 1
-- of a queue the ingest meets first is the channel's defaults, valid from the beginning of time.
-- A change is a new version from a stated instant; older versions stay, so old figures can be
-- reproduced. Thresholds are whole seconds: the rollups' histograms are exact for whole seconds.
CREATE TABLE IF NOT EXISTS queue_definitions
(
    site String,
    queue String,
    version UInt32,
    valid_from_ms Int64,
    channel String,
    sl_threshold_s UInt32,
    short_abandon_s UInt32,
    sl_target Float64,
    name_zh String,
    name_en String,
    created_ms Int64,
    created_by String
)
ENGINE = ReplacingMergeTree(created_ms)
ORDER BY (site, queue, version);

-- Contact facts, one per thing counted:
--   kind 'visit'          a queue visit that ended; anchor = end; start = queued; outcome answered |
--                         abandoned | callback | flowed_out | orphaned; duration = wait
--   kind 'open'           a visit with no end yet; anchor = start = queued; stored in open_visits
--   kind 'handled'        a contact.wrapped_up; anchor = wrap-up; start = the answer it closes (or the
--                         wrap-up when none is known, duration -1); outcome = disposition
--   kind 'transfer'       the first contact.transferred after an answer; outcome = to_queue
--   kind 'first_response' the first agent reply of a visit; start = queued; duration = response time
-- A visit is also judged, when derived, by the definition version in force at its end: sl_version,
-- within_sl (answered, wait <= T), short_abandon (abandoned, wait < S). The rollup sums these, so a
-- report needs no histogram while the versions it applies are the ones the visits were judged by.
-- fact_id is a hash of every other column but sign, so a fact's +1 and -1 rows match exactly.
CREATE TABLE IF NOT EXISTS contact_facts
(
    site String,
    kind String,
    anchor_at DateTime('UTC'),
    anchor_ms Int64,
    start_ms Int64,
    contact_id String,
    queue String,
    channel String,
    agent_id String,
    outcome String,
    duration_ms Int64,
    detail String,
    tier String,
    start_event_id String,
    end_event_id String,
    sl_version UInt32,
    within_sl UInt8,
    short_abandon UInt8,
    fact_id String,
    sign Int8
)
ENGINE = CollapsingMergeTree(sign)
PARTITION BY toYYYYMM(anchor_at)
ORDER BY (site, anchor_at, contact_id, fact_id);

-- Open visits (kind 'open' facts): who waits now. Kept apart from contact_facts so that the live
-- snapshot reads the few visits still open, not every visit that was ever open (each was, until it
-- ended): a +1 and its -1 share the sorting key, so merges fold a closed visit away.
CREATE TABLE IF NOT EXISTS open_visits
(
    site String,
    kind String,
    anchor_at DateTime('UTC'),
    anchor_ms Int64,
    start_ms Int64,
    contact_id String,
    queue String,
    channel String,
    agent_id String,
    outcome String,
    duration_ms Int64,
    detail String,
    tier String,
    start_event_id String,
    end_event_id String,
    sl_version UInt32,
    within_sl UInt8,
    short_abandon UInt8,
    fact_id String,
    sign Int8
)
ENGINE = CollapsingMergeTree(sign)
PARTITION BY toYYYYMM(anchor_at)
ORDER BY (site, contact_id, fact_id);

-- Each agent's latest state interval (its current state), one row per agent after merges: the live
-- snapshot reads 2,000 rows for 2,000 agents instead of a day of intervals. Written by the deriver
-- with every agent it derives; the latest start wins, as the latest event does (events.md).
CREATE TABLE IF NOT EXISTS agent_current
(
    site String,
    agent_id String,
    from_ms Int64,
    state String,
    reason String,
    queues Array(String),
    team String,
    name String
)
ENGINE = ReplacingMergeTree(from_ms)
ORDER BY (site, agent_id);

-- Agent state intervals: each agent.state_changed starts one, the agent's next event ends it; the
-- latest is open (to_ms 0). queues are the ones in force (a missing list keeps the previous one).
CREATE TABLE IF NOT EXISTS agent_intervals
(
    site String,
    agent_id String,
    from_at DateTime('UTC'),
    from_ms Int64,
    to_ms Int64,
    state String,
    reason String,
    queues Array(String),
    team String,
    name String,
    event_id String,
    fact_id String,
    sign Int8
)
ENGINE = CollapsingMergeTree(sign)
PARTITION BY toYYYYMM(from_at)
ORDER BY (site, from_at, agent_id, fact_id);

-- Survey facts: one per survey_id (the latest event for it). -1 in csat/nps/resolved: not answered.
CREATE TABLE IF NOT EXISTS survey_facts
(
    site String,
    anchor_at DateTime('UTC'),
    anchor_ms Int64,
    survey_id String,
    contact_id String,
    queue String,
    channel String,
    agent_id String,
    csat Int8,
    nps Int8,
    resolved Int8,
    event_id String,
    fact_id String,
    sign Int8
)
ENGINE = CollapsingMergeTree(sign)
PARTITION BY toYYYYMM(anchor_at)
ORDER BY (site, anchor_at, survey_id, fact_id);

-- Per queue and quarter hour of UTC: the sums behind every figure. Every time zone in use today is
-- a whole number of quarter hours from UTC (Nepal +05:45, Chatham +12:45 included), so every local
-- 15-minute, hour, day and month boundary is a UTC quarter boundary, and one rollup serves every
-- site's calendar exactly; a month of 50 queues is 150,000 rows, not the 2.2 million of minutes.
-- Definition versions therefore start on a quarter hour. answered_wait_hist counts answered visits
-- by ceil(wait s) (wait <= T exactly when ceil(wait) <= T for whole T); abandoned_wait_hist counts
-- abandons by floor(wait s) (wait < S exactly when floor(wait) < S). max_wait_ms is the max over
-- +1 rows; `retracted` counts -1 visit rows, and a reader recomputes the max from contact_facts
-- for the few quarters where it is not 0. answered_within_sl and short_abandoned are the visits'
-- own judgements, per sl_version (0 for rows of surveys and agents, which no threshold judges): a
-- report sums them where sl_version is the version in force, and reads the histograms only for the
-- rare cells judged by another (a version created for an instant already past). Sorted by time first: reports and the live day read a
-- time range of one site across all its queues. (ClickHouse 18.16 does not run a view on the rows
-- another view writes, so the views below read the fact tables, not a finer rollup.)
CREATE TABLE IF NOT EXISTS queue_quarter
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
    not_ready_ms Int64
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(quarter)
ORDER BY (site, quarter, queue, sl_version);

-- ClickHouse 18.16 requires a view that writes into a table to give every column of it, so each
-- view below names all of queue_quarter's columns and gives empty values for the ones it does not
-- feed (0, or an empty aggregate state).
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

-- Closed intervals only (an open one has no end yet; readers add it up to "now"), split at quarter
-- hour boundaries, once per queue the agent served in the interval.
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

-- What a report first published for a closed interval, so a later different figure is flagged
-- `restated` (metrics.md, "Windows and calendars"). Written and read by the reports endpoint.
CREATE TABLE IF NOT EXISTS report_publications
(
    site String,
    grain String,
    queue String,
    bucket_ms Int64,
    digest String,
    published_ms Int64
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(toDateTime(intDiv(bucket_ms, 1000), 'UTC'))
ORDER BY (site, grain, queue, bucket_ms);
