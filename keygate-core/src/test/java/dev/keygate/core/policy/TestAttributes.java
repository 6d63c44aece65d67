package dev.keygate.core.policy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test fixtures for condition attributes: {@link #request()} is a request from {@code 10.1.2.3} at
 * {@link #NOON} UTC on a winter weekday in the {@code live} environment with no resource; {@link #subject()} is
 * token {@code tok_1} of the service {@code billing-svc}, with metadata {@code team: billing}. Tests change only
 * what they are about.
 */
final class TestAttributes {

    static final Instant NOON = Instant.parse("2026-01-14T12:30:00Z");

    private TestAttributes() {
    }

    static RequestBuilder request() {
        return new RequestBuilder();
    }

    static SubjectBuilder subject() {
        return new SubjectBuilder();
    }

    static final class RequestBuilder {

        private String ip = "10.1.2.3";
        private Instant time = NOON;
        private String environment = "live";
        private Map<String, Object> resource;

        RequestBuilder ip(String ip) {
            this.ip = ip;
            return this;
        }

        RequestBuilder time(Instant time) {
            this.time = time;
            return this;
        }

        RequestBuilder time(String time) {
            return time(Instant.parse(time));
        }

        RequestBuilder environment(String environment) {
            this.environment = environment;
            return this;
        }

        /** Adds a resource attribute; the value may be null. */
        RequestBuilder resource(String key, Object value) {
            if (resource == null) {
                resource = new LinkedHashMap<>();
            }
            resource.put(key, value);
            return this;
        }

        RequestBuilder resource(Map<String, Object> resource) {
            this.resource = resource;
            return this;
        }

        RequestAttributes build() {
            return new RequestAttributes(ip, time, environment, resource);
        }
    }

    static final class SubjectBuilder {

        private String tokenId = "tok_1";
        private Map<String, Object> tokenMetadata = new LinkedHashMap<>(Map.of("team", "billing"));
        private String tokenEnvironment = "live";
        private Instant tokenCreatedAt = Instant.parse("2026-01-01T00:00:00Z");
        private String principalName = "billing-svc";
        private String principalKind = "service";
        private Map<String, Object> principalMetadata = Map.of();

        SubjectBuilder tokenMetadata(Map<String, Object> metadata) {
            this.tokenMetadata = metadata;
            return this;
        }

        SubjectBuilder tokenEnvironment(String environment) {
            this.tokenEnvironment = environment;
            return this;
        }

        SubjectBuilder principalName(String name) {
            this.principalName = name;
            return this;
        }

        SubjectBuilder principalKind(String kind) {
            this.principalKind = kind;
            return this;
        }

        SubjectBuilder principalMetadata(Map<String, Object> metadata) {
            this.principalMetadata = metadata;
            return this;
        }

        SubjectAttributes build() {
            return SubjectAttributes.of(tokenId, tokenMetadata, tokenEnvironment, tokenCreatedAt, principalName,
                    principalKind, principalMetadata);
        }
    }
}
