package dev.keygate.server.token;

import dev.keygate.core.error.ConflictException;
import dev.keygate.core.error.FieldErrors;
import dev.keygate.core.error.ForbiddenException;
import dev.keygate.core.error.NotFoundException;
import dev.keygate.core.error.ValidationException;
import dev.keygate.core.permission.Permission;
import dev.keygate.core.policy.Grant;
import dev.keygate.core.role.Names;
import dev.keygate.core.role.Role;
import dev.keygate.core.net.AllowedNetworks;
import dev.keygate.core.net.Cidr;
import dev.keygate.core.principal.Principal;
import dev.keygate.core.token.Environments;
import dev.keygate.core.token.RateLimit;
import dev.keygate.core.token.Rotation;
import dev.keygate.core.token.Token;
import dev.keygate.core.token.TokenFormat;
import dev.keygate.core.token.TokenLimits;
import dev.keygate.core.token.TokenStatus;
import dev.keygate.core.token.Ttl;
import dev.keygate.server.audit.AuditEvent;
import dev.keygate.server.audit.AuditStore;
import dev.keygate.server.auth.AdminPermissions;
import dev.keygate.server.auth.Caller;
import dev.keygate.server.principal.PrincipalService;
import dev.keygate.server.principal.PrincipalStore;
import dev.keygate.server.role.RoleStore;
import dev.keygate.server.store.Database;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
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
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Mints, reads, rotates and revokes tokens. Minting enforces the no-escalation rule: a caller may give a token a
 * role only if its own permissions cover every permission of that role, or it holds {@code keygate.roles:bind}.
 * A child token (minted with {@code child: true}) is bound tighter: never more permissions than the calling
 * token's own, whatever it holds, and never a longer life; revoking a token revokes its descendants.
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
    private final Revocations revocations;
    private final Clock clock;
    private final TokenRules rules;
    private final SecureRandom random = new SecureRandom();

    public TokenService(Database db, TokenStore tokens, RoleStore roles, PrincipalStore principals, AuditStore audit,
                        Revocations revocations, Clock clock, TokenRules rules) {
        this.db = db;
        this.tokens = tokens;
        this.roles = roles;
        this.principals = principals;
        this.audit = audit;
        this.revocations = revocations;
        this.clock = clock;
        this.rules = rules;
    }

    /**
     * Mints a token. The secret is in the result and nowhere else.
     *
     * @throws ValidationException if a field is invalid, the principal or a role does not exist, or the lifetime
     *                             exceeds a cap (the server's, a role's, or the parent token's)
     * @throws ForbiddenException  if the caller may not create tokens, may not grant one of the roles, or may not
     *                             mint permanent tokens
     * @throws ConflictException   if the principal is disabled, or the parent of a child token is no longer live
     */
    public CreatedToken create(Caller caller, TokenRequest request) {
        caller.require(AdminPermissions.TOKENS_CREATE);
        Instant now = clock.instant();
        FieldErrors errors = new FieldErrors();
        if (errors.required("principal", request.principal()) && !Names.isValidPrincipal(request.principal())) {
            errors.add("principal", Names.PRINCIPAL_RULE);
        }
        List<String> roleNames = validateRoles(errors, request.roles());
        // A child stays in its parent's environment: a staging agent cannot mint its way into live.
        String parentEnvironment = request.isChild() ? caller.token().environment() : null;
        String environment = request.environment() != null ? request.environment()
                : parentEnvironment != null ? parentEnvironment : Environments.DEFAULT;
        if (!Environments.isValid(environment)) {
            errors.add("environment", "must match [a-z0-9]{1,16}");
        } else if (parentEnvironment != null && !parentEnvironment.equals(environment)) {
            errors.add("environment", "a child token must be for its parent's environment '" + parentEnvironment
                    + "'");
        }
        errors.maxLength("name", request.name(), MAX_NAME);
        errors.jsonObject("metadata", request.metadataJson(), PrincipalService.MAX_METADATA_BYTES);
        Instant expiresAt = expiry(errors, request, now);
        Duration rotateEvery = duration(errors, "rotate_every", request.rotateEvery());
        TokenLimits limits = limits(errors, request);
        errors.throwIfAny();
        if (request.isPermanent()) {
            caller.require(AdminPermissions.TOKENS_CREATE_PERMANENT);
        }

        return db.inTransaction(c -> {
            FieldErrors missing = new FieldErrors();
            // Share-locked: a concurrent disabling waits for this token to be committed (and then revokes it),
            // or commits first and is seen here.
            Optional<Principal> principal = principals.findForShare(c, request.principal());
            if (principal.isEmpty()) {
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
            FieldErrors outside = new FieldErrors();
            for (String roleName : roleNames) {
                Role role = found.get(roleName);
                if (!role.allowsEnvironment(environment)) {
                    outside.add("roles[" + request.roles().indexOf(roleName) + "]", "role '" + roleName
                            + "' is limited to environments " + role.environments() + "; this token is for '"
                            + environment + "'");
                }
            }
            outside.throwIfAny();
            if (principal.get().disabled()) {
                throw new ConflictException("principal '" + request.principal() + "' is disabled; enable it "
                        + "(POST /v1/principals/" + request.principal() + "/enable) before giving it tokens");
            }
            List<Role> granted = roleNames.stream().map(found::get).toList();
            Instant expires = withinRoleCaps(expiresAt, request, granted, now);
            String parentId = null;
            if (request.isChild()) {
                Token parent = liveParent(c, caller, now);
                expires = withinParent(expires, request, parent);
                parentId = parent.id();
                checkCovered(caller, granted);
            } else {
                checkNoEscalation(caller, granted);
            }
            String secret = TokenFormat.mint(environment, random);
            Token token = new Token(TokenFormat.newTokenId(random), request.principal(), roleNames, environment,
                    request.name(), now, caller.token().id(), expires, null, null, null, null, parentId,
                    new Rotation(null, null, null, rotateEvery), limits, request.metadataJson());
            tokens.insert(c, token, TokenFormat.hash(secret));
            audit.append(c, List.of(AuditEvent.change(now, "token.create", caller.actor(), token.id(),
                    AdminPermissions.TOKENS_CREATE.toString(), describe(token))));
            return new CreatedToken(token, secret);
        });
    }

    /**
     * Rotates a token: mints a successor with the same principal, roles, environment, parent and schedule and a
     * fresh lifetime of the same length (shortened to today's caps), and lets the token keep working for
     * {@code grace} (default: none). Of concurrent rotations of one token exactly one succeeds.
     *
     * @param grace a duration such as {@code 1h}, {@code 0}, or {@code null} for none
     * @throws NotFoundException  if there is no such token
     * @throws ForbiddenException if the caller may not rotate tokens or does not cover the token's permissions
     * @throws ConflictException  if the token was rotated already, is revoked or expired, or its principal is
     *                            disabled
     */
    public CreatedToken rotate(Caller caller, String id, String grace) {
        caller.require(AdminPermissions.TOKENS_ROTATE);
        FieldErrors errors = new FieldErrors();
        Duration overlap = grace(errors, grace);
        errors.throwIfAny();
        Instant now = clock.instant();
        CreatedToken created = db.inTransaction(c -> {
            Token old = tokens.findById(c, id).orElseThrow(() -> new NotFoundException("token", id));
            if (old.rotation().rotated()) {
                throw new ConflictException("token " + id + " was rotated already (to " + old.rotation().to()
                        + "); rotate that one instead");
            }
            TokenStatus status = old.statusAt(now);
            if (status != TokenStatus.ACTIVE) {
                throw new ConflictException("token " + id + " is " + status.apiName() + "; mint a new token instead");
            }
            // Share-locked as for minting: a concurrent disabling either sees the successor and revokes it, or
            // commits first and is seen here.
            if (principals.findForShare(c, old.principal()).map(Principal::disabled).orElse(true)) {
                throw new ConflictException("principal '" + old.principal() + "' is disabled; its tokens cannot "
                        + "be rotated");
            }
            List<Role> held = roles.findAllForGrant(c, old.roles());
            checkNoEscalation(caller, held);
            Instant expires = successorExpiry(c, caller, old, held, now);
            String successorId = TokenFormat.newTokenId(random);
            // Claims the rotation first: of two concurrent rotations, the second finds the claim and fails.
            if (!tokens.markRotated(c, old.id(), successorId, now.plus(overlap), now)) {
                throw new ConflictException("token " + id + " was rotated, revoked or expired meanwhile");
            }
            // The uses left move on with the line: the old token's uses in its grace period are the successor's.
            TokenLimits limits = old.limits().maxUses() == null ? old.limits()
                    : old.limits().withRemaining(tokens.takeRemaining(c, old.id()));
            String secret = TokenFormat.mint(old.environment(), random);
            Token successor = new Token(successorId, old.principal(), old.roles(), old.environment(), old.name(), now,
                    caller.token().id(), expires, null, null, null, null, old.parentId(),
                    new Rotation(old.id(), null, null, old.rotation().every()), limits, old.metadataJson());
            tokens.insert(c, successor, TokenFormat.hash(secret));
            // The old token's children follow its line: revoking the successor revokes them too.
            tokens.reparentChildren(c, old.id(), successor.id());
            db.publishChange(c, ChangeEvents.tokenMessage(old.id()));
            audit.append(c, List.of(AuditEvent.change(now, "token.rotate", caller.actor(), old.id(),
                    AdminPermissions.TOKENS_ROTATE.toString(), "successor=" + successor.id() + " grace="
                            + Ttl.format(overlap) + " " + describe(successor))));
            return new CreatedToken(successor, secret);
        });
        revocations.invalidate(List.of(id));
        return created;
    }

    /** A one-line description of a token for the audit log: never its secret. */
    public static String describe(Token token) {
        return "principal=" + token.principal() + " roles=" + String.join(",", token.roles()) + " environment="
                + token.environment() + " expires_at=" + (token.permanent() ? "never" : token.expiresAt())
                + (token.parentId() == null ? "" : " parent=" + token.parentId()) + describe(token.limits());
    }

    private static String describe(TokenLimits limits) {
        StringBuilder sb = new StringBuilder();
        if (limits.maxUses() != null) {
            sb.append(" max_uses=").append(limits.maxUses());
        }
        if (limits.rateLimit() != null) {
            sb.append(" rate_limit=").append(limits.rateLimit().limit()).append('/')
                    .append(Ttl.format(limits.rateLimit().window()));
        }
        if (limits.allowedNetworks() != null) {
            sb.append(" allowed_cidrs=").append(limits.allowedNetworks().toText().replace(' ', ','));
        }
        return sb.toString();
    }

    /** A revoked token and how many tokens the revocation revoked: it, and its descendants. */
    public record Revoked(Token token, int count) {
    }

    /**
     * Revokes a token and all its descendants, and the tokens it replaced by rotation that still work in their
     * grace period (with theirs), in one transaction, each with its audit event. Revoking a revoked token changes
     * nothing and returns it as it is. Takes effect at once: the next verification answers
     * {@code REVOKED}.
     *
     * @throws NotFoundException if there is no such token
     */
    public Revoked revoke(Caller caller, String id, String reason) {
        caller.require(AdminPermissions.TOKENS_REVOKE);
        FieldErrors errors = new FieldErrors();
        errors.maxLength("reason", reason, MAX_REASON);
        errors.throwIfAny();
        Instant now = clock.instant();
        List<String> revoked = new ArrayList<>();
        Token token = db.inTransaction(c -> {
            Token found = tokens.findById(c, id).orElseThrow(() -> new NotFoundException("token", id));
            revoked.addAll(revocations.revokeTrees(c, revocations.withPredecessorsInGrace(c, found, now), caller,
                    now, reason, "ancestor=" + id));
            return tokens.findById(c, id).orElseThrow();
        });
        revocations.invalidate(revoked);
        return new Revoked(token, revoked.size());
    }

    public Token get(Caller caller, String id) {
        caller.require(AdminPermissions.TOKENS_READ);
        return db.read(c -> tokens.findById(c, id)).orElseThrow(() -> new NotFoundException("token", id));
    }

    /**
     * The query parameters of a token listing, as typed; each may be {@code null}.
     *
     * @param status         {@code active}, {@code expired}, {@code revoked} or {@code rotated}
     * @param limit          1 to {@value #MAX_LIST_LIMIT} ({@value #DEFAULT_LIST_LIMIT} when absent)
     * @param expiringWithin a duration such as {@code 7d}: only live tokens expiring within it, soonest first
     * @param rotationDue    {@code true}: only live, unrotated tokens whose rotation is due, most overdue first
     * @param permanent      {@code true}: only tokens that never expire; {@code false}: only tokens that do
     */
    public record ListRequest(String principal, String status, String limit, String expiringWithin,
                              String rotationDue, String permanent) {
    }

    /** Tokens, newest first unless a filter orders them otherwise (see {@link ListRequest}). */
    public List<Token> list(Caller caller, ListRequest request) {
        caller.require(AdminPermissions.TOKENS_READ);
        FieldErrors errors = new FieldErrors();
        TokenStatus s = null;
        if (request.status() != null) {
            for (TokenStatus candidate : TokenStatus.values()) {
                if (candidate.apiName().equals(request.status())) {
                    s = candidate;
                }
            }
            if (s == null) {
                errors.add("status", "must be one of active, expired, revoked, rotated");
            }
        }
        int n = errors.wholeNumber("limit", request.limit(), 1, MAX_LIST_LIMIT, DEFAULT_LIST_LIMIT);
        Duration within = duration(errors, "expiring_within", request.expiringWithin());
        Boolean due = bool(errors, "rotation_due", request.rotationDue());
        Boolean permanent = bool(errors, "permanent", request.permanent());
        if (s != null && s != TokenStatus.ACTIVE) {
            String activeOnly = "lists active tokens only: leave status out or give status=active";
            if (request.expiringWithin() != null) {
                errors.add("expiring_within", activeOnly);
            }
            if (Boolean.TRUE.equals(due)) {
                errors.add("rotation_due", activeOnly);
            }
        }
        errors.throwIfAny();
        Instant now = clock.instant();
        TokenQuery query = new TokenQuery(request.principal(), s, within == null ? null : now.plus(within),
                Boolean.TRUE.equals(due), permanent, n);
        return db.read(c -> tokens.list(c, query, now));
    }

    private static Boolean bool(FieldErrors errors, String field, String text) {
        if (text == null) {
            return null;
        }
        if (!text.equals("true") && !text.equals("false")) {
            errors.add(field, "must be true or false");
            return null;
        }
        return Boolean.valueOf(text);
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

    /** The duration in {@code text}, or {@code null} if there is none (or it is invalid: then an error). */
    private static Duration duration(FieldErrors errors, String field, String text) {
        if (text == null) {
            return null;
        }
        try {
            return Ttl.parse(text);
        } catch (IllegalArgumentException e) {
            errors.add(field, e.getMessage());
            return null;
        }
    }

    /** The usage and rate limits and network binding asked for; {@link TokenLimits#NONE} when none. */
    private static TokenLimits limits(FieldErrors errors, TokenRequest request) {
        Long maxUses = request.maxUses();
        if (maxUses != null && (maxUses < 1 || maxUses > TokenLimits.MAX_USES)) {
            errors.add("max_uses", "must be between 1 and " + TokenLimits.MAX_USES);
        }
        RateLimit rate = null;
        TokenRequest.Rate asked = request.rateLimit();
        if (asked != null) {
            if (asked.limit() == null) {
                errors.add("rate_limit.limit", "is required");
            }
            if (asked.window() == null) {
                errors.add("rate_limit.window", "is required");
            }
            if (asked.limit() != null && asked.window() != null) {
                try {
                    rate = RateLimit.of(asked.limit(), asked.window());
                } catch (IllegalArgumentException e) {
                    errors.add("rate_limit", e.getMessage());
                }
            }
        }
        AllowedNetworks networks = null;
        List<String> cidrs = request.allowedCidrs();
        if (cidrs != null) {
            if (cidrs.isEmpty()) {
                errors.add("allowed_cidrs", "must hold at least one CIDR; leave it out to allow any address");
            } else if (cidrs.size() > AllowedNetworks.MAX) {
                errors.add("allowed_cidrs", "must hold at most " + AllowedNetworks.MAX + " CIDRs");
            } else {
                List<Cidr> parsed = new ArrayList<>();
                for (int i = 0; i < cidrs.size(); i++) {
                    try {
                        if (cidrs.get(i) == null) {
                            throw new IllegalArgumentException("must be a CIDR, not null");
                        }
                        parsed.add(Cidr.parse(cidrs.get(i)));
                    } catch (IllegalArgumentException e) {
                        errors.add("allowed_cidrs[" + i + "]", e.getMessage());
                    }
                }
                if (parsed.size() == cidrs.size()) {
                    networks = AllowedNetworks.of(parsed);
                }
            }
        }
        if (maxUses == null && rate == null && networks == null) {
            return TokenLimits.NONE;
        }
        return new TokenLimits(maxUses, maxUses, rate, networks);
    }

    private Duration grace(FieldErrors errors, String text) {
        if (text == null) {
            return Duration.ZERO;
        }
        Duration grace;
        try {
            grace = Ttl.parseOrZero(text);
        } catch (IllegalArgumentException e) {
            errors.add("grace", e.getMessage() + ", or 0");
            return Duration.ZERO;
        }
        if (grace.compareTo(rules.maxRotationGrace()) > 0) {
            errors.add("grace", "exceeds the server maximum of " + Ttl.format(rules.maxRotationGrace())
                    + " (set by --max-rotation-grace)");
        }
        return grace;
    }

    /** The requested expiry within the server's rules; {@code null} for a permanent token (or after an error). */
    private Instant expiry(FieldErrors errors, TokenRequest request, Instant now) {
        if (request.isPermanent()) {
            if (request.ttl() != null || request.expiresAt() != null) {
                errors.add("permanent", "a permanent token has no ttl or expires_at: give one or the other");
            } else if (!rules.allowPermanent()) {
                errors.add("permanent", "this server does not allow permanent tokens (start it with "
                        + "--allow-permanent-tokens to allow them)");
            }
            return null;
        }
        if (request.ttl() != null && request.expiresAt() != null) {
            errors.add("ttl", "give ttl or expires_at, not both");
            return null;
        }
        Instant expiresAt;
        String field = request.lifetimeField();
        if (request.expiresAt() != null) {
            try {
                // Truncated to the millisecond, the precision the store keeps.
                expiresAt = OffsetDateTime.parse(request.expiresAt()).toInstant().truncatedTo(ChronoUnit.MILLIS);
            } catch (DateTimeParseException e) {
                errors.add(field, FieldErrors.RFC_3339);
                return null;
            }
            if (!expiresAt.isAfter(now)) {
                errors.add(field, "must be in the future");
                return null;
            }
        } else {
            Duration ttl;
            try {
                ttl = request.ttl() == null ? rules.defaultTtl() : Ttl.parse(request.ttl());
            } catch (IllegalArgumentException e) {
                errors.add(field, e.getMessage());
                return null;
            }
            expiresAt = now.plus(ttl);
        }
        if (Duration.between(now, expiresAt).compareTo(rules.maxTtl()) > 0) {
            errors.add(field, "the lifetime exceeds the server maximum of " + Ttl.format(rules.maxTtl())
                    + " (set by --max-ttl)");
            return null;
        }
        return expiresAt;
    }

    /** The role with the smallest {@code max_ttl} of {@code granted}, or {@code null} if none sets one. */
    private static Role cappingRole(List<Role> granted) {
        Role capping = null;
        for (Role role : granted) {
            if (role.maxTtl() != null && (capping == null || role.maxTtl().compareTo(capping.maxTtl()) < 0)) {
                capping = role;
            }
        }
        return capping;
    }

    /**
     * The expiry within the smallest {@code max_ttl} of the granted roles: the default lifetime is shortened to
     * it; a lifetime asked for beyond it (or no end at all) is refused, naming the cap and the role that sets it.
     */
    private static Instant withinRoleCaps(Instant expiresAt, TokenRequest request, List<Role> granted,
                                          Instant now) {
        Role capping = cappingRole(granted);
        if (capping == null || (expiresAt != null && !expiresAt.isAfter(now.plus(capping.maxTtl())))) {
            return expiresAt;
        }
        if (!request.namesLifetime()) {
            return now.plus(capping.maxTtl());
        }
        throw new ValidationException(request.lifetimeField(),
                "the lifetime exceeds the maximum of " + Ttl.format(capping.maxTtl()) + " set by role '"
                        + capping.name() + "' (its max_ttl)");
    }

    /** The calling token, share-locked and checked live: the parent of a child token. */
    private Token liveParent(Connection c, Caller caller, Instant now) throws SQLException {
        String id = caller.token().id();
        Token parent = tokens.findForShare(c, id).orElseThrow(() -> new ConflictException(
                "the calling token " + id + " no longer exists"));
        if (parent.statusAt(now) != TokenStatus.ACTIVE) {
            throw new ConflictException("the calling token " + id + " is " + parent.statusAt(now).apiName()
                    + ": it cannot mint child tokens");
        }
        return parent;
    }

    /** A child never outlives its parent: the default is shortened to the parent's end, more is refused. */
    private static Instant withinParent(Instant expiresAt, TokenRequest request, Token parent) {
        if (parent.permanent() || (expiresAt != null && !expiresAt.isAfter(parent.expiresAt()))) {
            return expiresAt;
        }
        if (!request.namesLifetime()) {
            return parent.expiresAt();
        }
        throw new ValidationException(request.lifetimeField(), "a child token cannot outlive its parent "
                + parent.id() + ", which expires at " + parent.expiresAt());
    }

    /**
     * The successor's expiry: the predecessor's lifetime again from now, within today's server maximum, role caps
     * and (for a child) its parent's end. Permanent stays permanent while the server and the caller allow it.
     */
    private Instant successorExpiry(Connection c, Caller caller, Token old, List<Role> held, Instant now)
            throws SQLException {
        Instant expires;
        Role capping = cappingRole(held);
        if (old.permanent()) {
            if (!rules.allowPermanent()) {
                throw new ConflictException("token " + old.id() + " is permanent and this server no longer allows "
                        + "permanent tokens; mint a new token with an expiry instead");
            }
            caller.require(AdminPermissions.TOKENS_CREATE_PERMANENT);
            if (capping != null) {
                throw new ConflictException("token " + old.id() + " is permanent but role '" + capping.name()
                        + "' now caps lifetimes at " + Ttl.format(capping.maxTtl())
                        + "; mint a new token with an expiry instead");
            }
            expires = null;
        } else {
            Duration lifetime = Duration.between(old.createdAt(), old.expiresAt());
            if (lifetime.compareTo(rules.maxTtl()) > 0) {
                lifetime = rules.maxTtl();
            }
            if (capping != null && lifetime.compareTo(capping.maxTtl()) > 0) {
                lifetime = capping.maxTtl();
            }
            expires = now.plus(lifetime);
        }
        if (old.parentId() != null) {
            Token parent = tokens.findForShare(c, old.parentId()).orElse(null);
            if (parent == null || parent.statusAt(now) != TokenStatus.ACTIVE) {
                throw new ConflictException("token " + old.id() + " is a child of " + old.parentId()
                        + ", which is no longer live");
            }
            if (!parent.permanent() && (expires == null || expires.isAfter(parent.expiresAt()))) {
                expires = parent.expiresAt();
            }
        }
        return expires;
    }

    private static void checkNoEscalation(Caller caller, List<Role> roles) {
        if (caller.holds(AdminPermissions.ROLES_BIND)) {
            return;
        }
        checkCovered(caller, roles);
    }

    /**
     * The calling token's own policy must cover everything the roles grant (for a child: whatever else it holds):
     * each allow held as an allow with no condition or the same one, and with every deny of the caller's that bears
     * on it (see {@link dev.keygate.core.policy.Policy#missingFor}).
     */
    private static void checkCovered(Caller caller, List<Role> roles) {
        List<Grant> all = roles.stream().flatMap(r -> r.grants().stream()).toList();
        for (Role role : roles) {
            String missing = caller.token().policy().missingFor(role.grants(), all);
            if (missing != null) {
                throw new ForbiddenException("cannot grant role '" + role.name() + "': this token does not hold "
                        + missing + (caller.holds(AdminPermissions.ROLES_BIND) ? ""
                        : " (nor " + AdminPermissions.ROLES_BIND + ")"));
            }
        }
    }
}
