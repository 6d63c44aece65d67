package dev.keygate.server.token;

import dev.keygate.core.permission.Permission;
import dev.keygate.core.permission.PermissionSet;
import dev.keygate.core.role.Role;
import dev.keygate.core.token.Token;
import dev.keygate.core.token.TokenView;
import dev.keygate.server.role.RoleStore;
import dev.keygate.server.store.Database;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builds a {@link TokenView} from the store: the token found by hash, its roles resolved to permissions. */
public final class TokenViewLoader {

    private final Database db;
    private final TokenStore tokens;
    private final RoleStore roles;

    public TokenViewLoader(Database db, TokenStore tokens, RoleStore roles) {
        this.db = db;
        this.tokens = tokens;
        this.roles = roles;
    }

    /** The view of the token with this hash, or {@code null} if there is none. */
    public TokenView load(String hash) {
        return db.read(c -> {
            Optional<Token> token = tokens.findByHash(c, hash);
            if (token.isEmpty()) {
                return null;
            }
            List<Permission> granted = new ArrayList<>();
            for (Role role : roles.findAll(c, token.get().roles())) {
                granted.addAll(role.permissions());
            }
            return TokenView.of(token.get(), PermissionSet.of(granted));
        });
    }
}
