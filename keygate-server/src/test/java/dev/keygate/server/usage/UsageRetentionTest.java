package dev.keygate.server.usage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.EndToEndTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retention of usage roll-ups: hourly rows are pruned once their hour is 14 days behind the current one, daily
 * rows once their day is 400 days behind, by the injected clock. This class moves its server's clock far ahead (past
 * the admin token's life), so its server serves no other test.
 */
class UsageRetentionTest extends EndToEndTest {

    @Test
    void pruneWhenBucketsLeaveTheirRetentionThenHourlyGoAfter14DaysAndDailyAfter400() {
        Instant day = Granularity.DAY.bucketStart(server.clock().instant()).plus(Duration.ofDays(1));
        server.clock().set(day.plus(Duration.ofMinutes(30)));
        String principal = server.newPrincipal("ret");
        JsonNode minted = server.mint(principal, List.of(server.newRole("ret", "ret.docs:read")), Map.of());
        String id = minted.get("id").asText();
        server.verify(minted.get("token").asText(), "ret.docs:read");
        server.verify(minted.get("token").asText(), "ret.docs:read");
        server.flushAudit();
        assertThat(rows(id, "hour")).isEqualTo(1);
        assertThat(rows(id, "day")).isEqualTo(1);

        pruneAt(day.plus(Duration.ofDays(14)).plus(Duration.ofMinutes(59)));
        assertThat(rows(id, "hour")).as("14 days after its hour").isEqualTo(1);

        pruneAt(day.plus(Duration.ofDays(14)).plus(Duration.ofHours(1)));
        assertThat(rows(id, "hour")).as("14 days after the end of its hour").isZero();
        assertThat(rows(id, "day")).isEqualTo(1);

        pruneAt(day.plus(Duration.ofDays(400)).plus(Duration.ofHours(23)));
        assertThat(rows(id, "day")).as("400 days after its day").isEqualTo(1);

        pruneAt(day.plus(Duration.ofDays(401)));
        assertThat(rows(id, "day")).as("400 days after the end of its day").isZero();
    }

    private static void pruneAt(Instant now) {
        server.clock().set(now);
        server.server().usageRetention().prune();
    }

    private static long rows(String tokenId, String granularity) {
        return server.count("SELECT COUNT(*) FROM token_usage WHERE token_id = '" + tokenId + "' AND granularity = '"
                + granularity + "'");
    }
}
