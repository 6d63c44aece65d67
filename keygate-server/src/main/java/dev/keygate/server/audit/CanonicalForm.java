package dev.keygate.server.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
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
        int n = value.length();
        ensure(4 + n);
        int start = size + 4;
        for (int i = 0; i < n; i++) {
            char ch = value.charAt(i);
            if (ch >= 0x80) {
                return utf8(value);
            }
            buf[start + i] = (byte) ch;
        }
        writeInt(n); // ASCII, the usual case: the chars were the UTF-8 bytes, written in place without a copy
        size += n;
        return this;
    }

    /** Appends a number as its decimal text (no sign for positive numbers, no leading zeros). */
    CanonicalForm field(long value) {
        if (value < 0) {
            return field(Long.toString(value));
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        writeInt(digits);
        ensure(digits);
        long v = value;
        for (int i = size + digits - 1; i >= size; i--) {
            buf[i] = (byte) ('0' + (int) (v % 10));
            v /= 10;
        }
        size += digits;
        return this;
    }

    /** Forgets every field, keeping the buffer: one instance serves event after event. */
    CanonicalForm reset() {
        size = 0;
        return this;
    }

    byte[] bytes() {
        return Arrays.copyOf(buf, size);
    }

    /** Feeds the bytes so far to {@code digest}, without copying them. */
    void updateDigest(MessageDigest digest) {
        digest.update(buf, 0, size);
    }

    private CanonicalForm utf8(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        writeInt(bytes.length);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, size, bytes.length);
        size += bytes.length;
        return this;
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
