package dev.keygate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.core.token.TokenFormat;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

import static dev.keygate.cli.TestJson.tree;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code keygate scan} on a tree generated for each test: real tokens minted by the real server (live, revoked, and
 * a parent with a child), a well-formed token no server knows, look-alikes whose checksum is wrong, in nested
 * directories, several on a line, at line starts and ends, after multi-byte characters, with CRLF line ends, and
 * in places that are skipped (a binary file, a file over the size limit, a .git directory).
 */
class ScanCommandTest extends CliEndToEndTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    /** The planted tokens and where they are. */
    private record Tree(Path root, JsonNode active, JsonNode parent, JsonNode child, JsonNode revoked,
                        String unknown, String lookAlike, List<String> secrets) {
        String winTxt() {
            return root.resolve("win.txt").toString();
        }

        String appEnv() {
            return root.resolve("config").resolve("app.env").toString();
        }

        String notes() {
            return root.resolve("deep").resolve("a").resolve("b").resolve("c").resolve("notes.md").toString();
        }

        String secret(JsonNode token) {
            return token.get("token").asText();
        }

        /** Column of the token after {@code parent}'s secret and " and " on line 3 of app.env. */
        int unknownColumn() {
            return secret(parent).length() + " and ".length() + 1;
        }

        int revokedColumn() {
            return unknownColumn() + unknown.length() + 1;
        }
    }

    private Tree plant() throws IOException {
        String principal = unique("scan-svc");
        String role = principalWithRole(principal, "billing.invoices:read", "keygate.tokens:create");
        JsonNode active = server.mint(principal, List.of(role), Map.of());
        JsonNode parent = server.mint(principal, List.of(role), Map.of());
        JsonNode child = TestServer.expect(server.post("/v1/tokens", parent.get("token").asText(), Map.of(
                "principal", principal, "roles", List.of(role), "child", true)), 201);
        JsonNode revoked = server.mint(principal, List.of(role), Map.of());
        TestServer.expect(server.post("/v1/tokens/" + id(revoked) + "/revoke", server.adminToken(),
                Map.of("reason", "rotated by hand")), 200);
        String unknown = TokenFormat.mint("test", RANDOM);
        String a = active.get("token").asText();
        String lookAlike = a.substring(0, a.length() - 1) + (a.endsWith("A") ? "B" : "A");
        String p = parent.get("token").asText();
        String r = revoked.get("token").asText();

        Path root = dir.resolve("tree");
        write(root.resolve("win.txt"), "first line\r\n" + unknown + "\r\n");
        write(root.resolve("empty.txt"), "");
        write(root.resolve("config/app.env"), "API_TOKEN=" + a + "\n"
                + "OLD_TOKEN=" + lookAlike + "\n"
                + p + " and " + unknown + "," + r + "\n"
                + "{\"token\":\"" + a + "\"}\n"
                + "kg_live_tooShort kg_" + a.substring(3, 20) + "\n");
        write(root.resolve("deep/a/b/c/notes.md"), "\u00e9 \u2192 " + r + "\n");
        write(root.resolve(".git/config"), "token = " + a + "\n");
        Files.createDirectories(root);
        Files.write(root.resolve("image.bin"), concat(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2}, a));
        write(root.resolve("big.txt"), "x".repeat(2048) + "\n" + p + "\n");
        return new Tree(root, active, parent, child, revoked, unknown, lookAlike,
                List.of(a, p, r, unknown, lookAlike, child.get("token").asText()));
    }

    @Test
    void scanWhenNoServerIsSetThenPrintsEveryLocationNeverATokenAndExits4() throws IOException {
        Tree t = plant();

        Cli.Result r = Cli.bare().run("scan", "--max-file-size", "1k", t.root().toString());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(4);
        assertThat(r.out()).isEqualTo(String.join("\n",
                t.winTxt() + ":2:1: kg_test_\u2026",
                t.appEnv() + ":1:11: kg_live_\u2026",
                t.appEnv() + ":3:1: kg_live_\u2026",
                t.appEnv() + ":3:" + t.unknownColumn() + ": kg_test_\u2026",
                t.appEnv() + ":3:" + t.revokedColumn() + ": kg_live_\u2026",
                t.appEnv() + ":4:11: kg_live_\u2026",
                t.notes() + ":1:5: kg_live_\u2026") + "\n");
        assertThat(r.err()).contains("keygate scan: scanned 4 files (")
                .contains("; skipped 1 binary file, 1 file over 1 KiB, 1 .git directory\n")
                .contains("keygate scan: skipped (over 1 KiB): " + t.root().resolve("big.txt") + "\n")
                .endsWith("keygate scan: found 7 tokens (4 distinct); not looked up (set KEYGATE_URL and "
                        + "KEYGATE_TOKEN to name them)\n");
        assertNoSecret(r, t);
    }

    @Test
    void scanWhenServerIsSetThenNamesEachTokenItKnowsWithItsStatus() throws IOException {
        Tree t = plant();

        Cli.Result r = cli().run("scan", "--max-file-size", "1k", t.root().toString());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(4);
        assertThat(r.out()).isEqualTo(String.join("\n",
                t.winTxt() + ":2:1: kg_test_\u2026 unknown",
                t.appEnv() + ":1:11: kg_live_\u2026 " + id(t.active()) + " active",
                t.appEnv() + ":3:1: kg_live_\u2026 " + id(t.parent()) + " active",
                t.appEnv() + ":3:" + t.unknownColumn() + ": kg_test_\u2026 unknown",
                t.appEnv() + ":3:" + t.revokedColumn() + ": kg_live_\u2026 " + id(t.revoked()) + " revoked",
                t.appEnv() + ":4:11: kg_live_\u2026 " + id(t.active()) + " active",
                t.notes() + ":1:5: kg_live_\u2026 " + id(t.revoked()) + " revoked") + "\n");
        assertThat(r.err()).endsWith("keygate scan: found 7 tokens (4 distinct): 2 active, 1 revoked, "
                + "1 unknown to the server\n");
        assertThat(code(t.secret(t.active()))).as("a scan alone revokes nothing").isEqualTo("VALID");
        assertNoSecret(r, t);
    }

    @Test
    void scanWhenJsonThenPrintsEachFindingWithItsTokenIdAndStatusAndTheCounts() throws IOException {
        Tree t = plant();

        Cli.Result r = cli().run("scan", "--json", "--max-file-size", "1k", t.root().toString());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(4);
        JsonNode printed = tree(r.out());
        assertThat(printed.get("findings")).hasSize(7);
        assertThat(printed.get("findings").get(0)).isEqualTo(tree("""
                {"path": %s, "line": 2, "column": 1, "token": "kg_test_\u2026", "status": "unknown"}"""
                .formatted(quoted(t.winTxt()))));
        assertThat(printed.get("findings").get(1)).isEqualTo(tree("""
                {"path": %s, "line": 1, "column": 11, "token": "kg_live_\u2026", "token_id": "%s",
                 "status": "active"}""".formatted(quoted(t.appEnv()), id(t.active()))));
        assertThat(printed.get("files_scanned").asInt()).isEqualTo(4);
        assertThat(printed.get("skipped")).isEqualTo(tree("""
                {"binary": 1, "too_large": [%s], "git_directories": 1, "symbolic_links": 0}"""
                .formatted(quoted(t.root().resolve("big.txt").toString()))));
        assertThat(printed.get("unreadable")).isEmpty();
        assertThat(printed.has("revoked")).isFalse();
        assertNoSecret(r, t);
    }

    @Test
    void scanWhenRevokeThenEveryActiveTokenFoundIsRevokedAsLeakedThroughTheApiSendingOnlyHashes() throws IOException {
        Tree t = plant();
        Cli.Result r;
        List<RecordingProxy.Request> sent;
        try (RecordingProxy proxy = RecordingProxy.to(server.baseUri())) {
            r = Cli.against(server).env("KEYGATE_URL", proxy.uri().toString())
                    .run("scan", "--revoke", "--max-file-size", "1k", t.root().toString());
            sent = proxy.requests();
        }

        assertThat(r.exitCode()).as(r.err()).isEqualTo(4);
        assertThat(r.out()).contains(t.appEnv() + ":1:11: kg_live_\u2026 " + id(t.active()) + " active -> revoked\n")
                .contains(t.appEnv() + ":3:1: kg_live_\u2026 " + id(t.parent()) + " active -> revoked\n")
                .contains(t.notes() + ":1:5: kg_live_\u2026 " + id(t.revoked()) + " revoked\n");
        assertThat(r.err()).endsWith("keygate scan: revoked 2 tokens with reason 'leaked' (3 with their "
                + "descendants)\n");
        for (JsonNode token : List.of(t.active(), t.parent(), t.child())) {
            assertThat(code(t.secret(token))).isEqualTo("REVOKED");
            assertThat(get("/v1/tokens/" + id(token)).get("revoke_reason").asText()).isEqualTo("leaked");
        }
        assertThat(get("/v1/tokens/" + id(t.revoked())).get("revoke_reason").asText())
                .as("a token revoked already keeps its reason").isEqualTo("rotated by hand");

        assertThat(sent).extracting(q -> q.method() + " " + q.path()).containsExactly(
                "POST /v1/tokens/lookup",
                "POST /v1/tokens/" + id(t.active()) + "/revoke",
                "POST /v1/tokens/" + id(t.parent()) + "/revoke");
        JsonNode lookup = tree(sent.getFirst().body());
        assertThat(lookup.get("hashes")).extracting(JsonNode::asText).containsExactly(
                TokenFormat.hash(t.unknown()), TokenFormat.hash(t.secret(t.active())),
                TokenFormat.hash(t.secret(t.parent())), TokenFormat.hash(t.secret(t.revoked())));
        assertThat(tree(sent.get(1).body())).isEqualTo(tree("{\"reason\": \"leaked\"}"));
        for (RecordingProxy.Request request : sent) {
            for (String secret : t.secrets()) {
                String random = secret.substring(secret.length() - 30);
                assertThat(request.path() + request.body() + request.headers()).doesNotContain(random);
            }
        }
        assertNoSecret(r, t);
    }

    @Test
    void scanWhenRevokeAndJsonThenListsTheRevocationsAndEachFindingsNewStatus() throws IOException {
        Tree t = plant();

        Cli.Result r = cli().run("scan", "--revoke", "--json", t.appEnv());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(4);
        JsonNode printed = tree(r.out());
        assertThat(printed.get("findings").get(0).get("status").asText()).isEqualTo("revoked");
        assertThat(printed.get("findings").get(0).get("revoked_now").asBoolean()).isTrue();
        assertThat(printed.get("findings").get(3).get("status").asText()).isEqualTo("revoked");
        assertThat(printed.get("findings").get(3).has("revoked_now")).isFalse();
        assertThat(printed.get("revoked")).isEqualTo(tree("""
                [{"token_id": "%s", "revoked_count": 1}, {"token_id": "%s", "revoked_count": 2}]"""
                .formatted(id(t.active()), id(t.parent()))));
        assertThat(printed.get("revoke_failures")).isEmpty();
    }

    @Test
    void scanWhenRevokeIsRefusedThenExits1AndStillListsWhatItFound() throws IOException {
        Tree t = plant();
        String principal = unique("scan-reader");
        String reader = server.mint(principal, List.of(principalWithRole(principal, "keygate.tokens:read")),
                Map.of()).get("token").asText();

        Cli.Result r = cliAs(reader).run("scan", "--revoke", t.appEnv());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).contains(t.appEnv() + ":1:11: kg_live_\u2026 " + id(t.active())
                + " active (not revoked: 403 Forbidden: this token lacks the permission keygate.tokens:revoke)\n");
        assertThat(r.err()).contains("keygate scan: could not revoke " + id(t.active()) + ": 403 Forbidden");
        assertThat(code(t.secret(t.active()))).isEqualTo("VALID");
    }

    @Test
    void scanWhenOnlyLookAlikesThenExits0() throws IOException {
        String a = TokenFormat.mint("live", RANDOM);
        Path file = dir.resolve("clean.txt");
        write(file, "kg_live_" + "A".repeat(36) + "\n" + a.substring(0, a.length() - 1)
                + (a.endsWith("x") ? "y" : "x") + "\nkg_LIVE_" + a.substring(8) + "\n");

        Cli.Result r = Cli.bare().run("scan", file.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("keygate scan: scanned 1 file (" + Files.size(file) + " bytes)\n"
                + "keygate scan: no token found\n");
    }

    @Test
    void scanWhenNoPathIsGivenThenScansTheCurrentDirectory() {
        Cli.Result r = Cli.bare().run("scan", "--json", "--max-file-size", "1");

        assertThat(tree(r.out()).get("skipped").get("too_large")).as("the module's own files, none read")
                .anySatisfy(p -> assertThat(p.asText()).isEqualTo(Path.of(".", "pom.xml").toString()));
    }

    @Test
    void scanWhenAPathDoesNotExistThenExits1NamingIt() {
        Cli.Result r = Cli.bare().run("scan", dir.toString(), dir.resolve("missing").toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("keygate: no such file or directory: " + dir.resolve("missing") + "\n");
    }

    @Test
    void scanWhenRevokeWithOfflineThenUsageErrorWithoutCallingTheServer() {
        Cli.Result r = Cli.offline().run("scan", "--revoke", "--offline", dir.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--revoke needs the server").doesNotContain("cannot reach");
    }

    @Test
    void scanWhenOfflineThenDoesNotCallTheSetServer() throws IOException {
        write(dir.resolve("t.txt"), TokenFormat.mint("live", RANDOM));

        Cli.Result r = Cli.offline().run("scan", "--offline", dir.toString());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(4);
        assertThat(r.out()).endsWith(":1:1: kg_live_\u2026\n");
    }

    @Test
    void scanWhenServerUrlIsSetWithoutKeygateTokenThenExits1SayingHowToScanOffline() {
        Cli.Result r = Cli.offline().withoutEnv("KEYGATE_TOKEN").run("scan", dir.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("KEYGATE_TOKEN is not set").contains("--offline");
    }

    @Test
    void scanWhenServerIsUnreachableThenExits1() throws IOException {
        write(dir.resolve("t.txt"), TokenFormat.mint("live", RANDOM));

        Cli.Result r = Cli.offline().run("scan", dir.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("is the server running?");
    }

    @Test
    void scanWhenMaxFileSizeIsMalformedThenUsageError() {
        Cli.Result r = Cli.bare().run("scan", "--max-file-size", "10 MB", dir.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("'10 MB' is not a size such as 1048576, 512k or 10m");
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static String code(String secret) {
        return server.verify(secret, null).get("code").asText();
    }

    private static void assertNoSecret(Cli.Result r, Tree t) {
        for (String secret : t.secrets()) {
            String random = secret.substring(secret.length() - 30);
            assertThat(r.out()).doesNotContain(random);
            assertThat(r.err()).doesNotContain(random);
        }
    }

    static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] head, String tail) {
        byte[] t = tail.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + t.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(t, 0, all, head.length, t.length);
        return all;
    }

    private static String quoted(String text) {
        return TestJsonWriter.quote(text);
    }

    /** JSON string literals for expected trees. */
    private static final class TestJsonWriter {
        private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
                new com.fasterxml.jackson.databind.ObjectMapper();

        static String quote(String text) {
            try {
                return MAPPER.writeValueAsString(text);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
