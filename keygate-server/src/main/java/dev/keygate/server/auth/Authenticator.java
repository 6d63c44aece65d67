package dev.keygate.server.auth;

import dev.keygate.core.error.RateLimitedException;
import dev.keygate.core.error.UnauthenticatedException;
import dev.keygate.core.net.IpAddresses;
import dev.keygate.core.token.TokenFormat;
import dev.keygate.core.token.TokenView;
import dev.keygate.core.token.Ttl;
import dev.keygate.core.verify.TokenPolicy;
import dev.keygate.core.verify.VerifyCode;
import dev.keygate.server.token.TokenViewCache;
import dev.keygate.server.token.TokenViewLoader;
import dev.keygate.server.verify.Meter;
import dev.keygate.server.verify.VerifyService;

import java.time.Clock;
import java.time.Instant;

/**
 * Authenticates admin requests with the verify machinery: the bearer token must pass every check verification
 * makes before the permission (known, not revoked, rotated out or expired, used from its allowed networks, with
 * uses left, within its rate limit), and each admin request spends one of its uses. The answer never says which
 * check failed, except the rate limit's (429 with {@code Retry-After}), which the caller needs to back off.
 */
public final class Authenticator {

    private static final String BEARER = "Bearer ";

    private final TokenViewCache cache;
    private final TokenViewLoader loader;
    private final Meter meter;
    private final Clock clock;

    public Authenticator(TokenViewCache cache, TokenViewLoader loader, Meter meter, Clock clock) {
        this.cache = cache;
        this.loader = loader;
        this.meter = meter;
        this.clock = clock;
    }

    /**
     * The caller presenting {@code authorization} (the whole header value).
     *
     * @param clientIp the address the request came from, as the HTTP server saw it: the address tokens bound
     *                 with {@code allowed_cidrs} are checked against
     * @throws UnauthenticatedException if the header is missing or the token is not usable
     * @throws RateLimitedException     if the token is over its rate limit
     */
    public Caller authenticate(String authorization, String clientIp, String userAgent) {
        if (authorization == null || authorization.isBlank()) {
            throw new UnauthenticatedException("an Authorization: Bearer token is required");
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new UnauthenticatedException("the Authorization header must use the Bearer scheme");
        }
        String token = authorization.substring(BEARER.length()).trim();
        String hash = TokenFormat.hashIfWellFormed(token);
        if (hash == null) {
            throw new UnauthenticatedException("the bearer token is not valid");
        }
        TokenView view = cache.get(hash, loader::load);
        long now = clock.millis();
        byte[] address = address(clientIp);
        VerifyCode code = TokenPolicy.admit(view, null, address, now);
        if (code == VerifyCode.VALID && view.token().limits().metered()) {
            VerifyService.Outcome outcome = meter.check(view, VerifyCode.VALID, 1);
            code = outcome.code();
            if (code == VerifyCode.RATE_LIMITED) {
                throw new RateLimitedException("the bearer token is over its rate limit of "
                        + outcome.limit().limit() + " per " + Ttl.format(outcome.limit().window()),
                        outcome.rate().retryAfterSeconds());
            }
        }
        if (code != VerifyCode.VALID) {
            throw new UnauthenticatedException("the bearer token is not valid");
        }
        return new Caller(view, clientIp, address == null ? null : IpAddresses.format(address), userAgent,
                Instant.ofEpochMilli(now));
    }

    /** The client's address as bytes, or {@code null} if it is not an IP literal (a bound token then fails). */
    private static byte[] address(String clientIp) {
        if (clientIp == null) {
            return null;
        }
        try {
            return IpAddresses.parse(clientIp);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
