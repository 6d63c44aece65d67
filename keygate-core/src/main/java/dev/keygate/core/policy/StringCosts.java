package dev.keygate.core.policy;

/**
 * The calls in one condition whose work is the product of their two string operands' sizes rather than their
 * sum: {@code s.matches(re)} (the subject's length times the regular expression's program size), and
 * {@code s.contains(t)}, {@code s.indexOf(t)}, {@code s.lastIndexOf(t)} and {@code s.split(t)} (which compare
 * {@code t} at each position of {@code s}: the product of the lengths in the worst case). CEL evaluates the
 * receiver first, then the argument; when the argument has been evaluated, {@link Evaluation} charges the
 * product, before the call runs. Immutable.
 */
final class StringCosts {

    /** For the id of each such argument, 1 + the id of its receiver; 0 for other ids. */
    private final int[] receiverOf;
    /** For the id of each such argument, the cost per character of the receiver, or 0 for the argument's length. */
    private final int[] factor;

    StringCosts(int size) {
        receiverOf = new int[size];
        factor = new int[size];
    }

    void add(long argumentId, long receiverId, int factorOrZero) {
        receiverOf[(int) argumentId] = (int) receiverId + 1;
        factor[(int) argumentId] = factorOrZero;
    }

    int size() {
        return receiverOf.length;
    }

    /** The receiver's id for this argument id, or -1 if the id is not such an argument. */
    int receiverOf(int id) {
        return id < receiverOf.length ? receiverOf[id] - 1 : -1;
    }

    /** The cost per character of the receiver, given the argument. */
    long factor(int id, String argument) {
        return factor[id] > 0 ? factor[id] : Math.max(1, argument.length());
    }
}
