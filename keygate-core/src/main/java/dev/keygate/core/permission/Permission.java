package dev.keygate.core.permission;

import java.util.Arrays;

/**
 * A permission {@code resource:action}, possibly with wildcards. The grammar (also in {@code docs/permissions.md}):
 *
 * <pre>
 * permission = resource ":" action
 * resource   = segment *( "." segment ) [ "." "*" ] / "*"
 * action     = segment / "*"
 * segment    = 1*( a-z / 0-9 / "_" / "-" )
 * </pre>
 *
 * <p>A {@code *} stands for a whole segment and only where the grammar allows it: as the last resource segment
 * it matches <em>one or more</em> remaining segments ({@code billing.*:read} grants
 * {@code billing.invoices:read} and {@code billing.invoices.lines:read}, not {@code billing:read}); as the
 * action it matches any action. {@code *:*} matches every permission. A permission is at most
 * {@value #MAX_LENGTH} characters.
 *
 * <p>Instances are immutable; {@link #toString()} gives back the canonical text.
 */
public final class Permission {

    /** The longest permission text accepted. */
    public static final int MAX_LENGTH = 200;

    private static final String WILDCARD = "*";

    private final String text;
    /** The literal resource segments, without a trailing wildcard. */
    private final String[] prefix;
    private final boolean resourceWildcard;
    private final String action;

    private Permission(String text, String[] prefix, boolean resourceWildcard, String action) {
        this.text = text;
        this.prefix = prefix;
        this.resourceWildcard = resourceWildcard;
        this.action = action;
    }

    /**
     * Parses a permission.
     *
     * @throws InvalidPermissionException if {@code text} does not follow the grammar; the message says where
     */
    public static Permission parse(String text) {
        String problem = problemWith(text);
        if (problem != null) {
            throw new InvalidPermissionException(text, problem);
        }
        int colon = text.indexOf(':');
        String resource = text.substring(0, colon);
        String action = text.substring(colon + 1);
        String[] segments = resource.split("\\.", -1);
        boolean wildcard = segments[segments.length - 1].equals(WILDCARD);
        String[] prefix = wildcard ? Arrays.copyOf(segments, segments.length - 1) : segments;
        return new Permission(text, prefix, wildcard, action);
    }

    /** Returns whether {@code text} is a valid permission. */
    public static boolean isValid(String text) {
        return problemWith(text) == null;
    }

    /**
     * Returns what is wrong with {@code text}, or {@code null} when it follows the grammar. Does not allocate
     * for valid input: the verify path calls it on every request.
     */
    static String problemWith(String text) {
        if (text == null || text.isEmpty()) {
            return "must not be empty";
        }
        if (text.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters";
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            return "must have the form resource:action";
        }
        if (text.indexOf(':', colon + 1) >= 0) {
            return "must contain exactly one ':'";
        }
        // Resource: segments separated by '.', only the last may be '*'.
        int start = 0;
        while (true) {
            int dot = text.indexOf('.', start);
            int end = dot < 0 || dot > colon ? colon : dot;
            boolean last = end == colon;
            if (end == start) {
                return "resource has an empty segment at position " + start;
            }
            if (isWildcard(text, start, end)) {
                if (!last) {
                    return "'*' may only be the last resource segment (position " + start + ")";
                }
            } else {
                int bad = firstInvalidChar(text, start, end);
                if (bad >= 0) {
                    return "invalid character '" + text.charAt(bad) + "' at position " + bad
                            + " (segments use a-z, 0-9, '_' and '-')";
                }
            }
            if (last) {
                break;
            }
            start = end + 1;
        }
        int actionStart = colon + 1;
        if (actionStart == text.length()) {
            return "action must not be empty";
        }
        if (!isWildcard(text, actionStart, text.length())) {
            int bad = firstInvalidChar(text, actionStart, text.length());
            if (bad >= 0) {
                return "invalid character '" + text.charAt(bad) + "' at position " + bad
                        + " (the action uses a-z, 0-9, '_' and '-', or is '*')";
            }
        }
        return null;
    }

    private static boolean isWildcard(String text, int start, int end) {
        return end - start == 1 && text.charAt(start) == '*';
    }

    private static int firstInvalidChar(String text, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            if (!ok) {
                return i;
            }
        }
        return -1;
    }

    /** Whether this permission contains a wildcard. */
    public boolean isWildcard() {
        return resourceWildcard || action.equals(WILDCARD);
    }

    /**
     * Returns whether this permission grants everything {@code other} grants. For a concrete {@code other}
     * this is "this pattern matches other"; for a pattern it is subsumption (every concrete permission that
     * {@code other} matches, this one matches too), which is the rule that stops privilege escalation.
     */
    public boolean covers(Permission other) {
        if (!action.equals(WILDCARD) && !action.equals(other.action)) {
            return false;
        }
        if (!resourceWildcard) {
            return !other.resourceWildcard && Arrays.equals(prefix, other.prefix);
        }
        // This matches every resource with our literal prefix followed by at least one more segment.
        // Other's resources all have at least other.prefix.length (+1 if wildcard) segments.
        int otherMinLength = other.prefix.length + (other.resourceWildcard ? 1 : 0);
        if (otherMinLength < prefix.length + 1) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (!prefix[i].equals(other.prefix[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns whether some concrete permission is matched by both this pattern and {@code other}: the test a deny
     * grant needs, since a deny of {@code billing.refunds:write} must refuse a request for {@code billing.*:*}.
     */
    public boolean overlaps(Permission other) {
        if (!action.equals(WILDCARD) && !other.action.equals(WILDCARD) && !action.equals(other.action)) {
            return false;
        }
        if (!resourceWildcard && !other.resourceWildcard) {
            return Arrays.equals(prefix, other.prefix);
        }
        if (resourceWildcard && other.resourceWildcard) {
            // Both match "prefix + one or more segments": they share a resource when one prefix starts the other.
            int common = Math.min(prefix.length, other.prefix.length);
            return Arrays.equals(prefix, 0, common, other.prefix, 0, common);
        }
        Permission pattern = resourceWildcard ? this : other;
        Permission literal = resourceWildcard ? other : this;
        return literal.prefix.length > pattern.prefix.length
                && Arrays.equals(pattern.prefix, 0, pattern.prefix.length, literal.prefix, 0, pattern.prefix.length);
    }

    /** The resource part, for example {@code billing.invoices} or {@code billing.*}. */
    public String resource() {
        return text.substring(0, text.indexOf(':'));
    }

    /** The action part, for example {@code read} or {@code *}. */
    public String action() {
        return action;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Permission p && p.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
