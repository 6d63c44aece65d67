package dev.keygate.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Environment segmentation: a role limited to environments can only be held by tokens of those environments,
 * and cannot be narrowed under live tokens; and {@code max_ttl: "none"} removes a role's cap.
 */
class RoleEnvironmentsApiTest extends EndToEndTest {

    @Test
    void createTokenWhenRoleLimitedToOtherEnvironmentsThen400NamingTheRole() {
        String principal = server.newPrincipal("env-limited");
        String role = role("env-limited", List.of("staging", "dev"));
        String open = server.newRole("env-open", "orders.items:read");

        TestServer.Response live = server.post("/v1/tokens", server.adminToken(),
                Map.of("principal", principal, "roles", List.of(open, role)));
        JsonNode staging = server.mint(principal, List.of(open, role), Map.of("environment", "staging"));

        RotationApiTest.assertValidationError(live, "roles[1]");
        assertThat(live.text()).contains("'" + role + "'").contains("[staging, dev]").contains("'live'");
        assertThat(staging.get("environment").asText()).isEqualTo("staging");
        JsonNode read = TestServer.expect(server.get("/v1/roles/" + role, server.adminToken()), 200);
        assertThat(read.get("environments")).extracting(JsonNode::asText).containsExactly("staging", "dev");
    }

    @Test
    void updateWhenNarrowingWouldExcludeLiveTokensThen409ElseAllowed() {
        String principal = server.newPrincipal("env-narrow");
        String role = role("env-narrow", List.of("staging", "dev"));
        server.mint(principal, List.of(role), Map.of("environment", "staging"));

        TestServer.Response narrowed = update(role, Map.of("permissions", List.of("orders.items:read"),
                "environments", List.of("dev")));
        TestServer.Response kept = update(role, Map.of("permissions", List.of("orders.items:read"),
                "environments", List.of("staging")));
        TestServer.Response widened = update(role, Map.of("permissions", List.of("orders.items:read"),
                "environments", List.of("*")));

        assertThat(narrowed.status()).as(narrowed.text()).isEqualTo(409);
        assertThat(narrowed.json().get("detail").asText()).contains("[staging]");
        assertThat(kept.status()).isEqualTo(200);
        assertThat(widened.status()).isEqualTo(200);
        assertThat(widened.json().has("environments")).as("[\"*\"] allows every environment").isFalse();
        assertThat(server.mint(principal, List.of(role), Map.of()).get("environment").asText()).isEqualTo("live");
    }

    @Test
    void createRoleWhenEnvironmentsInvalidThen400() {
        for (List<String> bad : List.of(List.<String>of(), List.of("Prod"), List.of("ok", "has space"))) {
            TestServer.Response r = server.post("/v1/roles", server.adminToken(), Map.of("name",
                    TestServer.unique("env-bad"), "permissions", List.of("orders.items:read"), "environments", bad));
            assertThat(r.status()).as(bad.toString()).isEqualTo(400);
            assertThat(r.text()).contains("environments");
        }
    }

    @Test
    void createRoleWhenStarMixedWithEnvironmentsThen400SayingItStandsAlone() {
        TestServer.Response r = server.post("/v1/roles", server.adminToken(), Map.of("name",
                TestServer.unique("env-star"), "permissions", List.of("orders.items:read"),
                "environments", List.of("*", "dev")));

        RotationApiTest.assertValidationError(r, "environments[0]");
        assertThat(r.text()).contains("must stand alone");
    }

    /** Regression: the role.update audit event recorded the permissions only. */
    @Test
    void updateWhenCapOrEnvironmentsChangeThenTheAuditEventRecordsThem() {
        String role = role("env-audit", List.of("staging"));

        TestServer.expect(update(role, Map.of("permissions", List.of("orders.items:read"), "max_ttl", "2h",
                "environments", List.of("staging", "dev"))), 200);

        server.flushAudit();
        JsonNode events = TestServer.expect(server.get("/v1/audit?action=role.update&limit=1000", server.adminToken()),
                200).get("items");
        assertThat(events).anySatisfy(e -> {
            assertThat(e.get("target").asText()).isEqualTo(role);
            assertThat(e.get("detail").asText()).contains("max_ttl=2h").contains("environments=staging,dev");
        });
    }

    @Test
    void updateWhenEnvironmentsAbsentThenKept() {
        String role = role("env-keep", List.of("staging"));

        JsonNode updated = TestServer.expect(update(role, Map.of("permissions", List.of("orders.items:read"),
                "description", "new")), 200);

        assertThat(updated.get("environments")).extracting(JsonNode::asText).containsExactly("staging");
    }

    @Test
    void updateWhenMaxTtlNoneThenCapRemoved() {
        String role = TestServer.unique("ttl-none");
        TestServer.expect(server.post("/v1/roles", server.adminToken(), Map.of("name", role,
                "permissions", List.of("orders.items:read"), "max_ttl", "1h")), 201);

        JsonNode kept = TestServer.expect(update(role, Map.of("permissions", List.of("orders.items:read"))), 200);
        JsonNode cleared = TestServer.expect(update(role, Map.of("permissions", List.of("orders.items:read"),
                "max_ttl", "none")), 200);

        assertThat(kept.get("max_ttl").asText()).isEqualTo("1h");
        assertThat(cleared.has("max_ttl")).isFalse();
        String principal = server.newPrincipal("ttl-none");
        assertThat(server.mint(principal, List.of(role), Map.of("ttl", "2h")).has("expires_at")).isTrue();
        RotationApiTest.assertValidationError(update(role, Map.of("permissions", List.of("orders.items:read"),
                "max_ttl", "never")), "max_ttl");
    }

    private static String role(String base, List<String> environments) {
        String name = TestServer.unique(base);
        TestServer.expect(server.post("/v1/roles", server.adminToken(), Map.of("name", name,
                "permissions", List.of("orders.items:read"), "environments", environments)), 201);
        return name;
    }

    private static TestServer.Response update(String role, Map<String, Object> body) {
        return server.put("/v1/roles/" + role, server.adminToken(), body);
    }
}
