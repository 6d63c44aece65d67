package dev.keygate.core.policy;

/**
 * Positions in a condition's source. CEL counts in code points and lines; messages and
 * {@link InvalidConditionException#position()} count in {@code char}s from the start, which differ only when
 * the source holds characters outside the Basic Multilingual Plane.
 */
final class SourceText {

    private SourceText() {
    }

    /** The char offset of a code point offset, clamped to the source. */
    static int charOffset(String source, int codePointOffset) {
        if (codePointOffset <= 0) {
            return 0;
        }
        int limit = source.codePointCount(0, source.length());
        return source.offsetByCodePoints(0, Math.min(codePointOffset, limit));
    }

    /** The char offset of a 1-based line and 0-based code point column, clamped to the source; -1 if line < 1. */
    static int charOffset(String source, int line, int column) {
        if (line < 1) {
            return -1;
        }
        int start = 0;
        for (int l = 1; l < line; l++) {
            int newline = source.indexOf('\n', start);
            if (newline < 0) {
                return source.length();
            }
            start = newline + 1;
        }
        int limit = source.codePointCount(start, source.length());
        return source.offsetByCodePoints(start, Math.min(Math.max(column, 0), limit));
    }

    /** The 1-based line of a char offset. */
    static int line(String source, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < source.length(); i++) {
            if (source.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** The 1-based column, in code points, of a char offset. */
    static int column(String source, int offset) {
        int end = Math.min(offset, source.length());
        int lineStart = source.lastIndexOf('\n', end - 1) + 1;
        return source.codePointCount(lineStart, end) + 1;
    }

    /**
     * Where to point for a problem that CEL places at {@code offset}: CEL places a call at its opening
     * parenthesis and a field selection at its dot, so those move to the function's or field's name.
     */
    static int nameAt(String source, int offset) {
        if (offset < 0 || offset >= source.length()) {
            return offset;
        }
        char c = source.charAt(offset);
        if (c == '(') {
            int end = offset;
            while (end > 0 && Character.isWhitespace(source.charAt(end - 1))) {
                end--;
            }
            int start = end;
            while (start > 0 && isIdentifierPart(source.charAt(start - 1))) {
                start--;
            }
            return start < end ? start : offset;
        }
        if (c == '.') {
            int start = offset + 1;
            while (start < source.length() && Character.isWhitespace(source.charAt(start))) {
                start++;
            }
            return start < source.length() && isIdentifierPart(source.charAt(start)) ? start : offset;
        }
        return offset;
    }

    /** The identifier starting at {@code offset}, or the empty string. */
    static String identifierAt(String source, int offset) {
        int end = Math.max(offset, 0);
        while (end < source.length() && isIdentifierPart(source.charAt(end))) {
            end++;
        }
        return offset < 0 ? "" : source.substring(offset, end);
    }

    private static boolean isIdentifierPart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
}
