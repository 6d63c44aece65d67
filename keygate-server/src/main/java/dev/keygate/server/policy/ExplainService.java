package dev.keygate.server.policy;

import dev.keygate.core.error.FieldErrors;
import dev.keygate.core.error.NotFoundException;
import dev.keygate.core.error.ValidationException;
import dev.keygate.core.net.IpAddresses;
import dev.keygate.core.permission.InvalidQueryException;
import dev.keygate.core.permission.Permission;
import dev.keygate.core.permission.PermissionQuery;
import dev.keygate.core.policy.Policy;
import dev.keygate.core.policy.RequestAttributes;
import dev.keygate.core.token.Environments;
import dev.keygate.core.token.Token;
import dev.keygate.core.token.TokenFormat;
import dev.keygate.core.token.TokenLimits;
import dev.keygate.core.token.TokenView;
import dev.keygate.core.verify.TokenPolicy;
import dev.keygate.core.verify.VerifyCode;
import dev.keygate.server.auth.AdminPermissions;
import dev.keygate.server.auth.Caller;
import dev.keygate.server.token.TokenViewLoader;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Says why a token is or is not granted a permission: the check that refused it, or every grant of its roles
 * that bears on the permission and which one decided. It decides exactly as verify does, from the store rather
 * than the cache, and spends nothing: usage and rate limits are reported, not checked.
 */
public final class ExplainService {

    private final TokenViewLoader loader;
    private final Clock clock;

    public ExplainService(TokenViewLoader loader, Clock clock) {
        this.loader = loader;
        this.clock = clock;
    }

    /**
     * What to explain: the token by id or by secret (exactly one), and the request as verify would get it.
     *
     * @param permission a permission or a permission query, or {@code null} to explain only whether the token is
     *                   usable
     */
    public record Request(String tokenId, String token, String permission, String environment, String ip,
                          Map<String, Object> resource) {
    }

    /**
     * An explanation.
     *
     * @param code        what verify would answer (but for usage and rate limits)
     * @param view        the token, or {@code null} when none was found by its secret
     * @param reason      one sentence saying why
     * @param permissions each permission's explanation (one, or each of a query's), empty when none was asked or
     *                    a check before the permission failed
     * @param notes       what was not checked, and why
     */
    public record Result(VerifyCode code, TokenView view, String reason, List<PermissionResult> permissions,
                         List<String> notes) {
    }

    /** How the token's grants decide one permission. */
    public record PermissionResult(Permission permission, Policy.Explanation explanation) {
    }

    /**
     * Explains.
     *
     * @throws ValidationException if the request is malformed
     * @throws NotFoundException   if {@code token_id} names no token
     */
    public Result explain(Caller caller, Request request) {
        caller.require(AdminPermissions.POLICY_EXPLAIN);
        FieldErrors errors = new FieldErrors();
        if ((request.tokenId() == null) == (request.token() == null)) {
            errors.add("token_id", "give exactly one of token_id and token");
        }
        PermissionQuery asked = null;
        if (request.permission() != null) {
            try {
                asked = PermissionQuery.parse(request.permission());
            } catch (InvalidQueryException e) {
                errors.add("permission", e.getMessage());
            }
        }
        if (request.environment() != null && !Environments.isValid(request.environment())) {
            errors.add("environment", "must match [a-z0-9]{1,16}");
        }
        byte[] ip = null;
        if (request.ip() != null) {
            try {
                ip = IpAddresses.parse(request.ip());
            } catch (IllegalArgumentException e) {
                errors.add("context.ip", e.getMessage());
            }
        }
        errors.throwIfAny();
        TokenView view;
        if (request.tokenId() != null) {
            view = loader.loadById(request.tokenId());
            if (view == null) {
                throw new NotFoundException("token", request.tokenId());
            }
        } else {
            String hash = TokenFormat.hashIfWellFormed(request.token());
            view = hash == null ? null : loader.load(hash);
        }
        long now = clock.millis();
        VerifyCode code = TokenPolicy.admit(view, request.environment(), ip, now);
        List<String> notes = view == null ? List.of() : notes(view.token().limits());
        if (code != VerifyCode.VALID) {
            return new Result(code, view, refusal(code, view, request, formatted(ip)), List.of(), notes);
        }
        if (asked == null) {
            return new Result(code, view, "the token is usable; no permission was asked", List.of(), notes);
        }
        RequestAttributes attributes = TokenPolicy.attributes(view, request.environment(), ip, now,
                request.resource());
        List<PermissionResult> results = new ArrayList<>();
        Map<Permission, Boolean> decided = new HashMap<>();
        for (Permission p : asked.permissions()) {
            Policy.Explanation e = view.policy().explain(p, attributes, view.subject());
            results.add(new PermissionResult(p, e));
            decided.put(p, e.allowed());
        }
        boolean allowed = asked.evaluate(decided::get);
        code = allowed ? VerifyCode.VALID : VerifyCode.FORBIDDEN;
        String reason = results.size() == 1 ? reason(results.get(0))
                : "the query " + (allowed ? "holds" : "does not hold") + ": " + String.join("; ",
                results.stream().map(ExplainService::reason).toList());
        return new Result(code, view, reason, List.copyOf(results), notes);
    }

    private static String formatted(byte[] ip) {
        return ip == null ? null : IpAddresses.format(ip);
    }

    private static String reason(PermissionResult result) {
        Policy.Explanation e = result.explanation();
        if (e.decidedBy() == null) {
            return "no grant of the token's roles allows " + result.permission();
        }
        Policy.Rule r = e.decidedBy();
        return result.permission() + " " + (e.allowed() ? "allowed" : "denied") + " by role '" + r.role()
                + "', grant " + r.index() + " (" + r.grant() + ")";
    }

    private static String refusal(VerifyCode code, TokenView view, Request request, String ip) {
        if (view == null) {
            return "no token has this secret";
        }
        Token t = view.token();
        return switch (code) {
            case REVOKED -> "the token was revoked at " + t.revokedAt()
                    + (t.revokeReason() == null ? "" : " (" + t.revokeReason() + ")");
            case ROTATED -> "the token was rotated to " + t.rotation().to() + " and its grace period ended at "
                    + t.rotation().endsAt();
            case EXPIRED -> "the token expired at " + t.expiresAt();
            case ENVIRONMENT_MISMATCH -> "the token is for the environment '" + t.environment()
                    + "', the request for '" + request.environment() + "'";
            case IP_NOT_ALLOWED -> ip == null
                    ? "the token is bound to " + t.limits().allowedNetworks() + " and no context.ip was given"
                    : ip + " is outside the token's allowed_cidrs " + t.limits().allowedNetworks();
            default -> "refused with " + code;
        };
    }

    private static List<String> notes(TokenLimits limits) {
        List<String> notes = new ArrayList<>();
        if (limits.maxUses() != null) {
            notes.add("usage limit not checked (explain spends nothing); uses left when the token was read: "
                    + (limits.remaining() == null ? "counted on its successor" : limits.remaining()));
        }
        if (limits.rateLimit() != null) {
            notes.add("rate limit not checked (explain takes no slot)");
        }
        return List.copyOf(notes);
    }
}
