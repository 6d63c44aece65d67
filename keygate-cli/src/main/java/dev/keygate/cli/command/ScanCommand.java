package dev.keygate.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keygate.cli.CliContext;
import dev.keygate.cli.CliException;
import dev.keygate.cli.ExitCodes;
import dev.keygate.cli.output.JsonOutput;
import dev.keygate.cli.output.Text;
import dev.keygate.cli.scan.FileWalker;
import dev.keygate.cli.scan.Finding;
import dev.keygate.cli.scan.GitHistory;
import dev.keygate.cli.scan.ScanReport;
import dev.keygate.client.FoundToken;
import dev.keygate.client.KeygateApiException;
import dev.keygate.client.KeygateClient;
import dev.keygate.client.RevokedToken;
import dev.keygate.client.TokenInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code keygate scan [--git] [--revoke] [--offline] [--max-file-size SIZE] [PATH...]}: finds Keygate tokens in files,
 * directories or git history by their shape and offline checksum, and prints where each is, never the token. With a
 * server, names each token and its status by the SHA-256 of its text (the secret never leaves the machine) and,
 * with {@code --revoke}, revokes those still live with reason {@code leaked}.
 */
@Command(
        name = "scan",
        mixinStandardHelpOptions = true,
        description = {
            "Find Keygate tokens in files and directories (default: the current directory), or with --git in every "
                    + "commit of a repository's history, and print where each is: file:line:column (commit:path:"
                    + "line:column in history), never the token itself, only its environment (kg_live_…). "
                    + "Look-alikes whose checksum is wrong are not reported. .git directories, binary files, files "
                    + "over --max-file-size and symbolic links inside directories are skipped; a summary on stderr "
                    + "says what was.",
            "When a server is set (--url, KEYGATE_URL or KEYGATE_TOKEN), each token found is looked up by the SHA-256 "
                    + "of its text, so that the token never leaves this machine, and printed with its id and status "
                    + "(unknown when the server does not know it). This needs keygate.tokens:read; --revoke also "
                    + "revokes every token found that is still active, with its descendants and reason 'leaked', and "
                    + "needs keygate.tokens:revoke."},
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_SCAN_OK, ExitCodes.LINE_SCAN_ERROR, ExitCodes.LINE_USAGE, ExitCodes.LINE_SCAN_FOUND,
            ExitCodes.ENV_HEADING,
            "  KEYGATE_URL    the server to look tokens up on (--url wins)",
            "  KEYGATE_TOKEN  the admin token for the lookups and --revoke",
            "  PATH           where git is found, for --git"})
public final class ScanCommand extends RemoteCommand {

    /** The most hashes one lookup sends (the server's limit). */
    static final int LOOKUP_BATCH = 500;
    static final String REVOKE_REASON = "leaked";
    private static final String DEFAULT_MAX_FILE_SIZE = "10m";

    @Parameters(paramLabel = "PATH", arity = "0..*",
            description = "Files and directories to scan; with --git, repositories (a directory in a work tree, or a "
                    + "bare repository). Default: the current directory.")
    private List<Path> paths;

    @Option(names = "--git", description = "Scan the history instead of the files: every blob reachable from any ref "
            + "(branches, tags, remotes, stashes), so that a token committed and deleted later is found, in the "
            + "commit that added it. Needs git on PATH. Files not committed are not scanned.")
    private boolean git;

    @Option(names = "--revoke", description = "Revoke every token found that is still active (with its descendants), "
            + "with reason 'leaked'. Needs a server and keygate.tokens:revoke.")
    private boolean revoke;

    @Option(names = "--offline", description = "Do not look tokens up, even when a server is set.")
    private boolean offline;

    @Option(names = "--max-file-size", paramLabel = "SIZE", converter = Size.class,
            defaultValue = DEFAULT_MAX_FILE_SIZE,
            description = "Skip files (and blobs) larger than this: bytes, or with k or m for KiB or MiB. "
                    + "Default: ${DEFAULT-VALUE}.")
    private long maxFileSize;

    public ScanCommand(CliContext ctx) {
        super(ctx);
    }

    /** Whether tokens are looked up: a server is set and --offline is not given (--revoke needs one). */
    private boolean online() {
        return !offline && (revoke || urlGiven() || ctx.env("KEYGATE_TOKEN") != null);
    }

    @Override
    protected String adminToken() {
        if (revoke && offline) {
            throw usageError("--revoke needs the server: it cannot be combined with --offline");
        }
        if (!online()) {
            return null;
        }
        String token = ctx.env("KEYGATE_TOKEN");
        if (token == null) {
            throw new CliException(ExitCodes.ERROR, "KEYGATE_TOKEN is not set: looking up the tokens found"
                    + (revoke ? " and revoking them" : " (a server is set)") + " needs an admin token holding "
                    + "keygate.tokens:read" + (revoke ? " and keygate.tokens:revoke" : "")
                    + (revoke ? "" : "; or scan with --offline"));
        }
        return token.strip();
    }

    @Override
    protected int run(KeygateClient client) {
        List<Path> roots = paths == null || paths.isEmpty() ? List.of(Path.of(".")) : paths;
        ScanReport report = new ScanReport();
        if (git) {
            Path executable = gitExecutable();
            for (Path root : roots) {
                if (!Files.isDirectory(root)) {
                    throw new CliException(ExitCodes.ERROR, "no such directory: " + Text.safe(root.toString())
                            + " (--git scans a repository)");
                }
            }
            try {
                for (Path root : roots) {
                    new GitHistory(executable, root, maxFileSize).scan(report);
                }
            } catch (GitHistory.GitException e) {
                throw new CliException(ExitCodes.ERROR, Text.safe(e.getMessage()));
            }
        } else {
            for (Path root : roots) {
                if (!Files.exists(root)) {
                    throw new CliException(ExitCodes.ERROR, "no such file or directory: " + Text.safe(root.toString()));
                }
            }
            new FileWalker(maxFileSize).scan(roots, report);
        }

        List<Finding> findings = report.findings();
        Map<String, TokenInfo> known = online() ? lookUp(client, findings) : null;
        Map<String, RevokedToken> revoked = new LinkedHashMap<>();
        Map<String, String> failed = new LinkedHashMap<>();
        if (revoke) {
            revokeLive(client, known, revoked, failed);
        }
        if (json()) {
            printJson(json(report, known, revoked, failed));
        } else {
            for (Finding f : findings) {
                out().println(line(f, known, revoked, failed));
            }
            out().flush();
        }
        summarize(report, known, revoked, failed);
        if (!report.unreadable().isEmpty() || !failed.isEmpty()) {
            return ExitCodes.ERROR;
        }
        return findings.isEmpty() ? ExitCodes.OK : ExitCodes.FOUND;
    }

    /** The tokens the server knows among those found, by hash; hashes, never tokens, are sent. */
    private static Map<String, TokenInfo> lookUp(KeygateClient client, List<Finding> findings) {
        List<String> hashes = new ArrayList<>(new LinkedHashSet<>(findings.stream().map(Finding::hash).toList()));
        Map<String, TokenInfo> known = new LinkedHashMap<>();
        for (int from = 0; from < hashes.size(); from += LOOKUP_BATCH) {
            for (FoundToken found : client.lookupTokens(hashes.subList(from,
                    Math.min(hashes.size(), from + LOOKUP_BATCH)))) {
                known.put(found.hash(), found.token());
            }
        }
        return known;
    }

    /** Revokes each active token found, once; records each revocation, or why it failed, by hash. */
    private static void revokeLive(KeygateClient client, Map<String, TokenInfo> known,
                                   Map<String, RevokedToken> revoked, Map<String, String> failed) {
        for (Map.Entry<String, TokenInfo> e : known.entrySet()) {
            if (!"active".equals(e.getValue().status())) {
                continue;
            }
            try {
                revoked.put(e.getKey(), client.revokeToken(e.getValue().id(), REVOKE_REASON));
            } catch (KeygateApiException refused) {
                failed.put(e.getKey(), refused.status() + " " + refused.title()
                        + (refused.detail() == null ? "" : ": " + refused.detail()));
            }
        }
    }

    private static String line(Finding f, Map<String, TokenInfo> known, Map<String, RevokedToken> revoked,
                               Map<String, String> failed) {
        StringBuilder sb = new StringBuilder(Text.safe(f.location())).append(": ").append(f.redacted());
        if (known == null) {
            return sb.toString();
        }
        TokenInfo token = known.get(f.hash());
        if (token == null) {
            return sb.append(" unknown").toString();
        }
        sb.append(' ').append(token.id()).append(' ').append(Text.safe(token.status()));
        if (revoked.containsKey(f.hash())) {
            sb.append(" -> revoked");
        } else if (failed.containsKey(f.hash())) {
            sb.append(" (not revoked: ").append(Text.safe(failed.get(f.hash()))).append(')');
        }
        return sb.toString();
    }

    private ObjectNode json(ScanReport report, Map<String, TokenInfo> known, Map<String, RevokedToken> revoked,
                            Map<String, String> failed) {
        ObjectNode root = JsonOutput.mapper().createObjectNode();
        ArrayNode findings = root.putArray("findings");
        for (Finding f : report.findings()) {
            ObjectNode n = findings.addObject();
            if (f.commit() != null) {
                n.put("commit", f.commit());
            }
            n.put("path", f.path()).put("line", f.line()).put("column", f.column()).put("token", f.redacted());
            TokenInfo token = known == null ? null : known.get(f.hash());
            if (known != null) {
                if (token == null) {
                    n.put("status", "unknown");
                } else {
                    n.put("token_id", token.id());
                    n.put("status", revoked.containsKey(f.hash()) ? "revoked" : token.status());
                    if (revoked.containsKey(f.hash())) {
                        n.put("revoked_now", true);
                    }
                }
            }
        }
        if (revoke) {
            ArrayNode done = root.putArray("revoked");
            revoked.values().forEach(r -> done.addObject().put("token_id", r.token().id())
                    .put("revoked_count", r.revokedCount()));
            ArrayNode notDone = root.putArray("revoke_failures");
            failed.forEach((hash, why) -> notDone.addObject().put("token_id", known.get(hash).id()).put("error", why));
        }
        root.put(git ? "blobs_scanned" : "files_scanned", report.scanned()).put("bytes_scanned", report.bytes());
        ObjectNode skipped = root.putObject("skipped");
        skipped.put("binary", report.binary());
        ArrayNode large = skipped.putArray("too_large");
        report.tooLarge().forEach(large::add);
        if (!git) {
            skipped.put("git_directories", report.gitDirectories()).put("symbolic_links", report.links());
        }
        ArrayNode unreadable = root.putArray("unreadable");
        report.unreadable().forEach(unreadable::add);
        return root;
    }

    /** The summary on stderr: what was scanned and skipped, what was found, what was revoked. */
    private void summarize(ScanReport report, Map<String, TokenInfo> known, Map<String, RevokedToken> revoked,
                           Map<String, String> failed) {
        String prefix = "keygate scan: ";
        StringBuilder scanned = new StringBuilder(prefix).append("scanned ")
                .append(Views.count((int) report.scanned(), git ? "blob" : "file")).append(" (")
                .append(size(report.bytes())).append(')');
        List<String> skips = new ArrayList<>();
        if (report.binary() > 0) {
            skips.add(Views.count(report.binary(), "binary " + (git ? "blob" : "file")));
        }
        if (!report.tooLarge().isEmpty()) {
            skips.add(Views.count(report.tooLarge().size(), git ? "blob" : "file") + " over " + size(maxFileSize));
        }
        if (report.gitDirectories() > 0) {
            skips.add(report.gitDirectories() + " .git director" + (report.gitDirectories() == 1 ? "y" : "ies"));
        }
        if (report.links() > 0) {
            skips.add(Views.count(report.links(), "symbolic link"));
        }
        if (!skips.isEmpty()) {
            scanned.append("; skipped ").append(String.join(", ", skips));
        }
        err().println(scanned);
        for (String location : report.tooLarge()) {
            err().println(prefix + "skipped (over " + size(maxFileSize) + "): " + Text.safe(location));
        }
        for (String problem : report.unreadable()) {
            err().println(prefix + "cannot read " + Text.safe(problem));
        }
        List<Finding> findings = report.findings();
        if (findings.isEmpty()) {
            err().println(prefix + "no token found");
        } else {
            long distinct = findings.stream().map(Finding::hash).distinct().count();
            StringBuilder found = new StringBuilder(prefix).append("found ")
                    .append(Views.count(findings.size(), "token"))
                    .append(distinct == findings.size() ? "" : " (" + distinct + " distinct)");
            if (known == null) {
                found.append("; not looked up (set KEYGATE_URL and KEYGATE_TOKEN to name them)");
            } else {
                Map<String, Integer> byStatus = new TreeMap<>();
                for (String hash : new LinkedHashSet<>(findings.stream().map(Finding::hash).toList())) {
                    TokenInfo t = known.get(hash);
                    byStatus.merge(t == null ? "unknown to the server" : Text.safe(t.status()), 1, Integer::sum);
                }
                List<String> parts = new ArrayList<>();
                byStatus.forEach((status, n) -> parts.add(n + " " + status));
                found.append(": ").append(String.join(", ", parts));
            }
            err().println(found);
        }
        if (revoke) {
            if (revoked.isEmpty() && failed.isEmpty()) {
                err().println(prefix + "nothing to revoke: no token found is active");
            }
            if (!revoked.isEmpty()) {
                int total = revoked.values().stream().mapToInt(RevokedToken::revokedCount).sum();
                err().println(prefix + "revoked " + Views.count(revoked.size(), "token") + " with reason '"
                        + REVOKE_REASON + "'" + (total > revoked.size() ? " (" + total + " with their descendants)"
                        : ""));
            }
            for (Map.Entry<String, String> f : failed.entrySet()) {
                err().println(prefix + "could not revoke " + known.get(f.getKey()).id() + ": "
                        + Text.safe(f.getValue()));
            }
        }
        err().flush();
    }

    /** The git executable on the PATH of this command's environment. */
    private Path gitExecutable() {
        String path = ctx.env("PATH");
        if (path != null) {
            for (String dir : path.split(Pattern.quote(File.pathSeparator))) {
                if (dir.isBlank()) {
                    continue;
                }
                for (String name : List.of("git", "git.exe")) {
                    try {
                        Path candidate = Path.of(dir, name);
                        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                            return candidate;
                        }
                    } catch (InvalidPathException ignored) {
                        // A PATH entry that is no path holds no git.
                    }
                }
            }
        }
        throw new CliException(ExitCodes.ERROR, "git was not found on PATH: --git needs the git command (install "
                + "git, or scan a checkout's files without --git)");
    }

    private static String size(long bytes) {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        if (bytes >= 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        if (bytes >= 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return Views.count((int) bytes, "byte");
    }

    /** A size: a whole number of bytes, or of KiB or MiB with {@code k} or {@code m} ({@code 512k}, {@code 10m}). */
    static final class Size implements ITypeConverter<Long> {
        private static final Pattern FORM = Pattern.compile("([1-9][0-9]{0,9})([kKmM]?)");

        @Override
        public Long convert(String value) {
            Matcher m = FORM.matcher(value.strip());
            if (!m.matches()) {
                throw new TypeConversionException("'" + value + "' is not a size such as 1048576, 512k or 10m");
            }
            long n = Long.parseLong(m.group(1));
            long size = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "k" -> n * 1024;
                case "m" -> n * 1024 * 1024;
                default -> n;
            };
            if (size > Integer.MAX_VALUE - 8) {
                throw new TypeConversionException("'" + value + "' is over the largest size, 2047m");
            }
            return size;
        }
    }
}
