package dev.keygate.server.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Where audit events are kept. Events are appended, never changed. */
public interface AuditStore {

    /** Appends events in order, on the caller's connection (and transaction). */
    void append(Connection c, List<AuditEvent> events) throws SQLException;

    /** The events matching {@code query}, newest first, at most {@code query.limit()}. */
    List<AuditEvent> query(Connection c, AuditQuery query) throws SQLException;
}
