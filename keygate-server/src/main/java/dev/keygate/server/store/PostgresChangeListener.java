package dev.keygate.server.store;

import dev.keygate.server.config.ServerConfig;
import dev.keygate.server.token.ChangeEvents;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Listens on PostgreSQL for the changes other nodes commit ({@link Database#publishChange}) and applies them to
 * this node's caches, so that a token revoked on one node is refused by every node within moments rather than
 * after the cache TTL. While the listening connection is down, changes may be missed: on every (re)connect
 * every cached view is dropped, and the cache TTL remains the bound of last resort.
 */
public final class PostgresChangeListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresChangeListener.class);
    private static final int POLL_MILLIS = 250;

    private final ServerConfig config;
    private final ChangeEvents changes;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection connection;

    public PostgresChangeListener(ServerConfig config, ChangeEvents changes) {
        this.config = config;
        this.changes = changes;
        this.thread = Thread.ofPlatform().name("keygate-change-listener").daemon(true).unstarted(this::run);
    }

    /** Connects and starts listening; returns once the first {@code LISTEN} is in place. */
    public PostgresChangeListener start() {
        try {
            connection = connect();
        } catch (SQLException e) {
            throw new StoreException(e);
        }
        thread.start();
        return this;
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        if (config.dbUser() != null) {
            props.setProperty("user", config.dbUser());
        }
        if (config.dbPassword() != null) {
            props.setProperty("password", config.dbPassword());
        }
        Connection c = DriverManager.getConnection(config.dbUrl(), props);
        try (Statement st = c.createStatement()) {
            st.execute("LISTEN " + Database.CHANGES_CHANNEL);
        }
        return c;
    }

    private void run() {
        while (!closed) {
            try {
                if (connection == null) {
                    connection = connect();
                    changes.everythingChanged(); // whatever happened while we were away
                    log.info("change listener reconnected; cached token views dropped");
                }
                PGNotification[] notifications = connection.unwrap(PGConnection.class).getNotifications(POLL_MILLIS);
                if (notifications != null) {
                    for (PGNotification n : notifications) {
                        if (!changes.apply(n.getParameter())) {
                            log.warn("ignored an unknown change message on {}", Database.CHANGES_CHANNEL);
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                log.warn("change listener lost its connection ({}); dropping cached views and reconnecting",
                        e.getMessage());
                changes.everythingChanged();
                closeQuietly();
                pause();
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    private void closeQuietly() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // Already broken.
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly();
    }
}
