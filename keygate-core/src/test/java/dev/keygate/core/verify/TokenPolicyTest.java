package dev.keygate.core.verify;

import dev.keygate.core.net.AllowedNetworks;
import dev.keygate.core.net.Cidr;
import dev.keygate.core.net.IpAddresses;
import dev.keygate.core.permission.Permission;
import dev.keygate.core.token.TestTokens;
import dev.keygate.core.token.TokenLimits;
import dev.keygate.core.token.TokenStatus;
import dev.keygate.core.token.TokenView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** {@link TokenPolicy#evaluate}: each check, its boundary, and the documented order between them. */
class TokenPolicyTest {

    private static final long CREATED = TestTokens.CREATED_AT.toEpochMilli();
    private static final long EXPIRES = TestTokens.EXPIRES_AT.toEpochMilli();
    private static final long NOW = CREATED + 60_000;
    private static final Permission READ_INVOICES = Permission.parse("billing.invoices:read");
    private static final Permission WRITE_INVOICES = Permission.parse("billing.invoices:write");

    @Test
    void evaluateWhenViewNullThenNotFound() {
        assertThat(TokenPolicy.evaluate(null, null, null, NOW)).isEqualTo(VerifyCode.NOT_FOUND);
        assertThat(TokenPolicy.evaluate(null, READ_INVOICES, "live", NOW)).isEqualTo(VerifyCode.NOT_FOUND);
    }

    @Test
    void evaluateWhenRevokedBeforeNowThenRevoked() {
        TokenView view = TestTokens.token().revokedAtMillis(NOW - 1).view();

        assertThat(TokenPolicy.evaluate(view, READ_INVOICES, "live", NOW)).isEqualTo(VerifyCode.REVOKED);
    }

    @Test
    void evaluateWhenRevokedExactlyNowThenRevoked() {
        TokenView view = TestTokens.token().revokedAtMillis(NOW).view();

        assertThat(TokenPolicy.evaluate(view, READ_INVOICES, "live", NOW)).isEqualTo(VerifyCode.REVOKED);
    }

    @Test
    void evaluateWhenRevokedAndAlsoExpiredThenRevoked() {
        TokenView view = TestTokens.token().revokedAtMillis(EXPIRES - 1_000).view();

        assertThat(TokenPolicy.evaluate(view, null, null, EXPIRES + 1_000)).isEqualTo(VerifyCode.REVOKED);
    }

    /**
     * Regression: revocation was checked as {@code revokedAtMillis <= now}, so a view revoked by a node whose
     * clock ran ahead of this one's was accepted as VALID until this clock caught up, while the same token's
     * status ({@link TokenStatus#at}) already said revoked.
     */
    @Test
    void evaluateWhenRevokedAtIsAfterNowThenStillRevoked() {
        TokenView view = TestTokens.token().revokedAtMillis(NOW + 2_000).view();

        assertThat(TokenPolicy.evaluate(view, READ_INVOICES, "live", NOW)).isEqualTo(VerifyCode.REVOKED);
        assertThat(view.token().statusAt(Instant.ofEpochMilli(NOW))).isEqualTo(TokenStatus.REVOKED);
    }

    @Test
    void evaluateWhenRotatedAndGraceNotOverThenValid() {
        TokenView view = TestTokens.token().rotatedUntil(Instant.ofEpochMilli(NOW + 1)).view();

        assertThat(TokenPolicy.evaluate(view, READ_INVOICES, "live", NOW)).isEqualTo(VerifyCode.VALID);
    }

    @Test
    void evaluateWhenRotatedAndGraceEndsNowThenRotated() {
        TokenView view = TestTokens.token().rotatedUntil(Instant.ofEpochMilli(NOW)).view();

        assertThat(TokenPolicy.evaluate(view, READ_INVOICES, "live", NOW)).isEqualTo(VerifyCode.ROTATED);
    }

    @Test
    void evaluateWhenRotatedAndAlsoExpiredThenRotated() {
        TokenView view = TestTokens.token().rotatedUntil(Instant.ofEpochMilli(NOW)).view();

        assertThat(TokenPolicy.evaluate(view, null, null, EXPIRES + 1)).isEqualTo(VerifyCode.ROTATED);
    }

    @Test
    void evaluateWhenRevokedAndAlsoRotatedThenRevoked() {
        TokenView view = TestTokens.token().rotatedUntil(Instant.ofEpochMilli(NOW - 5)).revokedAtMillis(NOW - 1)
                .view();

        assertThat(TokenPolicy.evaluate(view, null, null, NOW)).isEqualTo(VerifyCode.REVOKED);
    }

    @Test
    void evaluateWhenPermanentThenNeverExpired() {
        TokenView view = TestTokens.token().expiresAt(null).view();

        assertThat(view.expiresAtMillis()).isEqualTo(TokenView.NEVER);
        assertThat(TokenPolicy.evaluate(view, READ_INVOICES, "live", Long.MAX_VALUE - 1)).isEqualTo(VerifyCode.VALID);
        assertThat(view.token().statusAt(Instant.MAX)).isEqualTo(TokenStatus.ACTIVE);
    }

    @Test
    void evaluateWhenNowEqualsExpiresAtThenExpired() {
        TokenView view = TestTokens.token().view();

        assertThat(TokenPolicy.evaluate(view, READ_INVOICES, "live", EXPIRES)).isEqualTo(VerifyCode.EXPIRED);
    }

    @Test
    void evaluateWhenOneMilliBeforeExpiresAtThenValid() {
        TokenView view = TestTokens.token().view();

        assertThat(TokenPolicy.evaluate(view, READ_INVOICES, "live", EXPIRES - 1)).isEqualTo(VerifyCode.VALID);
    }

    @Test
    void evaluateWhenLongAfterExpiresAtThenExpired() {
        TokenView view = TestTokens.token().view();

        assertThat(TokenPolicy.evaluate(view, null, null, EXPIRES + 86_400_000L * 365)).isEqualTo(VerifyCode.EXPIRED);
    }

    @Test
    void evaluateWhenEnvironmentDiffersThenEnvironmentMismatch() {
        TokenView view = TestTokens.token().environment("test").view();

        assertThat(TokenPolicy.evaluate(view, READ_INVOICES, "live", NOW)).isEqualTo(VerifyCode.ENVIRONMENT_MISMATCH);
        assertThat(TokenPolicy.evaluate(view, null, "live", NOW)).isEqualTo(VerifyCode.ENVIRONMENT_MISMATCH);
    }

    @Test
    void evaluateWhenEnvironmentNotGivenThenTokensOwnIsAccepted() {
        TokenView view = TestTokens.token().environment("staging").view();

        assertThat(TokenPolicy.evaluate(view, READ_INVOICES, null, NOW)).isEqualTo(VerifyCode.VALID);
        assertThat(TokenPolicy.evaluate(view, READ_INVOICES, "staging", NOW)).isEqualTo(VerifyCode.VALID);
    }

    @Test
    void evaluateWhenPermissionNotGrantedThenForbidden() {
        TokenView view = TestTokens.token().view();

        assertThat(TokenPolicy.evaluate(view, WRITE_INVOICES, "live", NOW)).isEqualTo(VerifyCode.FORBIDDEN);
    }

    @Test
    void evaluateWhenPermissionGrantedThenValid() {
        TokenView view = TestTokens.token().view();

        assertThat(TokenPolicy.evaluate(view, READ_INVOICES, "live", NOW)).isEqualTo(VerifyCode.VALID);
    }

    @Test
    void evaluateWhenNoPermissionAskedThenValidEvenWithoutGrants() {
        TokenView view = TestTokens.token().permissions().view();

        assertThat(TokenPolicy.evaluate(view, null, null, NOW)).isEqualTo(VerifyCode.VALID);
        assertThat(TokenPolicy.evaluate(view, READ_INVOICES, null, NOW)).isEqualTo(VerifyCode.FORBIDDEN);
    }

    @ParameterizedTest(name = "grants {0}, asked {1}: {2}")
    @CsvSource({
            "billing.*:read,        billing.invoices.lines:read, VALID",
            "billing.*:read,        billing.invoices.*:read,     VALID",
            "billing.*:read,        billing:read,                FORBIDDEN",
            "billing.*:read,        billing.*:*,                 FORBIDDEN",
            "billing.invoices:*,    billing.invoices:delete,     VALID",
            "billing.invoices:*,    billing.invoices:*,          VALID",
            "billing.invoices:read, billing.invoices:*,          FORBIDDEN",
            "billing.invoices:read, billing.*:read,              FORBIDDEN",
            "*:*,                   *:*,                         VALID",
            "*:*,                   anything.at.all:x,           VALID",
            "*:read,                *:*,                         FORBIDDEN",
    })
    void evaluateWhenWildcardGrantOrRequestThenSubsumptionDecides(String granted, String asked, VerifyCode expected) {
        TokenView view = TestTokens.token().permissions(granted).view();

        assertThat(TokenPolicy.evaluate(view, Permission.parse(asked), "live", NOW)).isEqualTo(expected);
    }

    static Stream<Arguments> everyCombinationOfFailures() {
        List<Arguments> cases = new ArrayList<>();
        for (int mask = 0; mask < 64; mask++) {
            boolean revoked = (mask & 1) != 0;
            boolean expired = (mask & 2) != 0;
            boolean otherEnvironment = (mask & 4) != 0;
            boolean lacksPermission = (mask & 8) != 0;
            boolean rotated = (mask & 16) != 0;
            boolean outsideNetworks = (mask & 32) != 0;
            VerifyCode expected = revoked ? VerifyCode.REVOKED
                    : rotated ? VerifyCode.ROTATED
                    : expired ? VerifyCode.EXPIRED
                    : otherEnvironment ? VerifyCode.ENVIRONMENT_MISMATCH
                    : outsideNetworks ? VerifyCode.IP_NOT_ALLOWED
                    : lacksPermission ? VerifyCode.FORBIDDEN
                    : VerifyCode.VALID;
            cases.add(arguments(revoked, rotated, expired, otherEnvironment, outsideNetworks, lacksPermission,
                    expected));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "revoked={0} rotated={1} expired={2} otherEnvironment={3} outsideNetworks={4} "
            + "lacksPermission={5}: {6}")
    @MethodSource("everyCombinationOfFailures")
    void evaluateWhenSeveralChecksFailThenFirstInDocumentedOrderWins(boolean revoked, boolean rotated,
                                                                      boolean expired, boolean otherEnvironment,
                                                                      boolean outsideNetworks,
                                                                      boolean lacksPermission, VerifyCode expected) {
        TestTokens.Builder token = TestTokens.token().environment(otherEnvironment ? "test" : "live")
                .limits(new TokenLimits(null, null, null,
                        AllowedNetworks.of(List.of(Cidr.parse("10.0.0.0/8")))));
        if (revoked) {
            token.revokedAtMillis(NOW - 1);
        }
        if (rotated) {
            token.rotatedUntil(Instant.ofEpochMilli(NOW - 1));
        }
        long now = expired ? EXPIRES : NOW;
        byte[] ip = IpAddresses.parse(outsideNetworks ? "192.0.2.1" : "10.1.2.3");

        VerifyCode code = TokenPolicy.evaluate(token.view(), lacksPermission ? WRITE_INVOICES : READ_INVOICES, "live",
                ip, now);

        assertThat(code).isEqualTo(expected);
    }

    @Test
    void evaluateWhenBoundToNetworksAndNoAddressGivenThenIpNotAllowed() {
        TokenView view = TestTokens.token().limits(new TokenLimits(null, null, null,
                AllowedNetworks.of(List.of(Cidr.parse("10.0.0.0/8"))))).view();

        assertThat(TokenPolicy.evaluate(view, READ_INVOICES, "live", null, NOW)).isEqualTo(VerifyCode.IP_NOT_ALLOWED);
        assertThat(TokenPolicy.evaluate(view, READ_INVOICES, "live", NOW)).isEqualTo(VerifyCode.IP_NOT_ALLOWED);
    }

    @Test
    void evaluateWhenNotBoundThenAnyOrNoAddressPasses() {
        TokenView view = TestTokens.token().view();

        assertThat(TokenPolicy.evaluate(view, READ_INVOICES, "live", IpAddresses.parse("192.0.2.1"), NOW))
                .isEqualTo(VerifyCode.VALID);
        assertThat(TokenPolicy.evaluate(view, READ_INVOICES, "live", null, NOW)).isEqualTo(VerifyCode.VALID);
    }
}
