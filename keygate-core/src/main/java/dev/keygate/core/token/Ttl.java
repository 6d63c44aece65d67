package dev.keygate.core.token;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints durations written as a positive whole number and a unit: {@code 90s}, {@code 30m}, {@code 24h}, {@code 7d}. */
public final class Ttl {

    private static final Pattern FORM = Pattern.compile("([1-9][0-9]{0,8})([smhd])");
    public static final String RULE = "must be a positive whole number followed by s, m, h or d (e.g. 30m, 24h, 7d)";

    private Ttl() {
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException if it is not of the form; the message is {@link #RULE}
     */
    public static Duration parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException(RULE);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /**
     * Parses {@code text} like {@link #parse}, but also accepts zero ({@code 0}, {@code 0s}, {@code 0m},
     * {@code 0h}, {@code 0d}): for durations where none is meaningful, such as a grace period.
     *
     * @throws IllegalArgumentException if it is neither zero nor of the form; the message is {@link #RULE}
     */
    public static Duration parseOrZero(String text) {
        if (text != null && text.matches("0[smhd]?")) {
            return Duration.ZERO;
        }
        return parse(text);
    }

    /**
     * The shortest exact text for {@code d} in this form, for example {@code 90d} or {@code 45m}; {@code 0s} for
     * zero.
     */
    public static String format(Duration d) {
        long s = d.toSeconds();
        if (s == 0) {
            return "0s";
        }
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
