package dev.keygate.cli.output;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * {@code --json} output: the API's objects as the server writes them ({@code snake_case} fields in the order of
 * {@code docs/api.md}, {@code null} fields left out, times as RFC 3339), pretty-printed. Scripts may rely on the
 * field names and values, not on the spacing.
 */
public final class JsonOutput {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .defaultPropertyInclusion(
                    JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.ALWAYS))
            .enable(SerializationFeature.INDENT_OUTPUT)
            .addModule(new SimpleModule("keygate-instant").addSerializer(Instant.class, ToStringSerializer.instance))
            .build();

    private static final ObjectWriter LINE = MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    private JsonOutput() {
    }

    /** Prints {@code value} (a record of {@code dev.keygate.client}, a map or a tree) and a line break. */
    public static void print(PrintStream out, Object value) {
        try {
            out.println(MAPPER.writeValueAsString(value));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Prints {@code value} as compact JSON on one line (JSON Lines), without flushing. */
    public static void line(PrintStream out, Object value) {
        try {
            out.println(LINE.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code {"items": [...]}}, the shape of the API's list answers. */
    public static void printItems(PrintStream out, Object items) {
        print(out, Map.of("items", items));
    }

    /** {@code value} as a JSON object to add fields to. */
    public static ObjectNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** Parses JSON text, for values given on the command line. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
