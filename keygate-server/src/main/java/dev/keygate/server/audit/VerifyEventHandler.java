package dev.keygate.server.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Work done with each batch of verify events the {@link AuditWriter} stores, off the verify path: usage roll-ups,
 * alert rules. Handlers run on the writer's one thread, in the order given, so they need no locks of their own.
 */
public interface VerifyEventHandler {

    /**
     * Runs in the batch's transaction, before the events are appended (so every writer takes row locks in the
     * same order: tokens and roll-ups first, the audit chain last). May run again for the same batch if the
     * transaction is retried, so it must only write to {@code c}, not change state of its own.
     */
    default void inTransaction(Connection c, List<AuditEvent> batch) throws SQLException {
    }

    /** Runs once after the batch committed; not for a batch given up on. Must not throw. */
    default void committed(List<AuditEvent> batch) {
    }
}
