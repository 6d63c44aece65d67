package dev.keygate.client;

/**
 * The call did not get an answer from Keygate's API: the server could not be reached, the call timed out or was
 * interrupted, or the answer was not what the API returns. The message names the method and the URL (never the
 * bearer token); the cause is the underlying exception.
 */
public class KeygateClientException extends RuntimeException {

    public KeygateClientException(String message, Throwable cause) {
        super(message, cause);
    }

    public KeygateClientException(String message) {
        super(message);
    }
}
