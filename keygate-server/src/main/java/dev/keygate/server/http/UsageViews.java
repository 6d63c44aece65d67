package dev.keygate.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keygate.server.usage.TokenUsage;

import java.time.Instant;
import java.util.List;

/** The JSON shapes of usage analytics (see docs/usage-and-hygiene.md). */
final class UsageViews {

    private UsageViews() {
    }

    record TokenUsageView(String tokenId, Instant lastUsedAt, String lastUsedIp, String granularity, Instant since,
                          Instant until, CountsView totals, List<PermissionCountsView> permissions,
                          List<BucketView> buckets) {
        static TokenUsageView of(TokenUsage u) {
            return new TokenUsageView(u.tokenId(), u.lastUsedAt(), u.lastUsedIp(), u.granularity().apiName(),
                    u.since(), u.until(), CountsView.of(u.totals()), PermissionCountsView.of(u.permissions()),
                    u.buckets().stream().map(b -> new BucketView(b.start(), b.counts().allow(), b.counts().deny(),
                            PermissionCountsView.of(b.permissions()))).toList());
        }
    }

    record CountsView(long allow, long deny) {
        static CountsView of(TokenUsage.Counts c) {
            return new CountsView(c.allow(), c.deny());
        }
    }

    /** {@code permission} is written as {@code null} for the verifications that asked no permission. */
    record PermissionCountsView(@JsonInclude(JsonInclude.Include.ALWAYS) String permission, long allow, long deny) {
        static List<PermissionCountsView> of(List<TokenUsage.PermissionCounts> counts) {
            return counts.stream().map(p -> new PermissionCountsView(p.permission(), p.counts().allow(),
                    p.counts().deny())).toList();
        }
    }

    record BucketView(Instant start, long allow, long deny, List<PermissionCountsView> permissions) {
    }
}
