package dev.keygate.server.http;

import dev.keygate.core.error.FieldErrors;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Checks of a request's query string that routes share. */
final class QueryParams {

    private QueryParams() {
    }

    /**
     * Requires that the query string holds only parameters of {@code known}, each at most once: a misspelt filter
     * would otherwise be ignored and answer with more (or other) data than asked for.
     *
     * @throws dev.keygate.core.error.ValidationException naming each unknown or repeated parameter
     */
    static void only(Context ctx, Set<String> known) {
        FieldErrors errors = new FieldErrors();
        Map<String, List<String>> params = ctx.queryParamMap();
        for (String name : new TreeSet<>(params.keySet())) {
            if (!known.contains(name)) {
                errors.add(name, "is not a known query parameter (known: " + String.join(", ", new TreeSet<>(known))
                        + ")");
            } else if (params.get(name).size() > 1) {
                errors.add(name, "must be given at most once");
            }
        }
        errors.throwIfAny();
    }
}
