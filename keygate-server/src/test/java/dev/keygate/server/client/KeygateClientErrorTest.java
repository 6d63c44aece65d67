package dev.keygate.server.client;

import dev.keygate.client.CreateTokenRequest;
import dev.keygate.client.CreatedToken;
import dev.keygate.client.FieldError;
import dev.keygate.client.KeygateApiException;
import dev.keygate.client.KeygateClient;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * How the Java client reports the real server's refusals: each status the admin API answers (400 with field
 * errors, 401, 403, 404, 409) becomes a {@link KeygateApiException} with the problem's status, type, title, code,
 * detail and field errors; and no exception text ever holds a token secret.
 */
class KeygateClientErrorTest extends ClientEndToEndTest {

    // ---- 400 -----------------------------------------------------------------------------------------------

    @Test
    void createRoleWhenPermissionInvalidThenThrows400WithTheFieldError() {
        String name = unique("bad-permission");

        KeygateApiException e = apiException(() -> admin.createRole(name, null, List.of("billing:")));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.type()).isEqualTo("urn:keygate:problem:validation_failed");
        assertThat(e.title()).isEqualTo("Invalid request");
        assertThat(e.code()).isEqualTo("validation_failed");
        assertThat(e.detail()).isEqualTo("permissions[0]: invalid permission 'billing:': action must not be empty");
        assertThat(e.errors()).containsExactly(
                new FieldError("permissions[0]", "invalid permission 'billing:': action must not be empty"));
        assertThat(e.getMessage()).isEqualTo(
                "400 Invalid request: permissions[0]: invalid permission 'billing:': action must not be empty");
        assertThat(admin.listRoles()).noneMatch(r -> r.name().equals(name));
    }

    @Test
    void createTokenWhenSeveralFieldsMalformedThenThrows400NamingEachField() {
        KeygateApiException e = apiException(() -> admin.createToken(CreateTokenRequest.builder()
                .principal("Not A Principal").role("Not A Role").environment("Not-An-Env").ttl("soon").build()));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.code()).isEqualTo("validation_failed");
        assertThat(e.detail()).isEqualTo("4 fields are invalid");
        assertThat(e.errors()).extracting(FieldError::field)
                .containsExactlyInAnyOrder("principal", "roles[0]", "environment", "ttl");
        assertThat(e.errors()).allSatisfy(f -> assertThat(f.message()).isNotBlank());
    }

    @Test
    void createTokenWhenPrincipalAndRoleDoNotExistThenThrows400NamingEachNotA404() {
        String role = unique("existing-role");
        admin.createRole(role, null, List.of("a:read"));
        String principal = unique("no-such-principal");
        String missingRole = unique("no-such-role");

        KeygateApiException e = apiException(() -> admin.createToken(CreateTokenRequest.builder()
                .principal(principal).role(role).role(missingRole).build()));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.code()).isEqualTo("validation_failed");
        assertThat(e.errors()).containsExactlyInAnyOrder(
                new FieldError("principal", "principal '" + principal + "' does not exist"),
                new FieldError("roles[1]", "role '" + missingRole + "' does not exist"));
    }

    @Test
    void createPrincipalWhenKindUnknownThenThrows400NamingKind() {
        KeygateApiException e = apiException(
                () -> admin.createPrincipal(unique("bad-kind"), "robot", null, null));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.code()).isEqualTo("validation_failed");
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("kind");
    }

    @Test
    void listTokensWhenStatusAndLimitInvalidThenThrows400NamingBoth() {
        KeygateApiException e = apiException(() -> admin.listTokens(null, "lost", 0));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.code()).isEqualTo("validation_failed");
        assertThat(e.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("status", "limit");
    }

    @Test
    void verifyWhenPermissionMalformedOrTokenEmptyThenThrows400NamingTheField() {
        CreatedToken t = tokenWith("verify-bad-request", "a:read");

        KeygateApiException badPermission = apiException(() -> admin.verify(t.secret(), "not a permission", null));
        KeygateApiException badEnvironment = apiException(() -> admin.verify(t.secret(), null, "LIVE"));
        KeygateApiException emptyToken = apiException(() -> admin.verify("", null, null));

        assertThat(badPermission.status()).isEqualTo(400);
        assertThat(badPermission.errors()).extracting(FieldError::field).containsExactly("permission");
        assertThat(badEnvironment.status()).isEqualTo(400);
        assertThat(badEnvironment.errors()).extracting(FieldError::field).containsExactly("environment");
        assertThat(emptyToken.status()).isEqualTo(400);
        assertThat(emptyToken.errors()).extracting(FieldError::field).containsExactly("token");
    }

    // ---- 401 -----------------------------------------------------------------------------------------------

    @Test
    void listRolesWhenBearerTokenUnknownThenThrows401Unauthenticated() {
        try (KeygateClient stranger = client("kg_live_" + "A".repeat(36))) {

            KeygateApiException e = apiException(stranger::listRoles);

            assertUnauthenticated(e);
        }
    }

    @Test
    void listRolesWhenBearerTokenIsNotATokenThenThrows401Unauthenticated() {
        try (KeygateClient confused = client("password123")) {

            assertUnauthenticated(apiException(confused::listRoles));
        }
    }

    @Test
    void listRolesWhenBearerTokenRevokedOrExpiredThenThrows401Unauthenticated() {
        CreatedToken revoked = tokenWith("bearer-revoked", "keygate.roles:read");
        admin.revokeToken(revoked.id(), null);
        String name = unique("bearer-expired");
        admin.createPrincipal(name, "service", null, null);
        admin.createRole(name, null, List.of("keygate.roles:read"));
        CreatedToken expiring = admin.createToken(
                CreateTokenRequest.builder().principal(name).role(name).ttl("1m").build());
        try (KeygateClient asRevoked = client(revoked.secret()); KeygateClient asExpiring = client(expiring.secret())) {
            assertThat(asExpiring.listRoles()).isNotEmpty();

            server.clock().advance(Duration.ofMinutes(2));

            assertUnauthenticated(apiException(asRevoked::listRoles));
            assertUnauthenticated(apiException(asExpiring::listRoles));
        }
    }

    @Test
    void listRolesWhenClientHasNoTokenThenThrowsIllegalStateBeforeAskingTheServer() {
        try (KeygateClient anonymous = client(null)) {

            assertThatThrownBy(anonymous::listRoles)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("admin token");
        }
    }

    // ---- 403 -----------------------------------------------------------------------------------------------

    @Test
    void createRoleWhenTokenLacksThePermissionThenThrows403NamingIt() {
        CreatedToken reader = tokenWith("roles-reader", "keygate.roles:read");
        String name = unique("not-created");
        try (KeygateClient asReader = client(reader.secret())) {
            assertThat(asReader.listRoles()).isNotEmpty();

            KeygateApiException e = apiException(() -> asReader.createRole(name, null, List.of("a:read")));

            assertThat(e.status()).isEqualTo(403);
            assertThat(e.type()).isEqualTo("urn:keygate:problem:forbidden");
            assertThat(e.title()).isEqualTo("Forbidden");
            assertThat(e.code()).isEqualTo("forbidden");
            assertThat(e.detail()).isEqualTo("this token lacks the permission keygate.roles:write");
            assertThat(e.errors()).isEmpty();
        }
        assertThat(apiException(() -> admin.getRole(name)).status()).isEqualTo(404);
    }

    @Test
    void createTokenWhenRoleWouldEscalateThenThrows403NamingTheRoleAndPermission() {
        CreatedToken minter = tokenWith("minter", "keygate.tokens:create", "billing.invoices:read");
        String wider = unique("wider");
        admin.createRole(wider, null, List.of("billing.invoices:write"));
        try (KeygateClient asMinter = client(minter.secret())) {

            KeygateApiException e = apiException(() -> asMinter.createToken(CreateTokenRequest.builder()
                    .principal(minter.token().principal()).role(wider).build()));

            assertThat(e.status()).isEqualTo(403);
            assertThat(e.code()).isEqualTo("forbidden");
            assertThat(e.detail()).contains("'" + wider + "'").contains("billing.invoices:write");
        }
        assertThat(admin.listTokens(minter.token().principal(), null)).extracting(t -> t.id())
                .containsExactly(minter.id());
    }

    // ---- 404 -----------------------------------------------------------------------------------------------

    @Test
    void callsWhenNamedThingDoesNotExistThenThrow404NotFoundNamingIt() {
        String role = unique("ghost-role");
        String principal = unique("ghost-principal");
        String token = "tok_" + "0".repeat(20);

        List<KeygateApiException> errors = List.of(
                apiException(() -> admin.getRole(role)),
                apiException(() -> admin.updateRole(role, null, List.of("a:read"))),
                apiException(() -> admin.deleteRole(role)),
                apiException(() -> admin.getPrincipal(principal)),
                apiException(() -> admin.getToken(token)),
                apiException(() -> admin.revokeToken(token, "gone")),
                apiException(() -> admin.rotateToken(token, "1h")),
                apiException(() -> admin.disablePrincipal(principal, "gone")),
                apiException(() -> admin.enablePrincipal(principal)));

        assertThat(errors).allSatisfy(e -> {
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.type()).isEqualTo("urn:keygate:problem:not_found");
            assertThat(e.title()).isEqualTo("Not found");
            assertThat(e.code()).isEqualTo("not_found");
            assertThat(e.errors()).isEmpty();
        });
        assertThat(errors).extracting(KeygateApiException::detail).containsExactly(
                "role '" + role + "' does not exist",
                "role '" + role + "' does not exist",
                "role '" + role + "' does not exist",
                "principal '" + principal + "' does not exist",
                "token '" + token + "' does not exist",
                "token '" + token + "' does not exist",
                "token '" + token + "' does not exist",
                "principal '" + principal + "' does not exist",
                "principal '" + principal + "' does not exist");
    }

    // ---- 409 -----------------------------------------------------------------------------------------------

    @Test
    void createRoleAndPrincipalWhenNameTakenThenThrow409Conflict() {
        String role = unique("taken-role");
        String principal = unique("taken-principal");
        admin.createRole(role, null, List.of("a:read"));
        admin.createPrincipal(principal, "service", null, null);

        KeygateApiException roleTaken = apiException(() -> admin.createRole(role, null, List.of("b:read")));
        KeygateApiException principalTaken = apiException(
                () -> admin.createPrincipal(principal, "user", null, null));

        assertConflict(roleTaken, "role '" + role + "' exists already");
        assertConflict(principalTaken, "principal '" + principal + "' exists already");
        assertThat(admin.getRole(role).permissions()).containsExactly("a:read");
        assertThat(admin.getPrincipal(principal).kind()).isEqualTo("service");
    }

    @Test
    void deleteAndWidenRoleWhenLiveTokensHoldItThenThrow409Conflict() {
        CreatedToken holder = tokenWith("held", "a:read");
        String role = holder.token().roles().getFirst();

        KeygateApiException delete = apiException(() -> admin.deleteRole(role));
        KeygateApiException widen = apiException(() -> admin.updateRole(role, null, List.of("a:read", "a:write")));

        assertThat(delete.status()).isEqualTo(409);
        assertThat(delete.code()).isEqualTo("conflict");
        assertThat(delete.detail()).startsWith("role '" + role + "' is held by 1 live token(s)");
        assertThat(widen.status()).isEqualTo(409);
        assertThat(widen.code()).isEqualTo("conflict");
        assertThat(widen.detail()).contains("a:write").contains("widen");
        assertThat(admin.getRole(role).permissions()).containsExactly("a:read");
        assertThat(admin.verify(holder.secret(), "a:write", null).code()).isEqualTo("FORBIDDEN");
    }

    // ---- secrets -------------------------------------------------------------------------------------------

    @Test
    void exceptionsWhenASecretIsSentAnywhereThenNoExceptionTextHoldsIt() {
        CreatedToken minted = tokenWith("leak-check", "keygate.roles:read");
        String secret = minted.secret();
        List<Throwable> thrown = new ArrayList<>();
        // A secret pasted where an id, a name or a filter belongs, sent with a bad request, or as a bearer token.
        thrown.add(catchThrowable(() -> admin.getToken(secret)));
        thrown.add(catchThrowable(() -> admin.revokeToken(secret, null)));
        thrown.add(catchThrowable(() -> admin.rotateToken(secret, secret)));
        thrown.add(catchThrowable(() -> admin.disablePrincipal(secret, secret)));
        thrown.add(catchThrowable(() -> admin.getRole(secret)));
        thrown.add(catchThrowable(() -> admin.getPrincipal(secret)));
        thrown.add(catchThrowable(() -> admin.createRole(secret, secret, List.of(secret))));
        thrown.add(catchThrowable(() -> admin.createPrincipal(secret, secret, secret, Map.of("k", secret))));
        thrown.add(catchThrowable(() -> admin.listTokens(secret, secret, null)));
        thrown.add(catchThrowable(() -> admin.createToken(CreateTokenRequest.builder()
                .principal(secret).role(secret).name(secret).environment(secret).ttl(secret).build())));
        thrown.add(catchThrowable(() -> admin.verify(secret, secret, null)));
        thrown.add(catchThrowable(() -> admin.verify(secret, null, secret)));
        admin.revokeToken(minted.id(), null);
        try (KeygateClient asRevoked = client(secret)) {
            thrown.add(catchThrowable(asRevoked::listRoles));
            thrown.add(catchThrowable(() -> asRevoked.getRole(secret)));
        }

        assertThat(thrown).hasSize(14).allSatisfy(t -> assertThat(t).isInstanceOf(KeygateApiException.class));
        String randomPart = secret.substring(secret.lastIndexOf('_') + 1);
        for (Throwable t : thrown) {
            KeygateApiException e = (KeygateApiException) t;
            String text = String.join("\n", e.toString(), e.getMessage(), String.valueOf(e.detail()), e.title(),
                    String.valueOf(e.type()), String.valueOf(e.code()), e.errors().toString());
            assertThat(text).as("exception %s", e.getMessage()).doesNotContain(randomPart);
        }
    }

    private static KeygateApiException apiException(ThrowingCallable call) {
        KeygateApiException e = catchThrowableOfType(KeygateApiException.class, call);
        assertThat(e).as("a KeygateApiException").isNotNull();
        return e;
    }

    private static void assertUnauthenticated(KeygateApiException e) {
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.type()).isEqualTo("urn:keygate:problem:unauthenticated");
        assertThat(e.title()).isEqualTo("Unauthenticated");
        assertThat(e.code()).isEqualTo("unauthenticated");
        assertThat(e.detail()).isEqualTo("the bearer token is not valid");
        assertThat(e.errors()).isEmpty();
    }

    private static void assertConflict(KeygateApiException e, String detail) {
        assertThat(e.status()).isEqualTo(409);
        assertThat(e.type()).isEqualTo("urn:keygate:problem:conflict");
        assertThat(e.title()).isEqualTo("Conflict");
        assertThat(e.code()).isEqualTo("conflict");
        assertThat(e.detail()).isEqualTo(detail);
        assertThat(e.errors()).isEmpty();
    }
}
