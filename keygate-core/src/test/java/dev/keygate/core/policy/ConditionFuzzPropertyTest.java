package dev.keygate.core.policy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.List;
import java.util.Map;

import static dev.keygate.core.policy.TestAttributes.request;
import static dev.keygate.core.policy.TestAttributes.subject;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Conditions#compile} throws nothing but {@link InvalidConditionException}, whatever the input, with a
 * position inside the source; and what compiles throws nothing but {@link ConditionException} when evaluated.
 */
class ConditionFuzzPropertyTest {

    private static final List<String> TOKENS = List.of(
            "request", "ip", "time", "environment", "resource", "token", "metadata", "created_at", "principal",
            "name", "kind", "x", "y", "owner", "team", "all", "exists", "exists_one", "map", "filter", "has", "size",
            "inCidr", "matches", "startsWith", "contains", "getHours", "getDayOfWeek", "timestamp", "duration",
            "int", "string", "dyn", "type", "lowerAscii", "split", "join", "indexOf", "substring",
            ".", ".", ".", ",", "(", ")", "[", "]", "{", "}", ":", "?", "+", "-", "*", "/", "%", "==", "!=", "<",
            "<=", ">", ">=", "&&", "||", "!", "in", " ", " ", "\n",
            "'10.0.0.0/8'", "'2001:db8::/32'", "'10.0.0.1/8'", "'Europe/Berlin'", "'Mars/Base'", "'('", "'^a.*'",
            "'2026-01-01T00:00:00Z'", "'1h'", "'x'", "\"y\"", "'''z'''", "r'\\d'", "b'x'", "'\\u00e9'", "'\\xZZ'",
            "0", "1", "-1", "1.5", "1e400", "9223372036854775807", "18446744073709551615u", "0x1F", "true", "false",
            "null", "`", "#", "\\", "'", "\u00e9", "\uD83D\uDE00", "\u0000");

    @Provide
    Arbitrary<String> tokenSoup() {
        return Arbitraries.of(TOKENS).list().ofMinSize(1).ofMaxSize(40).map(tokens -> String.join("", tokens));
    }

    /** Mostly well-formed expressions, mostly well-typed, from attributes, literals, operators and macros. */
    @Provide
    Arbitrary<String> expressions() {
        Arbitrary<String> atoms = Arbitraries.of("request.ip", "request.environment", "resource.owner", "resource.n",
                "resource", "token.metadata", "token.metadata.team", "principal.name", "principal.kind", "token.id",
                "request.time.getHours()", "request.time.getHours('Europe/Berlin')", "request.time", "'10.'",
                "'billing'", "1", "2.5", "true", "null", "[1, 2]", "['a', 'b']", "{'k': 1}", "size(resource)",
                "request.ip.inCidr('10.0.0.0/8')", "resource.owner.matches('^b')", "'x' in resource");
        Arbitrary<String> operators = Arbitraries.of(" == ", " != ", " < ", " >= ", " + ", " && ", " || ", " in ");
        return Arbitraries.recursive(() -> atoms, inner -> Arbitraries.oneOf(
                Arbitraries.of(0, 1, 2, 3, 4, 5).flatMap(shape -> switch (shape) {
                    case 0 -> Combinators.combine(inner, operators, inner).as((a, op, b) -> a + op + b);
                    case 1 -> inner.map(a -> "!(" + a + ")");
                    case 2 -> inner.map(a -> "[1, 2, 3].exists(x, " + a + ")");
                    case 3 -> inner.map(a -> "resource.tags.all(t, " + a + ")");
                    case 4 -> Combinators.combine(inner, inner, inner)
                            .as((a, b, c) -> a + " ? " + b + " : " + c);
                    default -> inner.map(a -> "(" + a + ")");
                })), 0, 4);
    }

    @Property(tries = 600, edgeCases = EdgeCasesMode.NONE)
    void compileWhenExpressionThenCompilesOrInvalid(@ForAll("expressions") String source) {
        checkCompileAndEvaluate(source);
    }

    /** The same expressions with one character dropped, duplicated or replaced: near misses. */
    @Property(tries = 400, edgeCases = EdgeCasesMode.NONE)
    void compileWhenNearlyAnExpressionThenCompilesOrInvalid(@ForAll("expressions") String source,
                                                            @ForAll("anyText") String noise) {
        int at = Math.floorMod(noise.hashCode(), source.length() + 1);
        String mutated = switch (Math.floorMod(noise.length(), 3)) {
            case 0 -> source.substring(0, at) + source.substring(Math.min(at + 1, source.length()));
            case 1 -> source.substring(0, at) + (noise.isEmpty() ? "(" : noise.substring(0, 1)) + source.substring(at);
            default -> source.substring(0, at) + source.substring(0, at);
        };
        checkCompileAndEvaluate(mutated);
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.strings().all().ofMaxLength(60);
    }

    @Property(tries = 600)
    void compileWhenTokenSoupThenCompilesOrInvalid(@ForAll("tokenSoup") String source) {
        checkCompileAndEvaluate(source);
    }

    @Property(tries = 300)
    void compileWhenAnyTextThenCompilesOrInvalid(@ForAll("anyText") String source) {
        checkCompileAndEvaluate(source);
    }

    private static void checkCompileAndEvaluate(String source) {
        Condition condition;
        try {
            condition = Conditions.compile(source);
        } catch (InvalidConditionException e) {
            Statistics.label("outcome").collect("invalid");
            assertThat(e.position()).isBetween(-1, source.length());
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        Statistics.label("outcome").collect("compiled");
        try {
            condition.test(request().resource(Map.of("owner", "billing", "n", 1L, "tags", List.of("a", "b")))
                    .build(), subject().build());
            Statistics.label("evaluation").collect("ok");
        } catch (ConditionException e) {
            Statistics.label("evaluation").collect("failed");
            assertThat(e.position()).isBetween(-1, source.length());
        }
    }
}
