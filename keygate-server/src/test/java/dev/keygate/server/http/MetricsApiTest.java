package dev.keygate.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /metrics} end to end: who may scrape it, and that each family counts what it claims to. */
class MetricsApiTest extends EndToEndTest {

    @Test
    void metricsWhenNoTokenThen401AndWithoutPermissionThen403() {
        assertThat(server.get("/metrics", null).status()).isEqualTo(401);
        JsonNode reader = server.principalWithToken(TestServer.unique("metrics-no"), "orders.items:read");
        assertThat(server.get("/metrics", reader.get("token").asText()).status()).isEqualTo(403);
    }

    @Test
    void metricsWhenScraperHoldsMetricsReadThenPrometheusText() {
        JsonNode scraper = server.principalWithToken(TestServer.unique("metrics-scraper"), "keygate.metrics:read");

        TestServer.Response r = server.get("/metrics", scraper.get("token").asText());

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("text/plain; version=0.0.4");
        assertThat(r.text()).contains("# TYPE keygate_verifications_total counter", "jvm_memory_used_bytes",
                "process_uptime_seconds", "keygate_audit_queue_depth", "keygate_audit_events_dropped_total");
        assertThat(r.text()).doesNotContain(scraper.get("token").asText());
    }

    @Test
    void verificationsWhenAnsweredThenCountedByCodeAndTimed() {
        JsonNode t = server.principalWithToken(TestServer.unique("metrics-verify"), "orders.items:read");
        String token = t.get("token").asText();
        double valid = sample("keygate_verifications_total", "code=\"VALID\",decision=\"allow\"");
        double forbidden = sample("keygate_verifications_total", "code=\"FORBIDDEN\",decision=\"deny\"");
        double notFound = sample("keygate_verifications_total", "code=\"NOT_FOUND\",decision=\"deny\"");
        double timed = sample("keygate_verify_duration_seconds_count", "");

        server.verify(token, "orders.items:read");
        server.verify(token, "orders.items:read");
        server.verify(token, "orders.items:write");
        server.verify("kg_live_notatoken", "orders.items:read");

        assertThat(sample("keygate_verifications_total", "code=\"VALID\",decision=\"allow\"")).isEqualTo(valid + 2);
        assertThat(sample("keygate_verifications_total", "code=\"FORBIDDEN\",decision=\"deny\""))
                .isEqualTo(forbidden + 1);
        assertThat(sample("keygate_verifications_total", "code=\"NOT_FOUND\",decision=\"deny\""))
                .isEqualTo(notFound + 1);
        assertThat(sample("keygate_verify_duration_seconds_count", "")).isEqualTo(timed + 4);
        assertThat(scrape()).contains("keygate_verify_duration_seconds_bucket{le=\"1.0E-5\"}");
    }

    @Test
    void httpRequestsWhenServedThenTimedByRouteTemplateNotByPathSent() {
        JsonNode t = server.principalWithToken(TestServer.unique("metrics-http"), "orders.items:read");
        String id = t.get("id").asText();
        server.get("/v1/tokens/" + id, server.adminToken());
        server.get("/no/such/route/" + id, null);

        String text = scrape();

        assertThat(text).contains("http_server_requests_seconds_count{method=\"GET\",status=\"200\","
                + "uri=\"/v1/tokens/{id}\"}");
        assertThat(text).contains("uri=\"UNMATCHED\"");
        // The path as sent would give every token its own series.
        assertThat(text).doesNotContain(id);
    }

    @Test
    void liveTokensWhenMintedThenCountedByEnvironmentAtTheNextRefresh() {
        String principal = server.newPrincipal("metrics-live");
        String role = server.newRole("metrics-live", "orders.items:read");
        server.clock().advance(Duration.ofSeconds(16));
        double before = sample("keygate_tokens_live", "environment=\"metricsenv\"");

        server.mint(principal, List.of(role), Map.of("environment", "metricsenv"));
        server.mint(principal, List.of(role), Map.of("environment", "metricsenv"));
        double cached = sample("keygate_tokens_live", "environment=\"metricsenv\"");
        server.clock().advance(Duration.ofSeconds(16));
        double refreshed = sample("keygate_tokens_live", "environment=\"metricsenv\"");

        assertThat(cached).isEqualTo(before);
        assertThat(refreshed).isEqualTo(before + 2);
    }

    private String scrape() {
        TestServer.Response r = server.get("/metrics", server.adminToken());
        assertThat(r.status()).isEqualTo(200);
        return r.text();
    }

    /** The value of the sample {@code name{labels}} (labels in Prometheus' order), 0 when absent. */
    private double sample(String name, String labels) {
        String selector = labels.isEmpty() ? name : name + "{" + labels + "}";
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(selector) + " (\\S+)$").matcher(scrape());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
