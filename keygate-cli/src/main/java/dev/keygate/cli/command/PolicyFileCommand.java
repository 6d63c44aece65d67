package dev.keygate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.cli.CliContext;
import dev.keygate.cli.CliException;
import dev.keygate.cli.ExitCodes;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A command that reads a policy file: {@code -f FILE}, or {@code -f -} for stdin. */
abstract class PolicyFileCommand extends AdminCommand {

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
            description = "The policy file (YAML, or JSON); - reads it from stdin.")
    private String file;

    protected PolicyFileCommand(CliContext ctx) {
        super(ctx);
    }

    /**
     * The file, parsed; its content is checked by the server.
     *
     * @throws CliException (exit 1) if it cannot be read or is not well-formed YAML
     */
    protected JsonNode policyFile() {
        String source = file.equals("-") ? "stdin" : file;
        String text;
        try {
            text = file.equals("-") ? new String(ctx.stdin().readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCodes.ERROR, "cannot read " + source + ": no such file");
        } catch (CharacterCodingException e) {
            throw new CliException(ExitCodes.ERROR, "cannot read " + source + ": it is not UTF-8 text");
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "cannot read " + source + ": " + e.getMessage());
        }
        return PolicyYaml.read(source, text);
    }
}
