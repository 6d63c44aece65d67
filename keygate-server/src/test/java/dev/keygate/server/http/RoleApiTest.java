package dev.keygate.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RoleApiTest extends EndToEndTest {

    @Test
    void createWhenValidThenReturns201AndRoleIsReadable() {
        JsonNode created = server.createRole("billing-reader", "billing.invoices:read", "billing.*:read",
                "billing.invoices:read");
        assertThat(created.get("name").asText()).isEqualTo("billing-reader");
        assertThat(created.get("permissions")).extracting(JsonNode::asText)
                .containsExactly("billing.invoices:read", "billing.*:read");
        TestServer.Response got = server.get("/v1/roles/billing-reader", server.adminToken());
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json().get("created_at").asText()).endsWith("Z");
        TestServer.Response list = server.get("/v1/roles", server.adminToken());
        assertThat(list.json().get("items")).extracting(n -> n.get("name").asText())
                .contains("billing-reader", "keygate-admin");
    }

    @Test
    void createWhenExistsThenReturns409() {
        server.createRole("dup-role", "a:b");
        TestServer.Response r = server.post("/v1/roles", server.adminToken(),
                Map.of("name", "dup-role", "permissions", List.of("a:b")));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().get("code").asText()).isEqualTo("conflict");
    }

    @Test
    void createWhenPermissionInvalidThenReturns400NamingTheField() {
        TestServer.Response r = server.post("/v1/roles", server.adminToken(),
                Map.of("name", "bad-role", "permissions", List.of("ok:read", "billing.*.x:read", "billing:")));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("errors")).extracting(e -> e.get("field").asText())
                .containsExactly("permissions[1]", "permissions[2]");
        assertThat(server.get("/v1/roles/bad-role", server.adminToken()).status()).isEqualTo(404);
    }

    @Test
    void createWhenUnknownFieldThenReturns400() {
        TestServer.Response r = server.post("/v1/roles", server.adminToken(),
                Map.of("name", "x", "permissions", List.of("a:b"), "admin", true));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("admin");
    }

    @Test
    void requestWhenNoTokenThenReturns401WithChallenge() {
        TestServer.Response r = server.get("/v1/roles", null);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
    }
}
