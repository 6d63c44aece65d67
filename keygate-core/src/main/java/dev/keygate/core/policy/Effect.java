package dev.keygate.core.policy;

import java.util.Locale;

/** What a grant does when it matches: allow, or deny (a matching deny wins over every allow). */
public enum Effect {
    ALLOW,
    DENY;

    /** The lower-case name used in the API and in policy files. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The effect named {@code text} ({@code allow} or {@code deny}).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Effect parse(String text) {
        if ("allow".equals(text)) {
            return ALLOW;
        }
        if ("deny".equals(text)) {
            return DENY;
        }
        throw new IllegalArgumentException("must be \"allow\" or \"deny\"");
    }
}
