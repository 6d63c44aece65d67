package dev.keygate.cli.scan;

import dev.keygate.core.token.Environments;
import dev.keygate.core.token.TokenFormat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds Keygate tokens in bytes by their shape, {@code kg_<environment>_<36 base62>}, and their checksum, without
 * any lookup: a string of the right shape whose checksum does not match is not a token and is not reported. Works
 * on bytes (tokens are ASCII), so any ASCII-compatible encoding of the text is searched.
 */
public final class TokenFinder {

    /** How far into a file a NUL byte makes it binary (git's rule). */
    public static final int BINARY_PROBE = 8000;

    private static final int SECRET_LENGTH = TokenFormat.SECRET_LENGTH;

    private TokenFinder() {
    }

    /** A token found in a text: where, and the token itself (to be hashed, never shown). */
    record Match(int line, int column, String token) {
        @Override
        public String toString() {
            return "Match[" + line + ":" + column + "]";
        }
    }

    /** Whether {@code length} bytes of {@code content} look binary: a NUL byte among the first {@value #BINARY_PROBE}. */
    public static boolean isBinary(byte[] content, int length) {
        int end = Math.min(length, BINARY_PROBE);
        for (int i = 0; i < end; i++) {
            if (content[i] == 0) {
                return true;
            }
        }
        return false;
    }

    /** Every well-formed token in the first {@code length} bytes of {@code content}, in order. */
    static List<Match> find(byte[] content, int length) {
        List<Match> matches = new ArrayList<>();
        int line = 1;
        int lineStart = 0;
        int i = 0;
        while (i < length) {
            byte b = content[i];
            if (b == '\n') {
                line++;
                lineStart = ++i;
                continue;
            }
            int end = b == 'k' ? tokenEnd(content, length, i) : -1;
            if (end < 0) {
                i++;
                continue;
            }
            String candidate = new String(content, i, end - i, StandardCharsets.US_ASCII);
            if (TokenFormat.isWellFormed(candidate)) {
                matches.add(new Match(line, column(content, lineStart, i), candidate));
                i = end;
            } else {
                i++;
            }
        }
        return matches;
    }

    /** Where a token-shaped text starting at {@code start} would end, or -1 when there is no such shape there. */
    private static int tokenEnd(byte[] b, int length, int start) {
        String prefix = TokenFormat.PREFIX;
        if (start + prefix.length() > length) {
            return -1;
        }
        for (int k = 0; k < prefix.length(); k++) {
            if (b[start + k] != prefix.charAt(k)) {
                return -1;
            }
        }
        int envStart = start + prefix.length();
        int envEnd = envStart;
        while (envEnd < length && envEnd - envStart <= Environments.MAX_LENGTH && isEnvironmentChar(b[envEnd])) {
            envEnd++;
        }
        if (envEnd == envStart || envEnd - envStart > Environments.MAX_LENGTH || envEnd >= length
                || b[envEnd] != '_') {
            return -1;
        }
        int end = envEnd + 1 + SECRET_LENGTH;
        return end <= length ? end : -1;
    }

    private static boolean isEnvironmentChar(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    /** The 1-based column of {@code at} in characters: UTF-8 continuation bytes do not count. */
    private static int column(byte[] b, int lineStart, int at) {
        int column = 1;
        for (int i = lineStart; i < at; i++) {
            if ((b[i] & 0xC0) != 0x80) {
                column++;
            }
        }
        return column;
    }
}
