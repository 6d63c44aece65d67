package dev.keygate.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.keygate.server.config.ConfigException;
import dev.keygate.server.config.ServerConfig;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The relational store: a connection pool on SQLite or PostgreSQL, migrated by Flyway on open, and the one
 * place that runs work in a transaction. Stores take the {@link Connection} they run on, so that a service
 * can put a state change and its audit event in the same transaction.
 */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);

    /** The PostgreSQL notification channel on which nodes tell each other about changes. */
    public static final String CHANGES_CHANNEL = "keygate_changes";

    private final HikariDataSource pool;
    private final Dialect dialect;

    private Database(HikariDataSource pool, Dialect dialect) {
        this.pool = pool;
        this.dialect = dialect;
    }

    /**
     * Opens the store named by {@code config}, creating the data directory (mode 0700) for SQLite, and
     * migrates its schema.
     *
     * @throws ConfigException if the store cannot be reached or migrated; the message says which store
     */
    public static Database open(ServerConfig config) {
        Dialect dialect = config.embeddedStore() ? Dialect.SQLITE : Dialect.POSTGRESQL;
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("keygate-store");
        hc.setJdbcUrl(config.dbUrl());
        if (dialect == Dialect.SQLITE) {
            if (config.dbUrl().equals("jdbc:sqlite:" + config.dataDir().resolve("keygate.db"))) {
                createPrivateDirectory(config.dataDir());
            }
            // WAL lets readers run beside the one writer; IMMEDIATE transactions take the write lock up front,
            // so that two writers wait on the busy timeout instead of failing on a lock upgrade.
            hc.addDataSourceProperty("journal_mode", "WAL");
            hc.addDataSourceProperty("synchronous", "NORMAL");
            hc.addDataSourceProperty("busy_timeout", "10000");
            hc.addDataSourceProperty("foreign_keys", "true");
            hc.addDataSourceProperty("transaction_mode", "IMMEDIATE");
            hc.setMaximumPoolSize(4);
        } else {
            hc.setUsername(config.dbUser());
            hc.setPassword(config.dbPassword());
            hc.setMaximumPoolSize(10);
        }
        hc.setConnectionTimeout(10_000);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw new ConfigException(List.of("store " + config.redactedDbUrl() + " cannot be opened: "
                    + rootMessage(e)));
        }
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration/" + dialect.migrationFolder())
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new ConfigException(List.of("store " + config.redactedDbUrl() + " cannot be migrated: "
                    + rootMessage(e)));
        }
        log.info("store open: {} ({})", config.redactedDbUrl(), dialect);
        return new Database(pool, dialect);
    }

    public Dialect dialect() {
        return dialect;
    }

    /**
     * Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. Exceptions of
     * the work pass through unchanged; an {@link SQLException} becomes a {@link StoreException}.
     */
    public <T> T inTransaction(SqlWork<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** Runs read-only {@code work} on a pooled connection in auto-commit mode. */
    public <T> T read(SqlWork<T> work) {
        return autoCommit(work);
    }

    /**
     * Runs {@code work} on a pooled connection in auto-commit mode: for single statements that are atomic on
     * their own, such as a conditional update, where a transaction would only add round trips.
     */
    public <T> T autoCommit(SqlWork<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /**
     * Tells every node sharing this store that {@code payload} changed, on {@link #CHANGES_CHANNEL}. On
     * PostgreSQL this is a {@code NOTIFY} delivered when the caller's transaction commits (and never if it
     * rolls back); on SQLite, where one process owns the store, it does nothing.
     */
    public void publishChange(Connection c, String payload) throws SQLException {
        if (dialect != Dialect.POSTGRESQL) {
            return;
        }
        try (var ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, CHANGES_CHANNEL);
            ps.setString(2, payload);
            ps.execute();
        }
    }

    /** Whether the store answers a trivial query now. */
    public boolean isReachable() {
        try (Connection c = pool.getConnection()) {
            return c.isValid(2);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    /** Work on a connection that may throw {@link SQLException}. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void createPrivateDirectory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                try {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                } catch (UnsupportedOperationException ignored) {
                    // Not a POSIX file system: the platform's defaults apply.
                }
            }
        } catch (IOException e) {
            throw new ConfigException(List.of("--data-dir (KEYGATE_DATA_DIR): '" + dir + "' cannot be created: "
                    + e.getMessage()));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
