package dev.keygate.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keygate.server.alert.AlertService;
import dev.keygate.server.audit.AuditService;
import dev.keygate.server.auth.Authenticator;
import dev.keygate.server.hygiene.HygieneService;
import dev.keygate.server.leak.LeakService;
import dev.keygate.server.metrics.HttpMetrics;
import dev.keygate.server.metrics.Metrics;
import dev.keygate.server.policy.ExplainService;
import dev.keygate.server.policy.PolicyService;
import dev.keygate.server.principal.PrincipalService;
import dev.keygate.server.role.RoleService;
import dev.keygate.server.store.Database;
import dev.keygate.server.token.TokenService;
import dev.keygate.server.usage.UsageService;
import dev.keygate.server.verify.VerifyService;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.HttpResponseException;

import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP API: every route in one table (which the OpenAPI test compares with the published document), a
 * 64 KiB body limit, and {@link Problems} for every failure.
 */
public final class HttpApi {

    public static final long MAX_BODY_BYTES = 64 * 1024;
    /** The request attribute that holds the matched route's meters. */
    private static final String ROUTE_METERS = "keygate.route-meters";

    private final List<Route> routes;
    private final Javalin javalin;

    public HttpApi(Database db, Authenticator authenticator, RoleService roles, PrincipalService principals,
                   TokenService tokens, VerifyService verifier, AuditService audit, ExplainService explainer,
                   PolicyService policies, LeakService leaks, Metrics metrics, UsageService usage,
                   HygieneService hygiene, AlertService alerts) {
        ObjectMapper mapper = Json.newMapper();
        Bodies bodies = new Bodies(mapper);
        Problems problems = new Problems(mapper);
        List<Route> all = new ArrayList<>();
        all.addAll(RoleRoutes.routes(roles, bodies));
        all.addAll(PrincipalRoutes.routes(principals, bodies, mapper));
        all.addAll(TokenRoutes.routes(tokens, bodies, mapper));
        all.addAll(UsageRoutes.routes(usage, bodies));
        all.addAll(LeakRoutes.routes(leaks, authenticator, bodies, mapper));
        all.addAll(VerifyRoutes.routes(verifier, bodies, mapper));
        all.addAll(AuditRoutes.routes(audit, bodies));
        all.addAll(AlertRoutes.routes(alerts, bodies));
        all.addAll(PolicyRoutes.routes(explainer, policies, bodies));
        all.addAll(ReportRoutes.routes(hygiene, bodies));
        all.addAll(SystemRoutes.routes(db, bodies, metrics));
        this.routes = List.copyOf(all);
        this.javalin = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.http.prefer405over404 = true;
            // No response compression: a compressed answer that holds a secret (a minted token) beside text the
            // client chose (its name) leaks the secret to whoever can watch lengths and choose that text (BREACH).
            // Answers are small JSON anyway, and compressing cost a tenth of the CPU of a /healthz.
            config.http.compressionStrategy = CompressionStrategy.NONE;
            // Jetty caches header fields per connection and by default matches their values ignoring case: a
            // token sent after a case variant of it on one keep-alive connection arrived as the variant, so
            // a variant of a valid token sent after it passed as that token. Tokens are case-sensitive.
            config.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
            config.routes.before(ctx -> {
                // Nothing the API returns may be cached: one response in its life carries a secret.
                ctx.header("Cache-Control", "no-store");
                ctx.header("X-Content-Type-Options", "nosniff");
            });
            for (Route route : routes) {
                HttpMetrics.Route meters = metrics.http().route(route.method().name(), route.path());
                config.routes.addHttpHandler(route.method(), route.path(), route.access() == Route.Access.BEARER
                        ? ctx -> {
                            ctx.attribute(ROUTE_METERS, meters);
                            route.handler().handle(ctx, authenticator.authenticate(ctx.header("Authorization"),
                                    ctx.ip(), ctx.userAgent()));
                        }
                        : ctx -> {
                            ctx.attribute(ROUTE_METERS, meters);
                            route.handler().handle(ctx, null);
                        });
            }
            // Runs after every request, failed and unmatched ones too, once the status is final.
            config.requestLogger.http((ctx, millis) -> {
                HttpMetrics.Route meters = ctx.attribute(ROUTE_METERS);
                (meters == null ? metrics.http().unmatched() : meters)
                        .record(ctx.statusCode(), (long) (millis * 1_000_000.0));
            });
            // Javalin registers its own mapper for HttpResponseException (its 404, 405 and 413 among them), and the
            // most specific class wins: map those here too so every failure is a problem document.
            config.routes.exception(HttpResponseException.class, problems::handle);
            config.routes.exception(Exception.class, problems::handle);
        });
    }

    /** Every route the API serves. */
    public List<Route> routes() {
        return routes;
    }

    public void start(String host, int port) {
        javalin.start(host, port);
    }

    public int port() {
        return javalin.port();
    }

    public void stop() {
        javalin.stop();
    }
}
