package dev.keygate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keygate.server.KeygateServer;
import dev.keygate.server.config.ServerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real {@link KeygateServer} for a benchmark's set-up: port 0, a fresh SQLite store in a temporary directory,
 * and the admin calls the set-up makes with the bootstrap token (never printed). {@link #close()} stops the server
 * (which drains the audit queue) and deletes the directory.
 */
final class BenchServer implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final KeygateServer server;
    private final String bearer;

    private BenchServer(Path dir, KeygateServer server, String bearer) {
        this.dir = dir;
        this.server = server;
        this.bearer = bearer;
    }

    static BenchServer start(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        Path tokenFile = dir.resolve("admin-token");
        KeygateServer server = KeygateServer.start(ServerConfig.builder()
                .listen("127.0.0.1:0")
                .dataDir(dir.resolve("data").toString())
                .bootstrapTokenFile(tokenFile.toString())
                .build());
        return new BenchServer(dir, server, Files.readString(tokenFile, StandardCharsets.US_ASCII).strip());
    }

    KeygateServer server() {
        return server;
    }

    /** POSTs {@code json} to {@code path} as the bootstrap admin; the answer must be 201. */
    JsonNode post(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(server.baseUri().resolve(path))
                        .header("Authorization", "Bearer " + bearer)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("POST " + path + ": HTTP " + response.statusCode() + ": "
                    + response.body().replaceAll("kg_[A-Za-z0-9]+_[A-Za-z0-9]+", "kg_<redacted>"));
        }
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        server.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }
}
