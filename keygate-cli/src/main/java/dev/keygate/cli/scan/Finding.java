package dev.keygate.cli.scan;

import java.util.Objects;

/**
 * One token found: where, and which token by the SHA-256 of its text (the form in which the server stores it and
 * can look it up). It holds no secret.
 *
 * @param commit      the commit that added the token, for a finding in git history; {@code null} for a file (or a
 *                    blob no commit adds, such as one a tag points at)
 * @param path        the file, as reached from the path given, or the path in the commit
 * @param line        1-based
 * @param column      1-based, in characters (UTF-8 decoded)
 * @param environment the token's environment ({@code live}), which is not secret
 * @param hash        the SHA-256 of the token, 64 lower-case hex digits
 */
public record Finding(String commit, String path, int line, int column, String environment, String hash) {

    public Finding {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(hash, "hash");
    }

    /** What may be shown of the token: {@code kg_<environment>_…}. */
    public String redacted() {
        return "kg_" + environment + "_\u2026";
    }

    /** {@code path:line:column}, or {@code commit:path:line:column}. */
    public String location() {
        String place = path + ":" + line + ":" + column;
        return commit == null ? place : commit + ":" + place;
    }
}
