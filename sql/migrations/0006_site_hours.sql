-- Business hours per site (PUT /api/v1/sites/:site/hours): the weekly opening times in the site's
-- local time, as versions from an instant on, like queue definitions (a change is a new version;
-- a past range keeps the hours in force then). `weekly` is JSON: [{"day":1..7 (Monday 1),
-- "open":"08:30","close":"20:00"}, …]; a day absent is closed. Read by the API's configuration
-- routes; alert and export rules that count in business time read it from there.
CREATE TABLE IF NOT EXISTS site_hours
(
    site String,
    version UInt32,
    valid_from_ms Int64,
    weekly String,
    created_ms Int64,
    created_by String
)
ENGINE = ReplacingMergeTree(created_ms)
ORDER BY (site, version);
