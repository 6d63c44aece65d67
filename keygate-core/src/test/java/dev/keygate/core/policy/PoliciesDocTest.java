package dev.keygate.core.policy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.keygate.core.policy.TestAttributes.request;
import static dev.keygate.core.policy.TestAttributes.subject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** Keeps docs/policies.md true: every example condition in its {@code cel} block compiles and evaluates. */
class PoliciesDocTest {

    private static final Path DOC = Path.of("..", "docs", "policies.md");

    /** The lines of the first {@code ```cel} block, without their {@code //} comments. */
    private static List<String> examples() throws IOException {
        List<String> lines = Files.readAllLines(DOC);
        int start = lines.indexOf("```cel");
        assertThat(start).as("a ```cel block in %s", DOC).isNotNegative();
        List<String> examples = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.equals("```")) {
                break;
            }
            int comment = line.indexOf("//");
            examples.add((comment < 0 ? line : line.substring(0, comment)).strip());
        }
        return examples;
    }

    @Test
    void everyExampleConditionCompilesAndEvaluatesOrFailsClosed() throws IOException {
        List<String> examples = examples();

        assertThat(examples).hasSizeGreaterThanOrEqualTo(8);
        RequestAttributes req = request().resource(java.util.Map.of("owner", "billing-svc", "amount_cents", 5000L))
                .build();
        for (String source : examples) {
            Condition condition = Conditions.compile(source);
            assertThatCode(() -> {
                try {
                    condition.test(req, subject().build());
                } catch (ConditionException e) {
                    // An attribute the fixture lacks: the documented fail-closed path, not a defect.
                }
            }).as(source).doesNotThrowAnyException();
        }
    }
}
