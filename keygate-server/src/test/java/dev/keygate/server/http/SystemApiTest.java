package dev.keygate.server.http;

import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SystemApiTest extends EndToEndTest {

    @Test
    void healthzWhenRunningThenOkWithoutAuthentication() {
        TestServer.Response r = server.get("/healthz", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("ok");
    }

    @Test
    void readyzWhenStoreReachableThenReady() {
        TestServer.Response r = server.get("/readyz", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("ready");
    }

    @Test
    void responsesWhenClientAcceptsCompressionThenAreNeverCompressed() throws Exception {
        // Compressing an answer that holds a secret beside client-chosen text would open it to BREACH.
        JsonNode principal = server.principalWithToken("uncompressed", "orders.items:read");
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest openApi = HttpRequest.newBuilder(server.baseUri().resolve("/openapi.json"))
                .header("Accept-Encoding", "gzip, deflate, br, zstd").build();
        HttpRequest mint = HttpRequest.newBuilder(server.baseUri().resolve("/v1/tokens"))
                .header("Accept-Encoding", "gzip, deflate, br, zstd")
                .header("Authorization", "Bearer " + server.adminToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"principal\":\"" + principal.get("principal").asText()
                        + "\",\"roles\":" + principal.get("roles") + ",\"name\":\"" + "x".repeat(200) + "\"}"))
                .build();

        for (HttpRequest request : List.of(openApi, mint)) {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(request.uri().getPath()).isIn(200, 201);
            assertThat(r.headers().firstValue("Content-Encoding")).as(request.uri().getPath()).isEmpty();
            assertThat(r.body()).startsWith("{");
        }
    }

    @Test
    void anyResponseWhenServedThenForbidsCachingAndSniffing() {
        TestServer.Response r = server.get("/healthz", null);
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }
}
