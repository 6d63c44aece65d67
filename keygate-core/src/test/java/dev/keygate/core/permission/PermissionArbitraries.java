package dev.keygate.core.permission;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.List;

/**
 * Generators of permission texts over a deliberately small alphabet (segments {@code a}, {@code b}, {@code c};
 * actions {@code read}, {@code write}), so that generated patterns and concrete permissions actually match
 * one another often enough for the properties to say something.
 */
final class PermissionArbitraries {

    static final List<String> SEGMENTS = List.of("a", "b", "c");
    static final List<String> ACTIONS = List.of("read", "write");
    /** The deepest literal prefix or resource a generated pattern has. */
    static final int MAX_PATTERN_DEPTH = 3;

    private PermissionArbitraries() {
    }

    /** A pair of generated texts. */
    record Pair(String first, String second) {
    }

    /** Three generated texts. */
    record Triple(String first, String second, String third) {
    }

    static Arbitrary<List<String>> segments(int min, int max) {
        return Arbitraries.of(SEGMENTS).list().ofMinSize(min).ofMaxSize(max);
    }

    /** Concrete permissions: 1 to 4 segments and a literal action. */
    static Arbitrary<String> concretes() {
        return Combinators.combine(segments(1, 4), Arbitraries.of(ACTIONS))
                .as((resource, action) -> String.join(".", resource) + ":" + action);
    }

    /** Any permission: concrete, or with a wildcard resource ({@code *} or {@code x.y.*}), action, or both. */
    static Arbitrary<String> patterns() {
        Arbitrary<String> literal = segments(1, MAX_PATTERN_DEPTH).map(s -> String.join(".", s));
        Arbitrary<String> wildcard = segments(0, MAX_PATTERN_DEPTH)
                .map(s -> s.isEmpty() ? "*" : String.join(".", s) + ".*");
        Arbitrary<String> action = Arbitraries.of("read", "write", "*");
        return Combinators.combine(Arbitraries.oneOf(literal, wildcard), action).as((r, a) -> r + ":" + a);
    }

    /**
     * Patterns that {@code pattern} grants by construction: a wildcard action may stay or become a literal,
     * and a wildcard resource may grow literal segments and either keep its wildcard or (with at least one
     * new segment) drop it.
     */
    static Arbitrary<String> narrowings(String pattern) {
        int colon = pattern.indexOf(':');
        String resource = pattern.substring(0, colon);
        String action = pattern.substring(colon + 1);
        Arbitrary<String> actions = action.equals("*")
                ? Arbitraries.of("read", "write", "*")
                : Arbitraries.just(action);
        Arbitrary<String> resources;
        if (resource.endsWith("*")) {
            String prefix = resource.substring(0, resource.length() - 1);
            resources = Combinators.combine(segments(0, 2), Arbitraries.of(true, false))
                    .as((extra, keepWildcard) -> extra.isEmpty()
                            ? prefix + "*"
                            : prefix + String.join(".", extra) + (keepWildcard ? ".*" : ""));
        } else {
            resources = Arbitraries.just(resource);
        }
        return Combinators.combine(resources, actions).as((r, a) -> r + ":" + a);
    }

    /** Concrete permissions that {@code pattern} grants by construction. */
    static Arbitrary<String> instances(String pattern) {
        int colon = pattern.indexOf(':');
        String resource = pattern.substring(0, colon);
        String action = pattern.substring(colon + 1);
        Arbitrary<String> actions = action.equals("*") ? Arbitraries.of(ACTIONS) : Arbitraries.just(action);
        Arbitrary<String> resources;
        if (resource.endsWith("*")) {
            String prefix = resource.substring(0, resource.length() - 1);
            resources = segments(1, 3).map(s -> prefix + String.join(".", s));
        } else {
            resources = Arbitraries.just(resource);
        }
        return Combinators.combine(resources, actions).as((r, a) -> r + ":" + a);
    }

    /** A pattern and a concrete permission, half the time one of its instances, half the time unrelated. */
    static Arbitrary<Pair> patternsWithCandidates() {
        return patterns().flatMap(p -> Arbitraries.oneOf(instances(p), concretes()).map(c -> new Pair(p, c)));
    }

    /** Two patterns, half the time the second a narrowing of the first, half the time unrelated. */
    static Arbitrary<Pair> patternPairs() {
        return patterns().flatMap(a -> Arbitraries.oneOf(narrowings(a), patterns()).map(b -> new Pair(a, b)));
    }

    /** Three patterns, each half the time a narrowing of the one before. */
    static Arbitrary<Triple> patternChains() {
        return patternPairs().flatMap(ab -> Arbitraries.oneOf(narrowings(ab.second()), patterns())
                .map(c -> new Triple(ab.first(), ab.second(), c)));
    }
}
