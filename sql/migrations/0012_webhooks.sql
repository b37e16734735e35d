-- Notifications (issue #13; api/src/webhooks/). Five tables:
--
-- webhooks: every version of every subscription, like alert rules (an edit is the next version, a
-- delete a version with deleted = 1). `body` is JSON: what may be read back (name, format, sites,
-- filter, language, enabled, the masked URL) and, in its field `sealed`, what may not: the URL
-- itself (a robot's URL holds its key), the signing secrets and the robot's secret, as AES-256-GCM
-- under WEBHOOK_SECRET_KEY (api/src/webhooks/seal.ts). `site` is '' (a subscription names its
-- sites in its body); it is kept so the versioned-table statements (sql/src/queries/versions.ts)
-- read it like the others.
--
-- webhook_deliveries: the durable outbox. One row per write of a delivery (one event to one
-- subscription): queued, then after every attempt its state, attempt count and next attempt.
-- A delivery's id derives from its subscription and event, so queuing one twice (two processes,
-- a retried dispatch) is the same row twice; reads take each delivery's latest write (argMax of
-- updated_ms). Sorted by creation first: the worker's "what is due" reads only the last day.
--
-- webhook_attempts: the delivery log, one row per HTTP attempt (never rewritten).
--
-- webhook_health: per subscription, when it last succeeded and since when it has been failing
-- (a subscription failing for 24 h is disabled). Latest row per subscription.
--
-- webhook_cursor: how far the dispatcher has turned stored alert transitions and acknowledgements
-- into deliveries (an evaluator killed between writing a transition and queuing its deliveries
-- leaves it behind; the next one catches up from here).
CREATE TABLE IF NOT EXISTS webhooks
(
    site String,
    webhook_id String,
    version UInt32,
    deleted UInt8,
    body String,
    created_ms Int64,
    created_by String
)
ENGINE = ReplacingMergeTree(created_ms)
ORDER BY (site, webhook_id, version);

CREATE TABLE IF NOT EXISTS webhook_deliveries
(
    delivery_id String,
    message_id String,
    webhook_id String,
    type String,
    site String,
    alert_id String,
    payload String,
    redelivery_of String,
    state String,
    attempts UInt16,
    next_ms Int64,
    created_ms Int64,
    updated_ms Int64
)
ENGINE = ReplacingMergeTree(updated_ms)
PARTITION BY toYYYYMM(toDateTime(intDiv(created_ms, 1000), 'UTC'))
ORDER BY (created_ms, delivery_id);

CREATE TABLE IF NOT EXISTS webhook_attempts
(
    webhook_id String,
    delivery_id String,
    message_id String,
    attempt UInt16,
    at_ms Int64,
    status Int32,
    ok UInt8,
    latency_ms Float64,
    response String,
    error String,
    worker String
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(toDateTime(intDiv(at_ms, 1000), 'UTC'))
ORDER BY (webhook_id, delivery_id, attempt, at_ms);

CREATE TABLE IF NOT EXISTS webhook_health
(
    webhook_id String,
    failing_since_ms Int64,
    last_success_ms Int64,
    last_failure_ms Int64,
    updated_ms Int64
)
ENGINE = ReplacingMergeTree(updated_ms)
ORDER BY webhook_id;

CREATE TABLE IF NOT EXISTS webhook_cursor
(
    name String,
    at_ms Int64,
    updated_ms Int64
)
ENGINE = ReplacingMergeTree(updated_ms)
ORDER BY name;
