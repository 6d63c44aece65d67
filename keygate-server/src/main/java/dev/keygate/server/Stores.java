package dev.keygate.server;

import dev.keygate.server.audit.AuditStore;
import dev.keygate.server.audit.JdbcAuditStore;
import dev.keygate.server.principal.JdbcPrincipalStore;
import dev.keygate.server.principal.PrincipalStore;
import dev.keygate.server.role.JdbcRoleStore;
import dev.keygate.server.role.RoleStore;
import dev.keygate.server.store.Dialect;
import dev.keygate.server.token.JdbcTokenStore;
import dev.keygate.server.token.TokenStore;

/** The stores of one server. */
record Stores(RoleStore roles, PrincipalStore principals, TokenStore tokens, AuditStore audit) {

    /** The JDBC stores, which run on SQLite and PostgreSQL alike. */
    static Stores jdbc(Dialect dialect) {
        return new Stores(new JdbcRoleStore(dialect), new JdbcPrincipalStore(dialect),
                new JdbcTokenStore(dialect), new JdbcAuditStore(dialect));
    }
}
