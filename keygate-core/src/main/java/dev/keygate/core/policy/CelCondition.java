package dev.keygate.core.policy;

import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A condition compiled to a CEL program, evaluated against one {@link Evaluation} per call. */
final class CelCondition implements Condition {

    /** How CEL's evaluation errors start: {@code evaluation error at <input>:12: ...}, 12 in code points. */
    private static final Pattern LOCATION = Pattern.compile("^evaluation error at [^:]*:(\\d+):");
    private static final String NO_SUCH_ATTRIBUTE = "No such attribute(s): ";
    private static final Pattern MISSING_KEY = Pattern.compile("key '([^']*)' is not present in map");

    private final String source;
    private final CelRuntime.Program program;
    private final StringCosts stringCosts;

    CelCondition(String source, CelRuntime.Program program, StringCosts stringCosts) {
        this.source = source;
        this.program = program;
        this.stringCosts = stringCosts;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public boolean test(RequestAttributes request, SubjectAttributes subject) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(subject, "subject");
        Evaluation evaluation = new Evaluation(request, subject, stringCosts);
        Object result;
        try {
            result = program.trace(evaluation, evaluation);
        } catch (CelEvaluationException e) {
            throw failure(e);
        } catch (RuntimeException | StackOverflowError e) {
            // Not expected from CEL; its message might quote a value, so only the type is named.
            throw new ConditionException(-1, "evaluation failed: " + e.getClass().getName());
        }
        if (result instanceof Boolean b) {
            return b;
        }
        throw new ConditionException(-1, "evaluated to " + typeOf(result) + ", not bool");
    }

    private ConditionException failure(CelEvaluationException e) {
        int at = celPosition(e.getMessage());
        int position = SourceText.nameAt(source, at);
        String problem = problem(e, at, position);
        return position < 0 ? new ConditionException(-1, problem)
                : new ConditionException(position, "at position " + position + " (line "
                + SourceText.line(source, position) + ", column " + SourceText.column(source, position) + "): "
                + problem);
    }

    /** What went wrong, in words that name no value: CEL's own messages may quote one, so most are replaced. */
    private String problem(CelEvaluationException e, int at, int position) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof EvaluationFailure) {
                return t.getMessage();
            }
        }
        boolean call = at >= 0 && at < source.length() && source.charAt(at) == '(';
        boolean select = at >= 0 && at < source.length() && source.charAt(at) == '.';
        String name = call || select ? SourceText.identifierAt(source, position) : "";
        return switch (e.getErrorCode()) {
            case ATTRIBUTE_NOT_FOUND -> {
                String message = Objects.requireNonNullElse(e.getCause(), e).getMessage();
                int i = message == null ? -1 : message.indexOf(NO_SUCH_ATTRIBUTE);
                if (i >= 0) {
                    // Names CEL asks for are declared ones (request.ip...), never data.
                    yield message.substring(i + NO_SUCH_ATTRIBUTE.length()).strip() + " is absent";
                }
                yield missingKey(message);
            }
            case INDEX_OUT_OF_BOUNDS -> "list index out of range";
            case DIVIDE_BY_ZERO -> "division by zero";
            case NUMERIC_OVERFLOW -> "integer overflow";
            case OVERLOAD_NOT_FOUND -> name.isEmpty() ? "an operator got operands of unexpected types"
                    : name + ": no overload takes arguments of these types";
            case ITERATION_BUDGET_EXCEEDED -> "comprehensions took more than " + Conditions.MAX_ITERATIONS
                    + " iterations";
            case BAD_FORMAT -> (name.isEmpty() ? "" : name + ": ") + "a value could not be converted";
            case INVALID_ARGUMENT -> (name.isEmpty() ? "" : name + ": ") + "invalid argument";
            case DUPLICATE_ATTRIBUTE -> "duplicate map key";
            default -> (name.isEmpty() ? "" : name + ": ") + "evaluation failed ("
                    + e.getErrorCode().name().toLowerCase(Locale.ROOT) + ")";
        };
    }

    /**
     * CEL names the missing key ({@code key 'owner' is not present in map}); the key may have been computed from
     * data, so it is named only when the expression itself spells it ({@code .owner}, {@code 'owner'}).
     */
    private String missingKey(String message) {
        Matcher m = message == null ? null : MISSING_KEY.matcher(message);
        if (m != null && m.find()) {
            String key = m.group(1);
            if (source.contains("." + key) || source.contains("'" + key + "'") || source.contains("\"" + key + "\"")) {
                return "no such key: '" + key + "'";
            }
        }
        return "a map has no such key";
    }

    /** The char offset CEL names in its message, or -1. */
    private int celPosition(String message) {
        Matcher m = message == null ? null : LOCATION.matcher(message);
        if (m == null || !m.find()) {
            return -1;
        }
        try {
            return SourceText.charOffset(source, Integer.parseInt(m.group(1)));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String typeOf(Object value) {
        if (value == null || value instanceof NullValue) {
            return "null";
        }
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof Long) {
            return "int";
        }
        if (value instanceof Double) {
            return "double";
        }
        if (value instanceof List) {
            return "list";
        }
        if (value instanceof Map) {
            return "map";
        }
        if (value instanceof Instant) {
            return "timestamp";
        }
        return value.getClass().getSimpleName();
    }

    @Override
    public String toString() {
        return "Condition[" + source + "]";
    }
}
