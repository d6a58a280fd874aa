package dev.workbench.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The disk filled up (ENOSPC, or a full quota) while {@link #file()} was being written. The JDK's own exception for
 * ENOSPC carries no file name, so writers of run files wrap it with {@link #naming} where they know the file.
 */
public final class DiskFullException extends IOException {
    private final Path file;

    DiskFullException(Path file, IOException cause) {
        super("no space left on device while writing " + file, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Whether {@code t} or one of its causes says the device is full. */
    public static boolean isDiskFull(Throwable t) {
        return find(t).isPresent() || raw(t);
    }

    /** The named disk-full failure among {@code t}'s causes, if a writer named it. */
    public static Optional<DiskFullException> find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof DiskFullException e) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    private static boolean raw(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = c.getMessage() == null ? "" : c.getMessage().toLowerCase(Locale.ROOT);
            if (c instanceof IOException && (m.contains("no space left on device") || m.contains("disk quota"))) {
                return true;
            }
        }
        return false;
    }

    /** {@code e} named after {@code file} when it is a disk-full failure not named yet; {@code e} itself otherwise. */
    public static IOException naming(Path file, IOException e) {
        if (find(e).isPresent() || !raw(e)) {
            return e;
        }
        return new DiskFullException(file, e);
    }

    /**
     * {@code e} named after the newest file under {@code folder}: writers fill a staging folder one file after the
     * other, so the newest file is the one the disk filled up on.
     */
    public static IOException namingNewestIn(Path folder, IOException e) {
        if (find(e).isPresent() || !raw(e)) {
            return e;
        }
        Path newest = folder;
        if (Files.isDirectory(folder)) {
            try (Stream<Path> files = Files.walk(folder)) {
                newest = files.filter(Files::isRegularFile).max(Comparator.comparingLong(DiskFullException::modified))
                        .orElse(folder);
            } catch (IOException | UncheckedIOException ignored) {
                // the folder itself is still a name worth giving
            }
        }
        return new DiskFullException(newest, e);
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return Long.MIN_VALUE;
        }
    }
}
