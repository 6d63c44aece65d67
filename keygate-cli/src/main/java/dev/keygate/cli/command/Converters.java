package dev.keygate.cli.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.cli.output.JsonOutput;
import dev.keygate.core.token.Ttl;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** Option values checked before any request is sent, so that a typo is a usage error (exit 2). */
final class Converters {

    private Converters() {
    }

    /** An RFC 3339 time: {@code 2026-11-22T09:15:00Z} or with an offset. */
    static final class RfcTime implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException utcOnly) {
                try {
                    return OffsetDateTime.parse(value).toInstant();
                } catch (DateTimeParseException e) {
                    throw new TypeConversionException(
                            "'" + value + "' is not an RFC 3339 time (e.g. 2026-11-22T09:15:00Z)");
                }
            }
        }
    }

    /** A lifetime as the server reads it ({@code 90s}, {@code 30m}, {@code 24h}, {@code 7d}); kept as text. */
    static final class Lifetime implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                Ttl.parse(value);
                return value;
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' " + Ttl.RULE);
            }
        }
    }

    /** A grace period: a lifetime as for {@link Lifetime}, or zero ({@code 0}, {@code 0s}, ...). */
    static final class Grace implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Ttl.parseOrZero(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' " + Ttl.RULE + ", or 0");
            }
        }
    }

    /** A JSON object given on the command line, as plain Java values (wrapped: picocli reads a Map as KEY=VALUE). */
    record JsonObjectValue(Map<String, Object> values) {
    }

    /** A JSON object. */
    static final class JsonObject implements ITypeConverter<JsonObjectValue> {
        private static final String RULE = "must be a JSON object, e.g. '{\"team\":\"payments\"}'";

        @Override
        public JsonObjectValue convert(String value) {
            JsonNode tree;
            try {
                tree = JsonOutput.mapper().readTree(value);
            } catch (JsonProcessingException e) {
                throw new TypeConversionException(RULE + ": " + e.getOriginalMessage());
            }
            if (tree == null || !tree.isObject()) {
                throw new TypeConversionException(RULE);
            }
            Map<String, Object> values = JsonOutput.mapper().convertValue(tree, new TypeReference<>() { });
            return new JsonObjectValue(values);
        }
    }

    /** One of a fixed set of words. */
    abstract static class OneOf implements ITypeConverter<String> {
        private final List<String> allowed;

        OneOf(String... allowed) {
            this.allowed = List.of(allowed);
        }

        @Override
        public String convert(String value) {
            if (!allowed.contains(value)) {
                throw new TypeConversionException("'" + value + "' is not one of " + String.join(", ", allowed));
            }
            return value;
        }
    }

    static final class Kind extends OneOf {
        Kind() {
            super("service", "integration", "user");
        }
    }

    static final class Status extends OneOf {
        Status() {
            super("active", "expired", "revoked", "rotated");
        }
    }
}
