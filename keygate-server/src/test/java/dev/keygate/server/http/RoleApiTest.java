package dev.keygate.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /v1/roles} end to end, and the behaviour every route shares: media type, body limit, strict JSON,
 * problem documents without internals, and {@code Cache-Control: no-store}.
 */
class RoleApiTest extends EndToEndTest {

    /** Text that would mean a Java exception, class name or stack frame leaked into a response. */
    private static final List<String> INTERNALS = List.of("Exception", "at dev.", "java.", "jackson", "javalin");

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

    // ---- PUT ---------------------------------------------------------------------------------------------

    @Test
    void updateWhenValidThenReplacesPermissionsAndDescriptionAndAdvancesUpdatedAt() {
        JsonNode created = createRole("upd-replace", "old", "billing.invoices:read", "billing.payments:read");
        server.clock().advance(Duration.ofMinutes(5));
        Instant later = server.clock().instant();

        TestServer.Response r = server.put("/v1/roles/upd-replace", server.adminToken(), Map.of(
                "description", "new", "permissions", List.of("reports.sales:read", "reports.sales:read")));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("name").asText()).isEqualTo("upd-replace");
        assertThat(r.json().get("description").asText()).isEqualTo("new");
        assertThat(permissions(r.json())).containsExactly("reports.sales:read");
        assertThat(r.json().get("created_at")).isEqualTo(created.get("created_at"));
        assertThat(Instant.parse(r.json().get("updated_at").asText())).isEqualTo(later)
                .isAfter(Instant.parse(created.get("updated_at").asText()));
        JsonNode got = server.get("/v1/roles/upd-replace", server.adminToken()).json();
        assertThat(got).isEqualTo(r.json());
    }

    @Test
    void updateWhenRoleUnknownThenReturns404Problem() {
        TestServer.Response r = server.put("/v1/roles/upd-no-such-role", server.adminToken(),
                Map.of("permissions", List.of("a:b")));

        assertProblem(r, 404, "not_found");
        assertThat(r.json().get("detail").asText()).contains("upd-no-such-role");
        assertThat(server.get("/v1/roles/upd-no-such-role", server.adminToken()).status()).isEqualTo(404);
    }

    @Test
    void updateWhenPermissionInvalidThenReturns400AndRoleIsUnchanged() {
        JsonNode before = createRole("upd-invalid", "kept", "billing.invoices:read");

        TestServer.Response r = server.put("/v1/roles/upd-invalid", server.adminToken(), Map.of(
                "description", "changed", "permissions", List.of("billing.invoices:write", "Billing:read")));

        assertProblem(r, 400, "validation_failed");
        assertThat(r.json().get("errors")).extracting(e -> e.get("field").asText()).containsExactly("permissions[1]");
        assertThat(server.get("/v1/roles/upd-invalid", server.adminToken()).json()).isEqualTo(before);
    }

    @Test
    void updateWhenPermissionsEmptyThenReturns400AndRoleIsUnchanged() {
        JsonNode before = createRole("upd-empty", "", "billing.invoices:read");

        TestServer.Response r = server.put("/v1/roles/upd-empty", server.adminToken(),
                Map.of("permissions", List.of()));

        assertProblem(r, 400, "validation_failed");
        assertThat(r.json().get("errors")).extracting(e -> e.get("field").asText()).containsExactly("permissions");
        assertThat(server.get("/v1/roles/upd-empty", server.adminToken()).json()).isEqualTo(before);
    }

    @Test
    void updateWhenHeldByLiveTokenAndNarrowingThenReturns200AndHolderLosesThePermission() {
        createRole("upd-narrow", "", "billing.invoices:read", "billing.invoices:write");
        String secret = mintHolding("upd-narrow-svc", "upd-narrow", null).get("token").asText();
        assertThat(server.verify(secret, "billing.invoices:write").get("code").asText()).isEqualTo("VALID");

        TestServer.Response r = server.put("/v1/roles/upd-narrow", server.adminToken(),
                Map.of("permissions", List.of("billing.invoices:read")));

        assertThat(r.status()).isEqualTo(200);
        assertThat(permissions(r.json())).containsExactly("billing.invoices:read");
        assertThat(server.verify(secret, "billing.invoices:write").get("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(server.verify(secret, "billing.invoices:read").get("code").asText()).isEqualTo("VALID");
    }

    @Test
    void updateWhenHeldByLiveTokenAndNewPermissionIsCoveredByOldThenReturns200() {
        createRole("upd-covered", "", "billing.*:read");
        mintHolding("upd-covered-svc", "upd-covered", null);

        TestServer.Response r = server.put("/v1/roles/upd-covered", server.adminToken(), Map.of(
                "description", "only invoices now", "permissions", List.of("billing.invoices:read")));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("description").asText()).isEqualTo("only invoices now");
        assertThat(permissions(r.json())).containsExactly("billing.invoices:read");
    }

    @Test
    void updateWhenHeldByLiveTokenAndWideningThenReturns409AndRoleIsUnchanged() {
        JsonNode before = createRole("upd-widen", "narrow", "billing.invoices:read");
        String secret = mintHolding("upd-widen-svc", "upd-widen", null).get("token").asText();

        TestServer.Response added = server.put("/v1/roles/upd-widen", server.adminToken(), Map.of(
                "permissions", List.of("billing.invoices:read", "billing.payments:write")));
        TestServer.Response wildcard = server.put("/v1/roles/upd-widen", server.adminToken(), Map.of(
                "description", "wider", "permissions", List.of("billing.*:read")));

        assertProblem(added, 409, "conflict");
        assertThat(added.json().get("detail").asText()).contains("held by").contains("live token")
                .contains("billing.payments:write");
        assertProblem(wildcard, 409, "conflict");
        assertThat(wildcard.json().get("detail").asText()).contains("live token").contains("billing.*:read");
        assertThat(server.get("/v1/roles/upd-widen", server.adminToken()).json()).isEqualTo(before);
        assertThat(server.verify(secret, "billing.payments:write").get("code").asText()).isEqualTo("FORBIDDEN");
    }

    @Test
    void updateWhenHoldingTokenRevokedThenWideningReturns200() {
        createRole("upd-revoked", "", "billing.invoices:read");
        String id = mintHolding("upd-revoked-svc", "upd-revoked", null).get("id").asText();
        Map<String, Object> wider = Map.of("permissions", List.of("billing.invoices:read", "billing.payments:read"));
        assertThat(server.put("/v1/roles/upd-revoked", server.adminToken(), wider).status()).isEqualTo(409);

        TestServer.expect(server.post("/v1/tokens/" + id + "/revoke", server.adminToken(), Map.of()), 200);
        TestServer.Response r = server.put("/v1/roles/upd-revoked", server.adminToken(), wider);

        assertThat(r.status()).isEqualTo(200);
        assertThat(permissions(r.json())).containsExactly("billing.invoices:read", "billing.payments:read");
    }

    @Test
    void updateWhenHoldingTokenExpiredThenWideningReturns200() {
        createRole("upd-expired", "", "billing.invoices:read");
        mintHolding("upd-expired-svc", "upd-expired", "1h");
        Map<String, Object> wider = Map.of("permissions", List.of("billing.invoices:read", "billing.payments:read"));
        server.clock().advance(Duration.ofMinutes(59));
        assertThat(server.put("/v1/roles/upd-expired", server.adminToken(), wider).status()).isEqualTo(409);

        server.clock().advance(Duration.ofMinutes(2));
        TestServer.Response r = server.put("/v1/roles/upd-expired", server.adminToken(), wider);

        assertThat(r.status()).isEqualTo(200);
        assertThat(permissions(r.json())).containsExactly("billing.invoices:read", "billing.payments:read");
    }

    // ---- DELETE ------------------------------------------------------------------------------------------

    @Test
    void deleteWhenRoleUnusedThenReturns204AndRoleIsGone() {
        createRole("del-unused", "", "a:b");

        TestServer.Response r = server.delete("/v1/roles/del-unused", server.adminToken());

        assertThat(r.status()).isEqualTo(204);
        assertThat(r.text()).isEmpty();
        assertThat(server.get("/v1/roles/del-unused", server.adminToken()).status()).isEqualTo(404);
        assertThat(names(server.get("/v1/roles", server.adminToken()).json())).doesNotContain("del-unused");
    }

    @Test
    void deleteWhenHeldByLiveTokenThenReturns409AndRoleStillExists() {
        JsonNode before = createRole("del-held", "", "a:b");
        mintHolding("del-held-svc", "del-held", null);

        TestServer.Response r = server.delete("/v1/roles/del-held", server.adminToken());

        assertProblem(r, 409, "conflict");
        assertThat(r.json().get("detail").asText()).contains("del-held").contains("live token");
        assertThat(server.get("/v1/roles/del-held", server.adminToken()).json()).isEqualTo(before);
    }

    @Test
    void deleteWhenHoldingTokensExpiredThenReturns204() {
        createRole("del-expired", "", "a:b");
        mintHolding("del-expired-svc", "del-expired", "30m");
        mintHolding("del-expired-svc2", "del-expired", "2h");
        server.clock().advance(Duration.ofHours(1));
        assertThat(server.delete("/v1/roles/del-expired", server.adminToken()).status()).isEqualTo(409);

        server.clock().advance(Duration.ofHours(1).plusSeconds(1));
        TestServer.Response r = server.delete("/v1/roles/del-expired", server.adminToken());

        assertThat(r.status()).isEqualTo(204);
        assertThat(server.get("/v1/roles/del-expired", server.adminToken()).status()).isEqualTo(404);
    }

    @Test
    void deleteWhenHoldingTokenRevokedThenReturns204() {
        createRole("del-revoked", "", "a:b");
        String id = mintHolding("del-revoked-svc", "del-revoked", null).get("id").asText();
        TestServer.expect(server.post("/v1/tokens/" + id + "/revoke", server.adminToken(), Map.of()), 200);

        TestServer.Response r = server.delete("/v1/roles/del-revoked", server.adminToken());

        assertThat(r.status()).isEqualTo(204);
        assertThat(server.get("/v1/roles/del-revoked", server.adminToken()).status()).isEqualTo(404);
    }

    @Test
    void deleteWhenRoleUnknownThenReturns404Problem() {
        TestServer.Response r = server.delete("/v1/roles/del-no-such-role", server.adminToken());

        assertProblem(r, 404, "not_found");
        assertThat(r.json().get("detail").asText()).contains("del-no-such-role");
    }

    // ---- permissions ---------------------------------------------------------------------------------------

    @Test
    void writeWhenTokenLacksRolesWriteThenReturns403AndChangesNothing() {
        JsonNode target = createRole("perm-write-target", "untouched", "a:b");
        String token = server.principalWithToken("perm-roles-reader", "keygate.roles:read").get("token").asText();

        TestServer.Response post = server.post("/v1/roles", token,
                Map.of("name", "perm-not-created", "permissions", List.of("a:b")));
        TestServer.Response put = server.put("/v1/roles/perm-write-target", token,
                Map.of("description", "changed", "permissions", List.of("c:d")));
        TestServer.Response delete = server.delete("/v1/roles/perm-write-target", token);

        for (TestServer.Response r : List.of(post, put, delete)) {
            assertProblem(r, 403, "forbidden");
            assertThat(r.json().get("detail").asText()).contains("keygate.roles:write");
        }
        assertThat(server.get("/v1/roles/perm-not-created", server.adminToken()).status()).isEqualTo(404);
        assertThat(server.get("/v1/roles/perm-write-target", server.adminToken()).json()).isEqualTo(target);
        assertThat(server.get("/v1/roles/perm-write-target", token).status()).isEqualTo(200);
    }

    @Test
    void readWhenTokenLacksRolesReadThenReturns403() {
        createRole("perm-read-target", "", "a:b");
        String token = server.principalWithToken("perm-roles-writer", "keygate.roles:write").get("token").asText();

        TestServer.Response list = server.get("/v1/roles", token);
        TestServer.Response one = server.get("/v1/roles/perm-read-target", token);

        for (TestServer.Response r : List.of(list, one)) {
            assertProblem(r, 403, "forbidden");
            assertThat(r.json().get("detail").asText()).contains("keygate.roles:read");
        }
        assertThat(server.post("/v1/roles", token, Map.of("name", "perm-writer-can", "permissions",
                List.of("a:b"))).status()).isEqualTo(201);
    }

    // ---- what every route shares -------------------------------------------------------------------------

    @Test
    void createWhenContentTypeIsTextPlainThenReturns415Problem() {
        TestServer.Response r = server.send("POST", "/v1/roles", server.adminToken(),
                "{\"name\":\"media-plain\",\"permissions\":[\"a:b\"]}", "text/plain");

        assertProblem(r, 415, "unsupported_media_type");
        assertNoInternals(r);
        assertThat(server.get("/v1/roles/media-plain", server.adminToken()).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/jsonx", "application/json-seq", "application/merge-patch+json", "text/json",
            "application/x-www-form-urlencoded"})
    void createWhenContentTypeIsNotApplicationJsonThenReturns415(String contentType) {
        // A prefix test on "application/json" used to let application/jsonx and application/json-seq through.
        String name = "media-" + contentType.replaceAll("[^a-z0-9]", "-");
        TestServer.Response r = server.send("POST", "/v1/roles", server.adminToken(),
                "{\"name\":\"" + name + "\",\"permissions\":[\"a:b\"]}", contentType);

        assertProblem(r, 415, "unsupported_media_type");
        assertThat(server.get("/v1/roles/" + name, server.adminToken()).status()).isEqualTo(404);
    }

    @Test
    void createWhenContentTypeMissingThenReturns415() {
        TestServer.Response r = server.send("POST", "/v1/roles", server.adminToken(),
                "{\"name\":\"media-none\",\"permissions\":[\"a:b\"]}", null);

        assertProblem(r, 415, "unsupported_media_type");
        assertThat(server.get("/v1/roles/media-none", server.adminToken()).status()).isEqualTo(404);
    }

    @Test
    void createWhenContentTypeIsJsonWithParametersThenReturns201() {
        TestServer.Response r = server.send("POST", "/v1/roles", server.adminToken(),
                "{\"name\":\"media-charset\",\"permissions\":[\"a:b\"]}", "Application/JSON ; charset=UTF-8");

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().get("name").asText()).isEqualTo("media-charset");
    }

    @Test
    void createWhenJsonIsTruncatedThenReturns400MalformedJson() {
        TestServer.Response r = server.send("POST", "/v1/roles", server.adminToken(), "{\"name\":",
                "application/json");

        assertProblem(r, 400, "malformed_json");
        assertNoInternals(r);
    }

    @Test
    void createWhenBodyIsJsonArrayThenReturns400MalformedJson() {
        TestServer.Response r = server.send("POST", "/v1/roles", server.adminToken(),
                "[{\"name\":\"array-body\",\"permissions\":[\"a:b\"]}]", "application/json");

        assertProblem(r, 400, "malformed_json");
        assertNoInternals(r);
        assertThat(server.get("/v1/roles/array-body", server.adminToken()).status()).isEqualTo(404);
    }

    @Test
    void createWhenJsonHasDuplicateKeysThenReturns400AndCreatesNothing() {
        TestServer.Response r = server.send("POST", "/v1/roles", server.adminToken(),
                "{\"name\":\"dupkey-a\",\"name\":\"dupkey-b\",\"permissions\":[\"a:b\"]}", "application/json");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertNoInternals(r);
        assertThat(server.get("/v1/roles/dupkey-a", server.adminToken()).status()).isEqualTo(404);
        assertThat(server.get("/v1/roles/dupkey-b", server.adminToken()).status()).isEqualTo(404);
    }

    @Test
    void createWhenNumberGivenForNameThenReturns400NamingName() {
        TestServer.Response r = server.send("POST", "/v1/roles", server.adminToken(),
                "{\"name\":5,\"permissions\":[\"a:b\"]}", "application/json");

        assertProblem(r, 400, "validation_failed");
        assertThat(r.json().get("errors")).extracting(e -> e.get("field").asText()).containsExactly("name");
        assertNoInternals(r);
        assertThat(server.get("/v1/roles/5", server.adminToken()).status()).isEqualTo(404);
    }

    @Test
    void createWhenStringGivenForPermissionsThenReturns400NamingPermissions() {
        TestServer.Response r = server.send("POST", "/v1/roles", server.adminToken(),
                "{\"name\":\"string-perms\",\"permissions\":\"a:b\"}", "application/json");

        assertProblem(r, 400, "validation_failed");
        assertThat(r.json().get("errors")).extracting(e -> e.get("field").asText()).containsExactly("permissions");
        assertNoInternals(r);
    }

    @Test
    void createWhenMaxTtlGivenThenShownAndUpdatableAndInvalidOnesRefused() {
        TestServer.Response created = server.post("/v1/roles", server.adminToken(), Map.of("name", "short-lived",
                "permissions", List.of("a:b"), "max_ttl", "1h"));
        TestServer.Response invalid = server.post("/v1/roles", server.adminToken(), Map.of("name", "bad-cap",
                "permissions", List.of("a:b"), "max_ttl", "forever"));
        TestServer.Response kept = server.put("/v1/roles/short-lived", server.adminToken(),
                Map.of("permissions", List.of("a:b")));
        TestServer.Response changed = server.put("/v1/roles/short-lived", server.adminToken(),
                Map.of("permissions", List.of("a:b"), "max_ttl", "90m"));

        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.json().get("max_ttl").asText()).isEqualTo("1h");
        assertThat(server.post("/v1/roles", server.adminToken(), Map.of("name", "no-cap",
                "permissions", List.of("a:b"))).json().has("max_ttl")).isFalse();
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("errors")).extracting(e -> e.get("field").asText()).containsExactly("max_ttl");
        assertThat(server.get("/v1/roles/bad-cap", server.adminToken()).status()).isEqualTo(404);
        assertThat(kept.json().get("max_ttl").asText()).as("absent from a PUT: unchanged").isEqualTo("1h");
        assertThat(changed.json().get("max_ttl").asText()).isEqualTo("90m");
        assertThat(server.get("/v1/roles/short-lived", server.adminToken()).json().get("max_ttl").asText())
                .isEqualTo("90m");
    }

    @Test
    void createWhenBodyOver64KiBThenReturns413Problem() {
        // 413, 404 (route) and 405 used to be Javalin's plain-text answers: its built-in handler for its own
        // HttpResponseException took precedence over the problem mapper registered for Exception.
        String body = "{\"name\":\"too-big\",\"description\":\"" + "d".repeat(65 * 1024)
                + "\",\"permissions\":[\"a:b\"]}";

        TestServer.Response r = server.send("POST", "/v1/roles", server.adminToken(), body, "application/json");

        assertProblem(r, 413, "payload_too_large");
        assertNoInternals(r);
        assertThat(server.get("/v1/roles/too-big", server.adminToken()).status()).isEqualTo(404);
    }

    @Test
    void createWhenBodyFarOverTheLimitThenClientReadsThe413NotAReset() {
        // The server answered before reading the body, and a client still sending it could see the connection
        // reset instead of the answer; it now reads and drops up to 1 MiB first.
        String body = "{\"name\":\"far-too-big\",\"description\":\"" + "d".repeat(900 * 1024) + "\"}";

        for (int i = 0; i < 5; i++) {
            TestServer.Response r = server.send("POST", "/v1/roles", server.adminToken(), body, "application/json");
            assertProblem(r, 413, "payload_too_large");
        }
    }

    @Test
    void createWhenBodyChunkedWithoutLengthThenReadAndOver64KiBRefusedWith413() throws Exception {
        // A body sent in chunks has no Content-Length: the size limit must hold all the same.
        String small = "{\"name\":\"chunked-ok\",\"permissions\":[\"a:b\"]}";
        String big = "{\"name\":\"chunked-big\",\"description\":\"" + "d".repeat(65 * 1024)
                + "\",\"permissions\":[\"a:b\"]}";

        HttpResponse<String> ok = postChunked("/v1/roles", small);
        HttpResponse<String> tooBig = postChunked("/v1/roles", big);

        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(tooBig.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(server.get("/v1/roles/chunked-big", server.adminToken()).status()).isEqualTo(404);
    }

    private static HttpResponse<String> postChunked(String path, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(server.baseUri().resolve(path))
                .header("Authorization", "Bearer " + server.adminToken())
                .header("Content-Type", "application/json")
                // An input stream publisher has no length, so the client sends Transfer-Encoding: chunked.
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
                .build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void requestWhenRouteUnknownThenReturns404Problem() {
        TestServer.Response r = server.get("/v1/nope", server.adminToken());

        assertProblem(r, 404, "not_found");
        assertNoInternals(r);
    }

    @Test
    void requestWhenMethodNotServedOnRouteThenReturns405Problem() {
        TestServer.Response r = server.send("PATCH", "/v1/roles", server.adminToken(),
                "{\"name\":\"patched\",\"permissions\":[\"a:b\"]}", "application/json");

        // The server prefers 405 over 404 when the path exists for other methods.
        assertProblem(r, 405, "method_not_allowed");
        assertNoInternals(r);
        assertThat(server.get("/v1/roles/patched", server.adminToken()).status()).isEqualTo(404);
    }

    @Test
    void responsesWhenAnyOutcomeThenCarryCacheControlNoStore() {
        createRole("cache-role", "", "a:b");
        String noWrite = server.principalWithToken("cache-reader", "keygate.roles:read").get("token").asText();
        Map<String, TestServer.Response> responses = new LinkedHashMap<>();
        responses.put("201", server.post("/v1/roles", server.adminToken(),
                Map.of("name", "cache-created", "permissions", List.of("a:b"))));
        responses.put("200", server.get("/v1/roles/cache-role", server.adminToken()));
        responses.put("200 put", server.put("/v1/roles/cache-role", server.adminToken(),
                Map.of("permissions", List.of("a:b"))));
        responses.put("204", server.delete("/v1/roles/cache-created", server.adminToken()));
        responses.put("400", server.post("/v1/roles", server.adminToken(), Map.of("name", "Bad")));
        responses.put("401", server.get("/v1/roles", null));
        responses.put("403", server.delete("/v1/roles/cache-role", noWrite));
        responses.put("404", server.get("/v1/roles/cache-missing", server.adminToken()));
        responses.put("404 route", server.get("/v1/nope", server.adminToken()));
        responses.put("405", server.send("PATCH", "/v1/roles", server.adminToken(), "{}", "application/json"));
        responses.put("409", server.post("/v1/roles", server.adminToken(),
                Map.of("name", "cache-role", "permissions", List.of("a:b"))));
        responses.put("413", server.send("POST", "/v1/roles", server.adminToken(),
                "{\"name\":\"" + "n".repeat(70 * 1024) + "\"}", "application/json"));
        responses.put("415", server.send("POST", "/v1/roles", server.adminToken(), "{}", "text/plain"));
        responses.put("healthz", server.get("/healthz", null));

        assertThat(responses).allSatisfy((what, r) -> assertThat(r.header("Cache-Control"))
                .as("Cache-Control of the %s response (status %d)", what, r.status()).isEqualTo("no-store"));
        assertThat(responses.values()).extracting(TestServer.Response::status)
                .containsExactly(201, 200, 200, 204, 400, 401, 403, 404, 404, 405, 409, 413, 415, 200);
    }

    @Test
    void errorBodiesWhenRequestFailsThenHoldNoJavaInternals() {
        createRole("internals-role", "", "a:b");
        List<TestServer.Response> failures = new ArrayList<>();
        failures.add(server.send("POST", "/v1/roles", server.adminToken(), "{\"name\": [", "application/json"));
        failures.add(server.send("POST", "/v1/roles", server.adminToken(), "{\"name\":{\"x\":1},\"permissions\":[1]}",
                "application/json"));
        failures.add(server.send("POST", "/v1/roles", server.adminToken(), "\"just a string\"", "application/json"));
        failures.add(server.send("POST", "/v1/roles", server.adminToken(), "{\"name\":\"a\"} trailing",
                "application/json"));
        failures.add(server.send("POST", "/v1/roles", server.adminToken(), "{\"permissions\":[null]}",
                "application/json"));
        failures.add(server.post("/v1/roles", server.adminToken(),
                Map.of("name", "internals-x", "permissions", List.of("billing.*.x:read"))));
        failures.add(server.get("/v1/roles/internals-missing", server.adminToken()));
        failures.add(server.get("/v1/nope/deeper", server.adminToken()));
        failures.add(server.post("/v1/roles", server.adminToken(),
                Map.of("name", "internals-role", "permissions", List.of("a:b"))));
        failures.add(server.send("POST", "/v1/roles", server.adminToken(),
                "{\"description\":\"" + "d".repeat(100 * 1024) + "\"}", "application/json"));
        failures.add(server.send("POST", "/v1/roles", server.adminToken(), "name=x",
                "application/x-www-form-urlencoded"));

        assertThat(failures).extracting(TestServer.Response::status)
                .containsExactly(400, 400, 400, 400, 400, 400, 404, 404, 409, 413, 415);
        for (TestServer.Response r : failures) {
            assertThat(r.header("Content-Type")).startsWith("application/problem+json");
            assertThat(r.json().get("status").asInt()).isEqualTo(r.status());
            assertThat(r.json().get("type").asText()).startsWith("urn:keygate:problem:");
            assertNoInternals(r);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private static JsonNode createRole(String name, String description, String... permissions) {
        return TestServer.expect(server.post("/v1/roles", server.adminToken(), Map.of("name", name,
                "description", description, "permissions", List.of(permissions))), 201);
    }

    /** A new principal and a token holding {@code role} (ttl {@code null} for the default); the creation response. */
    private static JsonNode mintHolding(String principal, String role, String ttl) {
        server.createPrincipal(principal, "service");
        return server.mint(principal, List.of(role), ttl == null ? Map.of() : Map.of("ttl", ttl));
    }

    private static void assertProblem(TestServer.Response r, int status, String code) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().get("status").asInt()).isEqualTo(status);
        assertThat(r.json().get("code").asText()).isEqualTo(code);
    }

    private static void assertNoInternals(TestServer.Response r) {
        for (String internal : INTERNALS) {
            assertThat(r.text()).as("response %d", r.status()).doesNotContain(internal);
        }
    }

    private static List<String> permissions(JsonNode role) {
        List<String> out = new ArrayList<>();
        role.get("permissions").forEach(p -> out.add(p.asText()));
        return out;
    }

    private static List<String> names(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("items").forEach(i -> out.add(i.get("name").asText()));
        return out;
    }
}
