package dev.workbench.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes a folder so that readers only ever see it whole: files go into a hidden temporary sibling, a marker file is
 * written last, then the folder is renamed into place (an atomic rename on one file system). A folder without the
 * marker is torn and must never be loaded.
 */
public final class AtomicDirectory {
    /** Written last into every committed folder (runs, checkpoints, generators, reports). */
    public static final String COMMIT_MARKER = "COMMITTED";

    private AtomicDirectory() {
    }

    /** A fresh temporary folder next to {@code target} (same file system, so the final rename is atomic). */
    public static Path staging(Path target) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        return Files.createTempDirectory(target.toAbsolutePath().getParent(), "." + target.getFileName() + ".tmp-");
    }

    /** Writes the marker into {@code staging} and renames it to {@code target}. {@code target} must not exist. */
    public static Path commit(Path staging, Path target) throws IOException {
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        Files.writeString(staging.resolve(COMMIT_MARKER), "ok\n");
        return publish(staging, target);
    }

    /**
     * Renames {@code staging} to {@code target} atomically without the store's marker: for folders that leave the
     * store (an exported model is somebody else's format and must hold only its own files). {@code target} must not
     * exist.
     */
    public static Path publish(Path staging, Path target) throws IOException {
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + staging + " to " + target + " atomically", e);
        }
        return target;
    }

    public static boolean isCommitted(Path folder) {
        return Files.isDirectory(folder) && Files.isRegularFile(folder.resolve(COMMIT_MARKER));
    }

    public static void deleteRecursively(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lowercase hex SHA-256 of a file's bytes. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            MessageDigest digest = ((DigestInputStream) in).getMessageDigest();
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
