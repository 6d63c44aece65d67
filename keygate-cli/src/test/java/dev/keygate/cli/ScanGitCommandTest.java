package dev.keygate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.core.token.TokenFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.keygate.cli.TestJson.tree;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code keygate scan --git} on a repository generated for each test: a token committed and deleted in a later
 * commit, a token only on another branch, a binary blob, a look-alike; found in the commits that added them.
 */
class ScanGitCommandTest extends CliEndToEndTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    private record Repo(Path root, JsonNode deleted, String deletedCommit, String branchOnly, String branchCommit,
                        List<String> secrets) {
    }

    private Repo history() throws IOException {
        String principal = unique("scan-git-svc");
        JsonNode deleted = server.mint(principal, List.of(principalWithRole(principal, "billing.invoices:read")),
                Map.of());
        String secret = deleted.get("token").asText();
        String branchOnly = TokenFormat.mint("staging", RANDOM);
        String lookAlike = secret.substring(0, secret.length() - 1) + (secret.endsWith("A") ? "B" : "A");
        Path repo = dir.resolve("repo");
        Files.createDirectories(repo);
        git(repo, "init", "-q", "-b", "main");
        write(repo.resolve("README.md"), "# app\n");
        git(repo, "add", ".");
        git(repo, "commit", "-q", "-m", "start");
        write(repo.resolve("deploy/secrets.env"), "# prod\nTOKEN=" + secret + "\nOLD=" + lookAlike + "\n");
        Files.write(repo.resolve("logo.png"), ("\u0089PNG\0\0" + secret).getBytes(StandardCharsets.ISO_8859_1));
        git(repo, "add", ".");
        git(repo, "commit", "-q", "-m", "deploy config");
        String deletedCommit = git(repo, "rev-parse", "HEAD");
        git(repo, "rm", "-q", "deploy/secrets.env", "logo.png");
        git(repo, "commit", "-q", "-m", "oops, remove the secret");
        git(repo, "checkout", "-q", "-b", "feature");
        write(repo.resolve("feature.txt"), "staging token: " + branchOnly + "\n");
        git(repo, "add", ".");
        git(repo, "commit", "-q", "-m", "feature");
        String branchCommit = git(repo, "rev-parse", "HEAD");
        git(repo, "checkout", "-q", "main");
        write(repo.resolve("NOTES.md"), "nothing secret\n");
        git(repo, "add", ".");
        git(repo, "commit", "-q", "-m", "notes");
        return new Repo(repo, deleted, deletedCommit, branchOnly, branchCommit, List.of(secret, branchOnly, lookAlike));
    }

    @Test
    void scanGitWhenATokenWasCommittedThenDeletedThenItIsFoundInTheCommitThatAddedIt() throws IOException {
        Repo repo = history();

        Cli.Result files = withGit(cli()).run("scan", repo.root().toString());
        Cli.Result r = withGit(cli()).run("scan", "--git", repo.root().toString());

        assertThat(files.exitCode()).as("the work tree no longer holds it: " + files.err()).isZero();
        assertThat(r.exitCode()).as(r.err()).isEqualTo(4);
        assertThat(r.out().lines()).containsExactlyInAnyOrder(
                repo.deletedCommit() + ":deploy/secrets.env:2:7: kg_live_\u2026 " + id(repo.deleted()) + " active",
                repo.branchCommit() + ":feature.txt:1:16: kg_staging_\u2026 unknown");
        assertThat(r.err()).contains("; skipped 1 binary blob\n")
                .endsWith("keygate scan: found 2 tokens: 1 active, 1 unknown to the server\n");
        assertNoSecret(r, repo);
    }

    @Test
    void scanGitWhenRevokeThenTheTokenFoundInHistoryIsRevoked() throws IOException {
        Repo repo = history();

        Cli.Result r = withGit(cli()).run("scan", "--git", "--revoke", "--json", repo.root().toString());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(4);
        JsonNode printed = tree(r.out());
        List<JsonNode> findings = new ArrayList<>();
        printed.get("findings").forEach(findings::add);
        assertThat(findings).contains(tree("""
                {"commit": "%s", "path": "deploy/secrets.env", "line": 2, "column": 7, "token": "kg_live_\u2026",
                 "token_id": "%s", "status": "revoked", "revoked_now": true}"""
                .formatted(repo.deletedCommit(), id(repo.deleted()))));
        assertThat(printed.get("revoked")).isEqualTo(tree("[{\"token_id\": \"%s\", \"revoked_count\": 1}]"
                .formatted(id(repo.deleted()))));
        assertThat(printed.get("blobs_scanned").asInt()).isPositive();
        assertThat(server.verify(repo.deleted().get("token").asText(), null).get("code").asText())
                .isEqualTo("REVOKED");
        assertThat(get("/v1/tokens/" + id(repo.deleted())).get("revoke_reason").asText()).isEqualTo("leaked");
        assertNoSecret(r, repo);
    }

    @Test
    void scanGitWhenBlobsAreOverTheSizeLimitThenTheyAreSkippedAndNamed() throws IOException {
        Repo repo = history();

        Cli.Result r = withGit(Cli.bare()).run("scan", "--git", "--max-file-size", "20", repo.root().toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains(":deploy/secrets.env\n").contains("over 20 bytes");
    }

    @Test
    void scanGitWhenGitIsNotOnPathThenExits1SayingSo() {
        Cli.Result r = Cli.bare().env("PATH", dir.resolve("no-bin").toString()).run("scan", "--git", dir.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("keygate: git was not found on PATH: --git needs the git command (install git, "
                + "or scan a checkout's files without --git)\n");
    }

    @Test
    void scanGitWhenTheDirectoryIsNotARepositoryThenExits1SayingSo() throws IOException {
        Path plain = dir.resolve("plain");
        Files.createDirectories(plain);

        Cli.Result r = withGit(Cli.bare()).run("scan", "--git", plain.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("keygate: " + plain + " is not a git repository (--git scans a repository's "
                + "history)\n");
    }

    @Test
    void scanGitWhenTheRepositoryIsMissingThenExits1SayingSo() {
        Cli.Result r = withGit(Cli.bare()).run("scan", "--git", dir.resolve("missing").toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("keygate: no such directory: " + dir.resolve("missing")
                + " (--git scans a repository)\n");
    }

    @Test
    void scanGitWhenTheRepositoryHasNoCommitsThenNothingIsFound() throws IOException {
        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        git(empty, "init", "-q");

        Cli.Result r = withGit(Cli.bare()).run("scan", "--git", empty.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).isEqualTo("keygate scan: scanned 0 blobs (0 bytes)\nkeygate scan: no token found\n");
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static Cli withGit(Cli cli) {
        return cli.env("PATH", System.getenv("PATH"));
    }

    private static void assertNoSecret(Cli.Result r, Repo repo) {
        for (String secret : repo.secrets()) {
            String random = secret.substring(secret.length() - 30);
            assertThat(r.out()).doesNotContain(random);
            assertThat(r.err()).doesNotContain(random);
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** Runs git in {@code repo} with a fixed identity and no user or system configuration; returns its stdout. */
    private static String git(Path repo, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString(), "-c", "user.name=Test",
                "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
