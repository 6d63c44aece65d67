package dev.keygate.server.usage;

import java.time.Instant;
import java.util.List;

/**
 * A token's usage over a range, from the roll-ups: totals per decision and per permission, and the buckets that
 * hold any verification (empty buckets are left out).
 *
 * @param lastUsedAt  the token's last verification, allowed or denied, whenever it was; {@code null} if never
 * @param lastUsedIp  the address of that verification (see {@link UsageRollup}); {@code null} if never used or
 *                    last used before this was recorded
 * @param since       the start of the first bucket read: the {@code since} asked, rounded down to a bucket start
 * @param until       the end of the range, exclusive: buckets starting before it are read
 * @param permissions per permission asked, sorted by permission, the verifications that asked none first
 * @param buckets     by start, each with its own counts per permission
 */
public record TokenUsage(String tokenId, Instant lastUsedAt, String lastUsedIp, Granularity granularity,
                         Instant since, Instant until, Counts totals, List<PermissionCounts> permissions,
                         List<Bucket> buckets) {

    /** Verifications allowed and denied. */
    public record Counts(long allow, long deny) {

        static final Counts ZERO = new Counts(0, 0);

        Counts plus(String decision, long n) {
            return "allow".equals(decision) ? new Counts(allow + n, deny) : new Counts(allow, deny + n);
        }
    }

    /** @param permission the permission or query asked, or {@code null} for verifications that asked none */
    public record PermissionCounts(String permission, Counts counts) {
    }

    public record Bucket(Instant start, Counts counts, List<PermissionCounts> permissions) {
    }
}
