package dev.keygate.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /v1/principals} end to end: creation and its validation, reads, and the permissions that guard them. */
class PrincipalApiTest extends EndToEndTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void createWhenOnlyNameAndKindThenReturns201WithDefaults() {
        TestServer.Response r = server.post("/v1/principals", server.adminToken(),
                Map.of("name", "defaults-svc", "kind", "service"));

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode p = r.json();
        assertThat(p.get("name").asText()).isEqualTo("defaults-svc");
        assertThat(p.get("kind").asText()).isEqualTo("service");
        assertThat(p.get("description").isTextual()).isTrue();
        assertThat(p.get("description").asText()).isEmpty();
        assertThat(p.get("metadata").isObject()).isTrue();
        assertThat(p.get("metadata").size()).isZero();
        assertThat(Instant.parse(p.get("created_at").asText())).isEqualTo(server.clock().instant());
    }

    @Test
    void createWhenMetadataIsNestedObjectThenItRoundTrips() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("team", "billing");
        metadata.put("owners", List.of("ana@example.com", "bo@example.com"));
        metadata.put("limits", Map.of("rps", 50, "burst", Map.of("max", 200, "enabled", true)));
        metadata.put("note", "");
        JsonNode expected = MAPPER.valueToTree(metadata);

        TestServer.Response created = server.post("/v1/principals", server.adminToken(), Map.of(
                "name", "nested-meta-svc", "kind", "integration", "description", "billing exporter",
                "metadata", metadata));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("description").asText()).isEqualTo("billing exporter");
        assertThat(created.json().get("metadata")).isEqualTo(expected);
        TestServer.Response got = server.get("/v1/principals/nested-meta-svc", server.adminToken());
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json().get("metadata")).isEqualTo(expected);
        assertThat(got.json().get("description").asText()).isEqualTo("billing exporter");
    }

    @ParameterizedTest
    @ValueSource(strings = {"service", "integration", "user"})
    void createWhenKindIsKnownThenKindIsKept(String kind) {
        String name = "kind-" + kind;

        TestServer.Response r = server.post("/v1/principals", server.adminToken(),
                Map.of("name", name, "kind", kind));

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().get("kind").asText()).isEqualTo(kind);
        assertThat(server.get("/v1/principals/" + name, server.adminToken()).json().get("kind").asText())
                .isEqualTo(kind);
    }

    @ParameterizedTest
    @ValueSource(strings = {"robot", "Service", "USER", ""})
    void createWhenKindInvalidThenReturns400NamingKind(String kind) {
        TestServer.Response r = server.post("/v1/principals", server.adminToken(),
                Map.of("name", "bad-kind-principal", "kind", kind));

        assertValidationFailure(r, "kind");
        assertThat(server.get("/v1/principals/bad-kind-principal", server.adminToken()).status()).isEqualTo(404);
    }

    static Stream<String> invalidNames() {
        return Stream.of("Bad Name", "a".repeat(129), "-x", ".x", "x/y", "bad+name", "UPPER", "");
    }

    @ParameterizedTest
    @MethodSource("invalidNames")
    void createWhenNameInvalidThenReturns400NamingName(String name) {
        TestServer.Response r = server.post("/v1/principals", server.adminToken(),
                Map.of("name", name, "kind", "service"));

        assertValidationFailure(r, "name");
    }

    @Test
    void createWhenNameHas128CharactersAndAllowedPunctuationThenReturns201() {
        String longest = "a".repeat(128);
        String punctuated = "ana.lopez@example.com";

        assertThat(server.post("/v1/principals", server.adminToken(), Map.of("name", longest, "kind", "user"))
                .status()).isEqualTo(201);
        assertThat(server.post("/v1/principals", server.adminToken(), Map.of("name", punctuated, "kind", "user"))
                .status()).isEqualTo(201);
        assertThat(server.get("/v1/principals/" + punctuated, server.adminToken()).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1,2]", "\"x\"", "3", "true"})
    void createWhenMetadataIsNotAnObjectThenReturns400NamingMetadata(String metadata) {
        String body = "{\"name\":\"not-object-meta\",\"kind\":\"service\",\"metadata\":" + metadata + "}";

        TestServer.Response r = server.post("/v1/principals", server.adminToken(), body);

        assertValidationFailure(r, "metadata");
        assertThat(server.get("/v1/principals/not-object-meta", server.adminToken()).status()).isEqualTo(404);
    }

    @Test
    void createWhenMetadataOver4KiBThenReturns400AndAt4KiBThenReturns201() {
        // {"blob":"…"} is 11 bytes around the value.
        Map<String, Object> atLimit = Map.of("blob", "a".repeat(4096 - 11));
        Map<String, Object> overLimit = Map.of("blob", "a".repeat(4096 - 10));

        TestServer.Response over = server.post("/v1/principals", server.adminToken(),
                Map.of("name", "meta-over", "kind", "service", "metadata", overLimit));
        TestServer.Response at = server.post("/v1/principals", server.adminToken(),
                Map.of("name", "meta-at-limit", "kind", "service", "metadata", atLimit));

        assertValidationFailure(over, "metadata");
        assertThat(over.json().get("errors").get(0).get("message").asText()).contains("4096");
        assertThat(at.status()).isEqualTo(201);
        assertThat(at.json().get("metadata").get("blob").asText()).hasSize(4096 - 11);
    }

    @Test
    void createWhenMetadataOver4KiBOnlyInUtf8BytesThenReturns400() {
        // 1400 characters of 3 bytes each: under 4096 characters, over 4096 bytes.
        Map<String, Object> metadata = Map.of("blob", "€".repeat(1400));

        TestServer.Response r = server.post("/v1/principals", server.adminToken(),
                Map.of("name", "meta-utf8", "kind", "service", "metadata", metadata));

        assertValidationFailure(r, "metadata");
    }

    @Test
    void createWhenDescriptionOver1000CharactersThenReturns400AndAt1000ThenReturns201() {
        TestServer.Response over = server.post("/v1/principals", server.adminToken(),
                Map.of("name", "desc-over", "kind", "service", "description", "d".repeat(1001)));
        TestServer.Response at = server.post("/v1/principals", server.adminToken(),
                Map.of("name", "desc-at-limit", "kind", "service", "description", "d".repeat(1000)));

        assertValidationFailure(over, "description");
        assertThat(at.status()).isEqualTo(201);
        assertThat(at.json().get("description").asText()).hasSize(1000);
    }

    @Test
    void createWhenSeveralFieldsInvalidThenOne400ListsEveryField() {
        // Metadata that was not an object used to be answered alone, hiding every other error.
        String body = "{\"name\":\"Bad Name\",\"kind\":\"robot\",\"description\":\"" + "d".repeat(1001)
                + "\",\"metadata\":[1,2]}";

        TestServer.Response r = server.post("/v1/principals", server.adminToken(), body);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("code").asText()).isEqualTo("validation_failed");
        assertThat(r.json().get("errors")).extracting(e -> e.get("field").asText())
                .containsExactlyInAnyOrder("name", "kind", "description", "metadata");
    }

    @Test
    void createWhenNameAndOversizedMetadataInvalidThenOne400ListsBoth() {
        TestServer.Response r = server.post("/v1/principals", server.adminToken(), Map.of(
                "name", "-bad", "kind", "service", "metadata", Map.of("blob", "a".repeat(5000))));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("errors")).extracting(e -> e.get("field").asText())
                .containsExactlyInAnyOrder("name", "metadata");
    }

    @Test
    void createWhenRequiredFieldsMissingThenReturns400NamingBoth() {
        TestServer.Response r = server.post("/v1/principals", server.adminToken(), Map.of());

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("errors")).extracting(e -> e.get("field").asText())
                .containsExactlyInAnyOrder("name", "kind");
    }

    @Test
    void createWhenUnknownFieldThenReturns400NamingIt() {
        TestServer.Response r = server.post("/v1/principals", server.adminToken(),
                Map.of("name", "unknown-field", "kind", "service", "roles", List.of("admin")));

        assertValidationFailure(r, "roles");
        assertThat(server.get("/v1/principals/unknown-field", server.adminToken()).status()).isEqualTo(404);
    }

    @Test
    void createWhenNameExistsThenReturns409AndKeepsTheFirst() {
        server.createPrincipal("dup-principal", "service");

        TestServer.Response r = server.post("/v1/principals", server.adminToken(),
                Map.of("name", "dup-principal", "kind", "user", "description", "second"));

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().get("code").asText()).isEqualTo("conflict");
        assertThat(r.json().get("detail").asText()).contains("dup-principal");
        JsonNode kept = server.get("/v1/principals/dup-principal", server.adminToken()).json();
        assertThat(kept.get("kind").asText()).isEqualTo("service");
        assertThat(kept.get("description").asText()).isEmpty();
    }

    @Test
    void listWhenPrincipalsExistThenSortedByNameIncludingAdmin() {
        server.createPrincipal("zz-list-last", "service");
        server.createPrincipal("aa-list-first", "user");
        server.createPrincipal("mm-list-middle", "integration");

        TestServer.Response r = server.get("/v1/principals", server.adminToken());

        assertThat(r.status()).isEqualTo(200);
        List<String> names = names(r.json().get("items"));
        assertThat(names).isSorted().doesNotHaveDuplicates()
                .contains("admin", "aa-list-first", "mm-list-middle", "zz-list-last");
        assertThat(names.indexOf("aa-list-first")).isLessThan(names.indexOf("mm-list-middle"));
        assertThat(names.indexOf("mm-list-middle")).isLessThan(names.indexOf("zz-list-last"));
        JsonNode admin = r.json().get("items").get(names.indexOf("admin"));
        assertThat(admin.get("kind").asText()).isEqualTo("user");
        assertThat(admin.get("metadata").isObject()).isTrue();
    }

    @Test
    void getWhenExistsThenReturns200WithThePrincipal() {
        JsonNode created = TestServer.expect(server.post("/v1/principals", server.adminToken(), Map.of(
                "name", "get-me", "kind", "integration", "description", "read back",
                "metadata", Map.of("k", "v"))), 201);

        TestServer.Response r = server.get("/v1/principals/get-me", server.adminToken());

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).isEqualTo(created);
    }

    @Test
    void getWhenUnknownThenReturns404Problem() {
        TestServer.Response r = server.get("/v1/principals/no-such-principal", server.adminToken());

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().get("code").asText()).isEqualTo("not_found");
        assertThat(r.json().get("status").asInt()).isEqualTo(404);
        assertThat(r.json().get("detail").asText()).contains("no-such-principal");
    }

    @Test
    void createWhenTokenLacksPrincipalsWriteThenReturns403AndCreatesNothing() {
        String token = server.principalWithToken("pr-roles-reader", "keygate.roles:read").get("token").asText();

        TestServer.Response r = server.post("/v1/principals", token,
                Map.of("name", "pr-not-created", "kind", "service"));

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().get("code").asText()).isEqualTo("forbidden");
        assertThat(r.json().get("detail").asText()).contains("keygate.principals:write");
        assertThat(server.get("/v1/principals/pr-not-created", server.adminToken()).status()).isEqualTo(404);
        // The same token may do what it holds: the 403 is about the permission, not the token.
        assertThat(server.get("/v1/roles", token).status()).isEqualTo(200);
    }

    @Test
    void readWhenTokenLacksPrincipalsReadThenReturns403() {
        String token = server.principalWithToken("pr-no-read", "keygate.roles:read").get("token").asText();
        String reader = server.principalWithToken("pr-reader", "keygate.principals:read").get("token").asText();

        TestServer.Response list = server.get("/v1/principals", token);
        TestServer.Response one = server.get("/v1/principals/admin", token);

        assertThat(list.status()).isEqualTo(403);
        assertThat(list.json().get("code").asText()).isEqualTo("forbidden");
        assertThat(one.status()).isEqualTo(403);
        assertThat(one.json().get("detail").asText()).contains("keygate.principals:read");
        assertThat(server.get("/v1/principals", reader).status()).isEqualTo(200);
        assertThat(server.get("/v1/principals/admin", reader).status()).isEqualTo(200);
        assertThat(server.post("/v1/principals", reader, Map.of("name", "pr-reader-write", "kind", "user"))
                .status()).isEqualTo(403);
    }

    private static void assertValidationFailure(TestServer.Response r, String field) {
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().get("code").asText()).isEqualTo("validation_failed");
        assertThat(r.json().get("errors")).extracting(e -> e.get("field").asText()).containsExactly(field);
    }

    private static List<String> names(JsonNode items) {
        return Stream.iterate(0, i -> i < items.size(), i -> i + 1).map(i -> items.get(i).get("name").asText())
                .toList();
    }
}
