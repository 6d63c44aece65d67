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
 * generation counter closes that race: an invalidation bumps the generation and then sweeps the cache; a load
 * stores its view only if the generation has not moved since before it read the store, and it checks and
 * stores under the same lock the bump takes. So a stale view is either never stored or stored before the bump,
 * and then the sweep removes it. The lock is taken on misses and invalidations only, never on a hit.
 */
public final class TokenViewCache implements ChangeEvents {

    private final Cache<String, TokenView> cache;
    private final AtomicLong generation = new AtomicLong();
    private final Object lock = new Object();

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
            synchronized (lock) {
                if (generation.get() == before) {
                    cache.put(hash, view);
                }
            }
        }
        return view;
    }

    @Override
    public void tokenChanged(String tokenId) {
        bump();
        cache.asMap().values().removeIf(v -> v.id().equals(tokenId));
    }

    @Override
    public void roleChanged(String roleName) {
        bump();
        cache.asMap().values().removeIf(v -> v.roles().contains(roleName));
    }

    @Override
    public void everythingChanged() {
        bump();
        cache.invalidateAll();
    }

    private void bump() {
        synchronized (lock) {
            generation.incrementAndGet();
        }
    }

    /** Entries now cached (approximate). */
    public long size() {
        return cache.estimatedSize();
    }
}
