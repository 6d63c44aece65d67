package dev.keygate.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keygate.server.principal.PrincipalService;
import io.javalin.http.HandlerType;

import java.util.List;

/** {@code /v1/principals}. */
final class PrincipalRoutes {

    private PrincipalRoutes() {
    }

    static List<Route> routes(PrincipalService principals, Bodies bodies, ObjectMapper mapper) {
        return List.of(
                Route.admin(HandlerType.POST, "/v1/principals", (ctx, caller) -> {
                    Views.PrincipalCreate body = bodies.read(ctx, Views.PrincipalCreate.class, false);
                    bodies.write(ctx, 201, Views.PrincipalView.of(principals.create(caller, body.name(), body.kind(),
                            body.description(), Views.metadataText(mapper, body.metadata())), mapper));
                }),
                Route.admin(HandlerType.GET, "/v1/principals", (ctx, caller) ->
                        bodies.write(ctx, 200, new Views.Items<>(principals.list(caller).stream()
                                .map(p -> Views.PrincipalView.of(p, mapper)).toList()))),
                Route.admin(HandlerType.GET, "/v1/principals/{name}", (ctx, caller) ->
                        bodies.write(ctx, 200, Views.PrincipalView.of(
                                principals.get(caller, ctx.pathParam("name")), mapper))),
                Route.admin(HandlerType.POST, "/v1/principals/{name}/disable", (ctx, caller) -> {
                    Views.Disable body = bodies.read(ctx, Views.Disable.class, true);
                    PrincipalService.Disabled disabled = principals.disable(caller, ctx.pathParam("name"),
                            body == null ? null : body.reason());
                    bodies.write(ctx, 200, new Views.DisabledPrincipalView(
                            Views.PrincipalView.of(disabled.principal(), mapper), disabled.revoked()));
                }),
                Route.admin(HandlerType.POST, "/v1/principals/{name}/enable", (ctx, caller) -> {
                    bodies.read(ctx, Views.Empty.class, true);
                    bodies.write(ctx, 200, Views.PrincipalView.of(principals.enable(caller, ctx.pathParam("name")),
                            mapper));
                }));
    }
}
