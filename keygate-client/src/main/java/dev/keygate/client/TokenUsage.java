package dev.keygate.client;

import java.time.Instant;
import java.util.List;

/**
 * A token's usage over a range ({@code GET /v1/tokens/{id}/usage}): its verifications counted per bucket (an hour
 * or a UTC day), permission asked and decision. Buckets without verifications are left out.
 *
 * @param tokenId     the token
 * @param lastUsedAt  its last verification, allowed or denied, whenever it was; {@code null} if never
 * @param lastUsedIp  the address of that verification ({@code context.ip} when the service gave one, else the
 *                    service's own address); {@code null} if unknown
 * @param granularity {@code hour} or {@code day}
 * @param since       the start of the first bucket of the range
 * @param until       the end of the range, exclusive
 * @param totals      all verifications in the range
 * @param permissions per permission asked, sorted by permission, verifications that asked none first
 * @param buckets     oldest first
 */
public record TokenUsage(String tokenId, Instant lastUsedAt, String lastUsedIp, String granularity, Instant since,
                         Instant until, Counts totals, List<PermissionUsage> permissions, List<Bucket> buckets) {

    public TokenUsage {
        permissions = permissions == null ? List.of() : List.copyOf(permissions);
        buckets = buckets == null ? List.of() : List.copyOf(buckets);
    }

    /** Verifications allowed and denied. */
    public record Counts(long allow, long deny) {
    }

    /**
     * @param permission the permission or query asked (a query in its canonical form), or {@code null} for
     *                   verifications that asked none
     */
    public record PermissionUsage(String permission, long allow, long deny) {
    }

    /** One hour or day: when it starts, its counts, and its counts per permission. */
    public record Bucket(Instant start, long allow, long deny, List<PermissionUsage> permissions) {
        public Bucket {
            permissions = permissions == null ? List.of() : List.copyOf(permissions);
        }
    }
}
