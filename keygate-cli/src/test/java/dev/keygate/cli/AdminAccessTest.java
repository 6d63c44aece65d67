package dev.keygate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** How admin commands find the server and the admin token, and how they report not getting through. */
class AdminAccessTest extends CliEndToEndTest {

    @Test
    void roleListWhenAdminTokenIsValidThenListsTheRoles() {
        Cli.Result r = cli().run("role", "list");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("NAME ").contains("\nkeygate-admin ");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void roleListWhenKeygateTokenIsMissingThenExplainsAndExits1WithoutCallingTheServer() {
        Cli.Result r = Cli.offline().withoutEnv("KEYGATE_TOKEN").run("role", "list");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("keygate: KEYGATE_TOKEN is not set").contains("never taken as an argument")
                .doesNotContain("cannot reach");
    }

    @Test
    void roleListWhenKeygateTokenIsBlankThenTreatsItAsMissing() {
        Cli.Result r = Cli.offline().env("KEYGATE_TOKEN", "  ").run("role", "list");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("KEYGATE_TOKEN is not set").doesNotContain("cannot reach");
    }

    @Test
    void roleListWhenAdminTokenIsRevokedThenPrintsTheProblemAndAHintWithoutTheToken() {
        JsonNode minted = server.principalWithToken("revoked-admin", "keygate.roles:read");
        String secret = minted.get("token").asText();
        assertThat(cli().run("token", "revoke", minted.get("id").asText()).exitCode()).isZero();

        Cli.Result r = cliAs(secret).run("role", "list");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("""
                keygate: 401 Unauthenticated: the bearer token is not valid
                keygate: KEYGATE_TOKEN must hold a live admin token (not expired, not revoked)
                """);
    }

    @Test
    void roleListWhenAdminTokenIsUnknownThenExits1WithoutEchoingIt() {
        Cli.Result r = cliAs(Cli.ADMIN).run("role", "list");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("keygate: 401 ").contains("KEYGATE_TOKEN").doesNotContain(Cli.ADMIN);
    }

    @Test
    void roleListWhenTokenLacksThePermissionThenExits1NamingIt() {
        String secret = server.principalWithToken("no-roles-read", "keygate.tokens:read").get("token").asText();

        Cli.Result r = cliAs(secret).run("role", "list");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("keygate: 403 Forbidden: this token lacks the permission keygate.roles:read\n");
    }

    @Test
    void roleListWhenServerIsUnreachableThenNamesTheUrlAndExits1() {
        URI nowhere = Cli.unusedAddress();

        Cli.Result r = cli().env("KEYGATE_URL", nowhere.toString()).run("role", "list");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("keygate: cannot reach Keygate: GET " + nowhere + "/v1/roles",
                "is the server running?").doesNotContain(server.adminToken());
    }

    @Test
    void roleListWhenUrlFlagGivenThenItWinsOverKeygateUrl() {
        Cli.Result r = cli().env("KEYGATE_URL", Cli.unusedAddress().toString())
                .run("role", "list", "--url", server.baseUri().toString());

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("\nkeygate-admin ");
    }

    @Test
    void roleListWhenUrlIsNotHttpThenExits2() {
        Cli.Result r = Cli.offline().run("role", "list", "--url", "ftp://example.com");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--url (KEYGATE_URL): 'ftp://example.com' is not an http(s) URL");
    }

    /**
     * Keygate itself always answers with JSON; a proxy in front of it may not. This stub stands in for such a
     * proxy (a real server cannot be made to send this), and is the only stub in these tests.
     */
    @Test
    void roleListWhenAProxyAnswersAnHtmlErrorPageThenExits1WithoutPrintingIt() throws IOException {
        HttpServer proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        proxy.createContext("/", exchange -> {
            byte[] page = "<html>bad gateway</html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(502, page.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(page);
            }
        });
        proxy.start();
        try {
            Cli.Result r = cli().env("KEYGATE_URL", "http://127.0.0.1:" + proxy.getAddress().getPort())
                    .run("role", "list");

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err()).contains("keygate: 502 Bad Gateway", "text/html").doesNotContain("<html>");
        } finally {
            proxy.stop(0);
        }
    }
}
