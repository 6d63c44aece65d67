package dev.keygate.core.policy;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.CelVarDecl;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypes;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.extensions.CelStringExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;

import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses, type-checks and plans conditions in one fixed CEL environment, and turns CEL's issues into
 * {@link InvalidConditionException}s that point at the problem.
 */
final class ConditionCompiler {

    /** The most sub-expressions one condition may have. */
    static final int MAX_NODES = 1000;

    /** The largest compiled regular expression (RE2 program instructions) a condition may match against. */
    static final int MAX_REGEX_PROGRAM = 500;

    private static final CelOptions OPTIONS = CelOptions.current()
            .maxExpressionCodePointSize(Conditions.MAX_LENGTH)
            .maxParseRecursionDepth(Conditions.MAX_NESTING)
            .maxParseExpressionNodeCount(MAX_NODES)
            .comprehensionMaxIterations(Conditions.MAX_ITERATIONS)
            .maxRegexProgramSize(MAX_REGEX_PROGRAM)
            // Required by the planner runtime; it also makes 1 == 1.0, which suits numbers from JSON.
            .enableHeterogeneousNumericComparisons(true)
            .build();

    private static final MapType ATTRIBUTE_MAP = MapType.create(SimpleType.STRING, SimpleType.DYN);

    /**
     * The strings extension without {@code replace}: every other function's result is at most a constant times
     * the size of its operands, which keeps the evaluation budget honest; {@code replace} multiplies sizes.
     */
    private static final CelStringExtensions STRINGS = CelExtensions.strings(
            EnumSet.complementOf(EnumSet.of(CelStringExtensions.Function.REPLACE)));

    private static final Cel CEL = CelFactory.plannerCelBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVarDeclarations(
                    CelVarDecl.newVarDeclaration("request.ip", SimpleType.STRING),
                    CelVarDecl.newVarDeclaration("request.time", SimpleType.TIMESTAMP),
                    CelVarDecl.newVarDeclaration("request.environment", SimpleType.STRING),
                    CelVarDecl.newVarDeclaration("resource", ATTRIBUTE_MAP),
                    CelVarDecl.newVarDeclaration("token.id", SimpleType.STRING),
                    CelVarDecl.newVarDeclaration("token.metadata", ATTRIBUTE_MAP),
                    CelVarDecl.newVarDeclaration("token.environment", SimpleType.STRING),
                    CelVarDecl.newVarDeclaration("token.created_at", SimpleType.TIMESTAMP),
                    CelVarDecl.newVarDeclaration("principal.name", SimpleType.STRING),
                    CelVarDecl.newVarDeclaration("principal.kind", SimpleType.STRING),
                    CelVarDecl.newVarDeclaration("principal.metadata", ATTRIBUTE_MAP))
            .addFunctionDeclarations(CidrFunction.DECLARATION)
            .addFunctionBindings(CidrFunction.BINDING)
            .addCompilerLibraries(STRINGS)
            .addRuntimeLibraries(STRINGS)
            .build();

    /** The attributes under each dotted root, for the message about a misspelt one. */
    private static final Map<String, String> ROOTS = Map.of(
            "request", "ip, time, environment",
            "token", "id, metadata, environment, created_at",
            "principal", "name, kind, metadata");

    /** String functions that compare their argument at each position of the receiver. */
    private static final Set<String> PRODUCT_FUNCTIONS = Set.of("contains", "indexOf", "lastIndexOf", "split");

    private static final Set<String> TIME_ZONE_FUNCTIONS = Set.of("getFullYear", "getMonth", "getDayOfYear",
            "getDayOfMonth", "getDate", "getDayOfWeek", "getHours", "getMinutes", "getSeconds", "getMilliseconds");

    private ConditionCompiler() {
    }

    /** Compiles a source of 1 to {@link Conditions#MAX_LENGTH} chars. */
    static CelCondition compile(String source) {
        CelValidationResult parsed = CEL.parse(source);
        if (parsed.hasError()) {
            throw fromIssues(source, parsed.getErrors(), null);
        }
        CelAbstractSyntaxTree parsedAst = ast(parsed);
        CelValidationResult checked = CEL.check(parsedAst);
        if (checked.hasError()) {
            throw fromIssues(source, checked.getErrors(), parsedAst);
        }
        CelAbstractSyntaxTree ast = ast(checked);
        CelType type = ast.getResultType();
        if (!type.equals(SimpleType.BOOL) && !type.equals(SimpleType.DYN)) {
            throw invalid(source, 0, "must evaluate to bool, not " + typeName(type));
        }
        StringCosts stringCosts = checkCalls(source, ast);
        CelRuntime.Program program;
        try {
            program = CEL.createProgram(ast);
        } catch (CelEvaluationException e) {
            throw invalid(source, -1, "cannot be planned: " + e.getMessage());
        }
        return new CelCondition(source, program, stringCosts);
    }

    static InvalidConditionException invalid(String source, int position, String problem) {
        return position < 0 ? new InvalidConditionException(-1, -1, -1, problem)
                : new InvalidConditionException(position, SourceText.line(source, position),
                SourceText.column(source, position), problem);
    }

    private static CelAbstractSyntaxTree ast(CelValidationResult result) {
        try {
            return result.getAst();
        } catch (CelValidationException e) {
            // Not reached: hasError() was false.
            throw new IllegalStateException(e);
        }
    }

    /** The first issue by position; {@code parsedAst} is null for syntax errors. */
    private static InvalidConditionException fromIssues(String source, List<CelIssue> issues,
                                                        CelAbstractSyntaxTree parsedAst) {
        CelIssue issue = issues.stream().min(Comparator.comparing(CelIssue::getSourceLocation)).orElseThrow();
        CelSourceLocation location = issue.getSourceLocation();
        int position = SourceText.charOffset(source, location.getLine(), location.getColumn());
        String message = issue.getMessage().replace(" (in container '')", "");
        if (message.startsWith("Expression recursion limit exceeded")) {
            return invalid(source, position, "nested more than " + Conditions.MAX_NESTING + " levels deep");
        }
        if (message.startsWith("expression node limit")) {
            return invalid(source, position, "has more than " + MAX_NODES + " sub-expressions");
        }
        if (parsedAst == null) {
            return invalid(source, position, "syntax error: " + message);
        }
        String undeclared = "undeclared reference to '";
        for (String root : ROOTS.keySet()) {
            if (message.equals(undeclared + root + "'")) {
                return unknownAttribute(source, root, issue.getExprId(), parsedAst, position);
            }
        }
        return invalid(source, SourceText.nameAt(source, position), message);
    }

    /** {@code request.tiem} reaches the checker as an undeclared {@code request}; name the whole attribute. */
    private static InvalidConditionException unknownAttribute(String source, String root, long identId,
                                                              CelAbstractSyntaxTree parsedAst, int position) {
        Optional<CelExpr> select = CelNavigableAst.fromAst(parsedAst).getRoot().allNodes()
                .map(CelNavigableExpr::expr)
                .filter(e -> e.getKind() == CelExpr.ExprKind.Kind.SELECT && e.select().operand().id() == identId)
                .findFirst();
        if (select.isEmpty()) {
            return invalid(source, position, root + " is not a value; use one of its attributes: " + ROOTS.get(root));
        }
        int dot = SourceText.charOffset(source, parsedAst.getSource().getPositionsMap()
                .getOrDefault(select.get().id(), 0));
        return invalid(source, SourceText.nameAt(source, dot), "unknown attribute " + root + "."
                + select.get().select().field() + "; " + root + " has " + ROOTS.get(root));
    }

    /**
     * Checks literal arguments that CEL would reject only at run time (CIDR ranges, regular expressions, time
     * zones, timestamps, durations), and finds the calls whose cost is a product of their operands' sizes.
     *
     * @return those calls, or null if there are none
     */
    private static StringCosts checkCalls(String source, CelAbstractSyntaxTree ast) {
        CelNavigableExpr root = CelNavigableAst.fromAst(ast).getRoot();
        StringCosts[] costs = {null};
        root.allNodes().map(CelNavigableExpr::expr)
                .filter(e -> e.getKind() == CelExpr.ExprKind.Kind.CALL)
                .forEach(call -> {
                    int factor = checkCall(source, ast, call);
                    if (factor >= 0) {
                        List<CelExpr> args = call.call().args();
                        CelExpr receiver = call.call().target().orElse(args.size() == 2 ? args.get(0) : null);
                        if (receiver != null && !args.isEmpty()) {
                            if (costs[0] == null) {
                                costs[0] = new StringCosts((int) root.maxId() + 1);
                            }
                            // The first argument after the receiver: indexOf(t, from) costs as indexOf(t).
                            costs[0].add(args.get(call.call().target().isPresent() ? 0 : 1).id(), receiver.id(), factor);
                        }
                    }
                });
        return costs[0];
    }

    /**
     * Checks one call's literal arguments.
     *
     * @return for a call that costs the product of its operands, the cost per character of the receiver
     *         (0 for the argument's length); -1 for any other call
     */
    private static int checkCall(String source, CelAbstractSyntaxTree ast, CelExpr call) {
        String function = call.call().function();
        List<CelExpr> args = call.call().args();
        boolean member = call.call().target().isPresent();
        if (function.equals(CidrFunction.NAME) && args.size() == 1) {
            String literal = stringLiteral(args.get(0));
            String problem = literal == null ? null : CidrFunction.problemWithLiteral(literal);
            if (problem != null) {
                throw invalid(source, position(source, ast, args.get(0)), problem);
            }
        } else if (function.equals("matches") && args.size() == (member ? 1 : 2)) {
            CelExpr pattern = args.get(args.size() - 1);
            String literal = stringLiteral(pattern);
            return literal == null ? MAX_REGEX_PROGRAM : regexProgramSize(source, ast, pattern, literal);
        } else if (PRODUCT_FUNCTIONS.contains(function) && member && !args.isEmpty()) {
            return 0;
        } else if (TIME_ZONE_FUNCTIONS.contains(function) && member && args.size() == 1) {
            String zone = stringLiteral(args.get(0));
            if (zone != null && !Literals.isTimeZone(zone)) {
                throw invalid(source, position(source, ast, args.get(0)), function + ": unknown time zone '"
                        + zone + "' (use an IANA name such as Europe/Berlin, or an offset such as +01:00)");
            }
        } else if ((function.equals("timestamp") || function.equals("duration")) && !member && args.size() == 1) {
            String text = stringLiteral(args.get(0));
            if (text != null && !(function.equals("timestamp") ? Literals.isTimestamp(text)
                    : Literals.isDuration(text))) {
                throw invalid(source, position(source, ast, args.get(0)), function.equals("timestamp")
                        ? "timestamp: '" + text + "' is not an RFC 3339 timestamp (e.g. 2025-01-31T08:00:00Z)"
                        : "duration: '" + text + "' is not a duration (e.g. 90s, 1.5h, 2h30m)");
            }
        }
        return -1;
    }

    private static int regexProgramSize(String source, CelAbstractSyntaxTree ast, CelExpr pattern, String regex) {
        int size;
        try {
            size = Pattern.compile(regex).programSize();
        } catch (PatternSyntaxException e) {
            throw invalid(source, position(source, ast, pattern), "matches: invalid regular expression: "
                    + e.getDescription());
        }
        if (size > MAX_REGEX_PROGRAM) {
            throw invalid(source, position(source, ast, pattern), "matches: the regular expression is too large ("
                    + size + " instructions; at most " + MAX_REGEX_PROGRAM + ")");
        }
        return Math.max(1, size);
    }

    private static String stringLiteral(CelExpr expr) {
        return expr.getKind() == CelExpr.ExprKind.Kind.CONSTANT
                && expr.constant().getKind() == CelConstant.Kind.STRING_VALUE
                ? expr.constant().stringValue() : null;
    }

    private static int position(String source, CelAbstractSyntaxTree ast, CelExpr expr) {
        Integer codePoints = ast.getSource().getPositionsMap().get(expr.id());
        return codePoints == null ? -1 : SourceText.charOffset(source, codePoints);
    }

    private static String typeName(CelType type) {
        return CelTypes.format(type).replace("google.protobuf.Timestamp", "timestamp")
                .replace("google.protobuf.Duration", "duration");
    }

    /** Literal checks that ask CEL itself, so that they accept exactly what evaluation accepts. */
    private static final class Literals {

        private static final Cel CHECKS = CelFactory.plannerCelBuilder()
                .setOptions(OPTIONS)
                .addVar("t", SimpleType.TIMESTAMP)
                .addVar("s", SimpleType.STRING)
                .build();
        private static final CelRuntime.Program TIME_ZONE = program("t.getHours(s)");
        private static final CelRuntime.Program TIMESTAMP = program("timestamp(s)");
        private static final CelRuntime.Program DURATION = program("duration(s)");

        static boolean isTimeZone(String zone) {
            return evaluates(TIME_ZONE, zone);
        }

        static boolean isTimestamp(String text) {
            return evaluates(TIMESTAMP, text);
        }

        static boolean isDuration(String text) {
            return evaluates(DURATION, text);
        }

        private static boolean evaluates(CelRuntime.Program program, String s) {
            try {
                program.eval(Map.of("t", Instant.EPOCH, "s", s));
                return true;
            } catch (CelEvaluationException | RuntimeException e) {
                return false;
            }
        }

        private static CelRuntime.Program program(String source) {
            try {
                return CHECKS.createProgram(CHECKS.compile(source).getAst());
            } catch (CelValidationException | CelEvaluationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }
}
