-- Token lifecycle (issue 3). A permanent token stores expires_at = 9223372036854775807 (the largest BIGINT):
-- "never" sorts after every real time, so the expiry index and every "expires_at > now" test need no special case.

-- Delegation: the token that minted this one as its child; revoking a token revokes its descendants.
ALTER TABLE tokens ADD COLUMN parent_id TEXT;
CREATE INDEX tokens_parent ON tokens (parent_id);

-- Rotation: the links both ways, when the rotated token stops working (end of its grace period), and the
-- schedule: rotate_every_seconds and the instant rotation falls due (created_at + rotate_every), for
-- GET /v1/tokens?rotation_due=true.
ALTER TABLE tokens ADD COLUMN rotated_from TEXT;
ALTER TABLE tokens ADD COLUMN rotated_to TEXT;
ALTER TABLE tokens ADD COLUMN rotation_ends_at BIGINT;
ALTER TABLE tokens ADD COLUMN rotate_every_seconds BIGINT;
ALTER TABLE tokens ADD COLUMN rotation_due_at BIGINT;
CREATE INDEX tokens_rotation_due ON tokens (rotation_due_at);

-- Usage limit: max_uses as created and what is left; both null when unlimited.
ALTER TABLE tokens ADD COLUMN max_uses BIGINT;
ALTER TABLE tokens ADD COLUMN remaining BIGINT;
-- Rate limit: rate_limit requests per rate_window_seconds (enforced per node); null when unlimited.
ALTER TABLE tokens ADD COLUMN rate_limit BIGINT;
ALTER TABLE tokens ADD COLUMN rate_window_seconds BIGINT;
-- Network binding: space-separated canonical CIDRs; null when the token may be used from anywhere.
ALTER TABLE tokens ADD COLUMN allowed_cidrs TEXT;

-- Environment segmentation: the environments a role may be held in, space-separated; null for all.
ALTER TABLE roles ADD COLUMN environments TEXT;

-- A disabled principal has no live tokens and can be given none until it is enabled again.
ALTER TABLE principals ADD COLUMN disabled_at BIGINT;
ALTER TABLE principals ADD COLUMN disabled_by TEXT;
