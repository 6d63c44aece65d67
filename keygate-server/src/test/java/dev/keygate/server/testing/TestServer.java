package dev.keygate.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keygate.server.KeygateServer;
import dev.keygate.server.alert.AlertSink;
import dev.keygate.server.config.ServerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A real Keygate server on a random port, on a fresh SQLite file or a fresh PostgreSQL schema, with a clock
 * the test moves, the bootstrap admin token, and a small HTTP client. Every end-to-end test goes through it.
 */
public final class TestServer implements AutoCloseable {

    private static final AtomicLong NAMES = new AtomicLong();

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final StoreKind kind;
    private final Path dir;
    private final String schema;
    private final MutableClock clock;
    private final ServerConfig.Builder configTemplate;
    private final AlertSink alerts;
    private KeygateServer server;
    private final String adminToken;

    private TestServer(StoreKind kind, Path dir, String schema, MutableClock clock, ServerConfig.Builder builder,
                       AlertSink alerts) {
        this.kind = kind;
        this.dir = dir;
        this.schema = schema;
        this.clock = clock;
        this.configTemplate = builder;
        this.alerts = alerts;
        this.server = KeygateServer.start(builder.build(), alerts);
        this.adminToken = readTrimmed(dir.resolve("admin-token"));
    }

    /** Starts a server on {@code kind} with default settings. */
    public static TestServer start(StoreKind kind) {
        return start(kind, b -> { });
    }

    /** Starts a server on {@code kind}; {@code customize} may change the configuration (not the store). */
    public static TestServer start(StoreKind kind, Consumer<ServerConfig.Builder> customize) {
        return start(kind, customize, AlertSink.NONE);
    }

    /** Starts a server on {@code kind} that raises its alerts through {@code alerts}. */
    public static TestServer start(StoreKind kind, Consumer<ServerConfig.Builder> customize, AlertSink alerts) {
        if (kind == StoreKind.POSTGRESQL) {
            Postgres.requireAvailable();
        }
        try {
            Path dir = Files.createTempDirectory("keygate-test-");
            MutableClock clock = MutableClock.atNow();
            String schema = null;
            ServerConfig.Builder b = ServerConfig.builder()
                    .listen("127.0.0.1:0")
                    .dataDir(dir.resolve("data").toString())
                    .bootstrapTokenFile(dir.resolve("admin-token").toString())
                    // Tests move the clock by weeks; retention runs only when a test calls pruneNow(), never
                    // in the background (it would prune, and record, in the middle of other tests).
                    .auditPruneInterval(Duration.ZERO)
                    .clock(clock);
            if (kind == StoreKind.POSTGRESQL) {
                schema = Postgres.createSchema();
                b.dbUrl(Postgres.urlFor(schema)).dbUser(Postgres.USER);
            }
            customize.accept(b);
            return new TestServer(kind, dir, schema, clock, b, alerts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server (draining its audit queue) and starts a new one on the same store. */
    public void restart() {
        server.close();
        server = KeygateServer.start(configTemplate.listen("127.0.0.1:0").build(), alerts);
    }

    /** Changes the configuration (not the store) and restarts, as an operator changing flags would. */
    public void restart(Consumer<ServerConfig.Builder> change) {
        change.accept(configTemplate);
        restart();
    }

    public StoreKind kind() {
        return kind;
    }

    public KeygateServer server() {
        return server;
    }

    public MutableClock clock() {
        return clock;
    }

    public URI baseUri() {
        return server.baseUri();
    }

    /** The bootstrap admin token's secret (from the 0600 file the server wrote). */
    public String adminToken() {
        return adminToken;
    }

    /** The folder holding this server's files (SQLite store, bootstrap token file). */
    public Path dir() {
        return dir;
    }

    /** A configuration for this server's store (for tools that open the store directly, like recovery). */
    public ServerConfig storeConfig() {
        return configTemplate.build();
    }

    /** The JDBC URL of this server's store. */
    public String dbUrl() {
        return storeConfig().dbUrl();
    }

    /**
     * The SQL aggregate of how many times the audit events selected happened: one per row, plus the repeats a row of
     * repeated verifications lists (comma-separated; see {@code Repeats}). Use as {@code "SELECT " + OCCURRENCES +
     * " FROM audit_events WHERE ..."} with {@link #count}.
     */
    public static final String OCCURRENCES = "COALESCE(SUM(CASE WHEN repeats IS NULL THEN 1 "
            + "ELSE 2 + LENGTH(repeats) - LENGTH(REPLACE(repeats, ',', '')) END), 0)";

    /** Counts the rows of {@code sql} (a {@code SELECT COUNT(*)}) directly in the store. */
    public long count(String sql) {
        String url = dbUrl();
        try (java.sql.Connection c = url.startsWith("jdbc:postgresql:")
                ? java.sql.DriverManager.getConnection(url, Postgres.USER, null)
                : java.sql.DriverManager.getConnection(url);
             java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Waits (bounded) until the audit writer has written every queued event. */
    public void flushAudit() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.auditWriter().pending() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(server.auditWriter().pending() + " audit events still unwritten after 10 s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ---- HTTP ----------------------------------------------------------------------------------------------

    /** A response: status, headers and the body parsed as JSON ({@code null} when empty). */
    public record Response(int status, Map<String, List<String>> headers, String text, JsonNode json) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .findFirst().map(e -> e.getValue().get(0)).orElse(null);
        }
    }

    public Response get(String path, String token) {
        return send("GET", path, token, null, null);
    }

    public Response delete(String path, String token) {
        return send("DELETE", path, token, null, null);
    }

    public Response post(String path, String token, Object body) {
        return send("POST", path, token, json(body), "application/json");
    }

    public Response put(String path, String token, Object body) {
        return send("PUT", path, token, json(body), "application/json");
    }

    /** Sends raw text with the given content type, for tests of malformed input. */
    public Response send(String method, String path, String token, String body, String contentType) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        return send(method, path, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends exactly {@code body} (none if {@code null}) with exactly {@code headers}: no bearer token unless they hold
     * one. For requests whose bytes matter, such as those a secret-scanning partner signs.
     */
    public Response send(String method, String path, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(baseUri().resolve(path)).timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(r::header);
        try {
            HttpResponse<String> resp = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
            String text = resp.body();
            boolean json = resp.headers().firstValue("Content-Type").map(t -> t.contains("json")).orElse(true);
            JsonNode node = text == null || text.isEmpty() || !json ? null : MAPPER.readTree(text);
            return new Response(resp.statusCode(), resp.headers().map(), text, node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- fixtures ------------------------------------------------------------------------------------------

    /** {@code base} with a suffix no other name of this test run has: a server serves many tests. */
    public static String unique(String base) {
        return base + "-" + NAMES.incrementAndGet();
    }

    /** Creates a service principal named {@code base} plus a unique suffix and returns its name. */
    public String newPrincipal(String base) {
        String name = unique(base);
        createPrincipal(name, "service");
        return name;
    }

    /** Creates a role named {@code base} plus a unique suffix and returns its name. */
    public String newRole(String base, String... permissions) {
        String name = unique(base + "-role");
        createRole(name, permissions);
        return name;
    }

    /** The tokens of {@code principal}, newest first. */
    public List<JsonNode> tokensOf(String principal) {
        return expect(get("/v1/tokens?principal=" + principal, adminToken()), 200).get("items").valueStream().toList();
    }

    public JsonNode createRole(String name, String... permissions) {
        Response r = post("/v1/roles", adminToken, Map.of("name", name, "permissions", List.of(permissions)));
        return expect(r, 201);
    }

    public JsonNode createPrincipal(String name, String kind) {
        return expect(post("/v1/principals", adminToken, Map.of("name", name, "kind", kind)), 201);
    }

    /** Mints a token as the admin; returns the creation response (which holds {@code token}). */
    public JsonNode mint(String principal, List<String> roles, Map<String, Object> extra) {
        ObjectNode body = MAPPER.createObjectNode().put("principal", principal);
        body.set("roles", MAPPER.valueToTree(roles));
        extra.forEach((k, v) -> body.set(k, MAPPER.valueToTree(v)));
        return expect(post("/v1/tokens", adminToken, body), 201);
    }

    /** A principal, a role with {@code permissions} and a token for them, in one call: the creation response. */
    public JsonNode principalWithToken(String name, String... permissions) {
        createPrincipal(name, "service");
        createRole(name + "-role", permissions);
        return mint(name, List.of(name + "-role"), Map.of());
    }

    public JsonNode verify(String token, String permission) {
        ObjectNode body = MAPPER.createObjectNode().put("token", token);
        if (permission != null) {
            body.put("permission", permission);
        }
        return expect(post("/v1/verify", null, body), 200);
    }

    public static JsonNode expect(Response r, int status) {
        if (r.status() != status) {
            throw new AssertionError("expected HTTP " + status + " but got " + r.status() + ": " + r.text());
        }
        return r.json();
    }

    private static String json(Object body) {
        if (body instanceof String s) {
            return s;
        }
        try {
            return MAPPER.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readTrimmed(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            if (schema != null) {
                Postgres.dropSchema(schema);
            }
            deleteRecursively(dir);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temp folder left behind is harmless.
        }
    }
}
