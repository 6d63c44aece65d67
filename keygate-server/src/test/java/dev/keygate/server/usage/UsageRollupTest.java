package dev.keygate.server.usage;

import dev.keygate.server.audit.AuditEvent;
import dev.keygate.server.store.Database;
import dev.keygate.server.testing.EndToEndTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The roll-up as the audit writer runs it: in the batch's transaction, and again if that transaction is retried. */
class UsageRollupTest extends EndToEndTest {

    @Test
    void inTransactionWhenTransactionRolledBackAndRetriedThenBatchIsCountedOnce() {
        String principal = server.newPrincipal("rollup-retry");
        String id = server.mint(principal, List.of(server.newRole("rollup-retry", "rr.docs:read")), Map.of())
                .get("id").asText();
        Instant at = server.clock().instant();
        List<AuditEvent> batch = List.of(event(id, at, "rr.docs:read", "allow", "192.0.2.10"),
                event(id, at, "rr.docs:read", "allow", "192.0.2.11"),
                event(id, at, "rr.docs:write", "deny", "192.0.2.12"));
        UsageRollup rollup = new UsageRollup(new JdbcUsageStore());

        try (Database db = Database.open(server.storeConfig())) {
            assertThatThrownBy(() -> db.inTransaction(c -> {
                rollup.inTransaction(c, batch);
                throw new IllegalStateException("the audit append failed");
            })).hasMessage("the audit append failed");
            assertThat(server.count("SELECT COUNT(*) FROM token_usage WHERE token_id = '" + id + "'")).isZero();

            db.inTransaction(c -> {
                rollup.inTransaction(c, batch);
                return null;
            });
        }

        assertThat(server.count("SELECT count FROM token_usage WHERE token_id = '" + id + "' AND granularity = 'hour' "
                + "AND permission = 'rr.docs:read' AND decision = 'allow'")).isEqualTo(2);
        assertThat(server.count("SELECT count FROM token_usage WHERE token_id = '" + id + "' AND granularity = 'day' "
                + "AND permission = 'rr.docs:write' AND decision = 'deny'")).isEqualTo(1);
        assertThat(server.count("SELECT COUNT(*) FROM token_usage WHERE token_id = '" + id + "'")).isEqualTo(4);
    }

    private static AuditEvent event(String tokenId, Instant at, String permission, String decision, String ip) {
        return new AuditEvent(null, at, "verify", tokenId, "p", tokenId, permission, decision,
                "allow".equals(decision) ? "VALID" : "FORBIDDEN", "127.0.0.1", null, null, ip);
    }
}
