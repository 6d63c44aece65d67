package dev.keygate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.keygate.cli.TestJson.tree;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code keygate policy export|plan|apply} against a real server. A policy file is authoritative for every role of
 * its server, so each test runs on a server of its own.
 */
class PolicyCommandsTest extends CliEndToEndTest {

    @TempDir
    Path dir;

    private Path file(String name, String yaml) throws IOException {
        return Files.writeString(dir.resolve(name), yaml);
    }

    private static void role(TestServer s, Map<String, Object> body) {
        TestServer.expect(s.post("/v1/roles", s.adminToken(), body), 201);
    }

    private static String holder(TestServer s, String role) {
        return s.mint(s.newPrincipal("holder"), List.of(role), Map.of()).get("token").asText();
    }

    // ---- export ------------------------------------------------------------------------------------------

    @Test
    void exportWhenRolesThenWritesTheCanonicalYamlWithoutTheBuiltInRole() {
        try (TestServer s = TestServer.start(store)) {
            role(s, Map.of("name", "ci-deployer", "description", "Deploys applications from CI",
                    "permissions", List.of("deploy.apps:write", "deploy.apps:read"),
                    "grants", List.of(Map.of("permission", "deploy.apps:delete", "effect", "deny")),
                    "max_ttl", "1h", "environments", List.of("staging", "live")));
            role(s, Map.of("name", "metrics-reader", "permissions", List.of("metrics.*:read")));

            Cli.Result r = Cli.against(s).run("policy", "export");

            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo("""
                    # Keygate policy file (docs/policy-as-code.md): every role but keygate-admin.
                    version: 1
                    roles:
                      - name: ci-deployer
                        description: Deploys applications from CI
                        permissions:
                          - deploy.apps:write
                          - deploy.apps:read
                        grants:
                          - permission: deploy.apps:delete
                            effect: deny
                        max_ttl: 1h
                        environments:
                          - staging
                          - live
                      - name: metrics-reader
                        permissions:
                          - metrics.*:read
                    """);
            assertThat(r.err()).isEmpty();
        }
    }

    /** Values a YAML reader could take for something else come back as the same strings. */
    @Test
    void exportThenPlanFromStdinWhenTrickyValuesThenNoChanges() throws IOException {
        try (TestServer s = TestServer.start(store)) {
            role(s, Map.of("name", "123", "description", "yes", "permissions", List.of("*:*")));
            role(s, Map.of("name", "tricky", "description", "a: b # c 'd' \"e\" 1e3",
                    "permissions", List.of("a.b:read", "x.*:*"),
                    "grants", List.of(Map.of("permission", "a.b:delete", "effect", "deny")),
                    "environments", List.of("no", "on", "1", "y")));
            role(s, Map.of("name", "null", "description", "0x1F", "grants",
                    List.of(Map.of("permission", "a.*:*", "effect", "deny")), "max_ttl", "90m"));
            Cli.Result exported = Cli.against(s).run("policy", "export");
            assertThat(exported.exitCode()).as(exported.err()).isZero();
            assertThat(PolicySchemaTest.errors(exported.out())).as("the export follows the published schema").isEmpty();

            Cli.Result plan = Cli.against(s).stdin(exported.out()).run("policy", "plan", "-f", "-");

            assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
            assertThat(plan.out()).isEqualTo("No changes: the server matches the file (3 roles).\n");
        }
    }

    @Test
    void exportWhenOutputFileThenWritesItAndSaysSo() throws IOException {
        try (TestServer s = TestServer.start(store)) {
            role(s, Map.of("name", "only", "permissions", List.of("a.b:c")));
            Path out = dir.resolve("policy.yaml");

            Cli.Result r = Cli.against(s).run("policy", "export", "-o", out.toString());
            Cli.Result json = Cli.against(s).run("policy", "export", "--json");

            assertThat(r.exitCode()).isZero();
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).isEqualTo("Wrote 1 role(s) to " + out + ".\n");
            assertThat(Files.readString(out)).endsWith("roles:\n  - name: only\n    permissions:\n      - a.b:c\n");
            assertThat(tree(json.out())).isEqualTo(TestServer.expect(s.get("/v1/policy", s.adminToken()), 200));
        }
    }

    // ---- plan ---------------------------------------------------------------------------------------------

    @Test
    void planWhenChangesThenPrintsEachRoleAndExits2() throws IOException {
        try (TestServer s = TestServer.start(store)) {
            role(s, Map.of("name", "billing", "description", "Reads invoices",
                    "permissions", List.of("billing.invoices:read", "billing.refunds:read"),
                    "grants", List.of(Map.of("permission", "billing.refunds:write", "effect", "deny"))));
            role(s, Map.of("name", "old-metrics", "permissions", List.of("metrics.*:read")));
            role(s, Map.of("name", "support", "permissions", List.of("support.tickets:read")));
            role(s, Map.of("name", "same", "permissions", List.of("a.b:c")));
            holder(s, "billing");
            holder(s, "billing");
            holder(s, "support");
            Path policy = file("policy.yaml", """
                    version: 1
                    roles:
                      - name: billing
                        description: Reads invoices, not refunds
                        permissions: [billing.invoices:read]
                        grants: [{permission: billing.refunds:write, effect: deny}]
                        max_ttl: 8h
                        environments: [live]
                      - name: ci-deployer
                        description: Deploys applications from CI
                        permissions: [deploy.apps:write, deploy.apps:read]
                        grants:
                          - {permission: deploy.apps:delete, effect: deny}
                        max_ttl: 1h
                        environments: [staging, live]
                      - name: support
                        permissions: [support.tickets:read, support.tickets:write]
                      - name: same
                        permissions: [a.b:c]
                    """);

            Cli.Result r = Cli.against(s).run("policy", "plan", "-f", policy.toString());

            assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
            assertThat(r.out()).isEqualTo("""
                    ~ update billing  (2 live tokens)
                        description   "Reads invoices" -> "Reads invoices, not refunds"
                        grants        - allow billing.refunds:read
                        max ttl       none -> 8h
                        environments  all -> live

                    + create ci-deployer
                        description   Deploys applications from CI
                        permissions   deploy.apps:write, deploy.apps:read
                        grants        deny deploy.apps:delete
                        max ttl       1h
                        environments  staging, live

                    - delete old-metrics  (no live tokens)

                    ~ update support  (1 live token)
                        grants        + allow support.tickets:write
                        BLOCKED       role 'support' is held by 1 live token(s); the change would widen them (allow \
                    support.tickets:write). Create a new role for the wider access instead

                    Plan: 1 to create, 2 to update, 1 to delete; 1 unchanged.
                    1 change is BLOCKED: apply would refuse the whole file, and change nothing, until it is resolved.
                    """);
            assertThat(r.err()).isEmpty();
            assertThat(TestServer.expect(s.get("/v1/roles/billing", s.adminToken()), 200).get("description")
                    .asText()).isEqualTo("Reads invoices");
        }
    }

    @Test
    void planWhenJsonThenPrintsTheServersPlan() throws IOException {
        try (TestServer s = TestServer.start(store)) {
            role(s, Map.of("name", "reader", "permissions", List.of("a.b:read", "a.b:list")));
            holder(s, "reader");
            String yaml = """
                    version: 1
                    roles:
                      - {name: reader, permissions: [a.b:read], description: narrower}
                      - {name: writer, permissions: [a.b:write], max_ttl: 1h}
                    """;

            Cli.Result r = Cli.against(s).run("policy", "plan", "--json", "-f", file("p.yaml", yaml).toString());

            assertThat(r.exitCode()).isEqualTo(2);
            JsonNode direct = TestServer.expect(s.post("/v1/policy/plan", s.adminToken(), Map.of("version", 1,
                    "roles", List.of(Map.of("name", "reader", "permissions", List.of("a.b:read"),
                                    "description", "narrower"),
                            Map.of("name", "writer", "permissions", List.of("a.b:write"), "max_ttl", "1h")))), 200);
            assertThat(tree(r.out())).isEqualTo(direct);
        }
    }

    @Test
    void planWhenTheFileIsInvalidThenListsEveryProblemAndExits1() throws IOException {
        Path policy = file("bad.yaml", """
                version: 1
                roles:
                  - name: keygate-admin
                    permissions: [keygate.*:*]
                  - name: reader
                    permissions: ["billing:"]
                    max-ttl: 1h
                  - name: reader
                    grants:
                      - {permission: a.b:c, effect: permit}
                  - name: envs
                    permissions: [a.b:c]
                    environments: [live, no]
                """);

        Cli.Result r = cli().run("policy", "plan", "-f", policy.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("keygate: 400 Invalid request: 6 fields are invalid\n")
                .contains("  roles[0].name: 'keygate-admin' is Keygate's built-in role")
                .contains("  roles[1].permissions[0]: invalid permission 'billing:'")
                .contains("  roles[1].max-ttl: is not a known field")
                .contains("  roles[2].grants[0].effect: must be \"allow\" or \"deny\"")
                .contains("  roles[2].name: 'reader' is named already by roles[1]")
                .contains("  roles[3].environments[1]: must be a string, not a boolean (in YAML, quote yes, no, on, "
                        + "off, true and false)");
    }

    @Test
    void planWhenTheYamlIsMalformedThenSaysWhereAndExits1() throws IOException {
        Cli.Result syntax = cli().run("policy", "plan", "-f", file("syntax.yaml", """
                version: 1
                roles:
                  - name: [a
                    permissions: [a.b:c]
                """).toString());
        Cli.Result duplicate = cli().run("policy", "plan", "-f", file("dup.yaml", """
                version: 1
                roles:
                  - name: a
                    name: b
                    permissions: [a.b:c]
                """).toString());
        Cli.Result alias = cli().stdin("""
                version: 1
                roles:
                  - name: a
                    permissions: &p [a.b:c]
                  - name: b
                    permissions: *p
                """).run("policy", "plan", "-f", "-");
        Cli.Result empty = cli().stdin("# nothing\n").run("policy", "plan", "-f", "-");
        Cli.Result missing = cli().run("policy", "plan", "-f", dir.resolve("nope.yaml").toString());

        assertThat(syntax.exitCode()).isEqualTo(1);
        assertThat(syntax.err()).startsWith("keygate: " + dir.resolve("syntax.yaml") + ":4:16: ");
        assertThat(duplicate.exitCode()).isEqualTo(1);
        assertThat(duplicate.err()).startsWith("keygate: " + dir.resolve("dup.yaml") + ":4:")
                .contains("Duplicate field 'name'");
        assertThat(alias.exitCode()).isEqualTo(1);
        assertThat(alias.err()).isEqualTo("keygate: stdin:6:18: YAML aliases (*p) are not allowed in policy files; "
                + "write the value out\n");
        assertThat(empty.exitCode()).isEqualTo(1);
        assertThat(empty.err()).startsWith("keygate: stdin: the file is empty");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("no such file");
    }

    @Test
    void planWhenUsageErrorThenExits1NotTheChangesCode() {
        Cli.Result noFile = cli().run("policy", "plan");
        Cli.Result unknown = cli().run("policy", "plan", "-f", "x.yaml", "--detailed");
        Cli.Result applyNoFile = cli().run("policy", "apply");

        assertThat(noFile.exitCode()).isEqualTo(1);
        assertThat(noFile.err()).contains("Missing required option: '--file=FILE'");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(applyNoFile.exitCode()).as("other commands keep the usage code").isEqualTo(2);
    }

    // ---- apply --------------------------------------------------------------------------------------------

    /** The published example is a policy a real server takes as it is, and then matches. */
    @Test
    void applyWhenTheExamplePolicyThenItAppliesCleanlyAndPlansAsNoChange() throws IOException {
        try (TestServer s = TestServer.start(store)) {
            String example = PolicySchemaTest.EXAMPLE.toString();

            Cli.Result applied = Cli.against(s).run("policy", "apply", "-f", example);
            Cli.Result plan = Cli.against(s).run("policy", "plan", "-f", example);
            Cli.Result exported = Cli.against(s).run("policy", "export");
            Cli.Result replanned = Cli.against(s).stdin(exported.out()).run("policy", "plan", "-f", "-");

            assertThat(applied.exitCode()).as(applied.out() + applied.err()).isZero();
            assertThat(applied.out()).endsWith("Applied: 7 created, 0 updated, 0 deleted; 0 unchanged.\n");
            assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
            assertThat(plan.out()).isEqualTo("No changes: the server matches the file (7 roles).\n");
            assertThat(replanned.exitCode()).as(replanned.out()).isZero();
            assertThat(PolicySchemaTest.errors(exported.out())).isEmpty();
            assertThat(TestServer.expect(s.get("/v1/roles/oncall-breakglass", s.adminToken()), 200).get("grants"))
                    .hasSize(4);
        }
    }

    @Test
    void applyWhenChangesThenAppliesThemAndAgainChangesNothing() throws IOException {
        try (TestServer s = TestServer.start(store)) {
            role(s, Map.of("name", "retired", "permissions", List.of("legacy.reports:read")));
            Path policy = file("policy.yaml", """
                    version: 1
                    roles:
                      - name: ci-deployer
                        permissions: [deploy.apps:write]
                        grants:
                          - {permission: deploy.apps:delete, effect: deny}
                      - name: metrics-reader
                        description: Reads dashboards
                        permissions: [metrics.*:read]
                    """);

            Cli.Result first = Cli.against(s).run("policy", "apply", "-f", policy.toString());
            Cli.Result second = Cli.against(s).run("policy", "apply", "-f", policy.toString());
            Cli.Result plan = Cli.against(s).run("policy", "plan", "-f", policy.toString());

            assertThat(first.exitCode()).as(first.err()).isZero();
            assertThat(first.out()).startsWith("+ create ci-deployer\n")
                    .contains("- delete retired  (no live tokens)\n")
                    .endsWith("Applied: 2 created, 0 updated, 1 deleted; 0 unchanged.\n");
            assertThat(second.exitCode()).isZero();
            assertThat(second.out()).isEqualTo("No changes: the server already matched the file (2 roles).\n");
            assertThat(plan.exitCode()).isZero();
            assertThat(TestServer.expect(s.get("/v1/roles/metrics-reader", s.adminToken()), 200)
                    .get("description").asText()).isEqualTo("Reads dashboards");
        }
    }

    @Test
    void applyWhenAChangeIsBlockedThenPrintsTheConflictChangesNothingAndExits1() throws IOException {
        try (TestServer s = TestServer.start(store)) {
            role(s, Map.of("name", "held", "permissions", List.of("a.b:read")));
            holder(s, "held");
            Path policy = file("policy.yaml", """
                    version: 1
                    roles:
                      - {name: fresh, permissions: [a.b:read]}
                    """);

            Cli.Result r = Cli.against(s).run("policy", "apply", "-f", policy.toString());

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).startsWith("keygate: 409 Conflict: 1 of the 2 change(s) would be refused, so none was "
                    + "applied: delete 'held': role 'held' is held by 1 live token(s)");
            assertThat(s.get("/v1/roles/fresh", s.adminToken()).status()).isEqualTo(404);
        }
    }

    @Test
    void applyWhenJsonThenPrintsWhatWasApplied() {
        try (TestServer s = TestServer.start(store)) {
            Cli.Result r = Cli.against(s).stdin("{\"version\": 1, \"roles\": [{\"name\": \"a\", \"permissions\": "
                    + "[\"a.b:c\"]}]}").run("policy", "apply", "--json", "-f", "-");

            assertThat(r.exitCode()).as(r.err()).isZero();
            JsonNode applied = tree(r.out());
            assertThat(applied.get("changes").get(0).get("action").asText()).isEqualTo("create");
            assertThat(applied.get("changes").get(0).get("after").get("created_at").asText()).endsWith("Z");
            assertThat(applied.get("unchanged").asInt()).isZero();
        }
    }
}
