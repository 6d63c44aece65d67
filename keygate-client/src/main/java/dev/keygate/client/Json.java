package dev.keygate.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client's one JSON mapping: {@code snake_case} names, unknown response fields ignored (the server may add
 * fields), {@code null} fields left out of requests (the server rejects what it does not know), and
 * {@link Instant} as RFC 3339 text. Only {@code jackson-databind} is a dependency, so the two {@code Instant}
 * converters are written here rather than taken from the JSR-310 module.
 */
final class Json {

    private Json() {
    }

    static ObjectMapper newMapper() {
        SimpleModule time = new SimpleModule("keygate-instant");
        time.addSerializer(Instant.class, new InstantSerializer());
        time.addDeserializer(Instant.class, new InstantDeserializer());
        return JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // Null properties are left out; null values inside a metadata map are data and are kept.
                .defaultPropertyInclusion(
                        JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.ALWAYS))
                .addModule(time)
                .build();
    }

    /**
     * An unmodifiable copy of a JSON object given as plain Java values, or {@code null} for {@code null}. Only the top
     * level is copied; {@code null} values are kept ({@link Map#copyOf} would reject them).
     */
    static Map<String, Object> objectCopy(Map<String, ?> values) {
        return values == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Writes {@code 2026-11-22T09:15:00Z}. */
    static final class InstantSerializer extends StdScalarSerializer<Instant> {
        InstantSerializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.toString());
        }
    }

    /** Reads an RFC 3339 instant, in UTC ({@code Z}) or with an offset. */
    static final class InstantDeserializer extends StdScalarDeserializer<Instant> {
        InstantDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString();
            if (text == null) {
                return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
            }
            try {
                return Instant.parse(text.trim());
            } catch (DateTimeParseException utcOnly) {
                try {
                    return OffsetDateTime.parse(text.trim()).toInstant();
                } catch (DateTimeParseException e) {
                    return (Instant) ctxt.handleWeirdStringValue(Instant.class, text, "not an RFC 3339 time");
                }
            }
        }
    }
}
