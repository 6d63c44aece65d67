package dev.keygate.server.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Records the outcome of every end-to-end test run on PostgreSQL in {@code target/postgresql-tests.txt}, one
 * line per test ({@code passed}, {@code failed}, {@code aborted} or {@code disabled}), so that {@code .ci/run}
 * can prove that the PostgreSQL tests ran and none was skipped.
 */
public final class StoreRunRecorder implements TestWatcher {

    static final Path REPORT = Path.of("target", "postgresql-tests.txt");

    @Override
    public void testSuccessful(ExtensionContext context) {
        record(context, "passed");
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        record(context, "failed");
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        record(context, "aborted");
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        record(context, "disabled");
    }

    private static void record(ExtensionContext context, String outcome) {
        boolean postgres = context.getTestInstance()
                .filter(EndToEndTest.class::isInstance)
                .map(t -> ((EndToEndTest) t).store == StoreKind.POSTGRESQL)
                .orElse(false);
        if (!postgres) {
            return;
        }
        String line = outcome + " " + context.getRequiredTestClass().getName() + "#"
                + context.getRequiredTestMethod().getName() + "\n";
        synchronized (StoreRunRecorder.class) {
            try {
                Files.createDirectories(REPORT.getParent());
                Files.writeString(REPORT, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
