package dev.keygate.cli;

import dev.keygate.client.KeygateClient;
import picocli.CommandLine;

/** {@code keygate --version}: the version in the jar's manifest when there is one, else the built-in one. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String fromManifest = Main.class.getPackage().getImplementationVersion();
        return new String[] {"keygate " + (fromManifest != null ? fromManifest : KeygateClient.VERSION)};
    }
}
