package dev.keygate.server.http;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keygate.core.error.ValidationException;
import dev.keygate.server.leak.LeakService;
import io.javalin.http.HandlerType;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** {@code POST /v1/leaks} (reports of leaked tokens) and {@code POST /v1/tokens/lookup} (tokens by hash). */
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

    static List<Route> routes(LeakService leaks, Bodies bodies, ObjectMapper mapper) {
        return List.of(
                Route.admin(HandlerType.POST, "/v1/leaks", (ctx, caller) -> {
                    JsonNode body = bodies.read(ctx, JsonNode.class, false);
                    if (!body.isArray()) {
                        throw new ValidationException("body", "must be a JSON array of reports "
                                + "[{\"token\", \"type\", \"url\", \"source\"}], as secret scanners send them");
                    }
                    // Read from the tree with the same strict mapper: unknown fields and wrong types are refused,
                    // named by their path ([2].token).
                    LeakReport[] reports = mapper.treeToValue(body, LeakReport[].class);
                    int received = leaks.report(caller, Arrays.stream(reports).map(r -> r == null ? null
                            : new LeakService.Report(r.token(), r.type(), r.url(), r.source())).toList());
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
}
