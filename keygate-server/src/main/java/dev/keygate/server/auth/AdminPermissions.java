package dev.keygate.server.auth;

import dev.keygate.core.permission.Permission;

/** The built-in permissions that guard Keygate's own API. */
public final class AdminPermissions {

    public static final Permission ROLES_READ = Permission.parse("keygate.roles:read");
    public static final Permission ROLES_WRITE = Permission.parse("keygate.roles:write");
    /** Lets a caller give tokens roles whose permissions it does not hold itself. */
    public static final Permission ROLES_BIND = Permission.parse("keygate.roles:bind");
    public static final Permission PRINCIPALS_READ = Permission.parse("keygate.principals:read");
    public static final Permission PRINCIPALS_WRITE = Permission.parse("keygate.principals:write");
    public static final Permission TOKENS_CREATE = Permission.parse("keygate.tokens:create");
    public static final Permission TOKENS_READ = Permission.parse("keygate.tokens:read");
    public static final Permission TOKENS_REVOKE = Permission.parse("keygate.tokens:revoke");
    /** Rotating gives the caller a new secret for the token: it also needs to cover the token's permissions. */
    public static final Permission TOKENS_ROTATE = Permission.parse("keygate.tokens:rotate");
    /** Minting a token that never expires (only when the server allows such tokens at all). */
    public static final Permission TOKENS_CREATE_PERMANENT = Permission.parse("keygate.tokens:create-permanent");
    /** Disabling a principal revokes all its tokens; enabling lets it be given tokens again. */
    public static final Permission PRINCIPALS_DISABLE = Permission.parse("keygate.principals:disable");
    public static final Permission AUDIT_READ = Permission.parse("keygate.audit:read");
    /** Listing alerts and their deliveries ({@code GET /v1/alerts}). */
    public static final Permission ALERTS_READ = Permission.parse("keygate.alerts:read");
    /** Asking why a token is or is not granted a permission ({@code POST /v1/explain}). */
    public static final Permission POLICY_EXPLAIN = Permission.parse("keygate.policy:explain");
    /**
     * Reporting strings found in public places as leaked ({@code POST /v1/leaks}): those that are Keygate tokens are
     * revoked. The one permission a secret-scanning partner's token needs.
     */
    public static final Permission LEAKS_REPORT = Permission.parse("keygate.leaks:report");
    /** Scraping {@code GET /metrics}. */
    public static final Permission METRICS_READ = Permission.parse("keygate.metrics:read");
    /** Reading reports on the tokens, such as the hygiene report ({@code GET /v1/reports/hygiene}). */
    public static final Permission REPORTS_READ = Permission.parse("keygate.reports:read");
    /** Everything Keygate guards: the permission of the bootstrap role. */
    public static final Permission ALL = Permission.parse("keygate.*:*");

    public static final String ADMIN_ROLE = "keygate-admin";
    public static final String ADMIN_PRINCIPAL = "admin";

    private AdminPermissions() {
    }
}
