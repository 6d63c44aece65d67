package dev.keygate.core.permission;

/**
 * A permission text that does not follow the grammar of {@link Permission}. Callers that validate a request
 * turn it into a field error; the message names the text and the problem.
 */
public final class InvalidPermissionException extends IllegalArgumentException {

    private final String problem;

    InvalidPermissionException(String text, String problem) {
        super("invalid permission '" + truncate(text) + "': " + problem);
        this.problem = problem;
    }

    /** What is wrong, without the permission text, for example {@code must have the form resource:action}. */
    public String problem() {
        return problem;
    }

    private static String truncate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
