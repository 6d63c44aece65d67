package dev.keygate.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.cli.CliContext;
import dev.keygate.cli.CliException;
import dev.keygate.cli.ExitCodes;
import dev.keygate.cli.output.JsonOutput;
import dev.keygate.client.KeygateClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code keygate policy export [-o FILE]}: the server's roles as a policy file. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Write every role (but keygate-admin) as a policy file in YAML. Needs keygate.roles:read.",
            "The file is canonical: unconditional allows as permissions, every other grant under grants, fields at "
                    + "their defaults left out; 'keygate policy plan -f' of it reports no changes. With --json, the "
                    + "same file as JSON."},
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_OK, ExitCodes.LINE_ERROR, ExitCodes.LINE_USAGE,
            ExitCodes.ENV_HEADING, ExitCodes.ENV_URL, ExitCodes.ENV_TOKEN})
public final class PolicyExportCommand extends AdminCommand {

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the file here (replacing it) instead of to stdout.")
    private Path output;

    public PolicyExportCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(KeygateClient client) {
        JsonNode file = client.exportPolicy();
        if (output == null) {
            if (json()) {
                printJson(file);
            } else {
                out().print(PolicyYaml.write(file));
                out().flush();
            }
            return ExitCodes.OK;
        }
        try {
            Files.writeString(output, json() ? JsonOutput.mapper().writeValueAsString(file) + "\n"
                    : PolicyYaml.write(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "cannot write " + output + ": " + e.getMessage());
        }
        err().println("Wrote " + file.path("roles").size() + " role(s) to " + output + ".");
        return ExitCodes.OK;
    }
}
