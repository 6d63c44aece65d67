package dev.keygate.core.policy;

/**
 * A compiled, type-checked condition, made by {@link Conditions#compile}. Immutable and thread-safe: one
 * instance may be evaluated by any number of threads at once.
 */
public interface Condition {

    /** The expression as given to {@link Conditions#compile}. */
    String source();

    /**
     * Evaluates the condition.
     *
     * <p>Evaluation follows CEL's rules, including its logical operators: {@code a || b} is true when either
     * side is true even if the other fails, and {@code a && b} is false when either side is false. An
     * evaluation that fails as a whole throws; it never counts as true.
     *
     * @return true only when the expression evaluates to {@code true}
     * @throws ConditionException if evaluation fails: a missing attribute (e.g. {@code request.ip} not given,
     *                            {@code resource.owner} absent), a type mismatch at run time, a malformed value
     *                            (e.g. for {@code inCidr}), or an evaluation limit exceeded (see
     *                            {@link Conditions}). Callers fail closed.
     * @throws NullPointerException if {@code request} or {@code subject} is null
     */
    boolean test(RequestAttributes request, SubjectAttributes subject);
}
