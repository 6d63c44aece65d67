-- Audit trail (issue 5). A verify event records the address the token was used from as the caller stated it
-- (context.ip, canonical form), apart from client_ip, the address of the service that asked.
ALTER TABLE audit_events ADD COLUMN request_ip TEXT;
