-- Alerts (issue 5). V7 and V8 belong to other features; this file is V9 on purpose.

-- One row per alert raised: by a rule watching verify events, or by another part of Keygate (a reported leak).
-- Never a secret: tokens are named by id.
CREATE TABLE alerts (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    time      INTEGER NOT NULL,
    rule      TEXT    NOT NULL,
    token_id  TEXT,
    principal TEXT,
    ip        TEXT,
    detail    TEXT
);
CREATE INDEX alerts_rule ON alerts (rule, id);
CREATE INDEX alerts_token ON alerts (token_id, id);

-- The delivery of one alert to one configured webhook (by its name). state is 'pending' until a 2xx answer
-- ('delivered') or until the last attempt failed ('failed'). A node claims a pending delivery by moving
-- next_attempt_at forward (a lease) in one conditional update; attempts counts the attempts started.
CREATE TABLE alert_deliveries (
    alert_id        INTEGER NOT NULL REFERENCES alerts (id),
    webhook         TEXT    NOT NULL,
    state           TEXT    NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at INTEGER,
    last_attempt_at INTEGER,
    last_status     INTEGER,
    last_error      TEXT,
    delivered_at    INTEGER,
    PRIMARY KEY (alert_id, webhook)
);
CREATE INDEX alert_deliveries_due ON alert_deliveries (state, next_attempt_at);

-- The networks (/24 for IPv4, /48 for IPv6) each token was used from, so that a new one is noticed across
-- restarts and nodes.
CREATE TABLE alert_token_networks (
    token_id      TEXT   NOT NULL,
    network       TEXT   NOT NULL,
    first_seen_at INTEGER NOT NULL,
    PRIMARY KEY (token_id, network)
);

-- Deduplication: after a rule raises an alert about a subject (an address, a token), it raises none about the same
-- subject until suppressed_until, whichever node or run notices it.
CREATE TABLE alert_suppressions (
    rule             TEXT   NOT NULL,
    subject          TEXT   NOT NULL,
    suppressed_until INTEGER NOT NULL,
    PRIMARY KEY (rule, subject)
);
CREATE INDEX alert_suppressions_until ON alert_suppressions (suppressed_until);
