package dev.keygate.core;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import org.junit.platform.commons.support.AnnotationSupport;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guards the fuzzing set-up of {@code keygate-core/pom.xml} (docs/testing.md): only classes named {@code *FuzzTest}
 * are fuzzed, each in a JVM of its own, and Jazzer fuzzes one {@code @FuzzTest} per JVM and merely skips the
 * others. So a fuzz test in a class named otherwise, or a second one in the same class, would silently never be
 * fuzzed; this test fails instead.
 */
class FuzzTestLayoutTest {

    @Test
    void fuzzTestsWhenScannedThenEachInItsOwnClassNamedFuzzTest() throws IOException, URISyntaxException {
        Map<Class<?>, List<String>> fuzzTests = fuzzTestMethodsByClass();

        assertThat(fuzzTests).as("fuzz tests found in test-classes").isNotEmpty();
        fuzzTests.forEach((type, methods) -> {
            assertThat(type.getSimpleName()).as("class of @FuzzTest %s", methods).endsWith("FuzzTest");
            assertThat(methods).as("@FuzzTest methods of %s (Jazzer fuzzes one per JVM)", type.getName())
                    .hasSize(1);
        });
    }

    /** Every test class that has a {@code @FuzzTest} or is named like a fuzz test, with its fuzz test methods. */
    private static Map<Class<?>, List<String>> fuzzTestMethodsByClass() throws IOException, URISyntaxException {
        Path root = Path.of(FuzzTestLayoutTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<Class<?>, List<String>> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(f -> f.toString().endsWith(".class")).map(f -> load(root.relativize(f))).forEach(type -> {
                List<String> methods = fuzzTestMethods(type);
                if (!methods.isEmpty() || type.getSimpleName().endsWith("FuzzTest")) {
                    out.put(type, methods);
                }
            });
        }
        return out;
    }

    private static List<String> fuzzTestMethods(Class<?> type) {
        return Arrays.stream(type.getDeclaredMethods())
                .filter(m -> AnnotationSupport.isAnnotated(m, FuzzTest.class))
                .map(Method::getName)
                .toList();
    }

    private static Class<?> load(Path classFile) {
        String name = classFile.toString().replace(classFile.getFileSystem().getSeparator(), ".");
        try {
            return Class.forName(name.substring(0, name.length() - ".class".length()), false,
                    FuzzTestLayoutTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
