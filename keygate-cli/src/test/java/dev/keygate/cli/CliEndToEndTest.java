package dev.keygate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.TestServer;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * The base of the CLI's end-to-end tests: {@code keygate} runs in-process against a real server (this class's
 * {@link #server}, on SQLite and on PostgreSQL) over HTTP. Expected output is computed from what the server
 * stores; {@link #pinClock()} makes the times in it exact.
 */
abstract class CliEndToEndTest extends EndToEndTest {

    /** A {@code live} token's secret alone on its line, as {@code token create} and {@code token rotate} print it. */
    static final String SECRET = "kg_live_[0-9A-Za-z]{36}\n";

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

    /**
     * A new principal named after {@code base}, its role {@code <principal>-role} granting
     * {@code billing.invoices:read}, and a token for them minted by the admin with {@code extra}: the server's
     * answer, secret included.
     */
    static JsonNode minted(String base, Map<String, Object> extra) {
        String principal = unique(base);
        return server.mint(principal, List.of(principalWithRole(principal, "billing.invoices:read")), extra);
    }

    /** Creates the service principal {@code principal} and the role {@code principal-role}; returns the role. */
    static String principalWithRole(String principal, String... permissions) {
        server.createPrincipal(principal, "service");
        server.createRole(principal + "-role", permissions);
        return principal + "-role";
    }

    /** The {@code id} of a token as the server wrote it. */
    static String id(JsonNode token) {
        return token.get("id").asText();
    }

    /** The {@code principal} of a token as the server wrote it. */
    static String principalOf(JsonNode token) {
        return token.get("principal").asText();
    }

    /** The id of the token {@code secret}, as the server tells it. */
    static String idOf(String secret) {
        return server.verify(secret, null).get("token_id").asText();
    }
}
