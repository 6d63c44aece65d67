package dev.keygate.client;

import java.time.Duration;

/** Durations written as the server reads them: a whole number and the largest unit that divides it exactly. */
final class DurationText {

    private DurationText() {
    }

    /**
     * {@code value} as text, for example {@code 36h}, {@code 90m} or {@code 61s}; {@code 0} for zero.
     *
     * @param what        the name of the value, for the message
     * @param zeroAllowed whether zero is a valid value
     * @throws IllegalArgumentException if it is negative, zero when that is not allowed, or not a whole number of
     *                                  seconds
     */
    static String of(Duration value, String what, boolean zeroAllowed) {
        if (value.isNegative() || (value.isZero() && !zeroAllowed) || value.toNanosPart() != 0) {
            String rule = zeroAllowed ? "zero or a positive" : "a positive";
            throw new IllegalArgumentException(what + " must be " + rule + " whole number of seconds, was " + value);
        }
        long s = value.toSeconds();
        if (s == 0) {
            return "0";
        }
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
