package dev.keygate.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.keygate.client.TestJson.json;
import static dev.keygate.client.TestJson.tree;
import static org.assertj.core.api.Assertions.assertThat;

class KeygateClientRoleAndPrincipalTest {

    static final String ADMIN = "kg_live_0123456789abcdefghijABCDEFGHIJ012345";
    static final String ROLE_JSON = "{\"name\":\"billing-reader\",\"description\":\"Reads invoices\","
            + "\"permissions\":[\"billing.invoices:read\"],\"created_at\":\"2026-11-22T09:15:00Z\","
            + "\"updated_at\":\"2026-11-22T10:00:00Z\"}";
    static final String PRINCIPAL_JSON = "{\"name\":\"billing-svc\",\"kind\":\"service\",\"description\":\"\","
            + "\"metadata\":{\"team\":\"payments\",\"tier\":1},\"created_at\":\"2026-11-22T09:15:00Z\"}";

    FakeKeygate server;
    KeygateClient client;

    @BeforeEach
    void start() throws IOException {
        server = FakeKeygate.start();
        client = KeygateClient.builder().baseUri(server.baseUri()).token(ADMIN).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void createRoleWhenCalledThenPostsSnakeCaseJsonWithBearerToken() {
        server.on("POST", "/v1/roles", 201, ROLE_JSON);

        Role role = client.createRole("billing-reader", "Reads invoices", List.of("billing.invoices:read"));

        FakeKeygate.Request r = server.lastRequest();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.rawPath()).isEqualTo("/v1/roles");
        assertThat(r.header("Authorization")).isEqualTo("Bearer " + ADMIN);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("Accept")).contains("application/problem+json");
        assertThat(tree(r.body())).isEqualTo(json(
                "{'name': 'billing-reader', 'description': 'Reads invoices', 'permissions': ['billing.invoices:read']}"));
        assertThat(role).isEqualTo(new Role("billing-reader", "Reads invoices",
                List.of("billing.invoices:read"),
                Instant.parse("2026-11-22T09:15:00Z"), Instant.parse("2026-11-22T10:00:00Z")));
    }

    @Test
    void createRoleWhenDescriptionIsNullThenLeavesTheFieldOut() {
        server.on("POST", "/v1/roles", 201, ROLE_JSON);

        client.createRole("billing-reader", null, List.of("billing.invoices:read"));

        assertThat(tree(server.lastRequest().body())).isEqualTo(json(
                "{'name': 'billing-reader', 'permissions': ['billing.invoices:read']}"));
    }

    @Test
    void listRolesWhenItemsThenReturnsThemInOrder() {
        server.on("GET", "/v1/roles", 200, "{\"items\":[" + ROLE_JSON + ","
                + ROLE_JSON.replace("billing-reader", "ops") + "]}");

        List<Role> roles = client.listRoles();

        assertThat(roles).extracting(Role::name).containsExactly("billing-reader", "ops");
        assertThat(server.lastRequest().method()).isEqualTo("GET");
        assertThat(server.lastRequest().body()).isEmpty();
    }

    @Test
    void getRoleWhenNameNeedsEncodingThenPercentEncodesThePathSegment() {
        server.on("GET", "/v1/roles/a%20b%2Fc%3F", 200, ROLE_JSON);

        client.getRole("a b/c?");

        assertThat(server.lastRequest().rawPath()).isEqualTo("/v1/roles/a%20b%2Fc%3F");
        assertThat(server.lastRequest().rawQuery()).isNull();
    }

    @Test
    void updateRoleWhenCalledThenPutsDescriptionAndPermissionsWithoutTheName() {
        server.on("PUT", "/v1/roles/billing-reader", 200, ROLE_JSON);

        client.updateRole("billing-reader", "Reads invoices", List.of("billing.invoices:read", "billing.refunds:read"));

        assertThat(server.lastRequest().method()).isEqualTo("PUT");
        assertThat(tree(server.lastRequest().body())).isEqualTo(json(
                "{'description': 'Reads invoices', 'permissions': ['billing.invoices:read', 'billing.refunds:read']}"));
    }

    @Test
    void deleteRoleWhenServerAnswers204ThenReturnsNormally() {
        server.on("DELETE", "/v1/roles/ops", 204, null);

        client.deleteRole("ops");

        assertThat(server.lastRequest().method()).isEqualTo("DELETE");
        assertThat(server.lastRequest().rawPath()).isEqualTo("/v1/roles/ops");
    }

    @Test
    void createPrincipalWhenMetadataThenSendsItAsAJsonObject() {
        server.on("POST", "/v1/principals", 201, PRINCIPAL_JSON);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("team", "payments");
        metadata.put("tier", 1);

        Principal p = client.createPrincipal("billing-svc", "service", null, metadata);

        assertThat(tree(server.lastRequest().body())).isEqualTo(json(
                "{'name': 'billing-svc', 'kind': 'service', 'metadata': {'team': 'payments', 'tier': 1}}"));
        assertThat(p.metadata()).containsEntry("team", "payments").containsEntry("tier", 1);
        assertThat(p.createdAt()).isEqualTo(Instant.parse("2026-11-22T09:15:00Z"));
    }

    @Test
    void createPrincipalWhenMetadataHoldsANullThenSendsAndReadsItBack() {
        server.on("POST", "/v1/principals", 201, PRINCIPAL_JSON.replace("\"tier\":1", "\"oncall\":null"));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("oncall", null);

        Principal p = client.createPrincipal("billing-svc", "service", "", metadata);

        assertThat(tree(server.lastRequest().body()).get("metadata")).isEqualTo(json("{'oncall': null}"));
        assertThat(p.metadata()).containsEntry("oncall", null);
    }

    @Test
    void getPrincipalWhenAnswerHasUnknownFieldsThenIgnoresThem() {
        server.on("GET", "/v1/principals/billing-svc", 200,
                PRINCIPAL_JSON.replace("{\"name\"", "{\"added_in_v2\":{\"x\":[1,2]},\"name\""));

        Principal p = client.getPrincipal("billing-svc");

        assertThat(p.name()).isEqualTo("billing-svc");
        assertThat(p.kind()).isEqualTo("service");
    }

    @Test
    void listPrincipalsWhenEmptyThenReturnsEmptyList() {
        server.on("GET", "/v1/principals", 200, "{\"items\":[]}");

        assertThat(client.listPrincipals()).isEmpty();
    }

    @Test
    void getRoleWhenTimeHasAnOffsetThenConvertsToUtc() {
        server.on("GET", "/v1/roles/r", 200, ROLE_JSON.replace("2026-11-22T09:15:00Z", "2026-11-22T10:15:00+01:00"));

        assertThat(client.getRole("r").createdAt()).isEqualTo(Instant.parse("2026-11-22T09:15:00Z"));
    }

    @Test
    void callWhenBaseUriHasAPathThenKeepsThePrefix() {
        server.on("GET", "/keygate/v1/roles", 200, "{\"items\":[]}");
        try (KeygateClient prefixed = KeygateClient.builder()
                .baseUri(URI.create(server.baseUri() + "/keygate/"))
                .token(ADMIN)
                .build()) {

            prefixed.listRoles();
        }

        assertThat(server.lastRequest().rawPath()).isEqualTo("/keygate/v1/roles");
    }
}
