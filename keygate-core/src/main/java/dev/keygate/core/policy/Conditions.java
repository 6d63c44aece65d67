package dev.keygate.core.policy;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiles conditions: CEL expressions (<a href="https://github.com/google/cel-spec">cel-spec</a>), evaluated
 * by Google's {@code dev.cel} runtime, that a role grant may carry.
 *
 * <h2>What an expression sees</h2>
 * <pre>
 * request.ip           string     the client address (context.ip); absent when not given
 * request.time         timestamp  when the request is verified
 * request.environment  string     the environment asked for
 * resource             map(string, dyn)  attributes from the verify request; empty when none
 * token.id             string
 * token.metadata       map(string, dyn)
 * token.environment    string
 * token.created_at     timestamp
 * principal.name       string
 * principal.kind       string     service, integration or user
 * principal.metadata   map(string, dyn)
 * </pre>
 * Names are checked at compile time: {@code request.tiem} or {@code request.time.getHourz()} do not compile.
 * Reading an absent attribute, or a map key that is not there, is an evaluation error; {@code has(resource.x)}
 * and {@code 'x' in resource} test for keys. Besides CEL's standard functions and macros ({@code size},
 * {@code in}, {@code has}, {@code startsWith}, {@code endsWith}, {@code contains}, {@code matches} (RE2: linear
 * time), {@code all}, {@code exists}, {@code exists_one}, {@code map}, {@code filter}, the timestamp accessors
 * such as {@code getHours()} (UTC) and {@code getHours('Europe/Berlin')}...) there are CEL's string extensions
 * but {@code replace} ({@code lowerAscii}, {@code split}, {@code substring}, {@code join}...), and
 * {@code string.inCidr(string)}: whether an IPv4 or IPv6 address is in a CIDR range, as in
 * {@code request.ip.inCidr('10.0.0.0/8')}. Literal CIDR ranges, regular expressions, time zones, timestamps and
 * durations are checked at compile time.
 *
 * <h2>Limits</h2>
 * No expression can stall a verify. {@code dev.cel} 0.14 has no cost estimator and no cost tracking of its own;
 * what bounds an evaluation here:
 * <ul>
 *   <li>at compile time: at most {@value #MAX_LENGTH} characters, nesting at most {@value #MAX_NESTING} levels
 *       deep, at most 1,000 sub-expressions, regular expressions of at most 500 RE2 instructions;</li>
 *   <li>at run time: at most {@value #MAX_ITERATIONS} comprehension iterations in all (CEL's own limit), at
 *       most {@value #MAX_STEPS} evaluated sub-expressions, and at most {@value #MAX_DATA} units of data read
 *       or built, counted through CEL's evaluation listener: each string counts its length and each list or
 *       map its elements and keys, nested, each time it is read or built; a call whose work is the product of
 *       its operands' sizes ({@code matches}: the subject's length times the pattern's RE2 program size;
 *       {@code contains}, {@code indexOf}, {@code lastIndexOf}, {@code split}: the two lengths) counts that
 *       product. The string extension's {@code replace}, whose result can be the product of its operands'
 *       sizes, is left out. So every operation costs at most a constant times data already counted, before
 *       it runs, and an evaluation stopped by a limit has taken milliseconds at most. It fails with a
 *       {@link ConditionException}: the step and data limits fail the whole evaluation, whereas CEL's iteration
 *       limit is an ordinary CEL error, which {@code ||} absorbs when its other side is true.</li>
 * </ul>
 * A condition that reads a large resource or metadata value many times can thus pass the data limit: reading
 * a 40,000-character string three times does.
 *
 * <h2>Caching</h2>
 * Compiled conditions are cached by source text, at most 1,024 of them; the cache is emptied when it fills, so
 * it stays bounded whatever the sources. Compiling is thread-safe, and a compiled {@link Condition} is
 * immutable and may be shared by any number of threads.
 */
public final class Conditions {

    /** The longest source accepted, in {@code char}s. */
    public static final int MAX_LENGTH = 2000;

    /** How deeply an expression may nest: parentheses, operands, selections, calls. */
    public static final int MAX_NESTING = 32;

    /** The most comprehension iterations ({@code all}, {@code exists}, {@code map}...) of one evaluation. */
    public static final int MAX_ITERATIONS = 1000;

    /** The most sub-expressions one evaluation evaluates, counting each evaluation of each. */
    public static final int MAX_STEPS = 10_000;

    /** The most units of data one evaluation reads or builds (see Limits above). */
    public static final int MAX_DATA = 100_000;

    private static final int CACHE_SIZE = 1024;
    private static final ConcurrentHashMap<String, Condition> CACHE = new ConcurrentHashMap<>();

    private Conditions() {
    }

    /**
     * Parses and type-checks a condition, and plans its evaluation. The result type must be {@code bool} (or
     * {@code dyn}, checked when evaluated). Thread-safe; the same source gives the same instance while it is
     * cached.
     *
     * @throws InvalidConditionException for any source that does not compile, naming the position and the
     *                                   problem: null (position -1), empty or blank (position 0), longer than
     *                                   {@value #MAX_LENGTH} (position -1), a syntax error, an unknown name, a
     *                                   type error, a result other than bool, an invalid literal or a
     *                                   compile-time limit; never any other exception
     */
    public static Condition compile(String source) {
        if (source == null) {
            throw new InvalidConditionException(-1, -1, -1, "must not be null");
        }
        if (source.isBlank()) {
            throw new InvalidConditionException(0, 1, 1, "must not be empty");
        }
        if (source.length() > MAX_LENGTH) {
            throw new InvalidConditionException(-1, -1, -1,
                    "is " + source.length() + " characters long; at most " + MAX_LENGTH + " are allowed");
        }
        Condition condition = CACHE.get(source);
        if (condition != null) {
            return condition;
        }
        try {
            condition = ConditionCompiler.compile(source);
        } catch (InvalidConditionException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            // A fault in CEL on some input; its message might quote the input at length, so name the type only.
            throw new InvalidConditionException(-1, -1, -1, "could not be compiled (" + e.getClass().getName() + ")");
        }
        if (CACHE.size() >= CACHE_SIZE) {
            CACHE.clear();
        }
        Condition cached = CACHE.putIfAbsent(source, condition);
        return cached == null ? condition : cached;
    }
}
