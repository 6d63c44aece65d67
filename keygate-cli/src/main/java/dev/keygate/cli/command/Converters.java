package dev.keygate.cli.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.cli.output.JsonOutput;
import dev.keygate.client.Grant;
import dev.keygate.client.RateLimit;
import dev.keygate.core.net.Cidr;
import dev.keygate.core.net.IpAddresses;
import dev.keygate.core.token.Ttl;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /** Text kept as given once a parser of {@code keygate-core} accepts it; else the problem that parser found. */
    abstract static class Checked implements ITypeConverter<String> {
        private final Consumer<String> parser;
        private final BiFunction<String, IllegalArgumentException, String> problem;

        Checked(Consumer<String> parser, BiFunction<String, IllegalArgumentException, String> problem) {
            this.parser = parser;
            this.problem = problem;
        }

        @Override
        public String convert(String value) {
            try {
                parser.accept(value);
                return value;
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(problem.apply(value, e));
            }
        }
    }

    /** A lifetime as the server reads it ({@code 90s}, {@code 30m}, {@code 24h}, {@code 7d}). */
    static final class Lifetime extends Checked {
        Lifetime() {
            super(Ttl::parse, (value, e) -> "'" + value + "' " + Ttl.RULE);
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

    /** A whole number of at least a minimum, such as a count of uses. */
    abstract static class AtLeast implements ITypeConverter<Long> {
        private final long min;
        private final String rule;

        AtLeast(long min, String rule) {
            this.min = min;
            this.rule = rule;
        }

        @Override
        public Long convert(String value) {
            try {
                long n = Long.parseLong(value);
                if (n >= min) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // Said below, with the rule.
            }
            throw new TypeConversionException("'" + value + "' must be " + rule);
        }
    }

    /** A positive whole number: {@code token create --max-uses}. */
    static final class Uses extends AtLeast {
        Uses() {
            super(1, "a positive whole number, e.g. 1000");
        }
    }

    /** Zero or a positive whole number: {@code verify --cost}. */
    static final class Cost extends AtLeast {
        Cost() {
            super(0, "a whole number, 0 or more (0 checks without spending)");
        }
    }

    /**
     * A rate limit as {@code N/WINDOW}, {@code 100/1m}: at most N verifications per window. Checked against the
     * server's ranges (1 to 1,000,000 per 1s to 1d).
     */
    static final class Rate implements ITypeConverter<RateLimit> {
        private static final String RULE =
                "must be N/WINDOW, at most N verifications per window: e.g. 100/1m or 5000/1h";

        @Override
        public RateLimit convert(String value) {
            int slash = value.indexOf('/');
            long limit;
            try {
                limit = slash < 1 ? -1 : Long.parseLong(value.substring(0, slash));
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 0) {
                throw new TypeConversionException("'" + value + "' " + RULE);
            }
            String window = value.substring(slash + 1);
            try {
                dev.keygate.core.token.RateLimit.of(limit, window);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "': " + e.getMessage());
            }
            return new RateLimit(limit, window);
        }
    }

    /** A network in CIDR notation or a single address ({@code 10.0.0.0/8}, {@code 192.0.2.7}). */
    static final class Network extends Checked {
        Network() {
            super(Cidr::parse, (value, e) -> e.getMessage());
        }
    }

    /** An IPv4 or IPv6 address literal, without a zone or a prefix. */
    static final class IpAddress extends Checked {
        IpAddress() {
            super(IpAddresses::parse, (value, e) -> e.getMessage() + " (e.g. 10.1.2.3 or 2001:db8::7)");
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

    /**
     * A grant as {@code EFFECT PERMISSION [if CONDITION]}: {@code deny billing.refunds:write},
     * {@code allow crm.*:read if request.environment == 'live'}. Only the form is checked here; the server checks
     * the permission and the condition, and names the grant ({@code grants[i]}) if one is wrong.
     */
    static final class GrantSpec implements ITypeConverter<Grant> {
        static final String FORM = "EFFECT PERMISSION [if CONDITION]";
        private static final Pattern GRANT = Pattern.compile("(\\S+)\\s+(\\S+)(?:\\s+if\\s+(\\S.*))?", Pattern.DOTALL);
        private static final String RULE = "must be '" + FORM + "' with EFFECT allow or deny, e.g. "
                + "'deny billing.refunds:write' or \"allow crm.*:read if request.environment == 'live'\"";

        @Override
        public Grant convert(String value) {
            Matcher m = GRANT.matcher(value.strip());
            if (!m.matches()) {
                throw new TypeConversionException("'" + value + "' " + RULE);
            }
            Grant grant = switch (m.group(1)) {
                case Grant.ALLOW -> Grant.allow(m.group(2));
                case Grant.DENY -> Grant.deny(m.group(2));
                default -> throw new TypeConversionException("'" + value + "': the effect must be allow or deny, not '"
                        + m.group(1) + "' (" + FORM + ")");
            };
            return m.group(3) == null ? grant : grant.withCondition(m.group(3).strip());
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
