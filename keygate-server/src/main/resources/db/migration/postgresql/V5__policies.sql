-- Policies (issue 4).

-- A role's grants as a JSON array of {"permission", "effect" ("allow"/"deny"), "condition"?} in order, when the
-- role holds any deny or condition; null when all its grants are unconditional allows. The permissions column
-- keeps the unconditional allows either way, so that it still says what the role grants without conditions.
ALTER TABLE roles ADD COLUMN grants TEXT;

-- A token's free-form attributes (a JSON object as text), which conditions read as token.metadata.
ALTER TABLE tokens ADD COLUMN metadata TEXT NOT NULL DEFAULT '{}';
