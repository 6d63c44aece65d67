package dev.keygate.server.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The byte form hashed (events) and signed (checkpoints): each field in a fixed order, as a 4-byte big-endian
 * length and that many bytes of UTF-8, or the length {@code 0xFFFFFFFF} and no bytes for a missing (null) field.
 * Lengths make it unambiguous: no choice of field values can make two different events encode alike (a field
 * cannot swallow the next one, and null differs from the empty string). docs/audit.md specifies it for auditors
 * who check the log with their own tools.
 */
final class CanonicalForm {

    private static final int NULL_LENGTH = -1;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    /** Appends one field; {@code null} is encoded apart from every string. */
    CanonicalForm field(String value) {
        if (value == null) {
            writeInt(NULL_LENGTH);
            return this;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        writeInt(bytes.length);
        out.writeBytes(bytes);
        return this;
    }

    /** Appends a number as its decimal text (no sign for positive numbers, no leading zeros). */
    CanonicalForm field(long value) {
        return field(Long.toString(value));
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    private void writeInt(int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }
}
