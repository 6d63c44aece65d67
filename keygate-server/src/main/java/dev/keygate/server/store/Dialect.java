package dev.keygate.server.store;

/** The SQL dialects Keygate stores run on. Nearly all SQL is shared; the few differences are named here. */
public enum Dialect {
    SQLITE("sqlite"),
    POSTGRESQL("postgresql");

    private final String migrationFolder;

    Dialect(String migrationFolder) {
        this.migrationFolder = migrationFolder;
    }

    /** The Flyway folder under {@code db/migration/}. */
    String migrationFolder() {
        return migrationFolder;
    }
}
