-- Alert retention (--alert-retention) deletes the alerts raised before a cutoff, the oldest first: find them by
-- time rather than by reading the whole table.
CREATE INDEX alerts_time ON alerts (time, id);
