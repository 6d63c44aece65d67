package dev.keygate.cli.output;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.regex.Pattern;

/** Turns values into text that is safe to print on a terminal. */
public final class Text {

    /** A Keygate token ({@code kg_<environment>_<secret>}), also when cut short. */
    private static final Pattern SECRET = Pattern.compile("kg_[a-z0-9]{1,16}_[0-9A-Za-z]{16,}");

    private Text() {
    }

    /**
     * The text with control characters (ANSI escapes, line breaks, ...) replaced by {@code ?}: names,
     * descriptions and problem details come from the server and, through it, from other users; they must not
     * be able to move the cursor or recolour a terminal. {@code null} becomes {@code "-"}.
     */
    public static String safe(String value) {
        if (value == null) {
            return "-";
        }
        StringBuilder sb = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean control = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0);
            if (control) {
                if (sb == null) {
                    sb = new StringBuilder(value.length()).append(value, 0, i);
                }
                sb.append('?');
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? value : sb.toString();
    }

    /** The text with anything that looks like a Keygate token replaced by {@code kg_***}. */
    public static String redactSecrets(String value) {
        return value == null ? null : SECRET.matcher(value).replaceAll("kg_***");
    }

    /** An instant to the second, {@code 2026-11-22T09:15:00Z}; {@code "-"} for null. */
    public static String time(Instant value) {
        return value == null ? "-" : value.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** The items joined by {@code ", "}; {@code "-"} for null or empty. */
    public static String list(Collection<String> values) {
        return values == null || values.isEmpty() ? "-" : safe(String.join(", ", values));
    }
}
