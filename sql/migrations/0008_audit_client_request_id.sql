-- The audit log's `request_id` is the id the API gave the request (a random UUID, also in the
-- response's X-Request-Id and the error envelope), so no two rows share one and a client cannot
-- make a row look like another's. A client (or a proxy before the API) may send its own
-- X-Request-Id to trace a request through its systems: kept here, as the client's word only, in
-- `client_request_id` ('' when none was sent). Written by the API (api/src/auth/audit.ts), read by
-- GET /api/v1/audit.
ALTER TABLE audit_log ADD COLUMN client_request_id String DEFAULT '' AFTER request_id
