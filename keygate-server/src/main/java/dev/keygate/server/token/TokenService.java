package dev.keygate.server.token;

import dev.keygate.core.error.FieldErrors;
import dev.keygate.core.error.ForbiddenException;
import dev.keygate.core.error.NotFoundException;
import dev.keygate.core.error.ValidationException;
import dev.keygate.core.permission.Permission;
import dev.keygate.core.permission.PermissionSet;
import dev.keygate.core.role.Names;
import dev.keygate.core.role.Role;
import dev.keygate.core.token.Environments;
import dev.keygate.core.token.Token;
import dev.keygate.core.token.TokenFormat;
import dev.keygate.core.token.TokenStatus;
import dev.keygate.core.token.Ttl;
import dev.keygate.server.audit.AuditEvent;
import dev.keygate.server.audit.AuditStore;
import dev.keygate.server.auth.AdminPermissions;
import dev.keygate.server.auth.Caller;
import dev.keygate.server.principal.PrincipalStore;
import dev.keygate.server.role.RoleStore;
import dev.keygate.server.store.Database;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Mints, reads and revokes tokens. Minting enforces the no-escalation rule: a caller may give a token a role
 * only if its own permissions cover every permission of that role, or it holds {@code keygate.roles:bind}.
 */
public final class TokenService {

    public static final int MAX_ROLES = 20;
    public static final int MAX_NAME = 200;
    public static final int MAX_REASON = 500;
    public static final int DEFAULT_LIST_LIMIT = 100;
    public static final int MAX_LIST_LIMIT = 1000;

    private final Database db;
    private final TokenStore tokens;
    private final RoleStore roles;
    private final PrincipalStore principals;
    private final AuditStore audit;
    private final ChangeEvents changes;
    private final Clock clock;
    private final Duration defaultTtl;
    private final Duration maxTtl;
    private final SecureRandom random = new SecureRandom();

    public TokenService(Database db, TokenStore tokens, RoleStore roles, PrincipalStore principals, AuditStore audit,
                        ChangeEvents changes, Clock clock, Duration defaultTtl, Duration maxTtl) {
        this.db = db;
        this.tokens = tokens;
        this.roles = roles;
        this.principals = principals;
        this.audit = audit;
        this.changes = changes;
        this.clock = clock;
        this.defaultTtl = defaultTtl;
        this.maxTtl = maxTtl;
    }

    /**
     * Mints a token. The secret is in the result and nowhere else.
     *
     * @throws dev.keygate.core.error.ValidationException if a field is invalid, the principal or a role does not
     *                                                    exist, or the lifetime exceeds the server maximum
     * @throws ForbiddenException if the caller may not create tokens or may not grant one of the roles
     */
    public CreatedToken create(Caller caller, TokenRequest request) {
        caller.require(AdminPermissions.TOKENS_CREATE);
        Instant now = clock.instant();
        FieldErrors errors = new FieldErrors();
        if (errors.required("principal", request.principal()) && !Names.isValidPrincipal(request.principal())) {
            errors.add("principal", Names.PRINCIPAL_RULE);
        }
        List<String> roleNames = validateRoles(errors, request.roles());
        String environment = request.environment() == null ? Environments.DEFAULT : request.environment();
        if (!Environments.isValid(environment)) {
            errors.add("environment", "must match [a-z0-9]{1,16}");
        }
        errors.maxLength("name", request.name(), MAX_NAME);
        Instant expiresAt = expiry(errors, request, now);
        errors.throwIfAny();

        CreatedToken created = db.inTransaction(c -> {
            FieldErrors missing = new FieldErrors();
            if (principals.find(c, request.principal()).isEmpty()) {
                missing.add("principal", "principal '" + request.principal() + "' does not exist");
            }
            // Share-locks the roles: a concurrent widening or deletion waits for this token to be committed (and
            // then sees it as a live holder), or runs first and this minting sees its result.
            Map<String, Role> found = roles.findAllForGrant(c, roleNames).stream()
                    .collect(Collectors.toMap(Role::name, Function.identity()));
            for (String roleName : roleNames) {
                if (!found.containsKey(roleName)) {
                    // The position in the request as sent, before duplicates were folded.
                    missing.add("roles[" + request.roles().indexOf(roleName) + "]",
                            "role '" + roleName + "' does not exist");
                }
            }
            missing.throwIfAny();
            Instant expires = withinRoleCaps(expiresAt, request, roleNames.stream().map(found::get).toList(), now);
            for (String roleName : roleNames) {
                checkNoEscalation(caller, found.get(roleName));
            }
            String secret = TokenFormat.mint(environment, random);
            Token token = new Token(TokenFormat.newTokenId(random), request.principal(), roleNames, environment,
                    request.name(), now, caller.token().id(), expires, null, null, null, null);
            tokens.insert(c, token, TokenFormat.hash(secret));
            audit.append(c, List.of(AuditEvent.change(now, "token.create", caller.actor(), token.id(),
                    AdminPermissions.TOKENS_CREATE.toString(), describe(token))));
            return new CreatedToken(token, secret);
        });
        return created;
    }

    /** A one-line description of a token for the audit log: never its secret. */
    public static String describe(Token token) {
        return "principal=" + token.principal() + " roles=" + String.join(",", token.roles()) + " environment="
                + token.environment() + " expires_at=" + token.expiresAt();
    }

    /**
     * Revokes a token; revoking a revoked token changes nothing and returns it as it is. Takes effect at once:
     * the next verification of the token answers {@code REVOKED}.
     *
     * @throws NotFoundException if there is no such token
     */
    public Token revoke(Caller caller, String id, String reason) {
        caller.require(AdminPermissions.TOKENS_REVOKE);
        FieldErrors errors = new FieldErrors();
        errors.maxLength("reason", reason, MAX_REASON);
        errors.throwIfAny();
        Instant now = clock.instant();
        Token token = db.inTransaction(c -> {
            tokens.findById(c, id).orElseThrow(() -> new NotFoundException("token", id));
            if (tokens.revoke(c, id, now, caller.token().id(), reason)) {
                db.publishChange(c, ChangeEvents.tokenMessage(id));
                audit.append(c, List.of(AuditEvent.change(now, "token.revoke", caller.actor(), id,
                        AdminPermissions.TOKENS_REVOKE.toString(), reason == null ? null : "reason=" + reason)));
            }
            return tokens.findById(c, id).orElseThrow();
        });
        changes.tokenChanged(id);
        return token;
    }

    public Token get(Caller caller, String id) {
        caller.require(AdminPermissions.TOKENS_READ);
        return db.read(c -> tokens.findById(c, id)).orElseThrow(() -> new NotFoundException("token", id));
    }

    /**
     * Tokens, newest first; with {@code expiringWithin}, the active tokens that expire within that time, soonest
     * first. Every parameter is the text of a query parameter, or {@code null}.
     *
     * @param status         {@code active}, {@code expired}, {@code revoked} or {@code null} for all
     * @param limit          1 to {@value #MAX_LIST_LIMIT}, or {@code null} for {@value #DEFAULT_LIST_LIMIT}
     * @param expiringWithin a duration such as {@code 7d}, or {@code null}
     */
    public List<Token> list(Caller caller, String principal, String status, String limit, String expiringWithin) {
        caller.require(AdminPermissions.TOKENS_READ);
        FieldErrors errors = new FieldErrors();
        TokenStatus s = null;
        if (status != null) {
            for (TokenStatus candidate : TokenStatus.values()) {
                if (candidate.apiName().equals(status)) {
                    s = candidate;
                }
            }
            if (s == null) {
                errors.add("status", "must be one of active, expired, revoked");
            }
        }
        int n = errors.wholeNumber("limit", limit, 1, MAX_LIST_LIMIT, DEFAULT_LIST_LIMIT);
        Duration within = null;
        if (expiringWithin != null) {
            try {
                within = Ttl.parse(expiringWithin);
            } catch (IllegalArgumentException e) {
                errors.add("expiring_within", e.getMessage());
            }
            if (s != null && s != TokenStatus.ACTIVE) {
                errors.add("expiring_within", "lists active tokens only: leave status out or give status=active");
            }
        }
        errors.throwIfAny();
        TokenStatus filter = s;
        Instant now = clock.instant();
        Instant expiringBy = within == null ? null : now.plus(within);
        return db.read(c -> tokens.list(c, principal, filter, expiringBy, now, n));
    }

    /** Now, by this service's clock. */
    public Instant now() {
        return clock.instant();
    }

    private static List<String> validateRoles(FieldErrors errors, List<String> roles) {
        if (roles == null || roles.isEmpty()) {
            errors.add("roles", "must name at least one role");
            return List.of();
        }
        if (roles.size() > MAX_ROLES) {
            errors.add("roles", "must name at most " + MAX_ROLES + " roles");
            return List.of();
        }
        List<String> valid = new ArrayList<>();
        for (int i = 0; i < roles.size(); i++) {
            String role = roles.get(i);
            if (!Names.isValidRole(role)) {
                errors.add("roles[" + i + "]", Names.ROLE_RULE);
            } else {
                valid.add(role);
            }
        }
        return List.copyOf(new LinkedHashSet<>(valid));
    }

    private Instant expiry(FieldErrors errors, TokenRequest request, Instant now) {
        if (request.ttl() != null && request.expiresAt() != null) {
            errors.add("ttl", "give ttl or expires_at, not both");
            return null;
        }
        Instant expiresAt;
        String field;
        if (request.expiresAt() != null) {
            field = "expires_at";
            try {
                // Truncated to the millisecond, the precision the store keeps.
                expiresAt = OffsetDateTime.parse(request.expiresAt()).toInstant().truncatedTo(ChronoUnit.MILLIS);
            } catch (DateTimeParseException e) {
                errors.add(field, "must be an RFC 3339 time such as 2030-01-31T12:00:00Z");
                return null;
            }
            if (!expiresAt.isAfter(now)) {
                errors.add(field, "must be in the future");
                return null;
            }
        } else {
            field = "ttl";
            Duration ttl;
            try {
                ttl = request.ttl() == null ? defaultTtl : Ttl.parse(request.ttl());
            } catch (IllegalArgumentException e) {
                errors.add(field, e.getMessage());
                return null;
            }
            expiresAt = now.plus(ttl);
        }
        if (Duration.between(now, expiresAt).compareTo(maxTtl) > 0) {
            errors.add(field, "the lifetime exceeds the server maximum of " + Ttl.format(maxTtl)
                    + " (set by --max-ttl)");
            return null;
        }
        return expiresAt;
    }

    /**
     * The expiry within the smallest {@code max_ttl} of the granted roles: the default lifetime is shortened to
     * it; a lifetime asked for beyond it is refused, naming the cap and the role that sets it.
     */
    private static Instant withinRoleCaps(Instant expiresAt, TokenRequest request, List<Role> granted,
                                          Instant now) {
        Role capping = null;
        for (Role role : granted) {
            if (role.maxTtl() != null && (capping == null || role.maxTtl().compareTo(capping.maxTtl()) < 0)) {
                capping = role;
            }
        }
        if (capping == null || !expiresAt.isAfter(now.plus(capping.maxTtl()))) {
            return expiresAt;
        }
        if (request.ttl() == null && request.expiresAt() == null) {
            return now.plus(capping.maxTtl());
        }
        throw new ValidationException(request.expiresAt() != null ? "expires_at" : "ttl",
                "the lifetime exceeds the maximum of " + Ttl.format(capping.maxTtl()) + " set by role '"
                        + capping.name() + "' (its max_ttl)");
    }

    private static void checkNoEscalation(Caller caller, Role role) {
        if (caller.holds(AdminPermissions.ROLES_BIND)) {
            return;
        }
        PermissionSet own = caller.permissions();
        for (Permission p : role.permissions()) {
            if (!own.covers(p)) {
                throw new ForbiddenException("cannot grant role '" + role.name() + "': this token does not hold "
                        + p + " (nor " + AdminPermissions.ROLES_BIND + ")");
            }
        }
    }
}
