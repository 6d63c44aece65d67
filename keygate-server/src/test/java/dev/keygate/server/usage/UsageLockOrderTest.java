package dev.keygate.server.usage;

import dev.keygate.server.audit.AuditEvent;
import dev.keygate.server.audit.AuditWriter;
import dev.keygate.server.audit.JdbcAuditStore;
import dev.keygate.server.store.Database;
import dev.keygate.server.testing.LogCapture;
import dev.keygate.server.testing.Postgres;
import dev.keygate.server.testing.StoreKind;
import dev.keygate.server.testing.TestServer;
import dev.keygate.server.token.JdbcTokenStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Regression (issue 5, found by MultiNodeInvalidationTest on PostgreSQL): the roll-up used to update
 * {@code tokens.last_used_ip} after writing its roll-up rows. A writer whose {@code touch} left a token alone (another
 * node had recorded a use at the same millisecond) then locked a roll-up row first and the token's row second, while
 * the other node's writer held the token's row and wanted the roll-up row: a deadlock. The address is now written
 * with the time, by {@code touch}, before any roll-up row is locked.
 */
class UsageLockOrderTest {

    /** Row-lock deadlocks are PostgreSQL's (SQLite runs one writer at a time): this test runs on PostgreSQL only. */
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(StoreKind.POSTGRESQL);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void writerWhenAnotherNodeHoldsTheTokenRowAndWantsTheRollupRowThenNoDeadlock() throws Exception {
        String principal = server.newPrincipal("lock-order");
        var minted = server.mint(principal, List.of(server.newRole("lock-order", "lo.docs:read")), Map.of());
        String id = minted.get("id").asText();
        Instant t = server.clock().instant();
        server.verify(minted.get("token").asText(), "lo.docs:read"); // stored: last used at t
        server.flushAudit();
        long hour = Granularity.HOUR.bucketStart(t.toEpochMilli());

        try (LogCapture logs = LogCapture.attach();
             Database db = Database.open(server.storeConfig());
             Connection otherNode = DriverManager.getConnection(server.dbUrl(), Postgres.USER, null);
             Connection monitor = DriverManager.getConnection(server.dbUrl(), Postgres.USER, null)) {
            otherNode.setAutoCommit(false);
            // Another node's writer has recorded a later use: it holds the token's row until it commits.
            update(otherNode, "UPDATE tokens SET last_used_at = " + (t.toEpochMilli() + 1) + " WHERE id = '" + id
                    + "'");
            long otherPid = pid(otherNode);
            AuditWriter writer = new AuditWriter(db, new JdbcAuditStore(db.dialect()), new JdbcTokenStore(db.dialect()), 100,
                    List.of(new UsageRollup(new JdbcUsageStore())));
            try {
                writer.submit(new AuditEvent(null, t, "verify", id, principal, id, "lo.docs:read", "allow", "VALID",
                        "127.0.0.1", null, null, "192.0.2.1")); // the same millisecond as the stored use
                // Until this writer has committed, or waits for the other node's lock: now in touch, before it holds
                // any roll-up row; before the fix, in the roll-up, holding one.
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (writer.written() == 0 && !blockedBy(monitor, otherPid) && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                // The other node's writer now adds to the same roll-up row, and commits.
                update(otherNode, "INSERT INTO token_usage (token_id, granularity, bucket_start, permission, decision, "
                        + "count) VALUES ('" + id + "', 'hour', " + hour + ", 'lo.docs:read', 'allow', 1) "
                        + "ON CONFLICT (token_id, granularity, bucket_start, permission, decision) "
                        + "DO UPDATE SET count = token_usage.count + excluded.count");
                otherNode.commit();
            } finally {
                writer.close();
            }

            assertThat(writer.written()).isEqualTo(1);
            assertThat(writer.dropped()).isZero();
            assertThat(logs.text()).doesNotContain("40P01").doesNotContain("retrying");
        }
        assertThat(server.count("SELECT count FROM token_usage WHERE token_id = '" + id + "' AND granularity = 'hour'"))
                .isEqualTo(3);
    }

    private static void update(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.executeUpdate();
        }
    }

    private static long pid(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_backend_pid()"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Whether some session waits for a lock that the session {@code pid} holds. */
    private static boolean blockedBy(Connection monitor, long pid) throws SQLException {
        try (PreparedStatement ps = monitor.prepareStatement(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE ?::int = ANY (pg_blocking_pids(pid))")) {
            ps.setLong(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }
}
