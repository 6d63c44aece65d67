package dev.keygate.core.net;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The networks a token may be used from: an immutable, ordered list of 1 to {@value #MAX} distinct
 * {@link Cidr} ranges. There is no empty list: a token that may be used from anywhere has no
 * {@code AllowedNetworks} at all, so "unbound" and "bound to nothing" cannot be confused.
 */
public final class AllowedNetworks {

    /** The most ranges one list may hold, counted after duplicates are folded. */
    public static final int MAX = 100;

    private final List<Cidr> cidrs;
    private final String text;

    private AllowedNetworks(List<Cidr> cidrs) {
        this.cidrs = cidrs;
        this.text = cidrs.stream().map(Cidr::toString).collect(Collectors.joining(" "));
    }

    /**
     * The given ranges with duplicates folded, in first-seen order.
     *
     * @throws NullPointerException if {@code cidrs} or one of its elements is null
     * @throws IllegalArgumentException if there are no ranges, or more than {@value #MAX} distinct ones
     */
    public static AllowedNetworks of(List<Cidr> cidrs) {
        List<Cidr> distinct = List.copyOf(new LinkedHashSet<>(List.copyOf(cidrs)));
        if (distinct.isEmpty()) {
            throw new IllegalArgumentException("at least one network is required");
        }
        if (distinct.size() > MAX) {
            throw new IllegalArgumentException(
                    "at most " + MAX + " networks are allowed, got " + distinct.size());
        }
        return new AllowedNetworks(distinct);
    }

    /**
     * Reads the form written by {@link #toText()}: ranges as for {@link Cidr#parse}, separated by
     * whitespace (any amount, as text from elsewhere may be spaced loosely).
     *
     * @throws NullPointerException if {@code text} is null
     * @throws IllegalArgumentException as {@link Cidr#parse} for the first bad range, or as {@link #of}
     */
    public static AllowedNetworks parseText(String text) {
        String trimmed = text.strip();
        List<Cidr> cidrs = new ArrayList<>();
        if (!trimmed.isEmpty()) {
            for (String part : trimmed.split("\\s+")) {
                cidrs.add(Cidr.parse(part));
            }
        }
        return of(cidrs);
    }

    /**
     * Whether {@code address} (as from {@link IpAddresses#parse}) is in one of the ranges; see
     * {@link Cidr#contains}. Allocates nothing.
     *
     * @throws NullPointerException if {@code address} is null
     */
    public boolean allows(byte[] address) {
        for (int i = 0; i < cidrs.size(); i++) {
            if (cidrs.get(i).contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The ranges, distinct, in the order first given; unmodifiable. */
    public List<Cidr> cidrs() {
        return cidrs;
    }

    /** The canonical text for storage: the canonical ranges separated by single spaces. */
    public String toText() {
        return text;
    }

    /** Equal when they hold the same ranges in the same order. */
    @Override
    public boolean equals(Object o) {
        return o instanceof AllowedNetworks other && cidrs.equals(other.cidrs);
    }

    @Override
    public int hashCode() {
        return cidrs.hashCode();
    }

    /** The same as {@link #toText()}. */
    @Override
    public String toString() {
        return text;
    }
}
