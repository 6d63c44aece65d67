package dev.keygate.server.leak;

/**
 * The outcome of checking a secret-scanning partner's signature of a leak report ({@link LeakReportKeys#check}).
 * Anything but {@link #VALID} is a 401 whose detail is {@link #problem()}: it names what is wrong with the request,
 * never which keys the server holds beyond what the sender named.
 */
public enum SignatureCheck {

    /** The signature verifies over the raw body with the key named: the report comes from GitHub. */
    VALID(null),
    /** Only one of the two headers was sent. */
    INCOMPLETE("a signed leak report needs both " + LeakReportKeys.KEY_ID_HEADER + " and "
            + LeakReportKeys.SIGNATURE_HEADER),
    /** The server was started without {@code --leak-report-keys}: it takes reports with a bearer token only. */
    NOT_ACCEPTED("this server does not accept signed leak reports; report with a bearer token holding "
            + "keygate.leaks:report"),
    /** No key of the server's keys file has the identifier named (a key newer than the file, or none of GitHub's). */
    UNKNOWN_KEY(LeakReportKeys.KEY_ID_HEADER + " names no key this server knows"),
    /** The signature header is not base64. */
    NOT_BASE64(LeakReportKeys.SIGNATURE_HEADER + " is not base64"),
    /** The signature is not one of the body by the key named (wrong key, changed body, or not a signature at all). */
    MISMATCH("the signature does not match the body and the key named");

    private final String problem;

    SignatureCheck(String problem) {
        this.problem = problem;
    }

    /** What is wrong, for the 401's detail; {@code null} for {@link #VALID}. */
    public String problem() {
        return problem;
    }
}
