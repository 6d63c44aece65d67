-- Tamper-evident audit log (issue 5); docs/audit.md describes the chains, the canonical form and verification.

-- Every event belongs to one chain ('admin' or 'verify'), has a gap-free sequence number in it, and a hash:
-- SHA-256 over the previous event's hash and its own canonical form. Rows written before this migration have
-- none of the three until the server chains them at start-up, in id order. id stays the global order.
ALTER TABLE audit_events ADD COLUMN chain TEXT;
ALTER TABLE audit_events ADD COLUMN seq BIGINT;
ALTER TABLE audit_events ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_chain_seq ON audit_events (chain, seq);
-- Finds the rows still to chain at start-up without walking the chained ones (empty once they are chained).
CREATE INDEX audit_unchained ON audit_events (id) WHERE chain IS NULL;

-- The last seq and hash of each chain, updated in the transaction that appends, under a lock on its row
-- (SELECT ... FOR UPDATE), so that several writers and nodes extend one chain without gaps or forks.
CREATE TABLE audit_heads (
    chain TEXT    NOT NULL PRIMARY KEY,
    seq   BIGINT  NOT NULL,
    hash  TEXT    NOT NULL
);
INSERT INTO audit_heads (chain, seq, hash) VALUES
    ('admin', 0, '0000000000000000000000000000000000000000000000000000000000000000'),
    ('verify', 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Written by retention before it deletes a prefix of a chain: the last seq deleted and its hash, signed with
-- HMAC-SHA256 under the audit key, so that what remains can be verified from it. Only the latest is kept.
CREATE TABLE audit_checkpoints (
    chain         TEXT    NOT NULL,
    seq           BIGINT  NOT NULL,
    hash          TEXT    NOT NULL,
    time          BIGINT  NOT NULL,
    pruned_before BIGINT  NOT NULL,
    key_id        TEXT    NOT NULL,
    signature     TEXT    NOT NULL,
    PRIMARY KEY (chain, seq)
);

-- The audit key generated when KEYGATE_AUDIT_KEY is not set (base64). Weaker: whoever reads the store reads it.
CREATE TABLE audit_generated_key (
    id         INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    key_base64 TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);
