package dev.keygate.core.permission;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A boolean combination of permissions, which a verify request may ask instead of a single permission, for
 * example {@code billing.invoices:read AND (billing.refunds:write OR support.*:*)}. The grammar (also in
 * {@code docs/permissions.md}):
 *
 * <pre>
 * query   = or
 * or      = and *( "OR" and )
 * and     = primary *( "AND" primary )
 * primary = permission / "(" or ")"
 * </pre>
 *
 * <p>{@code AND} binds tighter than {@code OR}. The keywords are case-insensitive ({@code and}, {@code Or});
 * a permission always contains {@code ':'}, so a keyword is never mistaken for one. Spaces and tabs separate
 * tokens and may be repeated; parentheses need no space around them. A permission follows the grammar of
 * {@link Permission}, wildcards included. A query is at most {@value #MAX_LENGTH} characters, holds at most
 * {@value #MAX_PERMISSIONS} permissions (counting repeats) and nests parentheses at most {@value #MAX_DEPTH}
 * deep.
 *
 * <p>{@code AND} and {@code OR} are associative, so the parsed tree is flattened: {@code a:x AND (b:x AND c:x)}
 * is the same query as {@code a:x AND b:x AND c:x}. The order of operands is kept, and is the order in which
 * {@link #evaluate} tries them. {@link #toString()} gives the canonical text of the tree (keywords upper case,
 * one space around each keyword, parentheses only where {@code OR} is an operand of {@code AND}), which parses
 * back to an equal query. {@link #equals} compares the trees themselves, not their texts.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class PermissionQuery {

    /** The longest query text accepted, in {@code char}s; its canonical form must fit too. */
    public static final int MAX_LENGTH = 1000;
    /** The most permissions a query may name, counting each occurrence. */
    public static final int MAX_PERMISSIONS = 32;
    /** The deepest parentheses may nest. */
    public static final int MAX_DEPTH = 8;

    private final Node root;
    private final List<Permission> permissions;
    private final String canonical;

    private PermissionQuery(Node root, List<Permission> permissions, String canonical) {
        this.root = root;
        this.permissions = permissions;
        this.canonical = canonical;
    }

    /**
     * Parses a query. A single permission with nothing around it is a valid query too.
     *
     * @throws InvalidQueryException if {@code text} is null, does not follow the grammar or exceeds a limit; its
     *         {@link InvalidQueryException#position() position} says where. Nothing else is thrown, whatever the
     *         text.
     */
    public static PermissionQuery parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidQueryException(0, "must not be empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw new InvalidQueryException(MAX_LENGTH, "must be at most " + MAX_LENGTH + " characters");
        }
        Parser parser = new Parser(text);
        Node root = parser.parseOr();
        parser.expectEnd();
        StringBuilder out = new StringBuilder(text.length() + 16);
        root.appendTo(out);
        if (out.length() > MAX_LENGTH) {
            // Only when the text saves the spaces around parentheses that the canonical form puts back: without
            // this check toString() of an accepted query could fail to parse.
            throw new InvalidQueryException(0, "must be at most " + MAX_LENGTH
                    + " characters once written with one space around each AND, OR and parenthesis (would be "
                    + out.length() + ")");
        }
        return new PermissionQuery(root, List.copyOf(parser.distinct), out.toString());
    }

    /**
     * Whether {@code text} is more than a single permission, that is, contains a space, a tab or a parenthesis
     * (none of which a permission may contain). It does not check that the text is a valid query. Allocates
     * nothing, so the verify path can call it first and keep {@link Permission#parse} for the common case.
     *
     * @return {@code false} for {@code null}
     */
    public static boolean isQuery(String text) {
        if (text == null) {
            return false;
        }
        for (int i = 0, n = text.length(); i < n; i++) {
            if (isDelimiter(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Evaluates this query, asking {@code granted} whether each permission is granted, left to right and only
     * as far as needed: an {@code AND} stops at its first false operand, an {@code OR} at its first true one.
     * Typically {@code granted} is {@code permissionSet::covers}.
     *
     * @throws NullPointerException if {@code granted} is null
     */
    public boolean evaluate(Predicate<Permission> granted) {
        Objects.requireNonNull(granted, "granted");
        return root.evaluate(granted);
    }

    /** The distinct permissions this query names, in order of first appearance; never empty, immutable. */
    public List<Permission> permissions() {
        return permissions;
    }

    /**
     * Equal when both queries have the same flattened tree: the same operators over the same permissions in the
     * same order. {@code a:x AND (b:x AND c:x)} equals {@code a:x AND b:x AND c:x}; {@code a:x OR b:x} does not
     * equal {@code b:x OR a:x}.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof PermissionQuery q && q.root.equals(root);
    }

    @Override
    public int hashCode() {
        return root.hashCode();
    }

    /**
     * The canonical text, for example {@code a:read AND (b:read OR c.*:*)}; {@link #parse} gives back an equal
     * query.
     */
    @Override
    public String toString() {
        return canonical;
    }

    private static boolean isDelimiter(char c) {
        return c == ' ' || c == '\t' || c == '(' || c == ')';
    }

    /**
     * A node of the flattened tree: no {@code And} has an {@code And} operand, no {@code Or} an {@code Or}.
     * Nodes compare structurally.
     */
    private sealed interface Node permits Atom, And, Or {

        boolean evaluate(Predicate<Permission> granted);

        void appendTo(StringBuilder out);
    }

    private record Atom(Permission permission) implements Node {

        @Override
        public boolean evaluate(Predicate<Permission> granted) {
            return granted.test(permission);
        }

        @Override
        public void appendTo(StringBuilder out) {
            out.append(permission);
        }
    }

    /** At least two operands, none of them an {@code And}. */
    private static final class And implements Node {

        private final Node[] operands;

        And(Node[] operands) {
            this.operands = operands;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof And and && Arrays.equals(and.operands, operands);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(operands);
        }

        @Override
        public boolean evaluate(Predicate<Permission> granted) {
            for (Node operand : operands) {
                if (!operand.evaluate(granted)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void appendTo(StringBuilder out) {
            for (int i = 0; i < operands.length; i++) {
                if (i > 0) {
                    out.append(" AND ");
                }
                if (operands[i] instanceof Or) {
                    out.append('(');
                    operands[i].appendTo(out);
                    out.append(')');
                } else {
                    operands[i].appendTo(out);
                }
            }
        }
    }

    /** At least two operands, none of them an {@code Or}. */
    private static final class Or implements Node {

        private final Node[] operands;

        Or(Node[] operands) {
            this.operands = operands;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Or or && Arrays.equals(or.operands, operands);
        }

        @Override
        public int hashCode() {
            // Differs from an And over the same operands.
            return ~Arrays.hashCode(operands);
        }

        @Override
        public boolean evaluate(Predicate<Permission> granted) {
            for (Node operand : operands) {
                if (operand.evaluate(granted)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void appendTo(StringBuilder out) {
            for (int i = 0; i < operands.length; i++) {
                if (i > 0) {
                    out.append(" OR ");
                }
                operands[i].appendTo(out);
            }
        }
    }

    /**
     * Recursive descent over the text, one method per grammar rule. Recursion only happens at a parenthesis,
     * and {@link #MAX_DEPTH} bounds those, so the stack stays shallow whatever the input.
     */
    private static final class Parser {

        private static final int QUOTE_LIMIT = 40;

        private final String text;
        private final int length;
        private final Set<Permission> distinct = new LinkedHashSet<>();
        private int pos;
        private int depth;
        private int atoms;

        Parser(String text) {
            this.text = text;
            this.length = text.length();
        }

        Node parseOr() {
            Node first = parseAnd();
            if (!atKeyword("OR")) {
                return first;
            }
            List<Node> operands = new ArrayList<>();
            addOrOperand(operands, first);
            while (atKeyword("OR")) {
                pos += 2;
                addOrOperand(operands, parseAnd());
            }
            return new Or(operands.toArray(new Node[0]));
        }

        Node parseAnd() {
            Node first = parsePrimary();
            if (!atKeyword("AND")) {
                return first;
            }
            List<Node> operands = new ArrayList<>();
            addAndOperand(operands, first);
            while (atKeyword("AND")) {
                pos += 3;
                addAndOperand(operands, parsePrimary());
            }
            return new And(operands.toArray(new Node[0]));
        }

        /** Adds an operand of an Or: an Or (from parentheses) gives its operands instead, keeping the tree flat. */
        private static void addOrOperand(List<Node> operands, Node node) {
            if (node instanceof Or or) {
                operands.addAll(List.of(or.operands));
            } else {
                operands.add(node);
            }
        }

        /** Adds an operand of an And: an And (from parentheses) gives its operands instead. */
        private static void addAndOperand(List<Node> operands, Node node) {
            if (node instanceof And and) {
                operands.addAll(List.of(and.operands));
            } else {
                operands.add(node);
            }
        }

        Node parsePrimary() {
            skipWhitespace();
            if (pos == length) {
                throw new InvalidQueryException(pos, "expected a permission or '(' but the query ends");
            }
            char c = text.charAt(pos);
            if (c == '(') {
                if (depth == MAX_DEPTH) {
                    throw new InvalidQueryException(pos, "must nest parentheses at most " + MAX_DEPTH + " deep");
                }
                int open = pos++;
                depth++;
                Node inner = parseOr();
                skipWhitespace();
                if (pos == length) {
                    throw new InvalidQueryException(pos, "missing ')' for the '(' at position " + open);
                }
                if (text.charAt(pos) != ')') {
                    throw new InvalidQueryException(pos, "expected AND, OR or ')' but found " + describeToken());
                }
                pos++;
                depth--;
                return inner;
            }
            if (c == ')') {
                throw new InvalidQueryException(pos, "expected a permission or '(' but found ')'");
            }
            int start = pos;
            int end = wordEnd(start);
            if (isKeyword(start, end, "AND") || isKeyword(start, end, "OR")) {
                throw new InvalidQueryException(start, "expected a permission or '(' but found " + describeToken());
            }
            if (++atoms > MAX_PERMISSIONS) {
                throw new InvalidQueryException(start, "must contain at most " + MAX_PERMISSIONS + " permissions");
            }
            Permission permission;
            try {
                permission = Permission.parse(text.substring(start, end));
            } catch (InvalidPermissionException e) {
                throw new InvalidQueryException(start, e.getMessage(), e);
            }
            pos = end;
            distinct.add(permission);
            return new Atom(permission);
        }

        /** After the whole query: only whitespace may be left. */
        void expectEnd() {
            skipWhitespace();
            if (pos == length) {
                return;
            }
            if (text.charAt(pos) == ')') {
                throw new InvalidQueryException(pos, "')' without a matching '('");
            }
            throw new InvalidQueryException(pos, "expected AND, OR or the end of the query but found "
                    + describeToken());
        }

        /** Skips whitespace and tells whether the next token is {@code keyword} (given in upper case). */
        private boolean atKeyword(String keyword) {
            skipWhitespace();
            return pos < length && isKeyword(pos, wordEnd(pos), keyword);
        }

        /** ASCII-only case-insensitive match, so that no locale or Unicode case rule can turn a word into a keyword. */
        private boolean isKeyword(int start, int end, String keyword) {
            if (end - start != keyword.length()) {
                return false;
            }
            for (int i = 0; i < keyword.length(); i++) {
                char c = text.charAt(start + i);
                char k = keyword.charAt(i);
                if (c != k && c != (char) (k + ('a' - 'A'))) {
                    return false;
                }
            }
            return true;
        }

        private void skipWhitespace() {
            while (pos < length && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
                pos++;
            }
        }

        /** The end of the word starting at {@code start}: the next space, tab, parenthesis or the end. */
        private int wordEnd(int start) {
            int end = start;
            while (end < length && !isDelimiter(text.charAt(end))) {
                end++;
            }
            return end;
        }

        /** The token at {@code pos} (not whitespace, not the end), quoted and shortened for a message. */
        private String describeToken() {
            char c = text.charAt(pos);
            if (c == '(' || c == ')') {
                return "'" + c + "'";
            }
            int end = wordEnd(pos);
            if (end - pos <= QUOTE_LIMIT) {
                return "'" + text.substring(pos, end) + "'";
            }
            int cut = pos + QUOTE_LIMIT;
            if (Character.isHighSurrogate(text.charAt(cut - 1))) {
                cut--;
            }
            return "'" + text.substring(pos, cut) + "...'";
        }
    }
}
