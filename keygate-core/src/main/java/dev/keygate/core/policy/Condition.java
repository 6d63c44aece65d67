package dev.keygate.core.policy;

/** PLACEHOLDER until the CEL branch lands. */
public interface Condition {
    String source();

    boolean test(RequestAttributes request, SubjectAttributes subject);
}
