package dev.keygate.client;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the client decides before any request: builder validation, {@code toString}, and refusing admin calls
 * without a token. Behaviour against a real server is tested in {@code keygate-server}
 * ({@code dev.keygate.server.client}).
 */
class KeygateClientBuilderTest {

    /** Shaped like a token (the client does not check the checksum); built so that no secret-like text is committed. */
    static final String TOKEN = "kg_live_" + "0123456789abcdefghij".repeat(2).substring(0, 36);

    @Test
    void buildWhenTokenHasALineBreakThenRejectsItWithoutEchoingIt() {
        String bad = "kg_live_abc\r\nX-Evil: 1";

        assertThatThrownBy(() -> KeygateClient.builder().baseUri(URI.create("http://127.0.0.1:1")).token(bad).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("abc")
                .hasMessageContaining("token");
    }

    @Test
    void buildWhenTokenIsBlankThenRejectsIt() {
        assertThatThrownBy(() -> KeygateClient.builder().baseUri(URI.create("http://127.0.0.1:1")).token(" ").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token");
    }

    @Test
    void buildWhenBaseUriIsNotHttpThenRejectsIt() {
        assertThatThrownBy(() -> KeygateClient.builder().baseUri(URI.create("ftp://example.com")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http or https");
    }

    @Test
    void buildWhenBaseUriHasAQueryThenRejectsIt() {
        assertThatThrownBy(() -> KeygateClient.builder().baseUri(URI.create("http://example.com/?a=b")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("query");
    }

    @Test
    void buildWhenTimeoutIsNotPositiveThenRejectsIt() {
        assertThatThrownBy(() -> KeygateClient.builder().baseUri(URI.create("http://example.com"))
                .timeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout");
    }

    @Test
    void toStringWhenTokenIsSetThenShowsTheServerButNotTheToken() {
        try (KeygateClient client = KeygateClient.builder()
                .baseUri(URI.create("http://keygate.internal:8080")).token(TOKEN).build()) {

            assertThat(client.toString())
                    .contains("http://keygate.internal:8080")
                    .contains("admin token set")
                    .doesNotContain(TOKEN)
                    .doesNotContain(TOKEN.substring(8));
        }
    }

    @Test
    void listRolesWhenNoAdminTokenConfiguredThenThrowsIllegalStateWithoutCallingTheServer() throws IOException {
        // Nothing listens on this port: had the client sent the request, it would have failed to connect.
        try (KeygateClient anonymous = KeygateClient.builder().baseUri(unusedPort()).build()) {

            assertThatThrownBy(anonymous::listRoles)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("admin token");
        }
    }

    static URI unusedPort() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + free.getLocalPort());
        }
    }
}
