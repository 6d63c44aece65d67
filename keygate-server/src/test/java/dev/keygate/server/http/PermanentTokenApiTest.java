package dev.keygate.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.LogCapture;
import dev.keygate.server.testing.StoreKind;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens that never expire: only on a server started with them allowed, only for callers holding
 * {@code keygate.tokens:create-permanent}, never under a role's {@code max_ttl}, and marked wherever listed.
 */
class PermanentTokenApiTest extends EndToEndTest {

    /** A second server on the same kind of store, started with permanent tokens allowed. */
    private static TestServer allowing;

    @BeforeParameterizedClassInvocation
    static void startAllowingServer(StoreKind store) {
        allowing = TestServer.start(store, b -> b.allowPermanentTokens(true));
    }

    @AfterParameterizedClassInvocation
    static void stopAllowingServer() {
        if (allowing != null) {
            allowing.close();
            allowing = null;
        }
    }

    @Test
    void createWhenServerDoesNotAllowPermanentTokensThen400NamingTheFlag() {
        String principal = server.newPrincipal("perm-off");
        String role = server.newRole("perm-off", "orders.items:read");

        TestServer.Response r = server.post("/v1/tokens", server.adminToken(),
                Map.of("principal", principal, "roles", List.of(role), "permanent", true));

        RotationApiTest.assertValidationError(r, "permanent");
        assertThat(r.text()).contains("--allow-permanent-tokens");
        assertThat(server.tokensOf(principal)).isEmpty();
    }

    @Test
    void createWhenAllowedThenNeverExpiresAndIsMarkedEverywhere() {
        String principal = allowing.newPrincipal("perm-on");
        String role = allowing.newRole("perm-on", "orders.items:read");

        JsonNode t = allowing.mint(principal, List.of(role), Map.of("permanent", true));

        assertThat(t.get("permanent").asBoolean()).isTrue();
        assertThat(t.has("expires_at")).isFalse();
        JsonNode read = TestServer.expect(allowing.get("/v1/tokens/" + t.get("id").asText(), allowing.adminToken()),
                200);
        assertThat(read.get("permanent").asBoolean()).isTrue();
        assertThat(allowing.tokensOf(principal)).singleElement()
                .satisfies(l -> assertThat(l.get("permanent").asBoolean()).isTrue());
        JsonNode expiring = TestServer.expect(allowing.get("/v1/tokens?principal=" + principal
                + "&expiring_within=999999d", allowing.adminToken()), 200).get("items");
        assertThat(expiring).isEmpty();
        Instant before = allowing.clock().instant();
        try {
            allowing.clock().advance(Duration.ofDays(3650));
            assertThat(allowing.verify(t.get("token").asText(), "orders.items:read").get("code").asText())
                    .isEqualTo("VALID");
        } finally {
            // The admin token of this shared server expires well before: bring the clock back.
            allowing.clock().set(before);
        }
    }

    @Test
    void createWhenNotPermanentThenMarkedFalse() {
        String principal = server.newPrincipal("perm-false");
        String role = server.newRole("perm-false", "orders.items:read");

        assertThat(server.mint(principal, List.of(role), Map.of()).get("permanent").asBoolean()).isFalse();
    }

    @Test
    void createWhenCallerLacksCreatePermanentThen403() {
        String principal = allowing.newPrincipal("perm-noperm");
        String role = allowing.newRole("perm-noperm", "orders.items:read");
        String caller = allowing.principalWithToken(TestServer.unique("perm-caller"), "keygate.tokens:create",
                "orders.items:read").get("token").asText();

        TestServer.Response r = allowing.post("/v1/tokens", caller,
                Map.of("principal", principal, "roles", List.of(role), "permanent", true));

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("detail").asText()).contains("keygate.tokens:create-permanent");
    }

    @Test
    void createWhenPermanentWithTtlOrUnderCappedRoleThen400() {
        String principal = allowing.newPrincipal("perm-bad");
        String role = allowing.newRole("perm-bad", "orders.items:read");
        String capped = TestServer.unique("perm-capped");
        TestServer.expect(allowing.post("/v1/roles", allowing.adminToken(), Map.of("name", capped,
                "permissions", List.of("orders.items:read"), "max_ttl", "1h")), 201);

        TestServer.Response withTtl = allowing.post("/v1/tokens", allowing.adminToken(),
                Map.of("principal", principal, "roles", List.of(role), "permanent", true, "ttl", "1h"));
        TestServer.Response underCap = allowing.post("/v1/tokens", allowing.adminToken(),
                Map.of("principal", principal, "roles", List.of(capped), "permanent", true));
        TestServer.Response notBoolean = allowing.post("/v1/tokens", allowing.adminToken(),
                Map.of("principal", principal, "roles", List.of(role), "permanent", "yes"));

        RotationApiTest.assertValidationError(withTtl, "permanent");
        RotationApiTest.assertValidationError(underCap, "permanent");
        assertThat(underCap.text()).contains("'" + capped + "'");
        assertThat(notBoolean.status()).isEqualTo(400);
        assertThat(allowing.tokensOf(principal)).isEmpty();
    }

    @Test
    void rotateWhenPermanentThenSuccessorPermanentToo() {
        String principal = allowing.newPrincipal("perm-rot");
        String role = allowing.newRole("perm-rot", "orders.items:read");
        JsonNode t = allowing.mint(principal, List.of(role), Map.of("permanent", true, "rotate_every", "90d"));

        JsonNode successor = TestServer.expect(allowing.post("/v1/tokens/" + t.get("id").asText() + "/rotate",
                allowing.adminToken(), Map.of("grace", "1h")), 201);

        assertThat(successor.get("permanent").asBoolean()).isTrue();
        assertThat(successor.has("expires_at")).isFalse();
    }

    @Test
    void listWhenPermanentFilterThenOnlyTheAskedKind() {
        String principal = allowing.newPrincipal("perm-list");
        String role = allowing.newRole("perm-list", "orders.items:read");
        JsonNode permanent = allowing.mint(principal, List.of(role), Map.of("permanent", true));
        JsonNode expiring = allowing.mint(principal, List.of(role), Map.of());

        assertThat(ids(allowing, principal, "true")).containsExactly(permanent.get("id").asText());
        assertThat(ids(allowing, principal, "false")).containsExactly(expiring.get("id").asText());
        RotationApiTest.assertValidationError(allowing.get("/v1/tokens?permanent=yes", allowing.adminToken()),
                "permanent");
    }

    /** Turning permanent tokens off keeps the existing ones working, and the server says so at start-up. */
    @Test
    void restartWhenPermanentTokensTurnedOffThenExistingOnesWorkAndAreReported() {
        try (TestServer s = TestServer.start(store, b -> b.allowPermanentTokens(true))) {
            s.createPrincipal("perm-off-later", "service");
            s.createRole("perm-off-later", "orders.items:read");
            JsonNode t = s.mint("perm-off-later", List.of("perm-off-later"), Map.of("permanent", true));

            String logged;
            try (LogCapture logs = LogCapture.attach()) {
                s.restart(b -> b.allowPermanentTokens(false));
                logged = logs.text();
            }

            assertThat(logged).contains("1 live permanent token(s) exist but --allow-permanent-tokens is off");
            assertThat(s.verify(t.get("token").asText(), "orders.items:read").get("code").asText())
                    .isEqualTo("VALID");
            RotationApiTest.assertValidationError(s.post("/v1/tokens", s.adminToken(), Map.of("principal",
                    "perm-off-later", "roles", List.of("perm-off-later"), "permanent", true)), "permanent");
        }
    }

    private static List<String> ids(TestServer s, String principal, String permanent) {
        return TestServer.expect(s.get("/v1/tokens?principal=" + principal + "&permanent=" + permanent,
                s.adminToken()), 200).get("items").valueStream().map(t -> t.get("id").asText()).toList();
    }
}
