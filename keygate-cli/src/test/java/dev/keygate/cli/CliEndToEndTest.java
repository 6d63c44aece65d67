package dev.keygate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.TestServer;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The base of the CLI's end-to-end tests: {@code keygate} runs in-process against a real server (this class's
 * {@link #server}, on SQLite and on PostgreSQL) over HTTP. Expected output is computed from what the server
 * stores; {@link #pinClock()} makes the times in it exact.
 */
abstract class CliEndToEndTest extends EndToEndTest {

    /** {@code keygate} pointed at this class's server, with its bootstrap admin token. */
    static Cli cli() {
        return Cli.against(server);
    }

    /** {@code keygate} pointed at this class's server, with {@code token} as KEYGATE_TOKEN. */
    static Cli cliAs(String token) {
        return Cli.as(server, token);
    }

    /** {@code base} made unique within the class's server, which all its tests share. */
    static String unique(String base) {
        return TestServer.unique(base);
    }

    /** Moves the server's clock forward to the next whole second and returns that instant. */
    static Instant pinClock() {
        Instant next = server.clock().instant().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        server.clock().set(next);
        return next;
    }

    /** The server's answer to {@code GET path} as the admin, which must be 200. */
    static JsonNode get(String path) {
        return TestServer.expect(server.get(path, server.adminToken()), 200);
    }

    /** The id of the token {@code secret}, as the server tells it. */
    static String idOf(String secret) {
        return server.verify(secret, null).get("token_id").asText();
    }
}
