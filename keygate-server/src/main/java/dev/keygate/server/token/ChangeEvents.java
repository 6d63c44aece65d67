package dev.keygate.server.token;

/**
 * State changes that cached views depend on. The code that commits a change publishes it here, after the
 * commit, and to the other nodes through {@link #message}s sent with the change's transaction (PostgreSQL
 * {@code NOTIFY}), which each node's {@code PostgresChangeListener} turns back into these calls.
 */
public interface ChangeEvents {

    /** The message that tells other nodes that a token changed. */
    static String tokenMessage(String tokenId) {
        return "token:" + tokenId;
    }

    /** The message that tells other nodes that a role changed. */
    static String roleMessage(String roleName) {
        return "role:" + roleName;
    }

    /** Applies a message of {@link #tokenMessage} or {@link #roleMessage}; returns false for any other text. */
    default boolean apply(String message) {
        if (message.startsWith("token:")) {
            tokenChanged(message.substring("token:".length()));
            return true;
        }
        if (message.startsWith("role:")) {
            roleChanged(message.substring("role:".length()));
            return true;
        }
        return false;
    }

    /** Anything may have changed (for example, change messages may have been missed): drop every cached view. */
    void everythingChanged();

    /** The token with this id changed (revoked). */
    void tokenChanged(String tokenId);

    /** The role with this name changed or was deleted: every view holding it is stale. */
    void roleChanged(String roleName);
}
