package dev.keygate.server.auth;

import dev.keygate.core.permission.PermissionSet;
import dev.keygate.core.principal.Principal;
import dev.keygate.core.principal.PrincipalKind;
import dev.keygate.core.role.Role;
import dev.keygate.core.token.Environments;
import dev.keygate.core.token.Rotation;
import dev.keygate.core.token.Token;
import dev.keygate.core.token.TokenFormat;
import dev.keygate.server.audit.AuditEvent;
import dev.keygate.server.audit.AuditStore;
import dev.keygate.server.principal.PrincipalStore;
import dev.keygate.server.role.RoleStore;
import dev.keygate.server.store.Database;
import dev.keygate.server.token.TokenService;
import dev.keygate.server.token.TokenStore;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The first admin token of an empty store, and the recovery path that mints a new one with direct access to
 * the store. Both create the role {@code keygate-admin} ({@code keygate.*:*}) and the principal {@code admin}
 * when they are missing, and audit what they do with the actor {@code system}.
 */
public final class AdminBootstrap {

    private static final String SYSTEM = "system";

    private final Database db;
    private final RoleStore roles;
    private final PrincipalStore principals;
    private final TokenStore tokens;
    private final AuditStore audit;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public AdminBootstrap(Database db, RoleStore roles, PrincipalStore principals, TokenStore tokens,
                          AuditStore audit, Clock clock) {
        this.db = db;
        this.roles = roles;
        this.principals = principals;
        this.tokens = tokens;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * On a store that never held a token, mints the first admin token and hands its secret to {@code deliver}
     * inside the transaction (so that a failure to deliver it leaves the store empty). Does nothing on any
     * other store, nor when another node bootstrapped the same store first.
     *
     * @return whether a token was minted
     */
    public boolean bootstrapIfEmpty(Duration ttl, Consumer<String> deliver) {
        return db.inTransaction(c -> {
            if (!tokens.isEmpty(c)) {
                return false;
            }
            Instant now = clock.instant();
            if (!roles.insert(c, adminRole(now))) {
                // Another node is bootstrapping (or an admin pre-created the role): stay out of its way.
                return false;
            }
            audit.append(c, List.of(systemEvent(now, "role.create", AdminPermissions.ADMIN_ROLE, "bootstrap")));
            ensurePrincipal(c, now, "bootstrap");
            deliver.accept(mint(c, now, ttl, "bootstrap"));
            return true;
        });
    }

    /**
     * Mints a new admin token whatever the state of the store, restoring the admin role's permission and the
     * admin principal if they were changed, deleted or disabled.
     *
     * @return the new token's secret, to be shown once
     */
    public String recover(Duration ttl) {
        return db.inTransaction(c -> {
            Instant now = clock.instant();
            Role admin = adminRole(now);
            var existing = roles.find(c, AdminPermissions.ADMIN_ROLE);
            if (existing.isEmpty()) {
                roles.insert(c, admin);
                audit.append(c, List.of(systemEvent(now, "role.create", admin.name(), "recovery")));
            } else if (!existing.get().simple()
                    || !PermissionSet.of(existing.get().permissions()).covers(AdminPermissions.ALL)) {
                // A deny or a condition added to the admin role could lock the recovered token out too.
                roles.update(c, new Role(admin.name(), admin.description(), admin.grants(), null, null,
                        existing.get().createdAt(), now));
                audit.append(c, List.of(systemEvent(now, "role.update", admin.name(), "recovery")));
            }
            ensurePrincipal(c, now, "recovery");
            return mint(c, now, ttl, "recovery");
        });
    }

    private void ensurePrincipal(Connection c, Instant now, String why) throws SQLException {
        Principal admin = new Principal(AdminPermissions.ADMIN_PRINCIPAL, PrincipalKind.USER,
                "Keygate administrator (created at " + why + ")", "{}", now, null);
        if (principals.insert(c, admin)) {
            audit.append(c, List.of(systemEvent(now, "principal.create", admin.name(), why)));
        } else if (principals.setDisabled(c, admin.name(), null, null)) {
            // Recovery must work even after someone disabled the admin principal.
            audit.append(c, List.of(systemEvent(now, "principal.enable", admin.name(), why)));
        }
    }

    private String mint(Connection c, Instant now, Duration ttl, String why) throws SQLException {
        String secret = TokenFormat.mint(Environments.DEFAULT, random);
        Token token = new Token(TokenFormat.newTokenId(random), AdminPermissions.ADMIN_PRINCIPAL,
                List.of(AdminPermissions.ADMIN_ROLE), Environments.DEFAULT, "admin (" + why + ")", now, null,
                now.plus(ttl), null, null, null, null, null, Rotation.NONE, null, null);
        tokens.insert(c, token, TokenFormat.hash(secret));
        audit.append(c, List.of(systemEvent(now, "token.create", token.id(),
                why + ": " + TokenService.describe(token))));
        return secret;
    }

    private static Role adminRole(Instant now) {
        return Role.allowing(AdminPermissions.ADMIN_ROLE, "Full control of Keygate itself",
                List.of(AdminPermissions.ALL), null, null, now, now);
    }

    private static AuditEvent systemEvent(Instant now, String action, String target, String detail) {
        return AuditEvent.change(now, action, new AuditEvent.Actor(null, SYSTEM, null, null), target, null, detail);
    }
}
