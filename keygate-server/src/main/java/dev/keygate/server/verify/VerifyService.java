package dev.keygate.server.verify;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.keygate.core.error.ValidationException;
import dev.keygate.core.permission.InvalidPermissionException;
import dev.keygate.core.permission.Permission;
import dev.keygate.core.token.Environments;
import dev.keygate.core.token.TokenFormat;
import dev.keygate.core.token.TokenView;
import dev.keygate.core.verify.TokenPolicy;
import dev.keygate.core.verify.VerifyCode;
import dev.keygate.server.audit.AuditEvent;
import dev.keygate.server.audit.AuditWriter;
import dev.keygate.server.token.TokenViewCache;
import dev.keygate.server.token.TokenViewLoader;

import java.time.Clock;
import java.time.Instant;

/**
 * The hot path: answers whether a token is usable and grants a permission. A cached token costs a checksum,
 * a SHA-256, a cache read and the pure policy; no lock is taken and no I/O is done but queueing the audit
 * event, which never blocks.
 */
public final class VerifyService {

    private final TokenViewCache cache;
    private final TokenViewLoader loader;
    private final AuditWriter auditWriter;
    private final Clock clock;
    /** Parsed permissions by text: services ask for the same few permissions over and over. */
    private final Cache<String, Permission> permissions = Caffeine.newBuilder().maximumSize(10_000).build();

    public VerifyService(TokenViewCache cache, TokenViewLoader loader, AuditWriter auditWriter, Clock clock) {
        this.cache = cache;
        this.loader = loader;
        this.auditWriter = auditWriter;
        this.clock = clock;
    }

    /** The outcome of one verification: the code and, when the code allows it, the token's view. */
    public record Outcome(VerifyCode code, TokenView view) {
    }

    /**
     * Verifies {@code token}.
     *
     * @param permission  the permission asked, or {@code null}
     * @param environment the environment of the request, or {@code null}
     * @throws ValidationException if {@code token} is missing, or {@code permission} or {@code environment}
     *                             is malformed (a malformed <em>token</em> is {@code NOT_FOUND}, not an error)
     */
    public Outcome verify(String token, String permission, String environment, String clientIp, String userAgent) {
        if (token == null || token.isEmpty()) {
            throw new ValidationException("token", "is required");
        }
        Permission asked = permission == null ? null : parsePermission(permission);
        if (environment != null && !Environments.isValid(environment)) {
            throw new ValidationException("environment", "must match [a-z0-9]{1,16}");
        }
        String hash = TokenFormat.hashIfWellFormed(token);
        TokenView view = hash == null ? null : cache.get(hash, loader::load);
        long now = clock.millis();
        VerifyCode code = TokenPolicy.evaluate(view, asked, environment, now);
        String tokenId = view == null ? null : view.id();
        auditWriter.submit(new AuditEvent(null, Instant.ofEpochMilli(now), "verify", tokenId,
                view == null ? null : view.principal(), tokenId, permission, code.decision(), code.name(), clientIp,
                userAgent, null));
        return new Outcome(code, code.disclosesToken() ? view : null);
    }

    private Permission parsePermission(String text) {
        Permission p = permissions.getIfPresent(text);
        if (p != null) {
            return p;
        }
        try {
            p = Permission.parse(text);
        } catch (InvalidPermissionException e) {
            throw new ValidationException("permission", e.getMessage());
        }
        permissions.put(text, p);
        return p;
    }
}
