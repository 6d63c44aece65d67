package dev.keygate.cli.command;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import dev.keygate.cli.CliException;
import dev.keygate.cli.ExitCodes;
import dev.keygate.cli.output.Text;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

/**
 * Policy files in YAML ({@code docs/policy-as-code.md}), read strictly and written canonically. Reading keeps only
 * the YAML that means one thing: a duplicate key, a second document or an alias ({@code *name}) is an error, and
 * every error names the line and column. The content is checked by the server, which reports every problem with
 * its path in the file. Writing quotes every value that a YAML reader could take for anything but a string.
 */
final class PolicyYaml {

    /** What a policy file starts with when Keygate writes it. */
    static final String HEADER = "# Keygate policy file (docs/policy-as-code.md): every role but keygate-admin.\n";

    /**
     * Values written without quotes: they start with a letter and hold nothing a YAML reader treats specially
     * (YAML 1.1 booleans and nulls, ": " and " #" are left to the default checks); and durations such as {@code 1h}.
     */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z][A-Za-z0-9 ._:*/,()'-]*|[1-9][0-9]{0,8}[smhd]");

    private static final YAMLMapper MAPPER = YAMLMapper.builder(YAMLFactory.builder()
                    .loaderOptions(loaderOptions())
                    .stringQuotingChecker(new Quoting())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();

    private PolicyYaml() {
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        // A policy file is small (the server takes 64 KiB of JSON); refuse anything far larger before parsing it.
        options.setCodePointLimit(1024 * 1024);
        return options;
    }

    /**
     * Parses {@code text}, the content of {@code source} (a file name, or {@code stdin}).
     *
     * @throws CliException (exit 1) saying where and what is wrong
     */
    static JsonNode read(String source, String text) {
        try {
            rejectAliases(source, text);
            JsonNode file = MAPPER.readTree(text);
            if (file == null || file.isMissingNode() || file.isNull()) {
                throw new CliException(ExitCodes.ERROR, Text.safe(source) + ": the file is empty; a policy file is "
                        + "'version: 1' and a list of roles (see 'keygate policy export')");
            }
            return file;
        } catch (JsonProcessingException e) {
            throw new CliException(ExitCodes.ERROR, Text.safe(source) + ":" + describe(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A policy file as YAML, with {@link #HEADER}. */
    static String write(JsonNode file) {
        try {
            return HEADER + MAPPER.writeValueAsString(file);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Refuses aliases: the YAML reader would hand over the alias's name in place of the value it stands for,
     * silently.
     */
    private static void rejectAliases(String source, String text) throws IOException {
        try (JsonParser p = MAPPER.createParser(text)) {
            while (p.nextToken() != null) {
                if (p instanceof YAMLParser y && y.isCurrentAlias()) {
                    JsonLocation at = p.currentTokenLocation();
                    throw new CliException(ExitCodes.ERROR, Text.safe(source) + ":" + at.getLineNr() + ":"
                            + at.getColumnNr() + ": YAML aliases (*" + Text.safe(p.getText()) + ") are not allowed in policy files; "
                            + "write the value out");
                }
            }
        }
    }

    /** {@code LINE:COLUMN: problem} for a YAML syntax error or a duplicate key. */
    private static String describe(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException m && m.getProblemMark() != null) {
                return (m.getProblemMark().getLine() + 1) + ":" + (m.getProblemMark().getColumn() + 1) + ": "
                        + Text.safe(m.getProblem()) + (m.getContext() == null ? "" : " (" + Text.safe(m.getContext())
                        + ")");
            }
        }
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : at.getLineNr() + ":" + at.getColumnNr() + ":";
        String message = e.getOriginalMessage();
        if (message != null && message.startsWith("Trailing token")) {
            message = "a policy file is one YAML document; this one goes on after its end (a second '---'?)";
        }
        return where + " " + Text.safe(message);
    }

    /** The default checks, and quotes for anything not {@link #PLAIN}. */
    private static final class Quoting extends StringQuotingChecker.Default {
        @Override
        public boolean needToQuoteValue(String value) {
            return super.needToQuoteValue(value) || !PLAIN.matcher(value).matches();
        }
    }
}
