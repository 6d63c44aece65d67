package dev.keygate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example policy ({@code examples/policy.yaml}) decides as {@code docs/policies.md} says: applied with
 * {@code keygate policy apply} to a real server, then asked through verify, role by role.
 */
class ExamplePolicyDecisionsTest extends CliEndToEndTest {

    private static String verify(TestServer s, String token, String permission, Map<String, Object> context) {
        Map<String, Object> body = new HashMap<>(Map.of("token", token, "permission", permission));
        if (context != null) {
            body.put("context", context);
        }
        return TestServer.expect(s.post("/v1/verify", null, body), 200).get("code").asText();
    }

    private static Map<String, Object> resource(Object... keysAndValues) {
        Map<String, Object> resource = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            resource.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return Map.of("resource", resource);
    }

    private static String mint(TestServer s, String role, Map<String, Object> extra) {
        JsonNode created = s.mint(s.newPrincipal(role), List.of(role), extra);
        return created.get("token").asText();
    }

    @Test
    void theExamplePolicyDecidesAsTheDocsSay() {
        try (TestServer s = TestServer.start(store)) {
            Cli.Result applied = Cli.against(s).run("policy", "apply", "-f", PolicySchemaTest.EXAMPLE.toString());
            assertThat(applied.exitCode()).as(applied.out() + applied.err()).isZero();

            // billing-service: the table in docs/policies.md, row by row.
            String billing = mint(s, "billing-service", Map.of("ttl", "1h"));
            assertThat(verify(s, billing, "billing.invoices:read", null)).isEqualTo("VALID");
            assertThat(verify(s, billing, "billing.invoices:delete", null)).isEqualTo("FORBIDDEN");
            assertThat(verify(s, billing, "billing.refunds:create", resource("amount_cents", 5000)))
                    .isEqualTo("VALID");
            assertThat(verify(s, billing, "billing.refunds:create", resource("amount_cents", 250000)))
                    .isEqualTo("FORBIDDEN");
            assertThat(verify(s, billing, "billing.refunds:create", null)).isEqualTo("FORBIDDEN");
            assertThat(verify(s, billing, "billing.invoices:read AND billing.refunds:create",
                    resource("amount_cents", 5000))).isEqualTo("VALID");

            // ci-deployer: no deleting applications in live; staging is another matter.
            String live = mint(s, "ci-deployer", Map.of("ttl", "1h"));
            String staging = mint(s, "ci-deployer", Map.of("ttl", "1h", "environment", "staging"));
            assertThat(verify(s, live, "deploy.apps:write", null)).isEqualTo("VALID");
            assertThat(verify(s, live, "deploy.apps:delete", null)).isEqualTo("FORBIDDEN");
            assertThat(verify(s, staging, "deploy.apps:delete", null)).as("no allow of delete at all")
                    .isEqualTo("FORBIDDEN");

            // metrics-reader: only from inside 10.0.0.0/8.
            String metrics = mint(s, "metrics-reader", Map.of("ttl", "1h"));
            assertThat(verify(s, metrics, "metrics.cpu:read", Map.of("ip", "10.20.30.40"))).isEqualTo("VALID");
            assertThat(verify(s, metrics, "metrics.cpu:read", Map.of("ip", "203.0.113.9"))).isEqualTo("FORBIDDEN");

            // support-tooling: its own team's tickets only, never payment methods.
            String support = mint(s, "support-tooling", Map.of("ttl", "1h", "metadata", Map.of("team", "emea")));
            assertThat(verify(s, support, "support.tickets:write", resource("team", "emea"))).isEqualTo("VALID");
            assertThat(verify(s, support, "support.tickets:write", resource("team", "apac")))
                    .isEqualTo("FORBIDDEN");
            assertThat(verify(s, support, "customers.payment_methods:read", null)).isEqualTo("FORBIDDEN");

            // oncall-breakglass: only with an incident ticket, and never Keygate itself.
            String incident = mint(s, "oncall-breakglass", Map.of("ttl", "1h",
                    "metadata", Map.of("incident", "INC-4711")));
            String noTicket = mint(s, "oncall-breakglass", Map.of("ttl", "1h"));
            assertThat(verify(s, incident, "deploy.apps:delete", null)).isEqualTo("VALID");
            assertThat(verify(s, noTicket, "deploy.apps:delete", null)).isEqualTo("FORBIDDEN");
            assertThat(verify(s, incident, "keygate.tokens:create", null)).isEqualTo("FORBIDDEN");
            assertThat(s.get("/v1/roles", incident).status()).as("the admin API denies it too").isEqualTo(403);
        }
    }
}
