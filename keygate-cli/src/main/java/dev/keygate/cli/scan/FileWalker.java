package dev.keygate.cli.scan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Scans files and directories for tokens. Directories are walked in name order; {@code .git} directories,
 * symbolic links inside them, special files (FIFOs, devices), binary files and files over the size limit are left
 * out, and counted. A path given that is a link is followed.
 */
public final class FileWalker {

    private final long maxFileSize;

    /** @param maxFileSize the largest file read, in bytes; larger ones are skipped */
    public FileWalker(long maxFileSize) {
        this.maxFileSize = maxFileSize;
    }

    /** Scans each of {@code roots} (which must exist) in turn, into {@code report}. */
    public void scan(List<Path> roots, ScanReport report) {
        for (Path root : roots) {
            if (Files.isDirectory(root)) {
                walk(root, report);
            } else {
                scanFile(root, report);
            }
        }
    }

    private void walk(Path root, ScanReport report) {
        // An explicit stack rather than recursion: a deep tree must not overflow the call stack.
        Deque<Path> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            Path dir = pending.pop();
            List<Path> entries = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                stream.forEach(entries::add);
            } catch (IOException | SecurityException e) {
                report.unreadable(dir.toString(), reason(e));
                continue;
            }
            entries.sort(null);
            List<Path> subdirectories = new ArrayList<>();
            for (Path entry : entries) {
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (IOException | SecurityException e) {
                    report.unreadable(entry.toString(), reason(e));
                    continue;
                }
                if (attributes.isSymbolicLink()) {
                    report.skippedLink();
                } else if (attributes.isDirectory()) {
                    if (entry.getFileName().toString().equals(".git")) {
                        report.skippedGitDirectory();
                    } else {
                        subdirectories.add(entry);
                    }
                } else if (attributes.isRegularFile()) {
                    scanFile(entry, report);
                }
            }
            // Pushed in reverse, so that subdirectories are scanned in name order.
            for (int i = subdirectories.size() - 1; i >= 0; i--) {
                pending.push(subdirectories.get(i));
            }
        }
    }

    private void scanFile(Path file, ScanReport report) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        byte[] content;
        try {
            if (Files.size(file) > maxFileSize) {
                report.skippedTooLarge(file.toString());
                return;
            }
        } catch (IOException | SecurityException e) {
            report.unreadable(file.toString(), reason(e));
            return;
        }
        try (InputStream in = Files.newInputStream(file)) {
            // One byte more than allowed tells a file over the limit without reading all of it.
            content = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxFileSize + 1));
        } catch (IOException | SecurityException e) {
            report.unreadable(file.toString(), reason(e));
            return;
        }
        if (content.length > maxFileSize) {
            report.skippedTooLarge(file.toString());
            return;
        }
        report.found(report.read(null, file.toString(), content, content.length));
    }

    private static String reason(Exception e) {
        return switch (e) {
            case AccessDeniedException denied -> "permission denied";
            case NoSuchFileException gone -> "it no longer exists";
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }
}
