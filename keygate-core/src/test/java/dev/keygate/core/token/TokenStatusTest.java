package dev.keygate.core.token;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TokenStatusTest {

    private static final Instant EXPIRES_AT = Instant.parse("2026-11-23T09:15:00Z");

    @Test
    void atWhenBeforeExpiryAndNotRevokedThenActive() {
        assertThat(TokenStatus.at(null, EXPIRES_AT, EXPIRES_AT.minusMillis(1))).isEqualTo(TokenStatus.ACTIVE);
        assertThat(TokenStatus.at(null, EXPIRES_AT, EXPIRES_AT.minusNanos(1))).isEqualTo(TokenStatus.ACTIVE);
    }

    @Test
    void atWhenExactlyAtExpiryThenExpired() {
        assertThat(TokenStatus.at(null, EXPIRES_AT, EXPIRES_AT)).isEqualTo(TokenStatus.EXPIRED);
    }

    @Test
    void atWhenAfterExpiryThenExpired() {
        assertThat(TokenStatus.at(null, EXPIRES_AT, EXPIRES_AT.plusSeconds(3_600))).isEqualTo(TokenStatus.EXPIRED);
    }

    @Test
    void atWhenRevokedAndAlsoExpiredThenRevokedWins() {
        Instant revokedAt = EXPIRES_AT.minusSeconds(60);

        assertThat(TokenStatus.at(revokedAt, EXPIRES_AT, EXPIRES_AT.plusSeconds(60))).isEqualTo(TokenStatus.REVOKED);
    }

    @Test
    void atWhenRevokedAndStillBeforeExpiryThenRevoked() {
        Instant revokedAt = EXPIRES_AT.minusSeconds(60);

        assertThat(TokenStatus.at(revokedAt, EXPIRES_AT, revokedAt.plusMillis(1))).isEqualTo(TokenStatus.REVOKED);
    }

    @ParameterizedTest
    @CsvSource({"ACTIVE, active", "EXPIRED, expired", "REVOKED, revoked"})
    void apiNameWhenAnyStatusThenLowerCaseNameFromApiDocs(TokenStatus status, String apiName) {
        assertThat(status.apiName()).isEqualTo(apiName);
    }

    @Test
    void statusAtWhenTokenBuiltThenDelegatesToAt() {
        Token live = TestTokens.token().build();
        Token revoked = TestTokens.token().revokedAt(TestTokens.CREATED_AT.plusSeconds(10)).build();

        assertThat(live.statusAt(TestTokens.CREATED_AT)).isEqualTo(TokenStatus.ACTIVE);
        assertThat(live.statusAt(TestTokens.EXPIRES_AT)).isEqualTo(TokenStatus.EXPIRED);
        assertThat(revoked.statusAt(TestTokens.CREATED_AT.plusSeconds(11))).isEqualTo(TokenStatus.REVOKED);
    }
}
