package dev.keygate.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CreateTokenRequestTest {

    @Test
    void ttlWhenDurationThenUsesTheLargestExactUnit() {
        assertThat(request().ttl(Duration.ofDays(7)).build().ttl()).isEqualTo("7d");
        assertThat(request().ttl(Duration.ofHours(36)).build().ttl()).isEqualTo("36h");
        assertThat(request().ttl(Duration.ofMinutes(90)).build().ttl()).isEqualTo("90m");
        assertThat(request().ttl(Duration.ofSeconds(61)).build().ttl()).isEqualTo("61s");
    }

    @Test
    void ttlWhenNotAWholePositiveNumberOfSecondsThenThrows() {
        assertThatThrownBy(() -> request().ttl(Duration.ofMillis(1500))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> request().ttl(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void buildWhenTtlAndExpiryBothGivenThenThrows() {
        assertThatThrownBy(() -> request().ttl("1h").expiresAt(Instant.parse("2030-01-01T00:00:00Z")).build())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void buildWhenPermanentWithTtlOrExpiryThenThrows() {
        assertThatThrownBy(() -> request().permanent(true).ttl("1h").build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> request().permanent(true).expiresAt(Instant.parse("2030-01-01T00:00:00Z")).build())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void buildWhenPermanentAndChildNotAskedForThenTheyAreLeftOut() {
        CreateTokenRequest plain = request().permanent(false).build();
        CreateTokenRequest asked = request().permanent(true).child(true).build();

        assertThat(plain.permanent()).isNull();
        assertThat(plain.child()).isNull();
        assertThat(asked.permanent()).isTrue();
        assertThat(asked.child()).isTrue();
    }

    @Test
    void rotateEveryWhenDurationThenUsesTheLargestExactUnit() {
        assertThat(request().rotateEvery(Duration.ofDays(30)).build().rotateEvery()).isEqualTo("30d");
        assertThat(request().rotateEvery(Duration.ofMinutes(150)).build().rotateEvery()).isEqualTo("150m");
        assertThatThrownBy(() -> request().rotateEvery(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rotateEvery");
    }

    @Test
    void buildWhenLimitsGivenThenKeepsThemAndWhenNotThenLeavesThemOut() {
        CreateTokenRequest plain = request().allowedCidrs(List.of()).build();
        CreateTokenRequest limited = request().maxUses(5L).rateLimit(100, "1m").allowedCidr("10.0.0.0/8")
                .allowedCidr("192.0.2.7").build();

        assertThat(plain.maxUses()).isNull();
        assertThat(plain.rateLimit()).isNull();
        assertThat(plain.allowedCidrs()).as("absent, not []: the server refuses an empty list").isNull();
        assertThat(limited.maxUses()).isEqualTo(5L);
        assertThat(limited.rateLimit()).isEqualTo(new RateLimit(100, "1m"));
        assertThat(limited.allowedCidrs()).containsExactly("10.0.0.0/8", "192.0.2.7");
    }

    @Test
    void rateLimitWhenWindowIsADurationThenUsesTheLargestExactUnit() {
        assertThat(RateLimit.of(100, Duration.ofSeconds(60))).isEqualTo(new RateLimit(100, "1m"));
        assertThat(RateLimit.of(5, Duration.ofSeconds(90))).isEqualTo(new RateLimit(5, "90s"));
        assertThatThrownBy(() -> RateLimit.of(5, Duration.ofMillis(500))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("window");
    }

    @Test
    void verifyRequestWhenPrintedThenHidesTheTokenAndWithoutATokenThenThrows() {
        String secret = "kg_live_" + "SECRET".repeat(6);
        VerifyRequest request = VerifyRequest.builder().token(secret).permission("a:read").cost(0L).ip("10.0.0.1")
                .build();

        assertThat(request.toString()).doesNotContain("SECRET").contains("a:read", "cost=0", "ip=10.0.0.1");
        assertThat(request.token()).isEqualTo(secret);
        assertThatThrownBy(() -> VerifyRequest.builder().permission("a:read").build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("token");
    }

    @Test
    void buildWhenNoPrincipalThenThrows() {
        assertThatThrownBy(() -> CreateTokenRequest.builder().role("r").build())
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("principal");
    }

    @Test
    void createdTokenToStringWhenCalledThenHidesTheSecret() {
        TokenInfo info = new TokenInfo("tok_1", "p", null, "live", null, "active", null, null, null, false, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null);
        String secret = "kg_live_" + "SECRET".repeat(6);
        CreatedToken created = new CreatedToken(info, secret);

        assertThat(created.toString()).doesNotContain("SECRET").contains("tok_1");
        assertThat(created.secret()).isEqualTo(secret);
        assertThat(info.roles()).isEmpty();
    }

    private static CreateTokenRequest.Builder request() {
        return CreateTokenRequest.builder().principal("p").role("r");
    }
}
