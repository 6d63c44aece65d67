package dev.keygate.core.error;

/** The named thing does not exist. Maps to 404. */
public final class NotFoundException extends KeygateException {

    public NotFoundException(String what, String name) {
        super("not_found", what + " '" + name + "' does not exist");
    }
}
