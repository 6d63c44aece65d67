package dev.keygate.server.http;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keygate.core.error.UnauthenticatedException;
import dev.keygate.core.error.ValidationException;
import dev.keygate.server.auth.Authenticator;
import dev.keygate.server.auth.Caller;
import dev.keygate.server.leak.LeakReportKeys;
import dev.keygate.server.leak.LeakService;
import io.javalin.http.HandlerType;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * {@code POST /v1/leaks} (reports of leaked tokens) and {@code POST /v1/tokens/lookup} (tokens by hash).
 *
 * <p>A report is authenticated by exactly one of two credentials: a bearer token holding
 * {@code keygate.leaks:report}, or GitHub's signature of the raw body ({@value LeakReportKeys#KEY_ID_HEADER} and
 * {@value LeakReportKeys#SIGNATURE_HEADER}), sent by its secret-scanning partner program without a token. Either
 * GitHub header selects the signature, which then needs both and no {@code Authorization}; a request with neither is
 * a bearer request, exactly as on every admin route.
 */
final class LeakRoutes {

    private LeakRoutes() {
    }

    /** One reported string, in GitHub's secret-scanning partner format. */
    record LeakReport(String token, String type, String url, String source) {
        @Override
        public String toString() {
            return "LeakReport[token=***, type=" + type + ", url=" + url + ", source=" + source + "]";
        }
    }

    /** The answer to every accepted report, whatever it held. */
    record Received(int received) {
    }

    record Lookup(List<String> hashes) {
    }

    /** A token found by the hash of its secret: the hash asked for, and the token. */
    record FoundTokenView(String hash, @JsonUnwrapped Views.TokenView token) {
    }

    static List<Route> routes(LeakService leaks, Authenticator authenticator, Bodies bodies, ObjectMapper mapper) {
        return List.of(
                Route.signedOrAdmin(HandlerType.POST, "/v1/leaks", (ctx, none) -> {
                    String keyId = ctx.header(LeakReportKeys.KEY_ID_HEADER);
                    String signature = ctx.header(LeakReportKeys.SIGNATURE_HEADER);
                    int received;
                    if (keyId == null && signature == null) {
                        // Authenticated before the body is read, as every admin route is.
                        Caller caller = authenticator.authenticate(ctx.header("Authorization"), ctx.ip(),
                                ctx.userAgent());
                        received = leaks.report(caller, reports(bodies.read(ctx, JsonNode.class, false), mapper));
                    } else {
                        if (ctx.header("Authorization") != null) {
                            throw new UnauthenticatedException("give either a bearer token or GitHub's signature "
                                    + "headers, not both");
                        }
                        // The signature covers the body as sent: it is checked on these bytes, which are then read.
                        byte[] raw = bodies.raw(ctx);
                        LeakService.SignedReporter reporter = leaks.authenticate(keyId, signature, raw, ctx.ip(),
                                ctx.userAgent());
                        received = leaks.report(reporter, reports(bodies.parse(ctx, raw, JsonNode.class, false),
                                mapper));
                    }
                    bodies.write(ctx, 202, new Received(received));
                }),
                Route.admin(HandlerType.POST, "/v1/tokens/lookup", (ctx, caller) -> {
                    Lookup body = bodies.read(ctx, Lookup.class, false);
                    List<LeakService.Found> found = leaks.lookup(caller, body.hashes());
                    Instant now = leaks.now();
                    bodies.write(ctx, 200, new Views.Items<>(found.stream()
                            .map(f -> new FoundTokenView(f.hash(), Views.TokenView.of(f.token(), now))).toList()));
                }));
    }

    /** The reports of a {@code POST /v1/leaks} body, checked as secret scanners send them. */
    private static List<LeakService.Report> reports(JsonNode body, ObjectMapper mapper) throws IOException {
        if (!body.isArray()) {
            throw new ValidationException("body", "must be a JSON array of reports "
                    + "[{\"token\", \"type\", \"url\", \"source\"}], as secret scanners send them");
        }
        // Read from the tree with the same strict mapper: unknown fields and wrong types are refused, named by their
        // path ([2].token).
        LeakReport[] reports = mapper.treeToValue(body, LeakReport[].class);
        return Arrays.stream(reports).map(r -> r == null ? null
                : new LeakService.Report(r.token(), r.type(), r.url(), r.source())).toList();
    }
}
