package dev.keygate.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /v1/explain}: the decision and why, from the checks before the permission to each grant. */
class ExplainApiTest extends EndToEndTest {

    private JsonNode explain(Map<String, Object> body) {
        return TestServer.expect(server.post("/v1/explain", server.adminToken(), body), 200);
    }

    /** A token holding a wide role and a guard role that denies refunds; returns the creation response. */
    private JsonNode guardedToken(String base, Map<String, Object> extra) {
        String wide = server.newRole(base + "-wide", "billing.*:*");
        String guard = TestServer.unique(base + "-guard");
        TestServer.expect(server.post("/v1/roles", server.adminToken(), Map.of("name", guard, "grants",
                List.of(Map.of("permission", "billing.refunds:*", "effect", "deny")))), 201);
        return server.mint(server.newPrincipal(base), List.of(wide, guard), extra);
    }

    @Test
    void explainWhenADenyDecidesThenItNamesTheRoleAndGrantAndListsEveryMatchingRule() {
        JsonNode token = guardedToken("explain-deny", Map.of());
        List<String> roles = token.get("roles").valueStream().map(JsonNode::asText).toList();

        JsonNode e = explain(Map.of("token_id", token.get("id").asText(), "permission", "billing.refunds:write"));

        assertThat(e.get("decision").asText()).isEqualTo("deny");
        assertThat(e.get("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(e.get("token_id").asText()).isEqualTo(token.get("id").asText());
        assertThat(e.get("reason").asText()).contains("denied by role '" + roles.get(1) + "', grant 0");
        JsonNode p = e.get("permissions").get(0);
        assertThat(p.get("permission").asText()).isEqualTo("billing.refunds:write");
        assertThat(p.get("allowed").asBoolean()).isFalse();
        assertThat(p.get("decided_by").get("role").asText()).isEqualTo(roles.get(1));
        assertThat(p.get("decided_by").get("effect").asText()).isEqualTo("deny");
        assertThat(p.get("rules")).extracting(r -> r.get("role").asText() + " " + r.get("effect").asText() + " "
                + r.get("permission").asText() + " " + r.get("outcome").asText())
                .containsExactly(roles.get(0) + " allow billing.*:* applies",
                        roles.get(1) + " deny billing.refunds:* applies");
    }

    @Test
    void explainWhenAnAllowDecidesOrNothingGrantsThenItSaysSo() {
        JsonNode token = guardedToken("explain-allow", Map.of());
        String id = token.get("id").asText();

        JsonNode allowed = explain(Map.of("token_id", id, "permission", "billing.invoices:read"));
        JsonNode nothing = explain(Map.of("token_id", id, "permission", "crm.leads:read"));
        JsonNode liveness = explain(Map.of("token", token.get("token").asText()));

        assertThat(allowed.get("decision").asText()).isEqualTo("allow");
        assertThat(allowed.get("code").asText()).isEqualTo("VALID");
        assertThat(allowed.get("permissions").get(0).get("decided_by").get("permission").asText())
                .isEqualTo("billing.*:*");
        assertThat(nothing.get("decision").asText()).isEqualTo("deny");
        assertThat(nothing.get("reason").asText()).isEqualTo("no grant of the token's roles allows crm.leads:read");
        assertThat(nothing.get("permissions").get(0).has("decided_by")).isFalse();
        assertThat(nothing.get("permissions").get(0).get("rules")).isEmpty();
        assertThat(liveness.get("decision").asText()).isEqualTo("allow");
        assertThat(liveness.get("permissions")).isEmpty();
    }

    @Test
    void explainWhenTheTokenIsRefusedBeforeThePermissionThenTheReasonSaysWhich() {
        JsonNode revoked = guardedToken("explain-revoked", Map.of());
        TestServer.expect(server.post("/v1/tokens/" + revoked.get("id").asText() + "/revoke", server.adminToken(),
                Map.of("reason", "leaked in a log")), 200);
        JsonNode bound = guardedToken("explain-bound", Map.of("allowed_cidrs", List.of("10.0.0.0/8")));

        JsonNode r = explain(Map.of("token", revoked.get("token").asText(), "permission", "billing.invoices:read"));
        JsonNode outside = explain(Map.of("token_id", bound.get("id").asText(), "permission", "billing.x:read",
                "context", Map.of("ip", "192.0.2.1")));
        JsonNode unknown = explain(Map.of("token", "kg_live_notarealtoken", "permission", "billing.x:read"));

        assertThat(r.get("code").asText()).isEqualTo("REVOKED");
        assertThat(r.get("decision").asText()).isEqualTo("deny");
        assertThat(r.get("reason").asText()).contains("revoked").contains("leaked in a log");
        assertThat(r.get("permissions")).isEmpty();
        assertThat(outside.get("code").asText()).isEqualTo("IP_NOT_ALLOWED");
        assertThat(outside.get("reason").asText()).contains("192.0.2.1").contains("10.0.0.0/8");
        assertThat(unknown.get("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(unknown.has("token_id")).isFalse();
    }

    @Test
    void explainSpendsNoUseAndSaysSo() {
        JsonNode token = guardedToken("explain-uses", Map.of("max_uses", 1));
        String id = token.get("id").asText();

        JsonNode first = explain(Map.of("token_id", id, "permission", "billing.invoices:read"));
        explain(Map.of("token_id", id, "permission", "billing.invoices:read"));
        JsonNode verified = server.verify(token.get("token").asText(), "billing.invoices:read");

        assertThat(first.get("notes").get(0).asText()).contains("usage limit not checked").contains("1");
        assertThat(verified.get("code").asText()).isEqualTo("VALID");
        assertThat(verified.get("remaining").asLong()).isZero();
    }

    @Test
    void explainWhenTheRequestIsMalformedThen400Or404() {
        JsonNode token = guardedToken("explain-bad", Map.of());

        TestServer.Response both = server.post("/v1/explain", server.adminToken(),
                Map.of("token_id", token.get("id").asText(), "token", token.get("token").asText()));
        TestServer.Response neither = server.post("/v1/explain", server.adminToken(), Map.of("permission", "a.b:c"));
        TestServer.Response badPermission = server.post("/v1/explain", server.adminToken(),
                Map.of("token_id", token.get("id").asText(), "permission", "Billing"));
        TestServer.Response unknownField = server.post("/v1/explain", server.adminToken(),
                Map.of("token_id", token.get("id").asText(), "why", "curious"));
        TestServer.Response missing = server.post("/v1/explain", server.adminToken(),
                Map.of("token_id", "tok_AAAAAAAAAAAAAAAAAAAA"));

        RotationApiTest.assertValidationError(both, "token_id");
        RotationApiTest.assertValidationError(neither, "token_id");
        RotationApiTest.assertValidationError(badPermission, "permission");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(missing.status()).as(missing.text()).isEqualTo(404);
    }

    @Test
    void explainNeedsItsPermission() {
        JsonNode token = guardedToken("explain-perm", Map.of());
        JsonNode reader = server.principalWithToken(TestServer.unique("explain-reader"), "keygate.tokens:read");

        TestServer.Response r = server.post("/v1/explain", reader.get("token").asText(),
                Map.of("token_id", token.get("id").asText(), "permission", "billing.x:read"));

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("detail").asText()).contains("keygate.policy:explain");
    }
}
