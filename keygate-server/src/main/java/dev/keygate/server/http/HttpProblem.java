package dev.keygate.server.http;

/** A protocol-level failure found by the HTTP layer itself (body too large, wrong media type, bad JSON). */
final class HttpProblem extends RuntimeException {

    private final int status;
    private final String code;
    private final String title;

    HttpProblem(int status, String code, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    String title() {
        return title;
    }
}
