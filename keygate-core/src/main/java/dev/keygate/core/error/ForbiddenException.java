package dev.keygate.core.error;

/** The caller is known but lacks the permission, or the change would escalate its privileges. Maps to 403. */
public final class ForbiddenException extends KeygateException {

    public ForbiddenException(String message) {
        super("forbidden", message);
    }
}
