package dev.keygate.core.policy;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelFunctionBinding;
import dev.keygate.core.net.Cidr;
import dev.keygate.core.net.IpAddresses;

import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code string.inCidr(string) -> bool}: whether an IP address literal is in a CIDR range, IPv4 or IPv6,
 * parsed strictly by {@link IpAddresses} and {@link Cidr} (literals only, never a host name, so no DNS). A
 * malformed address or range is an evaluation error, and a malformed literal range a compile error.
 */
final class CidrFunction {

    static final String NAME = "inCidr";

    static final CelFunctionDecl DECLARATION = CelFunctionDecl.newFunctionDeclaration(NAME,
            CelOverloadDecl.newMemberOverload("string_in_cidr_string", SimpleType.BOOL, SimpleType.STRING,
                    SimpleType.STRING));

    static final CelFunctionBinding BINDING = CelFunctionBinding.from("string_in_cidr_string", String.class,
            String.class, CidrFunction::inCidr);

    /** Parsed ranges by text, so that a literal range is parsed once, not on every evaluation. */
    private static final ConcurrentHashMap<String, Cidr> RANGES = new ConcurrentHashMap<>();
    private static final int MAX_RANGES = 1024;

    private CidrFunction() {
    }

    static boolean inCidr(String address, String range) {
        Cidr cidr = RANGES.get(range);
        if (cidr == null) {
            try {
                cidr = Cidr.parse(range);
            } catch (IllegalArgumentException e) {
                throw new EvaluationFailure("inCidr: the range is not a CIDR range (e.g. 10.0.0.0/8, 2001:db8::/32)");
            }
            if (RANGES.size() >= MAX_RANGES) {
                RANGES.clear();
            }
            RANGES.put(range, cidr);
        }
        byte[] bytes;
        try {
            bytes = IpAddresses.parse(address);
        } catch (IllegalArgumentException e) {
            throw new EvaluationFailure("inCidr: the address is not an IPv4 or IPv6 address");
        }
        return cidr.contains(bytes);
    }

    /**
     * What is wrong with a literal range, or null if it is valid.
     */
    static String problemWithLiteral(String range) {
        try {
            Cidr.parse(range);
            return null;
        } catch (IllegalArgumentException e) {
            return "inCidr: " + e.getMessage();
        }
    }
}
