package dev.keygate.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.Race;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Policy as code: {@code GET /v1/policy}, {@code POST /v1/policy/plan} and {@code POST /v1/policy/apply}. A file is
 * authoritative for every role of its server, so the tests that apply one run on a server of their own.
 */
class PolicyApiTest extends EndToEndTest {

    // ---- files ---------------------------------------------------------------------------------------------

    /** A policy file of {@code roles}. */
    static Map<String, Object> file(List<Map<String, Object>> roles) {
        return Map.of("version", 1, "roles", roles);
    }

    /** A role of a file: name, permissions, then pairs of further fields. */
    static Map<String, Object> role(String name, List<String> permissions, Object... fields) {
        Map<String, Object> role = new LinkedHashMap<>();
        role.put("name", name);
        role.put("permissions", permissions);
        for (int i = 0; i < fields.length; i += 2) {
            role.put((String) fields[i], fields[i + 1]);
        }
        return role;
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Map<String, Object> deny(String permission) {
        return Map.of("permission", permission, "effect", "deny");
    }

    private static JsonNode plan(TestServer s, Object file) {
        return TestServer.expect(s.post("/v1/policy/plan", s.adminToken(), file), 200);
    }

    private static JsonNode apply(TestServer s, Object file) {
        return TestServer.expect(s.post("/v1/policy/apply", s.adminToken(), file), 200);
    }

    private static JsonNode roleOn(TestServer s, String name) {
        return TestServer.expect(s.get("/v1/roles/" + name, s.adminToken()), 200);
    }

    private static List<String> roleNames(TestServer s) {
        return TestServer.expect(s.get("/v1/roles", s.adminToken()), 200).get("items").valueStream()
                .map(r -> r.get("name").asText()).toList();
    }

    private static long auditEvents(TestServer s) {
        return s.count("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'role.%'");
    }

    /** A token holding {@code role}, minted by the admin for a new principal. */
    private static String holder(TestServer s, String role) {
        return s.mint(s.newPrincipal("holder"), List.of(role), Map.of()).get("token").asText();
    }

    private static Map<String, JsonNode> changesByRole(JsonNode plan) {
        Map<String, JsonNode> byRole = new LinkedHashMap<>();
        plan.get("changes").forEach(c -> byRole.put(c.get("role").asText(), c));
        return byRole;
    }

    // ---- plan ----------------------------------------------------------------------------------------------

    @Test
    void planWhenTheFileDiffersThenListsCreateUpdateDeleteWithLiveTokensAndChangesNothing() {
        try (TestServer s = TestServer.start(store)) {
            s.createRole("reader", "orders.items:read", "orders.items:list");
            s.createRole("retired", "legacy.reports:read");
            s.createRole("steady", "metrics.*:read", "metrics.dashboards:list");
            holder(s, "reader");
            holder(s, "reader");
            holder(s, "retired");
            long events = auditEvents(s);

            JsonNode plan = plan(s, file(List.of(
                    role("reader", List.of("orders.items:read"), "description", "Reads orders"),
                    role("steady", List.of("metrics.dashboards:list", "metrics.*:read")),
                    role("writer", List.of("orders.items:write"), "max_ttl", "1h", "environments",
                            List.of("staging")))));

            assertThat(plan.get("unchanged").asInt()).as("a reordered role is no change").isEqualTo(1);
            Map<String, JsonNode> changes = changesByRole(plan);
            assertThat(changes.keySet()).containsExactly("reader", "retired", "writer");
            JsonNode reader = changes.get("reader");
            assertThat(reader.get("action").asText()).isEqualTo("update");
            assertThat(reader.get("changed")).extracting(JsonNode::asText).containsExactly("description", "grants");
            assertThat(reader.get("live_tokens").asInt()).isEqualTo(2);
            assertThat(reader.has("blocked")).as("narrowing is allowed under live tokens").isFalse();
            assertThat(reader.get("before").get("permissions")).hasSize(2);
            assertThat(reader.get("after").get("permissions")).extracting(JsonNode::asText)
                    .containsExactly("orders.items:read");
            assertThat(reader.get("after").has("updated_at")).as("not applied yet").isFalse();
            JsonNode retired = changes.get("retired");
            assertThat(retired.get("action").asText()).isEqualTo("delete");
            assertThat(retired.get("live_tokens").asInt()).isEqualTo(1);
            assertThat(retired.get("blocked").asText()).contains("held by 1 live token");
            assertThat(retired.has("after")).isFalse();
            JsonNode writer = changes.get("writer");
            assertThat(writer.get("action").asText()).isEqualTo("create");
            assertThat(writer.get("changed")).isEmpty();
            assertThat(writer.get("live_tokens").asInt()).isZero();
            assertThat(writer.has("before")).isFalse();
            assertThat(writer.get("after").get("max_ttl").asText()).isEqualTo("1h");
            assertThat(writer.get("after").get("environments")).extracting(JsonNode::asText)
                    .containsExactly("staging");

            assertThat(roleNames(s)).containsExactlyInAnyOrder("keygate-admin", "reader", "retired", "steady");
            assertThat(roleOn(s, "reader").get("permissions")).hasSize(2);
            assertThat(auditEvents(s)).isEqualTo(events);
        }
    }

    @Test
    void planWhenTheServerMatchesTheFileThenNoChanges() {
        try (TestServer s = TestServer.start(store)) {
            s.createRole("only", "orders.items:read");

            JsonNode plan = plan(s, file(List.of(role("only", List.of("orders.items:read")))));

            assertThat(plan.get("changes")).isEmpty();
            assertThat(plan.get("unchanged").asInt()).isEqualTo(1);
        }
    }

    @Test
    void planWhenAFieldIsLeftOutThenItMeansTheDefaultNotKeep() {
        try (TestServer s = TestServer.start(store)) {
            TestServer.expect(s.post("/v1/roles", s.adminToken(), Map.of("name", "capped", "description", "text",
                    "permissions", List.of("a.b:c"), "max_ttl", "1h", "environments", List.of("staging"))), 201);

            JsonNode change = plan(s, file(List.of(role("capped", List.of("a.b:c"))))).get("changes").get(0);

            assertThat(change.get("changed")).extracting(JsonNode::asText)
                    .containsExactly("description", "max_ttl", "environments");
            assertThat(change.get("after").get("description").asText()).isEmpty();
            assertThat(change.get("after").has("max_ttl")).isFalse();
            assertThat(change.get("after").has("environments")).isFalse();
        }
    }

    // ---- apply ---------------------------------------------------------------------------------------------

    @Test
    void applyWhenValidThenAppliesEveryChangeAuditsEachAndASecondApplyIsANoOp() {
        try (TestServer s = TestServer.start(store)) {
            s.createRole("reader", "orders.items:read", "orders.items:list");
            s.createRole("retired", "legacy.reports:read");
            String token = holder(s, "reader");
            assertThat(s.verify(token, "orders.items:list").get("code").asText()).isEqualTo("VALID");
            long events = auditEvents(s);
            Map<String, Object> file = file(List.of(
                    role("reader", List.of("orders.items:read"), "grants", List.of(deny("orders.items:purge"))),
                    role("writer", List.of("orders.items:write"), "description", "Writes orders", "max_ttl", "2h",
                            "environments", List.of("staging", "live"))));

            JsonNode applied = apply(s, file);

            Map<String, JsonNode> changes = changesByRole(applied);
            assertThat(changes.keySet()).containsExactly("reader", "retired", "writer");
            assertThat(changes.get("writer").get("after").get("created_at").asText()).endsWith("Z");
            assertThat(roleNames(s)).containsExactlyInAnyOrder("keygate-admin", "reader", "writer");
            JsonNode writer = roleOn(s, "writer");
            assertThat(writer.get("description").asText()).isEqualTo("Writes orders");
            assertThat(writer.get("max_ttl").asText()).isEqualTo("2h");
            assertThat(writer.get("environments")).extracting(JsonNode::asText).containsExactly("staging", "live");
            assertThat(roleOn(s, "reader").get("grants")).extracting(g -> g.get("effect").asText())
                    .containsExactly("allow", "deny");
            assertThat(s.verify(token, "orders.items:list").get("code").asText())
                    .as("the narrowing reaches the holder's cached view at once").isEqualTo("FORBIDDEN");
            assertThat(auditEvents(s)).isEqualTo(events + 3);
            List<JsonNode> audit = TestServer.expect(s.get("/v1/audit?limit=20", s.adminToken()), 200).get("items")
                    .valueStream().filter(e -> e.get("action").asText().startsWith("role.")).limit(3).toList();
            assertThat(audit).extracting(e -> e.get("action").asText() + " " + e.get("target").asText())
                    .containsExactlyInAnyOrder("role.create writer", "role.update reader", "role.delete retired");
            assertThat(audit).allSatisfy(e -> assertThat(e.get("actor_principal").asText()).isEqualTo("admin"));

            JsonNode again = apply(s, file);

            assertThat(again.get("changes")).isEmpty();
            assertThat(again.get("unchanged").asInt()).isEqualTo(2);
            assertThat(auditEvents(s)).as("an identical file writes nothing").isEqualTo(events + 3);
        }
    }

    @Test
    void applyWhenOnlyTheOrderOfGrantsAndEnvironmentsDiffersThenNothingIsWritten() {
        try (TestServer s = TestServer.start(store)) {
            apply(s, file(List.of(role("ordered", List.of("a.b:read", "a.c:read"), "grants",
                    List.of(deny("a.b:purge")), "environments", List.of("staging", "live")))));
            JsonNode before = roleOn(s, "ordered");
            long events = auditEvents(s);

            JsonNode applied = apply(s, file(List.of(Map.of("name", "ordered",
                    "grants", List.of(deny("a.b:purge"), Map.of("permission", "a.c:read", "effect", "allow")),
                    "permissions", List.of("a.b:read"), "environments", List.of("live", "staging")))));

            assertThat(applied.get("changes")).isEmpty();
            assertThat(roleOn(s, "ordered")).isEqualTo(before);
            assertThat(auditEvents(s)).isEqualTo(events);
        }
    }

    @Test
    void applyWhenAnyRoleIsInvalidThen400ListingEveryErrorAndNothingChanges() {
        try (TestServer s = TestServer.start(store)) {
            s.createRole("kept", "orders.items:read");
            long events = auditEvents(s);
            Map<String, Object> bad = new LinkedHashMap<>();
            bad.put("version", 1);
            bad.put("roles", List.of(
                    role("fine", List.of("orders.items:write")),
                    role("Bad Name", List.of("orders.items:read")),
                    role("perm", List.of("billing:")),
                    role("grant", List.of(), "grants", List.of(
                            Map.of("permission", "a.b:c", "effect", "permit"),
                            Map.of("permission", "a.b:c", "effect", "deny", "when", "always"))),
                    role("ttl", List.of("a.b:c"), "max_ttl", "1y", "max-ttl", "1h"),
                    role("fine", List.of("orders.items:read")),
                    role("keygate-admin", List.of("keygate.*:*")),
                    role("typed", List.of("a.b:c"), "description", 42)));

            TestServer.Response r = s.post("/v1/policy/apply", s.adminToken(), bad);
            TestServer.Response planned = s.post("/v1/policy/plan", s.adminToken(), bad);

            assertThat(r.status()).as(r.text()).isEqualTo(400);
            assertThat(r.json().get("code").asText()).isEqualTo("validation_failed");
            assertThat(r.json().get("errors")).extracting(e -> e.get("field").asText()).containsExactlyInAnyOrder(
                    "roles[1].name", "roles[2].permissions[0]", "roles[3].grants[0].effect",
                    "roles[3].grants[1].when", "roles[4].max-ttl", "roles[4].max_ttl", "roles[5].name",
                    "roles[6].name", "roles[7].description");
            assertThat(r.text()).contains("named already by roles[0]").contains("built-in role");
            assertThat(r.json().get("errors")).filteredOn(e -> e.get("field").asText().equals("roles[7].description"))
                    .singleElement().satisfies(e -> assertThat(e.get("message").asText())
                            .isEqualTo("must be a string, not a number (quote it: \"42\")"));
            assertThat(planned.status()).isEqualTo(400);
            assertThat(planned.json().get("errors")).isEqualTo(r.json().get("errors"));
            assertThat(roleNames(s)).containsExactlyInAnyOrder("keygate-admin", "kept");
            assertThat(auditEvents(s)).isEqualTo(events);
        }
    }

    @Test
    void applyWhenTheVersionOrTheShapeIsWrongThen400() {
        TestServer.Response noVersion = server.post("/v1/policy/plan", server.adminToken(),
                Map.of("roles", List.of()));
        TestServer.Response version2 = server.post("/v1/policy/plan", server.adminToken(),
                Map.of("version", 2, "roles", List.of(), "extra", true));
        TestServer.Response notAList = server.post("/v1/policy/apply", server.adminToken(),
                Map.of("version", 1, "roles", "reader"));
        TestServer.Response notAnObject = server.post("/v1/policy/apply", server.adminToken(), "[]");

        RotationApiTest.assertValidationError(noVersion, "version");
        assertThat(version2.json().get("errors")).extracting(e -> e.get("field").asText())
                .containsExactlyInAnyOrder("version", "extra");
        RotationApiTest.assertValidationError(notAList, "roles");
        assertThat(notAnObject.status()).isEqualTo(400);
    }

    @Test
    void applyWhenAChangeIsBlockedThen409ListingEveryBlockedChangeAndNothingChanges() {
        try (TestServer s = TestServer.start(store)) {
            s.createRole("held", "orders.items:read");
            s.createRole("widened", "orders.items:read");
            s.createRole("moved", "orders.items:read");
            holder(s, "held");
            holder(s, "widened");
            holder(s, "moved");
            long events = auditEvents(s);
            Map<String, Object> file = file(List.of(
                    role("widened", List.of("orders.items:read", "orders.items:write")),
                    role("moved", List.of("orders.items:read"), "environments", List.of("staging")),
                    role("fresh", List.of("orders.items:read"))));

            JsonNode plan = plan(s, file);
            TestServer.Response r = s.post("/v1/policy/apply", s.adminToken(), file);

            Map<String, JsonNode> changes = changesByRole(plan);
            assertThat(changes.get("held").get("blocked").asText()).contains("held by 1 live token");
            assertThat(changes.get("widened").get("blocked").asText()).contains("widen").contains("orders.items:write");
            assertThat(changes.get("moved").get("blocked").asText()).contains("[live]");
            assertThat(changes.get("fresh").has("blocked")).isFalse();
            assertThat(r.status()).as(r.text()).isEqualTo(409);
            assertThat(r.json().get("code").asText()).isEqualTo("conflict");
            assertThat(r.json().get("detail").asText()).contains("3 of the 4 change(s)").contains("delete 'held'")
                    .contains("update 'widened'").contains("update 'moved'").contains("none was applied");
            assertThat(roleNames(s)).containsExactlyInAnyOrder("held", "keygate-admin", "moved", "widened");
            assertThat(roleOn(s, "widened").get("permissions")).hasSize(1);
            assertThat(auditEvents(s)).isEqualTo(events);
        }
    }

    // ---- conditions -----------------------------------------------------------------------------------------

    @Test
    void applyWhenAConditionDoesNotCompileThen400AtItsPathInTheFile() {
        TestServer.Response r = server.post("/v1/policy/apply", server.adminToken(), file(List.of(
                role(TestServer.unique("cond-ok"), List.of("a.b:read")),
                role(TestServer.unique("cond-bad"), List.of(), "grants", List.of(
                        Map.of("permission", "a.b:read", "effect", "allow",
                                "condition", "request.ip.inCidr('10.0.0.0/8')"),
                        Map.of("permission", "a.b:write", "effect", "allow",
                                "condition", "request.tiem.getHours() < 18"))))));

        RotationApiTest.assertValidationError(r, "roles[1].grants[1].condition");
        assertThat(r.json().get("errors")).singleElement().satisfies(e ->
                assertThat(e.get("message").asText()).contains("request.tiem").contains("position"));
    }

    @Test
    void applyWhenConditionsThenVerifyDecidesByThemAndAChangedConditionIsAChange() {
        try (TestServer s = TestServer.start(store)) {
            Map<String, Object> internal = Map.of("permission", "metrics.*:read", "effect", "allow",
                    "condition", "request.ip.inCidr('10.0.0.0/8')");
            apply(s, file(List.of(Map.of("name", "metrics", "grants", List.of(internal)))));
            String token = holder(s, "metrics");

            JsonNode inside = TestServer.expect(s.post("/v1/verify", null, Map.of("token", token,
                    "permission", "metrics.cpu:read", "context", Map.of("ip", "10.1.2.3"))), 200);
            JsonNode outside = TestServer.expect(s.post("/v1/verify", null, Map.of("token", token,
                    "permission", "metrics.cpu:read", "context", Map.of("ip", "192.0.2.1"))), 200);
            JsonNode wider = plan(s, file(List.of(Map.of("name", "metrics", "grants", List.of(Map.of(
                    "permission", "metrics.*:read", "effect", "allow",
                    "condition", "request.ip.inCidr('0.0.0.0/0')"))))));
            JsonNode same = plan(s, file(List.of(Map.of("name", "metrics", "grants", List.of(internal)))));

            assertThat(inside.get("code").asText()).isEqualTo("VALID");
            assertThat(outside.get("code").asText()).isEqualTo("FORBIDDEN");
            JsonNode change = wider.get("changes").get(0);
            assertThat(change.get("changed")).extracting(JsonNode::asText).containsExactly("grants");
            assertThat(change.get("blocked").asText()).as("another condition on an allow widens it")
                    .contains("widen");
            assertThat(same.get("changes")).isEmpty();
        }
    }

    // ---- the built-in role, export, permissions -----------------------------------------------------------

    @Test
    void exportWhenRolesThenCanonicalFileWithoutTheBuiltInRoleAndItPlansAsNoChange() {
        try (TestServer s = TestServer.start(store)) {
            TestServer.expect(s.post("/v1/roles", s.adminToken(), Map.of("name", "mixed", "description", "Mixed",
                    "permissions", List.of("a.b:read"), "grants", List.of(deny("a.b:purge"),
                            Map.of("permission", "a.c:read", "effect", "allow")),
                    "max_ttl", "90m", "environments", List.of("live"))), 201);
            TestServer.expect(s.post("/v1/roles", s.adminToken(), Map.of("name", "guard",
                    "grants", List.of(deny("a.*:delete")))), 201);
            s.createRole("plain", "a.b:read");

            JsonNode exported = TestServer.expect(s.get("/v1/policy", s.adminToken()), 200);

            assertThat(exported).isEqualTo(json("""
                    {"version": 1, "roles": [
                      {"name": "guard", "grants": [{"permission": "a.*:delete", "effect": "deny"}]},
                      {"name": "mixed", "description": "Mixed", "permissions": ["a.b:read", "a.c:read"],
                       "grants": [{"permission": "a.b:purge", "effect": "deny"}], "max_ttl": "90m",
                       "environments": ["live"]},
                      {"name": "plain", "permissions": ["a.b:read"]}]}"""));
            JsonNode plan = plan(s, exported);
            assertThat(plan.get("changes")).isEmpty();
            assertThat(plan.get("unchanged").asInt()).isEqualTo(3);
        }
    }

    @Test
    void applyWhenTheFileLacksTheBuiltInRoleThenItStaysAndTheAdminKeepsWorking() {
        try (TestServer s = TestServer.start(store)) {
            JsonNode admin = roleOn(s, "keygate-admin");

            JsonNode applied = apply(s, file(List.of()));

            assertThat(applied.get("changes")).isEmpty();
            assertThat(roleOn(s, "keygate-admin")).isEqualTo(admin);
            assertThat(roleNames(s)).containsExactlyInAnyOrder("keygate-admin");
        }
    }

    @Test
    void planAndApplyNeedTheirPermissions() {
        String reader = server.mint(server.newPrincipal("policy-reader"),
                List.of(server.newRole("policy-reader", "keygate.roles:read")), Map.of()).get("token").asText();
        String nobody = server.mint(server.newPrincipal("policy-nobody"),
                List.of(server.newRole("policy-nobody", "keygate.tokens:read")), Map.of()).get("token").asText();
        Map<String, Object> file = file(List.of());

        assertThat(server.post("/v1/policy/plan", reader, file).status()).isEqualTo(200);
        assertThat(server.get("/v1/policy", reader).status()).isEqualTo(200);
        TestServer.Response apply = server.post("/v1/policy/apply", reader, file);
        assertThat(apply.status()).isEqualTo(403);
        assertThat(apply.json().get("detail").asText()).contains("keygate.roles:write");
        assertThat(server.post("/v1/policy/plan", nobody, file).status()).isEqualTo(403);
        assertThat(server.get("/v1/policy", nobody).status()).isEqualTo(403);
        assertThat(server.post("/v1/policy/apply", null, file).status()).isEqualTo(401);
    }

    // ---- concurrency ---------------------------------------------------------------------------------------

    /** Two applications of different files at once: the store ends as one file or the other, never a mix. */
    @Test
    void applyWhenTwoFilesAtOnceThenTheStoreEndsAsOneOfThem() throws Exception {
        try (TestServer s = TestServer.start(store)) {
            List<Map<String, Object>> a = new ArrayList<>();
            List<Map<String, Object>> b = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                a.add(role("a-only-" + i, List.of("a.x:read")));
                b.add(role("b-only-" + i, List.of("b.x:read")));
                a.add(role("shared-" + i, List.of("s.x:read"), "description", "from a"));
                b.add(role("shared-" + i, List.of("s.x:read"), "description", "from b"));
            }
            JsonNode stateA = exportAfter(file(a));
            JsonNode stateB = exportAfter(file(b));
            for (int round = 0; round < 5; round++) {
                apply(s, file(round % 2 == 0 ? List.of(role("seed", List.of("z.z:z"))) : a));
                List<Callable<Integer>> both = List.of(
                        () -> s.post("/v1/policy/apply", s.adminToken(), file(a)).status(),
                        () -> s.post("/v1/policy/apply", s.adminToken(), file(b)).status());

                List<Integer> statuses = Race.all(both);

                assertThat(statuses).containsExactly(200, 200);
                JsonNode end = TestServer.expect(s.get("/v1/policy", s.adminToken()), 200);
                assertThat(end).as("round " + round).isIn(stateA, stateB);
            }
        }
    }

    /** What {@code GET /v1/policy} answers once {@code file} is applied on an empty server. */
    private JsonNode exportAfter(Map<String, Object> file) {
        try (TestServer s = TestServer.start(store)) {
            apply(s, file);
            return TestServer.expect(s.get("/v1/policy", s.adminToken()), 200);
        }
    }
}
