package dev.keygate.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

import static dev.keygate.client.TestJson.json;
import static dev.keygate.client.TestJson.tree;
import static org.assertj.core.api.Assertions.assertThat;

class KeygateClientTokenTest {

    static final String ADMIN = KeygateClientRoleAndPrincipalTest.ADMIN;
    static final String SECRET = "kg_live_ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210";
    static final String TOKEN_JSON = "{\"id\":\"tok_4Jd8kq0AbCdEfGhIjKlM\",\"principal\":\"billing-svc\","
            + "\"roles\":[\"billing-reader\"],\"environment\":\"live\",\"name\":\"ci\",\"status\":\"active\","
            + "\"created_at\":\"2026-11-22T09:15:00Z\",\"created_by\":\"tok_admin0000000000000\","
            + "\"expires_at\":\"2026-11-23T09:15:00Z\"}";

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
    void createTokenWhenCalledThenPostsTheRequestAndReturnsTheSecret() {
        server.on("POST", "/v1/tokens", 201, TOKEN_JSON.replace("}", ",\"token\":\"" + SECRET + "\"}"));

        CreatedToken created = client.createToken(CreateTokenRequest.builder()
                .principal("billing-svc")
                .role("billing-reader")
                .name("ci")
                .expiresAt(Instant.parse("2026-11-23T09:15:00Z"))
                .build());

        assertThat(tree(server.lastRequest().body())).isEqualTo(json(
                "{'principal': 'billing-svc', 'roles': ['billing-reader'], 'name': 'ci', "
                        + "'expires_at': '2026-11-23T09:15:00Z'}"));
        assertThat(server.lastRequest().header("Authorization")).isEqualTo("Bearer " + ADMIN);
        assertThat(created.secret()).isEqualTo(SECRET);
        assertThat(created.id()).isEqualTo("tok_4Jd8kq0AbCdEfGhIjKlM");
        assertThat(created.token().expiresAt()).isEqualTo(Instant.parse("2026-11-23T09:15:00Z"));
        assertThat(created.token().revokedAt()).isNull();
    }

    @Test
    void createTokenWhenTtlAndEnvironmentThenSendsThem() {
        server.on("POST", "/v1/tokens", 201, TOKEN_JSON.replace("}", ",\"token\":\"" + SECRET + "\"}"));

        client.createToken(CreateTokenRequest.builder()
                .principal("billing-svc").roles(List.of("a", "b")).environment("test").ttl("7d").build());

        assertThat(tree(server.lastRequest().body())).isEqualTo(json(
                "{'principal': 'billing-svc', 'roles': ['a', 'b'], 'environment': 'test', 'ttl': '7d'}"));
    }

    @Test
    void createdTokenToStringWhenCalledThenHidesTheSecret() {
        server.on("POST", "/v1/tokens", 201, TOKEN_JSON.replace("}", ",\"token\":\"" + SECRET + "\"}"));

        CreatedToken created = client.createToken(CreateTokenRequest.builder().principal("p").role("r").build());

        assertThat(created.toString())
                .doesNotContain(SECRET)
                .doesNotContain(SECRET.substring(8))
                .contains("tok_4Jd8kq0AbCdEfGhIjKlM")
                .contains("secret=***");
    }

    @Test
    void listTokensWhenFiltersThenSendsThemEncodedInTheQuery() {
        server.on("GET", "/v1/tokens", 200, "{\"items\":[" + TOKEN_JSON + "]}");

        List<TokenInfo> tokens = client.listTokens("svc a&b", "active");

        assertThat(server.lastRequest().rawQuery()).isEqualTo("principal=svc%20a%26b&status=active");
        assertThat(tokens).singleElement().satisfies(t -> {
            assertThat(t.roles()).containsExactly("billing-reader");
            assertThat(t.status()).isEqualTo("active");
        });
    }

    @Test
    void listTokensWhenLimitThenSendsIt() {
        server.on("GET", "/v1/tokens", 200, "{\"items\":[]}");

        client.listTokens(null, "active", 500);

        assertThat(server.lastRequest().rawQuery()).isEqualTo("status=active&limit=500");
    }

    @Test
    void listTokensWhenNoFilterThenSendsNoQuery() {
        server.on("GET", "/v1/tokens", 200, "{\"items\":[]}");

        client.listTokens();

        assertThat(server.lastRequest().rawQuery()).isNull();
    }

    @Test
    void getTokenWhenFoundThenParsesEveryField() {
        server.on("GET", "/v1/tokens/tok_1", 200, TOKEN_JSON.replace("}",
                ",\"revoked_at\":\"2026-11-22T12:00:00Z\",\"revoked_by\":\"tok_x\",\"revoke_reason\":\"leak\","
                        + "\"last_used_at\":\"2026-11-22T11:00:00Z\"}"));

        TokenInfo t = client.getToken("tok_1");

        assertThat(t.revokedAt()).isEqualTo(Instant.parse("2026-11-22T12:00:00Z"));
        assertThat(t.revokedBy()).isEqualTo("tok_x");
        assertThat(t.revokeReason()).isEqualTo("leak");
        assertThat(t.lastUsedAt()).isEqualTo(Instant.parse("2026-11-22T11:00:00Z"));
        assertThat(t.createdBy()).isEqualTo("tok_admin0000000000000");
    }

    @Test
    void revokeTokenWhenReasonThenPostsIt() {
        server.on("POST", "/v1/tokens/tok_1/revoke", 200, TOKEN_JSON.replace("\"active\"", "\"revoked\""));

        TokenInfo t = client.revokeToken("tok_1", "leaked in CI logs");

        assertThat(tree(server.lastRequest().body())).isEqualTo(json("{'reason': 'leaked in CI logs'}"));
        assertThat(t.status()).isEqualTo("revoked");
    }

    @Test
    void revokeTokenWhenNoReasonThenPostsAnEmptyObject() {
        server.on("POST", "/v1/tokens/tok_1/revoke", 200, TOKEN_JSON);

        client.revokeToken("tok_1", null);

        assertThat(tree(server.lastRequest().body())).isEqualTo(json("{}"));
    }

    @Test
    void verifyWhenCalledThenSendsTheTokenInTheBodyAndNoAuthorization() {
        server.on("POST", "/v1/verify", 200, "{\"valid\":true,\"allowed\":true,\"code\":\"VALID\","
                + "\"token_id\":\"tok_1\",\"principal\":\"billing-svc\",\"roles\":[\"billing-reader\"],"
                + "\"permissions\":[\"billing.invoices:read\"],\"environment\":\"live\","
                + "\"expires_at\":\"2026-11-23T09:15:00Z\"}");

        VerifyResult r = client.verify(SECRET, "billing.invoices:read", "live");

        assertThat(server.lastRequest().header("Authorization")).isNull();
        assertThat(tree(server.lastRequest().body())).isEqualTo(json(
                "{'token': '" + SECRET + "', 'permission': 'billing.invoices:read', 'environment': 'live'}"));
        assertThat(r).isEqualTo(new VerifyResult(true, true, "VALID", "tok_1", "billing-svc",
                List.of("billing-reader"), List.of("billing.invoices:read"), "live",
                Instant.parse("2026-11-23T09:15:00Z")));
    }

    @Test
    void verifyWhenTokenIsUnknownThenReturnsNotFoundWithoutDetails() {
        server.on("POST", "/v1/verify", 200, "{\"valid\":false,\"allowed\":false,\"code\":\"NOT_FOUND\"}");

        VerifyResult r = client.verify("kg_live_nope", null, null);

        assertThat(tree(server.lastRequest().body())).isEqualTo(json("{'token': 'kg_live_nope'}"));
        assertThat(r.allowed()).isFalse();
        assertThat(r.code()).isEqualTo("NOT_FOUND");
        assertThat(r.roles()).isNull();
        assertThat(r.tokenId()).isNull();
    }

    @Test
    void verifyWhenNoAdminTokenConfiguredThenStillWorks() {
        server.on("POST", "/v1/verify", 200, "{\"valid\":false,\"allowed\":false,\"code\":\"EXPIRED\"}");
        try (KeygateClient anonymous = KeygateClient.builder().baseUri(server.baseUri()).build()) {

            assertThat(anonymous.verify(SECRET, null, null).code()).isEqualTo("EXPIRED");
        }
    }

    @Test
    void auditWhenQueryThenSendsEachFilterAndReadsTheCursor() {
        server.on("GET", "/v1/audit", 200, "{\"items\":[{\"id\":42,\"time\":\"2026-11-22T09:15:00Z\","
                + "\"action\":\"token.revoke\",\"actor_token_id\":\"tok_a\",\"actor_principal\":\"admin\","
                + "\"target\":\"tok_1\",\"permission\":\"keygate.tokens:revoke\",\"decision\":\"allow\","
                + "\"code\":\"OK\",\"client_ip\":\"127.0.0.1\",\"user_agent\":\"curl/8\",\"detail\":\"leaked\"}],"
                + "\"next_cursor\":\"c2\"}");

        AuditPage page = client.audit(AuditQuery.builder()
                .tokenId("tok_a").principal("admin").action("token.revoke")
                .since(Instant.parse("2026-11-22T09:00:00Z")).limit(10).cursor("c1").build());

        assertThat(server.lastRequest().rawQuery()).isEqualTo("token_id=tok_a&principal=admin&action=token.revoke"
                + "&since=2026-11-22T09%3A00%3A00Z&limit=10&cursor=c1");
        assertThat(page.nextCursor()).isEqualTo("c2");
        assertThat(page.hasNext()).isTrue();
        assertThat(page.items()).singleElement().isEqualTo(new AuditEvent(42, Instant.parse("2026-11-22T09:15:00Z"),
                "token.revoke", "tok_a", "admin", "tok_1", "keygate.tokens:revoke", "allow", "OK", "127.0.0.1",
                "curl/8", "leaked"));
    }

    @Test
    void auditWhenLastPageThenHasNoNext() {
        server.on("GET", "/v1/audit", 200, "{\"items\":[],\"next_cursor\":null}");

        AuditPage page = client.audit(AuditQuery.all());

        assertThat(server.lastRequest().rawQuery()).isNull();
        assertThat(page.hasNext()).isFalse();
        assertThat(page.items()).isEmpty();
    }

    @Test
    void healthWhenServerIsUpThenReturnsOk() {
        server.on("GET", "/healthz", 200, "{\"status\":\"ok\"}");

        assertThat(client.health()).isEqualTo("ok");
        assertThat(server.lastRequest().header("Authorization")).isNull();
    }
}
