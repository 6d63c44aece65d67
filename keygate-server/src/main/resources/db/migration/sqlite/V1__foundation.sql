-- Times are epoch milliseconds (UTC) in both dialects, so that every store shares its SQL.

CREATE TABLE roles (
    name        TEXT    NOT NULL PRIMARY KEY,
    description TEXT    NOT NULL,
    permissions TEXT    NOT NULL, -- space-separated; the permission grammar admits no spaces
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE principals (
    name        TEXT    NOT NULL PRIMARY KEY,
    kind        TEXT    NOT NULL,
    description TEXT    NOT NULL,
    metadata    TEXT    NOT NULL, -- a JSON object
    created_at  INTEGER NOT NULL
);

CREATE TABLE tokens (
    id            TEXT    NOT NULL PRIMARY KEY,
    hash          TEXT    NOT NULL UNIQUE, -- SHA-256 of the whole token; the secret is never stored
    principal     TEXT    NOT NULL REFERENCES principals (name),
    environment   TEXT    NOT NULL,
    name          TEXT,
    created_at    INTEGER NOT NULL,
    created_by    TEXT,
    expires_at    INTEGER NOT NULL,
    revoked_at    INTEGER,
    revoked_by    TEXT,
    revoke_reason TEXT,
    last_used_at  INTEGER
);
CREATE INDEX tokens_principal ON tokens (principal, created_at);
CREATE INDEX tokens_created ON tokens (created_at);

-- Role names are kept as text, not as a foreign key: a revoked or expired token keeps the names of the
-- roles it held even after a role is deleted. Live tokens keep a role from being deleted (checked in code).
CREATE TABLE token_roles (
    token_id TEXT    NOT NULL REFERENCES tokens (id),
    role     TEXT    NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (token_id, role)
);
CREATE INDEX token_roles_role ON token_roles (role);

CREATE TABLE audit_events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    time            INTEGER NOT NULL,
    action          TEXT    NOT NULL,
    actor_token_id  TEXT,
    actor_principal TEXT,
    target          TEXT,
    permission      TEXT,
    decision        TEXT    NOT NULL,
    code            TEXT    NOT NULL,
    client_ip       TEXT,
    user_agent      TEXT,
    detail          TEXT
);
CREATE INDEX audit_actor_token ON audit_events (actor_token_id, id);
CREATE INDEX audit_target ON audit_events (target, id);
CREATE INDEX audit_principal ON audit_events (actor_principal, id);
CREATE INDEX audit_action ON audit_events (action, id);
