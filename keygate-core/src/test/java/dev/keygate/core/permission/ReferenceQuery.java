package dev.keygate.core.permission;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * An independent model of a permission query, written from the grammar in the Javadoc of
 * {@link PermissionQuery} rather than from its code: a tree of permission texts under AND and OR nodes, kept
 * exactly as generated (not flattened), with a straightforward evaluation, a fully parenthesised rendering in
 * a chosen {@link Style}, and the canonical text the Javadoc promises.
 */
sealed interface ReferenceQuery {

    /** A permission text. */
    record Leaf(String permission) implements ReferenceQuery {
    }

    /** AND ({@code and} true) or OR of two or more operands. */
    record Junction(boolean and, List<ReferenceQuery> operands) implements ReferenceQuery {
    }

    /**
     * How to write a tree: keyword spelling, the whitespace around keywords, whether parentheses get spaces
     * inside them, and whether every permission gets redundant parentheses of its own.
     */
    record Style(String and, String or, String gap, boolean spacedParens, boolean parenthesiseLeaves) {
    }

    /** Evaluates every operand left to right, stopping where AND meets false or OR meets true. */
    default boolean evaluate(Predicate<Permission> granted) {
        return switch (this) {
            case Leaf leaf -> granted.test(Permission.parse(leaf.permission()));
            case Junction j when j.and() -> j.operands().stream().allMatch(o -> o.evaluate(granted));
            case Junction j -> j.operands().stream().anyMatch(o -> o.evaluate(granted));
        };
    }

    /** Every operand that is itself a junction in parentheses, whether or not precedence needs them. */
    default String render(Style style) {
        return switch (this) {
            case Leaf leaf -> style.parenthesiseLeaves() ? parenthesise(leaf.permission(), style) : leaf.permission();
            case Junction j -> j.operands().stream()
                    .map(o -> o instanceof Junction ? parenthesise(o.render(style), style) : o.render(style))
                    .collect(Collectors.joining(style.gap() + (j.and() ? style.and() : style.or()) + style.gap()));
        };
    }

    private static String parenthesise(String text, Style style) {
        return style.spacedParens() ? "( " + text + " )" : "(" + text + ")";
    }

    /**
     * The canonical text: nested junctions of the same kind merged (both operators are associative), keywords
     * upper case with one space around them, and parentheses only around an OR that is an operand of an AND.
     */
    default String canonical() {
        return switch (this) {
            case Leaf leaf -> leaf.permission();
            case Junction j -> flatten(j).stream()
                    .map(o -> j.and() && o instanceof Junction inner && !inner.and()
                            ? "(" + o.canonical() + ")"
                            : o.canonical())
                    .collect(Collectors.joining(j.and() ? " AND " : " OR "));
        };
    }

    /** The operands of {@code j}, with those of nested junctions of the same kind spliced in, in order. */
    private static List<ReferenceQuery> flatten(Junction j) {
        List<ReferenceQuery> out = new ArrayList<>();
        for (ReferenceQuery o : j.operands()) {
            if (o instanceof Junction inner && inner.and() == j.and()) {
                out.addAll(flatten(inner));
            } else {
                out.add(o);
            }
        }
        return out;
    }

    /** The permission texts from left to right, without repeats. */
    default List<String> distinctPermissions() {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        collect(this, out);
        return List.copyOf(out);
    }

    private static void collect(ReferenceQuery q, LinkedHashSet<String> out) {
        switch (q) {
            case Leaf leaf -> out.add(leaf.permission());
            case Junction j -> j.operands().forEach(o -> collect(o, out));
        }
    }
}
