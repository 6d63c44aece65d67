package dev.keygate.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

/** How admin commands find the server and the admin token, and how they report not getting through. */
class AdminAccessTest {

    FakeKeygate server;

    @BeforeEach
    void start() throws IOException {
        server = FakeKeygate.start();
        server.on("GET", "/v1/roles", 200, "{\"items\":[]}");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void roleListWhenKeygateTokenIsMissingThenExplainsAndExits1() {
        Cli.Result r = Cli.against(server).withoutEnv("KEYGATE_TOKEN").run("role", "list");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("keygate: KEYGATE_TOKEN is not set").contains("never taken as an argument");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void roleListWhenKeygateTokenIsBlankThenTreatsItAsMissing() {
        Cli.Result r = Cli.against(server).env("KEYGATE_TOKEN", "  ").run("role", "list");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("KEYGATE_TOKEN is not set");
    }

    @Test
    void roleListWhenUnauthenticatedThenPrintsTheProblemAndAHintWithoutTheToken() {
        server.problem("GET", "/v1/roles", 401, "{\"title\":\"Unauthenticated\",\"status\":401,"
                + "\"detail\":\"the bearer token is expired\",\"code\":\"unauthenticated\"}");

        Cli.Result r = Cli.against(server).run("role", "list");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("keygate: 401 Unauthenticated: the bearer token is expired", "KEYGATE_TOKEN")
                .doesNotContain(Cli.ADMIN);
    }

    @Test
    void roleListWhenServerIsUnreachableThenNamesTheUrlAndExits1() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }

        Cli.Result r = Cli.against(server).env("KEYGATE_URL", "http://127.0.0.1:" + port).run("role", "list");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("keygate: cannot reach Keygate: GET http://127.0.0.1:" + port + "/v1/roles",
                "is the server running?").doesNotContain(Cli.ADMIN);
    }

    @Test
    void roleListWhenUrlFlagGivenThenItWinsOverKeygateUrl() {
        Cli.Result r = Cli.against(server).env("KEYGATE_URL", "http://127.0.0.1:1")
                .run("role", "list", "--url", server.baseUri().toString());

        assertThat(r.exitCode()).isZero();
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void roleListWhenUrlIsNotHttpThenExits2() {
        Cli.Result r = Cli.against(server).run("role", "list", "--url", "ftp://example.com");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--url (KEYGATE_URL): 'ftp://example.com' is not an http(s) URL");
    }

    @Test
    void roleListWhenServerAnswersSomethingElseThenExits1() {
        server.on("GET", "/v1/roles", new FakeKeygate.Response(502, "text/html", "<html>bad gateway</html>"));

        Cli.Result r = Cli.against(server).run("role", "list");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("keygate: 502 Bad Gateway").doesNotContain("<html>");
    }
}
