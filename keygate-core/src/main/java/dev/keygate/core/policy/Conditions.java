package dev.keygate.core.policy;

/** PLACEHOLDER until the CEL branch lands. */
public final class Conditions {
    public static final int MAX_LENGTH = 2000;

    private Conditions() {
    }

    public static Condition compile(String source) {
        throw new InvalidConditionException(-1, "conditions are not supported yet");
    }
}
