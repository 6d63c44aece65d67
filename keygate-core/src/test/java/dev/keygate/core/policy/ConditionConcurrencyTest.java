package dev.keygate.core.policy;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** One condition evaluated by many threads at once, each with its own attributes, gives each the right answer. */
class ConditionConcurrencyTest {

    private static final int THREADS = 8;
    private static final int EVALUATIONS = 5_000;

    @Test
    void testWhenEvaluatedConcurrentlyThenEachThreadGetsItsOwnAnswer() throws Exception {
        Condition condition = Conditions.compile("resource.owner == principal.name"
                + " && request.ip.inCidr('10.0.0.0/8')"
                + " && request.time.getHours('Europe/Berlin') < 18"
                + " && ('team' in token.metadata ? token.metadata.team == 'billing' : true)"
                + " || request.ip.startsWith('10.1.')");
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long seed = t;
                results.add(pool.submit(() -> {
                    start.await();
                    return evaluate(condition, new SplittableRandom(seed));
                }));
            }
            start.countDown();
            for (Future<Integer> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(EVALUATIONS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Evaluates random attributes, checking each answer against the same rule in Java; returns the count. */
    private static int evaluate(Condition condition, SplittableRandom random) {
        int checked = 0;
        for (int i = 0; i < EVALUATIONS; i++) {
            String owner = random.nextBoolean() ? "alice" : "bob";
            String principal = random.nextBoolean() ? "alice" : "bob";
            String ip = (random.nextInt(4) + 1) + "0." + random.nextInt(3) + ".0." + random.nextInt(256);
            Instant time = Instant.parse("2026-01-14T00:00:00Z").plusSeconds(random.nextInt(86_400));
            String team = switch (random.nextInt(3)) {
                case 0 -> null;
                case 1 -> "billing";
                default -> "ops";
            };
            RequestAttributes request = new RequestAttributes(ip, time, "live", Map.of("owner", owner));
            SubjectAttributes subject = SubjectAttributes.of("tok_" + i,
                    team == null ? Map.of() : Map.of("team", team), "live", time, principal, "service", Map.of());
            // Berlin is UTC+1 in January.
            boolean expected = owner.equals(principal) && ip.startsWith("10.")
                    && (time.getEpochSecond() / 3600 + 1) % 24 < 18
                    && (team == null || team.equals("billing")) || ip.startsWith("10.1.");

            assertThat(condition.test(request, subject)).as("%s %s %s %s %s", owner, principal, ip, time, team)
                    .isEqualTo(expected);
            checked++;
        }
        return checked;
    }
}
