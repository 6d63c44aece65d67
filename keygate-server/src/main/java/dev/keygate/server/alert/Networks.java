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
     * An address of a verify event, parsed once.
     *
     * @param text    the address in canonical form, or as given when it is not an address literal
     * @param network its canonical network ({@code 198.51.100.0/24}, {@code 2001:db8:1::/48}; an IPv4-mapped IPv6
     *                address counts as IPv4), or {@code null} when it is not an address literal
     */
    record Address(String text, String network) {
    }

    /** {@code ip} parsed; {@code null} for null. */
    static Address of(String ip) {
        if (ip == null) {
            return null;
        }
        byte[] address;
        try {
            address = IpAddresses.parse(ip);
        } catch (IllegalArgumentException e) {
            return new Address(ip, null);
        }
        int prefix = address.length == 4 ? IPV4_PREFIX : IPV6_PREFIX;
        byte[] network = Arrays.copyOf(address, address.length);
        Arrays.fill(network, prefix / 8, network.length, (byte) 0);
        return new Address(IpAddresses.format(address), IpAddresses.format(network) + "/" + prefix);
    }
}
