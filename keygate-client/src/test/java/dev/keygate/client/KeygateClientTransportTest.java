package dev.keygate.client;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * How the client fails when the answer does not come from Keygate's API: a proxy's error page, a body that is
 * not JSON, no answer in time, nothing listening. A real Keygate server never answers the first three, so they
 * use {@link OneAnswer}, a local HTTP server that gives one fixed answer to every request, or a socket that never
 * answers. Every answer Keygate does give is tested against the real server in {@code keygate-server}
 * ({@code dev.keygate.server.client}).
 */
class KeygateClientTransportTest {

    static final String TOKEN = KeygateClientBuilderTest.TOKEN;

    @Test
    void listRolesWhenAProxyAnswers502WithHtmlThenApiExceptionDescribesTheStatus() throws IOException {
        try (OneAnswer proxy = OneAnswer.start(502, "text/html", "<html>bad gateway</html>");
             KeygateClient client = client(proxy.baseUri())) {

            KeygateApiException e = catchThrowableOfType(KeygateApiException.class, client::listRoles);

            assertThat(e.status()).isEqualTo(502);
            assertThat(e.title()).isEqualTo("Bad Gateway");
            assertThat(e.code()).isNull();
            assertThat(e.type()).isNull();
            assertThat(e.errors()).isEmpty();
            assertThat(e.detail()).contains("text/html").contains(proxy.baseUri() + "/v1/roles");
        }
    }

    @Test
    void listRolesWhenSuccessBodyIsNotJsonThenThrowsClientExceptionNamingTheUrl() throws IOException {
        try (OneAnswer other = OneAnswer.start(200, "text/plain", "hello");
             KeygateClient client = client(other.baseUri())) {

            assertThatThrownBy(client::listRoles)
                    .isInstanceOf(KeygateClientException.class)
                    .hasMessageStartingWith("unexpected answer to GET " + other.baseUri() + "/v1/roles")
                    .hasMessageNotContaining(TOKEN);
        }
    }

    @Test
    void createTokenWhenAnswerHoldsNoSecretThenThrowsClientException() throws IOException {
        try (OneAnswer other = OneAnswer.start(201, "application/json", "{\"id\":\"tok_1\"}");
             KeygateClient client = client(other.baseUri())) {

            assertThatThrownBy(() -> client.createToken(CreateTokenRequest.builder().principal("p").role("r").build()))
                    .isInstanceOf(KeygateClientException.class)
                    .hasMessageContaining("no token");
        }
    }

    @Test
    void revokeTokenWhenAnswerHoldsNoCountThenThrowsClientException() throws IOException {
        String withoutCount = "{\"id\":\"tok_1\",\"status\":\"revoked\"}";
        try (OneAnswer older = OneAnswer.start(200, "application/json", withoutCount);
             KeygateClient client = client(older.baseUri())) {

            assertThatThrownBy(() -> client.revokeToken("tok_1", null))
                    .isInstanceOf(KeygateClientException.class)
                    .hasMessage("unexpected answer to POST /v1/tokens/tok_1/revoke: no revoked_count in the response");
        }
    }

    @Test
    void rotateTokenWhenGraceIsNotWholeSecondsThenThrowsBeforeSending() throws IOException {
        try (KeygateClient unreachable = client(KeygateClientBuilderTest.unusedPort())) {

            assertThatThrownBy(() -> unreachable.rotateToken("tok_1", Duration.ofMillis(1500)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("grace must be zero or a positive whole number of seconds");
            assertThatThrownBy(() -> unreachable.rotateToken("tok_1", Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** Keygate servers before the problem documents were redacted quoted a secret sent where a name belongs. */
    @Test
    void getTokenWhenProblemQuotesASecretThenTheExceptionHidesIt() throws IOException {
        String problem = "{\"type\":\"urn:keygate:problem:not_found\",\"title\":\"Not found\",\"status\":404,"
                + "\"detail\":\"token '" + TOKEN + "' does not exist\",\"code\":\"not_found\","
                + "\"errors\":[{\"field\":\"id\",\"message\":\"not " + TOKEN + "\"}]}";
        try (OneAnswer older = OneAnswer.start(404, "application/problem+json", problem);
             KeygateClient client = client(older.baseUri())) {

            KeygateApiException e = catchThrowableOfType(KeygateApiException.class, () -> client.getToken(TOKEN));

            assertThat(e.code()).isEqualTo("not_found");
            assertThat(e.detail()).isEqualTo("token 'kg_***' does not exist");
            assertThat(e.errors()).containsExactly(new FieldError("id", "not kg_***"));
            assertThat(e.getMessage()).doesNotContain(TOKEN.substring(8));
            assertThat(e.toString()).doesNotContain(TOKEN.substring(8));
        }
    }

    @Test
    void listRolesWhenServerDoesNotAnswerInTimeThenThrowsClientExceptionNamingTheTimeout() throws IOException {
        // The kernel accepts the connection into the backlog; nothing ever reads the request or answers it.
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             KeygateClient impatient = KeygateClient.builder()
                     .baseUri(URI.create("http://127.0.0.1:" + silent.getLocalPort()))
                     .token(TOKEN).timeout(Duration.ofMillis(300)).build()) {

            assertThatThrownBy(impatient::listRoles)
                    .isInstanceOf(KeygateClientException.class)
                    .hasMessageContaining("timed out after 300 ms")
                    .hasMessageNotContaining(TOKEN);
        }
    }

    @Test
    void listRolesWhenNothingListensThenClientExceptionNamesTheUrlButNotTheToken() throws IOException {
        URI base = KeygateClientBuilderTest.unusedPort();
        try (KeygateClient unreachable = client(base)) {

            assertThatThrownBy(unreachable::listRoles)
                    .isInstanceOf(KeygateClientException.class)
                    .hasMessageContaining("GET " + base + "/v1/roles")
                    .hasMessageNotContaining(TOKEN)
                    .hasCauseInstanceOf(IOException.class);
        }
    }

    private static KeygateClient client(URI base) {
        return KeygateClient.builder().baseUri(base).token(TOKEN).timeout(Duration.ofSeconds(5)).build();
    }

    /** A local HTTP server on port 0 giving the same answer to every request: a stand-in for a proxy. */
    private record OneAnswer(HttpServer server) implements AutoCloseable {

        static OneAnswer start(int status, String contentType, String body) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", contentType);
                exchange.sendResponseHeaders(status, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            });
            server.start();
            return new OneAnswer(server);
        }

        URI baseUri() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
