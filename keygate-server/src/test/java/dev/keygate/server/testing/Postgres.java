package dev.keygate.server.testing;

import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The PostgreSQL server the tests use: {@code KEYGATE_TEST_PG_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code postgres}). Each test server gets a schema of its
 * own. When PostgreSQL is down, its tests are skipped with a visible message, except under {@code CI=true},
 * where they fail: CI must never pass without them.
 */
public final class Postgres {

    public static final String URL = System.getenv().getOrDefault("KEYGATE_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String USER = System.getenv().getOrDefault("KEYGATE_TEST_PG_USER", "postgres");

    private static volatile String unavailable;
    private static volatile boolean checked;

    private Postgres() {
    }

    /** Skips (or, in CI, fails) the calling test when PostgreSQL cannot be reached. */
    public static void requireAvailable() {
        if (!checked) {
            synchronized (Postgres.class) {
                if (!checked) {
                    try (Connection c = DriverManager.getConnection(URL, USER, null)) {
                        unavailable = null;
                    } catch (SQLException e) {
                        unavailable = e.getMessage();
                        System.err.println("PostgreSQL tests SKIPPED: cannot connect to " + URL + " as " + USER
                                + ": " + e.getMessage());
                    }
                    checked = true;
                }
            }
        }
        if (unavailable != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException("CI=true but PostgreSQL is unreachable at " + URL + ": " + unavailable);
            }
            Assumptions.abort("PostgreSQL unreachable at " + URL + " (" + unavailable + "): PostgreSQL tests skipped");
        }
    }

    /** Creates a fresh schema and returns its name. */
    public static String createSchema() {
        String schema = "kg_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute("CREATE SCHEMA " + schema);
        return schema;
    }

    public static void dropSchema(String schema) {
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    /** The JDBC URL of a schema. */
    public static String urlFor(String schema) {
        return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(URL, USER, null); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
