package dev.keygate.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.core.verify.VerifyCode;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.TestServer;
import dev.keygate.server.verify.VerifyService;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verify events go through the batching writer; a clean shutdown writes every one of them, and every usage roll-up
 * built from them.
 */
class AuditDrainTest extends EndToEndTest {

    @Test
    void closeWhenVerifyEventsQueuedThenEveryEventIsWritten() throws Exception {
        try (TestServer s = TestServer.start(store)) {
            JsonNode created = s.principalWithToken("drain-svc", "drain.items:read");
            String token = created.get("token").asText();
            VerifyService verifier = s.server().verifier();
            int threads = 4;
            int perThread = 2_500;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Callable<Integer>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                work.add(() -> {
                    int valid = 0;
                    for (int i = 0; i < perThread; i++) {
                        VerifyService.Request request = new VerifyService.Request(token, "drain.items:read", null,
                                null, null);
                        if (verifier.verify(request, "10.0.0.1", "drain-test").code() == VerifyCode.VALID) {
                            valid++;
                        }
                    }
                    return valid;
                });
            }
            int valid = 0;
            for (Future<Integer> f : pool.invokeAll(work)) {
                valid += f.get();
            }
            pool.shutdown();
            assertThat(valid).isEqualTo(threads * perThread);

            s.restart(); // close() drains the queue

            long written = s.count("SELECT " + TestServer.OCCURRENCES + " FROM audit_events WHERE action = 'verify' AND actor_token_id = '"
                    + created.get("id").asText() + "'");
            assertThat(written).isEqualTo((long) threads * perThread);
            // The usage roll-ups are written in the same transactions: they lose nothing either.
            for (String granularity : List.of("hour", "day")) {
                assertThat(s.count("SELECT COALESCE(SUM(count), 0) FROM token_usage WHERE granularity = '"
                        + granularity + "' AND token_id = '" + created.get("id").asText() + "'"))
                        .as(granularity).isEqualTo((long) threads * perThread);
            }
        }
    }

    @Test
    void verifyWhenVerifyEventsTurnedOffThenNoEventButAdminChangesStillAudited() {
        try (TestServer s = TestServer.start(store, b -> b.auditVerifyEvents("false"))) {
            JsonNode created = s.principalWithToken("quiet-svc", "quiet.items:read");
            String id = created.get("id").asText();

            assertThat(s.verify(created.get("token").asText(), "quiet.items:read").get("code").asText())
                    .isEqualTo("VALID");
            s.flushAudit();

            assertThat(s.count("SELECT COUNT(*) FROM audit_events WHERE action = 'verify'")).isZero();
            assertThat(s.count("SELECT COUNT(*) FROM audit_events WHERE action = 'token.create' AND target = '"
                    + id + "'")).isEqualTo(1);
        }
    }
}
