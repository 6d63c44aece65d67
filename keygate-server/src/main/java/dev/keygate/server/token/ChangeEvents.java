package dev.keygate.server.token;

/**
 * State changes that cached views depend on. The code that commits a change publishes it here, after the
 * commit; a multi-node deployment can later feed the same events from PostgreSQL LISTEN/NOTIFY.
 */
public interface ChangeEvents {

    /** The token with this id changed (revoked). */
    void tokenChanged(String tokenId);

    /** The role with this name changed or was deleted: every view holding it is stale. */
    void roleChanged(String roleName);
}
