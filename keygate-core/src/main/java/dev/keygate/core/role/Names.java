package dev.keygate.core.role;

import java.util.regex.Pattern;

/** The naming rules for roles and principals. */
public final class Names {

    /** Role names: lower-case, digits, {@code _} and {@code -}, starting with a letter or digit, 1-63 long. */
    public static final Pattern ROLE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    /** Principal names: as roles, and also {@code .} and {@code @} (for e-mail-like user names), 1-128 long. */
    public static final Pattern PRINCIPAL = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,127}");

    public static final String ROLE_RULE = "must match [a-z0-9][a-z0-9_-]{0,62}";
    public static final String PRINCIPAL_RULE = "must match [a-z0-9][a-z0-9._@-]{0,127}";

    private Names() {
    }

    public static boolean isValidRole(String name) {
        return name != null && ROLE.matcher(name).matches();
    }

    public static boolean isValidPrincipal(String name) {
        return name != null && PRINCIPAL.matcher(name).matches();
    }
}
