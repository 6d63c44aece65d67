package dev.keygate.core.permission;

/**
 * A permission query text that does not follow the grammar of {@link PermissionQuery}, or exceeds one of its
 * limits. The message is {@code at position <n>: <problem>}, so that a caller can prefix the field it came
 * from; {@link #position()} and {@link #problem()} give the two parts.
 */
public final class InvalidQueryException extends IllegalArgumentException {

    private final int position;
    private final String problem;

    InvalidQueryException(int position, String problem) {
        this(position, problem, null);
    }

    InvalidQueryException(int position, String problem, Throwable cause) {
        super("at position " + position + ": " + problem, cause);
        this.position = position;
        this.problem = problem;
    }

    /**
     * The 0-based index of the character where the problem was found, between 0 and the length of the text
     * (the length itself when the text ended too early). For an invalid permission it is where that permission
     * starts.
     */
    public int position() {
        return position;
    }

    /** What is wrong, without the position, for example {@code expected AND, OR or ')' but found 'x:y'}. */
    public String problem() {
        return problem;
    }
}
