-- GET /v1/tokens?expiring_within=: active tokens by expiry, soonest first.
CREATE INDEX tokens_expires ON tokens (expires_at);
