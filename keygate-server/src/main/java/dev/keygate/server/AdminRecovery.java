package dev.keygate.server;

import dev.keygate.server.audit.LegacyEvents;
import dev.keygate.server.auth.AdminBootstrap;
import dev.keygate.server.config.ServerConfig;
import dev.keygate.server.store.Database;

/**
 * The documented recovery path when every admin token is lost: with direct access to the store, mint a new
 * token holding the {@code keygate-admin} role (re-creating the role and the {@code admin} principal if they
 * were deleted or changed). The new token lives for the default TTL and is audited as {@code token.create}
 * with the actor {@code system} and the detail {@code recovery}.
 */
public final class AdminRecovery {

    private AdminRecovery() {
    }

    /**
     * Mints a new admin token in the store named by {@code config} and returns its secret, which the caller
     * must show once and never log.
     *
     * @throws dev.keygate.server.config.ConfigException if the store cannot be opened
     */
    public static String mintAdminToken(ServerConfig config) {
        try (Database db = Database.open(config)) {
            Stores stores = Stores.jdbc(db.dialect());
            // As at start-up: a store upgraded from before the chain has its events chained before new ones.
            LegacyEvents.chain(db, stores.audit());
            return new AdminBootstrap(db, stores.roles(), stores.principals(), stores.tokens(), stores.audit(),
                    config.clock()).recover(config.defaultTtl());
        }
    }
}
