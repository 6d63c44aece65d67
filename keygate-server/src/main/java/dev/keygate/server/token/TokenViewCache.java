package dev.keygate.server.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.keygate.core.token.TokenView;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The verify path's cache of immutable token views, keyed by the SHA-256 of the token. Unknown tokens are not
 * cached. Entries expire after the configured cache TTL (a bound for changes made by other nodes) and are
 * invalidated at once by {@link ChangeEvents} from this node.
 *
 * <p>A load races with an invalidation when a revoke commits while a verify is reading the old row. A
 * generation counter closes that race: a load that saw a generation change while it ran removes its own
 * entry, and an invalidation bumps the generation before it sweeps, so either the sweep or the loader
 * removes the stale view.
 */
public final class TokenViewCache implements ChangeEvents {

    private final Cache<String, TokenView> cache;
    private final AtomicLong generation = new AtomicLong();

    public TokenViewCache(long maximumSize, Duration ttl) {
        this.cache = Caffeine.newBuilder().maximumSize(maximumSize).expireAfterWrite(ttl).build();
    }

    /**
     * The cached view for {@code hash}, or the one {@code loader} returns (which may be {@code null} for an
     * unknown token: not cached).
     */
    public TokenView get(String hash, Function<String, TokenView> loader) {
        TokenView view = cache.getIfPresent(hash);
        if (view != null) {
            return view;
        }
        long before = generation.get();
        view = loader.apply(hash);
        if (view != null) {
            cache.put(hash, view);
            if (generation.get() != before) {
                cache.invalidate(hash);
            }
        }
        return view;
    }

    @Override
    public void tokenChanged(String tokenId) {
        generation.incrementAndGet();
        cache.asMap().values().removeIf(v -> v.id().equals(tokenId));
    }

    @Override
    public void roleChanged(String roleName) {
        generation.incrementAndGet();
        cache.asMap().values().removeIf(v -> v.roles().contains(roleName));
    }

    /** Entries now cached (approximate). */
    public long size() {
        return cache.estimatedSize();
    }
}
