package dev.keygate.server.alert;

import dev.keygate.core.net.IpAddresses;

import java.util.Arrays;

/** The network an address belongs to, for the {@code new_network} rule: its /24 (IPv4) or /48 (IPv6). */
final class Networks {

    static final int IPV4_PREFIX = 24;
    static final int IPV6_PREFIX = 48;

    private Networks() {
    }

    /**
     * The canonical network of {@code ip}, such as {@code 198.51.100.0/24} or {@code 2001:db8:1::/48}; an
     * IPv4-mapped IPv6 address counts as IPv4.
     *
     * @return {@code null} when {@code ip} is null or not an address literal
     */
    static String of(String ip) {
        if (ip == null) {
            return null;
        }
        byte[] address;
        try {
            address = IpAddresses.parse(ip);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int prefix = address.length == 4 ? IPV4_PREFIX : IPV6_PREFIX;
        byte[] network = Arrays.copyOf(address, address.length);
        Arrays.fill(network, prefix / 8, network.length, (byte) 0);
        return IpAddresses.format(network) + "/" + prefix;
    }

    /** {@code ip} in canonical form, or as given when it is not an address literal; {@code null} for null. */
    static String canonical(String ip) {
        if (ip == null) {
            return null;
        }
        try {
            return IpAddresses.format(IpAddresses.parse(ip));
        } catch (IllegalArgumentException e) {
            return ip;
        }
    }
}
