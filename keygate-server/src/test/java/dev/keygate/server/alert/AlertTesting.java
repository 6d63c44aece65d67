package dev.keygate.server.alert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.TestServer;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Helpers of the alert tests: verifications from a stated address, and reading alerts back. */
final class AlertTesting {

    private AlertTesting() {
    }

    /** {@code POST /v1/verify} of {@code secret} for {@code permission} (or none), with {@code context.ip}. */
    static JsonNode verifyFrom(TestServer server, String secret, String permission, String ip) {
        Map<String, Object> body = new HashMap<>();
        body.put("token", secret);
        if (permission != null) {
            body.put("permission", permission);
        }
        if (ip != null) {
            body.put("context", Map.of("ip", ip));
        }
        return TestServer.expect(server.post("/v1/verify", null, body), 200);
    }

    /** Verifies {@code times} times, then waits until the audit writer (and so the rules) have seen each. */
    static void verifyTimes(TestServer server, int times, String secret, String permission, String ip) {
        for (int i = 0; i < times; i++) {
            verifyFrom(server, secret, permission, ip);
        }
        server.flushAudit();
    }

    /** The alerts {@code GET /v1/alerts?<query>} lists, as the admin. */
    static List<JsonNode> alerts(TestServer server, String query) {
        return TestServer.expect(server.get("/v1/alerts?" + query, server.adminToken()), 200).get("items")
                .valueStream().toList();
    }

    /** The alerts about {@code tokenId}, newest first. */
    static List<JsonNode> alertsOfToken(TestServer server, String tokenId) {
        return alerts(server, "token_id=" + tokenId);
    }

    /** The alerts of {@code rule} about address {@code ip}, newest first. */
    static List<JsonNode> alertsOfIp(TestServer server, String rule, String ip) {
        return alerts(server, "rule=" + rule + "&limit=1000").stream()
                .filter(a -> ip.equals(a.path("ip").asText(null))).toList();
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** Polls {@code read} until {@code done} holds, for at most 10 s; returns the last value read. */
    static <T> T await(Supplier<T> read, Predicate<T> done, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        T value = read.get();
        while (!done.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what + "; last seen: " + value);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
            value = read.get();
        }
        return value;
    }
}
