package dev.keygate.server.verify;

import dev.keygate.core.token.RateLimit;
import dev.keygate.core.token.TokenLimits;
import dev.keygate.core.token.TokenView;
import dev.keygate.core.verify.VerifyCode;
import dev.keygate.server.store.Database;
import dev.keygate.server.token.TokenStore;
import dev.keygate.server.verify.VerifyService.Outcome;

/**
 * The stateful checks of a token with a usage or a rate limit, shared by verification and by the admin API's
 * authentication (using a token as an admin credential is a use too). The count of uses lives in the store; the
 * rate-limit buckets live on this node.
 */
public final class Meter {

    private final Database db;
    private final TokenStore tokens;
    private final RateLimiter rates;

    public Meter(Database db, TokenStore tokens, RateLimiter rates) {
        this.db = db;
        this.tokens = tokens;
        this.rates = rates;
    }

    /**
     * The usage limit, then the rate limit, then the permission. Uses are spent last, by an atomic statement, and
     * only by a request that is allowed, so no refusal spends any and no allowed request escapes the count. The
     * count is read first only when the request may be refused (by the permission or the rate limit) or costs
     * nothing, so that a refusal names the earliest failing check; an allowed request makes one trip to the store.
     */
    public Outcome check(TokenView view, VerifyCode permitted, long cost) {
        String id = view.id();
        TokenLimits limits = view.token().limits();
        RateLimit limit = limits.rateLimit();
        boolean counted = limits.maxUses() != null;
        Long remaining = null;
        // The count is read first only when this request will not spend it: it costs nothing, or the permission
        // or the rate limit will refuse it (a token without a count never probes its bucket).
        if (counted && (cost == 0 || permitted != VerifyCode.VALID
                || (limit != null && !rates.wouldAllow(id, limit)))) {
            remaining = remaining(id);
            if (remaining < Math.max(cost, 1)) {
                return new Outcome(VerifyCode.USAGE_EXCEEDED, null, remaining, null, null);
            }
        }
        RateLimiter.Decision rate = null;
        if (limit != null) {
            rate = rates.tryAcquire(id, limit);
            if (!rate.allowed()) {
                return new Outcome(VerifyCode.RATE_LIMITED, null, remaining, rate, limit);
            }
        }
        if (permitted != VerifyCode.VALID) {
            return new Outcome(permitted, permitted.disclosesToken() ? view : null, remaining, rate, limit);
        }
        if (counted && cost > 0) {
            // One statement, atomic on its own: the count is exact across threads and nodes.
            remaining = db.autoCommit(c -> tokens.spend(c, id, cost));
            if (remaining == null) {
                if (rate != null) {
                    // The uses ran out meanwhile: this refusal is the usage limit's, and takes no request.
                    rates.giveBack(id, limit);
                }
                return new Outcome(VerifyCode.USAGE_EXCEEDED, null, remaining(id), null, null);
            }
        }
        return new Outcome(VerifyCode.VALID, view, remaining, rate, limit);
    }

    /** The uses left (0 if the token has vanished). */
    private long remaining(String tokenId) {
        Long left = db.read(c -> tokens.remaining(c, tokenId));
        return left == null ? 0 : left;
    }
}
