package dev.keygate.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Grants with CEL conditions, end to end: evaluated on every verify against the request, the resource, the
 * token and its principal; time with the injected clock; fail closed; checked when the role is saved.
 */
class ConditionsApiTest extends EndToEndTest {

    private static Map<String, Object> grant(String effect, String permission, String condition) {
        return Map.of("permission", permission, "effect", effect, "condition", condition);
    }

    /** A role of these grants, a principal and a token for it: the creation response. */
    private JsonNode tokenWith(String base, Map<String, Object> tokenFields, List<Map<String, Object>> grants) {
        String role = TestServer.unique(base);
        TestServer.expect(server.post("/v1/roles", server.adminToken(), Map.of("name", role, "grants", grants)), 201);
        return server.mint(server.newPrincipal(base), List.of(role), tokenFields);
    }

    private String verify(String token, String permission, Map<String, Object> context) {
        Map<String, Object> body = new HashMap<>(Map.of("token", token, "permission", permission));
        if (context != null) {
            body.put("context", context);
        }
        return TestServer.expect(server.post("/v1/verify", null, body), 200).get("code").asText();
    }

    @Test
    void workingHoursConditionFollowsTheClock() {
        // Move the server's clock forward to 09:00 UTC on some later day: time only ever moves forward here.
        Instant now = server.clock().instant();
        Instant nine = now.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(2)).plus(Duration.ofHours(9));
        server.clock().set(nine);
        String token = tokenWith("cond-hours", Map.of(), List.of(grant("allow", "ops.deploys:run",
                "request.time.getHours() >= 8 && request.time.getHours() < 18"))).get("token").asText();

        String atNine = verify(token, "ops.deploys:run", null);
        server.clock().advance(Duration.ofHours(8).plusMinutes(59));
        String at1759 = verify(token, "ops.deploys:run", null);
        server.clock().advance(Duration.ofMinutes(1));
        String at1800 = verify(token, "ops.deploys:run", null);

        assertThat(atNine).isEqualTo("VALID");
        assertThat(at1759).isEqualTo("VALID");
        assertThat(at1800).isEqualTo("FORBIDDEN");
    }

    @Test
    void resourceOwnerMustBeThePrincipal() {
        JsonNode created = tokenWith("cond-owner", Map.of(), List.of(grant("allow", "docs.files:write",
                "resource.owner == principal.name")));
        String token = created.get("token").asText();
        String principal = created.get("principal").asText();

        assertThat(verify(token, "docs.files:write", Map.of("resource", Map.of("owner", principal))))
                .isEqualTo("VALID");
        assertThat(verify(token, "docs.files:write", Map.of("resource", Map.of("owner", "someone-else"))))
                .isEqualTo("FORBIDDEN");
        assertThat(verify(token, "docs.files:write", null)).as("no owner: the allow cannot apply")
                .isEqualTo("FORBIDDEN");
    }

    @Test
    void ipConditionsWithStartsWithAndTheCidrHelper() {
        String token = tokenWith("cond-ip", Map.of(), List.of(
                grant("allow", "metrics.*:read", "request.ip.inCidr('10.0.0.0/8') || request.ip.inCidr('2001:db8::/32')"),
                grant("allow", "metrics.admin:write", "request.ip.startsWith('10.')"))).get("token").asText();

        assertThat(verify(token, "metrics.cpu:read", Map.of("ip", "10.1.2.3"))).isEqualTo("VALID");
        assertThat(verify(token, "metrics.cpu:read", Map.of("ip", "2001:DB8::7"))).as("canonical form")
                .isEqualTo("VALID");
        assertThat(verify(token, "metrics.cpu:read", Map.of("ip", "192.0.2.1"))).isEqualTo("FORBIDDEN");
        assertThat(verify(token, "metrics.cpu:read", null)).as("no ip: fails closed").isEqualTo("FORBIDDEN");
        assertThat(verify(token, "metrics.admin:write", Map.of("ip", "10.9.9.9"))).isEqualTo("VALID");
        assertThat(verify(token, "metrics.admin:write", Map.of("ip", "11.0.0.1"))).isEqualTo("FORBIDDEN");
    }

    @Test
    void conditionalDenyWinsWhenItHoldsAndFailsClosed() {
        String token = tokenWith("cond-deny", Map.of(), List.of(
                Map.of("permission", "billing.*:*", "effect", "allow"),
                grant("deny", "billing.refunds:write", "resource.amount > 1000"))).get("token").asText();

        assertThat(verify(token, "billing.refunds:write", Map.of("resource", Map.of("amount", 50))))
                .isEqualTo("VALID");
        assertThat(verify(token, "billing.refunds:write", Map.of("resource", Map.of("amount", 5000))))
                .isEqualTo("FORBIDDEN");
        assertThat(verify(token, "billing.refunds:write", Map.of("resource", Map.of("amount", "lots"))))
                .as("a type error in a deny: it applies").isEqualTo("FORBIDDEN");
        assertThat(verify(token, "billing.refunds:write", null)).as("no amount: the deny applies")
                .isEqualTo("FORBIDDEN");
        assertThat(verify(token, "billing.invoices:read", null)).isEqualTo("VALID");
    }

    @Test
    void tokenMetadataAndEnvironmentConditions() {
        String token = tokenWith("cond-meta", Map.of("metadata", Map.of("team", "billing")), List.of(
                grant("allow", "billing.reports:read", "token.metadata.team == 'billing'"),
                grant("allow", "crm.reports:read", "'team' in token.metadata && token.metadata.team == 'crm'"),
                grant("allow", "ops.status:read", "request.environment == 'live' && principal.kind == 'service'")))
                .get("token").asText();

        assertThat(verify(token, "billing.reports:read", null)).isEqualTo("VALID");
        assertThat(verify(token, "crm.reports:read", null)).isEqualTo("FORBIDDEN");
        assertThat(verify(token, "ops.status:read", null)).isEqualTo("VALID");
    }

    @Test
    void saveWhenAConditionDoesNotCompileThen400NamingTheExpressionThePositionAndTheProblem() {
        String expression = "request.tiem.getHours() < 18";
        TestServer.Response typo = server.post("/v1/roles", server.adminToken(), Map.of("name",
                TestServer.unique("cond-typo"), "grants", List.of(grant("allow", "a.b:c", expression))));
        TestServer.Response notBool = server.post("/v1/roles", server.adminToken(), Map.of("name",
                TestServer.unique("cond-int"), "grants", List.of(Map.of("permission", "a.b:c", "effect", "allow"),
                        grant("deny", "a.b:c", "request.time.getHours()"))));
        TestServer.Response badCidr = server.post("/v1/roles", server.adminToken(), Map.of("name",
                TestServer.unique("cond-cidr"), "grants", List.of(grant("allow", "a.b:c",
                        "request.ip.inCidr('10.0.0.0/33')"))));

        RotationApiTest.assertValidationError(typo, "grants[0].condition");
        String message = typo.json().get("errors").get(0).get("message").asText();
        assertThat(message).contains(expression).contains("position").contains("tiem");
        RotationApiTest.assertValidationError(notBool, "grants[1].condition");
        assertThat(notBool.json().get("errors").get(0).get("message").asText()).contains("bool");
        RotationApiTest.assertValidationError(badCidr, "grants[0].condition");
    }

    @Test
    void explainShowsConditionOutcomesAndErrors() {
        JsonNode created = tokenWith("cond-explain", Map.of(), List.of(
                grant("allow", "docs.files:write", "resource.owner == principal.name"),
                grant("deny", "docs.files:write", "resource.locked")));
        String id = created.get("id").asText();

        JsonNode granted = TestServer.expect(server.post("/v1/explain", server.adminToken(), Map.of("token_id", id,
                "permission", "docs.files:write", "context", Map.of("resource", Map.of("owner",
                        created.get("principal").asText(), "locked", false)))), 200);
        JsonNode failed = TestServer.expect(server.post("/v1/explain", server.adminToken(), Map.of("token_id", id,
                "permission", "docs.files:write")), 200);

        assertThat(granted.get("decision").asText()).isEqualTo("allow");
        assertThat(granted.get("permissions").get(0).get("rules")).extracting(r -> r.get("outcome").asText())
                .containsExactly("applies", "condition_false");
        assertThat(failed.get("decision").asText()).isEqualTo("deny");
        JsonNode rules = failed.get("permissions").get(0).get("rules");
        assertThat(rules).extracting(r -> r.get("outcome").asText())
                .containsExactly("condition_failed", "condition_failed");
        assertThat(rules.get(0).get("error").asText()).isNotBlank();
        assertThat(failed.get("reason").asText()).contains("denied by role").contains("grant 1");
    }

    @Test
    void adminCallsAreDecidedByConditionsToo() {
        String inside = tokenWith("cond-admin-in", Map.of(), List.of(grant("allow", "keygate.roles:read",
                "request.ip.inCidr('127.0.0.0/8') || request.ip.inCidr('::1/128')"))).get("token").asText();
        String outside = tokenWith("cond-admin-out", Map.of(), List.of(grant("allow", "keygate.roles:read",
                "request.ip.inCidr('10.0.0.0/8')"))).get("token").asText();

        assertThat(server.get("/v1/roles", inside).status()).isEqualTo(200);
        TestServer.Response refused = server.get("/v1/roles", outside);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("detail").asText()).contains("keygate.roles:read");
    }
}
