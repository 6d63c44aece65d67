package dev.keygate.core.verify;

import dev.keygate.core.token.TestTokens;
import dev.keygate.core.token.Token;
import dev.keygate.core.token.TokenStatus;
import dev.keygate.core.token.TokenView;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** What verify says about liveness (revoked, rotated, expired) agrees with the status the API reports for the same token and instant. */
class TokenPolicyPropertyTest {

    private static final long BASE = TestTokens.CREATED_AT.toEpochMilli();

    /** Offsets in milliseconds from a fixed base, in a narrow range so that the boundaries are hit. */
    @Provide
    Arbitrary<Long> offsets() {
        return Arbitraries.longs().between(-5, 5);
    }

    @Provide
    Arbitrary<Long> revocationOffsets() {
        return Arbitraries.oneOf(Arbitraries.longs().between(-5, 5), Arbitraries.just(Long.MIN_VALUE));
    }

    @Property
    void evaluateWhenNoEnvironmentOrPermissionAskedThenAgreesWithTokenStatus(
            @ForAll("offsets") long expiresOffset,
            @ForAll("revocationOffsets") long revokedOffset,
            @ForAll("revocationOffsets") long rotationEndOffset,
            @ForAll("offsets") long nowOffset) {
        Instant now = Instant.ofEpochMilli(BASE + nowOffset);
        TestTokens.Builder builder = TestTokens.token().expiresAtMillis(BASE + expiresOffset);
        if (revokedOffset != Long.MIN_VALUE) {
            builder.revokedAtMillis(BASE + revokedOffset);
        }
        if (rotationEndOffset != Long.MIN_VALUE) {
            builder.rotatedUntil(Instant.ofEpochMilli(BASE + rotationEndOffset));
        }
        Token token = builder.build();
        TokenView view = builder.view();

        TokenStatus status = token.statusAt(now);
        VerifyCode code = TokenPolicy.evaluate(view, null, null, now.toEpochMilli());

        Statistics.label("status").collect(status)
                .coverage(c -> {
                    c.check(TokenStatus.ACTIVE).count(n -> n > 0);
                    c.check(TokenStatus.EXPIRED).count(n -> n > 0);
                    c.check(TokenStatus.REVOKED).count(n -> n > 0);
                    c.check(TokenStatus.ROTATED).count(n -> n > 0);
                });
        VerifyCode expected = switch (status) {
            case ACTIVE -> VerifyCode.VALID;
            case EXPIRED -> VerifyCode.EXPIRED;
            case REVOKED -> VerifyCode.REVOKED;
            case ROTATED -> VerifyCode.ROTATED;
        };
        assertThat(code).as("status %s", status).isEqualTo(expected);
    }
}
