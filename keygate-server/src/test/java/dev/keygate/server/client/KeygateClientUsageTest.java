package dev.keygate.server.client;

import dev.keygate.client.CreatedToken;
import dev.keygate.client.KeygateApiException;
import dev.keygate.client.TokenUsage;
import dev.keygate.client.VerifyRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Java client's {@code tokenUsage} against a real server: every field read, the range sent, errors. */
class KeygateClientUsageTest extends ClientEndToEndTest {

    @Test
    void tokenUsageWhenVerifiedThenReturnsCountsBucketsAndLastUse() {
        Instant hour = server.clock().instant().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        server.clock().set(hour.plus(Duration.ofMinutes(1)));
        CreatedToken t = tokenWith("client-usage", "cu.docs:read");
        admin.verify(t.secret(), "cu.docs:read", null);
        admin.verify(VerifyRequest.builder().token(t.secret()).permission("cu.docs:write").ip("192.0.2.44").build());
        server.flushAudit();

        TokenUsage usage = admin.tokenUsage(t.id(), "hour", hour, hour.plus(Duration.ofHours(1)));

        TokenUsage.PermissionUsage read = new TokenUsage.PermissionUsage("cu.docs:read", 1, 0);
        TokenUsage.PermissionUsage write = new TokenUsage.PermissionUsage("cu.docs:write", 0, 1);
        assertThat(usage).isEqualTo(new TokenUsage(t.id(), hour.plus(Duration.ofMinutes(1)), "192.0.2.44", "hour",
                hour, hour.plus(Duration.ofHours(1)), new TokenUsage.Counts(1, 1), List.of(read, write),
                List.of(new TokenUsage.Bucket(hour, 1, 1, List.of(read, write)))));
        assertThat(admin.tokenUsage(t.id()).totals()).isEqualTo(new TokenUsage.Counts(1, 1));
        assertThat(admin.tokenUsage(t.id(), "day", null, null).granularity()).isEqualTo("day");
    }

    @Test
    void tokenUsageWhenGranularityUnknownOrTokenUnknownThenApiException() {
        CreatedToken t = tokenWith("client-usage-bad", "cub.docs:read");

        assertThatThrownBy(() -> admin.tokenUsage(t.id(), "week", null, null))
                .isInstanceOfSatisfying(KeygateApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("granularity");
                });
        assertThatThrownBy(() -> admin.tokenUsage("tok_00000000000000000000"))
                .isInstanceOfSatisfying(KeygateApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }
}
