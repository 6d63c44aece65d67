package dev.keygate.server.client;

import dev.keygate.client.CreateTokenRequest;
import dev.keygate.client.CreatedToken;
import dev.keygate.client.FieldError;
import dev.keygate.client.KeygateApiException;
import dev.keygate.client.KeygateClient;
import dev.keygate.client.RevokedToken;
import dev.keygate.client.TokenInfo;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The Java client's token lifecycle calls against a real server: rotation with and without grace, rotation
 * schedules and the list of tokens due, child tokens revoked with their parent, and permanent tokens.
 */
class KeygateClientTokenLifecycleTest extends ClientEndToEndTest {

    // ---- rotateToken ---------------------------------------------------------------------------------------

    @Test
    void rotateTokenWhenGraceGivenThenSuccessorHasANewSecretAndOldWorksUntilGraceEnds() {
        String principal = principal("rotated-client");
        String role = role("rotated-client", "a:read");
        CreatedToken old = admin.createToken(CreateTokenRequest.builder().principal(principal).role(role)
                .name("ci").ttl("2h").build());
        server.clock().advance(Duration.ofMinutes(30));
        Instant now = now();

        CreatedToken successor = admin.rotateToken(old.id(), "1h");

        assertThat(successor.secret()).startsWith("kg_live_").isNotEqualTo(old.secret());
        assertThat(successor.token().rotatedFrom()).isEqualTo(old.id());
        assertThat(successor.token().name()).isEqualTo("ci");
        assertThat(successor.token().expiresAt()).isEqualTo(now.plus(Duration.ofHours(2)));
        assertThat(admin.getToken(successor.id())).isEqualTo(successor.token());
        TokenInfo rotated = admin.getToken(old.id());
        assertThat(rotated.rotatedTo()).isEqualTo(successor.id());
        assertThat(rotated.rotationEndsAt()).isEqualTo(now.plus(Duration.ofHours(1)));
        assertThat(rotated.status()).isEqualTo("active");
        assertThat(admin.verify(old.secret(), "a:read", null).code()).isEqualTo("VALID");
        server.clock().advance(Duration.ofHours(1));
        assertThat(admin.verify(old.secret(), "a:read", null).code()).isEqualTo("ROTATED");
        assertThat(admin.listTokens(principal, "rotated")).extracting(TokenInfo::id).containsExactly(old.id());
        assertThat(admin.verify(successor.secret(), "a:read", null).code()).isEqualTo("VALID");
    }

    @Test
    void rotateTokenWhenZeroGraceDurationThenOldStopsAtOnceAndCannotBeRotatedAgain() {
        CreatedToken old = tokenWith("rotated-now", "a:read");

        CreatedToken successor = admin.rotateToken(old.id(), Duration.ZERO);

        assertThat(admin.getToken(old.id()).status()).isEqualTo("rotated");
        assertThat(admin.verify(old.secret(), null, null).code()).isEqualTo("ROTATED");
        assertThat(admin.verify(successor.secret(), null, null).code()).isEqualTo("VALID");
        KeygateApiException again = catchThrowableOfType(KeygateApiException.class,
                () -> admin.rotateToken(old.id(), (String) null));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.detail()).contains("rotated already");
    }

    @Test
    void rotateTokenWhenGraceBeyondTheServersMaximumThen400NamingGrace() {
        CreatedToken old = tokenWith("rotated-long", "a:read");

        KeygateApiException e = catchThrowableOfType(KeygateApiException.class,
                () -> admin.rotateToken(old.id(), Duration.ofDays(8)));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("grace");
        assertThat(admin.getToken(old.id()).rotatedTo()).isNull();
    }

    // ---- rotateEvery and rotation due ----------------------------------------------------------------------

    @Test
    void listTokensWhenRotationDueThenReturnsOnlyScheduledTokensPastTheirDueTime() {
        String principal = principal("due-client");
        String role = role("due-client", "a:read");
        TokenInfo scheduled = admin.createToken(CreateTokenRequest.builder().principal(principal).role(role)
                .ttl("90d").rotateEvery(Duration.ofDays(30)).build()).token();
        mint(principal, role);

        assertThat(scheduled.rotateEvery()).isEqualTo("30d");
        assertThat(scheduled.rotationDueAt()).isEqualTo(scheduled.createdAt().plus(Duration.ofDays(30)));
        assertThat(admin.listTokens(principal, null, null, null, true)).isEmpty();
        server.clock().advance(Duration.ofDays(30));
        assertThat(admin.listTokens(principal, null, null, null, true)).containsExactly(admin.getToken(scheduled.id()));
    }

    // ---- child tokens --------------------------------------------------------------------------------------

    @Test
    void createTokenWhenChildThenParentIsTheCallingTokenAndRevokingItRevokesBoth() {
        CreatedToken parent = tokenWith("parent-client", "a:read", "keygate.tokens:create");
        String role = role("child-client", "a:read");
        CreatedToken child;
        try (KeygateClient asParent = client(parent.secret())) {
            child = asParent.createToken(CreateTokenRequest.builder().principal(parent.token().principal())
                    .role(role).child(true).build());
        }

        RevokedToken revoked = admin.revokeToken(parent.id(), "agent retired");

        assertThat(child.token().parentId()).isEqualTo(parent.id());
        assertThat(child.token().expiresAt()).isEqualTo(parent.token().expiresAt());
        assertThat(revoked.revokedCount()).isEqualTo(2);
        assertThat(admin.getToken(child.id()).revokeReason()).isEqualTo("agent retired");
        assertThat(admin.verify(child.secret(), null, null).code()).isEqualTo("REVOKED");
    }

    // ---- permanent tokens ----------------------------------------------------------------------------------

    @Test
    void createTokenWhenPermanentThenItHasNoExpiryOnlyWhereTheServerAllowsIt() {
        String role = role("permanent-client", "a:read");
        KeygateApiException refused = catchThrowableOfType(KeygateApiException.class, () -> admin.createToken(
                CreateTokenRequest.builder().principal(principal("permanent-refused")).role(role).permanent(true)
                        .build()));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("permanent");
            assertThat(e.message()).contains("--allow-permanent-tokens");
        });

        try (TestServer allowing = TestServer.start(store, b -> b.allowPermanentTokens(true));
             KeygateClient client = KeygateClient.builder().baseUri(allowing.baseUri())
                     .token(allowing.adminToken()).build()) {
            client.createPrincipal("forever-svc", "service", null, null);
            client.createRole("forever-role", null, List.of("a:read"));

            CreatedToken created = client.createToken(CreateTokenRequest.builder().principal("forever-svc")
                    .role("forever-role").permanent(true).build());

            assertThat(created.token().permanent()).isTrue();
            assertThat(created.token().expiresAt()).isNull();
            assertThat(client.getToken(created.id())).isEqualTo(created.token());
            assertThat(client.rotateToken(created.id(), "0").token().permanent()).isTrue();
        }
    }
}
