package dev.keygate.cli.output;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table for people: a header row and aligned columns separated by two spaces. Cells go through
 * {@link Text#safe(String)}; {@code null} shows as {@code -}. The last column is not padded.
 */
public final class Table {

    private final List<String> headers;
    private final List<String[]> rows = new ArrayList<>();

    private Table(String... headers) {
        this.headers = List.of(headers);
    }

    public static Table of(String... headers) {
        return new Table(headers);
    }

    /**
     * Adds a row.
     *
     * @throws IllegalArgumentException if it has not one cell per header
     */
    public Table row(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("expected " + headers.size() + " cells, got " + cells.length);
        }
        rows.add(Arrays.stream(cells).map(Text::safe).toArray(String[]::new));
        return this;
    }

    public void print(PrintStream out) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
        }
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        printRow(out, headers.toArray(String[]::new), widths);
        for (String[] row : rows) {
            printRow(out, row, widths);
        }
        out.flush();
    }

    private static void printRow(PrintStream out, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            line.append(cells[i]);
            if (i < cells.length - 1) {
                line.append(" ".repeat(widths[i] - cells[i].length() + 2));
            }
        }
        out.println(line.toString().stripTrailing());
    }
}
