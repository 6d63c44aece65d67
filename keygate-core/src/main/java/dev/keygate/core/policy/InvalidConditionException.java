package dev.keygate.core.policy;

/** PLACEHOLDER until the CEL branch lands. */
public final class InvalidConditionException extends RuntimeException {
    private final int position;
    private final String problem;

    public InvalidConditionException(int position, String problem) {
        super(problem);
        this.position = position;
        this.problem = problem;
    }

    public int position() {
        return position;
    }

    public String problem() {
        return problem;
    }
}
