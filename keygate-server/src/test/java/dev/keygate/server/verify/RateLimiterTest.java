package dev.keygate.server.verify;

import dev.keygate.core.token.RateLimit;
import dev.keygate.server.testing.MutableClock;
import dev.keygate.server.verify.RateLimiter.Decision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimiterTest {

    private static final String TOKEN = "tok_1";

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final RateLimiter limiter = new RateLimiter(clock, 10_000);

    @Test
    void tryAcquireWhenBucketFullThenRemainingCountsDown() {
        RateLimit limit = RateLimit.of(3, "1m");

        assertThat(limiter.tryAcquire(TOKEN, limit)).isEqualTo(new Decision(true, 2, 0));
        assertThat(limiter.tryAcquire(TOKEN, limit)).isEqualTo(new Decision(true, 1, 0));
        assertThat(limiter.tryAcquire(TOKEN, limit)).isEqualTo(new Decision(true, 0, 0));
    }

    @Test
    void tryAcquireWhenLimitExhaustedThenRefusedWithRetryAfterOfOneRefill() {
        RateLimit limit = RateLimit.of(3, "1m");
        exhaust(limit);

        // Greedy refill: one request every 60 s / 3 = 20 s.
        assertThat(limiter.tryAcquire(TOKEN, limit)).isEqualTo(new Decision(false, 0, 20));
        assertThat(limiter.tryAcquire(TOKEN, limit)).isEqualTo(new Decision(false, 0, 20));
    }

    @Test
    void tryAcquireWhenRefusedPartWayThroughRefillThenRetryAfterRoundedUp() {
        RateLimit limit = RateLimit.of(1, "10s");
        limiter.tryAcquire(TOKEN, limit);
        clock.advance(Duration.ofMillis(8_500));

        assertThat(limiter.tryAcquire(TOKEN, limit)).isEqualTo(new Decision(false, 0, 2));
    }

    @Test
    void tryAcquireWhenLessThanOneSecondToWaitThenRetryAfterIsOne() {
        RateLimit limit = RateLimit.of(1, "10s");
        limiter.tryAcquire(TOKEN, limit);
        clock.advance(Duration.ofMillis(9_999));

        assertThat(limiter.tryAcquire(TOKEN, limit)).isEqualTo(new Decision(false, 0, 1));
    }

    @Test
    void tryAcquireWhenClockMovedOneRefillThenOneMoreAllowed() {
        RateLimit limit = RateLimit.of(3, "1m");
        exhaust(limit);

        clock.advance(Duration.ofMillis(19_999));
        assertThat(limiter.tryAcquire(TOKEN, limit).allowed()).isFalse();

        clock.advance(Duration.ofMillis(1));
        assertThat(limiter.tryAcquire(TOKEN, limit)).isEqualTo(new Decision(true, 0, 0));
        assertThat(limiter.tryAcquire(TOKEN, limit)).isEqualTo(new Decision(false, 0, 20));
    }

    @Test
    void tryAcquireWhenIdleLongerThanWindowThenRefillCappedAtLimit() {
        RateLimit limit = RateLimit.of(3, "1m");
        exhaust(limit);

        clock.advance(Duration.ofHours(5));

        assertThat(limiter.tryAcquire(TOKEN, limit)).isEqualTo(new Decision(true, 2, 0));
        exhaust(limit, 2);
        assertThat(limiter.tryAcquire(TOKEN, limit).allowed()).isFalse();
    }

    @Test
    void wouldAllowWhenProbedThenNothingConsumed() {
        RateLimit limit = RateLimit.of(2, "1m");

        for (int i = 0; i < 10; i++) {
            assertThat(limiter.wouldAllow(TOKEN, limit)).isTrue();
        }
        assertThat(limiter.tryAcquire(TOKEN, limit)).isEqualTo(new Decision(true, 1, 0));
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.wouldAllow(TOKEN, limit)).isTrue();
        }
        assertThat(limiter.tryAcquire(TOKEN, limit)).isEqualTo(new Decision(true, 0, 0));
    }

    @Test
    void wouldAllowWhenExhaustedThenFalseUntilRefilled() {
        RateLimit limit = RateLimit.of(2, "1m");
        exhaust(limit);

        assertThat(limiter.wouldAllow(TOKEN, limit)).isFalse();
        clock.advance(Duration.ofSeconds(30));
        assertThat(limiter.wouldAllow(TOKEN, limit)).isTrue();
    }

    @Test
    void wouldAllowWhenTokenUntrackedThenTrueAndStaysUntracked() {
        assertThat(limiter.wouldAllow(TOKEN, RateLimit.of(1, "1m"))).isTrue();

        assertThat(limiter.trackedBuckets()).isZero();
    }

    @Test
    void tryAcquireWhenDifferentTokenIdsThenIndependentBuckets() {
        RateLimit limit = RateLimit.of(2, "1m");
        exhaust(limit);

        assertThat(limiter.tryAcquire("tok_2", limit)).isEqualTo(new Decision(true, 1, 0));
        assertThat(limiter.tryAcquire(TOKEN, limit).allowed()).isFalse();
        assertThat(limiter.tryAcquire("tok_2", limit)).isEqualTo(new Decision(true, 0, 0));
        assertThat(limiter.wouldAllow("tok_3", limit)).isTrue();
    }

    @Test
    void tryAcquireWhenLimitDiffersFromBucketsThenBucketReplacedByFullOne() {
        exhaust(RateLimit.of(2, "1m"));
        RateLimit raised = RateLimit.of(5, "1m");

        assertThat(limiter.wouldAllow(TOKEN, raised)).isTrue();
        assertThat(limiter.tryAcquire(TOKEN, raised)).isEqualTo(new Decision(true, 4, 0));
        assertThat(limiter.trackedBuckets()).isEqualTo(1);
    }

    @Test
    void trackedBucketsWhenMoreTokensThanMaximumThenBounded() {
        RateLimiter small = new RateLimiter(clock, 10);
        RateLimit limit = RateLimit.of(1, "1d");

        for (int i = 0; i < 1_000; i++) {
            small.tryAcquire("tok_" + i, limit);
        }

        assertThat(small.trackedBuckets()).isLessThanOrEqualTo(10);
    }

    @Test
    void newWhenMaxBucketsNotPositiveThenThrows() {
        assertThatThrownBy(() -> new RateLimiter(clock, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxBuckets must be at least 1, was 0");
    }

    @Test
    @Timeout(30)
    void tryAcquireWhenManyThreadsRaceOnOneTokenThenExactlyLimitAllowed() throws Exception {
        int threads = 16;
        int attempts = 1_000;
        RateLimit limit = RateLimit.of(500, "1h");
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> allowed = new ArrayList<>();

        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                allowed.add(pool.submit(() -> {
                    start.await();
                    int n = 0;
                    for (int i = 0; i < attempts; i++) {
                        if (limiter.tryAcquire(TOKEN, limit).allowed()) {
                            n++;
                        }
                    }
                    return n;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : allowed) {
                total += f.get();
            }

            assertThat(total).isEqualTo(500);
        }
        assertThat(limiter.wouldAllow(TOKEN, limit)).isFalse();
    }

    private void exhaust(RateLimit limit) {
        exhaust(limit, limit.limit());
    }

    private void exhaust(RateLimit limit, long n) {
        for (long i = 0; i < n; i++) {
            assertThat(limiter.tryAcquire(TOKEN, limit).allowed()).isTrue();
        }
    }
}
