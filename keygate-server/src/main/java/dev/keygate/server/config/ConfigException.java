package dev.keygate.server.config;

import java.util.List;

/** The configuration is invalid. The message lists every problem, each naming the option and the bad value. */
public final class ConfigException extends IllegalArgumentException {

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem, one line each, for example {@code --listen (KEYGATE_LISTEN): 'x' is not host:port}. */
    public List<String> problems() {
        return problems;
    }
}
