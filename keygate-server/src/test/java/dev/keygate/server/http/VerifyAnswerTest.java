package dev.keygate.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keygate.core.permission.Permission;
import dev.keygate.core.permission.PermissionSet;
import dev.keygate.core.token.RateLimit;
import dev.keygate.core.token.Rotation;
import dev.keygate.core.token.Token;
import dev.keygate.core.token.TokenLimits;
import dev.keygate.core.token.TokenView;
import dev.keygate.core.verify.VerifyCode;
import dev.keygate.server.verify.RateLimiter;
import dev.keygate.server.verify.VerifyService.Outcome;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verify answer for a token with a usage count or a rate limit is a reused answer with those fields appended
 * by hand: it must be exactly what Jackson writes for the whole answer.
 */
class VerifyAnswerTest {

    private static final ObjectMapper MAPPER = Json.newMapper();
    private static final RateLimit LIMIT = new RateLimit(100, Duration.ofMinutes(1));
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void withLimitsWhenValidWithCountAndRateThenSameAsJackson() throws JsonProcessingException {
        TokenView view = view(null);

        assertSameAsJackson(VerifyCode.VALID, view, new Outcome(VerifyCode.VALID, view, 41L,
                new RateLimiter.Decision(true, 99, 0), LIMIT));
    }

    @Test
    void withLimitsWhenRotatedTokenInGraceThenSameAsJackson() throws JsonProcessingException {
        TokenView view = view(new Rotation(null, "tok_SUCCESSOR000000000", NOW.plusSeconds(3600), null));

        assertSameAsJackson(VerifyCode.FORBIDDEN, view, new Outcome(VerifyCode.FORBIDDEN, view, null,
                new RateLimiter.Decision(true, 0, 0), LIMIT));
    }

    @Test
    void withLimitsWhenRateLimitedThenSameAsJacksonWithRetryAfter() throws JsonProcessingException {
        assertSameAsJackson(VerifyCode.RATE_LIMITED, null, new Outcome(VerifyCode.RATE_LIMITED, null, 7L,
                new RateLimiter.Decision(false, 0, 12), LIMIT));
    }

    @Test
    void withLimitsWhenUsageExceededThenSameAsJacksonWithTheCountOnly() throws JsonProcessingException {
        assertSameAsJackson(VerifyCode.USAGE_EXCEEDED, null, new Outcome(VerifyCode.USAGE_EXCEEDED, null, 0L, null,
                null));
    }

    private static void assertSameAsJackson(VerifyCode code, TokenView view, Outcome outcome)
            throws JsonProcessingException {
        byte[] reused = MAPPER.writeValueAsBytes(VerifyRoutes.describing(code, view, null));

        String appended = new String(VerifyRoutes.withLimits(reused, outcome), StandardCharsets.UTF_8);

        assertThat(appended).isEqualTo(MAPPER.writeValueAsString(VerifyRoutes.describing(code, view, outcome)));
        assertThat(MAPPER.readTree(appended).isObject()).isTrue();
    }

    private static TokenView view(Rotation rotation) {
        Token token = new Token("tok_0123456789abcdefABCD", "billing-svc", List.of("billing-reader"), "live", null,
                NOW, null, NOW.plusSeconds(86_400), null, null, null, null, null, rotation,
                new TokenLimits(50L, 50L, LIMIT, null), null);
        return TokenView.of(token, PermissionSet.of(List.of(Permission.parse("billing.invoices:read"))));
    }
}
