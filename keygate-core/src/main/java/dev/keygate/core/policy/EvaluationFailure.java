package dev.keygate.core.policy;

/**
 * A failure raised by Keygate's own code during an evaluation (a spent budget, a resource that cannot be
 * converted, a malformed address for {@code inCidr}), thrown through CEL, which wraps it. Its message names
 * the problem and never a value, so the condition reports it as it is.
 */
final class EvaluationFailure extends RuntimeException {

    EvaluationFailure(String message) {
        super(message, null, false, false);
    }
}
