package dev.keygate.server.token;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.core.verify.VerifyCode;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.verify.VerifyService;
import org.junit.jupiter.api.RepeatedTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Revocation is immediate even under concurrent verification: once the revoke call has returned, no
 * verification that starts afterwards may answer VALID, whether the token's view was cached, being loaded
 * into the cache at that moment, or not yet cached.
 *
 * <p>Regression: a load that stored its (pre-revocation) view and only then checked whether an invalidation had
 * happened left the stale view visible while its thread was descheduled; this test saw 833 VALID answers after
 * the revoke had returned, on PostgreSQL. Loads now check and store under the invalidation lock.
 */
class RevocationRaceTest extends EndToEndTest {

    @RepeatedTest(3)
    void revokeWhenVerifiersRunConcurrentlyThenNoVerifyStartedAfterRevokeIsValid() throws Exception {
        String suffix = Long.toString(System.nanoTime(), 36);
        server.createPrincipal("race-" + suffix, "service");
        server.createRole("race-role-" + suffix, "race.items:read");
        VerifyService verifier = server.server().verifier();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 10; round++) {
                JsonNode created = server.mint("race-" + suffix, List.of("race-role-" + suffix), Map.of());
                String token = created.get("token").asText();
                AtomicLong revokedAt = new AtomicLong(Long.MAX_VALUE);
                AtomicBoolean stop = new AtomicBoolean();
                CountDownLatch started = new CountDownLatch(3);
                List<Future<Integer>> violations = new ArrayList<>();
                for (int t = 0; t < 3; t++) {
                    violations.add(pool.submit(() -> {
                        started.countDown();
                        int bad = 0;
                        while (!stop.get()) {
                            long start = System.nanoTime();
                            VerifyCode code = codeOf(verifier, token, "race.items:read");
                            if (code == VerifyCode.VALID && start > revokedAt.get()) {
                                bad++;
                            }
                        }
                        return bad;
                    }));
                }
                started.await();
                assertThat(server.post("/v1/tokens/" + created.get("id").asText() + "/revoke", server.adminToken(),
                        Map.of()).status()).isEqualTo(200);
                revokedAt.set(System.nanoTime());
                // Let the verifiers run on for a while after the revocation.
                long until = System.nanoTime() + 50_000_000L;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                stop.set(true);
                int total = 0;
                for (Future<Integer> f : violations) {
                    total += f.get();
                }
                assertThat(total).as("VALID answers that started after the revoke returned").isZero();
                assertThat(codeOf(verifier, token, null)).isEqualTo(VerifyCode.REVOKED);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static VerifyCode codeOf(VerifyService verifier, String token, String permission) {
        return verifier.verify(new VerifyService.Request(token, permission, null, null, null), null, null).code();
    }
}
