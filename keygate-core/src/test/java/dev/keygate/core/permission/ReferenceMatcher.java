package dev.keygate.core.permission;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An independent model of the permission semantics, written from the grammar in the Javadoc of
 * {@link Permission} rather than from its code: a pattern becomes a regular expression over concrete
 * permission texts. Literal resource segments match themselves, a trailing {@code .*} matches one or more
 * further segments, a lone {@code *} resource matches one or more segments, and a {@code *} action matches
 * any one segment.
 */
final class ReferenceMatcher {

    private static final String SEGMENT = "[a-z0-9_-]+";
    /**
     * A segment that the property generators never use in a pattern, so that substituting it for a wildcard
     * gives a concrete permission that no literal part of another pattern can match.
     */
    static final String FRESH = "zz";
    /** Deeper than any generated pattern by at least two, enough to escape every literal resource. */
    private static final int MAX_WITNESS_DEPTH = 6;

    private ReferenceMatcher() {
    }

    static Pattern toRegex(String pattern) {
        int colon = pattern.indexOf(':');
        String resource = pattern.substring(0, colon);
        String action = pattern.substring(colon + 1);
        StringBuilder regex = new StringBuilder();
        if (resource.equals("*")) {
            regex.append(SEGMENT).append("(?:\\.").append(SEGMENT).append(")*");
        } else if (resource.endsWith(".*")) {
            regex.append(Pattern.quote(resource.substring(0, resource.length() - 2)))
                    .append("(?:\\.").append(SEGMENT).append(")+");
        } else {
            regex.append(Pattern.quote(resource));
        }
        regex.append(':').append(action.equals("*") ? SEGMENT : Pattern.quote(action));
        return Pattern.compile(regex.toString());
    }

    /** Whether {@code pattern} grants the concrete permission {@code concrete}. */
    static boolean matches(String pattern, String concrete) {
        return toRegex(pattern).matcher(concrete).matches();
    }

    /**
     * Concrete permissions that {@code pattern} grants, chosen so that if some pattern A generated from the
     * segments a, b, c (at most {@code MAX_WITNESS_DEPTH - 2} deep) fails to grant some permission granted by
     * {@code pattern}, then it fails to grant one of these: the wildcard action becomes {@link #FRESH}, and a
     * wildcard resource becomes its prefix followed by 1 to {@code MAX_WITNESS_DEPTH} fresh segments, which
     * covers both "too short for A's prefix" and "longer than A's literal resource".
     */
    static List<String> witnesses(String pattern) {
        int colon = pattern.indexOf(':');
        String resource = pattern.substring(0, colon);
        String action = pattern.substring(colon + 1);
        String concreteAction = action.equals("*") ? FRESH : action;
        List<String> resources = new ArrayList<>();
        if (resource.equals("*") || resource.endsWith(".*")) {
            String prefix = resource.substring(0, resource.length() - 1);
            StringBuilder tail = new StringBuilder(FRESH);
            for (int depth = 1; depth <= MAX_WITNESS_DEPTH; depth++) {
                resources.add(prefix + tail);
                tail.append('.').append(FRESH);
            }
        } else {
            resources.add(resource);
        }
        List<String> witnesses = new ArrayList<>();
        for (String r : resources) {
            witnesses.add(r + ":" + concreteAction);
        }
        return witnesses;
    }
}
