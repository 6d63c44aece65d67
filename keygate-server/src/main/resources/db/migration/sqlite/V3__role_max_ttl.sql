-- A role may cap the lifetime of the tokens that hold it (null: only the server's maximum applies).
ALTER TABLE roles ADD COLUMN max_ttl_seconds INTEGER;
