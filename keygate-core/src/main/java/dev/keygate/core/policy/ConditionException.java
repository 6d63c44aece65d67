package dev.keygate.core.policy;

/**
 * A condition whose evaluation failed. The message says what failed and where in the expression, e.g.
 * {@code at position 8 (line 1, column 9): request.ip is absent}, and never carries an attribute's value. The
 * caller fails closed: the grant does not apply.
 */
public final class ConditionException extends RuntimeException {

    private final int position;

    ConditionException(int position, String message) {
        // No stack trace: a failing condition is an expected outcome on the verify path, not a bug.
        super(message, null, false, false);
        this.position = position;
    }

    /** The 0-based offset in the source of the part that failed, or -1 when it is not known. */
    public int position() {
        return position;
    }
}
