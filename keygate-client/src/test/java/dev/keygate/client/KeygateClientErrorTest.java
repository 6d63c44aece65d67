package dev.keygate.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class KeygateClientErrorTest {

    static final String ADMIN = KeygateClientRoleAndPrincipalTest.ADMIN;

    FakeKeygate server;
    KeygateClient client;

    @BeforeEach
    void start() throws IOException {
        server = FakeKeygate.start();
        client = KeygateClient.builder().baseUri(server.baseUri()).token(ADMIN).timeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void createRoleWhenServerAnswersValidationProblemThenThrowsApiExceptionWithEachField() {
        server.problem("POST", "/v1/roles", 400, "{\"type\":\"urn:keygate:problem:validation_failed\","
                + "\"title\":\"Invalid request\",\"status\":400,"
                + "\"detail\":\"permissions[0]: invalid permission 'billing:': action must not be empty\","
                + "\"code\":\"validation_failed\",\"instance\":\"/v1/roles\","
                + "\"errors\":[{\"field\":\"permissions[0]\",\"message\":\"action must not be empty\"}]}");

        KeygateApiException e = catchThrowableOfType(KeygateApiException.class,
                () -> client.createRole("r", null, List.of("billing:")));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.type()).isEqualTo("urn:keygate:problem:validation_failed");
        assertThat(e.title()).isEqualTo("Invalid request");
        assertThat(e.code()).isEqualTo("validation_failed");
        assertThat(e.detail()).startsWith("permissions[0]: invalid permission");
        assertThat(e.errors()).containsExactly(new FieldError("permissions[0]", "action must not be empty"));
        assertThat(e.getMessage()).isEqualTo(
                "400 Invalid request: permissions[0]: invalid permission 'billing:': action must not be empty");
    }

    @Test
    void getRoleWhenNotFoundThenThrowsApiExceptionWithTheCode() {
        server.problem("GET", "/v1/roles/ghost", 404, "{\"type\":\"urn:keygate:problem:not_found\","
                + "\"title\":\"Not found\",\"status\":404,\"detail\":\"no role 'ghost'\",\"code\":\"not_found\"}");

        assertThatThrownBy(() -> client.getRole("ghost"))
                .isInstanceOfSatisfying(KeygateApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.code()).isEqualTo("not_found");
                    assertThat(e.errors()).isEmpty();
                });
    }

    @Test
    void listRolesWhenUnauthenticatedThenExceptionNeverHoldsTheBearerToken() {
        server.problem("GET", "/v1/roles", 401, "{\"title\":\"Unauthenticated\",\"status\":401,"
                + "\"detail\":\"token " + ADMIN + " is revoked\",\"code\":\"unauthenticated\"}");

        KeygateApiException e = catchThrowableOfType(KeygateApiException.class, () -> client.listRoles());

        assertThat(e.getMessage()).doesNotContain(ADMIN).contains("kg_***");
        assertThat(e.detail()).doesNotContain(ADMIN);
        assertThat(e.toString()).doesNotContain(ADMIN);
    }

    @Test
    void listRolesWhenErrorIsNotAProblemDocumentThenDescribesTheStatus() {
        server.on("GET", "/v1/roles", new FakeKeygate.Response(502, "text/html", "<html>bad gateway</html>"));

        KeygateApiException e = catchThrowableOfType(KeygateApiException.class, () -> client.listRoles());

        assertThat(e.status()).isEqualTo(502);
        assertThat(e.title()).isEqualTo("Bad Gateway");
        assertThat(e.code()).isNull();
        assertThat(e.detail()).contains("text/html").contains("/v1/roles");
    }

    @Test
    void listRolesWhenSuccessBodyIsNotJsonThenThrowsClientException() {
        server.on("GET", "/v1/roles", new FakeKeygate.Response(200, "text/plain", "hello"));

        assertThatThrownBy(() -> client.listRoles())
                .isInstanceOf(KeygateClientException.class)
                .hasMessageStartingWith("unexpected answer to GET " + server.baseUri() + "/v1/roles");
    }

    @Test
    void createTokenWhenAnswerHasNoSecretThenThrowsClientException() {
        server.on("POST", "/v1/tokens", 201, "{\"id\":\"tok_1\"}");

        assertThatThrownBy(() -> client.createToken(CreateTokenRequest.builder().principal("p").role("r").build()))
                .isInstanceOf(KeygateClientException.class)
                .hasMessageContaining("no token");
    }

    @Test
    void listRolesWhenServerIsUnreachableThenClientExceptionNamesTheUrlButNotTheToken() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        URI base = URI.create("http://127.0.0.1:" + port);
        try (KeygateClient unreachable = KeygateClient.builder().baseUri(base).token(ADMIN).build()) {

            assertThatThrownBy(unreachable::listRoles)
                    .isInstanceOf(KeygateClientException.class)
                    .hasMessageContaining("GET " + base + "/v1/roles")
                    .hasMessageNotContaining(ADMIN)
                    .hasCauseInstanceOf(IOException.class);
        }
    }

    @Test
    void listRolesWhenServerDoesNotAnswerInTimeThenThrowsClientExceptionNamingTheTimeout() {
        server.on("GET", "/v1/roles", FakeKeygate.HANG);
        try (KeygateClient impatient = KeygateClient.builder()
                .baseUri(server.baseUri()).token(ADMIN).timeout(Duration.ofMillis(300)).build()) {

            assertThatThrownBy(impatient::listRoles)
                    .isInstanceOf(KeygateClientException.class)
                    .hasMessageContaining("timed out after 300 ms")
                    .hasMessageNotContaining(ADMIN);
        }
    }

    @Test
    void listRolesWhenNoAdminTokenConfiguredThenThrowsIllegalStateWithoutCallingTheServer() {
        try (KeygateClient anonymous = KeygateClient.builder().baseUri(server.baseUri()).build()) {

            assertThatThrownBy(anonymous::listRoles).isInstanceOf(IllegalStateException.class);
        }
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void buildWhenTokenHasALineBreakThenRejectsItWithoutEchoingIt() {
        String bad = "kg_live_abc\r\nX-Evil: 1";

        assertThatThrownBy(() -> KeygateClient.builder().baseUri(server.baseUri()).token(bad).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("abc");
    }

    @Test
    void buildWhenBaseUriIsNotHttpThenRejectsIt() {
        assertThatThrownBy(() -> KeygateClient.builder().baseUri(URI.create("ftp://example.com")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http or https");
    }

    @Test
    void toStringWhenTokenIsSetThenDoesNotShowIt() {
        assertThat(client.toString()).doesNotContain(ADMIN).contains(server.baseUri().toString());
    }
}
