package dev.keygate.cli;

/** The exit codes of {@code keygate}, and the help footers that document them. */
public final class ExitCodes {

    /** Success; for {@code verify}: the token is valid and allowed. */
    public static final int OK = 0;
    /** The server refused the request or could not be reached, or a required input is missing. */
    public static final int ERROR = 1;
    /** Bad flags or values (picocli's code for parameter errors), or an invalid server configuration. */
    public static final int USAGE = 2;
    /** {@code verify} or {@code explain} ran, and the token is not valid or not allowed. */
    public static final int DENIED = 3;
    /** {@code scan} ran without error and found tokens. */
    public static final int FOUND = 4;
    /** {@code audit verify} ran, and the audit log is not intact: tampered with, or events outside its chains. */
    public static final int BROKEN = 4;

    // Help footers: each line fits in picocli's 80 columns, continuation lines indented by hand.
    public static final String HEADING = "%nExit codes:%n";
    public static final String LINE_OK = "  0  success";
    public static final String LINE_ERROR =
            "  1  the server refused the request or is unreachable, or KEYGATE_TOKEN is%n     not set";
    public static final String LINE_USAGE = "  2  usage error: bad flags or values";
    public static final String LINE_VERIFY_OK = "  0  the token is valid and allowed";
    public static final String LINE_VERIFY_ERROR =
            "  1  the server refused the request or is unreachable, or no token was given";
    public static final String LINE_DENIED = "  3  the token is not valid or not allowed (the code says why)";
    public static final String LINE_EXPLAIN_OK = "  0  the token would be allowed";
    public static final String LINE_EXPLAIN_ERROR = "  1  the server refused the request or is unreachable, "
            + "KEYGATE_TOKEN is not%n     set, or no token was given";
    public static final String LINE_EXPLAIN_DENIED =
            "  3  the token would be refused (the code and the reason say why)";
    public static final String LINE_SERVE_OK =
            "  0  stopped cleanly; after SIGTERM or Ctrl-C the JVM reports 143 or 130%n     (128 + the signal) instead";
    public static final String LINE_SERVE_ERROR = "  1  the server failed to start or the store could not be used";
    public static final String LINE_SERVE_USAGE =
            "  2  bad flags, or an invalid configuration (each problem is listed)";
    public static final String LINE_SCAN_OK = "  0  no token found, and every file was read";
    public static final String LINE_SCAN_ERROR = "  1  a file could not be read, git failed, the server refused or is "
            + "unreachable,%n     or a revocation failed (the tokens found are still listed)";
    public static final String LINE_SCAN_FOUND = "  4  tokens were found (and nothing went wrong)";
    public static final String LINE_AUDIT_VERIFY_OK = "  0  the audit log is intact";
    public static final String LINE_AUDIT_VERIFY_BROKEN =
            "  4  the audit log is not intact (each chain's first broken link is shown)";
    public static final String ENV_HEADING = "%nEnvironment:";
    public static final String ENV_URL = "  KEYGATE_URL    the server, default http://127.0.0.1:8080 (--url wins)";
    public static final String ENV_TOKEN = "  KEYGATE_TOKEN  the admin token (never taken as an argument)";

    private ExitCodes() {
    }
}
