package dev.keygate.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Permission queries in verify and explain: AND binds tighter than OR, parentheses, denies, errors. */
class PermissionQueryApiTest extends EndToEndTest {


    /** A token allowed billing.invoices:read and support.*:*, with support.tickets:delete denied. */
    private JsonNode token() {
        String reader = server.newRole("query-reader", "billing.invoices:read", "support.*:*");
        String guard = TestServer.unique("query-guard");
        TestServer.expect(server.post("/v1/roles", server.adminToken(), Map.of("name", guard, "grants",
                List.of(Map.of("permission", "support.tickets:delete", "effect", "deny")))), 201);
        return server.mint(server.newPrincipal("query"), List.of(reader, guard), Map.of());
    }

    private String code(String secret, String query) {
        return server.verify(secret, query).get("code").asText();
    }

    @Test
    void verifyWhenTheQueryHoldsThenValidElseForbidden() {
        String secret = token().get("token").asText();

        assertThat(code(secret, "billing.invoices:read AND (billing.refunds:write OR support.*:*)"))
                .as("support.*:* is not wholly granted: support.tickets:delete is denied").isEqualTo("FORBIDDEN");
        assertThat(code(secret, "billing.invoices:read AND (billing.refunds:write OR support.tickets:read)"))
                .isEqualTo("VALID");
        assertThat(code(secret, "billing.refunds:write OR billing.invoices:read AND support.tickets:read"))
                .as("AND binds tighter").isEqualTo("VALID");
        assertThat(code(secret, "(billing.refunds:write OR billing.invoices:read) AND support.tickets:delete"))
                .isEqualTo("FORBIDDEN");
        assertThat(code(secret, "billing.invoices:read and support.tickets:read")).as("keywords ignore case")
                .isEqualTo("VALID");
    }

    @Test
    void verifyWhenTheQueryIsMalformedThen400WithThePosition() {
        String secret = token().get("token").asText();

        TestServer.Response open = server.post("/v1/verify", null,
                Map.of("token", secret, "permission", "billing.invoices:read AND (support.tickets:read"));
        TestServer.Response dangling = server.post("/v1/verify", null,
                Map.of("token", secret, "permission", "billing.invoices:read AND"));
        TestServer.Response tooLong = server.post("/v1/verify", null,
                Map.of("token", secret, "permission", "a.b:c OR ".repeat(200) + "a.b:c"));

        RotationApiTest.assertValidationError(open, "permission");
        assertThat(open.text()).contains("position");
        RotationApiTest.assertValidationError(dangling, "permission");
        RotationApiTest.assertValidationError(tooLong, "permission");
    }

    @Test
    void explainWhenAQueryThenEachPermissionIsExplainedAndTheQueryDecides() {
        JsonNode t = token();

        JsonNode e = TestServer.expect(server.post("/v1/explain", server.adminToken(), Map.of(
                "token_id", t.get("id").asText(),
                "permission", "billing.invoices:read AND (billing.refunds:write OR support.tickets:delete)")), 200);

        assertThat(e.get("decision").asText()).isEqualTo("deny");
        assertThat(e.get("reason").asText()).startsWith("the query does not hold");
        assertThat(e.get("permissions")).extracting(p -> p.get("permission").asText() + "=" + p.get("allowed"))
                .containsExactly("billing.invoices:read=true", "billing.refunds:write=false",
                        "support.tickets:delete=false");
        assertThat(e.get("permissions").get(2).get("decided_by").get("effect").asText()).isEqualTo("deny");
    }
}
