package dev.keygate.server.client;

import dev.keygate.client.CreateTokenRequest;
import dev.keygate.client.CreatedToken;
import dev.keygate.client.FieldError;
import dev.keygate.client.KeygateApiException;
import dev.keygate.client.RateLimit;
import dev.keygate.client.RateLimitState;
import dev.keygate.client.TokenInfo;
import dev.keygate.client.VerifyRequest;
import dev.keygate.client.VerifyResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The Java client's token limits against a real server: {@code max_uses} and the verify {@code cost},
 * {@code rate_limit} and {@code retry_after}, {@code allowed_cidrs} and the verify {@code context.ip}; how they are
 * read back on tokens and verify answers, and how the server's refusals of bad values reach the caller.
 */
class KeygateClientTokenLimitsTest extends ClientEndToEndTest {

    // ---- max_uses and cost ---------------------------------------------------------------------------------

    @Test
    void createTokenWhenMaxUsesThenVerifyCountsDownToUsageExceededAndTheTokenShowsWhatIsLeft() {
        CreatedToken t = limited("uses-client", CreateTokenRequest.builder().maxUses(3L));

        List<VerifyResult> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            answers.add(admin.verify(t.secret(), "a:read", null));
        }

        assertThat(t.token().maxUses()).isEqualTo(3L);
        assertThat(t.token().remaining()).isEqualTo(3L);
        assertThat(answers).extracting(VerifyResult::code).containsExactly("VALID", "VALID", "VALID", "USAGE_EXCEEDED");
        assertThat(answers).extracting(VerifyResult::remaining).containsExactly(2L, 1L, 0L, 0L);
        assertThat(answers.get(3).tokenId()).isNull();
        TokenInfo spent = admin.getToken(t.id());
        assertThat(spent.remaining()).isZero();
        assertThat(spent.maxUses()).isEqualTo(3L);
    }

    @Test
    void verifyWhenCostGivenThenSpendsThatManyAndCostZeroOnlyChecks() {
        CreatedToken t = limited("cost-client", CreateTokenRequest.builder().maxUses(5L));

        VerifyResult three = admin.verify(spending(t, 3L).build());
        VerifyResult tooMuch = admin.verify(spending(t, 3L).build());
        VerifyResult check = admin.verify(spending(t, 0L).build());

        assertThat(three.code()).isEqualTo("VALID");
        assertThat(three.remaining()).isEqualTo(2L);
        assertThat(tooMuch.code()).isEqualTo("USAGE_EXCEEDED");
        assertThat(tooMuch.allowed()).isFalse();
        assertThat(tooMuch.remaining()).as("a refusal spends nothing").isEqualTo(2L);
        assertThat(check.code()).isEqualTo("VALID");
        assertThat(check.remaining()).isEqualTo(2L);
        assertThat(admin.getToken(t.id()).remaining()).isEqualTo(2L);
    }

    @Test
    void verifyWhenCostIsNegativeThen400NamingCost() {
        CreatedToken t = limited("cost-bad-client", CreateTokenRequest.builder().maxUses(5L));

        KeygateApiException e = catchThrowableOfType(KeygateApiException.class,
                () -> admin.verify(spending(t, -1L).build()));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("cost");
        assertThat(admin.getToken(t.id()).remaining()).isEqualTo(5L);
    }

    @Test
    void verifyWhenTokenHasNoLimitsThenTheAnswerCarriesNone() {
        CreatedToken t = tokenWith("unlimited-client", "a:read");

        VerifyResult r = admin.verify(VerifyRequest.builder().token(t.secret()).cost(5L).ip("192.0.2.1").build());

        assertThat(r.code()).isEqualTo("VALID");
        assertThat(r.remaining()).isNull();
        assertThat(r.rateLimit()).isNull();
        assertThat(r.retryAfter()).isNull();
        assertThat(t.token().maxUses()).isNull();
        assertThat(t.token().rateLimit()).isNull();
        assertThat(t.token().allowedCidrs()).isNull();
    }

    // ---- rate_limit ----------------------------------------------------------------------------------------

    @Test
    void verifyWhenOverTheRateLimitThenRateLimitedWithRetryAfterUntilTheWindowRefills() {
        CreatedToken t = limited("rate-client", CreateTokenRequest.builder().rateLimit(3, "1m"));

        List<VerifyResult> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            answers.add(admin.verify(t.secret(), "a:read", null));
        }

        assertThat(t.token().rateLimit()).isEqualTo(new RateLimit(3, "1m"));
        assertThat(answers).extracting(VerifyResult::rateLimit).containsExactly(new RateLimitState(3, "1m", 2),
                new RateLimitState(3, "1m", 1), new RateLimitState(3, "1m", 0), new RateLimitState(3, "1m", 0));
        VerifyResult limited = answers.get(3);
        assertThat(limited.code()).isEqualTo("RATE_LIMITED");
        assertThat(limited.valid()).isFalse();
        assertThat(limited.retryAfter()).as("3 a minute refill one every 20 s").isEqualTo(20L);
        assertThat(answers.get(2).retryAfter()).isNull();
        server.clock().advance(Duration.ofSeconds(20));
        assertThat(admin.verify(t.secret(), "a:read", null).code()).isEqualTo("VALID");
    }

    @Test
    void createTokenWhenRateLimitWindowIsADurationThenItIsSentInItsLargestUnit() {
        CreatedToken t = limited("rate-duration-client",
                CreateTokenRequest.builder().rateLimit(RateLimit.of(100, Duration.ofSeconds(3600))));

        assertThat(t.token().rateLimit()).isEqualTo(new RateLimit(100, "1h"));
        assertThat(admin.getToken(t.id())).isEqualTo(t.token());
    }

    @Test
    void createTokenWhenRateLimitOutOfRangeThen400NamingItAndNoTokenIsMade() {
        String principal = principal("rate-bad-client");
        String role = role("rate-bad-client", "a:read");

        KeygateApiException e = catchThrowableOfType(KeygateApiException.class, () -> admin.createToken(
                CreateTokenRequest.builder().principal(principal).role(role).rateLimit(5, "2d").build()));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("rate_limit");
        assertThat(admin.listTokens(principal, null)).isEmpty();
    }

    // ---- allowed_cidrs and context.ip ----------------------------------------------------------------------

    @Test
    void verifyWhenBoundToNetworksThenOnlyAnAddressInsideThemIsAllowed() {
        CreatedToken t = limited("cidr-client", CreateTokenRequest.builder().allowedCidr("10.0.0.0/8")
                .allowedCidr("2001:DB8::/32").allowedCidr("192.0.2.7"));

        assertThat(t.token().allowedCidrs()).containsExactly("10.0.0.0/8", "2001:db8::/32", "192.0.2.7/32");
        assertThat(codeFrom(t, "10.1.2.3")).isEqualTo("VALID");
        assertThat(codeFrom(t, "2001:db8::7")).isEqualTo("VALID");
        assertThat(codeFrom(t, "192.0.2.8")).isEqualTo("IP_NOT_ALLOWED");
        assertThat(codeFrom(t, null)).as("no address: refused").isEqualTo("IP_NOT_ALLOWED");
        assertThat(admin.verify(t.secret(), "a:read", null).allowed()).isFalse();
    }

    @Test
    void verifyWhenAddressIsMalformedThen400NamingContextIp() {
        CreatedToken t = tokenWith("ip-bad-client", "a:read");

        KeygateApiException e = catchThrowableOfType(KeygateApiException.class,
                () -> admin.verify(VerifyRequest.builder().token(t.secret()).ip("10.0.0.1/8").build()));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("context.ip");
    }

    @Test
    void createTokenWhenCidrHasHostBitsThen400NamingTheEntry() {
        String principal = principal("cidr-bad-client");
        String role = role("cidr-bad-client", "a:read");

        KeygateApiException e = catchThrowableOfType(KeygateApiException.class, () -> admin.createToken(
                CreateTokenRequest.builder().principal(principal).role(role).allowedCidrs(List.of("10.0.0.0/8",
                        "10.0.0.5/8")).build()));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.errors()).singleElement().satisfies(f -> {
            assertThat(f.field()).isEqualTo("allowed_cidrs[1]");
            assertThat(f.message()).contains("did you mean 10.0.0.0/8");
        });
    }

    // ---- all three together --------------------------------------------------------------------------------

    @Test
    void createTokenWhenAllLimitsThenTheyAreReadBackAlikeEverywhereAndRotationCarriesTheUsesLeft() {
        CreatedToken t = limited("all-limits-client", CreateTokenRequest.builder().maxUses(5L).rateLimit(100, "1m")
                .allowedCidr("10.0.0.0/8"));

        VerifyResult r = admin.verify(spending(t, 4L).ip("10.0.0.1").build());
        server.flushAudit(); // the verification's last use is written after its answer
        TokenInfo read = admin.getToken(t.id());
        List<TokenInfo> listed = admin.listTokens(t.token().principal(), null);
        TokenInfo successor = admin.rotateToken(t.id(), (String) null).token();

        assertThat(r.code()).isEqualTo("VALID");
        assertThat(r.remaining()).isEqualTo(1L);
        assertThat(r.rateLimit()).isEqualTo(new RateLimitState(100, "1m", 99));
        assertThat(read).isEqualTo(new TokenInfo(t.id(), t.token().principal(), t.token().roles(), "live", null,
                "active", t.token().createdAt(), t.token().createdBy(), t.token().expiresAt(), false, null, null, null,
                read.lastUsedAt(), "10.0.0.1", null, null, null, null, null, null, 5L, 1L, new RateLimit(100, "1m"),
                List.of("10.0.0.0/8"), null));
        assertThat(listed).containsExactly(read);
        assertThat(successor.maxUses()).isEqualTo(5L);
        assertThat(successor.remaining()).as("rotation renews no budget").isEqualTo(1L);
        assertThat(successor.rateLimit()).isEqualTo(read.rateLimit());
        assertThat(successor.allowedCidrs()).isEqualTo(read.allowedCidrs());
    }

    /** A token for a new principal and a role granting {@code a:read}, minted by the admin with {@code limits}. */
    private CreatedToken limited(String base, CreateTokenRequest.Builder limits) {
        return admin.createToken(limits.principal(principal(base)).role(role(base, "a:read")).build());
    }

    private static VerifyRequest.Builder spending(CreatedToken t, long cost) {
        return VerifyRequest.builder().token(t.secret()).permission("a:read").cost(cost);
    }

    private String codeFrom(CreatedToken t, String ip) {
        return admin.verify(VerifyRequest.builder().token(t.secret()).permission("a:read").ip(ip).build()).code();
    }
}
