package dev.keygate.core.policy;

/**
 * A condition that does not compile: a syntax error, an unknown attribute or function, a type error, a result
 * that is not a {@code bool}, an invalid literal (CIDR range, regular expression, time zone, timestamp) or a
 * compile-time limit. The message names the position and the problem, e.g.
 * {@code at position 8 (line 1, column 9): unknown attribute request.tiem; request has ip, time, environment}.
 * Callers that validate a request turn it into a field error.
 */
public final class InvalidConditionException extends IllegalArgumentException {

    private final int position;
    private final String problem;

    InvalidConditionException(int position, int line, int column, String problem) {
        super(position < 0 ? problem
                : "at position " + position + " (line " + line + ", column " + column + "): " + problem);
        this.position = position;
        this.problem = problem;
    }

    /**
     * The 0-based offset, in {@code char}s of the source, of the first problem; -1 when the problem is not at
     * one place (a null or over-long source).
     */
    public int position() {
        return position;
    }

    /** What is wrong, without the position, e.g. {@code must evaluate to bool, not int}. */
    public String problem() {
        return problem;
    }
}
