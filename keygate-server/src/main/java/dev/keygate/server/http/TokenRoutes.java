package dev.keygate.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keygate.server.token.CreatedToken;
import dev.keygate.server.token.TokenRequest;
import dev.keygate.server.token.TokenService;
import io.javalin.http.HandlerType;

import java.time.Instant;
import java.util.List;

/** {@code /v1/tokens}. */
final class TokenRoutes {

    private TokenRoutes() {
    }

    static List<Route> routes(TokenService tokens, Bodies bodies, ObjectMapper mapper) {
        return List.of(
                Route.admin(HandlerType.POST, "/v1/tokens", (ctx, caller) -> {
                    Views.TokenCreate b = bodies.read(ctx, Views.TokenCreate.class, false);
                    CreatedToken created = tokens.create(caller, new TokenRequest(b.principal(), b.roles(), b.name(),
                            b.environment(), b.ttl(), b.expiresAt(), b.permanent(), b.child(), b.rotateEvery(),
                            b.maxUses(), b.rateLimit(), b.allowedCidrs(), Views.metadataText(mapper, b.metadata())));
                    bodies.write(ctx, 201, new Views.CreatedTokenView(
                            Views.TokenView.of(created.token(), tokens.now()), created.secret()));
                }),
                Route.admin(HandlerType.GET, "/v1/tokens", (ctx, caller) -> {
                    TokenService.ListRequest query = new TokenService.ListRequest(ctx.queryParam("principal"),
                            ctx.queryParam("status"), ctx.queryParam("limit"), ctx.queryParam("expiring_within"),
                            ctx.queryParam("rotation_due"), ctx.queryParam("permanent"));
                    Instant now = tokens.now();
                    bodies.write(ctx, 200, new Views.Items<>(tokens.list(caller, query).stream()
                            .map(t -> Views.TokenView.of(t, now)).toList()));
                }),
                Route.admin(HandlerType.GET, "/v1/tokens/{id}", (ctx, caller) ->
                        bodies.write(ctx, 200, Views.TokenView.of(tokens.get(caller, ctx.pathParam("id")),
                                tokens.now()))),
                Route.admin(HandlerType.POST, "/v1/tokens/{id}/revoke", (ctx, caller) -> {
                    Views.Revoke body = bodies.read(ctx, Views.Revoke.class, true);
                    TokenService.Revoked revoked = tokens.revoke(caller, ctx.pathParam("id"),
                            body == null ? null : body.reason());
                    bodies.write(ctx, 200, new Views.RevokedTokenView(Views.TokenView.of(revoked.token(),
                            tokens.now()), revoked.count()));
                }),
                Route.admin(HandlerType.POST, "/v1/tokens/{id}/rotate", (ctx, caller) -> {
                    Views.Rotate body = bodies.read(ctx, Views.Rotate.class, true);
                    CreatedToken successor = tokens.rotate(caller, ctx.pathParam("id"),
                            body == null ? null : body.grace());
                    bodies.write(ctx, 201, new Views.CreatedTokenView(
                            Views.TokenView.of(successor.token(), tokens.now()), successor.secret()));
                }));
    }
}
