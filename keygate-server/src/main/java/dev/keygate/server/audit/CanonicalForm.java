package dev.keygate.server.audit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The byte form hashed (events) and signed (checkpoints): each field in a fixed order, as a 4-byte big-endian
 * length and that many bytes of UTF-8, or the length {@code 0xFFFFFFFF} and no bytes for a missing (null) field.
 * Lengths make it unambiguous: no choice of field values can make two different events encode alike (a field
 * cannot swallow the next one, and null differs from the empty string). docs/audit.md specifies it for auditors
 * who check the log with their own tools.
 */
final class CanonicalForm {

    private static final int NULL_LENGTH = -1;

    /**
     * The bytes so far. Not a {@code ByteArrayOutputStream}: its methods are synchronized, and the audit writer
     * encodes some sixty lengths and fields for every verification.
     */
    private byte[] buf = new byte[256];
    private int size;

    /** Appends one field; {@code null} is encoded apart from every string. */
    CanonicalForm field(String value) {
        if (value == null) {
            writeInt(NULL_LENGTH);
            return this;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        writeInt(bytes.length);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, size, bytes.length);
        size += bytes.length;
        return this;
    }

    /** Appends a number as its decimal text (no sign for positive numbers, no leading zeros). */
    CanonicalForm field(long value) {
        return field(Long.toString(value));
    }

    byte[] bytes() {
        return Arrays.copyOf(buf, size);
    }

    private void writeInt(int v) {
        ensure(4);
        buf[size++] = (byte) (v >>> 24);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
