package dev.keygate.core.policy;

/** PLACEHOLDER until the CEL branch lands. */
public final class ConditionException extends RuntimeException {
    public ConditionException(String message) {
        super(message);
    }
}
