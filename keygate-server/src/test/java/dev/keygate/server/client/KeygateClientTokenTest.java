package dev.keygate.server.client;

import dev.keygate.client.CreateTokenRequest;
import dev.keygate.client.CreatedToken;
import dev.keygate.client.KeygateApiException;
import dev.keygate.client.RevokedToken;
import dev.keygate.client.TokenInfo;
import dev.keygate.client.VerifyRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Java client's token calls against a real server: minting (each request field reaches the server and comes
 * back), the secret shown once and hidden from {@code toString}, listing with filters, reading, and revoking.
 */
class KeygateClientTokenTest extends ClientEndToEndTest {

    private static final String SECRET = "kg_live_[0-9A-Za-z]{36}";

    // ---- createToken ---------------------------------------------------------------------------------------

    @Test
    void createTokenWhenNameAndExpiryGivenThenReturnsTheSecretAndTheStoredToken() {
        String principal = principal("minted");
        String role = role("minted", "billing.invoices:read");
        Instant now = now();
        Instant expiresAt = now.plus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);

        CreatedToken created = admin.createToken(CreateTokenRequest.builder()
                .principal(principal).role(role).name("ci").expiresAt(expiresAt).build());

        assertThat(created.secret()).matches(SECRET);
        assertThat(created.id()).matches("tok_[0-9A-Za-z]{20}");
        assertThat(created.token()).isEqualTo(new TokenInfo(created.id(), principal, List.of(role), "live", "ci",
                "active", now, adminTokenId(), expiresAt, false, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null));
        assertThat(admin.getToken(created.id())).isEqualTo(created.token());
        assertThat(admin.verify(created.secret(), "billing.invoices:read", "live").code()).isEqualTo("VALID");
    }

    @Test
    void createTokenWhenTtlTextAndEnvironmentGivenThenTokenIsForThatEnvironmentAndLifetime() {
        String principal = principal("staging");
        String first = role("staging-a", "a:read");
        String second = role("staging-b", "b:read");
        Instant now = now();

        CreatedToken created = admin.createToken(CreateTokenRequest.builder()
                .principal(principal).roles(List.of(first, second)).environment("staging").ttl("7d").build());

        assertThat(created.secret()).matches("kg_staging_[0-9A-Za-z]{36}");
        assertThat(created.token().environment()).isEqualTo("staging");
        assertThat(created.token().roles()).containsExactly(first, second);
        assertThat(created.token().expiresAt()).isEqualTo(now.plus(Duration.ofDays(7)));
        assertThat(created.token().name()).isNull();
    }

    @Test
    void createTokenWhenTtlDurationGivenThenExpiresAfterExactlyThatLong() {
        String principal = principal("ttl-duration");
        String role = role("ttl-duration", "a:read");
        Instant now = now();

        CreatedToken created = admin.createToken(CreateTokenRequest.builder()
                .principal(principal).role(role).ttl(Duration.ofMinutes(90)).build());

        assertThat(created.token().expiresAt()).isEqualTo(now.plus(Duration.ofMinutes(90)));
    }

    @Test
    void createTokenWhenOnlyPrincipalAndRoleGivenThenServerDefaultsApply() {
        String principal = principal("defaults");
        String role = role("defaults", "a:read");
        Instant now = now();

        CreatedToken created = admin.createToken(CreateTokenRequest.builder().principal(principal).role(role).build());

        assertThat(created.secret()).matches(SECRET);
        assertThat(created.token().environment()).isEqualTo("live");
        assertThat(created.token().expiresAt()).isEqualTo(now.plus(Duration.ofHours(24)));
    }

    @Test
    void createdTokenToStringWhenMintedThenShowsTheIdButNotTheSecret() {
        CreatedToken created = tokenWith("to-string", "a:read");
        String secretPart = created.secret().substring(created.secret().lastIndexOf('_') + 1);

        assertThat(created.toString())
                .doesNotContain(created.secret())
                .doesNotContain(secretPart)
                .contains(created.id())
                .contains("secret=***");
        assertThat(created.token().toString()).doesNotContain(secretPart);
    }

    // ---- listTokens ----------------------------------------------------------------------------------------

    @Test
    void listTokensWhenPrincipalAndStatusGivenThenReturnsOnlyThoseNewestFirst() {
        String principal = principal("list@svc.example");
        String role = role("list", "a:read");
        String older = mint(principal, role).id();
        server.clock().advance(Duration.ofSeconds(1));
        String newer = mint(principal, role).id();
        server.clock().advance(Duration.ofSeconds(1));
        String revoked = mint(principal, role).id();
        admin.revokeToken(revoked, null);
        String otherPrincipals = mint(principal("list-other"), role).id();

        List<TokenInfo> active = admin.listTokens(principal, "active");
        List<TokenInfo> gone = admin.listTokens(principal, "revoked");
        List<TokenInfo> all = admin.listTokens(principal, null);

        assertThat(active).extracting(TokenInfo::id).containsExactly(newer, older);
        assertThat(active).allSatisfy(t -> assertThat(t.roles()).containsExactly(role));
        assertThat(gone).extracting(TokenInfo::id).containsExactly(revoked);
        assertThat(all).extracting(TokenInfo::id).containsExactly(revoked, newer, older)
                .doesNotContain(otherPrincipals);
    }

    @Test
    void listTokensWhenExpiringWithinGivenThenReturnsTheActiveOnesDueSoonestFirst() {
        String principal = principal("expiring-client");
        String role = role("expiring-client", "a:read");
        String inThreeDays = admin.createToken(CreateTokenRequest.builder().principal(principal).role(role)
                .ttl("3d").build()).token().id();
        String inOneHour = admin.createToken(CreateTokenRequest.builder().principal(principal).role(role)
                .ttl("1h").build()).token().id();
        admin.createToken(CreateTokenRequest.builder().principal(principal).role(role).ttl("30d").build());

        List<TokenInfo> due = admin.listTokens(principal, null, null, "7d");

        assertThat(due).extracting(TokenInfo::id).containsExactly(inOneHour, inThreeDays);
        assertThatThrownBy(() -> admin.listTokens(principal, null, null, "a week"))
                .isInstanceOfSatisfying(KeygateApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void listTokensWhenLimitGivenThenReturnsAtMostThatManyNewestFirst() {
        String principal = principal("limited");
        String role = role("limited", "a:read");
        mint(principal, role);
        server.clock().advance(Duration.ofSeconds(1));
        String second = mint(principal, role).id();
        server.clock().advance(Duration.ofSeconds(1));
        String third = mint(principal, role).id();

        assertThat(admin.listTokens(principal, "active", 2)).extracting(TokenInfo::id).containsExactly(third, second);
    }

    @Test
    void listTokensWhenNoFilterThenReturnsTheNewestTokensOfEveryPrincipal() {
        server.clock().advance(Duration.ofSeconds(1));
        CreatedToken newest = tokenWith("list-all", "a:read");

        List<TokenInfo> tokens = admin.listTokens();

        assertThat(tokens).isNotEmpty().hasSizeLessThanOrEqualTo(100);
        assertThat(tokens.getFirst()).isEqualTo(newest.token());
    }

    // ---- getToken and revokeToken --------------------------------------------------------------------------

    @Test
    void getTokenWhenUsedAndRevokedThenReadsEveryField() {
        CreatedToken created = tokenWith("read-all", "a:read");
        server.clock().advance(Duration.ofSeconds(10));
        Instant used = now();
        admin.verify(created.secret(), "a:read", null);
        server.flushAudit(); // the last use is written with the verify's audit event, after the answer
        server.clock().advance(Duration.ofSeconds(10));
        Instant revoked = now();
        admin.revokeToken(created.id(), "leaked in CI logs");

        TokenInfo t = admin.getToken(created.id());

        assertThat(t.status()).isEqualTo("revoked");
        assertThat(t.createdAt()).isEqualTo(created.token().createdAt());
        assertThat(t.createdBy()).isEqualTo(adminTokenId());
        assertThat(t.lastUsedAt()).isEqualTo(used);
        assertThat(t.revokedAt()).isEqualTo(revoked);
        assertThat(t.revokedBy()).isEqualTo(adminTokenId());
        assertThat(t.revokeReason()).isEqualTo("leaked in CI logs");
    }

    @Test
    void getTokenAndListTokensWhenVerifiedFromAnAddressThenLastUsedIpIsThatAddress() {
        CreatedToken created = tokenWith("last-ip", "a:read");
        assertThat(created.token().lastUsedIp()).isNull();

        admin.verify(VerifyRequest.builder().token(created.secret()).permission("a:read").ip("198.51.100.61").build());
        server.flushAudit();

        assertThat(admin.getToken(created.id()).lastUsedIp()).isEqualTo("198.51.100.61");
        assertThat(admin.listTokens(created.token().principal(), null)).singleElement()
                .satisfies(t -> assertThat(t.lastUsedIp()).isEqualTo("198.51.100.61"));
    }

    @Test
    void revokeTokenWhenReasonGivenThenReturnsTheRevokedTokenAndVerifySaysRevoked() {
        CreatedToken created = tokenWith("revoke-reason", "a:read");

        RevokedToken revoked = admin.revokeToken(created.id(), "rotated");

        TokenInfo t = revoked.token();
        assertThat(revoked.revokedCount()).isEqualTo(1);
        assertThat(t.id()).isEqualTo(created.id());
        assertThat(t.status()).isEqualTo("revoked");
        assertThat(t.revokeReason()).isEqualTo("rotated");
        assertThat(admin.verify(created.secret(), null, null).code()).isEqualTo("REVOKED");
    }

    @Test
    void revokeTokenWhenNoReasonThenRevokesWithoutOne() {
        CreatedToken created = tokenWith("revoke-bare", "a:read");

        TokenInfo t = admin.revokeToken(created.id(), null).token();

        assertThat(t.status()).isEqualTo("revoked");
        assertThat(t.revokeReason()).isNull();
        assertThat(t.revokedAt()).isNotNull();
    }

    @Test
    void revokeTokenWhenAlreadyRevokedThenChangesNothing() {
        CreatedToken created = tokenWith("revoke-twice", "a:read");
        TokenInfo first = admin.revokeToken(created.id(), "first").token();
        server.clock().advance(Duration.ofSeconds(5));

        RevokedToken second = admin.revokeToken(created.id(), "second");

        assertThat(second.token()).isEqualTo(first);
        assertThat(second.revokedCount()).isZero();
    }
}
