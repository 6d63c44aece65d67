package dev.keygate.server.verify;

import dev.keygate.server.store.Database;
import dev.keygate.server.token.TokenStore;

/**
 * Spends and reads {@code max_uses} counts in the store. Each call is one statement: the store's own atomic
 * update makes the count exact across threads and across nodes sharing a PostgreSQL store.
 */
final class UsageMeter {

    private final Database db;
    private final TokenStore tokens;

    UsageMeter(Database db, TokenStore tokens) {
        this.db = db;
        this.tokens = tokens;
    }

    /** Spends {@code cost} uses; returns what is left, or {@code null} if fewer than {@code cost} were left. */
    Long spend(String tokenId, long cost) {
        return db.autoCommit(c -> tokens.spend(c, tokenId, cost));
    }

    /** The uses left (0 if the token has vanished). */
    long remaining(String tokenId) {
        Long left = db.read(c -> tokens.remaining(c, tokenId));
        return left == null ? 0 : left;
    }
}
