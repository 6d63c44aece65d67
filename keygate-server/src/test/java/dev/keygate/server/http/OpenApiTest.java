package dev.keygate.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keygate.server.leak.LeakReportKeys;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document served by the server lists exactly the routes the router serves. */
class OpenApiTest extends EndToEndTest {

    @Test
    void openApiWhenServedThenListsEveryRouteAndNoOther() throws IOException {
        TestServer.Response r = server.get("/openapi.json", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode doc = new ObjectMapper().readTree(r.text());
        assertThat(doc.get("openapi").asText()).startsWith("3.1");

        Set<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next();
                if (Set.of("get", "put", "post", "delete", "patch").contains(method)) {
                    documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            }
        }
        Set<String> served = server.server().routes().stream()
                .map(route -> route.method().name() + " " + route.path())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(documented).isEqualTo(served);
    }

    @Test
    void openApiWhenAdminRouteThenDeclaresBearerAndPublicRoutesDeclareNone() throws IOException {
        JsonNode doc = new ObjectMapper().readTree(server.get("/openapi.json", null).text());
        for (Route route : server.server().routes()) {
            JsonNode op = doc.get("paths").get(route.path()).get(route.method().name().toLowerCase(Locale.ROOT));
            JsonNode security = op.get("security");
            if (route.admin()) {
                assertThat(security == null || !security.isEmpty()).as(route.path()).isTrue();
                assertThat(op.get("responses").has("401")).as("401 documented on " + route.path()).isTrue();
            } else {
                assertThat(security).as(route.path()).isNotNull();
                assertThat(security.isEmpty()).as(route.path()).isTrue();
            }
        }
    }

    /**
     * A route that takes GitHub's signature instead of a bearer token says so: the signature as the other security
     * alternative (both headers at once), the two headers as parameters; no other route offers it.
     */
    @Test
    void openApiWhenARouteTakesAPartnerSignatureThenItDeclaresGitHubsHeadersBesideTheBearer() throws IOException {
        JsonNode doc = new ObjectMapper().readTree(server.get("/openapi.json", null).text());
        JsonNode schemes = doc.at("/components/securitySchemes");
        assertThat(schemes.at("/githubKeyIdentifier/name").asText()).isEqualTo(LeakReportKeys.KEY_ID_HEADER);
        assertThat(schemes.at("/githubSignature/name").asText()).isEqualTo(LeakReportKeys.SIGNATURE_HEADER);
        List<String> signed = new ArrayList<>();
        for (Route route : server.server().routes()) {
            JsonNode op = doc.get("paths").get(route.path()).get(route.method().name().toLowerCase(Locale.ROOT));
            List<String> alternatives = op.has("security") ? op.get("security").valueStream()
                    .map(r -> String.join("+", (Iterable<String>) r::fieldNames)).toList() : List.of();
            if (route.access() == Route.Access.BEARER_OR_SIGNATURE) {
                signed.add(route.path());
                assertThat(alternatives).as(route.path()).containsExactly("bearer",
                        "githubKeyIdentifier+githubSignature");
                assertThat(op.get("parameters").valueStream().filter(p -> p.get("in").asText().equals("header"))
                        .map(p -> p.get("name").asText()).toList()).as(route.path())
                        .containsExactly(LeakReportKeys.KEY_ID_HEADER, LeakReportKeys.SIGNATURE_HEADER);
            } else {
                assertThat(alternatives).as(route.path()).noneMatch(a -> a.contains("github"));
            }
        }
        assertThat(signed).containsExactly("/v1/leaks");
    }

    /** Regression: a response pointed at {@code #/components/responses/Conflict}, which did not exist. */
    @Test
    void openApiWhenAnyReferenceThenItResolvesInTheDocument() throws IOException {
        JsonNode doc = new ObjectMapper().readTree(server.get("/openapi.json", null).text());
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);

        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).as("local reference").startsWith("#/");
            assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref + " resolves").isFalse();
        }
    }

    /** Regression: {@code last_used_ip} was served on tokens without being in the document's Token schema. */
    @Test
    void openApiWhenATokenHasEveryOptionalFieldThenEachFieldServedIsInTheTokenSchema() throws IOException {
        JsonNode schema = new ObjectMapper().readTree(server.get("/openapi.json", null).text())
                .at("/components/schemas/Token/properties");
        String principal = server.newPrincipal("openapi-token");
        String role = server.newRole("openapi-token", "openapi.docs:read");
        JsonNode minted = server.mint(principal, List.of(role), Map.of("name", "every field", "max_uses", 5,
                "rate_limit", Map.of("limit", 3, "window", "1m"), "allowed_cidrs", List.of("192.0.2.0/24"),
                "rotate_every", "7d", "metadata", Map.of("team", "docs")));
        String id = minted.get("id").asText();
        TestServer.expect(server.post("/v1/verify", null, Map.of("token", minted.get("token").asText(),
                "context", Map.of("ip", "192.0.2.9"))), 200);
        server.flushAudit();
        TestServer.expect(server.post("/v1/tokens/" + id + "/revoke", server.adminToken(),
                Map.of("reason", "done")), 200);

        JsonNode token = TestServer.expect(server.get("/v1/tokens/" + id, server.adminToken()), 200);

        assertThat(token.has("last_used_ip")).isTrue();
        List<String> served = new ArrayList<>();
        token.fieldNames().forEachRemaining(served::add);
        assertThat(served).allSatisfy(field -> assertThat(schema.has(field)).as(field + " in the Token schema")
                .isTrue());
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject() && node.has("$ref")) {
            refs.add(node.get("$ref").asText());
        }
        node.forEach(child -> collectRefs(child, refs));
    }
}
