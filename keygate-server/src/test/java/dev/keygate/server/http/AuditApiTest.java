package dev.keygate.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /v1/audit} end to end: what each admin change and verification writes, the filters, newest-first
 * order, cursor pagination, validation of the query, and that no secret ever reaches the log.
 */
class AuditApiTest extends EndToEndTest {

    // ---- what is written -----------------------------------------------------------------------------------

    @Test
    void roleChangesWhenMadeByAdminThenEachEventIsWrittenAtOnce() {
        Instant created = server.clock().instant();
        TestServer.expect(server.post("/v1/roles", server.adminToken(),
                Map.of("name", "aud-admin-role", "permissions", List.of("a:read"))), 201);
        server.clock().advance(Duration.ofSeconds(1));
        Instant updated = server.clock().instant();
        TestServer.expect(server.put("/v1/roles/aud-admin-role", server.adminToken(),
                Map.of("permissions", List.of("a:read", "a:write"))), 200);
        server.clock().advance(Duration.ofSeconds(1));
        Instant deleted = server.clock().instant();
        assertThat(server.delete("/v1/roles/aud-admin-role", server.adminToken()).status()).isEqualTo(204);

        // No flush: admin events are written in the transaction of the change.
        JsonNode create = adminEvent("role.create", "aud-admin-role");
        JsonNode update = adminEvent("role.update", "aud-admin-role");
        JsonNode delete = adminEvent("role.delete", "aud-admin-role");

        assertAdminEvent(create, "role.create", "aud-admin-role", "keygate.roles:write", created);
        assertAdminEvent(update, "role.update", "aud-admin-role", "keygate.roles:write", updated);
        assertAdminEvent(delete, "role.delete", "aud-admin-role", "keygate.roles:write", deleted);
        assertThat(create.get("detail").asText()).contains("a:read");
        assertThat(update.get("detail").asText()).contains("a:write");
        assertThat(create.get("id").asLong()).isLessThan(update.get("id").asLong());
        assertThat(update.get("id").asLong()).isLessThan(delete.get("id").asLong());
    }

    @Test
    void principalCreateWhenMadeByAdminThenEventIsWrittenAtOnce() {
        Instant now = server.clock().instant();
        server.createPrincipal("aud-admin-principal", "integration");

        JsonNode event = adminEvent("principal.create", "aud-admin-principal");

        assertAdminEvent(event, "principal.create", "aud-admin-principal", "keygate.principals:write", now);
        assertThat(event.get("detail").asText()).contains("integration");
    }

    @Test
    void tokenCreateAndRevokeWhenMadeByAdminThenEventsAreWrittenAtOnceAndRevokingAgainWritesNone() {
        server.createPrincipal("aud-admin-token-svc", "service");
        server.createRole("aud-admin-token-role", "a:read");
        Instant minted = server.clock().instant();
        String id = server.mint("aud-admin-token-svc", List.of("aud-admin-token-role"), Map.of()).get("id").asText();
        server.clock().advance(Duration.ofSeconds(1));
        Instant revoked = server.clock().instant();
        TestServer.expect(server.post("/v1/tokens/" + id + "/revoke", server.adminToken(),
                Map.of("reason", "rotated by test")), 200);
        TestServer.expect(server.post("/v1/tokens/" + id + "/revoke", server.adminToken(),
                Map.of("reason", "again")), 200);

        JsonNode create = adminEvent("token.create", id);
        JsonNode revoke = adminEvent("token.revoke", id);

        assertAdminEvent(create, "token.create", id, "keygate.tokens:create", minted);
        assertThat(create.get("detail").asText()).contains("principal=aud-admin-token-svc")
                .contains("aud-admin-token-role");
        assertAdminEvent(revoke, "token.revoke", id, "keygate.tokens:revoke", revoked);
        assertThat(revoke.get("detail").asText()).contains("rotated by test");
        assertThat(items(query("token_id=" + id + "&action=token.revoke"))).hasSize(1);
    }

    @Test
    void bootstrapWhenServerStartedThenSystemEventsExist() {
        List<JsonNode> events = items(query("principal=system"));

        assertThat(events).extracting(e -> e.get("action").asText() + " " + e.get("target").asText())
                .containsExactly("token.create " + adminTokenId(), "principal.create admin",
                        "role.create keygate-admin");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.get("actor_principal").asText()).isEqualTo("system");
            assertThat(e.has("actor_token_id")).isFalse();
            assertThat(e.get("decision").asText()).isEqualTo("allow");
            assertThat(e.get("code").asText()).isEqualTo("OK");
        });
    }

    @Test
    void verifyWhenAuditFlushedThenEventsHoldCodeDecisionAndPermissionAsked() {
        JsonNode minted = server.principalWithToken("aud-verify-svc", "aud.verify:read");
        String secret = minted.get("token").asText();
        String id = minted.get("id").asText();
        server.verify(secret, "aud.verify:read");
        server.verify(secret, "aud.verify:write");
        server.verify(secret, null);
        TestServer.expect(server.post("/v1/tokens/" + id + "/revoke", server.adminToken(), Map.of()), 200);
        server.verify(secret, "aud.verify:read");

        server.flushAudit();
        List<JsonNode> events = items(query("token_id=" + id + "&action=verify"));

        assertThat(events).extracting(e -> e.get("code").asText() + " " + e.get("decision").asText() + " "
                        + e.path("permission").asText("-"))
                .containsExactly("REVOKED deny aud.verify:read", "VALID allow -", "FORBIDDEN deny aud.verify:write",
                        "VALID allow aud.verify:read");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.get("action").asText()).isEqualTo("verify");
            assertThat(e.get("actor_token_id").asText()).isEqualTo(id);
            assertThat(e.get("actor_principal").asText()).isEqualTo("aud-verify-svc");
            assertThat(e.get("target").asText()).isEqualTo(id);
            assertThat(e.get("client_ip").asText()).isIn("127.0.0.1", "::1", "0:0:0:0:0:0:0:1");
            assertThat(e.get("user_agent").asText()).startsWith("Java-http-client/");
        });
    }

    @Test
    void verifyWhenTokenUnknownThenEventHasNoActorNorTarget() {
        server.verify("kg_live_notarealtoken", "aud.notfound.unique:read");

        server.flushAudit();
        List<JsonNode> events = items(query("action=verify&limit=1000")).stream()
                .filter(e -> "aud.notfound.unique:read".equals(e.path("permission").asText())).toList();

        assertThat(events).hasSize(1);
        JsonNode event = events.get(0);
        assertThat(event.get("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(event.get("decision").asText()).isEqualTo("deny");
        assertThat(event.has("actor_token_id")).isFalse();
        assertThat(event.has("actor_principal")).isFalse();
        assertThat(event.has("target")).isFalse();
    }

    @Test
    void adminChangeWhenItFailsThenWritesNoEvent() {
        JsonNode minted = server.principalWithToken("aud-fail-actor", "keygate.roles:write");
        String token = minted.get("token").asText();
        String id = minted.get("id").asText();
        TestServer.expect(server.post("/v1/roles", token,
                Map.of("name", "aud-fail-ok", "permissions", List.of("a:read"))), 201);
        TestServer.expect(server.post("/v1/roles", token,
                Map.of("name", "aud-fail-held", "permissions", List.of("a:read"))), 201);
        server.createPrincipal("aud-fail-holder", "service");
        server.mint("aud-fail-holder", List.of("aud-fail-held"), Map.of());
        List<JsonNode> before = items(query("token_id=" + id));

        List<Integer> statuses = List.of(
                server.post("/v1/roles", token, Map.of("name", "aud-fail-ok", "permissions", List.of("a:read")))
                        .status(),
                server.post("/v1/roles", token, Map.of("name", "Bad Name", "permissions", List.of("a:read")))
                        .status(),
                server.put("/v1/roles/aud-fail-missing", token, Map.of("permissions", List.of("a:read"))).status(),
                server.put("/v1/roles/aud-fail-held", token, Map.of("permissions", List.of("a:read", "b:read")))
                        .status(),
                server.delete("/v1/roles/aud-fail-held", token).status(),
                server.delete("/v1/roles/aud-fail-missing", token).status(),
                server.post("/v1/principals", token, Map.of("name", "aud-fail-p", "kind", "user")).status());

        assertThat(statuses).containsExactly(409, 400, 404, 409, 409, 404, 403);
        List<JsonNode> after = items(query("token_id=" + id));
        assertThat(after).isEqualTo(before);
        assertThat(after).extracting(e -> e.get("action").asText() + " " + e.get("target").asText())
                .containsExactly("role.create aud-fail-held", "role.create aud-fail-ok", "token.create " + id);
        assertThat(items(query("action=role.create&limit=1000")))
                .noneMatch(e -> "Bad Name".equals(e.path("target").asText()));
    }

    // ---- filters and order -------------------------------------------------------------------------------

    @Test
    void queryWhenFilteredByTokenIdThenOnlyEventsActedByOrOnThatToken() {
        JsonNode mine = server.principalWithToken("aud-tokfilter", "keygate.roles:write");
        JsonNode other = server.principalWithToken("aud-tokfilter-other", "keygate.roles:write");
        String id = mine.get("id").asText();
        TestServer.expect(server.post("/v1/roles", mine.get("token").asText(),
                Map.of("name", "aud-tokfilter-r", "permissions", List.of("a:read"))), 201);
        TestServer.expect(server.post("/v1/roles", other.get("token").asText(),
                Map.of("name", "aud-tokfilter-o", "permissions", List.of("a:read"))), 201);
        server.verify(mine.get("token").asText(), "keygate.roles:write");
        server.verify(other.get("token").asText(), "keygate.roles:write");
        server.flushAudit();

        List<JsonNode> events = items(query("token_id=" + id));

        assertThat(events).extracting(e -> e.get("action").asText())
                .containsExactly("verify", "role.create", "token.create");
        assertThat(events).allSatisfy(e -> assertThat(List.of(e.path("actor_token_id").asText(),
                e.path("target").asText())).contains(id));
        assertThat(events.get(2).get("actor_principal").asText()).isEqualTo("admin");
    }

    @Test
    void queryWhenFilteredByPrincipalThenOnlyEventsActedByThatPrincipal() {
        JsonNode minted = server.principalWithToken("aud-pfilter", "keygate.roles:write");
        String token = minted.get("token").asText();
        TestServer.expect(server.post("/v1/roles", token,
                Map.of("name", "aud-pfilter-1", "permissions", List.of("a:read"))), 201);
        TestServer.expect(server.post("/v1/roles", token,
                Map.of("name", "aud-pfilter-2", "permissions", List.of("a:read"))), 201);
        server.verify(token, null);
        server.flushAudit();

        List<JsonNode> events = items(query("principal=aud-pfilter"));

        assertThat(events).extracting(e -> e.get("action").asText() + " " + e.get("target").asText())
                .containsExactly("verify " + minted.get("id").asText(), "role.create aud-pfilter-2",
                        "role.create aud-pfilter-1");
        assertThat(events).allSatisfy(e -> assertThat(e.get("actor_principal").asText()).isEqualTo("aud-pfilter"));
        assertThat(items(query("principal=aud-pfilter-nobody"))).isEmpty();
    }

    @Test
    void queryWhenFilteredByActionThenOnlyThatAction() {
        server.createPrincipal("aud-action-p", "user");
        server.createRole("aud-action-r", "a:read");

        List<JsonNode> events = items(query("action=principal.create&limit=1000"));

        assertThat(events).isNotEmpty()
                .allSatisfy(e -> assertThat(e.get("action").asText()).isEqualTo("principal.create"));
        assertThat(events).extracting(e -> e.get("target").asText()).contains("aud-action-p", "admin")
                .doesNotContain("aud-action-r");
        JsonNode none = query("action=no.such.action");
        assertThat(none.get("items")).isEmpty();
        assertThat(none.get("next_cursor").isNull()).isTrue();
    }

    @Test
    void queryWhenFilteredBySinceThenOnlyEventsAtOrAfterThatTime() {
        String token = server.principalWithToken("aud-since", "keygate.roles:write").get("token").asText();
        createRoleAs(token, "aud-since-early");
        server.clock().advance(Duration.ofHours(1));
        Instant cut = server.clock().instant();
        createRoleAs(token, "aud-since-at");
        server.clock().advance(Duration.ofHours(1));
        createRoleAs(token, "aud-since-late");
        // The same instant in another offset must select the same events.
        String cutPlusTwo = cut.atOffset(ZoneOffset.ofHours(2)).toString();

        List<JsonNode> fromCut = items(query("principal=aud-since&since=" + encode(cut.toString())));
        List<JsonNode> fromOffset = items(query("principal=aud-since&since=" + encode(cutPlusTwo)));
        List<JsonNode> fromAfterCut = items(query("principal=aud-since&since=" + encode(cut.plusMillis(1).toString())));
        List<JsonNode> fromFuture = items(query("principal=aud-since&since="
                + encode(server.clock().instant().plusSeconds(1).toString())));

        assertThat(targets(fromCut)).containsExactly("aud-since-late", "aud-since-at");
        assertThat(fromOffset).isEqualTo(fromCut);
        assertThat(targets(fromAfterCut)).containsExactly("aud-since-late");
        assertThat(fromFuture).isEmpty();
        assertThat(fromCut).allSatisfy(e -> assertThat(Instant.parse(e.get("time").asText())).isAfterOrEqualTo(cut));
    }

    @Test
    void queryWhenFiltersCombinedThenEveryFilterApplies() {
        JsonNode minted = server.principalWithToken("aud-combo", "keygate.roles:write");
        String token = minted.get("token").asText();
        String id = minted.get("id").asText();
        createRoleAs(token, "aud-combo-1");
        server.verify(token, "a:read");
        server.clock().advance(Duration.ofMinutes(10));
        Instant cut = server.clock().instant();
        createRoleAs(token, "aud-combo-2");
        server.verify(token, "b:read");
        server.flushAudit();
        String since = "&since=" + encode(cut.toString());

        assertThat(targets(items(query("principal=aud-combo&action=role.create"))))
                .containsExactly("aud-combo-2", "aud-combo-1");
        assertThat(targets(items(query("principal=aud-combo&action=role.create" + since))))
                .containsExactly("aud-combo-2");
        assertThat(items(query("token_id=" + id + "&action=verify" + since)))
                .extracting(e -> e.get("permission").asText()).containsExactly("b:read");
        assertThat(items(query("token_id=" + id + "&principal=aud-combo&action=verify")))
                .extracting(e -> e.get("permission").asText()).containsExactly("b:read", "a:read");
        assertThat(items(query("token_id=" + id + "&principal=admin"))).extracting(e -> e.get("action").asText())
                .containsExactly("token.create");
        assertThat(items(query("principal=aud-combo&action=token.create"))).isEmpty();
    }

    @Test
    void queryWhenUnfilteredThenNewestFirstWithStrictlyDecreasingIds() {
        server.createRole("aud-order-r", "a:read");
        server.createPrincipal("aud-order-p", "user");

        List<JsonNode> events = items(query("limit=1000"));

        assertThat(events).hasSizeGreaterThan(3);
        List<Long> ids = events.stream().map(e -> e.get("id").asLong()).toList();
        for (int i = 1; i < ids.size(); i++) {
            assertThat(ids.get(i)).as("id at %d", i).isLessThan(ids.get(i - 1));
        }
        assertThat(ids).allSatisfy(id -> assertThat(id).isPositive());
        List<JsonNode> changes = items(query("principal=admin&limit=2"));
        assertThat(changes).extracting(e -> e.get("action").asText() + " " + e.get("target").asText())
                .containsExactly("principal.create aud-order-p", "role.create aud-order-r");
    }

    // ---- pagination --------------------------------------------------------------------------------------

    @Test
    void queryWhenPagedWithLimit2ThenCursorsWalkEveryEventOnceAndLastPageHasNullCursor() {
        String token = server.principalWithToken("aud-page", "keygate.roles:write").get("token").asText();
        for (int i = 1; i <= 5; i++) {
            createRoleAs(token, "aud-page-" + i);
        }
        List<Long> all = ids(items(query("principal=aud-page&limit=1000")));

        List<JsonNode> pages = walk("principal=aud-page", 2);

        assertThat(all).hasSize(5);
        assertThat(pages).extracting(p -> p.get("items").size()).containsExactly(2, 2, 1);
        assertThat(pages.subList(0, 2)).allSatisfy(p -> assertThat(p.get("next_cursor").asText()).isNotBlank());
        JsonNode last = pages.get(pages.size() - 1);
        assertThat(last.has("next_cursor")).isTrue();
        assertThat(last.get("next_cursor").isNull()).isTrue();
        List<Long> walked = new ArrayList<>();
        pages.forEach(p -> walked.addAll(ids(items(p))));
        assertThat(walked).doesNotHaveDuplicates().containsExactlyElementsOf(all);
    }

    @Test
    void queryWhenEventCountIsMultipleOfLimitThenLastFullPageHasNullCursor() {
        // A full last page used to carry a cursor to an empty page.
        String token = server.principalWithToken("aud-exact", "keygate.roles:write").get("token").asText();
        for (int i = 1; i <= 4; i++) {
            createRoleAs(token, "aud-exact-" + i);
        }

        List<JsonNode> pages = walk("principal=aud-exact", 2);

        assertThat(pages).extracting(p -> p.get("items").size()).containsExactly(2, 2);
        assertThat(pages.get(1).get("next_cursor").isNull()).isTrue();
        JsonNode single = query("principal=aud-exact&limit=4");
        assertThat(single.get("items")).hasSize(4);
        assertThat(single.get("next_cursor").isNull()).isTrue();
    }

    @Test
    void queryWhenEventsArriveWhilePagingThenWalkHasNoDuplicatesNorGaps() {
        String token = server.principalWithToken("aud-live", "keygate.roles:write").get("token").asText();
        for (int i = 1; i <= 3; i++) {
            createRoleAs(token, "aud-live-" + i);
        }
        List<Long> before = ids(items(query("principal=aud-live&limit=1000")));
        JsonNode first = query("principal=aud-live&limit=2");

        createRoleAs(token, "aud-live-4");
        JsonNode second = query("principal=aud-live&limit=2&cursor=" + encode(first.get("next_cursor").asText()));

        List<Long> walked = new ArrayList<>(ids(items(first)));
        walked.addAll(ids(items(second)));
        assertThat(walked).containsExactlyElementsOf(before);
        assertThat(second.get("next_cursor").isNull()).isTrue();
        assertThat(targets(items(query("principal=aud-live&limit=1")))).containsExactly("aud-live-4");
    }

    // ---- validation and access ---------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"0", "1001", "x", "-1", "1.5", ""})
    void queryWhenLimitInvalidThenReturns400NamingLimit(String limit) {
        TestServer.Response r = server.get("/v1/audit?limit=" + encode(limit), server.adminToken());

        assertValidationFailure(r, "limit");
    }

    @Test
    void queryWhenLimitAtBoundsThenReturns200() {
        assertThat(query("limit=1").get("items")).hasSize(1);
        assertThat(server.get("/v1/audit?limit=1000", server.adminToken()).status()).isEqualTo(200);
    }

    static Stream<String> invalidCursors() {
        // Noise, and cursor-shaped values the server never hands out.
        return Stream.of("abc", "!!", "", base64Url("a1:0"), base64Url("a1:-5"), base64Url("a1:x"),
                base64Url("b1:5"), base64Url("a1:99999999999999999999"));
    }

    @ParameterizedTest
    @MethodSource("invalidCursors")
    void queryWhenCursorInvalidThenReturns400NamingCursor(String cursor) {
        TestServer.Response r = server.get("/v1/audit?cursor=" + encode(cursor), server.adminToken());

        assertValidationFailure(r, "cursor");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2026-01-01", "2026-13-01T00:00:00Z", "1700000000", "2026-01-01T00:00:00"})
    void queryWhenSinceInvalidThenReturns400NamingSince(String since) {
        TestServer.Response r = server.get("/v1/audit?since=" + encode(since), server.adminToken());

        assertValidationFailure(r, "since");
    }

    @Test
    void queryWhenSeveralParametersInvalidThenOne400ListsEach() {
        TestServer.Response outOfRange = server.get("/v1/audit?limit=0&cursor=!!&since=soon", server.adminToken());
        // A limit that was not a number used to be reported alone.
        TestServer.Response notANumber = server.get("/v1/audit?limit=x&since=soon", server.adminToken());

        assertThat(outOfRange.status()).isEqualTo(400);
        assertThat(outOfRange.json().get("errors")).extracting(e -> e.get("field").asText())
                .containsExactlyInAnyOrder("limit", "cursor", "since");
        assertThat(notANumber.status()).isEqualTo(400);
        assertThat(notANumber.json().get("errors")).extracting(e -> e.get("field").asText())
                .containsExactlyInAnyOrder("limit", "since");
    }

    @Test
    void queryWhenTokenLacksAuditReadThenReturns403() {
        String without = server.principalWithToken("aud-no-read", "keygate.roles:read").get("token").asText();
        String with = server.principalWithToken("aud-reader", "keygate.audit:read").get("token").asText();

        TestServer.Response denied = server.get("/v1/audit", without);

        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.header("Content-Type")).startsWith("application/problem+json");
        assertThat(denied.json().get("code").asText()).isEqualTo("forbidden");
        assertThat(denied.json().get("detail").asText()).contains("keygate.audit:read");
        assertThat(denied.text()).doesNotContain("role.create");
        assertThat(server.get("/v1/audit", with).status()).isEqualTo(200);
        assertThat(server.get("/v1/audit", null).status()).isEqualTo(401);
    }

    @Test
    void auditWhenTokensMintedUsedAndRevokedThenNoSecretInAnyEventOrResponse() {
        JsonNode minter = server.principalWithToken("aud-secret-minter", "keygate.tokens:create",
                "keygate.tokens:revoke", "keygate.tokens:read", "aud.secret:read");
        server.createPrincipal("aud-secret-svc", "service");
        server.createRole("aud-secret-role", "aud.secret:read");
        JsonNode byAdmin = server.mint("aud-secret-svc", List.of("aud-secret-role"), Map.of("name", "by admin"));
        JsonNode byMinter = TestServer.expect(server.post("/v1/tokens", minter.get("token").asText(), Map.of(
                "principal", "aud-secret-svc", "roles", List.of("aud-secret-role"), "name", "by minter")), 201);
        List<JsonNode> minted = List.of(minter, byAdmin, byMinter);
        List<String> texts = new ArrayList<>();
        for (JsonNode t : minted) {
            server.verify(t.get("token").asText(), "aud.secret:read");
            server.verify(t.get("token").asText(), "aud.secret:write");
        }
        texts.add(server.post("/v1/tokens/" + byMinter.get("id").asText() + "/revoke", minter.get("token").asText(),
                Map.of("reason", "leaked in test")).text());
        server.verify(byMinter.get("token").asText(), "aud.secret:read");
        server.flushAudit();
        texts.add(server.get("/v1/audit?limit=1000", server.adminToken()).text());
        for (JsonNode t : minted) {
            String id = t.get("id").asText();
            texts.add(server.get("/v1/audit?token_id=" + id, server.adminToken()).text());
            texts.add(server.get("/v1/tokens/" + id, server.adminToken()).text());
        }
        texts.add(server.get("/v1/tokens?limit=1000", server.adminToken()).text());

        List<String> secrets = new ArrayList<>(List.of(server.adminToken()));
        minted.forEach(t -> secrets.add(t.get("token").asText()));
        assertThat(items(query("token_id=" + byMinter.get("id").asText()))).hasSizeGreaterThanOrEqualTo(5);
        for (String secret : secrets) {
            // The random part alone is as secret as the whole token.
            String random = secret.substring(secret.lastIndexOf('_') + 1, secret.lastIndexOf('_') + 31);
            assertThat(texts).allSatisfy(text -> assertThat(text).doesNotContain(secret).doesNotContain(random));
            assertThat(server.count("SELECT COUNT(*) FROM audit_events WHERE COALESCE(detail, '') || ' '"
                    + " || COALESCE(target, '') || ' ' || COALESCE(actor_token_id, '') || ' '"
                    + " || COALESCE(permission, '') || ' ' || COALESCE(user_agent, '') LIKE '%" + random + "%'"))
                    .isZero();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    /** {@code GET /v1/audit?<params>} as the admin; the page. */
    private static JsonNode query(String params) {
        return TestServer.expect(server.get("/v1/audit?" + params, server.adminToken()), 200);
    }

    /** Every page of a query, following {@code next_cursor} until it is null (at most 50 pages). */
    private static List<JsonNode> walk(String params, int limit) {
        List<JsonNode> pages = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = query(params + "&limit=" + limit + (cursor == null ? "" : "&cursor=" + encode(cursor)));
            pages.add(page);
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null && pages.size() < 50);
        return pages;
    }

    /** The admin's event of {@code action} on {@code target}; fails unless there is exactly one. */
    private static JsonNode adminEvent(String action, String target) {
        List<JsonNode> found = items(query("principal=admin&action=" + action + "&limit=1000")).stream()
                .filter(e -> target.equals(e.path("target").asText())).toList();
        assertThat(found).as("%s events on %s", action, target).hasSize(1);
        return found.get(0);
    }

    private static void assertAdminEvent(JsonNode e, String action, String target, String permission, Instant time) {
        assertThat(e.get("id").asLong()).isPositive();
        assertThat(e.get("action").asText()).isEqualTo(action);
        assertThat(e.get("actor_token_id").asText()).isEqualTo(adminTokenId());
        assertThat(e.get("actor_principal").asText()).isEqualTo("admin");
        assertThat(e.get("target").asText()).isEqualTo(target);
        assertThat(e.get("permission").asText()).isEqualTo(permission);
        assertThat(e.get("decision").asText()).isEqualTo("allow");
        assertThat(e.get("code").asText()).isEqualTo("OK");
        assertThat(e.get("client_ip").asText()).isIn("127.0.0.1", "::1", "0:0:0:0:0:0:0:1");
        assertThat(e.get("user_agent").asText()).startsWith("Java-http-client/");
        assertThat(Instant.parse(e.get("time").asText())).isEqualTo(time);
    }

    /** The id of the bootstrap admin token (the only token of the principal {@code admin}). */
    private static String adminTokenId() {
        JsonNode tokens = TestServer.expect(server.get("/v1/tokens?principal=admin", server.adminToken()), 200);
        assertThat(tokens.get("items")).hasSize(1);
        return tokens.get("items").get(0).get("id").asText();
    }

    private static void createRoleAs(String token, String name) {
        TestServer.expect(server.post("/v1/roles", token, Map.of("name", name, "permissions", List.of("a:read"))),
                201);
    }

    private static void assertValidationFailure(TestServer.Response r, String field) {
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().get("code").asText()).isEqualTo("validation_failed");
        assertThat(r.json().get("errors")).extracting(e -> e.get("field").asText()).containsExactly(field);
    }

    private static List<JsonNode> items(JsonNode page) {
        List<JsonNode> out = new ArrayList<>();
        page.get("items").forEach(out::add);
        return out;
    }

    private static List<Long> ids(List<JsonNode> events) {
        return events.stream().map(e -> e.get("id").asLong()).toList();
    }

    private static List<String> targets(List<JsonNode> events) {
        return events.stream().map(e -> e.get("target").asText()).toList();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** {@code text} encoded as the server encodes its cursors. */
    private static String base64Url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
