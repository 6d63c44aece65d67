package dev.keygate.core.error;

/**
 * The caller did not present a usable credential: missing, malformed, unknown, expired or revoked. Maps to
 * 401 with {@code WWW-Authenticate: Bearer}. The message never says which of these it was beyond what the
 * caller already knows, so that probing tokens teaches nothing.
 */
public final class UnauthenticatedException extends KeygateException {

    public UnauthenticatedException(String message) {
        super("unauthenticated", message);
    }
}
