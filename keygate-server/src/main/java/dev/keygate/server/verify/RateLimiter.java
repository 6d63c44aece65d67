package dev.keygate.server.verify;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.keygate.core.token.RateLimit;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

import java.time.Clock;
import java.util.Objects;

/**
 * Per-token rate limiting: a token bucket for each token id, held in memory.
 *
 * <p><b>What a client observes.</b> A token with {@code limit} per {@code window} starts with a full bucket of
 * {@code limit} requests, so it may send up to {@code limit} at once. The bucket refills greedily, one request
 * at a time, at a steady {@code limit/window} (100 per minute: one more every 0.6 s), and never holds more than
 * {@code limit}. A client that keeps to {@code limit/window} is never refused; one that bursts waits only until
 * the next request has refilled, which {@link Decision#retryAfterSeconds()} tells it.
 *
 * <p><b>The limit is per node.</b> Each Keygate node counts on its own, so with N nodes behind a load balancer a
 * token may get up to N&times;{@code limit} per window cluster-wide. This is deliberate: the verify path does no
 * I/O for a cached token, and a shared counter (a database row, Redis) would add a round trip to every request
 * and a dependency that can fail. Where the cluster-wide figure matters, give the token {@code limit / N}, or
 * route each token to one node (sticky routing on the token, for example by a hash of the Authorization
 * header).
 *
 * <p><b>Memory.</b> Buckets are kept in a cache bounded to a maximum number of token ids, with no expiry: a
 * bucket idle for a window has refilled anyway, so keeping it changes nothing for the client, and an expiry
 * would cost every verification a clock read and timer bookkeeping. When the bound is reached the least useful
 * bucket is evicted, which can only let that token through sooner (with a full bucket), never refuse it
 * wrongly.
 *
 * <p><b>Concurrency.</b> Thread-safe. A hit takes no lock: Caffeine reads are lock-free, and local Bucket4j
 * buckets update their state by compare-and-set. A bucket and its configuration are built only on a miss.
 */
public final class RateLimiter {

    private final TimeMeter timeMeter;
    private final Cache<String, Limited> buckets;

    /**
     * @param clock      the server's clock; buckets read time from it only
     * @param maxBuckets the most token ids tracked at once
     * @throws IllegalArgumentException if {@code maxBuckets} is less than 1
     */
    public RateLimiter(Clock clock, long maxBuckets) {
        Objects.requireNonNull(clock, "clock");
        if (maxBuckets < 1) {
            throw new IllegalArgumentException("maxBuckets must be at least 1, was " + maxBuckets);
        }
        this.timeMeter = new ClockTimeMeter(clock);
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxBuckets)
                // Maintenance (replaying reads into the eviction policy) runs on the calling thread: handing it to
                // the common pool cost a thread wake-up every few verifications, more than the work itself.
                .executor(Runnable::run)
                .build();
    }

    /**
     * The answer to one request.
     *
     * @param allowed           whether the request may go ahead
     * @param remaining         the requests left in the bucket after this one (0 when refused)
     * @param retryAfterSeconds 0 when allowed; otherwise the whole seconds, rounded up and at least 1, until one
     *                          request would be allowed, as for an HTTP {@code Retry-After} header
     */
    public record Decision(boolean allowed, long remaining, long retryAfterSeconds) {
    }

    /**
     * Takes one request from the bucket of {@code tokenId} if one is available.
     *
     * @throws NullPointerException if {@code tokenId} or {@code limit} is null
     */
    public Decision tryAcquire(String tokenId, RateLimit limit) {
        ConsumptionProbe probe = bucket(tokenId, limit).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return new Decision(true, probe.getRemainingTokens(), 0);
        }
        return new Decision(false, 0, retryAfterSeconds(probe.getNanosToWaitForRefill()));
    }

    /**
     * Whether {@link #tryAcquire} would allow a request now, without taking one. An untracked token is allowed
     * and stays untracked: its bucket would start full.
     *
     * @throws NullPointerException if {@code tokenId} or {@code limit} is null
     */
    public boolean wouldAllow(String tokenId, RateLimit limit) {
        Objects.requireNonNull(limit, "limit");
        Limited limited = buckets.getIfPresent(tokenId);
        // A bucket under another limit would be replaced by a full one on the next tryAcquire.
        return limited == null || !limited.limit().equals(limit) || limited.bucket().getAvailableTokens() >= 1;
    }

    /**
     * Returns one request taken by {@link #tryAcquire} for a request that was refused after all by a later
     * check, so that it does not count against the limit (never beyond the bucket's capacity).
     */
    public void giveBack(String tokenId, RateLimit limit) {
        Limited limited = buckets.getIfPresent(tokenId);
        if (limited != null && limited.limit().equals(limit)) {
            limited.bucket().addTokens(1);
        }
    }

    /** The number of token ids tracked, after pending expiry and eviction; for tests. */
    long trackedBuckets() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    private Bucket bucket(String tokenId, RateLimit limit) {
        Objects.requireNonNull(limit, "limit");
        Limited limited = buckets.getIfPresent(tokenId);
        if (limited != null && limited.limit().equals(limit)) {
            return limited.bucket();
        }
        // A miss, or a bucket built for another limit (not expected: replacing it is the defensive answer).
        // compute keeps a bucket that a concurrent caller has just built for the same limit.
        return buckets.asMap().compute(tokenId, (id, current) ->
                current != null && current.limit().equals(limit) ? current : newBucket(limit)).bucket();
    }

    private Limited newBucket(RateLimit limit) {
        Bucket bucket = Bucket.builder()
                .addLimit(b -> b.capacity(limit.limit()).refillGreedy(limit.limit(), limit.window()))
                .withCustomTimePrecision(timeMeter)
                .build();
        return new Limited(limit, bucket);
    }

    private static long retryAfterSeconds(long nanos) {
        return Math.max(1, Math.ceilDiv(nanos, 1_000_000_000L));
    }

    /** A bucket and the limit it was built for. */
    private record Limited(RateLimit limit, Bucket bucket) {
    }

    /** Bucket4j time from the injected clock, which ticks in milliseconds. */
    private record ClockTimeMeter(Clock clock) implements TimeMeter {

        @Override
        public long currentTimeNanos() {
            return clock.millis() * 1_000_000L;
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
