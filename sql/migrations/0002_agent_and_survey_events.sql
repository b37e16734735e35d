-- agent_events and survey_events: every valid agent.state_changed and survey.completed event of
-- events.md, one row per event, written by ingest/ (cc.agents, cc.surveys). agent_events is read
-- for agents' current state, queues and time in state (occupancy); survey_events for csat, nps,
-- fcr_survey and low_csat. Same redelivery rule as contact_events: copies share event_id and are
-- folded by ReplacingMergeTree; queries must not count a copy twice before the merge.
--
-- queues_set says whether the event carried `queues` at all: a missing list keeps the agent's
-- previous queues (events.md), which is not the same as an empty list.
CREATE TABLE IF NOT EXISTS agent_events
(
    site String,
    event_id String,
    occurred_at DateTime('UTC'),
    occurred_ms Int64,
    agent_id String,
    state String,
    reason String,
    queues Array(String),
    queues_set UInt8,
    team String,
    name String,
    ingested_at DateTime('UTC')
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (site, occurred_at, event_id);

-- csat, nps and resolved are NULL when the response did not carry them: "responses with a csat"
-- is the denominator of csat, so an absent score must not read as 0. comment is personal data
-- (metrics.md): masked or omitted everywhere but for roles granted personal-data access.
CREATE TABLE IF NOT EXISTS survey_events
(
    site String,
    event_id String,
    occurred_at DateTime('UTC'),
    occurred_ms Int64,
    survey_id String,
    contact_id String,
    channel String,
    queue String,
    agent_id String,
    csat Nullable(UInt8),
    nps Nullable(UInt8),
    resolved Nullable(UInt8),
    comment String,
    ingested_at DateTime('UTC')
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (site, occurred_at, event_id);
