-- Access control and the audit log of the supervisor API (api/src/auth/).
--
-- api_tokens: one row per token version; the API keeps the latest of each token_id in memory and
-- reads this table again every few seconds, so a revocation made by any API process takes effect
-- everywhere within that period. Only a SHA-256 of the token's secret is stored: a token is 256
-- random bits, so a fast hash is as safe as a slow one, and a leaked table grants nothing.
-- `sites` empty means every site; `expires_ms`/`revoked_ms` 0 mean never/not revoked.
CREATE TABLE IF NOT EXISTS api_tokens
(
    token_id String,
    secret_sha256 String,
    name String,
    role String,
    sites Array(String),
    pii UInt8,
    layout String,
    created_ms Int64,
    created_by String,
    expires_ms Int64,
    revoked_ms Int64,
    revoked_by String,
    updated_ms Int64
)
ENGINE = ReplacingMergeTree(updated_ms)
ORDER BY token_id;

-- Who read personal data, changed configuration, managed tokens or exported, and when. Append
-- only; partitioned by month so an auditor's month is one partition and retention drops whole
-- months. `detail` is JSON. Read by GET /api/v1/audit (admins).
CREATE TABLE IF NOT EXISTS audit_log
(
    at DateTime('UTC'),
    at_ms Int64,
    request_id String,
    actor_id String,
    actor_name String,
    actor_role String,
    action String,
    site String,
    target String,
    detail String
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (at, actor_id);
