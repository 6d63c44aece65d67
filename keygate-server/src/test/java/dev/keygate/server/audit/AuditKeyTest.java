package dev.keygate.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.LogCapture;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;

import static dev.keygate.server.audit.AuditRetentionTest.KEY;
import static dev.keygate.server.audit.AuditRetentionTest.tokenOf;
import static dev.keygate.server.audit.AuditRetentionTest.verifications;
import static dev.keygate.server.audit.AuditVerifyTest.broken;
import static dev.keygate.server.audit.AuditVerifyTest.chain;
import static dev.keygate.server.audit.AuditVerifyTest.connect;
import static dev.keygate.server.audit.AuditVerifyTest.verify;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit key across start-ups: generated and kept in the store (with a warning) when none is configured,
 * replaced by a configured one without losing the checkpoint it signed, and changed with the previous key given.
 */
class AuditKeyTest extends EndToEndTest {

    private static final String OTHER_KEY = Base64.getEncoder().encodeToString(
            "another audit key, 32 bytes or more".getBytes());

    @Test
    void startWhenNoAuditKeyThenGeneratesOneKeepsItInTheStoreAndWarnsWithoutShowingIt() throws Exception {
        try (LogCapture logs = LogCapture.attach(); TestServer s = TestServer.start(store)) {
            String generated = generatedKey(s);

            assertThat(Base64.getDecoder().decode(generated)).hasSize(32);
            assertThat(logs.text()).contains("KEYGATE_AUDIT_KEY is not set: audit checkpoints are signed with a key "
                    + "generated and kept in the store, which anyone who can read the database can read too")
                    .contains("openssl rand -base64 32")
                    .doesNotContain(generated);

            s.restart();
            assertThat(generatedKey(s)).as("the same key after a restart").isEqualTo(generated);
        }
    }

    @Test
    void startWhenAuditKeyConfiguredThenNoKeyIsGeneratedNorWarnedAbout() throws Exception {
        try (LogCapture logs = LogCapture.attach(); TestServer s = TestServer.start(store, b -> b.auditKey(KEY))) {

            assertThat(generatedKey(s)).isNull();
            assertThat(logs.text()).doesNotContain("KEYGATE_AUDIT_KEY is not set").doesNotContain(KEY);
        }
    }

    @Test
    void startWhenAuditKeySetAfterAGeneratedOneThenCheckpointSignedAgainAndGeneratedKeyDeleted() throws Exception {
        try (TestServer s = TestServer.start(store)) {
            prunedOnce(s);
            String generatedKeyId = chain(verify(s), "verify").get("checkpoint").get("key_id").asText();

            s.restart(b -> b.auditKey(KEY));

            JsonNode report = verify(s);
            assertThat(report.get("intact").asBoolean()).as(report.toString()).isTrue();
            JsonNode checkpoint = chain(report, "verify").get("checkpoint");
            assertThat(checkpoint.get("key_id").asText()).isNotEqualTo(generatedKeyId);
            assertThat(checkpoint.get("signature").asText()).isEqualTo("valid");
            assertThat(generatedKey(s)).as("deleted: it would let database readers forge checkpoints").isNull();
        }
    }

    @Test
    void startWhenAuditKeyChangedWithoutThePreviousOneThenCheckpointUnknownAndPruningStopsUntilItIsGiven() {
        try (TestServer s = TestServer.start(store, b -> b.auditKey(KEY))) {
            prunedOnce(s);

            s.restart(b -> b.auditKey(OTHER_KEY));
            verifications(s, tokenOf(s), 1);
            s.clock().advance(Duration.ofDays(31));

            JsonNode broken = broken(verify(s), "verify");
            assertThat(broken.get("problem").asText()).isEqualTo("checkpoint_key_unknown");
            assertThat(s.server().auditRetention().pruneNow()).isZero();

            s.restart(b -> b.auditKey(OTHER_KEY).auditPreviousKey(KEY));

            JsonNode report = verify(s);
            assertThat(report.get("intact").asBoolean()).as(report.toString()).isTrue();
            assertThat(s.server().auditRetention().pruneNow()).isEqualTo(3);
            assertThat(verify(s).get("intact").asBoolean()).isTrue();
        }
    }

    /** Verify events 1 and 2 pruned behind a checkpoint, 3 and 4 left. */
    private static void prunedOnce(TestServer s) {
        String token = tokenOf(s);
        verifications(s, token, 2);
        s.clock().advance(Duration.ofDays(31));
        verifications(s, token, 2);
        assertThat(s.server().auditRetention().pruneNow()).isEqualTo(2);
    }

    private static String generatedKey(TestServer s) throws Exception {
        try (Connection c = connect(s); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT key_base64 FROM audit_generated_key")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
