-- SLA breach alerts (issue #11; api/src/alerts/). Four tables:
--
-- alert_rules: every version of every rule of a site, like queue definitions: an edit inserts the
-- next version, a delete a version with deleted = 1, nothing is rewritten. `body` is the rule as
-- JSON (contracts/src/alerts.ts RuleDraft). The default rules of the bank service plans are version
-- 1 of their ids without a row here (api/src/alerts/defaults.ts); their first edit is version 2.
-- Read by the rules routes, the evaluator (every tick, all sites at once) and the backtest.
--
-- alert_transitions: what the single evaluator saw happen to each alert (pending, cancelled,
-- firing, resolved), one row per alert and kind: an alert's id is derived from its rule, scope and
-- the instant its condition began, so a transition written twice (an evaluator replaced while
-- writing) is the same row twice, and ReplacingMergeTree keeps one. Breaches are its `firing` rows
-- with their `resolved` row. Read by GET /breaches and /breaches/:id.
--
-- alert_current: each (rule, scope)'s latest state as the evaluator last wrote it (only when its
-- phase, peak or value changed): GET /alerts, the live stream, and a new evaluator taking over
-- (it resumes pending and firing alerts where they were, so a handover neither loses nor repeats
-- a transition).
--
-- alert_acks: acknowledgements (who, when, a note) by supervisors, kept whole: the latest is shown.
CREATE TABLE IF NOT EXISTS alert_rules
(
    site String,
    rule_id String,
    version UInt32,
    deleted UInt8,
    body String,
    created_ms Int64,
    created_by String
)
ENGINE = ReplacingMergeTree(created_ms)
ORDER BY (site, rule_id, version);

CREATE TABLE IF NOT EXISTS alert_transitions
(
    site String,
    alert_id String,
    kind String,
    at_ms Int64,
    rule_id String,
    rule_version UInt32,
    scope_key String,
    queue String,
    severity String,
    since_ms Int64,
    fired_ms Int64,
    value Float64,
    peak Float64,
    peak_ms Int64,
    threshold Float64,
    definition_version UInt32,
    detail String,
    evaluator String,
    recorded_ms Int64
)
ENGINE = ReplacingMergeTree(recorded_ms)
PARTITION BY toYYYYMM(toDateTime(intDiv(since_ms, 1000), 'UTC'))
ORDER BY (site, alert_id, kind);

CREATE TABLE IF NOT EXISTS alert_current
(
    site String,
    rule_id String,
    scope_key String,
    alert_id String,
    phase String,
    since_ms Int64,
    fired_ms Int64,
    recovering_ms Int64,
    value Float64,
    has_value UInt8,
    peak Float64,
    peak_ms Int64,
    rule_version UInt32,
    detail String,
    evaluator String,
    updated_ms Int64
)
ENGINE = ReplacingMergeTree(updated_ms)
ORDER BY (site, rule_id, scope_key);

CREATE TABLE IF NOT EXISTS alert_acks
(
    site String,
    alert_id String,
    at_ms Int64,
    by_name String,
    by_token String,
    note String
)
ENGINE = MergeTree
ORDER BY (site, alert_id, at_ms);
