package dev.keygate.server.store;

import java.sql.SQLException;

/** The store failed (unreachable, constraint broken unexpectedly, ...). A server error, never the caller's. */
public final class StoreException extends RuntimeException {

    public StoreException(SQLException cause) {
        super("store failure: SQLState " + cause.getSQLState(), cause);
    }

    /** Whether the failure is a unique-key violation (SQLite and PostgreSQL codes). */
    public static boolean isUniqueViolation(SQLException e) {
        // PostgreSQL: 23505; SQLite: error code 19 (SQLITE_CONSTRAINT), extended 2067 (UNIQUE) or 1555 (PRIMARY KEY).
        return "23505".equals(e.getSQLState()) || e.getErrorCode() == 19 || e.getErrorCode() == 2067
                || e.getErrorCode() == 1555
                || (e.getMessage() != null && e.getMessage().contains("SQLITE_CONSTRAINT_PRIMARYKEY"))
                || (e.getMessage() != null && e.getMessage().contains("SQLITE_CONSTRAINT_UNIQUE"));
    }
}
