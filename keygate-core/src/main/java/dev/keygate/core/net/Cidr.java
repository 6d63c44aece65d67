package dev.keygate.core.net;

import java.util.Arrays;
import java.util.Objects;

/**
 * An IPv4 or IPv6 address range in CIDR notation (RFC 4632 §3.1), such as {@code 10.0.0.0/8} or
 * {@code 2001:db8::/32}. Immutable; equal ranges have equal canonical text.
 */
public final class Cidr {

    /** An address literal, a slash and a three-digit prefix. */
    private static final int MAX_LENGTH = IpAddresses.MAX_LENGTH + 4;

    private final byte[] network;
    private final int prefix;
    private final String text;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
        this.text = IpAddresses.format(network) + "/" + prefix;
    }

    /**
     * Parses {@code address/prefix}, or a bare address meaning the single address ({@code /32} or
     * {@code /128}). The address is as for {@link IpAddresses#parse}; the prefix is decimal without sign or
     * leading zeros, 0 to 32 for IPv4 and 0 to 128 for IPv6. An IPv4-mapped address is taken as IPv4, so
     * {@code ::ffff:10.0.0.0/104} is {@code 10.0.0.0/8} and needs a prefix of 96 to 128.
     *
     * @throws NullPointerException if {@code text} is null
     * @throws IllegalArgumentException if the text is malformed, the prefix is out of range, or bits beyond
     *                                  the prefix are set (the message then suggests the network form)
     */
    public static Cidr parse(String text) {
        Objects.requireNonNull(text, "text");
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        String prefixText = slash < 0 ? null : text.substring(slash + 1);
        byte[] address = text.length() > MAX_LENGTH ? null : IpAddresses.parseOrNull(addressText);
        if (address == null || (prefixText != null && !isDecimal(prefixText))) {
            throw new IllegalArgumentException(IpAddresses.quote(text)
                    + " is not an IP address or CIDR range (e.g. 192.0.2.1, 10.0.0.0/8, 2001:db8::/32)");
        }
        int bits = address.length * 8;
        // A mapped address was written in IPv6 notation, so its prefix counts the 96 bits before the IPv4 part.
        int offset = address.length == 4 && addressText.indexOf(':') >= 0 ? 96 : 0;
        int prefix = prefixText == null ? bits : Integer.parseInt(prefixText) - offset;
        if (prefix < 0 || prefix > bits) {
            String family = offset > 0 ? "an IPv4-mapped IPv6" : bits == 32 ? "an IPv4" : "an IPv6";
            throw new IllegalArgumentException(IpAddresses.quote(text) + " has prefix " + prefixText
                    + " out of range; " + family + " prefix is " + offset + " to " + (offset + bits));
        }
        byte[] network = networkOf(address, prefix);
        if (!Arrays.equals(network, address)) {
            throw new IllegalArgumentException(IpAddresses.quote(text) + " has host bits set; did you mean "
                    + new Cidr(network, prefix) + "?");
        }
        return new Cidr(network, prefix);
    }

    /**
     * Whether {@code address} (4 or 16 bytes, as from {@link IpAddresses#parse}) is in this range. An address
     * of the other family is not; a 16-byte IPv4-mapped address counts as the IPv4 address it maps (so it is
     * in IPv4 ranges only, as when parsed), and an array of any other length is in no range. Allocates nothing.
     *
     * @throws NullPointerException if {@code address} is null
     */
    public boolean contains(byte[] address) {
        int offset = 0;
        if (IpAddresses.isIpv4Mapped(address)) {
            if (network.length != 4) {
                return false;
            }
            offset = 12;
        } else if (address.length != network.length) {
            return false;
        }
        int whole = prefix >>> 3;
        for (int i = 0; i < whole; i++) {
            if (address[offset + i] != network[i]) {
                return false;
            }
        }
        int rest = prefix & 7;
        // The top `rest` bits of the byte that the prefix ends in.
        int mask = (0xff00 >>> rest) & 0xff;
        return rest == 0 || ((address[offset + whole] ^ network[whole]) & mask) == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr other && prefix == other.prefix && Arrays.equals(network, other.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    /** The canonical text, always with its prefix: {@code 10.0.0.0/8}, {@code 2001:db8::/32}, {@code ::1/128}. */
    @Override
    public String toString() {
        return text;
    }

    private static boolean isDecimal(String text) {
        if (text.isEmpty() || text.length() > 3 || (text.length() > 1 && text.charAt(0) == '0')) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static byte[] networkOf(byte[] address, int prefix) {
        byte[] network = address.clone();
        int whole = prefix >>> 3;
        if (whole < network.length) {
            network[whole] &= (byte) (0xff00 >>> (prefix & 7));
            Arrays.fill(network, whole + 1, network.length, (byte) 0);
        }
        return network;
    }
}
