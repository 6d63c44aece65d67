package dev.keygate.server.alert;

import java.sql.Connection;
import java.sql.SQLException;

/** Where alerts go: stored (as an audit event too) and queued for delivery to the configured webhooks. */
public interface AlertSink {

    /** Discards every alert. */
    AlertSink NONE = (c, alert) -> { };

    /**
     * Records {@code alert} on the caller's connection (and transaction), so that it exists exactly when the
     * change that raised it does; delivery starts after the transaction commits.
     */
    void raise(Connection c, Alert alert) throws SQLException;
}
