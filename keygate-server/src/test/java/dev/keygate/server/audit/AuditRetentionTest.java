package dev.keygate.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.KeygateServer;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.LogCapture;
import dev.keygate.server.testing.Race;
import dev.keygate.server.testing.TestServer;
import dev.keygate.server.verify.VerifyService;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.keygate.server.audit.AuditVerifyTest.broken;
import static dev.keygate.server.audit.AuditVerifyTest.chain;
import static dev.keygate.server.audit.AuditVerifyTest.execute;
import static dev.keygate.server.audit.AuditVerifyTest.idOf;
import static dev.keygate.server.audit.AuditVerifyTest.verify;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention end to end, with the server's clock moved forward: it prunes the old prefix of the verify chain
 * behind a signed checkpoint, what remains still verifies, admin events are all kept, a checkpoint tampered with
 * is found, and a chain that does not check out is not pruned.
 */
class AuditRetentionTest extends EndToEndTest {

    static final String KEY = Base64.getEncoder().encodeToString("an audit key of 32 bytes or more!".getBytes());

    @Test
    void pruneWhenVerifyEventsAreOlderThanRetentionThenPrefixPrunedBehindACheckpointAndStillIntact() {
        try (TestServer s = TestServer.start(store, b -> b.auditKey(KEY))) {
            String token = tokenOf(s);
            verifications(s, token, 3);
            long admin = s.count("SELECT COUNT(*) FROM audit_events WHERE chain = 'admin'");
            s.clock().advance(Duration.ofDays(31));
            verifications(s, token, 2);

            long pruned = s.server().auditRetention().pruneNow();

            assertThat(pruned).isEqualTo(3);
            assertThat(s.count("SELECT MIN(seq) FROM audit_events WHERE chain = 'verify'")).isEqualTo(4);
            assertThat(s.count("SELECT COUNT(*) FROM audit_events WHERE chain = 'verify'")).isEqualTo(2);
            JsonNode report = verify(s);
            assertThat(report.get("intact").asBoolean()).as(report.toString()).isTrue();
            JsonNode verifyChain = chain(report, "verify");
            assertThat(verifyChain.get("events_checked").asLong()).isEqualTo(2);
            assertThat(verifyChain.get("first_seq").asLong()).isEqualTo(4);
            JsonNode checkpoint = verifyChain.get("checkpoint");
            assertThat(checkpoint.get("seq").asLong()).isEqualTo(3);
            assertThat(checkpoint.get("signature").asText()).isEqualTo("valid");
            assertThat(checkpoint.get("pruned_before").asText())
                    .isEqualTo(s.clock().instant().minus(Duration.ofDays(30)).toString());
            // Every admin event is kept, and the pruning is recorded among them.
            assertThat(s.count("SELECT COUNT(*) FROM audit_events WHERE chain = 'admin'")).isEqualTo(admin + 1);
            assertThat(chain(report, "admin").get("first_seq").asLong()).isEqualTo(1);
            JsonNode record = TestServer.expect(s.get("/v1/audit?action=audit.prune", s.adminToken()), 200)
                    .get("items").get(0);
            assertThat(record.get("chain").asText()).isEqualTo("admin");
            assertThat(record.get("target").asText()).isEqualTo("verify");
            assertThat(record.get("detail").asText()).startsWith("seq 1 to 3 (3 events) older than ");

            assertThat(s.server().auditRetention().pruneNow()).as("nothing more is old enough").isZero();
        }
    }

    @Test
    void pruneWhenRunAgainLaterThenStartsFromTheCheckpointAndStillIntact() {
        try (TestServer s = TestServer.start(store, b -> b.auditKey(KEY))) {
            String token = tokenOf(s);
            verifications(s, token, 2);
            s.clock().advance(Duration.ofDays(31));
            verifications(s, token, 2);
            assertThat(s.server().auditRetention().pruneNow()).isEqualTo(2);
            s.clock().advance(Duration.ofDays(31));
            verifications(s, token, 1);

            assertThat(s.server().auditRetention().pruneNow()).isEqualTo(2);

            JsonNode verifyChain = chain(verify(s), "verify");
            assertThat(verifyChain.get("intact").asBoolean()).isTrue();
            assertThat(verifyChain.get("checkpoint").get("seq").asLong()).isEqualTo(4);
            assertThat(verifyChain.get("first_seq").asLong()).isEqualTo(5);
            assertThat(s.count("SELECT COUNT(*) FROM audit_checkpoints")).as("only the latest is kept").isEqualTo(1);
        }
    }

    @Test
    void verifyWhenCheckpointEditedToCoverDeletedEventsThenCheckpointSignature() throws Exception {
        try (TestServer s = pruned()) {
            // The cover-up: delete the oldest event left, and move the checkpoint past it.
            execute(s, "DELETE FROM audit_events WHERE chain = 'verify' AND seq = 4");
            execute(s, "UPDATE audit_checkpoints SET seq = 4, hash = (SELECT hash FROM audit_heads "
                    + "WHERE chain = 'verify')");

            JsonNode report = verify(s);
            JsonNode broken = broken(report, "verify");

            assertThat(broken.get("problem").asText()).isEqualTo("checkpoint_signature");
            assertThat(broken.get("meaning").asText()).isEqualTo("the checkpoint was forged or edited");
            assertThat(broken.get("seq").asLong()).isEqualTo(4);
            assertThat(chain(report, "verify").get("checkpoint").get("signature").asText()).isEqualTo("invalid");
            assertThat(s.server().auditRetention().pruneNow()).as("retention does not build on it").isZero();
        }
    }

    @Test
    void verifyWhenCheckpointPrunedBeforeIsEditedThenCheckpointSignature() throws Exception {
        try (TestServer s = pruned()) {
            execute(s, "UPDATE audit_checkpoints SET pruned_before = pruned_before + 86400000");

            assertThat(broken(verify(s), "verify").get("problem").asText()).isEqualTo("checkpoint_signature");
        }
    }

    @Test
    void verifyWhenCheckpointDeletedThenTheFirstEventsAreMissing() throws Exception {
        try (TestServer s = pruned()) {
            execute(s, "DELETE FROM audit_checkpoints");

            JsonNode broken = broken(verify(s), "verify");

            assertThat(broken.get("problem").asText()).isEqualTo("seq_gap");
            assertThat(broken.get("seq").asLong()).isEqualTo(1);
            assertThat(broken.get("detail").asText()).isEqualTo("events 1 to 3 are missing");
        }
    }

    @Test
    void pruneWhenAnOldEventWasEditedThenRefusesAndKeepsEveryEvent() throws Exception {
        try (TestServer s = TestServer.start(store, b -> b.auditKey(KEY)); LogCapture logs = LogCapture.attach()) {
            String token = tokenOf(s);
            verifications(s, token, 3);
            execute(s, "UPDATE audit_events SET permission = 'r.items:write' WHERE id = ?",
                    idOf(s, "verify", 2));
            s.clock().advance(Duration.ofDays(31));

            long pruned = s.server().auditRetention().pruneNow();

            assertThat(pruned).isZero();
            assertThat(s.count("SELECT COUNT(*) FROM audit_events WHERE chain = 'verify'")).isEqualTo(3);
            assertThat(s.count("SELECT COUNT(*) FROM audit_checkpoints")).isZero();
            assertThat(logs.text()).contains("not pruning the verify chain, so that the evidence stays: event 2 "
                    + "does not hash to its stored hash");
            assertThat(broken(verify(s), "verify").get("seq").asLong()).isEqualTo(2);
        }
    }

    @Test
    void pruneWhenRetentionIsZeroThenKeepsEveryEvent() {
        try (TestServer s = TestServer.start(store, b -> b.auditKey(KEY).auditRetention("0"))) {
            verifications(s, tokenOf(s), 2);
            s.clock().advance(Duration.ofDays(3650));

            assertThat(s.server().auditRetention().pruneNow()).isZero();
            assertThat(s.count("SELECT COUNT(*) FROM audit_events WHERE chain = 'verify'")).isEqualTo(2);
        }
    }

    @Test
    void pruneWhenTwoNodesPruneAtOnceThenEveryOldEventGoesOnceAndTheChainStaysIntact() throws Exception {
        int events = AuditRetention.BATCH + 2_000;
        try (TestServer s = TestServer.start(store, b -> b.auditKey(KEY));
             KeygateServer other = KeygateServer.start(s.storeConfig())) {
            verifications(s, tokenOf(s), events);
            s.clock().advance(Duration.ofDays(31));

            List<Long> pruned = Race.all(List.of(
                    () -> s.server().auditRetention().pruneNow(),
                    () -> other.auditRetention().pruneNow()));

            assertThat(pruned.get(0) + pruned.get(1)).isEqualTo(events);
            assertThat(s.count("SELECT COUNT(*) FROM audit_events WHERE chain = 'verify'")).isZero();
            JsonNode report = verify(s);
            assertThat(report.get("intact").asBoolean()).as(report.toString()).isTrue();
            assertThat(chain(report, "verify").get("checkpoint").get("seq").asLong()).isEqualTo(events);
            assertThat(chain(report, "verify").get("events_checked").asLong()).isZero();
        }
    }

    @Test
    void scheduleWhenIntervalElapsesThenEachNodePrunesWithoutBeingAsked() throws InterruptedException {
        try (TestServer s = TestServer.start(store, b -> b.auditKey(KEY).auditPruneInterval(Duration.ofMillis(20)))) {
            verifications(s, tokenOf(s), 3);
            s.clock().advance(Duration.ofDays(31));

            // Waits for the schedule (bounded); nothing asserts how soon it ran.
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (s.count("SELECT COUNT(*) FROM audit_events WHERE chain = 'verify'") > 0
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }

            assertThat(s.count("SELECT COUNT(*) FROM audit_events WHERE chain = 'verify'")).isZero();
            assertThat(verify(s).get("intact").asBoolean()).isTrue();
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** A server whose verify chain was pruned: events 1 to 3 behind a checkpoint, 4 and 5 left. */
    private TestServer pruned() {
        TestServer s = TestServer.start(store, b -> b.auditKey(KEY));
        String token = tokenOf(s);
        verifications(s, token, 3);
        s.clock().advance(Duration.ofDays(31));
        verifications(s, token, 2);
        assertThat(s.server().auditRetention().pruneNow()).isEqualTo(3);
        assertThat(verify(s).get("intact").asBoolean()).isTrue();
        return s;
    }

    /**
     * A token that outlives the tests' clock moves (90 days, the longest allowed): an expired one would be a dead
     * token in use, and its alert an admin event the tests do not expect.
     */
    static String tokenOf(TestServer s) {
        String name = TestServer.unique("retention-svc");
        s.createPrincipal(name, "service");
        s.createRole(name + "-role", "r.items:read");
        return s.mint(name, List.of(name + "-role"), Map.of("ttl", "90d")).get("token").asText();
    }

    /** {@code n} verifications through the server's own verify path, written to the store. */
    static void verifications(TestServer s, String token, int n) {
        VerifyService verifier = s.server().verifier();
        for (int i = 0; i < n; i++) {
            verifier.verify(new VerifyService.Request(token, "r.items:read", null, null, null), "10.0.0.1",
                    "retention-test " + i); // distinct: each its own event, not one repeated (Repeats)
        }
        s.flushAudit();
    }
}
