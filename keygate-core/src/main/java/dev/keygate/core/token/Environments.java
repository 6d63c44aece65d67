package dev.keygate.core.token;

/**
 * Environment names ({@code live}, {@code test}, {@code staging}, ...): 1 to {@value #MAX_LENGTH} characters
 * of {@code a-z} and {@code 0-9}. A token is minted for one environment and is refused in any other.
 */
public final class Environments {

    public static final int MAX_LENGTH = 16;
    public static final String DEFAULT = "live";

    private Environments() {
    }

    public static boolean isValid(CharSequence name) {
        return name != null && isValid(name, 0, name.length());
    }

    static boolean isValid(CharSequence text, int start, int end) {
        int length = end - start;
        if (length < 1 || length > MAX_LENGTH) {
            return false;
        }
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }
}
