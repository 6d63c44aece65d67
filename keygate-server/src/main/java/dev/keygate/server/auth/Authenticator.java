package dev.keygate.server.auth;

import dev.keygate.core.error.UnauthenticatedException;
import dev.keygate.core.token.TokenFormat;
import dev.keygate.core.token.TokenView;
import dev.keygate.core.verify.TokenPolicy;
import dev.keygate.core.verify.VerifyCode;
import dev.keygate.server.token.TokenViewCache;
import dev.keygate.server.token.TokenViewLoader;

import java.time.Clock;

/**
 * Authenticates admin requests with the verify machinery: the bearer token must be well formed, known, not
 * revoked and not expired. The answer never says which of these failed.
 */
public final class Authenticator {

    private static final String BEARER = "Bearer ";

    private final TokenViewCache cache;
    private final TokenViewLoader loader;
    private final Clock clock;

    public Authenticator(TokenViewCache cache, TokenViewLoader loader, Clock clock) {
        this.cache = cache;
        this.loader = loader;
        this.clock = clock;
    }

    /**
     * The caller presenting {@code authorization} (the whole header value).
     *
     * @throws UnauthenticatedException if the header is missing or the token is not usable
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
        if (TokenPolicy.evaluate(view, null, null, clock.millis()) != VerifyCode.VALID) {
            throw new UnauthenticatedException("the bearer token is not valid");
        }
        return new Caller(view, clientIp, userAgent);
    }
}
