package dev.keygate.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.core.token.TokenFormat;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/tokens/lookup}: tokens by the SHA-256 of their secret, so that a scanner names what it found
 * without sending a secret anywhere.
 */
class TokenLookupApiTest extends EndToEndTest {

    @Test
    void lookupWhenSomeHashesMatchThenAnswersThoseTokensInTheOrderAskedEachOnce() {
        JsonNode live = minted("lookup-live");
        JsonNode revoked = minted("lookup-revoked");
        TestServer.expect(server.post("/v1/tokens/" + revoked.get("id").asText() + "/revoke", server.adminToken(),
                Map.of("reason", "test")), 200);
        String unknown = TokenFormat.hash(TokenFormat.mint("live", new SecureRandom()));
        String liveHash = TokenFormat.hash(live.get("token").asText());
        String revokedHash = TokenFormat.hash(revoked.get("token").asText());

        TestServer.Response r = server.post("/v1/tokens/lookup", server.adminToken(),
                Map.of("hashes", List.of(revokedHash, unknown, liveHash, revokedHash)));

        JsonNode items = TestServer.expect(r, 200).get("items");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).get("hash").asText()).isEqualTo(revokedHash);
        assertThat(items.get(0).get("id").asText()).isEqualTo(revoked.get("id").asText());
        assertThat(items.get(0).get("status").asText()).isEqualTo("revoked");
        assertThat(items.get(1).get("hash").asText()).isEqualTo(liveHash);
        JsonNode expected = TestServer.expect(server.get("/v1/tokens/" + live.get("id").asText(),
                server.adminToken()), 200).deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected).put("hash", liveHash);
        assertThat(items.get(1)).as("the Token as GET /v1/tokens/{id} shows it, with the hash").isEqualTo(expected);
        assertThat(r.text()).doesNotContain(live.get("token").asText());
    }

    @Test
    void lookupWhenNothingMatchesThenEmptyItems() {
        String unknown = TokenFormat.hash(TokenFormat.mint("live", new SecureRandom()));

        JsonNode r = TestServer.expect(server.post("/v1/tokens/lookup", server.adminToken(),
                Map.of("hashes", List.of(unknown))), 200);

        assertThat(r.get("items")).isEmpty();
    }

    @Test
    void lookupWhenHashesAreInvalidThen400NamingEach() {
        String good = "0".repeat(64);
        String admin = server.adminToken();
        List<String> many = new ArrayList<>(Collections.nCopies(501, good));

        RotationApiTest.assertValidationError(server.post("/v1/tokens/lookup", admin, Map.of("hashes", List.of())),
                "hashes");
        RotationApiTest.assertValidationError(server.post("/v1/tokens/lookup", admin, Map.of("hashes", many)),
                "hashes");
        RotationApiTest.assertValidationError(server.post("/v1/tokens/lookup", admin, Map.of()), "hashes");
        TestServer.Response bad = server.post("/v1/tokens/lookup", admin, Map.of("hashes",
                List.of(good, "A".repeat(64), "0".repeat(63), "g".repeat(64))));
        RotationApiTest.assertValidationError(bad, "hashes[1]");
        assertThat(bad.json().get("errors")).extracting(e -> e.get("field").asText())
                .containsExactly("hashes[1]", "hashes[2]", "hashes[3]");
        RotationApiTest.assertValidationError(server.send("POST", "/v1/tokens/lookup", admin,
                "{\"hashes\": [\"" + good + "\", null]}", "application/json"), "hashes[1]");
        RotationApiTest.assertValidationError(server.post("/v1/tokens/lookup", admin,
                Map.of("hashes", List.of(good), "tokens", List.of())), "tokens");
        RotationApiTest.assertValidationError(server.post("/v1/tokens/lookup", admin, Map.of("hashes", good)),
                "hashes");
    }

    /**
     * Regression: a body of JSON null read as no object, and every route that needs a body answered it with a 500.
     * (Where the body is optional, null still stands for none.)
     */
    @Test
    void postWhenBodyIsJsonNullThen400MalformedOnEveryRouteThatNeedsAnObject() {
        for (String path : List.of("/v1/tokens/lookup", "/v1/tokens", "/v1/roles", "/v1/verify", "/v1/principals",
                "/v1/explain")) {
            TestServer.Response r = server.send("POST", path, server.adminToken(), "null", "application/json");

            assertThat(r.status()).as(path + ": " + r.text()).isEqualTo(400);
            assertThat(r.json().get("code").asText()).as(path).isEqualTo("malformed_json");
        }
    }

    /** A secret sent where a hash belongs is refused and not quoted back. */
    @Test
    void lookupWhenGivenASecretInsteadOfAHashThen400WithoutEchoingIt() {
        String secret = minted("lookup-pasted").get("token").asText();

        TestServer.Response r = server.post("/v1/tokens/lookup", server.adminToken(),
                Map.of("hashes", List.of(secret)));

        RotationApiTest.assertValidationError(r, "hashes[0]");
        assertThat(r.text()).doesNotContain(secret.substring(secret.length() - 30));
    }

    @Test
    void lookupWhenCallerLacksTokensReadThen403() {
        String principal = server.newPrincipal("lookup-noread");
        String role = server.newRole("lookup-noread", "keygate.leaks:report", "keygate.tokens:revoke");
        String token = server.mint(principal, List.of(role), Map.of()).get("token").asText();

        TestServer.Response r = server.post("/v1/tokens/lookup", token,
                Map.of("hashes", Arrays.asList(TokenFormat.hash(token))));

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("detail").asText()).contains("keygate.tokens:read");
        assertThat(server.post("/v1/tokens/lookup", null, Map.of("hashes", List.of("0".repeat(64)))).status())
                .isEqualTo(401);
    }

    private static JsonNode minted(String base) {
        String principal = server.newPrincipal(base);
        return server.mint(principal, List.of(server.newRole(base, "orders.items:read")), Map.of());
    }
}
