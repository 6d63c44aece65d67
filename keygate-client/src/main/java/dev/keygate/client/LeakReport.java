package dev.keygate.client;

import java.util.Objects;

/**
 * One string a secret scanner found in public, as {@link KeygateClient#reportLeaks} sends it (GitHub's
 * secret-scanning partner format). The server checks each field and answers a 400 naming a bad one
 * ({@code [2].token}).
 *
 * <p>{@link #toString()} leaves the token out, so that logging this object does not leak it.
 *
 * @param token  the string found, 1 to 512 characters: maybe a token, maybe not; required
 * @param type   the scanner's name for the pattern that matched (such as {@code keygate_api_token}), 1 to 100
 *               characters; required
 * @param url    where it was found (at most 2,048 characters), or {@code null}
 * @param source what kind of place that is ({@code content}, {@code commit}, {@code issue_comment}, ...; at most
 *               100 characters), or {@code null}
 */
public record LeakReport(String token, String type, String url, String source) {

    public LeakReport {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(type, "type");
    }

    /** A report of {@code token} found by the pattern {@code type}, without a place. */
    public LeakReport(String token, String type) {
        this(token, type, null, null);
    }

    /** Describes the report; the token is shown as {@code ***}. */
    @Override
    public String toString() {
        return "LeakReport[token=***, type=" + type + ", url=" + url + ", source=" + source + "]";
    }
}
