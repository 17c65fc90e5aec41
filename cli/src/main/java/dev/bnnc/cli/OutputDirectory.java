package dev.bnnc.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a set of generated files into a folder all at once: everything is written to a staging
 * folder beside the target first and moved into place only when complete, so a failure leaves
 * nothing half-written behind.
 */
public final class OutputDirectory {
    private final Path dir;
    private final Map<String, byte[]> files = new LinkedHashMap<>();

    public OutputDirectory(Path dir) {
        this.dir = dir;
    }

    /** A single file to write atomically, anywhere. */
    public static OutputDirectory singleFile(Path file, byte[] content) {
        Path absolute = file.toAbsolutePath();
        OutputDirectory dir = new OutputDirectory(absolute.getParent());
        dir.add(absolute.getFileName().toString(), content);
        return dir;
    }

    /** Queues a text file at {@code relativePath} (with '/' separators), in UTF-8. */
    public void add(String relativePath, String content) {
        add(relativePath, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Queues a binary file at {@code relativePath}. */
    public void add(String relativePath, byte[] content) {
        files.put(relativePath, content);
    }

    /** Writes every queued file, or none. */
    public void commit() {
        Path parent = dir.toAbsolutePath().getParent();
        Path staging = null;
        try {
            Files.createDirectories(dir);
            staging = Files.createTempDirectory(parent, ".bnnc-staging-");
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Path p = staging.resolve(f.getKey());
                Files.createDirectories(p.getParent());
                Files.write(p, f.getValue());
            }
            for (String rel : files.keySet()) {
                Path target = dir.resolve(rel);
                Files.createDirectories(target.getParent());
                move(staging.resolve(rel), target);
            }
        } catch (IOException e) {
            throw new UserException("cannot write to " + dir + ": " + e.getMessage());
        } finally {
            if (staging != null) {
                deleteTree(staging);
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // Best effort: the staging folder is hidden and holds only our own output.
        }
    }
}
