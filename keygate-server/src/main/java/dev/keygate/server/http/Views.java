package dev.keygate.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keygate.core.permission.Permission;
import dev.keygate.core.principal.Principal;
import dev.keygate.core.role.Role;
import dev.keygate.core.token.Token;
import dev.keygate.core.token.Ttl;
import dev.keygate.server.audit.AuditEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/** The JSON shapes of the API's requests and responses (see docs/api.md). */
final class Views {

    private Views() {
    }

    record RoleCreate(String name, String description, List<String> permissions, String maxTtl) {
    }

    record RoleUpdate(String description, List<String> permissions, String maxTtl) {
    }

    record PrincipalCreate(String name, String kind, String description, JsonNode metadata) {
    }

    record TokenCreate(String principal, List<String> roles, String name, String environment, String ttl,
                       String expiresAt) {
    }

    record Revoke(String reason) {
    }

    record VerifyRequest(String token, String permission, String environment) {
    }

    record Items<T>(List<T> items) {
    }

    record AuditPage(List<AuditEventView> items,
                     @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {
    }

    record RoleView(String name, String description, List<String> permissions, String maxTtl, Instant createdAt,
                    Instant updatedAt) {
        static RoleView of(Role r) {
            return new RoleView(r.name(), r.description(), r.permissions().stream().map(Permission::toString).toList(),
                    r.maxTtl() == null ? null : Ttl.format(r.maxTtl()), r.createdAt(), r.updatedAt());
        }
    }

    record PrincipalView(String name, String kind, String description, JsonNode metadata, Instant createdAt) {
        static PrincipalView of(Principal p, ObjectMapper mapper) {
            try {
                return new PrincipalView(p.name(), p.kind().apiName(), p.description(),
                        mapper.readTree(p.metadataJson()), p.createdAt());
            } catch (IOException e) {
                throw new UncheckedIOException("stored metadata of principal " + p.name() + " is not JSON", e);
            }
        }
    }

    record TokenView(String id, String principal, List<String> roles, String environment, String name,
                     String status, Instant createdAt, String createdBy, Instant expiresAt, Instant revokedAt,
                     String revokedBy, String revokeReason, Instant lastUsedAt) {
        static TokenView of(Token t, Instant now) {
            return new TokenView(t.id(), t.principal(), t.roles(), t.environment(), t.name(),
                    t.statusAt(now).apiName(), t.createdAt(), t.createdBy(), t.expiresAt(), t.revokedAt(),
                    t.revokedBy(), t.revokeReason(), t.lastUsedAt());
        }
    }

    /** The only shape that ever holds a token's secret: the answer to its creation. */
    record CreatedTokenView(@JsonUnwrapped TokenView info, @JsonProperty("token") String secret) {
    }

    record VerifyView(boolean valid, boolean allowed, String code, String tokenId, String principal,
                      List<String> roles, List<String> permissions, String environment, Instant expiresAt) {
    }

    record AuditEventView(long id, Instant time, String action, String actorTokenId, String actorPrincipal,
                          String target, String permission, String decision, String code, String clientIp,
                          String userAgent, String detail) {
        static AuditEventView of(AuditEvent e) {
            return new AuditEventView(e.id(), e.time(), e.action(), e.actorTokenId(), e.actorPrincipal(), e.target(),
                    e.permission(), e.decision(), e.code(), e.clientIp(), e.userAgent(), e.detail());
        }
    }
}
