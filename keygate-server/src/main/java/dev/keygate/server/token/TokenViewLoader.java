package dev.keygate.server.token;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keygate.core.policy.Policy;
import dev.keygate.core.policy.SubjectAttributes;
import dev.keygate.core.principal.Principal;
import dev.keygate.core.role.Role;
import dev.keygate.core.token.Token;
import dev.keygate.core.token.TokenView;
import dev.keygate.server.principal.PrincipalStore;
import dev.keygate.server.role.RoleStore;
import dev.keygate.server.store.Database;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a {@link TokenView} from the store: the token found by hash, its roles compiled into one policy and, when
 * that policy has conditions or denies, the token's and its principal's attributes for them.
 */
public final class TokenViewLoader {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final Database db;
    private final TokenStore tokens;
    private final RoleStore roles;
    private final PrincipalStore principals;

    public TokenViewLoader(Database db, TokenStore tokens, RoleStore roles, PrincipalStore principals) {
        this.db = db;
        this.tokens = tokens;
        this.roles = roles;
        this.principals = principals;
    }

    /** The view of the token with this hash, or {@code null} if there is none. */
    public TokenView load(String hash) {
        return db.read(c -> view(c, tokens.findByHash(c, hash)));
    }

    /** The view of the token with this id, or {@code null} if there is none. Not cached: for explanations. */
    public TokenView loadById(String id) {
        return db.read(c -> view(c, tokens.findById(c, id)));
    }

    private TokenView view(Connection c, Optional<Token> found) throws SQLException {
        if (found.isEmpty()) {
            return null;
        }
        Token token = found.get();
        Policy.Builder policy = Policy.builder();
        for (Role role : roles.findAll(c, token.roles())) {
            policy.add(role.name(), role.grants());
        }
        Policy built = policy.build();
        SubjectAttributes subject = null;
        if (!built.simple()) {
            Principal principal = principals.find(c, token.principal()).orElse(null);
            subject = SubjectAttributes.of(token.id(), object(token.metadataJson()), token.environment(),
                    token.createdAt(), token.principal(), principal == null ? null : principal.kind().apiName(),
                    principal == null ? Map.of() : object(principal.metadataJson()));
        }
        return TokenView.of(token, built, subject);
    }

    /** Stored metadata (a JSON object this server wrote) as a map. */
    private static Map<String, Object> object(String json) {
        try {
            return MAPPER.readValue(json, OBJECT);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored metadata is not a JSON object", e);
        }
    }
}
