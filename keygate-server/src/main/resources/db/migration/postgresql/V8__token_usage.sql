-- Usage analytics (issue 5). Verifications rolled up per token, hour or day (UTC), permission asked and decision,
-- by the audit writer in the transaction of each batch: storage grows with tokens x buckets x permissions, not
-- with the number of verifications. permission is '' when none was asked (a key column cannot be null); a query
-- is kept in its canonical form. Token ids are never deleted, so no foreign key is needed (nor its checks).
-- Hourly rows are kept 14 days, daily rows 400 days (dev.keygate.server.usage.UsageRetention).
CREATE TABLE token_usage (
    token_id     TEXT    NOT NULL,
    granularity  TEXT    NOT NULL, -- 'hour' or 'day'
    bucket_start BIGINT  NOT NULL, -- epoch millis of the start of the hour or UTC day
    permission   TEXT    NOT NULL,
    decision     TEXT    NOT NULL, -- 'allow' or 'deny'
    count        BIGINT  NOT NULL,
    PRIMARY KEY (token_id, granularity, bucket_start, permission, decision)
);
-- Retention deletes and the hygiene report read by bucket across tokens.
CREATE INDEX token_usage_bucket ON token_usage (granularity, bucket_start);

-- The address the token was last used from: context.ip of its latest verification when given, else the
-- address of the service that asked. Set with last_used_at.
ALTER TABLE tokens ADD COLUMN last_used_ip TEXT;
