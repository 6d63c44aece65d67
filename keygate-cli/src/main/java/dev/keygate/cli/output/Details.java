package dev.keygate.cli.output;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * One object for people: a {@code key  value} line per field, the values aligned. Values go through
 * {@link Text#safe(String)}; {@code null} shows as {@code -}.
 */
public final class Details {

    private final List<String[]> lines = new ArrayList<>();

    public Details add(String key, String value) {
        lines.add(new String[] {key, Text.safe(value)});
        return this;
    }

    public void print(PrintStream out) {
        int width = lines.stream().mapToInt(l -> l[0].length()).max().orElse(0);
        for (String[] l : lines) {
            out.println(l[0] + " ".repeat(width - l[0].length() + 2) + l[1]);
        }
        out.flush();
    }
}
