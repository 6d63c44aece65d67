package dev.keygate.cli;

/**
 * A failure the command has already explained: its message is printed as {@code keygate: <message>} and the
 * process exits with {@link #exitCode()}. The message must never hold a secret.
 */
public final class CliException extends RuntimeException {

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
