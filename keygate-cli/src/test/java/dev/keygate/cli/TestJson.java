package dev.keygate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Parses JSON in assertions, so that output is compared as a tree and not by its spacing. */
final class TestJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TestJson() {
    }

    static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Single quotes for readability in tests: {@code json("{'a': 1}")}. */
    static JsonNode json(String singleQuoted) {
        return tree(singleQuoted.replace('\'', '"'));
    }
}
