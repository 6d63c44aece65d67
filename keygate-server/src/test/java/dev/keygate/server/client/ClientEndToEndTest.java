package dev.keygate.server.client;

import dev.keygate.client.CreateTokenRequest;
import dev.keygate.client.CreatedToken;
import dev.keygate.client.KeygateClient;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The base of the Java client's tests: a {@link KeygateClient} holding the bootstrap admin token, talking over
 * real HTTP to the real server of {@link EndToEndTest} (SQLite and PostgreSQL). The server is shared by the
 * tests of a class, so each test makes the names it uses unique with {@link #unique(String)}.
 */
abstract class ClientEndToEndTest extends EndToEndTest {

    /** The client with the bootstrap admin token. */
    protected KeygateClient admin;

    @BeforeEach
    void openAdminClient() {
        admin = client(server.adminToken());
    }

    @AfterEach
    void closeAdminClient() {
        admin.close();
    }

    /** A client of the test server sending {@code token} (none when {@code null}). */
    protected static KeygateClient client(String token) {
        return KeygateClient.builder().baseUri(server.baseUri()).token(token).timeout(Duration.ofSeconds(10)).build();
    }

    /** {@code base} with a suffix no other test of this run uses. */
    protected static String unique(String base) {
        return TestServer.unique(base);
    }

    /** The server's time as it stores it (milliseconds). */
    protected static Instant now() {
        return server.clock().instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** A new principal holding a new role with {@code permissions}, and a live token for them (made by the admin). */
    protected CreatedToken tokenWith(String base, String... permissions) {
        String name = unique(base);
        admin.createPrincipal(name, "service", null, null);
        admin.createRole(name + "-role", null, List.of(permissions));
        return admin.createToken(CreateTokenRequest.builder().principal(name).role(name + "-role").build());
    }

    /** A new service principal named {@code base} plus a unique suffix; returns its name. */
    protected String principal(String base) {
        String name = unique(base);
        admin.createPrincipal(name, "service", null, null);
        return name;
    }

    /** A new role named {@code base} plus a unique suffix, granting {@code permissions}; returns its name. */
    protected String role(String base, String... permissions) {
        String name = unique(base + "-role");
        admin.createRole(name, null, List.of(permissions));
        return name;
    }

    /** A token for {@code principal} holding {@code role}, minted by the admin with the server's defaults. */
    protected CreatedToken mint(String principal, String role) {
        return admin.createToken(CreateTokenRequest.builder().principal(principal).role(role).build());
    }

    /** The id of the bootstrap admin token. */
    protected String adminTokenId() {
        return admin.verify(server.adminToken(), null, null).tokenId();
    }
}
