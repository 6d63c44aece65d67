package dev.keygate.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.core.token.TokenFormat;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that try to break the escalation rule: a token may give another token a role only if its own
 * permissions cover every permission of the role (or it holds {@code keygate.roles:bind}); a role held by live
 * tokens cannot be widened; and admin routes refuse every credential that is not a live token.
 */
class EscalationTest extends EndToEndTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Enough rounds that a race lost most of the time before the fix is lost at least once. */
    private static final int RACE_ROUNDS = 30;

    /** A token minted by the admin for the test to act with, and a principal of its own to mint tokens for. */
    private record Minter(String secret, String id, String target) {
    }

    // ---- minting within and beyond the caller's permissions --------------------------------------------

    @Test
    void createWhenCallerCoversEveryPermissionOfTheRoleThenReturns201() {
        Minter minter = minter("covered");
        String role = server.newRole("covered", "billing.invoices:read");

        TestServer.Response r = mint(minter, role);

        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(r.json().get("created_by").asText()).isEqualTo(minter.id());
        assertThat(server.verify(r.json().get("token").asText(), "billing.invoices:read").get("code").asText())
                .isEqualTo("VALID");
    }

    @Test
    void createWhenCallerGrantsItsOwnRoleThenReturns201() {
        Minter minter = minter("self-copy");
        String ownRole = TestServer.expect(server.get("/v1/tokens/" + minter.id(), server.adminToken()), 200)
                .get("roles").get(0).asText();

        TestServer.Response r = mint(minter, ownRole);

        assertThat(r.status()).as(r.text()).isEqualTo(201);
    }

    @Test
    void createWhenRoleHoldsPermissionCallerLacksThenReturns403NamingRoleAndPermission() {
        Minter minter = minter("lacks-write");
        String role = server.newRole("invoice-writer", "billing.invoices:read", "billing.invoices:write");

        TestServer.Response r = mint(minter, role);

        assertForbidden(r);
        assertThat(r.json().get("detail").asText()).contains(role).contains("billing.invoices:write");
        assertThat(server.tokensOf(minter.target())).isEmpty();
    }

    @Test
    void createWhenRoleHoldsWildcardBroaderThanCallersConcretePermissionThenReturns403() {
        Minter minter = minter("narrower");
        String role = server.newRole("billing-wide-reader", "billing.*:read");

        TestServer.Response r = mint(minter, role);

        assertForbidden(r);
        assertThat(r.json().get("detail").asText()).contains(role).contains("billing.*:read");
        assertThat(server.tokensOf(minter.target())).isEmpty();
    }

    @Test
    void createWhenRoleHoldsActionWildcardOnCallersResourceThenReturns403() {
        Minter minter = minter("action-wildcard");
        String role = server.newRole("invoices-all", "billing.invoices:*");

        assertForbidden(mint(minter, role));
        assertThat(server.tokensOf(minter.target())).isEmpty();
    }

    @Test
    void createWhenRoleHoldsStarStarThenReturns403() {
        Minter minter = minter("superuser");
        String role = server.newRole("superuser", "*:*");

        TestServer.Response r = mint(minter, role);

        assertForbidden(r);
        assertThat(r.json().get("detail").asText()).contains("*:*");
        assertThat(server.tokensOf(minter.target())).isEmpty();
    }

    @Test
    void createWhenRoleIsKeygateAdminThenReturns403() {
        Minter minter = minter("admin-grab");

        TestServer.Response r = mint(minter, "keygate-admin");

        assertForbidden(r);
        assertThat(r.json().get("detail").asText()).contains("keygate-admin").contains("keygate.*:*");
        assertThat(server.tokensOf(minter.target())).isEmpty();
    }

    @Test
    void createWhenOneOfTwoRolesIsNotCoveredThenReturns403AndCreatesNothing() {
        Minter minter = minter("half-done");
        String allowed = server.newRole("half-ok", "billing.invoices:read");
        String refused = server.newRole("half-refused", "billing.refunds:write");

        TestServer.Response allowedFirst = mint(minter, allowed, refused);
        TestServer.Response refusedFirst = mint(minter, refused, allowed);

        assertForbidden(allowedFirst);
        assertThat(allowedFirst.json().get("detail").asText()).contains(refused).contains("billing.refunds:write");
        assertForbidden(refusedFirst);
        assertThat(server.tokensOf(minter.target())).as("no token was created").isEmpty();
        server.flushAudit();
        JsonNode creations = TestServer.expect(server.get("/v1/audit?token_id=" + minter.id() + "&action=token.create",
                server.adminToken()), 200).get("items");
        assertThat(creations).as("only the minter's own creation, none by it")
                .extracting(e -> e.get("actor_token_id").asText()).doesNotContain(minter.id());
        assertThat(creations).extracting(e -> e.get("target").asText()).containsExactly(minter.id());
    }

    @Test
    void createWhenCallerHoldsWildcardThenMayGrantRolesItCovers() {
        Minter minter = minter("wildcard-minter", "keygate.tokens:create", "billing.*:read");
        String concrete = server.newRole("lines-reader", "billing.invoices:read", "billing.invoices.lines:read");
        String narrowerWildcard = server.newRole("invoices-subtree", "billing.invoices.*:read");
        String tooWide = server.newRole("billing-everything", "billing.*:*");
        String parent = server.newRole("billing-root", "billing:read");

        assertThat(mint(minter, concrete).status()).isEqualTo(201);
        assertThat(mint(minter, narrowerWildcard).status()).isEqualTo(201);
        assertForbidden(mint(minter, tooWide));
        assertForbidden(mint(minter, parent));
        assertThat(server.tokensOf(minter.target())).hasSize(2);
    }

    @Test
    void createWhenCallerHoldsBindThenMayGrantAnyRole() {
        Minter binder = minter("binder", "keygate.roles:bind", "keygate.tokens:create");
        String superuser = server.newRole("bound-superuser", "*:*");

        TestServer.Response star = mint(binder, superuser);
        TestServer.Response admin = mint(binder, "keygate-admin");

        assertThat(star.status()).as(star.text()).isEqualTo(201);
        assertThat(admin.status()).as(admin.text()).isEqualTo(201);
        assertThat(server.verify(star.json().get("token").asText(), "anything.at.all:delete").get("code").asText())
                .isEqualTo("VALID");
    }

    @Test
    void createWhenCallerLacksTokensCreateThenReturns403EvenForHarmlessRoles() {
        Minter reader = minter("no-create", "billing.invoices:read");
        Minter binderOnly = minter("bind-no-create", "keygate.roles:bind", "billing.invoices:read");
        String harmless = server.newRole("harmless", "billing.invoices:read");

        TestServer.Response r = mint(reader, harmless);
        TestServer.Response b = mint(binderOnly, harmless);

        assertForbidden(r);
        assertThat(r.json().get("detail").asText()).contains("keygate.tokens:create");
        assertForbidden(b);
        assertThat(server.tokensOf(reader.target())).isEmpty();
        assertThat(server.tokensOf(binderOnly.target())).isEmpty();
    }

    // ---- widening a role held by live tokens -------------------------------------------------------------

    @Test
    void updateRoleWhenCallerWidensRoleItHoldsThenReturns409AndNothingChanges() {
        String principal = server.newPrincipal("role-writer");
        String role = server.newRole("self-widen", "keygate.roles:write", "billing.invoices:read");
        String secret = server.mint(principal, List.of(role), Map.of()).get("token").asText();

        TestServer.Response r = server.put("/v1/roles/" + role, secret,
                Map.of("permissions", List.of("keygate.roles:write", "billing.invoices:read", "*:*")));

        assertThat(r.status()).as(r.text()).isEqualTo(409);
        assertThat(r.json().get("code").asText()).isEqualTo("conflict");
        assertThat(r.json().get("detail").asText()).contains("*:*");
        JsonNode stored = TestServer.expect(server.get("/v1/roles/" + role, server.adminToken()), 200);
        assertThat(stored.get("permissions")).extracting(JsonNode::asText)
                .containsExactly("keygate.roles:write", "billing.invoices:read");
        assertThat(server.verify(secret, "billing.invoices:write").get("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(server.verify(secret, "keygate.roles:bind").get("code").asText()).isEqualTo("FORBIDDEN");
    }

    @Test
    void updateRoleWhenConcretePermissionReplacedByCoveringWildcardThenReturns409() {
        String principal = server.newPrincipal("wildcard-widen");
        String role = server.newRole("wildcard-widen", "billing.invoices:read");
        String secret = server.mint(principal, List.of(role), Map.of()).get("token").asText();

        TestServer.Response r = server.put("/v1/roles/" + role, server.adminToken(),
                Map.of("permissions", List.of("billing.*:read")));

        assertThat(r.status()).as(r.text()).isEqualTo(409);
        assertThat(server.verify(secret, "billing.refunds:read").get("code").asText()).isEqualTo("FORBIDDEN");
    }

    @Test
    void updateRoleWhenNarrowingRoleHeldByLiveTokensThenReturns200AndVerifyReflectsItAtOnce() {
        String principal = server.newPrincipal("narrowed");
        String role = server.newRole("narrowed", "billing.invoices:read", "billing.invoices:write");
        String secret = server.mint(principal, List.of(role), Map.of()).get("token").asText();
        // Cache the token's view with the wider permissions first.
        assertThat(server.verify(secret, "billing.invoices:write").get("code").asText()).isEqualTo("VALID");

        TestServer.Response r = server.put("/v1/roles/" + role, server.adminToken(),
                Map.of("permissions", List.of("billing.invoices:read")));

        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("permissions")).extracting(JsonNode::asText).containsExactly("billing.invoices:read");
        JsonNode after = server.verify(secret, "billing.invoices:write");
        assertThat(after.get("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(after.get("permissions")).extracting(JsonNode::asText).containsExactly("billing.invoices:read");
        // The VALID answer, once serialized for the old view, must describe the new one.
        JsonNode valid = server.verify(secret, "billing.invoices:read");
        assertThat(valid.get("code").asText()).isEqualTo("VALID");
        assertThat(valid.get("permissions")).extracting(JsonNode::asText).containsExactly("billing.invoices:read");
    }

    @Test
    void updateRoleWhenNarrowingAnAdminCallersRoleThenItsNextAdminCallIsRefused() {
        String principal = server.newPrincipal("narrowed-admin");
        String role = server.newRole("narrowed-admin", "keygate.tokens:read", "keygate.roles:read");
        String secret = server.mint(principal, List.of(role), Map.of()).get("token").asText();
        assertThat(server.get("/v1/tokens?limit=1", secret).status()).isEqualTo(200);

        TestServer.expect(server.put("/v1/roles/" + role, server.adminToken(),
                Map.of("permissions", List.of("keygate.roles:read"))), 200);

        assertThat(server.get("/v1/tokens?limit=1", secret).status()).isEqualTo(403);
    }

    @Test
    void updateRoleWhenHoldersAreRevokedOrExpiredThenWideningIsAllowed() {
        String principal = server.newPrincipal("widen-later");
        String role = server.newRole("widen-later", "billing.invoices:read");
        String revoked = server.mint(principal, List.of(role), Map.of()).get("id").asText();
        server.mint(principal, List.of(role), Map.of("ttl", "60s"));
        TestServer.expect(server.post("/v1/tokens/" + revoked + "/revoke", server.adminToken(), Map.of()), 200);
        Map<String, Object> wider = Map.of("permissions", List.of("billing.invoices:read", "billing.invoices:write"));
        assertThat(server.put("/v1/roles/" + role, server.adminToken(), wider).status())
                .as("one holder is still live").isEqualTo(409);

        server.clock().advance(Duration.ofSeconds(60));

        assertThat(server.put("/v1/roles/" + role, server.adminToken(), wider).status()).isEqualTo(200);
    }

    /**
     * Regression: on PostgreSQL, minting a token with a role and widening that role at the same moment could
     * both succeed (the mint checked the old permissions, the widening counted no live holder yet), leaving a
     * token minted by a {@code billing.invoices:read} holder with {@code *:*}.
     */
    @Test
    void createWhenRacingAWideningOfTheRoleThenNeverBothSucceed() throws Exception {
        Minter minter = minter("race-widen");
        Map<String, Object> wider = Map.of("permissions", List.of("billing.invoices:read", "*:*"));

        for (int round = 0; round < RACE_ROUNDS; round++) {
            String role = server.newRole("race-widen", "billing.invoices:read");
            TestServer.Response[] both = race(() -> mint(minter, role),
                    () -> server.put("/v1/roles/" + role, server.adminToken(), wider));
            TestServer.Response minted = both[0];
            TestServer.Response widened = both[1];
            assertThat(minted.status() == 201 && widened.status() == 200)
                    .as("round %d: mint %d and widening %d both succeeded", round, minted.status(), widened.status())
                    .isFalse();
            if (minted.status() == 201) {
                assertThat(widened.status()).isEqualTo(409);
                assertThat(server.verify(minted.json().get("token").asText(), "keygate.roles:bind").get("code")
                        .asText()).isEqualTo("FORBIDDEN");
            } else {
                assertForbidden(minted);
            }
        }
    }

    /**
     * Regression: on PostgreSQL, minting a token with a role while the role was deleted could both succeed,
     * leaving a live token that names a missing role, which anyone re-creating the role would then widen.
     */
    @Test
    void createWhenRacingADeletionOfTheRoleThenNeverBothSucceed() throws Exception {
        Minter minter = minter("race-delete");

        for (int round = 0; round < RACE_ROUNDS; round++) {
            String role = server.newRole("race-delete", "billing.invoices:read");
            TestServer.Response[] both = race(() -> mint(minter, role),
                    () -> server.delete("/v1/roles/" + role, server.adminToken()));
            TestServer.Response minted = both[0];
            TestServer.Response deleted = both[1];
            assertThat(minted.status() == 201 && deleted.status() == 204)
                    .as("round %d: mint %d and deletion %d both succeeded", round, minted.status(), deleted.status())
                    .isFalse();
            assertThat(List.of(minted.status(), deleted.status())).as("round %d", round)
                    .isIn(List.of(201, 409), List.of(400, 204));
        }
    }

    // ---- credentials on admin routes ---------------------------------------------------------------------

    @Test
    void adminRouteWhenCallerTokenRevokedThenReturns401() {
        Minter reader = minter("revoked-reader", "keygate.tokens:read", "keygate.tokens:create",
                "billing.invoices:read");
        assertThat(server.get("/v1/tokens?limit=1", reader.secret()).status()).isEqualTo(200);
        TestServer.expect(server.post("/v1/tokens/" + reader.id() + "/revoke", server.adminToken(), Map.of()), 200);

        TestServer.Response read = server.get("/v1/tokens?limit=1", reader.secret());
        TestServer.Response create = mint(reader, server.newRole("after-revoke", "billing.invoices:read"));

        assertUnauthenticated(read);
        assertUnauthenticated(create);
        assertThat(server.tokensOf(reader.target())).isEmpty();
    }

    @Test
    void adminRouteWhenCallerTokenExpiredThenReturns401() {
        String principal = server.newPrincipal("expired-reader");
        String role = server.newRole("expired-reader", "keygate.tokens:read");
        String secret = server.mint(principal, List.of(role), Map.of("ttl", "2m")).get("token").asText();
        assertThat(server.get("/v1/tokens?limit=1", secret).status()).isEqualTo(200);

        server.clock().advance(Duration.ofMinutes(2));

        assertUnauthenticated(server.get("/v1/tokens?limit=1", secret));
    }

    @Test
    void adminRouteWhenAuthorizationUnusableThenReturns401WithBearerChallenge() {
        String unknown = TokenFormat.mint("live", new SecureRandom());
        String admin = server.adminToken();
        String basic = Base64.getEncoder().encodeToString(("admin:" + admin).getBytes(StandardCharsets.UTF_8));
        String tampered = admin.substring(0, 10) + (admin.charAt(10) == 'a' ? 'b' : 'a') + admin.substring(11);

        for (String authorization : List.of("Bearer abc", "Basic " + basic, "Bearer " + unknown, "Bearer " + tampered,
                "Bearer", "Bearer ", admin, "Token " + admin)) {
            TestServer.Response r = getWithAuthorization("/v1/roles", authorization);
            assertThat(r.status()).as("Authorization: %s", authorization.replace(admin, "<admin>")).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(r.json().get("code").asText()).isEqualTo("unauthenticated");
        }
        TestServer.Response ok = getWithAuthorization("/v1/roles", "Bearer " + admin);
        assertThat(ok.status()).as(ok.text()).isEqualTo(200);
    }

    /**
     * Regression: Jetty's per-connection header cache matched values ignoring case, so on one keep-alive
     * connection a case variant of the admin token, sent after the token, was taken for it (and the token,
     * sent after a variant, was refused). The loop above failed now and then, when the character it changed
     * was an upper-case letter.
     */
    @Test
    void adminRouteWhenCaseVariantOfTokenFollowsItOnOneConnectionThenVariantIsRefused() throws IOException {
        String admin = server.adminToken();
        int letter = TokenFormat.PREFIX.length();
        while (!Character.isLetter(admin.charAt(letter))) {
            letter++;
        }
        String variant = admin.substring(0, letter) + swapCase(admin.charAt(letter)) + admin.substring(letter + 1);

        assertThat(statusesOnOneConnection(admin, variant)).containsExactly(200, 401);
        assertThat(statusesOnOneConnection(variant, admin)).containsExactly(401, 200);
    }

    /** Sends {@code GET /v1/roles} with each token in turn over one keep-alive connection. */
    private static List<Integer> statusesOnOneConnection(String... tokens) throws IOException {
        List<Integer> statuses = new ArrayList<>();
        try (Socket socket = new Socket(server.baseUri().getHost(), server.baseUri().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            for (String token : tokens) {
                out.write(("GET /v1/roles HTTP/1.1\r\nHost: keygate\r\nAuthorization: Bearer " + token + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String statusLine = line(in);
                int length = 0;
                for (String header = line(in); !header.isEmpty(); header = line(in)) {
                    if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                        length = Integer.parseInt(header.substring(15).trim());
                    }
                }
                in.readNBytes(length);
                statuses.add(Integer.parseInt(statusLine.split(" ")[1]));
            }
        }
        return statuses;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed mid-response");
            }
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }

    private static char swapCase(char c) {
        return Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** A caller holding {@code keygate.tokens:create} and {@code billing.invoices:read}. */
    private static Minter minter(String base) {
        return minter(base, "keygate.tokens:create", "billing.invoices:read");
    }

    private static Minter minter(String base, String... permissions) {
        String principal = server.newPrincipal(base);
        String role = server.newRole(base + "-own", permissions);
        JsonNode created = server.mint(principal, List.of(role), Map.of());
        return new Minter(created.get("token").asText(), created.get("id").asText(),
                server.newPrincipal(base + "-target"));
    }

    private static TestServer.Response mint(Minter minter, String... roles) {
        return server.post("/v1/tokens", minter.secret(),
                Map.of("principal", minter.target(), "roles", List.of(roles)));
    }

    private static void assertForbidden(TestServer.Response r) {
        assertThat(r.status()).as(r.text()).isEqualTo(403);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().get("code").asText()).isEqualTo("forbidden");
    }

    private static void assertUnauthenticated(TestServer.Response r) {
        assertThat(r.status()).as(r.text()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(r.json().get("code").asText()).isEqualTo("unauthenticated");
    }

    /** Runs two requests at the same moment and returns both responses, in order. */
    private static TestServer.Response[] race(Callable<TestServer.Response> first,
                                              Callable<TestServer.Response> second) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            CountDownLatch start = new CountDownLatch(1);
            Future<TestServer.Response> a = pool.submit(() -> {
                start.await();
                return first.call();
            });
            Future<TestServer.Response> b = pool.submit(() -> {
                start.await();
                return second.call();
            });
            start.countDown();
            return new TestServer.Response[] {a.get(30, TimeUnit.SECONDS), b.get(30, TimeUnit.SECONDS)};
        }
    }

    /** A GET with exactly this Authorization header (the harness always sends {@code Bearer <token>}). */
    private static TestServer.Response getWithAuthorization(String path, String authorization) {
        HttpRequest request = HttpRequest.newBuilder(server.baseUri().resolve(path))
                .timeout(Duration.ofSeconds(15)).header("Authorization", authorization).GET().build();
        try {
            HttpResponse<String> resp = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode json = resp.body().isEmpty() ? null : Json.newMapper().readTree(resp.body());
            return new TestServer.Response(resp.statusCode(), resp.headers().map(), resp.body(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
