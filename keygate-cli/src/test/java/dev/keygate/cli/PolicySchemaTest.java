package dev.keygate.cli;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published JSON Schema of policy files ({@code docs/policy.schema.json}) is a valid draft 2020-12 schema, the
 * example policy ({@code examples/policy.yaml}) follows it, and files that break the format do not.
 */
class PolicySchemaTest {

    private static final Path SCHEMA = Path.of("..", "docs", "policy.schema.json");
    static final Path EXAMPLE = Path.of("..", "examples", "policy.yaml");

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private static Schema schema() throws IOException {
        return REGISTRY.getSchema(Files.readString(SCHEMA), InputFormat.JSON);
    }

    /** What the schema finds wrong with {@code yaml}, a policy file. */
    static List<String> errors(String yaml) throws IOException {
        return schema().validate(yaml, InputFormat.YAML).stream().map(Error::toString).toList();
    }

    @Test
    void schemaWhenCheckedAgainstTheDraft202012MetaSchemaThenValid() throws IOException {
        Schema meta = REGISTRY.getSchema(SchemaLocation.of(SpecificationVersion.DRAFT_2020_12.getDialectId()));

        List<Error> errors = meta.validate(Files.readString(SCHEMA), InputFormat.JSON);

        assertThat(errors).isEmpty();
        assertThat(meta.validate("{\"type\": 5, \"required\": \"name\"}", InputFormat.JSON))
                .as("the check is live: a broken schema fails it").isNotEmpty();
        assertThat(Files.readString(SCHEMA)).contains("\"$schema\": \"https://json-schema.org/draft/2020-12/schema\"");
    }

    @Test
    void exampleWhenValidatedThenFollowsTheSchema() throws IOException {
        assertThat(errors(Files.readString(EXAMPLE))).isEmpty();
    }

    @Test
    void fileWhenItBreaksTheFormatThenTheSchemaSaysWhere() throws IOException {
        assertThat(errors("""
                version: 1
                roles:
                  - name: reader
                    permissions: [a.b:read]
                    max-ttl: 1h
                """)).singleElement().asString().contains("max-ttl");
        assertThat(errors("""
                version: 1
                roles:
                  - name: reader
                    grants: [{permission: a.b:read, effect: permit}]
                """)).singleElement().asString().contains("/roles/0/grants/0/effect");
        assertThat(errors("""
                version: 2
                roles:
                  - {name: keygate-admin, permissions: ["billing:"]}
                  - {name: empty}
                  - {name: envs, permissions: [a.b:c], environments: ["*", live]}
                """)).hasSizeGreaterThanOrEqualTo(5).anySatisfy(e -> assertThat(e).contains("/version"))
                .anySatisfy(e -> assertThat(e).contains("/roles/0/name"))
                .anySatisfy(e -> assertThat(e).contains("/roles/0/permissions/0"))
                .anySatisfy(e -> assertThat(e).contains("/roles/1"))
                .anySatisfy(e -> assertThat(e).contains("/roles/2/environments"));
    }
}
