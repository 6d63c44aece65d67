package dev.keygate.client;

import java.util.List;

/**
 * The server refused a request: it answered with an error status and, normally, an RFC 9457 problem document
 * ({@code application/problem+json}). The fields are those of the document; when the answer was not a problem
 * document (a proxy's error page, say), {@link #code()} is {@code null} and {@link #title()} describes the status.
 *
 * <p>The message is {@code "<status> <title>: <detail>"}. Anything in the server's text that looks like a token
 * secret is replaced by {@code kg_***} before it is kept.
 */
public class KeygateApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final String detail;
    private final String code;
    private final List<FieldError> errors;

    /**
     * @param status the HTTP status
     * @param type   the problem type URI, for example {@code urn:keygate:problem:not_found}, or {@code null}
     * @param title  a short summary of the problem type; required
     * @param detail what went wrong in this case, or {@code null}
     * @param code   the stable problem code, for example {@code not_found}, or {@code null}
     * @param errors the field errors, or {@code null} for none
     */
    public KeygateApiException(
            int status, String type, String title, String detail, String code, List<FieldError> errors) {
        super(message(status, title, detail));
        this.status = status;
        this.type = type;
        this.title = title;
        this.detail = detail;
        this.code = code;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    private static String message(int status, String title, String detail) {
        return status + " " + title + (detail == null || detail.isBlank() ? "" : ": " + detail);
    }

    /** The HTTP status, for example 404. */
    public int status() {
        return status;
    }

    /** The problem type URI, or {@code null}. */
    public String type() {
        return type;
    }

    /** A short summary of the problem type, for example {@code Not found}. */
    public String title() {
        return title;
    }

    /** What went wrong in this case, or {@code null}. */
    public String detail() {
        return detail;
    }

    /**
     * The stable problem code ({@code validation_failed}, {@code unauthenticated}, {@code forbidden},
     * {@code not_found}, {@code conflict}, ...), or {@code null} when the answer was not a problem document.
     * Prefer it to the status when a program decides what to do.
     */
    public String code() {
        return code;
    }

    /** The field errors of a {@code validation_failed} problem; empty otherwise. */
    public List<FieldError> errors() {
        return errors;
    }
}
