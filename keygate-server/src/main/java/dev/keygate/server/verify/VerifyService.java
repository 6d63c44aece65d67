package dev.keygate.server.verify;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.keygate.core.error.ValidationException;
import dev.keygate.core.net.IpAddresses;
import dev.keygate.core.permission.InvalidPermissionException;
import dev.keygate.core.permission.InvalidQueryException;
import dev.keygate.core.permission.Permission;
import dev.keygate.core.permission.PermissionQuery;
import dev.keygate.core.policy.RequestAttributes;
import dev.keygate.core.token.Environments;
import dev.keygate.core.token.RateLimit;
import dev.keygate.core.token.TokenFormat;
import dev.keygate.core.token.TokenView;
import dev.keygate.core.verify.TokenPolicy;
import dev.keygate.core.verify.VerifyCode;
import dev.keygate.server.audit.AuditEvent;
import dev.keygate.server.audit.AuditWriter;
import dev.keygate.server.metrics.VerifyMetrics;
import dev.keygate.server.token.TokenViewCache;
import dev.keygate.server.token.TokenViewLoader;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

/**
 * The hot path: answers whether a token is usable and grants a permission, checking in the order
 * {@link TokenPolicy} documents. A cached token without usage or rate limits costs a checksum, a SHA-256, a
 * cache read and the pure policy; no lock is taken and no I/O is done but queueing the audit event, which never
 * blocks. A token with {@code max_uses} costs one atomic statement on the store (the count is exact across
 * nodes); a rate limit costs a lock-free bucket of this node's.
 */
public final class VerifyService {

    /** The largest {@code cost} one verification may state. */
    public static final long MAX_COST = 1_000_000;

    private final TokenViewCache cache;
    private final TokenViewLoader loader;
    private final AuditWriter auditWriter;
    private final Meter meter;
    private final Clock clock;
    private final VerifyMetrics metrics;
    /** Parsed permissions by text: services ask for the same few permissions over and over. */
    private final Cache<String, Permission> permissions = Caffeine.newBuilder().maximumSize(10_000).build();
    /** Parsed permission queries by text, for the same reason. */
    private final Cache<String, PermissionQuery> queries = Caffeine.newBuilder().maximumSize(10_000).build();

    /** @param auditWriter where verify events go, or {@code null} when they are not recorded */
    public VerifyService(TokenViewCache cache, TokenViewLoader loader, AuditWriter auditWriter, Meter meter,
                         Clock clock, VerifyMetrics metrics) {
        this.cache = cache;
        this.loader = loader;
        this.auditWriter = auditWriter;
        this.meter = meter;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * The outcome of one verification.
     *
     * @param code      the answer
     * @param view      the token's view when the code may describe it, else {@code null}
     * @param remaining the uses left, for a token with {@code max_uses} that got that far, else {@code null}
     * @param rate      the rate limit's state, for a token with a rate limit that got that far, else {@code null}
     * @param limit     the token's rate limit when {@code rate} is set
     */
    public record Outcome(VerifyCode code, TokenView view, Long remaining, RateLimiter.Decision rate,
                          RateLimit limit) {

        /** Whether the answer depends on more than the code and the token view (so it cannot be cached). */
        public boolean metered() {
            return remaining != null || rate != null;
        }
    }

    /**
     * What a verification asks: {@link #verify} checks every field.
     *
     * @param ip       the address of the request being decided on ({@code context.ip}), or {@code null}
     * @param resource free-form attributes of the resource it is for ({@code context.resource}), which conditions
     *                 read, or {@code null}
     */
    public record Request(String token, String permission, String environment, Long cost, String ip,
                          Map<String, Object> resource) {

        public Request(String token, String permission, String environment, Long cost, String ip) {
            this(token, permission, environment, cost, ip, null);
        }
    }

    /**
     * Verifies a token.
     *
     * @throws ValidationException if {@code token} is missing, or {@code permission}, {@code environment},
     *                             {@code cost} or {@code ip} is malformed (a malformed <em>token</em> is
     *                             {@code NOT_FOUND}, not an error)
     */
    public Outcome verify(Request request, String clientIp, String userAgent) {
        long started = System.nanoTime();
        if (request.token() == null || request.token().isEmpty()) {
            throw new ValidationException("token", "is required");
        }
        String text = request.permission();
        PermissionQuery query = text != null && PermissionQuery.isQuery(text)
                ? parsed(queries, text, PermissionQuery::parse) : null;
        Permission asked = text == null || query != null ? null : parsed(permissions, text, Permission::parse);
        String environment = request.environment();
        if (environment != null && !Environments.isValid(environment)) {
            throw new ValidationException("environment", "must match [a-z0-9]{1,16}");
        }
        long cost = request.cost() == null ? 1 : request.cost();
        if (cost < 0 || cost > MAX_COST) {
            throw new ValidationException("cost", "must be between 0 and " + MAX_COST);
        }
        byte[] ip = null;
        if (request.ip() != null) {
            try {
                ip = IpAddresses.parse(request.ip());
            } catch (IllegalArgumentException e) {
                throw new ValidationException("context.ip", e.getMessage());
            }
        }
        String hash = TokenFormat.hashIfWellFormed(request.token());
        TokenView view = hash == null ? null : cache.get(hash, loader::load);
        long now = clock.millis();
        VerifyCode code = TokenPolicy.admit(view, environment, ip, now);
        Outcome outcome;
        if (code != VerifyCode.VALID) {
            outcome = new Outcome(code, null, null, null, null);
        } else if (!view.token().limits().metered()) {
            code = permits(view, asked, query, request, environment, ip, now);
            outcome = new Outcome(code, view, null, null, null);
        } else {
            outcome = meter.check(view, permits(view, asked, query, request, environment, ip, now), cost);
            code = outcome.code();
        }
        String tokenId = view == null ? null : view.id();
        if (auditWriter != null) {
            auditWriter.submit(new AuditEvent(null, Instant.ofEpochMilli(now), "verify", tokenId,
                    view == null ? null : view.principal(), tokenId, request.permission(), code.decision(), code.name(),
                    clientIp, userAgent, null, request.ip())); // the writer puts the address in canonical form
        }
        metrics.record(code, System.nanoTime() - started);
        return outcome;
    }

    /**
     * The permission check, of one permission or a query; the request's attributes are gathered only for a policy
     * with denies or conditions.
     */
    private static VerifyCode permits(TokenView view, Permission asked, PermissionQuery query, Request request,
                                      String environment, byte[] ip, long now) {
        if (asked == null && query == null) {
            return VerifyCode.VALID;
        }
        RequestAttributes attributes = TokenPolicy.attributes(view, environment, ip, now, request.resource());
        return query == null ? TokenPolicy.permits(view, asked, attributes)
                : TokenPolicy.permits(view, query, attributes);
    }

    /**
     * {@code text} parsed by {@code parser}, from {@code cache} when it was parsed before.
     *
     * @throws ValidationException on {@code permission} when it does not parse
     */
    private static <T> T parsed(Cache<String, T> cache, String text, Function<String, T> parser) {
        T value = cache.getIfPresent(text);
        if (value == null) {
            try {
                value = parser.apply(text);
            } catch (InvalidPermissionException | InvalidQueryException e) {
                throw new ValidationException("permission", e.getMessage());
            }
            cache.put(text, value);
        }
        return value;
    }
}
