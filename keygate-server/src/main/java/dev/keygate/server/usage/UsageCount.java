package dev.keygate.server.usage;

/**
 * One roll-up row: how many verifications of a token in one bucket asked one permission and got one decision.
 *
 * @param permission  the permission or query asked (queries in canonical form), or {@code null} when none was
 * @param bucketStart the bucket's start, in epoch milliseconds
 * @param decision    {@code allow} or {@code deny}
 */
public record UsageCount(String tokenId, Granularity granularity, long bucketStart, String permission,
                         String decision, long count) {
}
