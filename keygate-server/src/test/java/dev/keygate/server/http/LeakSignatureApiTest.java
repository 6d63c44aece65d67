package dev.keygate.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.core.token.TokenFormat;
import dev.keygate.server.leak.LeakService;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.GitHubKeys;
import dev.keygate.server.testing.LogCapture;
import dev.keygate.server.testing.StoreKind;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/leaks} sent straight by GitHub's secret-scanning partner program: no bearer token, the raw body
 * signed with ECDSA P-256 by a key of the {@code --leak-report-keys} file, named in {@code Github-Public-Key-Identifier},
 * the signature in {@code Github-Public-Key-Signature}. A valid signature is handled as a report with a bearer token
 * is; anything else is a 401 naming the problem, with nothing revoked. Exactly one of the two credentials applies.
 */
class LeakSignatureApiTest extends EndToEndTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String KEY_ID = "Github-Public-Key-Identifier";
    private static final String SIGNATURE = "Github-Public-Key-Signature";
    /** The key GitHub signs with now, and one it signed with before, both in the keys file. */
    private static final GitHubKeys.Key CURRENT = GitHubKeys.generate(true);
    private static final GitHubKeys.Key PREVIOUS = GitHubKeys.generate(false);
    /** A key the keys file does not hold. */
    private static final GitHubKeys.Key STRANGER = GitHubKeys.generate(true);

    /** A server started with the keys file; the inherited {@code server} has none. */
    private static TestServer signed;

    @BeforeParameterizedClassInvocation
    static void startSignedServer(StoreKind store) {
        String file = GitHubKeys.write(GitHubKeys.file(PREVIOUS, CURRENT)).toString();
        signed = TestServer.start(store, b -> b.leakReportKeys(file));
    }

    @AfterParameterizedClassInvocation
    static void stopSignedServer() {
        if (signed != null) {
            signed.close();
            signed = null;
        }
    }

    @Test
    void reportWhenSignedByGitHubWithoutABearerTokenThenRevokedAsLeakedAndThePartnerIsTheActor() {
        JsonNode parent = minted(signed, "signed-parent", "orders.items:read", "keygate.tokens:create");
        String childRole = signed.newRole("signed-child", "orders.items:read");
        JsonNode child = TestServer.expect(signed.post("/v1/tokens", parent.get("token").asText(), Map.of(
                "principal", parent.get("principal").asText(), "roles", List.of(childRole), "child", true)), 201);
        // As GitHub sends it: its own key order and spacing, which a re-serialised body would not keep.
        byte[] body = ("[{\"source\":\"content\",\"token\":\"" + parent.get("token").asText() + "\",\"type\":"
                + "\"keygate_api_token\",\"url\":\"https://github.com/octo/app/blob/4b5d1c2/config/prod.yml\"}]\n")
                .getBytes(StandardCharsets.UTF_8);

        TestServer.Response r = signed.send("POST", "/v1/leaks", github(CURRENT.id(), CURRENT.sign(body)), body);

        assertThat(r.status()).as(r.text()).isEqualTo(202);
        assertThat(r.text()).isEqualTo("{\"received\":1}");
        for (JsonNode t : List.of(parent, child)) {
            assertThat(signed.verify(t.get("token").asText(), null).get("code").asText()).isEqualTo("REVOKED");
            JsonNode stored = TestServer.expect(signed.get("/v1/tokens/" + id(t), signed.adminToken()), 200);
            assertThat(stored.get("revoke_reason").asText()).isEqualTo("leaked");
            assertThat(stored.has("revoked_by")).as("no token revoked it").isFalse();
        }
        JsonNode leaked = events(signed, id(parent), "token.leaked");
        assertThat(leaked).hasSize(1);
        assertThat(leaked.get(0).get("actor_principal").asText()).isEqualTo(LeakService.GITHUB_PRINCIPAL)
                .isEqualTo("github-secret-scanning");
        assertThat(leaked.get(0).has("actor_token_id")).isFalse();
        assertThat(leaked.get(0).get("permission").asText()).isEqualTo("keygate.leaks:report");
        assertThat(leaked.get(0).get("detail").asText()).isEqualTo("type=keygate_api_token source=content "
                + "url=https://github.com/octo/app/blob/4b5d1c2/config/prod.yml revoked=2 signature_key_id="
                + CURRENT.id());
        for (JsonNode t : List.of(parent, child)) {
            JsonNode revoke = events(signed, id(t), "token.revoke").get(0);
            assertThat(revoke.get("actor_principal").asText()).isEqualTo("github-secret-scanning");
            assertThat(revoke.has("actor_token_id")).isFalse();
        }
        JsonNode partnerEvents = TestServer.expect(signed.get("/v1/audit?principal=github-secret-scanning&limit=100",
                signed.adminToken()), 200).get("items");
        assertThat(partnerEvents.valueStream().map(e -> e.get("action").asText()).toList())
                .contains("token.leaked", "token.revoke");
        assertThat(TestServer.expect(signed.get("/v1/audit/verify", signed.adminToken()), 200).get("intact")
                .asBoolean()).isTrue();
    }

    /** GitHub keeps publishing a key it stopped signing with while reports it signed may still be on their way. */
    @Test
    void reportWhenSignedWithAKeyNoLongerCurrentThenAccepted() {
        JsonNode t = minted(signed, "signed-previous", "orders.items:read");
        byte[] body = report(t.get("token").asText());

        TestServer.Response r = signed.send("POST", "/v1/leaks", github(PREVIOUS.id(), PREVIOUS.sign(body)), body);

        assertThat(r.status()).as(r.text()).isEqualTo(202);
        assertThat(signed.verify(t.get("token").asText(), null).get("code").asText()).isEqualTo("REVOKED");
        assertThat(events(signed, id(t), "token.leaked").get(0).get("detail").asText())
                .endsWith(" signature_key_id=" + PREVIOUS.id());
    }

    @Test
    void reportWhenTheSignatureDoesNotMatchTheBodyOrTheKeyThen401AndTheTokenStaysLive() {
        JsonNode t = minted(signed, "signed-mismatch", "orders.items:read");
        String secret = t.get("token").asText();
        byte[] body = report(secret);
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("\"source\":\"content\"",
                "\"source\":\"commit\"").getBytes(StandardCharsets.UTF_8);
        byte[] garbage = new byte[70];
        RANDOM.nextBytes(garbage);

        List<TestServer.Response> refused = List.of(
                // Signed by a key that is not the one named.
                signed.send("POST", "/v1/leaks", github(CURRENT.id(), STRANGER.sign(body)), body),
                signed.send("POST", "/v1/leaks", github(CURRENT.id(), PREVIOUS.sign(body)), body),
                // The body changed after it was signed.
                signed.send("POST", "/v1/leaks", github(CURRENT.id(), CURRENT.sign(body)), tampered),
                // A signature of another report.
                signed.send("POST", "/v1/leaks", github(CURRENT.id(), CURRENT.sign(report(secret + "x"))), body),
                // Base64, but not a signature at all.
                signed.send("POST", "/v1/leaks", github(CURRENT.id(), Base64.getEncoder().encodeToString(garbage)),
                        body));

        for (TestServer.Response r : refused) {
            assertUnauthenticated(r, "the signature does not match the body and the key named");
        }
        assertNothingDone(t);
    }

    @Test
    void reportWhenTheKeyIdentifierIsUnknownThen401NamingItAndTheRefusalIsLoggedOnce() {
        JsonNode t = minted(signed, "signed-unknown-key", "orders.items:read");
        byte[] body = report(t.get("token").asText());
        // Past the once-a-minute bound of the warning, whatever an earlier test logged.
        signed.clock().advance(Duration.ofMinutes(2));

        try (LogCapture logs = LogCapture.attach()) {
            TestServer.Response first = signed.send("POST", "/v1/leaks", github(STRANGER.id(), STRANGER.sign(body)),
                    body);
            TestServer.Response second = signed.send("POST", "/v1/leaks", github("", CURRENT.sign(body)), body);

            assertUnauthenticated(first, "Github-Public-Key-Identifier names no key this server knows");
            assertUnauthenticated(second, "Github-Public-Key-Identifier names no key this server knows");
            assertThat(logs.text()).contains("a leak report signed with key '" + STRANGER.id() + "' was refused")
                    .contains("https://api.github.com/meta/public_keys/secret_scanning");
            assertThat(logs.text().split("was refused", -1)).as("logged once a minute at most").hasSize(2);
        }
        assertNothingDone(t);
    }

    @Test
    void reportWhenTheSignatureIsNotBase64Then401() {
        JsonNode t = minted(signed, "signed-not-base64", "orders.items:read");
        byte[] body = report(t.get("token").asText());

        TestServer.Response r = signed.send("POST", "/v1/leaks", github(CURRENT.id(), "not*base64!"), body);

        assertUnauthenticated(r, "Github-Public-Key-Signature is not base64");
        assertNothingDone(t);
    }

    /** Exactly one credential applies: one GitHub header is not a signature, and a bearer token does not make up for it. */
    @Test
    void reportWhenOnlyOneGitHubHeaderIsSentThen401EvenWithAValidBearerToken() {
        JsonNode t = minted(signed, "signed-one-header", "orders.items:read");
        byte[] body = report(t.get("token").asText());
        String reporter = LeakApiTest.reporter(signed);

        List<TestServer.Response> refused = List.of(
                signed.send("POST", "/v1/leaks", headers(KEY_ID, CURRENT.id()), body),
                signed.send("POST", "/v1/leaks", headers(SIGNATURE, CURRENT.sign(body)), body),
                signed.send("POST", "/v1/leaks", headers(KEY_ID, CURRENT.id(), "Authorization", "Bearer " + reporter),
                        body),
                signed.send("POST", "/v1/leaks", headers(SIGNATURE, CURRENT.sign(body), "Authorization",
                        "Bearer " + reporter), body));

        assertUnauthenticated(refused.get(0), "a signed leak report needs both Github-Public-Key-Identifier and "
                + "Github-Public-Key-Signature");
        assertUnauthenticated(refused.get(1), "a signed leak report needs both Github-Public-Key-Identifier and "
                + "Github-Public-Key-Signature");
        assertUnauthenticated(refused.get(2), "give either a bearer token or GitHub's signature headers, not both");
        assertUnauthenticated(refused.get(3), "give either a bearer token or GitHub's signature headers, not both");
        assertNothingDone(t);
    }

    @Test
    void reportWhenBothAValidSignatureAndAValidBearerTokenAreSentThen401() {
        JsonNode t = minted(signed, "signed-both", "orders.items:read");
        byte[] body = report(t.get("token").asText());
        Map<String, String> both = github(CURRENT.id(), CURRENT.sign(body));
        both.put("Authorization", "Bearer " + LeakApiTest.reporter(signed));

        TestServer.Response r = signed.send("POST", "/v1/leaks", both, body);

        assertUnauthenticated(r, "give either a bearer token or GitHub's signature headers, not both");
        assertNothingDone(t);
    }

    @Test
    void reportWhenTheServerHasNoKeysAndGitHubHeadersAreSentThen401() {
        JsonNode t = minted(server, "unsigned-server", "orders.items:read");
        byte[] body = report(t.get("token").asText());

        TestServer.Response r = server.send("POST", "/v1/leaks", github(CURRENT.id(), CURRENT.sign(body)), body);

        assertUnauthenticated(r, "this server does not accept signed leak reports; report with a bearer token "
                + "holding keygate.leaks:report");
        assertNothingDone(server, t);
    }

    /** With keys configured, a request without GitHub's headers is a bearer request as before, beside signed ones. */
    @Test
    void reportWhenKeysAreConfiguredAndNoGitHubHeadersAreSentThenTheBearerTokenIsRequiredAsBefore() {
        JsonNode byBearer = minted(signed, "signed-bearer", "orders.items:read");
        JsonNode bySignature = minted(signed, "signed-beside-bearer", "orders.items:read");
        byte[] body = report(byBearer.get("token").asText());
        byte[] signedBody = report(bySignature.get("token").asText());
        String reporter = LeakApiTest.reporter(signed);

        TestServer.Response anonymous = signed.send("POST", "/v1/leaks", headers(), body);
        TestServer.Response bearer = signed.send("POST", "/v1/leaks", headers("Authorization", "Bearer " + reporter),
                body);
        TestServer.Response signature = signed.send("POST", "/v1/leaks", github(CURRENT.id(),
                CURRENT.sign(signedBody)), signedBody);

        assertUnauthenticated(anonymous, "an Authorization: Bearer token is required");
        assertThat(bearer.status()).as(bearer.text()).isEqualTo(202);
        assertThat(signature.status()).as(signature.text()).isEqualTo(202);
        JsonNode stored = TestServer.expect(signed.get("/v1/tokens/" + id(byBearer), signed.adminToken()), 200);
        assertThat(stored.get("revoked_by").asText()).isEqualTo(signed.verify(reporter, null).get("token_id")
                .asText());
        JsonNode leaked = events(signed, id(byBearer), "token.leaked").get(0);
        assertThat(leaked.get("actor_principal").asText()).startsWith("leak-reporter-");
        assertThat(leaked.get("detail").asText()).doesNotContain("signature_key_id");
        assertThat(events(signed, id(bySignature), "token.leaked").get(0).get("actor_principal").asText())
                .isEqualTo("github-secret-scanning");
    }

    /**
     * GitHub's signature carries no time, so a captured report can be sent again: it revokes nothing more (the
     * token stays revoked by the first, with its reason), and is recorded again.
     */
    @Test
    void reportWhenASignedReportIsReplayedThenNothingMoreIsRevokedAndTheReportIsRecordedAgain() {
        JsonNode t = minted(signed, "signed-replay", "orders.items:read");
        byte[] body = report(t.get("token").asText());
        Map<String, String> headers = github(CURRENT.id(), CURRENT.sign(body));
        TestServer.expect(signed.send("POST", "/v1/leaks", headers, body), 202);
        JsonNode first = TestServer.expect(signed.get("/v1/tokens/" + id(t), signed.adminToken()), 200);
        signed.clock().advance(Duration.ofMinutes(5));

        TestServer.Response replay = signed.send("POST", "/v1/leaks", headers, body);

        assertThat(replay.status()).isEqualTo(202);
        JsonNode after = TestServer.expect(signed.get("/v1/tokens/" + id(t), signed.adminToken()), 200);
        assertThat(after.get("revoked_at")).isEqualTo(first.get("revoked_at"));
        assertThat(after.get("revoke_reason").asText()).isEqualTo("leaked");
        assertThat(events(signed, id(t), "token.revoke")).hasSize(1);
        assertThat(events(signed, id(t), "token.leaked")).hasSize(2);
    }

    /** The answer tells a signed reporter nothing either. */
    @Test
    void reportWhenSignedThenTheAnswerIsTheSameWhateverWasReported() {
        String live = minted(signed, "signed-same", "orders.items:read").get("token").asText();
        List<String> reported = List.of(live, TokenFormat.mint("live", RANDOM), "kg_live_short", "not a token");

        for (String text : reported) {
            byte[] body = report(text);
            TestServer.Response r = signed.send("POST", "/v1/leaks", github(CURRENT.id(), CURRENT.sign(body)), body);

            assertThat(r.status()).as(r.text()).isEqualTo(202);
            assertThat(r.text()).isEqualTo("{\"received\":1}");
        }
        assertThat(signed.verify(live, null).get("code").asText()).isEqualTo("REVOKED");
    }

    /** The body is checked as before, after the signature: a bad signature is refused before the body is looked at. */
    @Test
    void reportWhenASignedBodyIsInvalidThen400AndAnUnsignedOneThen401() {
        byte[] invalid = "[{\"token\":\"x\",\"type\":\"t\",\"extra\":1}]".getBytes(StandardCharsets.UTF_8);
        byte[] object = "{\"token\":\"x\",\"type\":\"t\"}".getBytes(StandardCharsets.UTF_8);

        TestServer.Response field = signed.send("POST", "/v1/leaks", github(CURRENT.id(), CURRENT.sign(invalid)),
                invalid);
        TestServer.Response notArray = signed.send("POST", "/v1/leaks", github(CURRENT.id(), CURRENT.sign(object)),
                object);
        TestServer.Response unsigned = signed.send("POST", "/v1/leaks", github(CURRENT.id(), STRANGER.sign(invalid)),
                invalid);

        RotationApiTest.assertValidationError(field, "[0].extra");
        RotationApiTest.assertValidationError(notArray, "body");
        assertUnauthenticated(unsigned, "the signature does not match the body and the key named");
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** One report of {@code token}, as GitHub would send it. */
    private static byte[] report(String token) {
        return ("[{\"token\":\"" + token + "\",\"type\":\"keygate_api_token\","
                + "\"url\":\"https://github.com/o/r/blob/abc/f.txt\",\"source\":\"content\"}]")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** GitHub's headers, and its content type; mutable. */
    private static Map<String, String> github(String keyId, String signature) {
        return headers(KEY_ID, keyId, SIGNATURE, signature);
    }

    private static Map<String, String> headers(String... namesAndValues) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    private static void assertUnauthenticated(TestServer.Response r, String detail) {
        assertThat(r.status()).as(r.text()).isEqualTo(401);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().get("code").asText()).isEqualTo("unauthenticated");
        assertThat(r.json().get("detail").asText()).isEqualTo(detail);
    }

    private static void assertNothingDone(JsonNode token) {
        assertNothingDone(signed, token);
    }

    private static void assertNothingDone(TestServer s, JsonNode token) {
        assertThat(s.verify(token.get("token").asText(), null).get("code").asText()).isEqualTo("VALID");
        assertThat(events(s, id(token), "token.leaked")).isEmpty();
        assertThat(events(s, id(token), "token.revoke")).isEmpty();
    }

    private static JsonNode minted(TestServer s, String base, String... permissions) {
        String principal = s.newPrincipal(base);
        return s.mint(principal, List.of(s.newRole(base, permissions)), Map.of());
    }

    private static String id(JsonNode token) {
        return token.get("id").asText();
    }

    private static JsonNode events(TestServer s, String tokenId, String action) {
        return TestServer.expect(s.get("/v1/audit?token_id=" + tokenId + "&action=" + action, s.adminToken()), 200)
                .get("items");
    }
}
