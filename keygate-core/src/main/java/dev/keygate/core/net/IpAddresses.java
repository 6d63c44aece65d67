package dev.keygate.core.net;

import java.util.Arrays;
import java.util.Objects;

/**
 * Parses and prints IP address literals as raw bytes: 4 for IPv4, 16 for IPv6, network byte order.
 *
 * <p>Only literals are accepted, never host names, and parsing is done here rather than by
 * {@code InetAddress} so that no input can reach a resolver. IPv4 is a strict dotted quad (RFC 6943 §3.1.1:
 * no octal, hex or short forms). IPv6 is the RFC 4291 §2.2 text form, with no zone id and no brackets. An
 * IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}) is the IPv4 address it maps, so that it matches
 * IPv4 ranges.
 */
public final class IpAddresses {

    /** The longest literal accepted: {@code ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255}. */
    public static final int MAX_LENGTH = 45;

    private static final int QUOTE_LIMIT = 64;

    private IpAddresses() {
    }

    /**
     * Parses an IPv4 or IPv6 literal; surrounding whitespace is not trimmed.
     *
     * @return 4 bytes for IPv4 or an IPv4-mapped IPv6 address, 16 bytes for any other IPv6 address
     * @throws NullPointerException if {@code text} is null
     * @throws IllegalArgumentException if it is not such a literal; the message names the value, e.g.
     *                                  {@code '10.0.0.300' is not an IPv4 or IPv6 address}
     */
    public static byte[] parse(String text) {
        byte[] address = parseOrNull(Objects.requireNonNull(text, "text"));
        if (address == null) {
            throw new IllegalArgumentException(quote(text) + " is not an IPv4 or IPv6 address");
        }
        return address;
    }

    /**
     * The canonical text of {@code address}: dotted quad for IPv4, RFC 5952 for IPv6 (lower case, no leading
     * zeros, the longest run of two or more zero groups as {@code ::}, IPv4-mapped ones as
     * {@code ::ffff:a.b.c.d}).
     *
     * @throws NullPointerException if {@code address} is null
     * @throws IllegalArgumentException if it is not 4 or 16 bytes long
     */
    public static String format(byte[] address) {
        return switch (address.length) {
            case 4 -> formatIpv4(address, 0);
            case 16 -> formatIpv6(address);
            default -> throw new IllegalArgumentException(
                    "an IP address is 4 or 16 bytes, got " + address.length);
        };
    }

    static byte[] parseOrNull(String text) {
        if (text.isEmpty() || text.length() > MAX_LENGTH) {
            return null;
        }
        if (text.indexOf(':') < 0) {
            return parseIpv4(text, 0);
        }
        byte[] address = parseIpv6(text);
        return address != null && isIpv4Mapped(address) ? Arrays.copyOfRange(address, 12, 16) : address;
    }

    /** Whether {@code address} is 16 bytes of the form {@code ::ffff:a.b.c.d} (RFC 4291 §2.5.5.2). */
    static boolean isIpv4Mapped(byte[] address) {
        if (address.length != 16 || address[10] != (byte) 0xff || address[11] != (byte) 0xff) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Quotes a client-supplied value for a message: bounded, and printable ASCII only, so it is safe to log. */
    static String quote(String text) {
        int n = Math.min(text.length(), QUOTE_LIMIT);
        StringBuilder b = new StringBuilder(n + 5).append('\'');
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (text.length() > n) {
            b.append("...");
        }
        return b.append('\'').toString();
    }

    /** Four decimal parts 0-255 from {@code start} to the end, each without leading zeros; null if not. */
    private static byte[] parseIpv4(String text, int start) {
        byte[] out = new byte[4];
        int part = 0;
        int i = start;
        while (true) {
            int from = i;
            int value = 0;
            while (i < text.length() && i - from < 3 && isDecimal(text.charAt(i))) {
                value = value * 10 + (text.charAt(i) - '0');
                i++;
            }
            int digits = i - from;
            if (digits == 0 || value > 255 || (digits > 1 && text.charAt(from) == '0')) {
                return null;
            }
            out[part++] = (byte) value;
            if (part == 4) {
                return i == text.length() ? out : null;
            }
            if (i == text.length() || text.charAt(i) != '.') {
                return null;
            }
            i++;
        }
    }

    /**
     * Groups of 1 to 4 hex digits separated by {@code :}, at most one {@code ::} standing for one or more zero
     * groups, and optionally a dotted quad as the last 32 bits; null if not.
     */
    private static byte[] parseIpv6(String text) {
        byte[] out = new byte[16];
        int length = text.length();
        int gap = -1;
        int j = 0;
        int i = 0;
        if (text.startsWith("::")) {
            gap = 0;
            i = 2;
        } else if (text.charAt(0) == ':') {
            return null;
        }
        while (i < length) {
            int end = i;
            int group = 0;
            while (end < length && end - i <= 4 && hexValue(text.charAt(end)) >= 0) {
                group = group << 4 | hexValue(text.charAt(end));
                end++;
            }
            if (end < length && text.charAt(end) == '.') {
                byte[] ipv4 = j <= 12 ? parseIpv4(text, i) : null;
                if (ipv4 == null) {
                    return null;
                }
                System.arraycopy(ipv4, 0, out, j, 4);
                j += 4;
                break;
            }
            if (end == i || end - i > 4 || j == 16) {
                return null;
            }
            out[j++] = (byte) (group >>> 8);
            out[j++] = (byte) group;
            i = end;
            if (i == length) {
                break;
            }
            if (text.charAt(i) != ':' || ++i == length) {
                return null;
            }
            if (text.charAt(i) == ':') {
                if (gap >= 0) {
                    return null;
                }
                gap = j;
                i++;
            }
        }
        if (gap < 0) {
            return j == 16 ? out : null;
        }
        if (j == 16) {
            return null;
        }
        int tail = j - gap;
        System.arraycopy(out, gap, out, 16 - tail, tail);
        Arrays.fill(out, gap, 16 - tail, (byte) 0);
        return out;
    }

    private static boolean isDecimal(char c) {
        return c >= '0' && c <= '9';
    }

    /** The value of an ASCII hex digit, or -1; not {@link Character#digit}, which also takes non-ASCII digits. */
    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static String formatIpv4(byte[] address, int offset) {
        return (address[offset] & 0xff) + "." + (address[offset + 1] & 0xff) + "."
                + (address[offset + 2] & 0xff) + "." + (address[offset + 3] & 0xff);
    }

    private static String formatIpv6(byte[] address) {
        if (isIpv4Mapped(address)) {
            return "::ffff:" + formatIpv4(address, 12);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int g = 0; g < 8; g++) {
            int run = 0;
            while (g + run < 8 && group(address, g + run) == 0) {
                run++;
            }
            if (run > bestLength) {
                bestStart = g;
                bestLength = run;
            }
            g += run;
        }
        StringBuilder b = new StringBuilder(39);
        for (int g = 0; g < 8; g++) {
            if (g == bestStart) {
                b.append("::");
                g += bestLength - 1;
            } else {
                if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
                    b.append(':');
                }
                b.append(Integer.toHexString(group(address, g)));
            }
        }
        return b.toString();
    }

    private static int group(byte[] address, int g) {
        return (address[2 * g] & 0xff) << 8 | (address[2 * g + 1] & 0xff);
    }
}
