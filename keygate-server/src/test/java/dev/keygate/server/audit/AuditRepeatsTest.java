package dev.keygate.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.TestServer;
import dev.keygate.server.verify.VerifyService;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.keygate.server.audit.AuditVerifyTest.verify;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Repeated verifications end to end: verifications that differ only in their time and reach the audit writer
 * together are stored as one event that says how many times it happened and when each time was, so that nothing is
 * lost; the API shows both, the chain covers them, and a repeat edited in the store is found.
 */
class AuditRepeatsTest extends EndToEndTest {

    private static final int N = 50;

    @Test
    void verifyWhenOneTokenIsVerifiedAlikeManyTimesThenFewerEventsThatKeepEveryOccurrenceAndItsTime() {
        try (TestServer s = TestServer.start(store)) {
            String token = AuditRetentionTest.tokenOf(s);
            VerifyService verifier = s.server().verifier();
            List<Instant> times = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                s.clock().advance(Duration.ofMillis(i % 3)); // some in the same millisecond
                times.add(s.clock().instant());
                verifier.verify(new VerifyService.Request(token, "r.items:read", null, null, "10.9.8.7"),
                        "10.0.0.1", "repeats-test");
            }
            s.flushAudit();

            JsonNode items = TestServer.expect(s.get("/v1/audit?action=verify&order=oldest&limit=1000",
                    s.adminToken()), 200).get("items");

            assertThat(items.size()).as("fewer events than verifications").isLessThan(N);
            List<Instant> occurrences = new ArrayList<>();
            int total = 0;
            for (JsonNode e : items) {
                Instant first = Instant.parse(e.get("time").asText());
                occurrences.add(first);
                int count = e.get("count").asInt();
                total += count;
                assertThat(e.get("request_ip").asText()).isEqualTo("10.9.8.7");
                if (count == 1) {
                    assertThat(e.has("repeat_offsets_ms")).isFalse();
                    continue;
                }
                JsonNode offsets = e.get("repeat_offsets_ms");
                assertThat(offsets.size()).isEqualTo(count - 1);
                long previous = 0;
                for (JsonNode o : offsets) {
                    assertThat(o.asLong()).isGreaterThanOrEqualTo(previous);
                    previous = o.asLong();
                    occurrences.add(first.plusMillis(o.asLong()));
                }
            }
            assertThat(total).isEqualTo(N);
            assertThat(occurrences).containsExactlyInAnyOrderElementsOf(times);
            assertThat(s.count("SELECT " + TestServer.OCCURRENCES + " FROM audit_events WHERE action = 'verify'"))
                    .isEqualTo(N);
            JsonNode report = verify(s);
            assertThat(report.get("intact").asBoolean()).as(report.toString()).isTrue();
            ChainCheck.assertIntactFromGenesis(s);
        }
    }

    @Test
    void verifyWhenTheRepeatsOfAnEventAreEditedThenHashMismatch() throws Exception {
        try (TestServer s = TestServer.start(store)) {
            String token = AuditRetentionTest.tokenOf(s);
            VerifyService verifier = s.server().verifier();
            for (int i = 0; i < 10; i++) {
                verifier.verify(new VerifyService.Request(token, "r.items:read", null, null, null), "10.0.0.1",
                        "repeats-test");
            }
            s.flushAudit();
            long seq = s.count("SELECT MIN(seq) FROM audit_events WHERE chain = 'verify' AND repeats IS NOT NULL");
            assertThat(seq).as("an event that happened more than once").isPositive();

            // Hiding a use: one occurrence fewer.
            AuditVerifyTest.execute(s, "UPDATE audit_events SET repeats = SUBSTR(repeats, 3) "
                    + "WHERE chain = 'verify' AND seq = ?", seq);

            JsonNode broken = AuditVerifyTest.broken(verify(s), "verify");
            assertThat(broken.get("problem").asText()).isEqualTo("hash_mismatch");
            assertThat(broken.get("seq").asLong()).isEqualTo(seq);
        }
    }
}
