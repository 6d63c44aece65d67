-- Verifications that differ only in their time and are written in one batch share one audit event (issue 5; see
-- docs/audit.md "Repeated verifications"): repeats lists when the occurrences after the first happened, as
-- comma-separated milliseconds after the event's time, ascending. NULL for an event that happened once.
ALTER TABLE audit_events ADD COLUMN repeats TEXT;
