package dev.keygate.cli.scan;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Scans every blob reachable from any ref of a git repository (branches, tags, remotes, stashes), each once, with
 * the {@code git} command: {@code rev-list --all --objects} lists them, {@code cat-file} reads them, and one pass of
 * {@code log --raw} over the same history names, for each blob with a token, the first commit that added it and
 * the path it had there. So a token committed and deleted later is found, in the commit that added it.
 */
public final class GitHistory {

    private final Path git;
    private final Path repository;
    private final long maxBlobSize;

    /** A failure of git itself: the repository is missing or broken, or git refused. The message says which. */
    public static final class GitException extends RuntimeException {
        GitException(String message) {
            super(message);
        }
    }

    /**
     * @param git         the git executable
     * @param repository  a directory inside the repository's work tree, or a bare repository
     * @param maxBlobSize the largest blob read, in bytes; larger ones are skipped
     */
    public GitHistory(Path git, Path repository, long maxBlobSize) {
        this.git = git;
        this.repository = repository;
        this.maxBlobSize = maxBlobSize;
    }

    /**
     * Scans the history into {@code report}.
     *
     * @throws GitException if {@code repository} is not a git repository or git fails
     */
    public void scan(ScanReport report) {
        if (run(null, "rev-parse", "--git-dir").exit() != 0) {
            throw new GitException(repository + " is not a git repository (--git scans a repository's history)");
        }
        byte[] objects = check(run(null, "rev-list", "--all", "--objects"), "rev-list --all --objects");
        // Types and sizes of every object listed, the path rev-list gave each echoed back by %(rest).
        byte[] described = check(run(objects, "cat-file",
                "--batch-check=%(objectname) %(objecttype) %(objectsize) %(rest)"), "cat-file --batch-check");
        Map<String, String> pathOf = new LinkedHashMap<>();
        for (String line : lines(described)) {
            String[] parts = line.split(" ", 4);
            if (parts.length < 3 || !parts[1].equals("blob")) {
                continue;
            }
            String path = parts.length == 4 ? parts[3] : "";
            if (Long.parseLong(parts[2]) > maxBlobSize) {
                report.skippedTooLarge(parts[0] + ":" + path);
            } else {
                pathOf.put(parts[0], path);
            }
        }
        Map<String, List<Finding>> byBlob = readBlobs(pathOf, report);
        if (!byBlob.isEmpty()) {
            report.found(place(byBlob));
        }
    }

    /** Reads the blobs with {@code cat-file --batch} and scans each; returns the findings of each blob with any. */
    private Map<String, List<Finding>> readBlobs(Map<String, String> pathOf, ScanReport report) {
        Map<String, List<Finding>> byBlob = new LinkedHashMap<>();
        if (pathOf.isEmpty()) {
            return byBlob;
        }
        StringBuilder request = new StringBuilder();
        pathOf.keySet().forEach(id -> request.append(id).append('\n'));
        Process p = start("cat-file", "--batch");
        CompletableFuture<byte[]> errors = drain(p.getErrorStream());
        CompletableFuture<Void> writing = write(p, request.toString().getBytes(StandardCharsets.US_ASCII));
        boolean complete = false;
        try (InputStream in = p.getInputStream()) {
            for (Map.Entry<String, String> blob : pathOf.entrySet()) {
                String header = readLine(in);
                String[] parts = header == null ? new String[0] : header.split(" ");
                if (parts.length != 3 || !parts[1].equals("blob")) {
                    throw new GitException("git cat-file --batch answered '" + header + "' for blob " + blob.getKey());
                }
                int size = Integer.parseInt(parts[2]);
                byte[] content = in.readNBytes(size);
                in.read(); // the newline after the content
                List<Finding> found = report.read(null, blob.getValue(), content, content.length);
                if (!found.isEmpty()) {
                    byBlob.put(blob.getKey(), found);
                }
            }
            complete = true;
        } catch (IOException e) {
            throw new UncheckedIOException("reading blobs from git cat-file", e);
        } finally {
            if (!complete) {
                // Stopped reading early: git may be blocked writing the rest, and would never exit.
                p.destroyForcibly();
            }
            writing.join();
        }
        finish(p, errors, "cat-file --batch");
        return byBlob;
    }

    /**
     * The findings with the commit that first added each blob (parents before children) and its path there. A
     * blob no commit adds (one a tag points at directly) keeps no commit.
     */
    private List<Finding> place(Map<String, List<Finding>> byBlob) {
        byte[] log = check(run(null, "log", "--all", "--topo-order", "--reverse", "--format=commit %H", "--raw",
                "--no-abbrev", "--no-renames", "-m", "-z"), "log --raw");
        Map<String, String[]> firstAdded = new HashMap<>();
        String commit = null;
        boolean pathNext = false;
        String wanted = null;
        // -z: NUL-separated fields: "commit <id>", then per changed file ":<modes> <old id> <new id> <status>" and
        // its path.
        for (String field : new String(log, StandardCharsets.UTF_8).split("\0")) {
            String f = field.startsWith("\n") ? field.substring(1) : field;
            if (pathNext) {
                if (wanted != null) {
                    firstAdded.putIfAbsent(wanted, new String[] {commit, f});
                }
                pathNext = false;
            } else if (f.startsWith("commit ")) {
                commit = f.substring("commit ".length()).strip();
            } else if (f.startsWith(":")) {
                String[] meta = f.substring(1).split(" ");
                wanted = meta.length >= 5 && byBlob.containsKey(meta[3]) ? meta[3] : null;
                pathNext = true;
            }
        }
        List<Finding> placed = new ArrayList<>();
        for (Map.Entry<String, List<Finding>> e : byBlob.entrySet()) {
            String[] where = firstAdded.get(e.getKey());
            for (Finding f : e.getValue()) {
                placed.add(where == null ? f
                        : new Finding(where[0], where[1], f.line(), f.column(), f.environment(), f.hash()));
            }
        }
        return placed;
    }

    // ---- running git ---------------------------------------------------------------------------------------

    private record Result(int exit, byte[] out, String err) {
    }

    private Result run(byte[] input, String... args) {
        Process p = start(args);
        CompletableFuture<byte[]> errors = drain(p.getErrorStream());
        CompletableFuture<Void> writing = write(p, input == null ? new byte[0] : input);
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        } catch (IOException e) {
            p.destroyForcibly();
            throw new UncheckedIOException("reading the output of git " + args[0], e);
        } finally {
            writing.join();
        }
        int exit = waitFor(p);
        return new Result(exit, out, new String(errors.join(), StandardCharsets.UTF_8).strip());
    }

    private byte[] check(Result r, String what) {
        if (r.exit() != 0) {
            throw new GitException("git " + what + " failed in " + repository + " (exit " + r.exit() + ")"
                    + (r.err().isEmpty() ? "" : ": " + firstLine(r.err())));
        }
        return r.out();
    }

    private void finish(Process p, CompletableFuture<byte[]> errors, String what) {
        int exit = waitFor(p);
        if (exit != 0) {
            String err = new String(errors.join(), StandardCharsets.UTF_8).strip();
            throw new GitException("git " + what + " failed in " + repository + " (exit " + exit + ")"
                    + (err.isEmpty() ? "" : ": " + firstLine(err)));
        }
    }

    private Process start(String... args) {
        List<String> command = new ArrayList<>(List.of(git.toString(), "--no-pager", "-C", repository.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        // The repository is the one named, whatever the environment points git at; and git never prompts.
        pb.environment().remove("GIT_DIR");
        pb.environment().remove("GIT_WORK_TREE");
        pb.environment().remove("GIT_INDEX_FILE");
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        try {
            return pb.start();
        } catch (IOException e) {
            throw new GitException("cannot run " + git + ": " + e.getMessage());
        }
    }

    private static CompletableFuture<Void> write(Process p, byte[] input) {
        return CompletableFuture.runAsync(() -> {
            try (OutputStream out = p.getOutputStream()) {
                out.write(input);
            } catch (IOException e) {
                // git stopped reading (it failed): its exit status and stderr say why.
            }
        }, Thread::startVirtualThread);
    }

    private static CompletableFuture<byte[]> drain(InputStream err) {
        return CompletableFuture.supplyAsync(() -> {
            try (err) {
                return err.readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        }, Thread::startVirtualThread);
    }

    private static int waitFor(Process p) {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new GitException("interrupted while waiting for git");
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private static List<String> lines(byte[] text) {
        List<String> lines = new ArrayList<>();
        for (String line : new String(text, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
