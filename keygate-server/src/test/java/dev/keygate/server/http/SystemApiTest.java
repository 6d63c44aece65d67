package dev.keygate.server.http;

import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

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
    void anyResponseWhenServedThenForbidsCachingAndSniffing() {
        TestServer.Response r = server.get("/healthz", null);
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }
}
