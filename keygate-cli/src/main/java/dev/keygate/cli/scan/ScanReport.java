package dev.keygate.cli.scan;

import dev.keygate.core.token.TokenFormat;

import java.util.ArrayList;
import java.util.List;

/** What one scan found and what it left out: the findings in order, and counts of what was scanned or skipped. */
public final class ScanReport {

    private final List<Finding> findings = new ArrayList<>();
    private final List<String> tooLarge = new ArrayList<>();
    private final List<String> unreadable = new ArrayList<>();
    private long scanned;
    private long bytes;
    private int binary;
    private int gitDirectories;
    private int links;

    /**
     * Reads one text: unless it is binary (then it is only counted as such), counts it and returns the tokens in it,
     * found at {@code path} (in {@code commit}, for history). Does not add them: see {@link #found}.
     */
    List<Finding> read(String commit, String path, byte[] content, int length) {
        if (TokenFinder.isBinary(content, length)) {
            binary++;
            return List.of();
        }
        scanned++;
        bytes += length;
        List<Finding> read = new ArrayList<>();
        for (TokenFinder.Match m : TokenFinder.find(content, length)) {
            read.add(new Finding(commit, path, m.line(), m.column(), TokenFormat.environmentOf(m.token()),
                    TokenFormat.hash(m.token())));
        }
        return read;
    }

    /** Adds findings, in order. */
    void found(List<Finding> more) {
        findings.addAll(more);
    }

    void skippedTooLarge(String location) {
        tooLarge.add(location);
    }

    void unreadable(String location, String why) {
        unreadable.add(location + ": " + why);
    }

    void skippedGitDirectory() {
        gitDirectories++;
    }

    void skippedLink() {
        links++;
    }

    /** Every token found, in the order met. */
    public List<Finding> findings() {
        return List.copyOf(findings);
    }

    /** How many files (or blobs) were searched: read, and not binary. */
    public long scanned() {
        return scanned;
    }

    /** How many bytes those held. */
    public long bytes() {
        return bytes;
    }

    /** How many of those were binary and not searched. */
    public int binary() {
        return binary;
    }

    /** The files (or blobs) over the size limit, not read. */
    public List<String> tooLarge() {
        return List.copyOf(tooLarge);
    }

    /** {@code location: why} for each file or directory that could not be read. */
    public List<String> unreadable() {
        return List.copyOf(unreadable);
    }

    /** How many {@code .git} directories were left out. */
    public int gitDirectories() {
        return gitDirectories;
    }

    /** How many symbolic links inside the directories scanned were not followed. */
    public int links() {
        return links;
    }
}
