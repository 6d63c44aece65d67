package dev.keygate.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keygate.server.KeygateServer;
import dev.keygate.server.config.ConfigException;
import dev.keygate.server.config.ServerConfig;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.Postgres;
import dev.keygate.server.testing.Race;
import dev.keygate.server.testing.StoreKind;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The live audit sink: every event committed to the store, admin and verify, lands in the file exactly once, in
 * seq order per chain, as the API shows it, with no secret; and a sink that cannot be opened stops the start-up.
 */
class AuditSinkTest extends EndToEndTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void sinkWhenAdminAndVerifyEventsRaceThenEachIsWrittenOnceInSeqOrderPerChainAsTheApiShowsIt(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (TestServer s = TestServer.start(store, b -> b.auditSink("file:" + file)
                .auditSinkPollInterval(Duration.ofMillis(1)))) {
            JsonNode minted = s.principalWithToken(TestServer.unique("sink-svc"), "keygate.roles:write");
            String secret = minted.get("token").asText();
            String prefix = TestServer.unique("sink-role");
            Race.times(4, () -> {
                for (int i = 0; i < 10; i++) {
                    s.post("/v1/roles", secret, Map.of("name", TestServer.unique(prefix), "permissions",
                            List.of("a:read")));
                    s.verify(secret, "keygate.roles:write");
                }
                return null;
            });
            s.post("/v1/tokens/" + minted.get("id").asText() + "/revoke", s.adminToken(), Map.of());
            s.verify(secret, "keygate.roles:write");

            s.restart(); // closes the server: the writer drains, then the sink makes its last pass

            List<JsonNode> lines = lines(file);
            List<JsonNode> stored = allEvents(s);
            assertThat(lines).hasSize(stored.size());
            for (AuditChain chain : AuditChain.values()) {
                List<JsonNode> ofChain = lines.stream().filter(l -> l.get("chain").asText().equals(chain.apiName()))
                        .toList();
                assertThat(ofChain).extracting(l -> l.get("seq").asLong()).as(chain.apiName())
                        .containsExactlyElementsOf(seqs(1, ofChain.size()));
            }
            assertThat(sortedById(lines)).isEqualTo(stored);
            assertThat(lines.stream().filter(l -> l.path("action").asText().equals("verify")
                    && minted.get("id").asText().equals(l.path("target").asText()))
                    .mapToInt(l -> l.path("count").asInt()).sum()).isEqualTo(41);
            String text = Files.readString(file);
            assertThat(text).doesNotContain(secret).doesNotContain(s.adminToken());
        }
    }

    @Test
    void sinkWhenStdoutThenEachEventGoesToStandardOutputAsOneLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream stdout = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (TestServer s = TestServer.start(store, b -> b.auditSink("stdout").auditSinkOutput(stdout))) {
            s.createRole(TestServer.unique("sink-stdout"), "a:read");

            s.restart();

            List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
            assertThat(lines).hasSize(4); // bootstrap: role, principal, token; then the role
            assertThat(lines).allSatisfy(l -> assertThat(l).startsWith("{\"id\":").endsWith("}"));
            assertThat(tree(lines.getLast()).get("action").asText()).isEqualTo("role.create");
        }
    }

    @Test
    void startWhenSinkFileCannotBeOpenedThenConfigErrorNamingTheFlagAndWhy(@TempDir Path dir) {
        assertThatThrownBy(() -> startOwn(dir, b -> b.auditSink("file:" + dir.resolve("missing/audit.jsonl"))))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "--audit-sink (KEYGATE_AUDIT_SINK): 'file:" + dir.resolve("missing/audit.jsonl")
                                + "' cannot be opened for writing: its directory does not exist"));
        assertThatThrownBy(() -> startOwn(dir, b -> b.auditSink("file:" + dir)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems().getFirst())
                        .startsWith("--audit-sink (KEYGATE_AUDIT_SINK): 'file:" + dir + "' cannot be opened"));
    }

    @Test
    void startWhenSinkIsStdoutAndTheFirstAdminTokenWouldBePrintedThereThenRefusedAndNothingWritten(
            @TempDir Path dir) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream stdout = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        assertThatThrownBy(() -> startOwn(dir, b -> b.auditSink("stdout").auditSinkOutput(stdout)
                .bootstrapOutput(stdout).bootstrapTokenFile(null)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems().getFirst())
                        .contains("would ship the first admin token").contains("--bootstrap-token-file"));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("kg_");
    }

    @Test
    void buildWhenSinkIsNeitherStdoutNorAFileThenConfigErrorNamingTheFlag() {
        assertThatThrownBy(() -> ServerConfig.builder().auditSink("syslog").build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "--audit-sink (KEYGATE_AUDIT_SINK): 'syslog' must be stdout or file:PATH "
                                + "(e.g. file:/var/log/keygate/audit.jsonl)"));
        assertThatThrownBy(() -> ServerConfig.builder().auditSink("file:").build())
                .isInstanceOf(ConfigException.class);
    }

    /** Starts a server of this test's store kind on a store of its own, and stops it; the store is dropped. */
    private void startOwn(Path dir, Consumer<ServerConfig.Builder> customize) {
        String schema = null;
        ServerConfig.Builder b = ServerConfig.builder().listen("127.0.0.1:0").dataDir(dir.resolve("data").toString())
                .bootstrapTokenFile(dir.resolve("admin-token").toString()).auditKey(AuditRetentionTest.KEY);
        if (store == StoreKind.POSTGRESQL) {
            Postgres.requireAvailable();
            schema = Postgres.createSchema();
            b.dbUrl(Postgres.urlFor(schema)).dbUser(Postgres.USER);
        }
        customize.accept(b);
        try {
            KeygateServer.start(b.build()).close();
        } finally {
            if (schema != null) {
                Postgres.dropSchema(schema);
            }
        }
    }

    private static List<JsonNode> allEvents(TestServer s) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = TestServer.expect(s.get("/v1/audit?order=oldest&limit=1000"
                    + (cursor == null ? "" : "&cursor=" + cursor), s.adminToken()), 200);
            page.get("items").forEach(all::add);
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        return all;
    }

    private static List<JsonNode> sortedById(List<JsonNode> events) {
        return events.stream().sorted((a, b) -> Long.compare(a.get("id").asLong(), b.get("id").asLong())).toList();
    }

    private static List<Long> seqs(long from, int n) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(from + i);
        }
        return out;
    }

    private static List<JsonNode> lines(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(AuditSinkTest::tree).toList();
    }

    private static JsonNode tree(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
